import { isAppError } from './errors.ts';
import { parseMoney, type Tiyin } from './money.ts';
import type { FileProblem, ParseResult, RegistryLine } from './payment-file.ts';
import { duplicateLines, splitLines } from './payment-file.ts';
import { type LocalDate, parseLocalDate } from './period.ts';

/**
 * Bank statements in 1C's client-bank exchange format (1CClientBankExchange, version 1.02/1.03),
 * which Uzbek banks' client-bank systems export: a header of `key=value` lines, then one
 * `СекцияРасчСчет … КонецРасчСчет` per account and one `СекцияДокумент=<kind> … КонецДокумента`
 * per document, then `КонецФайла`. Text is Windows-1251 (`Кодировка=Windows`) or CP866
 * (`Кодировка=DOS`). In Uzbekistan the `…БИК` fields carry the bank's 5-digit MFO code; some
 * banks write `…МФО` instead, and both are read.
 */

/** The statement of one account within the file. */
export type StatementAccount = {
  account: string;
  from: LocalDate | null;
  to: LocalDate | null;
  opening: Tiyin | null;
  incoming: Tiyin | null;
  outgoing: Tiyin | null;
  closing: Tiyin | null;
};

/** One payment document of the statement, incoming or outgoing. */
export type BankDocument = {
  /** The line of its `СекцияДокумент`. */
  line: number;
  kind: string;
  number: string;
  date: LocalDate;
  /** The day the money reached the recipient's account (`ДатаПоступило`), when stated. */
  receivedOn: LocalDate | null;
  amount: Tiyin;
  payer: { name: string | null; inn: string | null; account: string | null; mfo: string | null };
  recipient: { name: string | null; inn: string | null; account: string; mfo: string | null };
  purpose: string | null;
};

/** A parsed statement file. */
export type BankStatement = {
  formatVersion: string | null;
  encoding: 'Windows' | 'DOS';
  sender: string | null;
  /** The accounts the file is for (`РасчСчет` of the header). */
  accounts: string[];
  from: LocalDate | null;
  to: LocalDate | null;
  sections: StatementAccount[];
  documents: BankDocument[];
};

/** Why a document of the statement is not a payment to the supplier. */
export type SkipReason = 'outgoing' | 'other_account';

/** A document that is not a payment to the supplier. */
export type SkippedDocument = { line: number; number: string; amount: Tiyin; reason: SkipReason };

const MAGIC = '1CClientBankExchange';

/** True when the bytes start like a 1CClientBankExchange file (the first line is ASCII). */
export function looksLikeBankExchange(bytes: Uint8Array): boolean {
  const start = new TextDecoder('latin1')
    .decode(bytes.subarray(0, 64))
    .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  return start.trimStart().startsWith(MAGIC);
}

/**
 * Decodes the file: Windows-1251 unless its header says `Кодировка=DOS` (CP866). The keyword is
 * Cyrillic, so it is looked for in both decodings.
 */
export function decodeBankExchange(bytes: Uint8Array): { text: string; encoding: 'Windows' | 'DOS' } {
  const windows = new TextDecoder('windows-1251').decode(bytes);
  if (/^Кодировка=DOS\s*$/m.test(windows))
    return { text: new TextDecoder('ibm866').decode(bytes), encoding: 'DOS' };
  const dos = new TextDecoder('ibm866').decode(bytes);
  if (/^Кодировка=DOS\s*$/m.test(dos)) return { text: dos, encoding: 'DOS' };
  return { text: windows, encoding: 'Windows' };
}

type Fields = { line: number; values: Map<string, string> };

