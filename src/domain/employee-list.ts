// The company's employee list "per procedure No. 1031" (requirements R6 function 7): what one row
// holds, how a row is checked, and the CSV a consumer can import it from. Pure: the server checks
// a list with it before storing anything, and the cabinet page runs the same code to show the
// errors of each row as the consumer types. See docs/decisions/009-employee-list.md.

/** The columns of a row, in the order of the document and of an imported CSV file. */
export const EMPLOYEE_FIELDS = ['fullName', 'position', 'pinfl', 'passport', 'phone'] as const;
export type EmployeeField = (typeof EMPLOYEE_FIELDS)[number];

/** The most employees one list holds. */
export const MAX_EMPLOYEES = 2000;
/** Length limits of the text fields, in characters. */
export const FULL_NAME_MIN = 3;
export const TEXT_MAX = 200;

/** A row as typed or imported: any of the fields may be missing or malformed. */
export type EmployeeRowInput = Partial<Record<EmployeeField, string | null>>;

/** A checked row: names trimmed, the PINFL 14 digits, passport `AA1234567`, phone `+998XXXXXXXXX`. */
export type EmployeeRow = {
  fullName: string;
  position: string;
  pinfl: string;
  passport: string | null;
  phone: string | null;
};

/** Why a row (or the whole list, row 0) is refused. */
export type EmployeeErrorCode =
  | 'required'
  | 'too_short'
  | 'too_long'
  | 'format'
  | 'duplicate'
  | 'empty'
  | 'too_many';

/** One refusal: the row number (from 1; 0 for the list itself), the field and the reason. */
export type EmployeeRowError = { row: number; field: EmployeeField | 'list'; code: EmployeeErrorCode };

/** The outcome of checking a list: every row checked, or every error found. */
export type EmployeeListCheck = { ok: true; rows: EmployeeRow[] } | { ok: false; errors: EmployeeRowError[] };

const PINFL = /^[0-9]{14}$/;
const PASSPORT = /^[A-Z]{2}[0-9]{7}$/;
const PHONE = /^\+998[0-9]{9}$/;
// Control characters other than white space never belong in a name.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/;

/** Characters as PostgreSQL's length() counts them (code points, not UTF-16 units). */
const charCount = (s: string) => [...s].length;

/** Trims, joins runs of white space into one space and normalises to NFC. */
function cleanText(v: string | null | undefined): string {
  return (v ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** A phone as typed ("+998 (90) 123-45-67", "998901234567") in the form `+998XXXXXXXXX`. */
export function normalizePhone(v: string | null | undefined): string {
  const compact = (v ?? '').replace(/[\s().-]/g, '');
  return /^998[0-9]{9}$/.test(compact) ? `+${compact}` : compact;
}

/** A passport as typed ("aa 1234567") in the form `AA1234567`. */
export function normalizePassport(v: string | null | undefined): string {
  return (v ?? '').replace(/\s/g, '').toUpperCase();
}

/** Checks one row; `row` is its number for the errors. */
export function checkEmployeeRow(
  input: EmployeeRowInput,
  row: number,
): { value: EmployeeRow; errors: EmployeeRowError[] } {
  const errors: EmployeeRowError[] = [];
  const fail = (field: EmployeeField, code: EmployeeErrorCode) => errors.push({ row, field, code });
  const text = (field: 'fullName' | 'position', min: number): string => {
    const raw = input[field] ?? '';
    const v = cleanText(raw);
    if (v === '') fail(field, 'required');
    else if (CONTROL.test(raw)) fail(field, 'format');
    else if (charCount(v) < min) fail(field, 'too_short');
    else if (charCount(v) > TEXT_MAX) fail(field, 'too_long');
    return v;
  };
  const fullName = text('fullName', FULL_NAME_MIN);
  const position = text('position', 1);
  const pinfl = (input.pinfl ?? '').replace(/\s/g, '');
  if (pinfl === '') fail('pinfl', 'required');
  else if (!PINFL.test(pinfl)) fail('pinfl', 'format');
  const passport = normalizePassport(input.passport);
  if (passport !== '' && !PASSPORT.test(passport)) fail('passport', 'format');
  const phone = normalizePhone(input.phone);
  if (phone !== '' && !PHONE.test(phone)) fail('phone', 'format');
  return {
    value: { fullName, position, pinfl, passport: passport || null, phone: phone || null },
    errors,
  };
}

/**
 * Checks a whole list: 1 to 2,000 rows, each valid, no PINFL twice (the second and later
 * occurrences are the ones marked). Either every row comes back cleaned, or every error.
 */
export function checkEmployeeList(rows: readonly EmployeeRowInput[]): EmployeeListCheck {
  if (rows.length === 0) return { ok: false, errors: [{ row: 0, field: 'list', code: 'empty' }] };
  if (rows.length > MAX_EMPLOYEES)
    return { ok: false, errors: [{ row: 0, field: 'list', code: 'too_many' }] };
  const errors: EmployeeRowError[] = [];
  const values: EmployeeRow[] = [];
  const seen = new Set<string>();
  rows.forEach((input, i) => {
    const checked = checkEmployeeRow(input, i + 1);
    errors.push(...checked.errors);
    const { pinfl } = checked.value;
    if (PINFL.test(pinfl)) {
      if (seen.has(pinfl)) errors.push({ row: i + 1, field: 'pinfl', code: 'duplicate' });
      seen.add(pinfl);
    }
    values.push(checked.value);
  });
  // Row by row, each row's fields in the order of the columns.
  const column = (f: EmployeeRowError['field']) => (f === 'list' ? -1 : EMPLOYEE_FIELDS.indexOf(f));
  errors.sort((x, y) => x.row - y.row || column(x.field) - column(y.field));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows: values };
}

/** The delimiter of a CSV file: the most frequent of `;`, `,` and tab outside quotes in its first line. */
function delimiterOf(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Splits CSV text (RFC 4180: quotes, doubled quotes, line breaks inside quotes) into records. */
export function parseCsv(text: string, delimiter = delimiterOf(text)): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      record.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records.filter((r) => r.some((c) => c.trim() !== ''));
}

/**
 * The rows of an employee CSV file (as Excel saves it, with `,` or `;`): columns full name,
 * position, PINFL, passport, phone in that order; a first line without a digit in the PINFL
 * column is a header and skipped.
 */
export function parseEmployeeCsv(text: string): EmployeeRowInput[] {
  const records = parseCsv(text);
  const first = records[0];
  const body = first && !/[0-9]/.test(first[2] ?? '') ? records.slice(1) : records;
  return body.map((r) => Object.fromEntries(EMPLOYEE_FIELDS.map((field, i) => [field, (r[i] ?? '').trim()])));
}

/** A CSV cell, quoted when it must be. */
function csvCell(v: string): string {
  return /[",;\t\r\n]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v;
}

/** Rows as a CSV file (comma, CRLF) under a header line, the form `parseEmployeeCsv` reads back. */
export function toEmployeeCsv(rows: readonly EmployeeRowInput[], header: readonly string[]): string {
  const lines = [header, ...rows.map((r) => EMPLOYEE_FIELDS.map((f) => r[f] ?? ''))];
  return `${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
