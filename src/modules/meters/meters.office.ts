import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type LocalDate, parseLocalDate } from '../../domain/period.ts';
import type { Milli } from '../../domain/quantity.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import { parseTypedReading, staffSource } from '../readings/readings.entry.ts';
import { METER_REGISTERS } from '../reference/dictionaries.ts';
import { findMeterType, lockMeter, lockPoint, type MeterContext, meterView } from './meters.repository.ts';
import type {
  MeterView,
  NewMeterBody,
  ZInstallMeter,
  ZPatchMeter,
  ZRemoveMeter,
  ZReplaceMeter,
} from './meters.schemas.ts';
import { assertNotFuture, installMeter, type NewMeter, removeMeter } from './meters.service.ts';

// The office's meter work (R2.3): install on a metering point, replace, remove, verification
// dates. Each runs in one transaction with its audit row, needs consumer.write at the account's
// org unit, and — where it records register values — reading.write there too.

/** The registers a meter of this commodity and type may have. */
function allowedRegisters(commodity: string, typeRegisters: readonly string[]): string[] {
  const forCommodity: readonly string[] = commodity === 'heat' ? ['1.8.0'] : METER_REGISTERS;
  return typeRegisters.filter((obis) => forCommodity.includes(obis));
}

/** Parses register values typed by staff into a map by OBIS code. */
function readingsOf(rows: readonly { obis: string; value: string }[]): Map<string, Milli> {
  return new Map(rows.map((r) => [r.obis, parseTypedReading(r.value)]));
}

/** Throws METER_VERIFICATION_DATES unless the next verification comes after the last one. */
function assertVerification(verified: string | null, next: string | null): void {
  if (verified !== null && next !== null && next <= verified)
    throw new AppError('METER_VERIFICATION_DATES', `${next} is not after ${verified}`, { verified, next });
}

/**
 * The new meter of a request: an active meter type of the supplier, digits (default the type's),
 * registers allowed for the commodity and listed by the type, installation readings as typed.
 */
async function newMeterOf(
  trx: Transaction<DB>,
  tenantId: bigint,
  commodity: string,
  body: NewMeterBody,
  today: LocalDate,
): Promise<NewMeter> {
  const type = await findMeterType(trx, tenantId, BigInt(body.meterTypeId));
  if (!type)
    throw new AppError('METER_TYPE_UNKNOWN', `Unknown meter type ${body.meterTypeId}`, {
      id: body.meterTypeId,
    });
  if (!type.active)
    throw new AppError('METER_TYPE_INACTIVE', `Meter type ${type.code} is inactive`, { code: type.code });
  const allowed = allowedRegisters(commodity, type.registers);
  for (const r of body.registers) {
    if (!allowed.includes(r.obis))
      throw new AppError('METER_REGISTER_NOT_ALLOWED', `Register ${r.obis} is not allowed on ${type.code}`, {
        obis: r.obis,
        allowed: allowed.join(', '),
      });
  }
  const verifiedOn = body.verifiedOn === null ? null : parseLocalDate(body.verifiedOn);
  const nextVerificationOn =
    body.nextVerificationOn === null ? null : parseLocalDate(body.nextVerificationOn);
  if (verifiedOn !== null) assertNotFuture(verifiedOn, today);
  assertVerification(verifiedOn, nextVerificationOn);
  return {
    serial: body.serial,
    meterTypeId: type.id,
    digits: body.digits ?? Number(type.digits),
    multiplier: BigInt(body.multiplier),
    verifiedOn,
    nextVerificationOn,
    registers: readingsOf(body.registers),
    seals: body.seals,
  };
}

/** Locks a meter of the caller's tenant where the caller may `consumer.write`; UNKNOWN_METER otherwise. */
async function lockWritableMeter(
  trx: Transaction<DB>,
  access: Access,
  id: string,
  readings: boolean,
): Promise<MeterContext> {
  const meter = await lockMeter(trx, access.user.tenantId, BigInt(id));
  if (!meter) throw new AppError('UNKNOWN_METER', `Unknown meter ${id}`, { id });
  access.assertAt('consumer.write', meter.path);
  if (readings) access.assertAt('reading.write', meter.path);
  return meter;
}

/** Installs a meter on a metering point that has none in service (audited `meter.install`). */
export async function installOnPoint(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  pointId: string,
  body: z.infer<typeof ZInstallMeter>,
  today: LocalDate,
): Promise<MeterView> {
  const tenantId = access.user.tenantId;
  return db.transaction().execute(async (trx) => {
    const point = await lockPoint(trx, tenantId, BigInt(pointId));
    if (!point)
      throw new AppError('UNKNOWN_METERING_POINT', `Unknown metering point ${pointId}`, { id: pointId });
    access.assertAt('consumer.write', point.path);
    access.assertAt('reading.write', point.path);
    const meter = await newMeterOf(trx, tenantId, point.commodity, body, today);
    const on = parseLocalDate(body.installedOn);
    const meterId = await installMeter(trx, actor, { tenantId, pointId: point.id, on, today, meter });
    const view = await meterView(trx, meterId);
    await writeAudit(trx, actor, {
      action: 'meter.install',
      entity: 'meter',
      entityId: meterId,
      tenantId,
      orgUnitPath: point.path,
      after: { ...view, contract: point.number, point: point.code },
    });
    return view;
  });
}

