import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { readingAdvance } from '../../domain/consumption.ts';
import { AppError } from '../../domain/errors.ts';
import { compareDates, type LocalDate, periodOf } from '../../domain/period.ts';
import { type Milli, milli } from '../../domain/quantity.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { assertPeriodOpen } from '../billing/periods.ts';
import { recordReading } from '../readings/readings.service.ts';
import { insertSeal, removeSealsWithMeter, sealInPlace } from './meter-seals.repository.ts';
import {
  insertMeter,
  lastReadingAfter,
  lastRemoved,
  lockMeter,
  lockPoint,
  lockSerialInService,
  type MeterContext,
  meterInService,
  registersOf,
} from './meters.repository.ts';
import type { SealPlace } from './meters.schemas.ts';

// The use cases of a meter's life on a metering point (billing-rules §2): installation with the
// registers' installation readings, removal with an actual removal reading of every register,
// and replacement (both on one day). They run in the caller's transaction; the callers audit.

/** A meter to install: the type (none in scenarios), serial, digits, multiplier, registers, seals. */
export type NewMeter = {
  serial: string;
  meterTypeId: bigint | null;
  digits: number;
  multiplier: bigint;
  verifiedOn: LocalDate | null;
  nextVerificationOn: LocalDate | null;
  /** The installation reading of each register. */
  registers: ReadonlyMap<string, Milli>;
  seals: readonly { number: string; place: SealPlace }[];
};

/** The user id of an actor, for the *_by columns. */
export function userIdOf(actor: Actor): bigint | null {
  return actor.type === 'user' && actor.id ? BigInt(actor.id) : null;
}

/** Throws METER_DATE_IN_FUTURE when `date` is after `today`. */
export function assertNotFuture(date: LocalDate, today: LocalDate): void {
  if (compareDates(date, today) > 0)
    throw new AppError('METER_DATE_IN_FUTURE', `${date} is in the future`, { date });
}

/** Throws SEAL_NUMBER_TAKEN when a seal with this number is in place in the tenant. */
export async function assertSealFree(trx: Transaction<DB>, tenantId: bigint, number: string): Promise<void> {
  const taken = await sealInPlace(trx, tenantId, number);
  if (taken)
    throw new AppError('SEAL_NUMBER_TAKEN', `Seal ${number} is in place on meter ${taken.serial}`, {
      number,
      serial: taken.serial,
    });
}

/**
 * Installs a meter on a metering point on day `on`: the point has no meter in service, `on` is
 * not in the future, not in a closed period, not before the contract starts nor before the point's
 * last meter was removed; the serial is in service nowhere else in the tenant; every installation
 * reading fits the meter's digits with at most 2 decimals. Seals given are set that day.
 */
export async function installMeter(
  trx: Transaction<DB>,
  actor: Actor,
  i: { tenantId: bigint; pointId: bigint; on: LocalDate; today: LocalDate; meter: NewMeter },
): Promise<bigint> {
  const { meter } = i;
  const point = await lockPoint(trx, i.tenantId, i.pointId);
  if (!point)
    throw new AppError('UNKNOWN_METERING_POINT', `Unknown metering point ${i.pointId}`, {
      id: String(i.pointId),
    });
  if (point.status === 'terminated')
    throw new AppError('METER_CONTRACT_ENDED', `Contract ${point.number} is terminated`, {
      account: point.number,
    });
  const current = await meterInService(trx, point.id);
  if (current)
    throw new AppError('METER_POINT_OCCUPIED', `Point ${point.code} has meter ${current.serial} in service`, {
      point: point.code,
      serial: current.serial,
    });
  assertNotFuture(i.on, i.today);
  if (i.on < point.start_date)
    throw new AppError('METER_DATE_BEFORE_CONTRACT', `The contract starts on ${point.start_date}`, {
      start: point.start_date,
    });
  const previous = await lastRemoved(trx, point.id);
  if (previous?.removed_on && i.on < previous.removed_on)
    throw new AppError(
      'METER_DATE_OVERLAP',
      `Meter ${previous.serial} was in service until ${previous.removed_on}`,
      {
        serial: previous.serial,
        date: previous.removed_on,
      },
    );
  await assertPeriodOpen(trx, i.tenantId, periodOf(i.on));
  if (meter.registers.size === 0)
    throw new AppError('VALIDATION_FAILED', 'The meter needs at least one register', { issues: 'registers' });
  for (const value of meter.registers.values())
    readingAdvance({ previous: milli(0n), value, digits: meter.digits });
  if (await lockSerialInService(trx, i.tenantId, meter.serial))
    throw new AppError('METER_SERIAL_TAKEN', `Meter ${meter.serial} is installed elsewhere`, {
      serial: meter.serial,
    });
  const meterId = await insertMeter(trx, {
    tenantId: i.tenantId,
    pointId: point.id,
    meterTypeId: meter.meterTypeId,
    serial: meter.serial,
    digits: meter.digits,
    multiplier: meter.multiplier,
    installedOn: i.on,
    verifiedOn: meter.verifiedOn,
    nextVerificationOn: meter.nextVerificationOn,
    registers: meter.registers,
  });
  const numbers = new Set<string>();
  for (const seal of meter.seals) {
    const key = seal.number.toUpperCase();
    if (numbers.has(key))
      throw new AppError('SEAL_NUMBER_TAKEN', `Seal ${seal.number} is given twice`, {
        number: seal.number,
        serial: meter.serial,
      });
    numbers.add(key);
    await assertSealFree(trx, i.tenantId, seal.number);
    await insertSeal(trx, {
      tenantId: i.tenantId,
      meterId,
      number: seal.number,
      place: seal.place,
      setOn: i.on,
      setBy: userIdOf(actor),
    });
  }
  return meterId;
}

