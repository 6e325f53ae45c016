import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import * as repo from './orgs.repository.ts';

/** The kinds of org units: the supplier's company, its regions, their districts. */
export const ORG_UNIT_KINDS = ['company', 'region', 'district'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/** An org unit as the API answers it. */
export type OrgUnitView = {
  id: string;
  parentId: string | null;
  kind: OrgUnitKind;
  code: string;
  name: string;
  path: string;
};

function kindOf(kind: string): OrgUnitKind {
  switch (kind) {
    case 'company':
    case 'region':
    case 'district':
      return kind;
    default:
      throw new Error(`unknown org unit kind ${kind}`);
  }
}

/** The API view of a unit row. */
export function orgUnitView(r: repo.OrgUnitRow): OrgUnitView {
  return {
    id: String(r.id),
    parentId: r.parent_id === null ? null : String(r.parent_id),
    kind: kindOf(r.kind),
    code: r.code,
    name: r.name,
    path: r.path,
  };
}

/**
 * The kind a new unit under a parent of `parentKind` gets: a region under the company, a district
 * under a region; a company may also hold districts directly (a city heat supplier has no
 * regions), when asked for. Anything else is ORG_UNIT_PARENT_INVALID.
 */
export function childKind(parentKind: OrgUnitKind, asked?: 'region' | 'district'): 'region' | 'district' {
  switch (parentKind) {
    case 'company':
      return asked ?? 'region';
    case 'region':
      if (asked === undefined || asked === 'district') return 'district';
      break;
    case 'district':
      break;
  }
  throw new AppError('ORG_UNIT_PARENT_INVALID', `A ${asked ?? 'unit'} cannot go under a ${parentKind}`, {
    parentKind,
  });
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

/** Runs a write, turning a race for the same code into ORG_UNIT_CODE_TAKEN. */
async function uniqueCode<T>(code: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('ORG_UNIT_CODE_TAKEN', `Code ${code} is taken`, { code });
    throw e;
  }
}

/**
 * Adds a region or district under a unit the caller holds `org.write` at (or above). The code is
 * unique in the supplier; the path is built by the database from the parent's. Audited.
 */
export async function createOrgUnit(
  db: Kysely<DB>,
  access: Access,
  input: { parentId: bigint; code: string; name: string; kind?: 'region' | 'district' | undefined },
  actor: Actor,
): Promise<OrgUnitView> {
  const tenantId = access.user.tenantId;
  return db.transaction().execute(async (trx) => {
    const parent = await repo.lockOrgUnit(trx, tenantId, input.parentId);
    if (!parent)
      throw new AppError('ORG_UNIT_NOT_FOUND', `No org unit ${input.parentId}`, { id: input.parentId });
    access.assertAt('org.write', parent.path);
    const kind = childKind(kindOf(parent.kind), input.kind);
    if (await repo.codeTaken(trx, tenantId, input.code))
      throw new AppError('ORG_UNIT_CODE_TAKEN', `Code ${input.code} is taken`, { code: input.code });
    const row = await uniqueCode(input.code, () =>
      repo.insertOrgUnit(trx, { tenantId, parentId: parent.id, kind, code: input.code, name: input.name }),
    );
    const view = orgUnitView(row);
    await writeAudit(trx, actor, {
      action: 'org_unit.create',
      entity: 'org_unit',
      entityId: row.id,
      orgUnitPath: row.path,
      after: { parentId: view.parentId, kind, code: view.code, name: view.name },
    });
    return view;
  });
}

/**
 * Renames a unit or changes its code (`org.write` at the unit). The parent never changes here, so
 * the unit's path and every path below it stay valid. Audited with before and after; a patch
 * that changes nothing writes nothing.
 */
export async function changeOrgUnit(
  db: Kysely<DB>,
  access: Access,
  id: bigint,
  patch: { code?: string | undefined; name?: string | undefined },
  actor: Actor,
): Promise<OrgUnitView> {
  const tenantId = access.user.tenantId;
  return db.transaction().execute(async (trx) => {
    const unit = await repo.lockOrgUnit(trx, tenantId, id);
    if (!unit) throw new AppError('ORG_UNIT_NOT_FOUND', `No org unit ${id}`, { id });
    access.assertAt('org.write', unit.path);
    const changes: { code?: string; name?: string } = {};
    if (patch.code !== undefined && patch.code !== unit.code) changes.code = patch.code;
    if (patch.name !== undefined && patch.name !== unit.name) changes.name = patch.name;
    if (Object.keys(changes).length === 0) return orgUnitView(unit);
    if (changes.code !== undefined && (await repo.codeTaken(trx, tenantId, changes.code, unit.id)))
      throw new AppError('ORG_UNIT_CODE_TAKEN', `Code ${changes.code} is taken`, { code: changes.code });
    const row = await uniqueCode(changes.code ?? unit.code, () => repo.updateOrgUnit(trx, unit.id, changes));
    await writeAudit(trx, actor, {
      action: 'org_unit.change',
      entity: 'org_unit',
      entityId: unit.id,
      orgUnitPath: unit.path,
      before: Object.fromEntries(Object.keys(changes).map((k) => [k, unit[k as keyof typeof changes]])),
      after: changes,
    });
    return orgUnitView(row);
  });
}
