import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Org units of a tenant under any of the scope paths, in tree order. */
export async function listOrgUnits(db: Db, tenantId: bigint, scopePaths: string[]) {
  return db
    .selectFrom('org_unit')
    .select(['id', 'parent_id', 'kind', 'code', 'name', 'path'])
    .where('tenant_id', '=', tenantId)
    .where(inScope('path', scopePaths))
    .orderBy('path')
    .execute();
}

/** One org unit of a tenant by id. */
export async function findOrgUnit(db: Db, tenantId: bigint, id: bigint) {
  return db
    .selectFrom('org_unit')
    .select(['id', 'parent_id', 'kind', 'code', 'name', 'path'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}