/** Parses a statement file; every problem found is reported with its line, and then nothing is taken. */
export function parseBankExchange(bytes: Uint8Array): ParseResult<BankStatement> {
  const { text, encoding } = decodeBankExchange(bytes);
  const lines = splitLines(text.replace(/^\uFEFF/, ''));
  const problems: FileProblem[] = [];
  const firstIndex = lines.findIndex((l) => l.trim() !== '');
  if (firstIndex < 0 || lines[firstIndex]?.trim() !== MAGIC)
    return {
      ok: false,
      problems: [
        { line: firstIndex + 1 || 1, code: 'format', message: `The file does not start with ${MAGIC}` },
      ],
    };

  const header: Fields = { line: firstIndex + 1, values: new Map() };
  const headerAccounts: string[] = [];
  const accountSections: Fields[] = [];
  const documentSections: { kind: string; fields: Fields }[] = [];
  let open: { type: 'account'; fields: Fields } | { type: 'document'; kind: string; fields: Fields } | null =
    null;
  let ended = false;

  for (let i = firstIndex + 1; i < lines.length && !ended; i++) {
    const lineNo = i + 1;
    const raw = (lines[i] ?? '').replace(/\s+$/, '');
    if (raw.trim() === '') continue;
    const eq = raw.indexOf('=');
    const key = (eq < 0 ? raw : raw.slice(0, eq)).trim();
    const value = eq < 0 ? '' : raw.slice(eq + 1).trim();
    if (key === 'СекцияРасчСчет' || key === 'СекцияДокумент') {
      if (open)
        problems.push({
          line: open.fields.line,
          code: 'structure',
          message: `The section opened here is not closed before line ${lineNo}`,
        });
      open =
        key === 'СекцияРасчСчет'
          ? { type: 'account', fields: { line: lineNo, values: new Map() } }
          : { type: 'document', kind: value, fields: { line: lineNo, values: new Map() } };
      continue;
    }
    if (key === 'КонецРасчСчет' || key === 'КонецДокумента') {
      const expected = key === 'КонецРасчСчет' ? 'account' : 'document';
      if (!open || open.type !== expected) {
        problems.push({ line: lineNo, code: 'structure', message: `${key} without its section` });
      } else if (open.type === 'account') accountSections.push(open.fields);
      else documentSections.push({ kind: open.kind, fields: open.fields });
      open = null;
      continue;
    }
    if (key === 'КонецФайла') {
      ended = true;
      continue;
    }
    if (eq < 0) {
      problems.push({
        line: lineNo,
        code: 'structure',
        message: 'Not a key=value line',
        value: raw.slice(0, 80),
      });
      continue;
    }
    const target = open ? open.fields : header;
    if (!open && key === 'РасчСчет') headerAccounts.push(value);
    // Long purposes are sometimes split over НазначениеПлатежа1…6; keep the first value of other keys.
    if (!target.values.has(key)) target.values.set(key, value);
  }
  if (open)
    problems.push({
      line: open.fields.line,
      code: 'structure',
      message: 'The section opened here is not closed',
    });
  if (!ended)
    problems.push({
      line: lines.findLastIndex((l) => l.trim() !== '') + 1,
      code: 'structure',
      message: 'No КонецФайла: the file is cut short',
    });

  const codingValue = header.values.get('Кодировка');
  if (codingValue !== undefined && codingValue !== 'Windows' && codingValue !== 'DOS')
    problems.push({
      line: header.line,
      code: 'encoding',
      message: 'Кодировка is neither Windows nor DOS',
      value: codingValue,
    });

  const from = optionalDate(header, 'ДатаНачала', problems);
  const to = optionalDate(header, 'ДатаКонца', problems);
  const sections = accountSections.map((f) => readAccountSection(f, problems));
  const documents = documentSections.flatMap(({ kind, fields }) => {
    const d = readDocument(kind, fields, problems);
    return d ? [d] : [];
  });
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  return {
    ok: true,
    value: {
      formatVersion: header.values.get('ВерсияФормата') ?? null,
      encoding,
      sender: header.values.get('Отправитель') ?? null,
      accounts: [...new Set([...headerAccounts, ...sections.map((s) => s.account)])],
      from,
      to,
      sections,
      documents,
    },
  };
}

/**
 * The payments to the supplier in a statement: documents credited to `supplierAccount` and not
 * sent from it. Everything else is reported as skipped. The external id is stable across
 * overlapping statements: `<payer MFO>-<payer account>-<document number>-<document date>`.
 */
export function statementPayments(
  statement: BankStatement,
  supplierAccount: string,
): { lines: RegistryLine[]; skipped: SkippedDocument[]; problems: FileProblem[] } {
  const lines: RegistryLine[] = [];
  const skipped: SkippedDocument[] = [];
  for (const d of statement.documents) {
    if (d.payer.account === supplierAccount) {
      skipped.push({ line: d.line, number: d.number, amount: d.amount, reason: 'outgoing' });
      continue;
    }
    if (d.recipient.account !== supplierAccount) {
      skipped.push({ line: d.line, number: d.number, amount: d.amount, reason: 'other_account' });
      continue;
    }
    lines.push({
      line: d.line,
      externalId: [d.payer.mfo || '0', d.payer.account || '0', d.number, d.date.replaceAll('-', '')].join(
        '-',
      ),
      paidOn: d.receivedOn ?? d.date,
      amount: d.amount,
      account: null,
      payer: d.payer.name,
      payerInn: d.payer.inn,
      purpose: d.purpose,
    });
  }
  return { lines, skipped, problems: duplicateLines(lines) };
}

