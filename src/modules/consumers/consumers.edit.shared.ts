import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { parseDecimal } from '../../domain/decimal.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import {
  type LocalDate,
  lastDay,
  nextPeriod,
  type Period,
  parseLocalDate,
  parsePeriod,
  periodInTashkent,
} from '../../domain/period.ts';
import { type Milli, milli } from '../../domain/quantity.ts';
import type { Actor } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import { lockBilling } from '../billing/bill-run.service.ts';

// What the consumer and contract editors share: finding what is edited inside the caller's
// `consumer.write` scope (locked for the transaction), the closed-period and billed-period rules,
// tariff checks and parsing with the form field named in the refusal.

/** A transaction of an editing use case. */
export type Trx = Transaction<DB>;

/** Who edits: the caller's access (for the scope) and the audit actor. */
export type Editor = { access: Access; actor: Actor };

/** The staff user behind an actor, for `created_by` columns. */
export function userIdOf(actor: Actor): bigint | null {
  return actor.type === 'user' && actor.id ? BigInt(actor.id) : null;
}

/** Throws ORG_UNIT_OUT_OF_SCOPE (naming `field`) unless `consumer.write` holds at the unit. */
function assertWritableAt(access: Access, path: string, field?: string): void {
  if (!access.canAt('consumer.write', path))
    throw new AppError('ORG_UNIT_OUT_OF_SCOPE', `consumer.write does not reach ${path}`, {
      permission: 'consumer.write',
      ...(field ? { field } : {}),
    });
}

/** The consumer `id` of the caller's supplier, locked; UNKNOWN_CONSUMER or ORG_UNIT_OUT_OF_SCOPE. */
export async function consumerForWrite(trx: Trx, access: Access, id: string) {
  const row = await trx
    .selectFrom('consumer as c')
    .innerJoin('org_unit as ou', 'ou.id', 'c.org_unit_id')
    .selectAll('c')
    .select('ou.path')
    .where('c.id', '=', BigInt(id))
    .where('c.tenant_id', '=', access.user.tenantId)
    .forNoKeyUpdate('c')
    .executeTakeFirst();
  if (!row) throw new AppError('UNKNOWN_CONSUMER', `Unknown consumer ${id}`, { id });
  assertWritableAt(access, row.path);
  return row;
}

/**
 * The contract `id` of the caller's supplier, locked; UNKNOWN_CONTRACT or ORG_UNIT_OUT_OF_SCOPE.
 * Takes the supplier's billing lock first (as a period close does), so that a period checked open
 * stays open until commit and a close cannot wait on the contract while holding it.
 */
export async function contractForWrite(trx: Trx, access: Access, id: string) {
  await lockBilling(trx, access.user.tenantId);
  const row = await trx
    .selectFrom('contract as k')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .selectAll('k')
    .select(['ou.path', 'c.kind as consumer_kind'])
    .where('k.id', '=', BigInt(id))
    .where('k.tenant_id', '=', access.user.tenantId)
    .forNoKeyUpdate('k')
    .executeTakeFirst();
  if (!row) throw new AppError('UNKNOWN_CONTRACT', `Unknown contract ${id}`, { id });
  assertWritableAt(access, row.path);
  return row;
}

/** A district of the supplier where the caller may write: NOT_FOUND, CONTRACT_UNIT_NOT_DISTRICT or ORG_UNIT_OUT_OF_SCOPE. */
export async function districtForWrite(trx: Trx, access: Access, orgUnitId: string) {
  const unit = await trx
    .selectFrom('org_unit')
    .select(['id', 'kind', 'path', 'name'])
    .where('id', '=', BigInt(orgUnitId))
    .where('tenant_id', '=', access.user.tenantId)
    .executeTakeFirst();
  if (!unit)
    throw new AppError('NOT_FOUND', `Unknown org unit ${orgUnitId}`, { id: orgUnitId, field: 'orgUnitId' });
  if (unit.kind !== 'district')
    throw new AppError('CONTRACT_UNIT_NOT_DISTRICT', `${unit.name} is a ${unit.kind}`, {
      field: 'orgUnitId',
    });
  assertWritableAt(access, unit.path, 'orgUnitId');
  return unit;
}

