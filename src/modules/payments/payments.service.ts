import { sql, type Transaction } from 'kysely';
import { pgArray } from '../../db/arrays.ts';
import { keyedLookupsOnly } from '../../db/planner.ts';
import type { DB } from '../../db/schema.ts';
import {
  allocate,
  applyAllocations,
  decidePaymentRepeat,
  decideReversal,
  type LineKind,
  type OpenItem,
} from '../../domain/allocation.ts';
import { AppError } from '../../domain/errors.ts';
import { type Tiyin, tiyin } from '../../domain/money.ts';
import { type LocalDate, lastDay, parsePeriod, todayInTashkent } from '../../domain/period.ts';
import { postPaymentMovement } from '../accounting/ledger.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { queuePaymentReceived } from '../sms/sms.outbox.ts';

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
 * Bookings and reversals of one contract take turns: applyAdvances locks the contract's booked
 * payments in scan order and a reversal first locks its own payment, so two of them interleaving
 * on one contract could deadlock (found by the Payme perform-vs-cancel race test). The contract
 * row is the turnstile; other contracts are not held up.
 */
async function lockContractMoney(trx: Transaction<DB>, contractId: bigint): Promise<void> {
  await trx.selectFrom('contract').select('id').where('id', '=', contractId).forNoKeyUpdate().execute();
}

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
  await lockContractMoney(trx, p.contractId);
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
  const allocated = await applyAdvances(trx, [p.contractId], p.paidOn);
  await postPaymentMovement(trx, { paymentId: inserted.id, movement: 'book', on: p.paidOn });
  // The consumer's SMS is queued in this transaction: it exists iff the payment does (a repeat
  // returned above; the key payment:<id> guards the rest).
  await queuePaymentReceived(trx, {
    contractId: p.contractId,
    paymentId: inserted.id,
    amount: p.amount,
    paidOn: p.paidOn,
  });
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
  const ofPayment = trx
    .selectFrom('payment')
    .where('tenant_id', '=', r.tenantId)
    .where('channel', '=', r.channel)
    .where('external_id', '=', r.externalId);
  const owner = await ofPayment.select('contract_id').executeTakeFirst();
  if (owner?.contract_id != null) await lockContractMoney(trx, owner.contract_id);
  const payment = await ofPayment.selectAll().forUpdate().executeTakeFirst();
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
  if (payment.contract_id !== null) await applyAdvances(trx, [payment.contract_id], r.reversedOn);
  if (payment.status === 'booked')
    await postPaymentMovement(trx, { paymentId: payment.id, movement: 'reverse', on: r.reversedOn });
}

/**
 * Books an unmatched payment (a bank or post payment whose account was not found) to the contract
 * a person chose: from then on it is a booked payment of that contract like any other, its money
 * covering the open items dated the day it was paid (billing-rules §8), the rest an advance.
 * PAYMENT_NOT_FOUND for an unknown payment, PAYMENT_NOT_UNMATCHED when it is booked or reversed.
 */
export async function matchPayment(
  trx: Transaction<DB>,
  actor: Actor,
  m: { tenantId: bigint; paymentId: bigint; contractId: bigint },
): Promise<BookedPayment> {
  await lockContractMoney(trx, m.contractId);
  const payment = await trx
    .selectFrom('payment')
    .selectAll()
    .where('id', '=', m.paymentId)
    .where('tenant_id', '=', m.tenantId)
    .forUpdate()
    .executeTakeFirst();
  if (!payment) throw new AppError('PAYMENT_NOT_FOUND', `No payment ${m.paymentId}`);
  if (payment.status !== 'unmatched')
    throw new AppError(
      'PAYMENT_NOT_UNMATCHED',
      `Payment ${m.paymentId} is ${payment.status}, not unmatched`,
      {
        status: payment.status,
      },
    );
  await trx
    .updateTable('payment')
    .set({ contract_id: m.contractId, status: 'booked' })
    .where('id', '=', payment.id)
    .execute();
  await writeAudit(trx, actor, {
    action: 'payment.match',
    entity: 'payment',
    entityId: payment.id,
    tenantId: m.tenantId,
    orgUnitPath: await contractPath(trx, m.contractId),
    before: { status: payment.status, contract_id: null },
    after: {
      status: 'booked',
      contract_id: m.contractId,
      channel: payment.channel,
      external_id: payment.external_id,
      amount: payment.amount,
      paid_on: payment.paid_on,
    },
  });
  const allocated = await applyAdvances(trx, [m.contractId], payment.paid_on as LocalDate);
  // Its money has been on 6990 since it arrived; it reaches the contract on the day it is matched.
  await postPaymentMovement(trx, {
    paymentId: payment.id,
    movement: 'book',
    on: todayInTashkent(),
    fromSuspense: true,
  });
  // Matched, the payment reaches its consumer like any booked one (SMS key payment:<id>).
  await queuePaymentReceived(trx, {
    contractId: m.contractId,
    paymentId: payment.id,
    amount: tiyin(payment.amount),
    paidOn: payment.paid_on as LocalDate,
  });
  return { paymentId: payment.id, duplicate: false, allocated };
}

type Money = { kind: 'payment' | 'credit'; id: bigint; contractId: bigint; date: string; free: Tiyin };

/**
 * Lets the free money of the accounts — booked payments not fully allocated and credits (negative
 * lines, billing-rules §4) not fully used — cover their open items, oldest money first, dated
 * `on` (billing-rules §8). Called after a payment, a reversal, and when a bill run posts new
 * charges; set-based, so a bill run calls it once per chunk. Returns what it allocated.
 */