/**
 * Replaces a meter in service: the removal reading of each of its registers and the new meter on
 * the same point and day (audited `meter.replace`, before = the old meter, after = both).
 */
export async function replaceInOffice(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  meterId: string,
  body: z.infer<typeof ZReplaceMeter>,
  today: LocalDate,
): Promise<{ removed: MeterView; installed: MeterView }> {
  const tenantId = access.user.tenantId;
  return db.transaction().execute(async (trx) => {
    const old = await lockWritableMeter(trx, access, meterId, true);
    const before = await meterView(trx, old.id);
    const on = parseLocalDate(body.on);
    const newMeter = await newMeterOf(trx, tenantId, old.commodity, body.newMeter, today);
    const removal = await removeMeter(trx, actor, {
      meter: old,
      on,
      today,
      removal: readingsOf(body.removal),
      source: staffSource(access, old.path),
    });
    const newId = await installMeter(trx, actor, {
      tenantId,
      pointId: old.metering_point_id,
      on,
      today,
      meter: newMeter,
    });
    const removed = await meterView(trx, old.id);
    const installed = await meterView(trx, newId);
    await writeAudit(trx, actor, {
      action: 'meter.replace',
      entity: 'meter',
      entityId: old.id,
      tenantId,
      orgUnitPath: old.path,
      before,
      after: { removed, installed, readingIds: removal.readingIds, reason: body.reason ?? null },
    });
    return { removed, installed };
  });
}

/** Removes a meter in service with its removal readings, e.g. when the contract ends (`meter.remove`). */
export async function removeInOffice(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  meterId: string,
  body: z.infer<typeof ZRemoveMeter>,
  today: LocalDate,
): Promise<MeterView> {
  return db.transaction().execute(async (trx) => {
    const meter = await lockWritableMeter(trx, access, meterId, true);
    const before = await meterView(trx, meter.id);
    const removal = await removeMeter(trx, actor, {
      meter,
      on: parseLocalDate(body.removedOn),
      today,
      removal: readingsOf(body.removal),
      source: staffSource(access, meter.path),
    });
    const after = await meterView(trx, meter.id);
    await writeAudit(trx, actor, {
      action: 'meter.remove',
      entity: 'meter',
      entityId: meter.id,
      tenantId: access.user.tenantId,
      orgUnitPath: meter.path,
      before,
      after: { ...after, readingIds: removal.readingIds, reason: body.reason ?? null },
    });
    return after;
  });
}

/** Changes the verification dates of a meter in service (`meter.verification`). */
export async function patchVerification(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  meterId: string,
  body: z.infer<typeof ZPatchMeter>,
  today: LocalDate,
): Promise<MeterView> {
  return db.transaction().execute(async (trx) => {
    const meter = await lockWritableMeter(trx, access, meterId, false);
    if (meter.removed_on !== null)
      throw new AppError(
        'METER_ALREADY_REMOVED',
        `Meter ${meter.serial} was removed on ${meter.removed_on}`,
        {
          serial: meter.serial,
          date: meter.removed_on,
        },
      );
    const pick = (v: string | null | undefined, old: string | null) =>
      v === undefined ? old : v === null ? null : parseLocalDate(v);
    const verifiedOn = pick(body.verifiedOn, meter.verified_on);
    const nextVerificationOn = pick(body.nextVerificationOn, meter.next_verification_on);
    if (verifiedOn !== null && body.verifiedOn !== undefined) assertNotFuture(verifiedOn as LocalDate, today);
    assertVerification(verifiedOn, nextVerificationOn);
    await trx
      .updateTable('meter')
      .set({ verified_on: verifiedOn, next_verification_on: nextVerificationOn })
      .where('id', '=', meter.id)
      .execute();
    await writeAudit(trx, actor, {
      action: 'meter.verification',
      entity: 'meter',
      entityId: meter.id,
      tenantId: access.user.tenantId,
      orgUnitPath: meter.path,
      before: {
        serial: meter.serial,
        verified_on: meter.verified_on,
        next_verification_on: meter.next_verification_on,
      },
      after: { serial: meter.serial, verified_on: verifiedOn, next_verification_on: nextVerificationOn },
    });
    return meterView(trx, meter.id);
  });
}
