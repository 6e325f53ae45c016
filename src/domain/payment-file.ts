import type { Tiyin } from './money.ts';
import type { LocalDate } from './period.ts';

/**
 * What is wrong on one line of an imported payment file. `code` is stable (the UI translates it),
 * `message` explains it in English; `line` is the line (text files) or row (XLSX) number, 1-based.
 */
export type FileProblem = { line: number; code: FileProblemCode; message: string; value?: string };

/** The kinds of problems a bank statement or post registry can have. */
export type FileProblemCode =
  | 'format' // not a file of the expected kind
  | 'encoding' // the text cannot be decoded
  | 'structure' // sections not closed, a line outside any section, no end of file
  | 'missing_field'
  | 'missing_column'
  | 'date'
  | 'amount'
  | 'duplicate_in_file'
  | 'amount_conflict' // already booked with another amount
  | 'empty';

/** A file read whole, or its problems (none of its lines is taken then). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: FileProblem[] };

/**
 * One payment as a registry states it, the common shape of bank documents and post registry
 * lines. `externalId` is stable for the same payment in any later file (the idempotency key with
 * the channel); `account` is the contract number column of a post registry.
 */
export type RegistryLine = {
  line: number;
  externalId: string;
  paidOn: LocalDate;
  amount: Tiyin;
  account: string | null;
  payer: string | null;
  payerInn: string | null;
  purpose: string | null;
};

/** Lines whose external id repeats within one file: one problem per repeat, naming the first line. */
export function duplicateLines(lines: readonly RegistryLine[]): FileProblem[] {
  const first = new Map<string, number>();
  const problems: FileProblem[] = [];
  for (const l of lines) {
    const seen = first.get(l.externalId);
    if (seen === undefined) first.set(l.externalId, l.line);
    else
      problems.push({
        line: l.line,
        code: 'duplicate_in_file',
        message: `The same payment as on line ${seen}`,
        value: l.externalId,
      });
  }
  return problems;
}

/**
 * Decodes a text file from a bank or post office: UTF-8 (with or without BOM) when it is valid
 * UTF-8, Windows-1251 otherwise (what Uzbek banks' and post offices' Windows software writes).
 */
export function decodeRegistryText(bytes: Uint8Array): string {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (hasBom) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}

/** Splits text into lines on CRLF, LF or CR. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}
