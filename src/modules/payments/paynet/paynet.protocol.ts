import { createHash, timingSafeEqual } from 'node:crypto';
import { type Tiyin, tiyin } from '../../../domain/money.ts';
import { fail, type PaynetFailure, type RpcId } from './paynet.errors.ts';

// Paynet's provider web service as the service provider implements it (UZPAYNET, "Спецификация
// универсального WEB-сервиса поставщика услуг", JSON-RPC 2.0): Paynet's servers POST JSON-RPC
// calls with HTTP Basic credentials the provider chose. This module is the pure part: request
// shapes and the codes they fail with, the account fields, Tashkent timestamps, the answers and
// the credential check. The database side is paynet.service.ts; docs/decisions/010-paynet.md
// records the choices.

/** The payment channel Paynet's payments are booked under. */
export const PAYNET_CHANNEL = 'paynet';
/** The largest amount one Paynet transaction may carry: 1 000 000 000 so'm, as Payme's. */
export const PAYNET_MAX_AMOUNT: Tiyin = tiyin(100_000_000_000n);
/** Paynet's transactionId is a Java long. */
const MAX_LONG = 9_223_372_036_854_775_807n;

// ---- Requests ---------------------------------------------------------------------------------

/** The methods of the provider web service hisob implements (ChangePassword is not one). */
export const PAYNET_METHODS = [
  'GetInformation',
  'PerformTransaction',
  'CheckTransaction',
  'CancelTransaction',
  'GetStatement',
] as const;

/** A method of the provider web service. */
export type PaynetMethod = (typeof PAYNET_METHODS)[number];

/** The account fields hisob takes: the contract number and, optionally, the supplier's code. */
export type PaynetAccount = { number: string; supplier?: string };

/** A well-formed request, its params read and checked. */
export type PaynetRequest =
  | { method: 'GetInformation'; params: { serviceId: bigint; account: PaynetAccount } }
  | {
      method: 'PerformTransaction';
      params: {
        serviceId: bigint;
        /** Paynet's transactionId as canonical decimal digits. */
        transactionId: string;
        amount: Tiyin;
        /** Paynet's transactionTime, when it sent one. */
        transactionTime: Date | null;
        account: PaynetAccount;
        /** The `fields` object exactly as sent, kept with the transaction. */
        fields: Record<string, unknown>;
      };
    }
  | { method: 'CheckTransaction'; params: { serviceId: bigint; transactionId: string } }
  | { method: 'CancelTransaction'; params: { serviceId: bigint; transactionId: string } }
  | { method: 'GetStatement'; params: { serviceId: bigint; dateFrom: Date; dateTo: Date } };

const isMethod = (m: string): m is PaynetMethod => (PAYNET_METHODS as readonly string[]).includes(m);

/** Parses a request body's text: the JSON value, or not ok when it is not JSON (−32700). */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The id of a JSON-RPC request, so that even an error answer names the request it refuses. */
export function idOf(value: unknown): RpcId {
  if (!isObject(value)) return null;
  const id = value.id;
  return typeof id === 'number' || typeof id === 'string' ? id : null;
}

type Parsed<T> = { ok: true; value: T } | ({ ok: false } & PaynetFailure);
const bad = (f: PaynetFailure): { ok: false } & PaynetFailure => ({ ok: false, ...f });

/** A long: a JSON integer (safe) or its decimal digits as a string; −32602 otherwise. */
function readLong(params: Record<string, unknown>, name: string, min: bigint): Parsed<bigint> {
  const v = params[name];
  if (v === undefined || v === null || v === '') return bad(fail('PARAMETER_MISSING', name));
  let n: bigint | null = null;
  if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^[0-9]{1,19}$/.test(v)) n = BigInt(v);
  if (n === null || n < min || n > MAX_LONG) return bad(fail('INVALID_PARAMS', name));
  return { ok: true, value: n };
}

/** An amount in tiyin: a JSON integer from 1 to PAYNET_MAX_AMOUNT; 413 otherwise. */
export function parseAmount(v: unknown): Tiyin | null {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) return null;
  const t = BigInt(v);
  return t <= PAYNET_MAX_AMOUNT ? tiyin(t) : null;
}

/** A date-time param (Tashkent time): null when absent, 414 when not one of our formats. */
function readTime(params: Record<string, unknown>, name: string): Parsed<Date | null> {
  const v = params[name];
  if (v === undefined || v === null || v === '') return { ok: true, value: null };
  const t = typeof v === 'string' ? parseTimestamp(v) : null;
  return t ? { ok: true, value: t } : bad(fail('WRONG_DATE', name));
}

/** A required date-time param: 411 when absent, else as readTime. */
function readRequiredTime(params: Record<string, unknown>, name: string): Parsed<Date> {
  const t = readTime(params, name);
  if (!t.ok) return t;
  return t.value ? { ok: true, value: t.value } : bad(fail('PARAMETER_MISSING', name));
}

