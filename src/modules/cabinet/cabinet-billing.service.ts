import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { consumptionOf, readingAdvance } from '../../domain/consumption.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';
import {
  addPeriods,
  type LocalDate,
  type Period,
  periodInTashkent,
  periodOf,
  periodsBetween,
} from '../../domain/period.ts';
import { formatQuantity, type Milli, milli } from '../../domain/quantity.ts';
import { settlementsOf } from '../documents/documents.service.ts';

// What the cabinet shows of an account's money and consumption (requirements R6 functions 3–6).
// Every figure is read at one moment and answered with that moment (`dataAsOf`, R6 "data as of").
// Money is a decimal string "1234.56"; a positive balance is the consumer's debt, negative an advance.

const money = (t: bigint): string => formatMoney(tiyin(t));

/** The months the cabinet shows: the last 12 up to the current one. */
export function cabinetMonths(now: Date = new Date()): { from: Period; to: Period } {
  const to = periodInTashkent(now);
  return { from: addPeriods(to, -11), to };
}

/** The unit of consumption of an account. */
function unitOf(commodity: string): 'kWh' | 'Gcal' {
  return commodity === 'heat' ? 'Gcal' : 'kWh';
}

/** Twelve months of accruals, payments and balances (R6 function 3). */
export async function cabinetSettlements(db: Kysely<DB>, contractId: bigint, now: Date = new Date()) {
  const { from, to } = cabinetMonths(now);
  const s = await settlementsOf(db, contractId, from, to);
  const closed = await closedUpTo(db, contractId);
  return {
    dataAsOf: now.toISOString(),
    from,
    to,
    opening: money(s.opening),
    months: s.periods.map((p) => ({
      period: p.period,
      opening: money(p.opening),
      charges: money(p.charges),
      payments: money(p.payments),
      closing: money(p.closing),
      closed: closed !== null && p.period <= closed,
    })),
    totals: {
      charges: money(s.periods.reduce((a, p) => a + p.charges, 0n)),
      payments: money(s.periods.reduce((a, p) => a + p.payments, 0n)),
    },
    closing: money(s.closing),
  };
}

/** The last closed period of the contract's supplier, or null. */
async function closedUpTo(db: Kysely<DB>, contractId: bigint): Promise<Period | null> {
  const row = await db
    .selectFrom('billing_period as p')
    .innerJoin('contract as k', 'k.tenant_id', 'p.tenant_id')
    .select((eb) => eb.fn.max('p.period').as('period'))
    .where('k.id', '=', contractId)
    .where('p.status', '=', 'closed')
    .executeTakeFirst();
  return (row?.period ?? null) as Period | null;
}

/** Payments received on the account, newest first, with reversals shown (R6 function 4). */
export async function cabinetPayments(db: Kysely<DB>, contractId: bigint, now: Date = new Date()) {
  const rows = await db
    .selectFrom('payment as m')
    .innerJoin('payment_channel as c', 'c.code', 'm.channel')
    .select(['m.id', 'm.paid_on', 'm.amount', 'm.channel', 'c.kind', 'm.status', 'm.reversed_on'])
    .where('m.contract_id', '=', contractId)
    .orderBy('m.paid_on', 'desc')
    .orderBy('m.id', 'desc')
    .limit(200)
    .execute();
  return {
    dataAsOf: now.toISOString(),
    payments: rows.map((m) => ({
      id: String(m.id),
      paidOn: m.paid_on,
      amount: money(m.amount),
      channel: m.channel,
      channelKind: m.kind,
      status: m.status as 'booked' | 'reversed',
      reversedOn: m.reversed_on,
    })),
  };
}

/**
 * The current position (R6 function 5): balance now, the latest bill (issued when its period is
 * closed, preliminary before), the last payment and the consumption billed in the latest bill.
 */