/** What removing a meter recorded. */
export type Removal = { readingIds: bigint[]; sealsRemoved: string[] };

/**
 * Removes a locked meter on day `on` with an actual removal reading of every register (recorded
 * and accepted like any reading: not below the previous one, not in a closed or billed period);
 * its seals in place go with it. Refused when the meter is already removed, `on` is before its
 * installation or in the future, or readings are dated after `on`.
 */
export async function removeMeter(
  trx: Transaction<DB>,
  actor: Actor,
  r: {
    meter: MeterContext;
    on: LocalDate;
    today: LocalDate;
    removal: ReadonlyMap<string, Milli>;
    source: 'inspector' | 'operator';
  },
): Promise<Removal> {
  const { meter: old } = r;
  if (old.removed_on !== null)
    throw new AppError('METER_ALREADY_REMOVED', `Meter ${old.serial} was removed on ${old.removed_on}`, {
      serial: old.serial,
      date: old.removed_on,
    });
  if (r.on < old.installed_on)
    throw new AppError('METER_REMOVAL_DATE', `Meter ${old.serial} was installed on ${old.installed_on}`, {
      installedOn: old.installed_on,
      date: r.on,
    });
  assertNotFuture(r.on, r.today);
  const registers = await registersOf(trx, old.id);
  const missing = registers.filter((g) => !r.removal.has(g.obis)).map((g) => g.obis);
  const unknown = [...r.removal.keys()].filter((obis) => !registers.some((g) => g.obis === obis));
  if (missing.length > 0 || unknown.length > 0)
    throw new AppError(
      'REMOVAL_REGISTERS_MISMATCH',
      `The removal reading must give exactly the registers of meter ${old.serial}`,
      { missing: missing.join(', '), unknown: unknown.join(', ') },
    );
  const after = await lastReadingAfter(trx, old.id, r.on);
  if (after !== null)
    throw new AppError('METER_READINGS_AFTER_REMOVAL', `Meter ${old.serial} has readings after ${r.on}`, {
      date: r.on,
      last: after,
    });
  const readingIds: bigint[] = [];
  for (const g of registers) {
    const value = r.removal.get(g.obis);
    if (value === undefined) continue;
    const recorded = await recordReading(trx, actor, {
      tenantId: old.tenant_id,
      registerId: g.id,
      readOn: r.on,
      value,
      source: r.source,
      today: r.today,
      accept: true,
    });
    readingIds.push(recorded.id);
    await trx.updateTable('register').set({ removal_reading: value }).where('id', '=', g.id).execute();
  }
  await trx.updateTable('meter').set({ removed_on: r.on }).where('id', '=', old.id).execute();
  const sealsRemoved = await removeSealsWithMeter(trx, old.id, r.on, userIdOf(actor));
  return { readingIds, sealsRemoved };
}

/** A meter replacement (billing-rules §2): the old meter's removal reading and the new meter. */
export type MeterReplacement = {
  tenantId: bigint;
  contractId: bigint;
  oldSerial: string;
  on: LocalDate;
  /** The removal reading of every register of the old meter. */
  removal: ReadonlyMap<string, Milli>;
  newMeter: { serial: string; digits: number; multiplier: bigint; registers: ReadonlyMap<string, Milli> };
  /** Today in Tashkent (a removal reading cannot be dated after it). */
  today: LocalDate;
};

/**
 * Replaces a meter named by serial on an account (the scenario runner's `meter_replace`): the old
 * meter's removal reading on every register, then the new meter of the same type on the same
 * point and day. The period's consumption is then the old meter's up to its removal plus the new
 * meter's from its installation, per register. Audited as `meter.replace`.
 */
export async function replaceMeter(
  trx: Transaction<DB>,
  actor: Actor,
  r: MeterReplacement,
): Promise<{ meterId: bigint }> {
  const found = await trx
    .selectFrom('meter as m')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .select('m.id')
    .where('p.contract_id', '=', r.contractId)
    .where('m.serial', '=', r.oldSerial)
    .where('m.tenant_id', '=', r.tenantId)
    .orderBy('m.removed_on', 'desc')
    .orderBy('m.id', 'desc')
    .executeTakeFirst();
  const old = found ? await lockMeter(trx, r.tenantId, found.id) : undefined;
  if (!old)
    throw new AppError('METER_NOT_FOUND', `No meter ${r.oldSerial} on this account`, { serial: r.oldSerial });
  const removal = await removeMeter(trx, actor, {
    meter: old,
    on: r.on,
    today: r.today,
    removal: r.removal,
    source: 'inspector',
  });
  const meterId = await installMeter(trx, actor, {
    tenantId: r.tenantId,
    pointId: old.metering_point_id,
    on: r.on,
    today: r.today,
    meter: {
      ...r.newMeter,
      meterTypeId: old.meter_type_id,
      verifiedOn: null,
      nextVerificationOn: null,
      seals: [],
    },
  });
  await writeAudit(trx, actor, {
    action: 'meter.replace',
    entity: 'meter',
    entityId: meterId,
    tenantId: r.tenantId,
    orgUnitPath: old.path,
    before: { meter_id: old.id, serial: r.oldSerial, removal: Object.fromEntries(r.removal), ...removal },
    after: {
      meter_id: meterId,
      serial: r.newMeter.serial,
      installed_on: r.on,
      digits: r.newMeter.digits,
      multiplier: r.newMeter.multiplier,
      registers: Object.fromEntries(r.newMeter.registers),
    },
  });
  return { meterId };
}
