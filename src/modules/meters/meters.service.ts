import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { LocalDate } from '../../domain/period.ts';
import type { Milli } from '../../domain/quantity.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { recordReading } from '../readings/readings.service.ts';

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
 * Replaces a meter on the same metering point: records the old meter's removal reading on every
 * register (an actual, accepted reading, checked like any other), removes the old meter on that day
 * and installs the new one with its installation readings. The period's consumption is then the
 * old meter's up to its removal plus the new meter's from its installation, per register.
 */
export async function replaceMeter(
  trx: Transaction<DB>,
  actor: Actor,
  r: MeterReplacement,
): Promise<{ meterId: bigint }> {
  const old = await trx
    .selectFrom('meter as m')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['m.id', 'm.metering_point_id', 'm.installed_on', 'm.removed_on', 'm.meter_type_id', 'ou.path'])
    .where('p.contract_id', '=', r.contractId)
    .where('m.serial', '=', r.oldSerial)
    .where('m.tenant_id', '=', r.tenantId)
    .forUpdate()
    .executeTakeFirst();
  if (!old)
    throw new AppError('METER_NOT_FOUND', `No meter ${r.oldSerial} on this account`, { serial: r.oldSerial });
  if (old.removed_on !== null)
    throw new AppError('METER_ALREADY_REMOVED', `Meter ${r.oldSerial} was removed on ${old.removed_on}`, {
      serial: r.oldSerial,
      date: old.removed_on,
    });
  if (r.on < old.installed_on)
    throw new AppError('READING_OUTSIDE_METER_LIFE', 'The meter was not installed on that date', {
      readOn: r.on,
    });
  const registers = await trx
    .selectFrom('register')
    .select(['id', 'obis'])
    .where('meter_id', '=', old.id)
    .execute();
  const missing = registers.filter((g) => !r.removal.has(g.obis)).map((g) => g.obis);
  const unknown = [...r.removal.keys()].filter((obis) => !registers.some((g) => g.obis === obis));
  if (missing.length > 0 || unknown.length > 0)
    throw new AppError(
      'REMOVAL_REGISTERS_MISMATCH',
      `The removal reading must give exactly the registers of meter ${r.oldSerial}`,
      { missing: missing.join(', '), unknown: unknown.join(', ') },
    );
  if (r.newMeter.registers.size === 0)
    throw new AppError('VALIDATION_FAILED', 'The new meter needs at least one register', {
      issues: 'registers',
    });
  const taken = await trx
    .selectFrom('meter')
    .select('id')
    .where('tenant_id', '=', r.tenantId)
    .where('serial', '=', r.newMeter.serial)
    .where('removed_on', 'is', null)
    .executeTakeFirst();
  if (taken)
    throw new AppError('METER_SERIAL_TAKEN', `Meter ${r.newMeter.serial} is installed elsewhere`, {
      serial: r.newMeter.serial,
    });
  for (const g of registers) {
    const value = r.removal.get(g.obis);
    if (value === undefined) continue;
    await recordReading(trx, actor, {
      tenantId: r.tenantId,
      registerId: g.id,
      readOn: r.on,
      value,
      source: 'inspector',
      today: r.today,
      accept: true,
    });
    await trx.updateTable('register').set({ removal_reading: value }).where('id', '=', g.id).execute();
  }
  await trx.updateTable('meter').set({ removed_on: r.on }).where('id', '=', old.id).execute();
  const meter = await trx
    .insertInto('meter')
    .values({
      tenant_id: r.tenantId,
      metering_point_id: old.metering_point_id,
      meter_type_id: old.meter_type_id,
      serial: r.newMeter.serial,
      digits: r.newMeter.digits,
      multiplier: r.newMeter.multiplier,
      installed_on: r.on,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('register')
    .values(
      [...r.newMeter.registers].map(([obis, value]) => ({
        meter_id: meter.id,
        obis,
        install_reading: value,
      })),
    )
    .execute();
  await writeAudit(trx, actor, {
    action: 'meter.replace',
    entity: 'meter',
    entityId: meter.id,
    tenantId: r.tenantId,
    orgUnitPath: old.path,
    before: { meter_id: old.id, serial: r.oldSerial, removal: Object.fromEntries(r.removal) },
    after: {
      meter_id: meter.id,
      serial: r.newMeter.serial,
      installed_on: r.on,
      digits: r.newMeter.digits,
      multiplier: r.newMeter.multiplier,
      registers: Object.fromEntries(r.newMeter.registers),
    },
  });
  return { meterId: meter.id };
}
