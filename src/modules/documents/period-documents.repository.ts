import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Period } from '../../domain/period.ts';
import type { Locale } from '../../i18n/locale.ts';

// SQL of a period's document pack: which contracts it covers, which of their documents are
// archived, and the runs that make them (see docs/decisions/017-period-documents.md).

type Db = Kysely<DB> | Transaction<DB>;

/** The contracts a pack covers: a supplier, or an org unit and its subtree, one period and language. */
export type PackScope = { tenantId: bigint; period: Period; orgPath: string | null; lang: Locale };

/** A contract of the pack. */
export type PackContract = { id: bigint; number: string };

/** The key of the period's reconciliation act in `signed_document` (an act over one month). */
export const actKeyOf = (period: Period): string => `${period}..${period}`;

/** Contracts of the scope with an invoice (a numbered bill) in the period. */
function packed(scope: PackScope): RawBuilder<unknown> {
  return sql`k.tenant_id = ${scope.tenantId}
    and exists (select 1 from bill b where b.contract_id = k.id and b.period = ${scope.period}
                and b.number is not null)
    and (${scope.orgPath}::text is null
         or k.org_unit_id in (select id from org_unit where path like ${scope.orgPath ?? ''} || '%'))`;
}

/** How many of the contract's two documents (invoice, act) of the period are archived and current. */
function archivedCount(scope: PackScope): RawBuilder<unknown> {
  return sql`(select count(*) from signed_document d
     where d.contract_id = k.id and d.lang = ${scope.lang} and d.superseded_at is null
       and ((d.kind = 'invoice' and d.key = ${scope.period})
            or (d.kind = 'act' and d.key = ${actKeyOf(scope.period)})))`;
}

/** The pack's size: contracts with an invoice, and those whose two documents are already archived. */
export async function countPack(db: Db, scope: PackScope): Promise<{ contracts: number; archived: number }> {
  const r = await sql<{ contracts: string | bigint; archived: string | bigint }>`
    select count(*) as contracts, count(*) filter (where ${archivedCount(scope)} = 2) as archived
      from contract k where ${packed(scope)}`.execute(db);
  const row = r.rows[0];
  return { contracts: Number(row?.contracts ?? 0), archived: Number(row?.archived ?? 0) };
}

/** The next contracts of the pack after contract id `after` that lack an archived document, in id order. */
export async function nextContractsToSign(
  db: Db,
  scope: PackScope,
  after: bigint,
  limit: number,
): Promise<PackContract[]> {
  const r = await sql<PackContract>`
    select k.id, k.number from contract k
     where ${packed(scope)} and k.id > ${after} and ${archivedCount(scope)} < 2
     order by k.id limit ${limit}`.execute(db);
  return r.rows.map((row) => ({ id: BigInt(row.id), number: row.number }));
}

/** Which of the contract's documents of the period are archived (current version) in the language. */
export async function archivedKinds(
  db: Db,
  scope: PackScope,
  contractId: bigint,
): Promise<Set<'invoice' | 'act'>> {
  const rows = await db
    .selectFrom('signed_document')
    .select('kind')
    .where('contract_id', '=', contractId)
    .where('lang', '=', scope.lang)
    .where('superseded_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'invoice'), eb('key', '=', scope.period)]),
        eb.and([eb('kind', '=', 'act'), eb('key', '=', actKeyOf(scope.period))]),
      ]),
    )
    .execute();
  return new Set(rows.map((r) => (r.kind === 'act' ? 'act' : 'invoice')));
}

/**
 * Refuses documents for a period that is not closed (PERIOD_NOT_CLOSED), as the cabinet does:
 * documents are made from what the close froze, so an open period has none, not even drafts.
 */
export async function assertPeriodClosed(db: Db, tenantId: bigint, period: Period): Promise<void> {
  const row = await db
    .selectFrom('billing_period')
    .select(sql<string | null>`max(period)`.as('period'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  const closed = row?.period ?? null;
  if (closed === null || period > closed)
    throw new AppError('PERIOD_NOT_CLOSED', `Period ${period} is not closed yet`, { period });
}

/** The org-unit path of a run (null: the whole supplier). */
export async function orgPathOf(db: Db, orgUnitId: bigint | null): Promise<string | null> {
  if (orgUnitId === null) return null;
  const unit = await db.selectFrom('org_unit').select('path').where('id', '=', orgUnitId).executeTakeFirst();
  return unit?.path ?? null;
}
