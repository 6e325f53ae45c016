import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type Tiyin, tiyin } from '../../../domain/money.ts';
import { fail, type PaymeFailure, type RpcId } from './payme.errors.ts';

// Payme Business's Merchant API as the merchant implements it (developer.help.paycom.uz, "Merchant
// API"): JSON-RPC 2.0 over HTTP POST, always answered with HTTP 200. This module is the pure part:
// request shapes, the error table, the account fields, the state machine and the answers. The
// database side is payme.service.ts; docs/decisions/006-payme.md records the choices.

/** A transaction still in state 1 this long after Payme created it is cancelled (reason 4). */
export const PAYME_TIMEOUT_MS = 43_200_000;
/** The largest amount one Payme transaction may carry: 1 000 000 000 so'm, as the cabinet's online payments. */
export const PAYME_MAX_AMOUNT: Tiyin = tiyin(100_000_000_000n);
/** The Basic-auth login Payme sends with the merchant key as the password. */
export const PAYME_LOGIN = 'Paycom';
/** The payment channel and intent provider Payme's payments are booked under. */
export const PAYME_CHANNEL = 'payme';

// ---- Requests ---------------------------------------------------------------------------------

const ZId = z.string().min(1).max(64);
const ZTime = z.number().int().nonnegative();
const ZAccount = z.record(z.string(), z.unknown());

/** The params of each method (named params only, as Payme sends them). */
export const PAYME_PARAMS = {
  CheckPerformTransaction: z.object({ amount: z.number(), account: ZAccount }),
  CreateTransaction: z.object({ id: ZId, time: ZTime, amount: z.number(), account: ZAccount }),
  PerformTransaction: z.object({ id: ZId }),
  CancelTransaction: z.object({ id: ZId, reason: z.number().int().min(1).max(10) }),
  CheckTransaction: z.object({ id: ZId }),
  GetStatement: z.object({ from: ZTime, to: ZTime }),
  ChangePassword: z.object({ password: z.string().min(1).max(256) }),
};

/** A method of the Merchant API. */
export type PaymeMethod = keyof typeof PAYME_PARAMS;

/** A well-formed request. */
export type PaymeRequest = {
  [M in PaymeMethod]: { method: M; params: z.infer<(typeof PAYME_PARAMS)[M]> };
}[PaymeMethod];

const isMethod = (m: string): m is PaymeMethod => Object.hasOwn(PAYME_PARAMS, m);

/** Parses a request body's text: the JSON value, or null when it is not JSON (−32700). */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The id of a JSON-RPC request, so that even an error answer names the request it refuses. */
export function idOf(value: unknown): RpcId {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'number' || typeof id === 'string' ? id : null;
}

/**
 * Checks a parsed body against JSON-RPC and the method's params: −32600 for a wrong shape (`data`
 * is the first wrong field), −32601 for an unknown method (`data` is its name).
 */
export function parseRequest(
  value: unknown,
): { ok: true; request: PaymeRequest } | ({ ok: false } & PaymeFailure) {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, ...fail('INVALID_REQUEST') };
  const body = value as { id?: unknown; method?: unknown; params?: unknown };
  if (typeof body.id !== 'number' && typeof body.id !== 'string')
    return { ok: false, ...fail('INVALID_REQUEST', 'id') };
  if (typeof body.method !== 'string') return { ok: false, ...fail('INVALID_REQUEST', 'method') };
  if (!isMethod(body.method)) return { ok: false, ...fail('METHOD_NOT_FOUND', body.method) };
  const parsed = PAYME_PARAMS[body.method].safeParse(body.params);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join('.') ?? '';
    return { ok: false, ...fail('INVALID_REQUEST', path ? `params.${path}` : 'params') };
  }
  return { ok: true, request: { method: body.method, params: parsed.data } as PaymeRequest };
}

// ---- Account and amount -----------------------------------------------------------------------

/** The account fields hisob takes: the contract number, the supplier's code, a cabinet intent's id. */
export type PaymeAccount = { number: string; supplier?: string; intent?: string };

