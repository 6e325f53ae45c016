import { readSheet, type SheetData } from 'read-excel-file/node';
import {
  looksLikeBankExchange,
  parseBankExchange,
  type SkippedDocument,
  statementPayments,
} from '../../../domain/bank-exchange.ts';
import { AppError } from '../../../domain/errors.ts';
import {
  decodeRegistryText,
  type FileProblem,
  type ParseResult,
  type RegistryLine,
} from '../../../domain/payment-file.ts';
import type { LocalDate } from '../../../domain/period.ts';
import { parseCsv, parsePostRegistry, type RegistryRow } from '../../../domain/post-registry.ts';

/** The channels that send files: banks (statements) and the post (registries). */
export const FILE_CHANNELS = ['bank', 'post'] as const;
export type FileChannel = (typeof FILE_CHANNELS)[number];

/** The formats read: 1CClientBankExchange for banks, CSV or XLSX for the post. */
export type FileFormat = '1c' | 'csv' | 'xlsx';

/** A payment file read whole. */
export type PaymentFile = {
  format: FileFormat;
  lines: RegistryLine[];
  skipped: SkippedDocument[];
  from: LocalDate | null;
  to: LocalDate | null;
};

/** The most line problems an answer lists (the count says how many there were). */
export const MAX_REPORTED_PROBLEMS = 500;

/** The largest payment file taken: a month of statements of a big supplier fits easily. */
export const MAX_PAYMENT_FILE_BYTES = 20 * 1024 * 1024;

/**
 * Reads a bank statement (channel bank: 1CClientBankExchange, only payments to
 * `supplierAccount`) or a post registry (channel post: XLSX or CSV). Any problem refuses the whole
 * file: PAYMENT_FILE_INVALID with the problems by line.
 */
export async function readPaymentFile(input: {
  channel: FileChannel;
  bytes: Uint8Array;
  supplierAccount: string | null;
}): Promise<PaymentFile> {
  switch (input.channel) {
    case 'bank':
      return readStatement(input.bytes, input.supplierAccount);
    case 'post':
      return readRegistry(input.bytes);
    default: {
      const never: never = input.channel;
      throw new Error(`unknown channel ${String(never)}`);
    }
  }
}

/** Refuses a file with its problems (at most MAX_REPORTED_PROBLEMS listed). */
export function invalidFile(problems: readonly FileProblem[]): AppError {
  return new AppError('PAYMENT_FILE_INVALID', `${problems.length} problems in the payment file`, {
    count: problems.length,
    problems: problems.slice(0, MAX_REPORTED_PROBLEMS),
  });
}

function readStatement(bytes: Uint8Array, supplierAccount: string | null): PaymentFile {
  if (!looksLikeBankExchange(bytes))
    throw invalidFile([
      { line: 1, code: 'format', message: 'A bank statement is a 1CClientBankExchange file' },
    ]);
  if (supplierAccount === null)
    throw new AppError(
      'SUPPLIER_BANK_ACCOUNT_MISSING',
      'The supplier has no bank account to import statements for',
    );
  const statement = take(parseBankExchange(bytes));
  if (!statement.accounts.includes(supplierAccount))
    throw new AppError('PAYMENT_FILE_ACCOUNT', 'The statement is for another account', {
      accounts: statement.accounts.join(', '),
      expected: supplierAccount,
    });
  const { lines, skipped, problems } = statementPayments(statement, supplierAccount);
  if (problems.length > 0) throw invalidFile(problems);
  const range = dateRange(lines);
  return {
    format: '1c',
    lines,
    skipped,
    from: statement.from ?? range.from,
    to: statement.to ?? range.to,
  };
}

async function readRegistry(bytes: Uint8Array): Promise<PaymentFile> {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (!isZip && looksLikeBankExchange(bytes))
    throw invalidFile([
      { line: 1, code: 'format', message: 'This is a bank statement, not a post registry' },
    ]);
  const rows = isZip ? await xlsxRows(bytes) : parseCsv(decodeRegistryText(bytes));
  const lines = take(parsePostRegistry(rows));
  return { format: isZip ? 'xlsx' : 'csv', lines, skipped: [], ...dateRange(lines) };
}

/** The rows of the first sheet; numbers as their exact text, so amounts never pass through a float. */
async function xlsxRows(bytes: Uint8Array): Promise<RegistryRow[]> {
  let data: SheetData<string>;
  try {
    data = await readSheet<string>(Buffer.from(bytes), { parseNumber: (text: string) => text });
  } catch (e) {
    throw invalidFile([
      {
        line: 1,
        code: 'format',
        message: `Not a readable XLSX file: ${e instanceof Error ? e.message : String(e)}`,
      },
    ]);
  }
  return data.map((row, i) => ({
    line: i + 1,
    cells: row.map((c) => (c === null || c instanceof Date || typeof c === 'string' ? c : String(c))),
  }));
}

function take<T>(result: ParseResult<T>): T {
  if (!result.ok) throw invalidFile(result.problems);
  return result.value;
}

function dateRange(lines: readonly RegistryLine[]): { from: LocalDate | null; to: LocalDate | null } {
  const dates = lines.map((l) => l.paidOn).sort();
  return { from: dates[0] ?? null, to: dates[dates.length - 1] ?? null };
}