export async function applyAdvances(
  trx: Transaction<DB>,
  contractIds: readonly bigint[],
  on: LocalDate,
): Promise<Tiyin> {
  if (contractIds.length === 0) return tiyin(0n);
  await keyedLookupsOnly(trx);
  const idArray = pgArray(contractIds);
  // Lock the payments so two bookings for one account allocate one after the other.
  const payments = await sql<{ id: bigint; contract_id: bigint; paid_on: string; free: bigint }>`
    select p.id, p.contract_id, p.paid_on,
           p.amount - coalesce((select sum(a.amount) from allocation a where a.payment_id = p.id), 0) as free
      from unnest(${idArray}::bigint[]) as c(id)
      cross join lateral (select * from payment p where p.contract_id = c.id and p.status = 'booked'
                           for update) p
     where p.amount > coalesce((select sum(a.amount) from allocation a where a.payment_id = p.id), 0)`.execute(
    trx,
  );
  const credits = await sql<{ id: bigint; contract_id: bigint; period: string; free: bigint }>`
    select l.id, b.contract_id, b.period,
           -l.amount - coalesce((select sum(a.amount) from allocation a where a.credit_line_id = l.id), 0) as free
      from unnest(${idArray}::bigint[]) as c(id)
      cross join lateral (select * from bill b where b.contract_id = c.id offset 0) b
      cross join lateral (select * from bill_line l where l.bill_id = b.id and l.amount < 0 offset 0) l
     where true
       and -l.amount > coalesce((select sum(a.amount) from allocation a where a.credit_line_id = l.id), 0)`.execute(
    trx,
  );
  const money: Money[] = [
    ...payments.rows.map((p) => ({
      kind: 'payment' as const,
      id: p.id,
      contractId: p.contract_id,
      date: p.paid_on,
      free: tiyin(BigInt(p.free)),
    })),
    ...credits.rows.map((c) => ({
      kind: 'credit' as const,
      id: c.id,
      contractId: c.contract_id,
      date: lastDay(parsePeriod(c.period)),
      free: tiyin(BigInt(c.free)),
    })),
  ];
  if (money.length === 0) return tiyin(0n);
  const items = await openItems(trx, [...new Set(money.map((m) => m.contractId))]);
  const rows = {
    payment: [] as (bigint | null)[],
    credit: [] as (bigint | null)[],
    line: [] as bigint[],
    amount: [] as bigint[],
  };
  let total = 0n;
  for (const [contractId, list] of groupByContract(money)) {
    let open = items.get(contractId) ?? [];
    list.sort(byMoneyOrder);
    for (const m of list) {
      if (open.length === 0) break;
      const result = allocate(m.free, open);
      for (const a of result.allocations) {
        rows.payment.push(m.kind === 'payment' ? m.id : null);
        rows.credit.push(m.kind === 'credit' ? m.id : null);
        rows.line.push(BigInt(a.itemId));
        rows.amount.push(a.amount);
        total += a.amount;
      }
      open = applyAllocations(open, result.allocations).filter((i) => i.paid < i.amount);
    }
  }
  if (rows.line.length > 0)
    await sql`
      insert into allocation (payment_id, credit_line_id, bill_line_id, amount, allocated_on)
      select p, c, l, a, ${on}::date
        from unnest(${pgArray(rows.payment)}::bigint[], ${pgArray(rows.credit)}::bigint[],
                    ${pgArray(rows.line)}::bigint[], ${pgArray(rows.amount)}::bigint[]) as v(p, c, l, a)`.execute(
      trx,
    );
  return tiyin(total);
}

/** Oldest money first; a payment before a credit of the same day; then in booking order. */
function byMoneyOrder(a: Money, b: Money): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.kind !== b.kind) return a.kind === 'payment' ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function groupByContract(money: readonly Money[]): Map<bigint, Money[]> {
  const out = new Map<bigint, Money[]>();
  for (const m of money) out.set(m.contractId, [...(out.get(m.contractId) ?? []), m]);
  return out;
}

/** The accounts' positive bill lines not yet fully covered, per account. */
async function openItems(
  trx: Transaction<DB>,
  contractIds: readonly bigint[],
): Promise<Map<bigint, OpenItem[]>> {
  const rows = await sql<{
    id: bigint;
    contract_id: bigint;
    period: string;
    kind: string;
    seq: number;
    amount: bigint;
    paid: bigint;
  }>`
    select l.id, b.contract_id, b.period, l.kind, l.seq, l.amount,
           coalesce((select sum(a.amount) from allocation a where a.bill_line_id = l.id), 0) as paid
      from unnest(${pgArray(contractIds)}::bigint[]) as c(id)
      cross join lateral (select * from bill b where b.contract_id = c.id offset 0) b
      cross join lateral (select * from bill_line l where l.bill_id = b.id and l.amount > 0 offset 0) l
     where true
       and l.amount > coalesce((select sum(a.amount) from allocation a where a.bill_line_id = l.id), 0)`.execute(
    trx,
  );
  const out = new Map<bigint, OpenItem[]>();
  for (const r of rows.rows) {
    const item: OpenItem = {
      id: String(r.id),
      period: parsePeriod(r.period),
      kind: r.kind as LineKind,
      seq: Number(r.seq),
      amount: tiyin(r.amount),
      paid: tiyin(BigInt(r.paid)),
    };
    out.set(r.contract_id, [...(out.get(r.contract_id) ?? []), item]);
  }
  return out;
}

/** The org-unit path of a contract, for audit rows. */
export async function contractPath(trx: Transaction<DB>, contractId: bigint): Promise<string | null> {
  const row = await trx
    .selectFrom('contract as k')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select('ou.path')
    .where('k.id', '=', contractId)
    .executeTakeFirst();
  return row?.path ?? null;
}
