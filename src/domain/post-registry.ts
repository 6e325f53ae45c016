import { isAppError } from './errors.ts';
import { parseMoney, type Tiyin } from './money.ts';
import type { FileProblem, ParseResult, RegistryLine } from './payment-file.ts';
import { duplicateLines } from './payment-file.ts';
import { type LocalDate, parseLocalDate } from './period.ts';

/**
 * Post office payment registries (CSV or XLSX): one row per receipt with the payment date, the
 * registry number (and the receipt number when there is one), the account (contract) number, the
 * payer and the amount. A header row names the columns, in Uzbek (Latin or Cyrillic), Russian or
 * English; title rows above it and a totals row at the end are allowed. The external id of a line
 * is `<registry>-<receipt>`, or `<registry>-L<line>` when the registry has no receipt numbers.
 */

/** A cell as read: text (numbers come as their exact text), a date (XLSX date cells) or empty. */
export type RegistryCell = string | Date | null;

/** A row of the file with its line (CSV) or row (XLSX) number. */
export type RegistryRow = { line: number; cells: readonly RegistryCell[] };

type Column = 'date' | 'registry' | 'receipt' | 'account' | 'payer' | 'amount';

// Header names per column, lower-case without spaces and punctuation (see headerKeys).
const HEADERS: Record<Column, readonly string[]> = {
  date: [
    'дата',
    'датаплатежа',
    'датаоплаты',
    'sana',
    'tolovsanasi',
    'сана',
    'тўловсанаси',
    'date',
    'paymentdate',
  ],
  registry: ['реестр', 'реестра', 'reestr', 'registry'],
  receipt: ['квитанция', 'квитанции', 'kvitansiya', 'receipt', 'чек', 'chek'],
  account: [
    'лицевойсчет',
    'лицевойсчёт',
    'лс',
    'л/с',
    'договор',
    'договора',
    'shaxsiyhisob',
    'hisobraqami',
    'sh/h',
    'sh/x',
    'shartnoma',
    'шахсийҳисоб',
    'ҳисобрақами',
    'ш/х',
    'ш/ҳ',
    'шартнома',
    'account',
    'contract',
  ],
  payer: ['плательщик', 'фио', 'tolovchi', 'fish', 'тўловчи', 'фиш', 'payer', 'name'],
  amount: ['сумма', 'суммаплатежа', 'summa', 'tolovsummasi', 'тўловсуммаси', 'amount', 'sum'],
};
const REQUIRED: readonly Column[] = ['date', 'registry', 'account', 'amount'];
const TOTAL_ROW = /^(итого|всего|jami|жами|total)/iu;
/** How far down the header row may be (title rows above it). */
const HEADER_SEARCH_ROWS = 20;

/** Reads the payment lines of a registry; every problem is reported with its line, and then none is taken. */
export function parsePostRegistry(rows: readonly RegistryRow[]): ParseResult<RegistryLine[]> {
  const headerAt = rows.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => {
    const cols = headerColumns(r.cells);
    return REQUIRED.filter((c) => cols.has(c)).length >= 3;
  });
  const headerRow = rows[headerAt];
  if (!headerRow) {
    return {
      ok: false,
      problems: [
        {
          line: rows[0]?.line ?? 1,
          code: rows.length === 0 ? 'empty' : 'missing_column',
          message: 'No header row naming the date, registry, account and amount columns',
        },
      ],
    };
  }
  const cols = headerColumns(headerRow.cells);
  const missing = REQUIRED.filter((c) => !cols.has(c));
  if (missing.length > 0)
    return {
      ok: false,
      problems: missing.map((c) => ({
        line: headerRow.line,
        code: 'missing_column' as const,
        message: `No ${c} column`,
        value: c,
      })),
    };

  const problems: FileProblem[] = [];
  const lines: RegistryLine[] = [];
  for (const row of rows.slice(headerAt + 1)) {
    const text = (c: Column) => {
      const i = cols.get(c);
      return i === undefined ? null : cellText(row.cells[i]);
    };
    if (row.cells.every((c) => cellText(c) === null)) continue;
    const first = row.cells.map(cellText).find((c) => c !== null) ?? '';
    if (TOTAL_ROW.test(first)) continue;
    const before = problems.length;
    const paidOn = toDate(row.cells[cols.get('date') ?? -1] ?? null, row.line, problems);
    const amount = toAmount(text('amount'), row.line, problems);
    const registry = text('registry');
    const account = text('account');
    if (registry === null) problems.push(missingField(row.line, 'registry'));
    if (account === null) problems.push(missingField(row.line, 'account'));
    if (problems.length > before || paidOn === null || amount === null || registry === null) continue;
    const receipt = text('receipt');
    lines.push({
      line: row.line,
      externalId: receipt === null ? `${registry}-L${row.line}` : `${registry}-${receipt}`,
      paidOn,
      amount,
      account,
      payer: text('payer'),
      payerInn: null,
      purpose: null,
    });
  }
  problems.push(...duplicateLines(lines));
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  if (lines.length === 0)
    return {
      ok: false,
      problems: [{ line: headerRow.line, code: 'empty', message: 'The registry has no payments' }],
    };
  return { ok: true, value: lines };
}

