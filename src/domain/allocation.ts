import { AppError } from './errors.ts';
import { minMoney, sumMoney, type Tiyin, tiyin, ZERO_TIYIN } from './money.ts';
import type { Period } from './period.ts';

// Payments, advances and allocation (billing-rules §8). Pure: the services load the open items,
// call these functions and store what they return.

/** Line kinds in the order a payment covers them within one posting period (billing-rules §8). */
export const LINE_KIND_ORDER = [
  'energy',
  'overconsumption',
  'recalculation',
  'correction',
  'reactive',
  'illegal_use',
  'penalty',
] as const;

/** The kind of a charge line. */
export type LineKind = (typeof LINE_KIND_ORDER)[number];

/** A charge not yet fully covered: `amount` > 0, `paid` in 0..amount. */
export type OpenItem = {
  readonly id: string;
  /** Posting period (a recalculation line posts in the period that bills it, not the one it corrects). */
  readonly period: Period;
  readonly kind: LineKind;
  /** Posting order within the account. */
  readonly seq: number;
  /** The charge, > 0. */
  readonly amount: Tiyin;
  /** Covered so far, 0..amount. */
  readonly paid: Tiyin;
};

/** Money given to one item by one payment (or credit). */
export type Allocation = { readonly itemId: string; readonly amount: Tiyin };

/** What a payment covered and what is left as an advance. */
export type AllocationResult = { readonly allocations: Allocation[]; readonly left: Tiyin };

const KIND_RANK: ReadonlyMap<LineKind, number> = new Map(LINE_KIND_ORDER.map((k, i) => [k, i]));

function kindRank(kind: LineKind): number {
  return KIND_RANK.get(kind) ?? LINE_KIND_ORDER.length;
}

/** Compares two items in allocation order: posting period, then line kind, then posting order. */
export function compareItems(a: Pick<OpenItem, 'period' | 'kind' | 'seq'>, b: typeof a): number {
  if (a.period !== b.period) return a.period < b.period ? -1 : 1;
  const byKind = kindRank(a.kind) - kindRank(b.kind);
  if (byKind !== 0) return byKind;
  return a.seq - b.seq;
}

/** A copy of the items in allocation order: oldest posting period first, then by kind, then by seq. */
export function orderItems<T extends Pick<OpenItem, 'period' | 'kind' | 'seq'>>(items: readonly T[]): T[] {
  return [...items].sort(compareItems);
}

/** The part of an item not yet covered. */
export function unpaidOf(item: Pick<OpenItem, 'amount' | 'paid'>): Tiyin {
  return tiyin(item.amount - item.paid);
}

/**
 * Covers the unpaid parts of `items` in allocation order with `amount` (≥ 0); `left` is the advance.
 * Never gives an item more than its unpaid part; items with nothing unpaid get nothing.
 */
export function allocate(amount: Tiyin, items: readonly OpenItem[]): AllocationResult {
  if (amount < 0n) throw new RangeError(`cannot allocate a negative amount: ${amount}`);
  const allocations: Allocation[] = [];
  let left = amount;
  for (const item of orderItems(items)) {
    if (left === 0n) break;
    const unpaid = unpaidOf(item);
    if (unpaid <= 0n) continue;
    const given = minMoney(left, unpaid);
    allocations.push({ itemId: item.id, amount: given });
    left = tiyin(left - given);
  }
  return { allocations, left };
}

/** The items with the allocations added to their `paid` (items not mentioned are unchanged). */
export function applyAllocations(items: readonly OpenItem[], allocations: readonly Allocation[]): OpenItem[] {
  const extra = new Map<string, bigint>();
  for (const a of allocations) extra.set(a.itemId, (extra.get(a.itemId) ?? 0n) + a.amount);
  return items.map((item) => {
    const add = extra.get(item.id);
    return add === undefined ? item : { ...item, paid: tiyin(item.paid + add) };
  });
}

/** A posted charge line of any sign, before it becomes an open item or a credit. */
export type ChargeLine = {
  readonly id: string;
  readonly period: Period;
  readonly kind: LineKind;
  readonly seq: number;
  readonly amount: Tiyin;
};

/** A negative charge line turned into money that covers open items like a payment. */
export type Credit = { readonly lineId: string; readonly period: Period; readonly amount: Tiyin };

/**
 * Splits posted lines into open items (positive lines, nothing paid yet) and credits (negative
 * lines, as a positive amount); zero lines are dropped. A credit is not an open item: the caller
 * allocates `credit.amount` exactly like a payment dated at the close of `credit.period`
 * (billing-rules §4, last bullet), after that period's positive lines are posted.
 */
export function splitCharges(lines: readonly ChargeLine[]): { items: OpenItem[]; credits: Credit[] } {
  const items: OpenItem[] = [];
  const credits: Credit[] = [];
  for (const line of lines) {
    if (line.amount > 0n) items.push({ ...line, paid: ZERO_TIYIN });
    else if (line.amount < 0n)
      credits.push({ lineId: line.id, period: line.period, amount: tiyin(-line.amount) });
  }
  return { items, credits };
}

/** The state of a stored payment. */
export type PaymentStatus = 'booked' | 'reversed' | 'unmatched';

/** The stored payment with the same (channel, external id), as far as a repeat cares. */
export type ExistingPayment = { readonly amount: Tiyin; readonly status: PaymentStatus };

/**
 * Decides what an incoming payment with a known (channel, external id) is: 'new' when none is
 * stored, 'duplicate' (accept, change nothing) for the same amount; PAYMENT_CONFLICT otherwise.
 */
export function decidePaymentRepeat(
  existing: ExistingPayment | undefined,
  incoming: Tiyin,
): 'new' | 'duplicate' {
  if (existing === undefined) return 'new';
  if (existing.amount === incoming) return 'duplicate';
  throw new AppError('PAYMENT_CONFLICT', 'A payment with this channel and id exists with another amount', {
    existingAmount: existing.amount.toString(),
    incomingAmount: incoming.toString(),
    status: existing.status,
  });
}

/** What reversing a payment does: reopen the items it covered, or void a payment never matched. */
export type ReversalAction = 'reopen_items' | 'void_unmatched';

/** Decides a reversal; PAYMENT_NOT_FOUND for an unknown payment, PAYMENT_ALREADY_REVERSED for a reversed one. */
export function decideReversal(existing: Pick<ExistingPayment, 'status'> | undefined): ReversalAction {
  if (existing === undefined) throw new AppError('PAYMENT_NOT_FOUND', 'No such payment to reverse');
  switch (existing.status) {
    case 'booked':
      return 'reopen_items';
    case 'unmatched':
      return 'void_unmatched';
    case 'reversed':
      throw new AppError('PAYMENT_ALREADY_REVERSED', 'The payment is already reversed');
    default: {
      const never: never = existing.status;
      throw new Error(`unknown payment status ${String(never)}`);
    }
  }
}

/** Balance = charges − payments: positive is debt, negative is advance (billing-rules §8). */
export function balanceOf(charges: Iterable<Tiyin>, payments: Iterable<Tiyin>): Tiyin {
  return tiyin(sumMoney(charges) - sumMoney(payments));
}
