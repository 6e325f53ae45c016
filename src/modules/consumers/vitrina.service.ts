import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import {
  addDays,
  firstDay,
  type LocalDate,
  lastDay,
  periodOf,
  todayInTashkent,
} from '../../domain/period.ts';
import type { Access } from '../auth/access.ts';
import { claimsOpenOn } from '../claims/claims.service.ts';
import { settlementsOf } from '../documents/documents.service.ts';
import { lastBills, lastPayments, lastReadings, metersOf, money } from './account-parts.ts';
import type { ZVitrina } from './consumers.schemas.ts';

type Vitrina = z.infer<typeof ZVitrina>;

/** Application statuses that are still open. */
const OPEN_STATUSES = new Set(['submitted', 'accepted', 'scheduled']);

/**
 * The balance of an account at the end of day `on`, by the rules of settlementsOf (billing-rules
 * §8, §10): the balance at the start of the day's month, less the payments dated from the 1st to
 * the day (a reversal counts negative on its own date), plus the month's charges on its last day
 * only (they are posted at the close, at the end of that day).
 */
export async function balanceOn(db: Kysely<DB>, contractId: bigint, on: LocalDate) {
  const period = periodOf(on);
  const s = await settlementsOf(db, contractId, period, period);
  const monthCharges = s.periods[0]?.charges ?? 0n;
  const from = firstDay(period);
  const rows = await db
    .selectFrom('payment')
    .select(['paid_on', 'amount', 'reversed_on'])
    .where('contract_id', '=', contractId)
    .where((eb) =>
      eb.or([
        eb.and([eb('paid_on', '>=', from), eb('paid_on', '<=', on)]),
        eb.and([eb('reversed_on', '>=', from), eb('reversed_on', '<=', on)]),
      ]),
    )
    .execute();
  const paid = rows.reduce(
    (sum, m) =>
      sum +
      (m.paid_on >= from && m.paid_on <= on ? m.amount : 0n) -
      (m.reversed_on !== null && m.reversed_on >= from && m.reversed_on <= on ? m.amount : 0n),
    0n,
  );
  const counted = on === lastDay(period) ? monthCharges : 0n;
  return { opening: s.opening, payments: paid, charges: monthCharges, amount: s.opening + counted - paid };
}

/**
 * One account's full status on a day (R14): balance, bills and payments up to it, meters in
 * service with their last readings by then, applications and claims open that day
 * and the supply's switch state (the meters' current state: no history of it is kept).
 * UNKNOWN_ACCOUNT for an account the supplier does not have, ORG_UNIT_OUT_OF_SCOPE outside the
 * caller's `consumer.read` scope, VITRINA_DATE_IN_FUTURE for a day after today in Tashkent.
 */
export async function accountVitrina(
  db: Kysely<DB>,
  access: Access,
  contractId: string,
  on: LocalDate | undefined,
  now: Date = new Date(),
): Promise<Vitrina> {
  const k = await db
    .selectFrom('contract as k')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('org_unit as ou', 'ou.id', 'c.org_unit_id')
    .select(['k.id', 'k.number', 'k.commodity', 'k.start_date', 'k.end_date'])
    .select(['c.id as consumer_id', 'c.name', 'c.kind', 'c.inn', 'ou.id as unit_id', 'ou.name as unit_name'])
    .select('ou.path')
    .where('k.id', '=', BigInt(contractId))
    .where('k.tenant_id', '=', access.user.tenantId)
    .executeTakeFirst();
  if (!k) throw new AppError('UNKNOWN_ACCOUNT', `Unknown account ${contractId}`, { account: contractId });
  access.assertAt('consumer.read', k.path);
  const today = todayInTashkent(now);
  const day = on ?? today;
  if (day > today) throw new AppError('VITRINA_DATE_IN_FUTURE', `${day} is after today`, { on: day });

  // The end of the day in Tashkent (UTC+5), for what is stamped with an instant.
  const endOfDay = new Date(`${addDays(day, 1)}T00:00:00+05:00`);
  const [balance, bills, payments, meters, terms, applications, claims] = await Promise.all([
    balanceOn(db, k.id, day),
    lastBills(db, k.id, { limit: 6, postedBy: day }),
    lastPayments(db, k.id, { limit: 10, upTo: day }),
    metersOf(db, [k.id]),
    db
      .selectFrom('contract_version as v')
      .innerJoin('tariff as t', 't.id', 'v.tariff_id')
      .select(['t.code', 't.name'])
      .where('v.contract_id', '=', k.id)
      .where('v.valid_from', '<=', day)
      .orderBy('v.valid_from', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('application as a')
      .select(['a.id', 'a.number', 'a.type', 'a.created_at', 'a.desired_date'])
      .select((eb) =>
        eb
          .selectFrom('application_event as e')
          .select('e.status')
          .whereRef('e.application_id', '=', 'a.id')
          .where('e.at', '<', endOfDay)
          .orderBy('e.at', 'desc')
          .orderBy('e.id', 'desc')
          .limit(1)
          .as('status_then'),
      )
      .where('a.contract_id', '=', k.id)
      .where('a.created_at', '<', endOfDay)
      .orderBy('a.created_at', 'desc')
      .execute(),
    claimsOpenOn(db, k.id, day),
  ]);
  const inService = meters.filter(
    (m) => m.installed_on <= day && (m.removed_on === null || m.removed_on >= day),
  );
  const readings = await lastReadings(
    db,
    inService.flatMap((m) => m.registers.map((g) => g.id)),
    day,
  );
  const states = inService.map((m) => m.switch_state);
  return {
    on: day,
    today: day === today,
    account: {
      id: String(k.id),
      number: k.number,
      commodity: k.commodity,
      status:
        day < k.start_date ? 'not_started' : k.end_date !== null && day > k.end_date ? 'ended' : 'active',
      startDate: k.start_date,
      endDate: k.end_date,
      tariff: terms ?? null,
    },
    consumer: { id: String(k.consumer_id), name: k.name, kind: k.kind, inn: k.inn },
    orgUnit: { id: String(k.unit_id), name: k.unit_name },
    balance: {
      amount: money(balance.amount),
      state: balance.amount > 0n ? 'debt' : balance.amount < 0n ? 'advance' : 'settled',
      monthOpening: money(balance.opening),
      monthPayments: money(balance.payments),
      monthCharges: money(balance.charges),
    },
    bills,
    payments,
    meters: inService.map((m) => ({
      serial: m.serial,
      meteringPoint: m.point_code,
      multiplier: String(m.multiplier),
      installedOn: m.installed_on,
      removedOn: m.removed_on,
      remoteSwitch: m.remote_switch ?? false,
      switchState: m.switch_state,
      registers: m.registers.map((g) => ({ obis: g.obis, lastReading: readings.get(g.id) ?? null })),
    })),
    applications: applications
      .map((a) => ({
        id: String(a.id),
        number: a.number,
        type: a.type,
        status: a.status_then ?? 'submitted',
        createdAt: new Date(a.created_at).toISOString(),
        desiredDate: a.desired_date,
      }))
      .filter((a) => OPEN_STATUSES.has(a.status)),
    claims,
    switchState:
      states.length === 0
        ? null
        : states.includes('off')
          ? 'off'
          : states.includes('unknown')
            ? 'unknown'
            : 'on',
  };
}
