import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { SealPlace, SealView } from './meters.schemas.ts';

// All SQL of meter seals; functions take `db | trx` first, `lockSeal` locks the seal it returns.

type Db = Kysely<DB> | Transaction<DB>;

/** The seal in place with this number in the tenant (numbers compare case-insensitively). */
export async function sealInPlace(db: Db, tenantId: bigint, number: string) {
  return db
    .selectFrom('meter_seal as s')
    .innerJoin('meter as m', 'm.id', 's.meter_id')
    .select(['s.id', 'm.serial'])
    .where('s.tenant_id', '=', tenantId)
    .where(sql<string>`upper(s.number)`, '=', number.toUpperCase())
    .where('s.removed_on', 'is', null)
    .executeTakeFirst();
}

/** Inserts a seal in place; returns its id. */
export async function insertSeal(
  trx: Transaction<DB>,
  s: {
    tenantId: bigint;
    meterId: bigint;
    number: string;
    place: SealPlace;
    setOn: string;
    setBy: bigint | null;
  },
): Promise<bigint> {
  const row = await trx
    .insertInto('meter_seal')
    .values({
      tenant_id: s.tenantId,
      meter_id: s.meterId,
      number: s.number,
      place: s.place,
      set_on: s.setOn,
      set_by: s.setBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Removes the seals in place of a removed meter with it (not before the day each was set). */
export async function removeSealsWithMeter(
  trx: Transaction<DB>,
  meterId: bigint,
  on: string,
  by: bigint | null,
): Promise<string[]> {
  const rows = await trx
    .updateTable('meter_seal')
    .set({
      removed_on: sql<string>`greatest(set_on, ${on}::date)`,
      removed_by: by,
      removed_with_meter: true,
    })
    .where('meter_id', '=', meterId)
    .where('removed_on', 'is', null)
    .returning('number')
    .execute();
  return rows.map((r) => r.number);
}

/** Locks a seal of the tenant and returns it with its meter and org unit. */
export async function lockSeal(trx: Transaction<DB>, tenantId: bigint, sealId: bigint) {
  return trx
    .selectFrom('meter_seal as s')
    .innerJoin('meter as m', 'm.id', 's.meter_id')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['s.id', 's.meter_id', 's.number', 's.place', 's.set_on', 's.removed_on', 'm.serial', 'ou.path'])
    .where('s.id', '=', sealId)
    .where('s.tenant_id', '=', tenantId)
    .forUpdate(['s'])
    .executeTakeFirst();
}

/** The seals of a meter with their history: in place first, then by the day set. */
export async function sealsOf(db: Db, meterId: bigint, sealId?: bigint): Promise<SealView[]> {
  let q = db
    .selectFrom('meter_seal as s')
    .leftJoin('app_user as a', 'a.id', 's.set_by')
    .leftJoin('app_user as b', 'b.id', 's.removed_by')
    .select(['s.id', 's.meter_id', 's.number', 's.place', 's.set_on', 's.removed_on', 's.removal_reason'])
    .select(['s.removed_with_meter', 'a.full_name as set_by', 'b.full_name as removed_by'])
    .where('s.meter_id', '=', meterId);
  if (sealId !== undefined) q = q.where('s.id', '=', sealId);
  const rows = await q
    .orderBy(sql`s.removed_on is null`, 'desc')
    .orderBy('s.set_on', 'desc')
    .orderBy('s.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    meterId: String(r.meter_id),
    number: r.number,
    place: r.place as SealPlace | null,
    setOn: r.set_on,
    setBy: r.set_by,
    removedOn: r.removed_on,
    removedBy: r.removed_by,
    reason: r.removal_reason,
    removedWithMeter: r.removed_with_meter,
  }));
}