/** The last closed period of the supplier (every period up to it is closed), or null. */
export async function lastClosedPeriod(
  db: Kysely<DB> | Transaction<DB>,
  tenantId: bigint,
): Promise<Period | null> {
  const row = await db
    .selectFrom('billing_period')
    .select(sql<string | null>`max(period)`.as('last'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  return row?.last ? parsePeriod(row.last) : null;
}

/** The open period: the month after the last closed one, or this month when none is closed. */
export function openPeriodAfter(lastClosed: Period | null, now: Date = new Date()): Period {
  return lastClosed ? nextPeriod(lastClosed) : periodInTashkent(now);
}

/**
 * Throws CONTRACT_CHANGE_IN_CLOSED_PERIOD when `period` is closed: closed periods are immutable
 * (billing-rules §10), so neither terms, volumes nor dates of a contract may reach into one.
 */
export function assertPeriodNotClosed(period: Period, lastClosed: Period | null, field: string): void {
  if (lastClosed !== null && period <= lastClosed)
    throw new AppError('CONTRACT_CHANGE_IN_CLOSED_PERIOD', `Period ${period} is closed`, {
      period,
      closed: lastClosed,
      open: nextPeriod(lastClosed),
      field,
    });
}

/**
 * Throws CONTRACT_PERIOD_BILLED when a bill run has billed the contract for a period in
 * [from, to]: that bill would not see the change and is never billed again (as a reading dated
 * in it is refused).
 */
export async function assertNotBilled(
  trx: Trx,
  contractId: bigint,
  range: { from: Period; to?: Period },
  field: string,
): Promise<void> {
  let q = trx
    .selectFrom('bill')
    .select('period')
    .where('contract_id', '=', contractId)
    .where('billed_at', 'is not', null)
    .where('period', '>=', range.from);
  if (range.to) q = q.where('period', '<=', range.to);
  const billed = await q.orderBy('period').executeTakeFirst();
  if (billed)
    throw new AppError('CONTRACT_PERIOD_BILLED', `Billed for ${billed.period}`, {
      period: billed.period,
      field,
    });
}

/**
 * An active tariff of the supplier for `commodity` with a price in force on `on`: UNKNOWN_TARIFF,
 * CONTRACT_TARIFF_INACTIVE, CONTRACT_TARIFF_COMMODITY or CONTRACT_TARIFF_NOT_IN_FORCE otherwise.
 * `blocks`: it prices by household blocks, so a contract on it has no volume (billing-rules §5).
 */
export async function usableTariff(
  trx: Trx,
  t: { tenantId: bigint; tariffId: string; commodity: string; on: LocalDate },
): Promise<{ id: bigint; code: string; blocks: boolean }> {
  const row = await trx
    .selectFrom('tariff as t')
    .select(['t.id', 't.code', 't.active', 't.commodity'])
    .select((eb) => [
      eb
        .selectFrom('tariff_version as v')
        .select(sql<boolean>`bool_or(v.pricing = 'blocks')`.as('b'))
        .whereRef('v.tariff_id', '=', 't.id')
        .as('blocks'),
      eb
        .selectFrom('tariff_version as v')
        .select(sql<string | null>`min(v.valid_from)::text`.as('f'))
        .whereRef('v.tariff_id', '=', 't.id')
        .as('first_from'),
    ])
    .where('t.id', '=', BigInt(t.tariffId))
    .where('t.tenant_id', '=', t.tenantId)
    .executeTakeFirst();
  const field = 'tariffId';
  if (!row)
    throw new AppError('UNKNOWN_TARIFF', `Unknown tariff ${t.tariffId}`, { tariff: t.tariffId, field });
  if (!row.active)
    throw new AppError('CONTRACT_TARIFF_INACTIVE', `${row.code} is inactive`, { tariff: row.code, field });
  if (row.commodity !== t.commodity)
    throw new AppError('CONTRACT_TARIFF_COMMODITY', `${row.code} is not for ${t.commodity}`, {
      tariff: row.code,
      commodity: t.commodity,
      field,
    });
  if (!row.first_from || row.first_from > t.on)
    throw new AppError('CONTRACT_TARIFF_NOT_IN_FORCE', `${row.code} has no price on ${t.on}`, {
      tariff: row.code,
      date: t.on,
      field,
    });
  return { id: row.id, code: row.code, blocks: row.blocks === true };
}

/** The tariff of each period's terms (the latest version starting by its last day, as bill runs pick it). */
export async function blockTariffPeriods(trx: Trx, contractId: bigint, periods: Period[]): Promise<Period[]> {
  if (periods.length === 0) return [];
  const versions = await trx
    .selectFrom('contract_version as cv')
    .select(['cv.valid_from', 'cv.tariff_id'])
    .select((eb) =>
      eb
        .selectFrom('tariff_version as v')
        .select(sql<boolean>`bool_or(v.pricing = 'blocks')`.as('b'))
        .whereRef('v.tariff_id', '=', 'cv.tariff_id')
        .as('blocks'),
    )
    .where('cv.contract_id', '=', contractId)
    .orderBy('cv.valid_from', 'desc')
    .execute();
  return periods.filter((p) => versions.find((v) => v.valid_from <= lastDay(p))?.blocks === true);
}

/** Parses a quantity ("1000.5", up to 3 decimals, not negative) into thousandths; INVALID_QUANTITY naming `field`. */
export function quantityOf(value: string | null | undefined, field: string): Milli | null {
  if (value === null || value === undefined || value === '') return null;
  return milli(parseDecimal(value, { scale: 3, code: 'INVALID_QUANTITY', allowNegative: false, field }));
}

/** Parses a calendar date; INVALID_DATE naming `field`. */
export function dateOf(value: string, field: string): LocalDate {
  try {
    return parseLocalDate(value);
  } catch (e) {
    if (isAppError(e)) throw new AppError(e.code, e.message, { ...e.details, field });
    throw e;
  }
}

/** True when a database error is a unique-key violation (two editors racing for one number or code). */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}