/**
 * Reads `params.account`: `account` is the contract number exactly as given (a string: a number
 * would have lost its leading zeros, so it is refused); `supplier` (a tenant code) and `intent`
 * (digits) are optional, an empty value counting as absent.
 */
export function parseAccount(
  account: Record<string, unknown>,
): { ok: true; account: PaymeAccount } | PaymeFailure {
  const number = account.account;
  if (typeof number !== 'string' || number === '' || number.length > 64)
    return fail('ACCOUNT_NOT_FOUND', 'account');
  const out: PaymeAccount = { number };
  const supplier = account.supplier;
  if (supplier !== undefined && supplier !== null && supplier !== '') {
    if (typeof supplier !== 'string' || supplier.length > 32) return fail('ACCOUNT_NOT_FOUND', 'supplier');
    out.supplier = supplier;
  }
  const intent = account.intent;
  if (intent !== undefined && intent !== null && intent !== '') {
    const text = typeof intent === 'number' && Number.isSafeInteger(intent) ? String(intent) : intent;
    if (typeof text !== 'string' || !/^[1-9][0-9]{0,17}$/.test(text))
      return fail('INTENT_NOT_FOUND', 'intent');
    out.intent = text;
  }
  return { ok: true, account: out };
}

/** An amount in tiyin: a positive integer up to PAYME_MAX_AMOUNT; null otherwise (−31001). */
export function parseAmount(amount: number): Tiyin | null {
  if (!Number.isSafeInteger(amount) || amount <= 0) return null;
  const t = BigInt(amount);
  return t <= PAYME_MAX_AMOUNT ? tiyin(t) : null;
}

/** True when two JSON values are equal, whatever the order of object keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

// ---- States -----------------------------------------------------------------------------------

/** 1 created, 2 performed, −1 cancelled before perform, −2 cancelled after perform. */
export type PaymeState = 1 | 2 | -1 | -2;

/** Payme's cancel reasons (Reason). Any integer 1–10 is accepted; these are the named ones. */
export const PAYME_REASONS: Readonly<Record<number, string>> = {
  1: 'one or more receivers not found or inactive in Payme',
  2: 'debit failed in the processing centre',
  3: 'transaction failed',
  4: 'cancelled by timeout',
  5: 'refund',
  10: 'unknown error',
};

/** The reason Payme's timeout is recorded with. */
export const REASON_TIMEOUT = 4;

/** The reversal reason of a payment whose Payme transaction was cancelled with `reason`. */
export function reversalReason(reason: number): string {
  return `Payme CancelTransaction, reason ${reason} (${PAYME_REASONS[reason] ?? 'unnamed'})`;
}

/** Reads a stored state. */
export function toState(n: number): PaymeState {
  if (n === 1 || n === 2 || n === -1 || n === -2) return n;
  throw new Error(`Not a Payme state: ${n}`);
}

/** A Payme transaction as the state machine needs it. */
export type PaymeTx = {
  id: bigint;
  paymeId: string;
  /** Payme's creation time, ms. */
  time: number;
  amount: Tiyin;
  account: unknown;
  state: PaymeState;
  reason: number | null;
  createTime: number;
  performTime: number | null;
  cancelTime: number | null;
};

/**
 * True when a transaction waiting in state 1 is past Payme's timeout: 12 hours from its creation
 * in Payme Business (`time`), as developer.help.paycom.uz counts it.
 */
export function isExpired(tx: Pick<PaymeTx, 'state' | 'time'>, nowMs: number): boolean {
  return tx.state === 1 && nowMs - tx.time > PAYME_TIMEOUT_MS;
}

/** A new transaction Payme created more than 12 hours ago is not taken (−31008). */
export function isTooOld(time: number, nowMs: number): boolean {
  return nowMs - time > PAYME_TIMEOUT_MS;
}

/** What CreateTransaction does with a transaction id it already has. */
export type CreateRepeat = 'answer' | 'expire' | 'refuse';