export async function cabinetSummary(db: Kysely<DB>, contractId: bigint, now: Date = new Date()) {
  const { from, to } = cabinetMonths(now);
  const [settlements, contract, bill, payment] = await Promise.all([
    settlementsOf(db, contractId, from, to),
    db.selectFrom('contract').select('commodity').where('id', '=', contractId).executeTakeFirstOrThrow(),
    db
      .selectFrom('bill')
      .select(['id', 'period', 'number', 'total', 'vat', 'issued_on', 'due_on'])
      .where('contract_id', '=', contractId)
      .where('billed_at', 'is not', null)
      .orderBy('period', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('payment')
      .select(['paid_on', 'amount', 'channel'])
      .where('contract_id', '=', contractId)
      .where('status', '=', 'booked')
      .orderBy('paid_on', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  let consumption: string | null = null;
  if (bill) {
    const used = await db
      .selectFrom('bill_line')
      .select((eb) => eb.fn.sum<string | null>('quantity').as('q'))
      .where('bill_id', '=', bill.id)
      .where('kind', 'in', ['energy', 'overconsumption'])
      .where('for_period', 'is', null)
      .where((eb) => eb.or([eb('obis', 'is', null), eb('obis', '<>', '3.8.0')]))
      .executeTakeFirst();
    consumption = formatQuantity(milli(BigInt(used?.q ?? '0')));
  }
  return {
    dataAsOf: now.toISOString(),
    balance: money(settlements.closing),
    unit: unitOf(contract.commodity),
    currentBill: bill
      ? {
          period: bill.period,
          number: bill.number,
          total: money(bill.total),
          vat: money(bill.vat),
          issuedOn: bill.issued_on,
          dueOn: bill.due_on,
          status: bill.number === null ? ('preliminary' as const) : ('issued' as const),
          consumption,
        }
      : null,
    lastPayment: payment
      ? { paidOn: payment.paid_on, amount: money(payment.amount), channel: payment.channel }
      : null,
  };
}

/**
 * Consumption per meter and month over the last 12 months (R6 function 6), from the accepted
 * readings: each advance (rollover-aware) times the multiplier counts in the month of the later
 * reading; the first advance starts from the installation reading.
 */
export async function cabinetConsumption(db: Kysely<DB>, contractId: bigint, now: Date = new Date()) {
  const { from, to } = cabinetMonths(now);
  const contract = await db
    .selectFrom('contract')
    .select('commodity')
    .where('id', '=', contractId)
    .executeTakeFirstOrThrow();
  const registers = await db
    .selectFrom('metering_point as p')
    .innerJoin('meter as m', 'm.metering_point_id', 'p.id')
    .innerJoin('register as g', 'g.meter_id', 'm.id')
    .select(['m.id as meter_id', 'm.serial', 'm.digits', 'm.multiplier', 'm.removed_on', 'g.id', 'g.obis'])
    .select('g.install_reading')
    .where('p.contract_id', '=', contractId)
    .orderBy('m.installed_on')
    .orderBy('m.serial')
    .orderBy('g.obis')
    .execute();
  const readings =
    registers.length === 0
      ? []
      : await db
          .selectFrom('reading')
          .select(['register_id', 'read_on', 'value'])
          .where(
            'register_id',
            'in',
            registers.map((g) => g.id),
          )
          .where('status', '=', 'accepted')
          .orderBy('register_id')
          .orderBy('read_on')
          .orderBy('id')
          .execute();
  const months = periodsBetween(from, to);
  const meters = new Map<
    bigint,
    { serial: string; inService: boolean; registers: { obis: string; months: Map<Period, Milli> }[] }
  >();
  for (const g of registers) {
    const meter = meters.get(g.meter_id) ?? {
      serial: g.serial,
      inService: g.removed_on === null,
      registers: [],
    };
    meters.set(g.meter_id, meter);
    const perMonth = new Map<Period, Milli>();
    let previous = milli(g.install_reading);
    for (const r of readings.filter((x) => x.register_id === g.id)) {
      const value = milli(r.value);
      const advance = readingAdvance({ previous, value, digits: g.digits });
      previous = value;
      const period = periodOf(r.read_on as LocalDate);
      if (period < from || period > to) continue;
      const used = consumptionOf(advance, g.multiplier);
      perMonth.set(period, milli((perMonth.get(period) ?? 0n) + used));
    }
    meter.registers.push({ obis: g.obis, months: perMonth });
  }
  return {
    dataAsOf: now.toISOString(),
    unit: unitOf(contract.commodity),
    from,
    to,
    meters: [...meters.values()]
      .filter((m) => m.inService || m.registers.some((g) => g.months.size > 0))
      .map((m) => ({
        serial: m.serial,
        inService: m.inService,
        registers: m.registers.map((g) => ({
          obis: g.obis,
          months: months.map((p) => ({
            period: p,
            consumption: g.months.has(p) ? formatQuantity(g.months.get(p) ?? milli(0n)) : null,
          })),
        })),
      })),
  };
}
