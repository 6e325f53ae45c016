import { sql, type Transaction } from 'kysely';
import { pgArray } from '../db/arrays.ts';
import type { DB } from '../db/schema.ts';
import { addDays, firstDay, type LocalDate, lastDay, type Period } from '../domain/period.ts';
import { postPaymentsBooked } from '../modules/accounting/ledger.ts';
import { SYSTEM_ACTOR, writeAudit } from '../modules/audit/audit.ts';
import { closePeriod } from '../modules/billing/close-period.ts';
import { applyAdvances } from '../modules/payments/payments.service.ts';
import type { Random } from './random.ts';

/** What the demo's billing history holds. */
export type DemoHistory = { closedPeriods: number; bills: number; payments: number };

const HOUSEHOLD_CHANNELS = ['paynet', 'click', 'payme', 'uzcard', 'humo', 'cash', 'post'] as const;
// Days of the month payments arrive on, as registries come from banks and the post in batches.
const HOUSEHOLD_DAYS = [5, 15, 25] as const;
const LEGAL_DAYS = [10, 20] as const;

/**
 * Bills and closes every demo month but the last through the real billing engine, and lets
 * consumers pay during each month what the bill of the month before asks (their balance): most in
 * full, some half, some ahead (an advance), a few not at all (debtors, who then accrue penalties). The last month
 * stays open, ready for a bill run. Payments are imported set-based, like a bank or post registry,
 * and cover open items on their own dates.
 */
export async function loadBillingHistory(
  trx: Transaction<DB>,
  input: { tenants: readonly bigint[]; months: readonly Period[]; random: Random },
): Promise<DemoHistory> {
  const closing = input.months.slice(0, -1);
  let bills = 0;
  let payments = 0;
  for (const [i, period] of closing.entries()) {
    const previous = i > 0 ? closing[i - 1] : undefined;
    if (previous) payments += await payForMonth(trx, input.random, previous, period);
    for (const tenantId of input.tenants) {
      const result = await closePeriod(trx, SYSTEM_ACTOR, { tenantId, period, closedOn: lastDay(period) });
      bills += result.bills;
    }
  }
  return { closedPeriods: closing.length * input.tenants.length, bills, payments };
}

/** Payments dated in `period` for the bills of `billed`; returns how many were made. */
async function payForMonth(
  trx: Transaction<DB>,
  random: Random,
  billed: Period,
  period: Period,
): Promise<number> {
  // What each consumer billed for `billed` owes now: the balance its invoice asks to pay.
  const rows = await sql<{
    tenant_id: bigint;
    contract_id: bigint;
    number: string;
    kind: string;
    total: bigint;
  }>`
    select b.tenant_id, b.contract_id, k.number, c.kind,
           ((select coalesce(sum(l.amount), 0) from bill b2 join bill_line l on l.bill_id = b2.id
             where b2.contract_id = b.contract_id)
           - (select coalesce(sum(p.amount), 0) from payment p where p.contract_id = b.contract_id and p.status = 'booked')
           )::bigint as total
      from bill b join contract k on k.id = b.contract_id join consumer c on c.id = k.consumer_id
     where b.period = ${billed} and b.total > 0
     order by b.contract_id`.execute(trx);
  const made: {
    tenant: bigint;
    contract: bigint;
    channel: string;
    id: string;
    amount: bigint;
    on: LocalDate;
  }[] = [];
  for (const r of rows.rows) {
    const roll = random.next();
    if (roll < 0.08) continue; // a debtor this month
    let amount = r.total;
    if (roll < 0.18)
      amount = (r.total / 2n / 100n) * 100n; // half, in whole so'm
    else if (roll > 0.95) amount = ((r.total * 3n) / 2n / 100_000n + 1n) * 100_000n; // ahead, rounded up
    if (amount <= 0n) continue;
    const on = addDays(
      firstDay(period),
      random.pick(r.kind === 'household' ? HOUSEHOLD_DAYS : LEGAL_DAYS) - 1,
    );
    made.push({
      tenant: r.tenant_id,
      contract: r.contract_id,
      channel: r.kind === 'household' ? random.pick(HOUSEHOLD_CHANNELS) : 'bank',
      id: `DEMO-${billed.replace('-', '')}-${r.number}`,
      amount,
      on,
    });
  }
  if (made.length === 0) return 0;
  const inserted = await sql<{ id: bigint }>`
    insert into payment (tenant_id, contract_id, channel, external_id, amount, paid_on, payer, purpose)
    select t, c, ch, x, a, d, 'demo', ${`payment for ${billed}`}
      from unnest(${pgArray(made.map((m) => m.tenant))}::bigint[], ${pgArray(made.map((m) => m.contract))}::bigint[],
                  ${pgArray(made.map((m) => m.channel))}::text[], ${pgArray(made.map((m) => m.id))}::text[],
                  ${pgArray(made.map((m) => m.amount))}::bigint[], ${pgArray(made.map((m) => m.on))}::date[])
           as v(t, c, ch, x, a, d)
    returning id`.execute(trx);
  // Money covers open items on the day it arrives: one allocation pass per payment day.
  const byDay = new Map<string, bigint[]>();
  for (const m of made) byDay.set(m.on, [...(byDay.get(m.on) ?? []), m.contract]);
  for (const day of [...byDay.keys()].sort())
    await applyAdvances(trx, byDay.get(day) ?? [], day as LocalDate);
  // The ledger sees the demo's payments as the payment service books them (decision 016). The
  // month's rows are not analyzed yet inside the load's transaction: without statistics the
  // planner walks every closed bill per contract (minutes), so analyze first, as bill runs do.
  await sql`analyze payment, allocation, bill, bill_line, billing_period, ledger_entry`.execute(trx);
  await postPaymentsBooked(
    trx,
    inserted.rows.map((p) => BigInt(p.id)),
  );
  for (const tenant of new Set(made.map((m) => m.tenant))) {
    const own = made.filter((m) => m.tenant === tenant);
    await writeAudit(trx, SYSTEM_ACTOR, {
      action: 'payment.import',
      entity: 'payment',
      entityId: `demo-${period}`,
      tenantId: tenant,
      after: { period, count: own.length, total: own.reduce((a, m) => a + m.amount, 0n) },
    });
  }
  return made.length;
}
