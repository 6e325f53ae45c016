import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import {
  allocate,
  decidePaymentRepeat,
  decideReversal,
  type LineKind,
  type OpenItem,
} from '../../domain/allocation.ts';
import { AppError } from '../../domain/errors.ts';
import { type Tiyin, tiyin } from '../../domain/money.ts';
import type { LocalDate, Period } from '../../domain/period.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';

/** A payment from a channel. */
export type PaymentInput = {
  tenantId: bigint;
  contractId: bigint;
  channel: string;
  externalId: string;
  amount: Tiyin;
  paidOn: LocalDate;
};

/** What booking did: the payment, whether it was a repeat, and how much went to open items. */
export type BookedPayment = { paymentId: bigint; duplicate: boolean; allocated: Tiyin };

/**
 * Books a payment once per (channel, external id): a repeat with the same amount changes nothing,
 * another amount is PAYMENT_CONFLICT (billing-rules §8). The money covers the account's open items
 * in order; the rest stays as an advance. Safe under concurrent repeats (insert … on conflict).
 */
export async function bookPayment(
  trx: Transaction<DB>,
  actor: Actor,
  p: PaymentInput,
): Promise<BookedPayment> {
  if (p.amount <= 0n)
    throw new AppError('INVALID_MONEY', 'A payment is a positive amount', { value: String(p.amount) });
  const inserted = await trx
    .insertInto('payment')
    .values({
      tenant_id: p.tenantId,
      contract_id: p.contractId,
      channel: p.channel,
      external_id: p.externalId,
      amount: p.amount,
      paid_on: p.paidOn,
      created_by: actor.type === 'user' && actor.id ? BigInt(actor.id) : null,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'channel', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await trx
      .selectFrom('payment')
      .select(['id', 'amount', 'status'])
      .where('tenant_id', '=', p.tenantId)
      .where('channel', '=', p.channel)
      .where('external_id', '=', p.externalId)
      .executeTakeFirstOrThrow();
    decidePaymentRepeat({ amount: tiyin(existing.amount), status: existing.status as 'booked' }, p.amount);
    return { paymentId: existing.id, duplicate: true, allocated: tiyin(0n) };
  }
  await writeAudit(trx, actor, {
    action: 'payment.book',
    entity: 'payment',
    entityId: inserted.id,
    tenantId: p.tenantId,
    orgUnitPath: await contractPath(trx, p.contractId),
    after: {
      contract_id: p.contractId,
      channel: p.channel,
      external_id: p.externalId,
      amount: p.amount,
      paid_on: p.paidOn,
    },
  });
  const allocated = await applyAdvances(trx, p.contractId, p.paidOn);
  return { paymentId: inserted.id, duplicate: false, allocated };
}

/**
 * Reverses a booked payment by an explicit entry: its allocations are undone by negative rows
 * dated `reversedOn` (the items are unpaid again from then on) and any advance covers them at once.
 */
export async function reversePayment(
  trx: Transaction<DB>,
  actor: Actor,
  r: { tenantId: bigint; channel: string; externalId: string; reason: string; reversedOn: LocalDate },
): Promise<void> {
  const payment = await trx
    .selectFrom('payment')
    .selectAll()
    .where('tenant_id', '=', r.tenantId)
    .where('channel', '=', r.channel)
    .where('external_id', '=', r.externalId)
    .forUpdate()
    .executeTakeFirst();
  decideReversal(payment ? { status: payment.status as 'booked' | 'reversed' | 'unmatched' } : undefined);
  if (!payment) return; // decideReversal has thrown
  const net = await trx
    .selectFrom('allocation')
    .select(['bill_line_id', sql<bigint>`sum(amount)`.as('amount')])
    .where('payment_id', '=', payment.id)
    .groupBy('bill_line_id')
    .having(sql`sum(amount)`, '>', 0n)
    .execute();
  if (net.length > 0) {
    await trx
      .insertInto('allocation')
      .values(
        net.map((a) => ({
          payment_id: payment.id,
          bill_line_id: a.bill_line_id,
          amount: -a.amount,
          allocated_on: r.reversedOn,
        })),
      )
      .execute();
  }
  await trx
    .updateTable('payment')
    .set({ status: 'reversed', reversed_on: r.reversedOn, reversal_reason: r.reason })
    .where('id', '=', payment.id)
    .execute();
  await writeAudit(trx, actor, {
    action: 'payment.reverse',
    entity: 'payment',
    entityId: payment.id,
    tenantId: r.tenantId,
    orgUnitPath: payment.contract_id === null ? null : await contractPath(trx, payment.contract_id),
    before: { status: payment.status },
    after: { status: 'reversed', reversed_on: r.reversedOn, reason: r.reason },
  });
  if (payment.contract_id !== null) await applyAdvances(trx, payment.contract_id, r.reversedOn);
}

/**
 * Lets every unallocated booked payment of an account (oldest first) cover its open items, dated
 * `on`. Called after a payment, a reversal, and when new charges are posted. Returns what it allocated.
 */
export async function applyAdvances(trx: Transaction<DB>, contractId: bigint, on: LocalDate): Promise<Tiyin> {
  // Lock the account's payments so two bookings for one account allocate one after the other.
  const payments = await trx
    .selectFrom('payment as p')
    .select([
      'p.id',
      'p.amount',
      (eb) =>
        eb.fn
          .coalesce(
            eb
              .selectFrom('allocation as a')
              .select(sql<bigint>`sum(a.amount)`.as('s'))
              .whereRef('a.payment_id', '=', 'p.id'),
            sql<bigint>`0`,
          )
          .as('used'),
    ])
    .where('p.contract_id', '=', contractId)
    .where('p.status', '=', 'booked')
    .orderBy('p.paid_on')
    .orderBy('p.id')
    .forUpdate()
    .execute();
  let items = await openItems(trx, contractId);
  let total = 0n;
  const rows: { payment_id: bigint; bill_line_id: bigint; amount: bigint; allocated_on: LocalDate }[] = [];
  for (const p of payments) {
    const free = tiyin(p.amount - BigInt(p.used));
    if (free <= 0n || items.length === 0) continue;
    const result = allocate(free, items);
    for (const a of result.allocations) {
      rows.push({ payment_id: p.id, bill_line_id: BigInt(a.itemId), amount: a.amount, allocated_on: on });
      total += a.amount;
    }
    const paid = new Map(result.allocations.map((a) => [a.itemId, a.amount]));
    items = items
      .map((i) => ({ ...i, paid: tiyin(i.paid + (paid.get(i.id) ?? 0n)) }))
      .filter((i) => i.paid < i.amount);
  }
  if (rows.length > 0) await trx.insertInto('allocation').values(rows).execute();
  return tiyin(total);
}

/** The account's positive bill lines not yet fully covered. */
async function openItems(trx: Transaction<DB>, contractId: bigint): Promise<OpenItem[]> {
  const rows = await trx
    .selectFrom('bill_line as l')
    .innerJoin('bill as b', 'b.id', 'l.bill_id')
    .select([
      'l.id',
      'l.kind',
      'l.seq',
      'l.amount',
      'b.period',
      (eb) =>
        eb.fn
          .coalesce(
            eb
              .selectFrom('allocation as a')
              .select(sql<bigint>`sum(a.amount)`.as('s'))
              .whereRef('a.bill_line_id', '=', 'l.id'),
            sql<bigint>`0`,
          )
          .as('paid'),
    ])
    .where('b.contract_id', '=', contractId)
    .where('l.amount', '>', 0n)
    .execute();
  return rows
    .map((r) => ({
      id: String(r.id),
      period: r.period as Period,
      kind: r.kind as LineKind,
      seq: r.seq,
      amount: tiyin(r.amount),
      paid: tiyin(BigInt(r.paid)),
    }))
    .filter((i) => i.paid < i.amount);
}

async function contractPath(trx: Transaction<DB>, contractId: bigint): Promise<string | null> {
  const row = await trx
    .selectFrom('contract as k')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select('ou.path')
    .where('k.id', '=', contractId)
    .executeTakeFirst();
  return row?.path ?? null;
}
