import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import type { Access } from '../auth/access.ts';
import { filterUnitPath } from '../auth/unit-filter.ts';
import type { ClaimListQuery } from './claims.schemas.ts';
import { type ClaimSummary, claimSummaries } from './claims.views.ts';

// The office table of claims (decision 015): the caller's units, filtered, sorted, paged.

const SORT_COLUMNS = {
  openedOn: 'cl.opened_on',
  number: 'cl.number',
  kind: 'cl.kind',
  status: 'cl.status',
  debtAmount: 'cl.debt_amount',
  dueOn: 'cl.due_on',
  hearingOn: 'cl.hearing_on',
  consumer: 'c.name',
} as const;

/** One page (or, for XLSX, every row up to the limit) of the claims in the caller's units. */
export async function listClaims(
  db: Kysely<DB>,
  access: Access,
  query: ClaimListQuery,
  page: { limit: number; offset: number },
): Promise<{ items: ClaimSummary[]; total: number }> {
  const unitPath = query.orgUnitId ? await filterUnitPath(db, access, 'claim.read', query.orgUnitId) : null;
  let base = db
    .selectFrom('claim as cl')
    .innerJoin('org_unit as ou', 'ou.id', 'cl.org_unit_id')
    .innerJoin('contract as k', 'k.id', 'cl.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .where('cl.tenant_id', '=', access.user.tenantId)
    .where(inScope('ou.path', access.scope('claim.read')));
  if (unitPath) base = base.where(inScope('ou.path', [unitPath]));
  if (query.kind) base = base.where('cl.kind', '=', query.kind);
  if (query.contractId) base = base.where('cl.contract_id', '=', BigInt(query.contractId));
  if (query.status === 'open') base = base.where('cl.closed_at', 'is', null);
  else if (query.status === 'closed') base = base.where('cl.closed_at', 'is not', null);
  else if (query.status) base = base.where('cl.status', '=', query.status);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, '\\$&')}%`;
    const q = query.q;
    base = base.where((eb) =>
      eb.or([
        eb('cl.number', 'ilike', like),
        eb('cl.case_number', 'ilike', like),
        eb('k.number', '=', q),
        eb('c.name', 'ilike', like),
      ]),
    );
  }
  const counted = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select('cl.id')
    .orderBy(sql.ref(SORT_COLUMNS[query.sort]), (ob) =>
      (query.dir === 'asc' ? ob.asc() : ob.desc()).nullsLast(),
    )
    .orderBy('cl.id', query.dir)
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    items: await claimSummaries(
      db,
      rows.map((r) => r.id),
    ),
    total: Number(counted.n),
  };
}
