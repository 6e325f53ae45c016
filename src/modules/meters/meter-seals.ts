import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type LocalDate, parseLocalDate } from '../../domain/period.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import { insertSeal, lockSeal, sealsOf } from './meter-seals.repository.ts';
import { lockMeter, meterPath } from './meters.repository.ts';
import type { SealView, ZRemoveSeal, ZSetSeal } from './meters.schemas.ts';
import { assertSealFree, userIdOf } from './meters.service.ts';

// Seals of meters (R2.3): each seal's number, place, who set it and when, who removed it, when and
// why. A number is unique among the seals in place of a supplier (a partial unique index holds it
// whatever writes). Setting and removing need consumer.write at the account's org unit.

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

/** Throws SEAL_DATE unless `from` ≤ `date` ≤ `to`. */
function assertBetween(date: LocalDate, from: string, to: LocalDate): void {
  if (date < from || date > to)
    throw new AppError('SEAL_DATE', `${date} is not within ${from}..${to}`, { from, to });
}

/** The seals of a meter with their history, for those who may read the account. */
export async function listSeals(db: Kysely<DB>, access: Access, meterId: string): Promise<SealView[]> {
  const path = await meterPath(db, access.user.tenantId, BigInt(meterId));
  if (path === undefined) throw new AppError('UNKNOWN_METER', `Unknown meter ${meterId}`, { id: meterId });
  access.assertAt('consumer.read', path);
  return sealsOf(db, BigInt(meterId));
}

/** Sets a seal on a meter in service, on a day from its installation to today (`meter_seal.set`). */
export async function setSeal(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  meterId: string,
  body: z.infer<typeof ZSetSeal>,
  today: LocalDate,
): Promise<SealView> {
  const tenantId = access.user.tenantId;
  return db.transaction().execute(async (trx) => {
    const meter = await lockMeter(trx, tenantId, BigInt(meterId));
    if (!meter) throw new AppError('UNKNOWN_METER', `Unknown meter ${meterId}`, { id: meterId });
    access.assertAt('consumer.write', meter.path);
    if (meter.removed_on !== null)
      throw new AppError(
        'METER_ALREADY_REMOVED',
        `Meter ${meter.serial} was removed on ${meter.removed_on}`,
        {
          serial: meter.serial,
          date: meter.removed_on,
        },
      );
    const setOn = body.setOn === undefined ? today : parseLocalDate(body.setOn);
    assertBetween(setOn, meter.installed_on, today);
    await assertSealFree(trx, tenantId, body.number);
    let id: bigint;
    try {
      id = await insertSeal(trx, {
        tenantId,
        meterId: meter.id,
        number: body.number,
        place: body.place,
        setOn,
        setBy: userIdOf(actor),
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      throw new AppError('SEAL_NUMBER_TAKEN', `Seal ${body.number} was set meanwhile`, {
        number: body.number,
        serial: '',
      });
    }
    const [seal] = await sealsOf(trx, meter.id, id);
    if (!seal) throw new AppError('UNKNOWN_SEAL', 'The seal vanished', { id: String(id) });
    await writeAudit(trx, actor, {
      action: 'meter_seal.set',
      entity: 'meter_seal',
      entityId: id,
      tenantId,
      orgUnitPath: meter.path,
      after: { ...seal, serial: meter.serial },
    });
    return seal;
  });
}

/** Removes a seal in place with a reason, on a day from when it was set to today (`meter_seal.remove`). */
export async function removeSeal(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  sealId: string,
  body: z.infer<typeof ZRemoveSeal>,
  today: LocalDate,
): Promise<SealView> {
  const tenantId = access.user.tenantId;
  return db.transaction().execute(async (trx) => {
    const seal = await lockSeal(trx, tenantId, BigInt(sealId));
    if (!seal) throw new AppError('UNKNOWN_SEAL', `Unknown seal ${sealId}`, { id: sealId });
    access.assertAt('consumer.write', seal.path);
    if (seal.removed_on !== null)
      throw new AppError('SEAL_ALREADY_REMOVED', `Seal ${seal.number} was removed on ${seal.removed_on}`, {
        number: seal.number,
        date: seal.removed_on,
      });
    const removedOn = body.removedOn === undefined ? today : parseLocalDate(body.removedOn);
    assertBetween(removedOn, seal.set_on, today);
    const [before] = await sealsOf(trx, seal.meter_id, seal.id);
    await trx
      .updateTable('meter_seal')
      .set({ removed_on: removedOn, removed_by: userIdOf(actor), removal_reason: body.reason })
      .where('id', '=', seal.id)
      .execute();
    const [after] = await sealsOf(trx, seal.meter_id, seal.id);
    if (!after) throw new AppError('UNKNOWN_SEAL', 'The seal vanished', { id: sealId });
    await writeAudit(trx, actor, {
      action: 'meter_seal.remove',
      entity: 'meter_seal',
      entityId: seal.id,
      tenantId,
      orgUnitPath: seal.path,
      before: { ...before, serial: seal.serial },
      after: { ...after, serial: seal.serial },
    });
    return after;
  });
}