function readAccountSection(f: Fields, problems: FileProblem[]): StatementAccount {
  return {
    account: required(f, 'РасчСчет', problems) ?? '',
    from: optionalDate(f, 'ДатаНачала', problems),
    to: optionalDate(f, 'ДатаКонца', problems),
    opening: optionalMoney(f, 'НачальныйОстаток', problems),
    incoming: optionalMoney(f, 'ВсегоПоступило', problems),
    outgoing: optionalMoney(f, 'ВсегоСписано', problems),
    closing: optionalMoney(f, 'КонечныйОстаток', problems),
  };
}

function readDocument(kind: string, f: Fields, problems: FileProblem[]): BankDocument | null {
  const before = problems.length;
  const number = required(f, 'Номер', problems);
  const dateText = required(f, 'Дата', problems);
  const date = dateText === null ? null : toDate(dateText, f.line, 'Дата', problems);
  const amountText = required(f, 'Сумма', problems);
  const amount = amountText === null ? null : toAmount(amountText, f.line, problems);
  const recipientAccount = required(f, 'ПолучательСчет', problems);
  const receivedOn = optionalDate(f, 'ДатаПоступило', problems);
  if (
    problems.length > before ||
    number === null ||
    date === null ||
    amount === null ||
    recipientAccount === null
  )
    return null;
  const v = (k: string) => nonEmpty(f.values.get(k));
  const purposeParts = ['НазначениеПлатежа', ...[1, 2, 3, 4, 5, 6].map((n) => `НазначениеПлатежа${n}`)]
    .map(v)
    .filter((s): s is string => s !== null);
  return {
    line: f.line,
    kind,
    number,
    date,
    receivedOn,
    amount,
    payer: {
      name: v('Плательщик1') ?? v('Плательщик'),
      inn: v('ПлательщикИНН'),
      account: v('ПлательщикСчет') ?? v('ПлательщикРасчСчет'),
      mfo: v('ПлательщикБИК') ?? v('ПлательщикМФО'),
    },
    recipient: {
      name: v('Получатель1') ?? v('Получатель'),
      inn: v('ПолучательИНН'),
      account: recipientAccount,
      mfo: v('ПолучательБИК') ?? v('ПолучательМФО'),
    },
    purpose: purposeParts.length > 0 ? purposeParts.join(' ') : null,
  };
}

function nonEmpty(s: string | undefined): string | null {
  return s === undefined || s.trim() === '' ? null : s.trim();
}

function required(f: Fields, key: string, problems: FileProblem[]): string | null {
  const value = nonEmpty(f.values.get(key));
  if (value === null)
    problems.push({ line: f.line, code: 'missing_field', message: `No ${key}`, value: key });
  return value;
}

function optionalDate(f: Fields, key: string, problems: FileProblem[]): LocalDate | null {
  const value = nonEmpty(f.values.get(key));
  return value === null ? null : toDate(value, f.line, key, problems);
}

function optionalMoney(f: Fields, key: string, problems: FileProblem[]): Tiyin | null {
  const value = nonEmpty(f.values.get(key));
  if (value === null) return null;
  try {
    return parseMoney(value, { allowComma: true });
  } catch (e) {
    if (!isAppError(e)) throw e;
    problems.push({ line: f.line, code: 'amount', message: `${key} is not an amount`, value });
    return null;
  }
}

/** `ДД.ММ.ГГГГ`, the format's only date form. */
function toDate(text: string, line: number, key: string, problems: FileProblem[]): LocalDate | null {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  try {
    if (m) return parseLocalDate(`${m[3]}-${m[2]}-${m[1]}`);
  } catch (e) {
    if (!isAppError(e)) throw e;
  }
  problems.push({ line, code: 'date', message: `${key} is not a date DD.MM.YYYY`, value: text });
  return null;
}

/** `Сумма` in so'm with at most two decimals ("1500000", "1500000.50"; a comma is accepted). */
function toAmount(text: string, line: number, problems: FileProblem[]): Tiyin | null {
  try {
    const amount = parseMoney(text, { allowComma: true, allowNegative: false });
    if (amount > 0n) return amount;
  } catch (e) {
    if (!isAppError(e)) throw e;
  }
  problems.push({ line, code: 'amount', message: 'Сумма is not a positive amount', value: text });
  return null;
}

function sortProblems(problems: FileProblem[]): FileProblem[] {
  return [...problems].sort((a, b) => a.line - b.line);
}
