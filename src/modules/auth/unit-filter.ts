import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Access } from './access.ts';
import type { Permission } from './permissions.ts';

/**
 * The path of the org unit a list is filtered by; ORG_UNIT_OUT_OF_SCOPE (403) when the caller
 * cannot use `permission` there, also for a unit of another supplier or none at all.
 */
export async function filterUnitPath(
  db: Kysely<DB>,
  access: Access,
  permission: Permission,
  orgUnitId: string,
): Promise<string> {
  const unit = await db
    .selectFrom('org_unit')
    .select('path')
    .where('id', '=', BigInt(orgUnitId))
    .where('tenant_id', '=', access.user.tenantId)
    .executeTakeFirst();
  if (!unit)
    throw new AppError('ORG_UNIT_OUT_OF_SCOPE', `Org unit ${orgUnitId} is outside your scope`, {
      permission,
    });
  access.assertAt(permission, unit.path);
  return unit.path;
}
