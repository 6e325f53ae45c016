import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';
import { type LocalDate, lastDay, periodOf } from '../../domain/period.ts';
import { formatQuantity, milli } from '../../domain/quantity.ts';

// The pieces of an account that the consumer card and the Vitrina both show: bills, payments,
// meters with registers and their last accepted readings. `upTo` cuts each at a day.

/** Money as the API writes it. */
export const money = (t: bigint): string => formatMoney(tiyin(t));

/** Thousandths as the API writes them. */
export const quantity = (m: bigint): string => formatQuantity(milli(m));

/** The last bills of an account, newest first; with `postedBy`, only periods ending by that day. */
export async function lastBills(
  db: Kysely<DB>,
  contractId: bigint,
  opts: { limit: number; postedBy?: LocalDate },
) {
  let q = db
    .selectFrom('bill')
    .select(['id', 'period', 'number', 'issued_on', 'due_on', 'total', 'vat'])
    .where('contract_id', '=', contractId);
  // A bill of period P is posted at P's close, at the end of its last day.
  if (opts.postedBy) {
    const month = periodOf(opts.postedBy);
    q = opts.postedBy === lastDay(month) ? q.where('period', '<=', month) : q.where('period', '<', month);
  }
  const rows = await q.orderBy('period', 'desc').limit(opts.limit).execute();
  return rows.map((b) => ({
    id: String(b.id),
    period: b.period,
    number: b.number,
    issuedOn: b.issued_on,
    dueOn: b.due_on,
    total: money(b.total),
    vat: money(b.vat),
    status: b.number === null ? ('preliminary' as const) : ('issued' as const),
  }));
}

/**
 * The last payments of an account, newest first; with `upTo`, those dated by that day, each with
 * its status as it stood that day (a reversal after it does not show yet).
 */
export async function lastPayments(
  db: Kysely<DB>,
  contractId: bigint,
  opts: { limit: number; upTo?: LocalDate },
) {
  let q = db
    .selectFrom('payment')
    .select(['id', 'paid_on', 'amount', 'channel', 'status', 'reversed_on'])
    .where('contract_id', '=', contractId)
    .where('status', 'in', ['booked', 'reversed']);
  if (opts.upTo) q = q.where('paid_on', '<=', opts.upTo);
  const rows = await q.orderBy('paid_on', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map((m) => {
    const reversed = m.reversed_on !== null && (!opts.upTo || m.reversed_on <= opts.upTo);
    return {
      id: String(m.id),
      paidOn: m.paid_on,
      amount: money(m.amount),
      channel: m.channel,
      status: reversed ? ('reversed' as const) : ('booked' as const),
      reversedOn: reversed ? m.reversed_on : null,
    };
  });
}

/** The last accepted reading of each register, dated by `upTo` when given. */
export async function lastReadings(db: Kysely<DB>, registerIds: bigint[], upTo?: LocalDate) {
  const out = new Map<bigint, { readOn: string; value: string; source: string }>();
  if (registerIds.length === 0) return out;
  let q = db
    .selectFrom('reading')
    .distinctOn('register_id')
    .select(['register_id', 'read_on', 'value', 'source'])
    .where('register_id', 'in', registerIds)
    .where('status', '=', 'accepted');
  if (upTo) q = q.where('read_on', '<=', upTo);
  const rows = await q.orderBy('register_id').orderBy('read_on', 'desc').orderBy('id', 'desc').execute();
  for (const r of rows)
    out.set(r.register_id, { readOn: r.read_on, value: quantity(r.value), source: r.source });
  return out;
}

/** The numbers of a meter's seals in place (meter_seal), oldest first. */
const sealsInPlace = sql<string[]>`array(select s.number from meter_seal s
  where s.meter_id = m.id and s.removed_on is null order by s.set_on, s.id)`;

/** The meters of contracts with their type and registers, ordered by point, installation, serial. */
export async function metersOf(db: Kysely<DB>, contractIds: bigint[]) {
  if (contractIds.length === 0) return [];
  const meters = await db
    .selectFrom('metering_point as p')
    .innerJoin('meter as m', 'm.metering_point_id', 'p.id')
    .leftJoin('meter_type as t', 't.id', 'm.meter_type_id')
    .select(['p.contract_id', 'p.id as point_id', 'p.code as point_code', 'm.id', 'm.serial', 'm.digits'])
    .select(['m.multiplier', 'm.installed_on', 'm.removed_on', 'm.verified_on'])
    .select(sealsInPlace.as('seals'))
    .select(['m.next_verification_on', 'm.switch_state', 't.code as type_code', 't.name as type_name'])
    .select(['t.accuracy_class', 't.remote_switch'])
    .where('p.contract_id', 'in', contractIds)
    .orderBy('p.code')
    .orderBy('m.installed_on')
    .orderBy('m.serial')
    .execute();
  const registers =
    meters.length === 0
      ? []
      : await db
          .selectFrom('register')
          .select(['id', 'meter_id', 'obis', 'install_reading', 'removal_reading'])
          .where(
            'meter_id',
            'in',
            meters.map((m) => m.id),
          )
          .orderBy('obis')
          .execute();
  return meters.map((m) => ({
    ...m,
    switch_state: m.switch_state as 'on' | 'off' | 'unknown',
    registers: registers.filter((g) => g.meter_id === m.id),
  }));
}