/**
 * Reads `params.fields`: `account` is the contract number exactly as given (a string: a number
 * would have lost its leading zeros, so it is refused as an unknown client); `supplier` (a
 * tenant code) is optional, an empty value counting as absent.
 */
export function parseAccount(fields: unknown): Parsed<PaynetAccount> {
  if (fields === undefined || fields === null) return bad(fail('PARAMETER_MISSING', 'fields'));
  if (!isObject(fields)) return bad(fail('INVALID_PARAMS', 'fields'));
  const number = fields.account;
  if (number === undefined || number === null || number === '')
    return bad(fail('PARAMETER_MISSING', 'fields.account'));
  if (typeof number !== 'string' || number.length > 64)
    return bad(fail('CLIENT_NOT_FOUND', 'fields.account'));
  const supplier = fields.supplier;
  if (supplier === undefined || supplier === null || supplier === '') return { ok: true, value: { number } };
  if (typeof supplier !== 'string' || supplier.length > 32)
    return bad(fail('CLIENT_NOT_FOUND', 'fields.supplier'));
  return { ok: true, value: { number, supplier } };
}

/**
 * Checks a parsed body against JSON-RPC and the method's params: −32600 for a wrong envelope,
 * −32601 for an unknown method (`data` is its name), then per param in the order of the method's
 * table: 411 when a required one is missing, −32602 when an id is not a long, 413 for an amount
 * that is not a positive whole number of tiyin, 414 for a date-time that is not one.
 */
export function parseRequest(value: unknown): Parsed<PaynetRequest> {
  if (!isObject(value)) return bad(fail('INVALID_REQUEST'));
  if (typeof value.id !== 'number' && typeof value.id !== 'string') return bad(fail('INVALID_REQUEST', 'id'));
  if (typeof value.method !== 'string') return bad(fail('INVALID_REQUEST', 'method'));
  const method = value.method;
  if (!isMethod(method)) return bad(fail('METHOD_NOT_FOUND', method));
  const params = value.params;
  if (params === undefined || params === null) return bad(fail('PARAMETER_MISSING', 'params'));
  if (!isObject(params)) return bad(fail('INVALID_PARAMS', 'params'));
  const serviceId = readLong(params, 'serviceId', 0n);
  if (!serviceId.ok) return serviceId;
  switch (method) {
    case 'GetInformation': {
      const account = parseAccount(params.fields);
      if (!account.ok) return account;
      return { ok: true, value: { method, params: { serviceId: serviceId.value, account: account.value } } };
    }
    case 'PerformTransaction': {
      const id = readLong(params, 'transactionId', 1n);
      if (!id.ok) return id;
      if (params.amount === undefined || params.amount === null)
        return bad(fail('PARAMETER_MISSING', 'amount'));
      const amount = parseAmount(params.amount);
      if (amount === null) return bad(fail('WRONG_AMOUNT', 'amount'));
      const time = readTime(params, 'transactionTime');
      if (!time.ok) return time;
      const account = parseAccount(params.fields);
      if (!account.ok) return account;
      const fields = params.fields as Record<string, unknown>;
      return {
        ok: true,
        value: {
          method,
          params: {
            serviceId: serviceId.value,
            transactionId: String(id.value),
            amount,
            transactionTime: time.value,
            account: account.value,
            fields,
          },
        },
      };
    }
    case 'CheckTransaction':
    case 'CancelTransaction': {
      const id = readLong(params, 'transactionId', 1n);
      if (!id.ok) return id;
      return {
        ok: true,
        value: { method, params: { serviceId: serviceId.value, transactionId: String(id.value) } },
      };
    }
    case 'GetStatement': {
      const from = readRequiredTime(params, 'dateFrom');
      if (!from.ok) return from;
      const to = readRequiredTime(params, 'dateTo');
      if (!to.ok) return to;
      return {
        ok: true,
        value: { method, params: { serviceId: serviceId.value, dateFrom: from.value, dateTo: to.value } },
      };
    }
    default: {
      const never: never = method;
      throw new Error(`Unhandled Paynet method ${String(never)}`);
    }
  }
}

// ---- Tashkent timestamps ----------------------------------------------------------------------

// Asia/Tashkent is UTC+5 all year (no daylight saving since 1992).
const TASHKENT_OFFSET_MS = 5 * 3_600_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Reads Paynet's date-time, Tashkent time: "YYYY-MM-DD HH:mm:ss" as the specification's tables
 * write it, or "DD.MM.YYYY HH:mm:ss" as some of its examples do. Null when it is neither, or not
 * a real moment (2025-02-29, 24:00:00).
 */
export function parseTimestamp(text: string): Date | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const ru = iso ? null : /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const m = iso ?? ru;
  if (!m) return null;
  const [y, mo, d] = iso ? [m[1], m[2], m[3]] : [m[3], m[2], m[1]];
  const [year, month, day, h, mi, s] = [y, mo, d, m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 2000 || year > 2199 || month < 1 || month > 12 || h > 23 || mi > 59 || s > 59) return null;
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return new Date(Date.UTC(year, month - 1, day, h, mi, s) - TASHKENT_OFFSET_MS);
}

