import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { formatQuantity, milli } from '../../domain/quantity.ts';
import type { MeterView } from './meters.schemas.ts';

// All SQL of meters (that of seals: meter-seals.repository.ts). Functions take `db | trx` first;
// the `lock…` ones lock the row they return (FOR UPDATE of that table only) for the caller's
// transaction.

type Db = Kysely<DB> | Transaction<DB>;

/** A meter with what the use cases check: its point, contract and org unit. */
export type MeterContext = {
  id: bigint;
  tenant_id: bigint;
  metering_point_id: bigint;
  meter_type_id: bigint | null;
  serial: string;
  digits: number;
  multiplier: bigint;
  installed_on: string;
  removed_on: string | null;
  verified_on: string | null;
  next_verification_on: string | null;
  point_code: string;
  contract_id: bigint;
  commodity: string;
  path: string;
};

/** Locks a meter of the tenant and returns it with its point, contract and org unit. */
export async function lockMeter(trx: Transaction<DB>, tenantId: bigint, meterId: bigint) {
  return trx
    .selectFrom('meter as m')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['m.id', 'm.tenant_id', 'm.metering_point_id', 'm.meter_type_id', 'm.serial', 'm.digits'])
    .select(['m.multiplier', 'm.installed_on', 'm.removed_on', 'm.verified_on', 'm.next_verification_on'])
    .select(['p.code as point_code', 'k.id as contract_id', 'k.commodity', 'ou.path'])
    .where('m.id', '=', meterId)
    .where('m.tenant_id', '=', tenantId)
    .forUpdate(['m'])
    .executeTakeFirst() satisfies Promise<MeterContext | undefined>;
}

/** The org-unit path of a meter of the tenant, unlocked (for reads). */
export async function meterPath(db: Db, tenantId: bigint, meterId: bigint): Promise<string | undefined> {
  const row = await db
    .selectFrom('meter as m')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select('ou.path')
    .where('m.id', '=', meterId)
    .where('m.tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.path;
}

/** A metering point with its contract and org unit. */
export type PointContext = {
  id: bigint;
  code: string;
  contract_id: bigint;
  number: string;
  commodity: string;
  status: string;
  start_date: string;
  path: string;
};

/** Locks a metering point of the tenant (installs on one point take turns). */
export async function lockPoint(trx: Transaction<DB>, tenantId: bigint, pointId: bigint) {
  return trx
    .selectFrom('metering_point as p')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['p.id', 'p.code', 'k.id as contract_id', 'k.number', 'k.commodity', 'k.status', 'k.start_date'])
    .select('ou.path')
    .where('p.id', '=', pointId)
    .where('p.tenant_id', '=', tenantId)
    .forUpdate(['p'])
    .executeTakeFirst() satisfies Promise<PointContext | undefined>;
}

/** The meter in service on a point, if any. */
export async function meterInService(db: Db, pointId: bigint) {
  return db
    .selectFrom('meter')
    .select(['id', 'serial'])
    .where('metering_point_id', '=', pointId)
    .where('removed_on', 'is', null)
    .executeTakeFirst();
}