/**
 * Splits CSV text into rows: `;`, `,` or tab separated (whichever one of the first lines has
 * most of, outside quotes), fields optionally in double quotes with `""` for a quote. A quoted
 * field may span lines; the row keeps the line it starts on.
 */
export function parseCsv(text: string): RegistryRow[] {
  const body = text.replace(/^\uFEFF/, '');
  const delimiter = pickDelimiter(body.split(/\r\n|\n|\r/, HEADER_SEARCH_ROWS));
  const rows: RegistryRow[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n' || (ch === '\r' && body[i + 1] !== '\n')) line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === delimiter) {
      cells.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      cells.push(field);
      rows.push({ line: rowLine, cells });
      cells = [];
      field = '';
      line++;
      rowLine = line;
    } else field += ch;
  }
  if (field !== '' || cells.length > 0) {
    cells.push(field);
    rows.push({ line: rowLine, cells });
  }
  return rows;
}

/** The separator that some early line (the header, past any title rows) has most of. */
function pickDelimiter(lines: readonly string[]): string {
  const outside = lines.map((l) => l.replace(/"[^"]*"/g, ''));
  const counts = [';', ',', '\t'].map((d) => ({
    d,
    n: Math.max(0, ...outside.map((l) => l.split(d).length - 1)),
  }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]?.n ? counts[0].d : ';';
}

function headerColumns(cells: readonly RegistryCell[]): Map<Column, number> {
  const found = new Map<Column, number>();
  cells.forEach((cell, i) => {
    const keys = headerKeys(cellText(cell) ?? '');
    // A name or a longer title starting with one ("Сумма, сум", "ФИО плательщика"); one column per cell.
    const fits = (name: string) => keys.some((k) => k === name || (name.length >= 3 && k.startsWith(name)));
    for (const [col, names] of Object.entries(HEADERS) as [Column, readonly string[]][]) {
      if (names.some(fits)) {
        if (!found.has(col)) found.set(col, i);
        break;
      }
    }
  });
  return found;
}

/** A header cell compared lower-case without spaces and punctuation, with and without "номер"/"No". */
function headerKeys(s: string): string[] {
  const key = s.toLowerCase().replace(/[\s.,;№#:'ʻ‘’`"()]/gu, '');
  const bare = key.replace(/^(номер|nomer|number|no)/u, '').replace(/(number|no|raqami|рақами|номер)$/u, '');
  return bare !== '' && bare !== key ? [key, bare] : [key];
}

function cellText(cell: RegistryCell | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  const t = cell.replace(/\u00a0/g, ' ').trim();
  return t === '' ? null : t;
}

function missingField(line: number, column: Column): FileProblem {
  return { line, code: 'missing_field', message: `No ${column}`, value: column };
}

/** DD.MM.YYYY, YYYY-MM-DD, or an XLSX date cell (a UTC midnight). */
function toDate(cell: RegistryCell, line: number, problems: FileProblem[]): LocalDate | null {
  if (cell instanceof Date) {
    if (!Number.isNaN(cell.getTime())) return cell.toISOString().slice(0, 10) as LocalDate;
  } else {
    const text = cellText(cell);
    if (text === null) {
      problems.push(missingField(line, 'date'));
      return null;
    }
    const dmy = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
    try {
      return parseLocalDate(dmy ? `${dmy[3]}-${dmy[2]}-${dmy[1]}` : text);
    } catch (e) {
      if (!isAppError(e)) throw e;
    }
  }
  problems.push({ line, code: 'date', message: 'Not a date DD.MM.YYYY', value: cellText(cell) ?? '' });
  return null;
}

/** "125000", "125 000,50", "125000.5": spaces group digits, one comma or point separates tiyin. */
function toAmount(text: string | null, line: number, problems: FileProblem[]): Tiyin | null {
  if (text === null) {
    problems.push(missingField(line, 'amount'));
    return null;
  }
  const compact = text.replace(/[\s\u00a0]/g, '');
  try {
    const amount = parseMoney(compact, { allowComma: true, allowNegative: false });
    if (amount > 0n) return amount;
  } catch (e) {
    if (!isAppError(e)) throw e;
  }
  problems.push({
    line,
    code: 'amount',
    message: 'Not a positive amount with at most 2 decimals',
    value: text,
  });
  return null;
}
