import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { AppError } from '../../domain/errors.ts';
import type { Access } from '../auth/access.ts';
import type { Permission } from '../auth/permissions.ts';
import { filterUnitPath } from '../auth/unit-filter.ts';
import type { ApplicationListQuery } from './applications.schemas.ts';
import { OPEN_STATUSES } from './applications.schemas.ts';
import {
  type ApplicationView,
  applicationViews,
  REQUISITE_FIELDS,
  type RequisiteField,
} from './applications.service.ts';

// The office inbox of applications (issue 6 point 6): the filtered, sorted page of the caller's
// org units, each application with its consumer, unit and assignee, and the consumer card beside
// a requested change of requisites.

/** The consumer card's column of each requisite a consumer may ask to change. */
export const REQUISITE_COLUMNS = {
  legalAddress: 'legal_address',
  postalAddress: 'postal_address',
  phone: 'phone',
  email: 'email',
  bankMfo: 'bank_mfo',
  bankAccount: 'bank_account',
} as const satisfies Record<RequisiteField, string>;

type Requisites = Record<string, string | null>;

/** What approving a change of requisites wrote to the consumer card. */
export type AppliedRequisites = { at: string; by: string | null; before: Requisites; after: Requisites };

/** An application as the office sees it. */
export type OfficeApplicationView = ApplicationView & {
  consumer: { id: string; name: string; inn: string | null };
  orgUnit: { id: string; name: string };
  assignee: { id: string; name: string } | null;
  requisites: {
    current: Requisites;
    requested: Requisites;
    applied: AppliedRequisites | null;
  } | null;
};

const SORT_COLUMNS = {
  createdAt: 'a.created_at',
  updatedAt: 'a.updated_at',
  number: 'a.number',
  status: 'a.status',
  type: 'a.type',
  visitDate: 'a.visit_date',
} as const;

/** The application's id, unit and tenant when it lies in the caller's units for `permission`. */
export async function applicationInScope(
  db: Kysely<DB>,
  access: Access,
  permission: Permission,
  id: string,
): Promise<{ id: bigint; path: string; tenantId: bigint }> {
  const row = await db
    .selectFrom('application as a')
    .innerJoin('org_unit as ou', 'ou.id', 'a.org_unit_id')
    .select(['a.id', 'ou.path', 'a.tenant_id'])
    .where('a.id', '=', BigInt(id))
    .where('a.tenant_id', '=', access.user.tenantId)
    .executeTakeFirst();
  // Out of scope answers exactly as unknown (as employee lists do): ids cannot be probed.
  if (!row || !access.canAt(permission, row.path))
    throw new AppError('UNKNOWN_APPLICATION', `Unknown application ${id}`, { id });
  return { id: row.id, path: row.path, tenantId: row.tenant_id };
}

/** One page (or, for XLSX, every row) of the applications in the caller's units, with the total. */
export async function listApplications(
  db: Kysely<DB>,
  access: Access,
  query: ApplicationListQuery,
  page: { limit: number; offset: number },
): Promise<{ items: OfficeApplicationView[]; total: number }> {
  const unitPath = query.orgUnitId
    ? await filterUnitPath(db, access, 'application.read', query.orgUnitId)
    : null;
  let base = db
    .selectFrom('application as a')
    .innerJoin('org_unit as ou', 'ou.id', 'a.org_unit_id')
    .innerJoin('contract as k', 'k.id', 'a.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .where('a.tenant_id', '=', access.user.tenantId)
    .where(inScope('ou.path', access.scope('application.read')));
  if (unitPath) base = base.where(inScope('ou.path', [unitPath]));
  if (query.status === 'open') base = base.where('a.status', 'in', [...OPEN_STATUSES]);
  else if (query.status) base = base.where('a.status', '=', query.status);
  if (query.type) base = base.where('a.type', '=', query.type);
  if (query.assignee === 'none') base = base.where('a.assignee_id', 'is', null);
  else if (query.assignee === 'me') base = base.where('a.assignee_id', '=', access.user.id);
  else if (query.assignee) base = base.where('a.assignee_id', '=', BigInt(query.assignee));
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, '\\$&')}%`;
    const q = query.q;
    base = base.where((eb) =>
      eb.or([eb('a.number', 'ilike', like), eb('k.number', '=', q), eb('c.name', 'ilike', like)]),
    );
  }
  const counted = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const column = SORT_COLUMNS[query.sort];
  const rows = await base
    .select('a.id')
    .orderBy(sql.ref(column), (ob) => (query.dir === 'asc' ? ob.asc() : ob.desc()).nullsLast())
    .orderBy('a.id', query.dir)
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    items: await officeApplicationViews(
      db,
      rows.map((r) => r.id),
    ),
    total: Number(counted.n),
  };
}

/** Applications with their timelines, consumer, unit and assignee, in the order of `ids`. */
export async function officeApplicationViews(
  db: Kysely<DB>,
  ids: readonly bigint[],
): Promise<OfficeApplicationView[]> {
  if (ids.length === 0) return [];
  const views = await applicationViews(db, [...ids]);
  const rows = await db
    .selectFrom('application as a')
    .innerJoin('contract as k', 'k.id', 'a.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('org_unit as ou', 'ou.id', 'a.org_unit_id')
    .leftJoin('app_user as u', 'u.id', 'a.assignee_id')
    .select([
      'a.id',
      'a.applied',
      'c.id as consumer_id',
      'c.name as consumer_name',
      'c.inn',
      'c.legal_address',
      'c.postal_address',
      'c.phone',
      'c.email',
      'c.bank_mfo',
      'c.bank_account',
      'ou.id as unit_id',
      'ou.name as unit_name',
      'u.id as assignee_id',
      'u.full_name as assignee_name',
    ])
    .where('a.id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  return views.flatMap((v) => {
    const r = byId.get(v.id);
    if (!r) return [];
    const requested = v.details.requisites as Requisites | undefined;
    const current = Object.fromEntries(
      REQUISITE_FIELDS.map((f) => [f, r[REQUISITE_COLUMNS[f]]]),
    ) as Requisites;
    const applied = (
      typeof r.applied === 'string' ? JSON.parse(r.applied) : r.applied
    ) as AppliedRequisites | null;
    return [
      {
        ...v,
        consumer: { id: String(r.consumer_id), name: r.consumer_name, inn: r.inn },
        orgUnit: { id: String(r.unit_id), name: r.unit_name },
        assignee: r.assignee_id === null ? null : { id: String(r.assignee_id), name: r.assignee_name ?? '' },
        requisites:
          v.type === 'requisites_change'
            ? { current, requested: requested ?? {}, applied: applied ?? null }
            : null,
      },
    ];
  });
}

/** One application as the office sees it. */
export async function officeApplicationView(db: Kysely<DB>, id: bigint): Promise<OfficeApplicationView> {
  const [view] = await officeApplicationViews(db, [id]);
  if (!view) throw new AppError('UNKNOWN_APPLICATION', `Unknown application ${id}`, { id: String(id) });
  return view;
}