/** A moment as Paynet's date-time, Tashkent time: "YYYY-MM-DD HH:mm:ss" (milliseconds dropped). */
export function formatTimestamp(t: Date): string {
  const l = new Date(t.getTime() + TASHKENT_OFFSET_MS);
  return (
    `${pad(l.getUTCFullYear(), 4)}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())} ` +
    `${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())}`
  );
}

// ---- States and answers -----------------------------------------------------------------------

/** Paynet's transactionState: 1 performed, 2 cancelled, 3 not found (CheckTransaction only). */
export type PaynetState = 1 | 2;

/** Reads a stored state. */
export function toState(n: number): PaynetState {
  if (n === 1 || n === 2) return n;
  throw new Error(`Not a Paynet state: ${n}`);
}

/** A Paynet transaction as the answers need it. */
export type PaynetTx = {
  /** Our id: Paynet's providerTrnId. */
  id: bigint;
  transactionId: string;
  amount: Tiyin;
  state: PaynetState;
  performTime: Date;
  cancelTime: Date | null;
};

/** What CancelTransaction does: cancel a performed transaction, refuse a cancelled one (202). */
export function decideCancel(tx: Pick<PaynetTx, 'state'>): 'cancel' | 'already_cancelled' {
  switch (tx.state) {
    case 1:
      return 'cancel';
    case 2:
      return 'already_cancelled';
  }
}

/** The reversal reason of a payment whose Paynet transaction was cancelled. */
export function reversalReason(transactionId: string): string {
  return `Paynet CancelTransaction, transactionId ${transactionId}`;
}

/** A long as a JSON number; ids and amounts here stay far below 2^53. */
export function jsonLong(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new Error(`${n} does not fit a JSON number exactly`);
  return Number(n);
}

/** Paynet's transactionId as sent back: a JSON number when it is one exactly, else its digits. */
const transactionIdOut = (id: string): number | string => {
  const n = BigInt(id);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : id;
};

/**
 * The payer's balance as Paynet shows it, in tiyin: what the payer has paid beyond the charges
 * (an advance is positive, a debt negative) — the opposite sign of hisob's balance.
 */
export const payerBalance = (hisobBalance: bigint): number => jsonLong(-hisobBalance);

/** GetInformation's result: status "0", the time, and what the agent shows the payer. */
export const informationResult = (
  now: Date,
  f: { account: string; supplier: string; name: string; balance: bigint },
) => ({
  status: '0',
  timestamp: formatTimestamp(now),
  fields: { account: f.account, supplier: f.supplier, name: f.name, balance: payerBalance(f.balance) },
});

/** PerformTransaction's result: our id, the perform time, the account and the balance after it. */
export const performResult = (tx: PaynetTx, f: { account: string; balance: bigint }) => ({
  providerTrnId: jsonLong(tx.id),
  timestamp: formatTimestamp(tx.performTime),
  fields: { account: f.account, balance: payerBalance(f.balance) },
});

/** CheckTransaction's result; an unknown transaction is state 3 with providerTrnId 0. */
export const checkResult = (tx: PaynetTx | undefined, now: Date) =>
  tx
    ? {
        providerTrnId: jsonLong(tx.id),
        timestamp: formatTimestamp(tx.cancelTime ?? tx.performTime),
        transactionState: tx.state,
      }
    : { providerTrnId: 0, timestamp: formatTimestamp(now), transactionState: 3 };

/** CancelTransaction's result. */
export const cancelResult = (tx: PaynetTx) => ({
  providerTrnId: jsonLong(tx.id),
  timestamp: formatTimestamp(tx.cancelTime ?? tx.performTime),
  transactionState: tx.state,
});

/** One transaction of GetStatement. */
export const statementEntry = (tx: PaynetTx) => ({
  amount: jsonLong(tx.amount),
  providerTrnId: jsonLong(tx.id),
  transactionId: transactionIdOut(tx.transactionId),
  timestamp: formatTimestamp(tx.performTime),
});

// ---- Authorization ----------------------------------------------------------------------------

/** SHA-256 of `login:password`, or null when either is unset (Paynet is switched off). */
export function credentialsDigest(login: string | undefined, password: string | undefined): Buffer | null {
  if (!login || !password) return null;
  return createHash('sha256').update(`${login}:${password}`, 'utf8').digest();
}

/**
 * True when an Authorization header is `Basic base64(login:password)` with the configured
 * credentials. Compared as SHA-256 digests with timingSafeEqual: equal lengths, constant time.
 */
export function isAuthorized(header: string | undefined, digest: Buffer | null): boolean {
  if (!digest || !header) return false;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  if (!decoded.includes(':')) return false;
  const given = createHash('sha256').update(decoded, 'utf8').digest();
  return timingSafeEqual(given, digest);
}
