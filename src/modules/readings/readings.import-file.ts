import { readSheet, type SheetData } from 'read-excel-file/node';
import { AppError, isAppError } from '../../domain/errors.ts';
import { decodeRegistryText } from '../../domain/payment-file.ts';
import { type LocalDate, parseLocalDate } from '../../domain/period.ts';
import { parseCsv, type RegistryCell, type RegistryRow } from '../../domain/post-registry.ts';
import type { Milli } from '../../domain/quantity.ts';
import { parseTypedReading } from './readings.entry.ts';

// A readings file (R3.1 bulk import): CSV (`;`, `,` or tab separated, UTF-8 or Windows-1251) or
// XLSX (first sheet), one reading per row with the contract number, the meter serial, the
// register (OBIS, 1.8.0 when the column is missing or the cell empty), the date and the value. A
// header row names the columns in Uzbek (Latin or Cyrillic), Russian or English; title rows above
// it are allowed.

/** The columns of a readings file. */
export type ImportField = 'contract' | 'meter' | 'register' | 'date' | 'value';

/** One reading as the file states it. */
export type ImportLine = {
  row: number;
  contract: string;
  serial: string;
  obis: string;
  readOn: LocalDate;
  value: Milli;
};

/** A problem of one row (or of the file: row of the header), as an error code with its details. */
export type RowProblem = {
  row: number;
  field: ImportField | null;
  code: string;
  details?: Record<string, string>;
  value?: string;
};

/** The file read: its lines, or the problems of its rows (then none is taken). */
export type ReadingsFile = { format: 'csv' | 'xlsx'; lines: ImportLine[]; problems: RowProblem[] };

/** The most rows a file may have. */
export const MAX_IMPORT_ROWS = 5000;
/** The largest file taken. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** The register of a row that names none: active energy import. */
export const DEFAULT_OBIS = '1.8.0';

// Header names, lower-case without spaces and punctuation (see headerKey). Exact names are tried
// before prefixes, so "Ko'rsatkich sanasi" is the date, not the reading.
const HEADERS: Record<ImportField, readonly string[]> = {
  contract: [
    'shartnoma',
    'шартнома',
    'договор',
    'contract',
    'лицевойсчет',
    'лицевойсчёт',
    'лс',
    'shaxsiyhisob',
    'шахсийҳисоб',
    'hisobraqami',
    'ҳисобрақами',
    'account',
  ],
  meter: [
    'hisoblagich',
    'ҳисоблагич',
    'счетчик',
    'счётчик',
    'заводскойномер',
    'meter',
    'meterserial',
    'serial',
    'serialnumber',
    'seriyaraqami',
  ],
  register: ['registr', 'регистр', 'register', 'obis', 'обис'],
  date: [
    'sana',
    'сана',
    'дата',
    'date',
    'korsatkichsanasi',
    'кўрсаткичсанаси',
    'датапоказания',
    'readingdate',
    'readon',
  ],
  value: ['korsatkich', 'кўрсаткич', 'показание', 'показания', 'reading', 'value', 'qiymat', 'қиймат'],
};
const REQUIRED: readonly ImportField[] = ['contract', 'meter', 'date', 'value'];
const HEADER_SEARCH_ROWS = 20;

