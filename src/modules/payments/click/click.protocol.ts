import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { parseMoney, type Tiyin } from '../../../domain/money.ts';

// Click's SHOP API as published at docs.click.uz ("Click-API – Request", "Click-API – Error"):
// Click's servers POST form-encoded Prepare (action 0) and Complete (action 1) requests, each
// signed with md5 over the fields and the supplier's secret key, and expect a JSON answer with an
// error code from a fixed list. Pure: no I/O.

/** Click's action codes. */
export const CLICK_ACTION = { prepare: '0', complete: '1' } as const;

/** The answers Click knows, with the code and note its documentation gives them. */
export const CLICK_OUTCOMES = {
  success: { error: 0, note: 'Success' },
  signCheckFailed: { error: -1, note: 'SIGN CHECK FAILED!' },
  incorrectAmount: { error: -2, note: 'Incorrect parameter amount' },
  actionNotFound: { error: -3, note: 'Action not found' },
  alreadyPaid: { error: -4, note: 'Already paid' },
  userNotFound: { error: -5, note: 'User does not exist' },
  transactionNotFound: { error: -6, note: 'Transaction does not exist' },
  failedToUpdateUser: { error: -7, note: 'Failed to update user' },
  badRequest: { error: -8, note: 'Error in request from click' },
  transactionCancelled: { error: -9, note: 'Transaction cancelled' },
} as const;

/** One of Click's answers. */
export type ClickOutcome = keyof typeof CLICK_OUTCOMES;

// Every value arrives as text; the signature is over the texts exactly as sent, so nothing is
// converted before it is checked. Ids stay within PostgreSQL's bigint (18 digits always fit).
const ZId = z.string().regex(/^[0-9]{1,18}$/);

/** The fields of a Prepare request (action 0). */
export const ZClickPrepareRequest = z.object({
  click_trans_id: ZId,
  service_id: ZId,
  /** Click's payment number shown to the payer; not signed, kept for reconciliation. */
  click_paydoc_id: ZId.optional(),
  /** The personal account (contract number), exactly as the payer typed it. */
  merchant_trans_id: z.string().min(1).max(255),
  /** So'm, as Click formats it ("1000", "1000.5", "1000.00"); checked after the signature. */
  amount: z.string().min(1).max(40),
  /** Checked after the signature (a wrong action answers −3, not −8). */
  action: z.string().min(1).max(10),
  /** 0, or Click's negative code when the debit failed. */
  error: z.string().regex(/^-?[0-9]{1,10}$/),
  error_note: z.string().max(2000).optional(),
  /** "YYYY-MM-DD HH:mm:ss", signed as sent. */
  sign_time: z.string().min(1).max(64),
  sign_string: z.string().min(1).max(64),
});

/** The fields of a Complete request (action 1): Prepare's plus the id our Prepare answered. */
export const ZClickCompleteRequest = ZClickPrepareRequest.extend({
  merchant_prepare_id: z.string().min(1).max(40),
});

/** A Prepare request whose fields are all present. */
export type ClickPrepareRequest = z.infer<typeof ZClickPrepareRequest>;
/** A Complete request whose fields are all present. */
export type ClickCompleteRequest = z.infer<typeof ZClickCompleteRequest>;

/** The text Click signs for a Prepare: click_trans_id service_id SECRET merchant_trans_id amount action sign_time. */
export function prepareSignSource(r: ClickPrepareRequest, secretKey: string): string {
  return `${r.click_trans_id}${r.service_id}${secretKey}${r.merchant_trans_id}${r.amount}${r.action}${r.sign_time}`;
}

/** The text Click signs for a Complete: as Prepare's, with merchant_prepare_id after merchant_trans_id. */
export function completeSignSource(r: ClickCompleteRequest, secretKey: string): string {
  return `${r.click_trans_id}${r.service_id}${secretKey}${r.merchant_trans_id}${r.merchant_prepare_id}${r.amount}${r.action}${r.sign_time}`;
}

/** Lower-case hex md5 of the UTF-8 text. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Whether `signString` (Click's sign_string, any letter case) is the md5 of `source`; constant time. */
export function signMatches(source: string, signString: string): boolean {
  const expected = Buffer.from(md5Hex(source), 'utf8');
  const given = Buffer.from(signString.toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Click's amount in so'm as tiyin: "1000", "1000.5", "1000.00" (and "1000.000": decimals past the
 * second must be zeros). Null when it is not a positive amount of whole tiyin — never a float.
 */
export function parseClickAmount(text: string): Tiyin | null {
  const m = /^([0-9]{1,15})(?:\.([0-9]{1,10}))?$/.exec(text);
  if (!m) return null;
  const [, whole = '', frac = ''] = m;
  if (/[^0]/.test(frac.slice(2))) return null;
  const amount = parseMoney(frac === '' ? whole : `${whole}.${frac.slice(0, 2)}`);
  return amount > 0n ? amount : null;
}

/** Click's id from a form value, when it is one. */
export function clickIdOf(value: unknown): bigint | null {
  return typeof value === 'string' && ZId.safeParse(value).success ? BigInt(value) : null;
}

/** The answer to a Prepare. */
export type ClickPrepareAnswer = {
  click_trans_id: bigint | null;
  merchant_trans_id: string | null;
  merchant_prepare_id: bigint | null;
  error: number;
  error_note: string;
};

/** The answer to a Complete. */
export type ClickCompleteAnswer = {
  click_trans_id: bigint | null;
  merchant_trans_id: string | null;
  merchant_confirm_id: bigint | null;
  error: number;
  error_note: string;
};

/** The fields of Click's request that every answer echoes, taken from whatever was sent. */
function echoed(body: unknown): { click_trans_id: bigint | null; merchant_trans_id: string | null } {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const account = fields.merchant_trans_id;
  return {
    click_trans_id: clickIdOf(fields.click_trans_id),
    merchant_trans_id: typeof account === 'string' ? account : null,
  };
}

/** The answer to Prepare request `body` with `outcome` and our id of the prepared transaction. */
export function prepareAnswer(
  body: unknown,
  outcome: ClickOutcome,
  prepareId: bigint | null,
): ClickPrepareAnswer {
  const { error, note } = CLICK_OUTCOMES[outcome];
  return { ...echoed(body), merchant_prepare_id: prepareId, error, error_note: note };
}

/** The answer to Complete request `body` with `outcome` and our id of the booked payment. */
export function completeAnswer(
  body: unknown,
  outcome: ClickOutcome,
  confirmId: bigint | null,
): ClickCompleteAnswer {
  const { error, note } = CLICK_OUTCOMES[outcome];
  return { ...echoed(body), merchant_confirm_id: confirmId, error, error_note: note };
}

/**
 * The answer as JSON text. Ids are written as JSON numbers with all their digits (Click documents
 * them as integers; a bigint must not pass through a float on the way).
 */
export function encodeClickAnswer(answer: ClickPrepareAnswer | ClickCompleteAnswer): string {
  const parts = Object.entries(answer).map(
    ([key, value]) =>
      `${JSON.stringify(key)}:${typeof value === 'bigint' ? value.toString() : JSON.stringify(value)}`,
  );
  return `{${parts.join(',')}}`;
}