/** The meter of a point removed last (a new one cannot be installed before that day). */
export async function lastRemoved(db: Db, pointId: bigint) {
  return db
    .selectFrom('meter')
    .select(['serial', 'removed_on'])
    .where('metering_point_id', '=', pointId)
    .where('removed_on', 'is not', null)
    .orderBy('removed_on', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A meter type of the tenant. */
export async function findMeterType(db: Db, tenantId: bigint, id: bigint) {
  return db
    .selectFrom('meter_type')
    .select(['id', 'code', 'name', 'digits', 'registers', 'active'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Serialises the installs of one serial in a tenant until the transaction ends, then tells
 * whether a meter with that serial is in service there.
 */
export async function lockSerialInService(trx: Transaction<DB>, tenantId: bigint, serial: string) {
  await sql`select pg_advisory_xact_lock(7341, hashtext(${`${tenantId}:${serial}`}))`.execute(trx);
  return trx
    .selectFrom('meter')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('serial', '=', serial)
    .where('removed_on', 'is', null)
    .executeTakeFirst();
}

/** The registers of a meter. */
export async function registersOf(db: Db, meterId: bigint) {
  return db
    .selectFrom('register')
    .select(['id', 'obis', 'install_reading', 'removal_reading'])
    .where('meter_id', '=', meterId)
    .orderBy('obis')
    .execute();
}

/** The last date of a reading (not rejected) of the meter after `date`, if any. */
export async function lastReadingAfter(db: Db, meterId: bigint, date: string): Promise<string | null> {
  const row = await db
    .selectFrom('reading as r')
    .innerJoin('register as g', 'g.id', 'r.register_id')
    .select(sql<string | null>`max(r.read_on)::text`.as('last'))
    .where('g.meter_id', '=', meterId)
    .where('r.read_on', '>', date)
    .where('r.status', '<>', 'rejected')
    .executeTakeFirst();
  return row?.last ?? null;
}

/** Inserts a meter with its registers; returns its id. */
export async function insertMeter(
  trx: Transaction<DB>,
  m: {
    tenantId: bigint;
    pointId: bigint;
    meterTypeId: bigint | null;
    serial: string;
    digits: number;
    multiplier: bigint;
    installedOn: string;
    verifiedOn: string | null;
    nextVerificationOn: string | null;
    registers: ReadonlyMap<string, bigint>;
  },
): Promise<bigint> {
  const meter = await trx
    .insertInto('meter')
    .values({
      tenant_id: m.tenantId,
      metering_point_id: m.pointId,
      meter_type_id: m.meterTypeId,
      serial: m.serial,
      digits: m.digits,
      multiplier: m.multiplier,
      installed_on: m.installedOn,
      verified_on: m.verifiedOn,
      next_verification_on: m.nextVerificationOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('register')
    .values([...m.registers].map(([obis, value]) => ({ meter_id: meter.id, obis, install_reading: value })))
    .execute();
  return meter.id;
}

/** A meter as the routes answer it: type, registers and the numbers of its seals in place. */
export async function meterView(db: Db, meterId: bigint): Promise<MeterView> {
  const m = await db
    .selectFrom('meter as m')
    .leftJoin('meter_type as t', 't.id', 'm.meter_type_id')
    .select(['m.id', 'm.metering_point_id', 'm.serial', 'm.digits', 'm.multiplier', 'm.installed_on'])
    .select([
      'm.removed_on',
      'm.verified_on',
      'm.next_verification_on',
      't.id as type_id',
      't.code',
      't.name',
    ])
    .where('m.id', '=', meterId)
    .executeTakeFirstOrThrow();
  const registers = await registersOf(db, meterId);
  const seals = await db
    .selectFrom('meter_seal')
    .select('number')
    .where('meter_id', '=', meterId)
    .where('removed_on', 'is', null)
    .orderBy('set_on')
    .orderBy('id')
    .execute();
  const reading = (v: bigint) => formatQuantity(milli(BigInt(v)));
  return {
    id: String(m.id),
    meteringPointId: String(m.metering_point_id),
    serial: m.serial,
    type:
      m.type_id === null || m.code === null || m.name === null
        ? null
        : { id: String(m.type_id), code: m.code, name: m.name },
    digits: Number(m.digits),
    multiplier: String(m.multiplier),
    installedOn: m.installed_on,
    removedOn: m.removed_on,
    verifiedOn: m.verified_on,
    nextVerificationOn: m.next_verification_on,
    registers: registers.map((g) => ({
      id: String(g.id),
      obis: g.obis,
      installReading: reading(g.install_reading),
      removalReading: g.removal_reading === null ? null : reading(g.removal_reading),
    })),
    seals: seals.map((s) => s.number),
  };
}