function headerKey(s: string): string {
  const key = s.toLowerCase().replace(/[\s.,;№#:'ʻʼ‘’`"()\-_/]/gu, '');
  return (
    key.replace(/^(номер|nomer|number|no)/u, '').replace(/(number|no|raqami|рақами|номер|№)$/u, '') || key
  );
}

function headerColumns(cells: readonly RegistryCell[]): Map<ImportField, number> {
  const found = new Map<ImportField, number>();
  const keys = cells.map((c) => headerKey(cellText(c) ?? ''));
  const entries = Object.entries(HEADERS) as [ImportField, readonly string[]][];
  keys.forEach((key, i) => {
    if (key === '') return;
    const exact = entries.find(([, names]) => names.includes(key));
    const prefix = entries.find(([, names]) => names.some((n) => n.length >= 3 && key.startsWith(n)));
    const field = (exact ?? prefix)?.[0];
    if (field && !found.has(field)) found.set(field, i);
  });
  return found;
}

function cellText(cell: RegistryCell | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  const t = cell.replace(/\u00a0/g, ' ').trim();
  return t === '' ? null : t;
}

/** DD.MM.YYYY, DD/MM/YYYY, YYYY-MM-DD, or an XLSX date cell (a UTC midnight). */
function cellDate(cell: RegistryCell | undefined): LocalDate | null {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return null;
    return cell.toISOString().slice(0, 10) as LocalDate;
  }
  const text = cellText(cell);
  if (text === null) return null;
  const dmy = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(text);
  try {
    return parseLocalDate(dmy ? `${dmy[3]}-${dmy[2]?.padStart(2, '0')}-${dmy[1]?.padStart(2, '0')}` : text);
  } catch (e) {
    if (isAppError(e)) return null;
    throw e;
  }
}

/** Reads the lines of a readings file; every row's problems are reported, and then none is taken. */
export function parseReadingRows(rows: readonly RegistryRow[], format: 'csv' | 'xlsx'): ReadingsFile {
  const fail = (problems: RowProblem[]): ReadingsFile => ({ format, lines: [], problems });
  const headerAt = rows
    .slice(0, HEADER_SEARCH_ROWS)
    .findIndex((r) => REQUIRED.filter((c) => headerColumns(r.cells).has(c)).length >= 3);
  const header = rows[headerAt];
  if (!header) {
    if (rows.every((r) => r.cells.every((c) => cellText(c) === null)))
      return fail([{ row: 1, field: null, code: 'READING_IMPORT_EMPTY' }]);
    return fail(
      REQUIRED.map((column) => ({
        row: rows[0]?.line ?? 1,
        field: column,
        code: 'READING_IMPORT_MISSING_COLUMN',
        details: { column },
      })),
    );
  }
  const cols = headerColumns(header.cells);
  const missing = REQUIRED.filter((c) => !cols.has(c));
  if (missing.length > 0)
    return fail(
      missing.map((column) => ({
        row: header.line,
        field: column,
        code: 'READING_IMPORT_MISSING_COLUMN',
        details: { column },
      })),
    );

  const body = rows.slice(headerAt + 1).filter((r) => r.cells.some((c) => cellText(c) !== null));
  if (body.length === 0) return fail([{ row: header.line, field: null, code: 'READING_IMPORT_EMPTY' }]);
  if (body.length > MAX_IMPORT_ROWS)
    throw new AppError('READING_IMPORT_TOO_MANY_ROWS', `More than ${MAX_IMPORT_ROWS} rows`, {
      max: MAX_IMPORT_ROWS,
    });

  const problems: RowProblem[] = [];
  const lines: ImportLine[] = [];
  for (const row of body) {
    const cell = (f: ImportField) => {
      const i = cols.get(f);
      return i === undefined ? undefined : row.cells[i];
    };
    const text = (f: ImportField) => cellText(cell(f));
    const before = problems.length;
    const empty = (field: ImportField) =>
      problems.push({ row: row.line, field, code: 'READING_IMPORT_EMPTY_CELL' });
    const contract = text('contract');
    const serial = text('meter');
    if (contract === null) empty('contract');
    if (serial === null) empty('meter');
    const readOn = cellDate(cell('date') ?? null);
    if (readOn === null) {
      const raw = text('date');
      if (raw === null) empty('date');
      else
        problems.push({
          row: row.line,
          field: 'date',
          code: 'INVALID_DATE',
          details: { value: raw },
          value: raw,
        });
    }
    const rawValue = text('value');
    let value: Milli | null = null;
    if (rawValue === null) empty('value');
    else {
      try {
        value = parseTypedReading(rawValue);
      } catch (e) {
        if (!isAppError(e)) throw e;
        problems.push({
          row: row.line,
          field: 'value',
          code: e.code,
          details: { value: rawValue },
          value: rawValue,
        });
      }
    }
    if (problems.length > before || contract === null || serial === null || readOn === null || value === null)
      continue;
    lines.push({ row: row.line, contract, serial, obis: text('register') ?? DEFAULT_OBIS, readOn, value });
  }
  return { format, lines, problems };
}

function looksBinary(bytes: Uint8Array): boolean {
  for (const b of bytes.subarray(0, 4096)) if (b < 9 || (b > 13 && b < 32 && b !== 27)) return true;
  return false;
}

/** Reads a CSV or XLSX readings file (XLSX recognised by its ZIP signature). */
export async function readReadingsFile(bytes: Uint8Array): Promise<ReadingsFile> {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (!isZip) {
    // A binary file that is not XLSX (an old .xls, a PDF) has control bytes a text never has.
    if (looksBinary(bytes)) throw new AppError('READING_IMPORT_FORMAT', 'Not a CSV or XLSX file');
    const text = decodeRegistryText(bytes);
    return parseReadingRows(parseCsv(text), 'csv');
  }
  let data: SheetData<string>;
  try {
    // Numbers as their exact text, so readings never pass through a float.
    data = await readSheet<string>(Buffer.from(bytes), { parseNumber: (t: string) => t });
  } catch (e) {
    throw new AppError(
      'READING_IMPORT_FORMAT',
      `Not a readable XLSX file: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return parseReadingRows(
    data.map((row, i) => ({
      line: i + 1,
      cells: row.map((c) => (c === null || c instanceof Date || typeof c === 'string' ? c : String(c))),
    })),
    'xlsx',
  );
}
