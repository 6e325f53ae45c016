import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** An org unit row as the module reads it. */
export type OrgUnitRow = {
  id: bigint;
  parent_id: bigint | null;
  kind: string;
  code: string;
  name: string;
  path: string;
};

const COLUMNS = ['id', 'parent_id', 'kind', 'code', 'name', 'path'] as const;

/** Org units of a tenant under any of the scope paths, in tree order. */
export async function listOrgUnits(db: Db, tenantId: bigint, scopePaths: string[]): Promise<OrgUnitRow[]> {
  return db
    .selectFrom('org_unit')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where(inScope('path', scopePaths))
    .orderBy('path')
    .execute();
}

/** One org unit of a tenant by id. */
export async function findOrgUnit(db: Db, tenantId: bigint, id: bigint): Promise<OrgUnitRow | undefined> {
  return db
    .selectFrom('org_unit')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** One org unit of a tenant by id, locked for the rest of the transaction. */
export async function lockOrgUnit(
  trx: Transaction<DB>,
  tenantId: bigint,
  id: bigint,
): Promise<OrgUnitRow | undefined> {
  return trx
    .selectFrom('org_unit')
    .select(COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** True when another unit of the tenant has this code (compared without case). */
export async function codeTaken(db: Db, tenantId: bigint, code: string, exceptId?: bigint): Promise<boolean> {
  let q = db
    .selectFrom('org_unit')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where(sql`lower(code)`, '=', code.toLowerCase());
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Inserts a unit under `parentId`; the trigger of migration 0001 builds its path from the parent's. */
export async function insertOrgUnit(
  db: Db,
  u: { tenantId: bigint; parentId: bigint; kind: 'region' | 'district'; code: string; name: string },
): Promise<OrgUnitRow> {
  return db
    .insertInto('org_unit')
    .values({ tenant_id: u.tenantId, parent_id: u.parentId, kind: u.kind, code: u.code, name: u.name })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Changes a unit's name or code (never its parent, so the paths below it stay as they are). */
export async function updateOrgUnit(
  db: Db,
  id: bigint,
  patch: { code?: string; name?: string },
): Promise<OrgUnitRow> {
  return db
    .updateTable('org_unit')
    .set(patch)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}