/** A repeat create answers the same while the transaction waits; past the timeout it is cancelled. */
export function decideCreateRepeat(tx: Pick<PaymeTx, 'state' | 'time'>, nowMs: number): CreateRepeat {
  if (tx.state !== 1) return 'refuse';
  return isExpired(tx, nowMs) ? 'expire' : 'answer';
}

/** What PerformTransaction does. */
export type PerformDecision = 'perform' | 'answer' | 'expire' | 'refuse';

/** Perform a waiting transaction (unless timed out), answer a performed one again, refuse a cancelled one. */
export function decidePerform(tx: Pick<PaymeTx, 'state' | 'time'>, nowMs: number): PerformDecision {
  switch (tx.state) {
    case 1:
      return isExpired(tx, nowMs) ? 'expire' : 'perform';
    case 2:
      return 'answer';
    case -1:
    case -2:
      return 'refuse';
  }
}

/** What CancelTransaction does. */
export type CancelDecision = 'cancel_created' | 'cancel_performed' | 'answer';

/**
 * Cancel a waiting transaction (−1) or a performed one (−2: a utility top-up can always be undone
 * by reversing its payment, so −31007 is never answered); a cancelled one is answered again.
 */
export function decideCancel(tx: Pick<PaymeTx, 'state'>): CancelDecision {
  switch (tx.state) {
    case 1:
      return 'cancel_created';
    case 2:
      return 'cancel_performed';
    case -1:
    case -2:
      return 'answer';
  }
}

// ---- Answers ----------------------------------------------------------------------------------

/** CreateTransaction's result. */
export const createResult = (tx: PaymeTx) => ({
  create_time: tx.createTime,
  transaction: String(tx.id),
  state: tx.state,
});

/** PerformTransaction's result. */
export const performResult = (tx: PaymeTx) => ({
  transaction: String(tx.id),
  perform_time: tx.performTime ?? 0,
  state: tx.state,
});

/** CancelTransaction's result. */
export const cancelResult = (tx: PaymeTx) => ({
  transaction: String(tx.id),
  cancel_time: tx.cancelTime ?? 0,
  state: tx.state,
});

/** CheckTransaction's result: times not reached are 0, the reason null until cancelled. */
export const checkResult = (tx: PaymeTx) => ({
  create_time: tx.createTime,
  perform_time: tx.performTime ?? 0,
  cancel_time: tx.cancelTime ?? 0,
  transaction: String(tx.id),
  state: tx.state,
  reason: tx.reason,
});

/** One transaction of GetStatement. */
export const statementEntry = (tx: PaymeTx) => ({
  id: tx.paymeId,
  time: tx.time,
  amount: Number(tx.amount),
  account: tx.account,
  ...checkResult(tx),
});

// ---- Authorization ----------------------------------------------------------------------------

/** SHA-256 of a key, hex. */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The key ChangePassword stored: its digest, and the digest of the PAYME_KEY it replaced. */
export type StoredKey = { keySha256: string; envKeySha256: string };

/**
 * The digest of the key Payme must send, or null when Payme is switched off (PAYME_KEY unset).
 * The key Payme set through ChangePassword wins over PAYME_KEY as long as PAYME_KEY is still the
 * one it replaced; an operator who sets a new PAYME_KEY takes the key back.
 */
export function keyInForce(envKey: string | undefined, stored: StoredKey | undefined): string | null {
  if (!envKey) return null;
  const env = keyDigest(envKey);
  return stored && stored.envKeySha256 === env ? stored.keySha256 : env;
}

/**
 * True when an Authorization header is `Basic base64(Paycom:<key>)` with the key in force. The
 * keys are compared as SHA-256 digests with timingSafeEqual: equal lengths, constant time.
 */
export function isAuthorized(header: string | undefined, digestHex: string | null): boolean {
  if (!digestHex || !header) return false;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const login = decoded.slice(0, colon);
  const given = createHash('sha256')
    .update(decoded.slice(colon + 1), 'utf8')
    .digest();
  const expected = Buffer.from(digestHex, 'hex');
  const keyOk = expected.length === given.length && timingSafeEqual(given, expected);
  return keyOk && login === PAYME_LOGIN;
}
