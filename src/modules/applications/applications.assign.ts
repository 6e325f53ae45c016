import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';

// Who works an application: a staff member whose role grants `application.write` at its unit or
// above. Assigning is staff bookkeeping, so it is audited but not put on the consumer's timeline.

/** A staff member who may be given an application of a unit. */
export type AssigneeCandidate = { id: string; name: string; login: string; orgUnit: string };

/** Active staff whose grants reach the unit with `path` with `application.write`, nearest unit first. */
export async function assigneeCandidates(
  db: Kysely<DB>,
  tenantId: bigint,
  path: string,
): Promise<AssigneeCandidate[]> {
  const rows = await db
    .selectFrom('app_user as u')
    .innerJoin('user_role as ur', 'ur.user_id', 'u.id')
    .innerJoin('role_permission as rp', 'rp.role_code', 'ur.role_code')
    .innerJoin('org_unit as ou', 'ou.id', 'ur.org_unit_id')
    .select(['u.id', 'u.full_name', 'u.login', 'ou.name as unit', 'ou.path'])
    .where('u.tenant_id', '=', tenantId)
    .where('u.status', '=', 'active')
    .where('rp.permission_code', '=', 'application.write')
    .where(sql<boolean>`${path} like ${sql.ref('ou.path')} || '%'`)
    .execute();
  // One line per person: the grant nearest the unit names where they sit.
  const best = new Map<bigint, (typeof rows)[number]>();
  for (const r of rows) {
    const seen = best.get(r.id);
    if (!seen || r.path.length > seen.path.length) best.set(r.id, r);
  }
  return [...best.values()]
    .sort((x, y) => y.path.length - x.path.length || x.full_name.localeCompare(y.full_name))
    .map((r) => ({ id: String(r.id), name: r.full_name, login: r.login, orgUnit: r.unit }));
}

/**
 * Gives an application to a staff member of its unit (or takes it back with null), audited with
 * the assignee before and after. Anyone else is refused with APPLICATION_ASSIGNEE.
 */
export async function assignApplication(
  db: Kysely<DB>,
  actor: Actor,
  input: { applicationId: bigint; assigneeId: bigint | null },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('application as a')
      .innerJoin('org_unit as ou', 'ou.id', 'a.org_unit_id')
      .select(['a.id', 'a.tenant_id', 'a.assignee_id', 'ou.path'])
      .where('a.id', '=', input.applicationId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (input.assigneeId !== null) {
      const candidates = await assigneeCandidates(trx, app.tenant_id, app.path);
      if (!candidates.some((c) => c.id === String(input.assigneeId)))
        throw new AppError('APPLICATION_ASSIGNEE', 'This user cannot work applications of the unit', {
          userId: String(input.assigneeId),
        });
    }
    await trx
      .updateTable('application')
      .set({ assignee_id: input.assigneeId, updated_at: sql<Date>`now()` })
      .where('id', '=', app.id)
      .execute();
    await writeAudit(trx, actor, {
      action: 'application.assign',
      entity: 'application',
      entityId: app.id,
      tenantId: app.tenant_id,
      orgUnitPath: app.path,
      before: { assignee_id: app.assignee_id },
      after: { assignee_id: input.assigneeId },
    });
  });
}
