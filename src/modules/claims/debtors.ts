import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { formatMoney, parseMoney, tiyin } from '../../domain/money.ts';
import {
  addPeriods,
  type LocalDate,
  lastDay,
  type Period,
  periodOf,
  prevPeriod,
} from '../../domain/period.ts';

// The debtor list (R11): the contracts in the caller's scope whose balance at the end of a day is a
// debt above a minimum and whose oldest unpaid charge is overdue by more than N days.
//
// The balance is the Vitrina's (consumers/vitrina.service.ts balanceOn, after documents.service.ts
// settlementsOf), computed for many contracts at once: every bill line of the periods before the
// day's month — and of that month too on its last day, when its charges are posted — less the
// payments dated up to the day, a reversal counting negative on its own date. claims.routes.test.ts
// checks that the two agree contract by contract.
//
// Age: payments settle the oldest charges first (billing-rules §8), so the unpaid part of a debt is
// its latest charges. The oldest unpaid period is the one after the last period whose cumulative
// charges the payments cover; a charge of month M is due by the last day of M+1 (billing-rules §9,
// src/domain/penalty.ts overdueFrom), so the debt is overdue for `day − lastDay(M+1)` days, and the
// overdue part is the debt less the charges not yet due.

/** The sort keys of the debtor list. */
export const DEBTOR_SORTS = [
  'debt',
  'overdueDebt',
  'daysOverdue',
  'oldestPeriod',
  'lastPaymentOn',
  'consumer',
  'contract',
  'openClaims',
] as const;
export type DebtorSort = (typeof DEBTOR_SORTS)[number];

/** A row of the debtor list. */
export type Debtor = {
  contractId: string;
  contract: string;
  consumer: { id: string; name: string; kind: string; inn: string | null };
  orgUnit: { id: string; name: string };
  debt: string;
  overdueDebt: string;
  oldestPeriod: Period | null;
  daysOverdue: number;
  lastPayment: { paidOn: string; amount: string } | null;
  openClaims: number;
};

/** What the list is asked for. */
export type DebtorQuery = {
  tenantId: bigint;
  scope: readonly string[];
  on: LocalDate;
  unitPath: string | null;
  contractId?: bigint | undefined;
  minDebt: bigint;
  minDays: number;
  hasOpenClaim?: boolean | undefined;
  consumerKind?: string | undefined;
  q?: string | undefined;
  sort: DebtorSort;
  dir: 'asc' | 'desc';
  limit: number;
  offset: number;
};

const ORDER: Record<DebtorSort, string> = {
  debt: 'debt',
  overdueDebt: 'overdue_debt',
  daysOverdue: 'days_overdue',
  oldestPeriod: 'oldest_period',
  lastPaymentOn: 'last_paid_on',
  consumer: 'consumer_name',
  contract: 'contract_number',
  openClaims: 'open_claims',
};

type Row = {
  contract_id: bigint;
  contract_number: string;
  consumer_id: bigint;
  consumer_name: string;
  consumer_kind: string;
  inn: string | null;
  unit_id: bigint;
  unit_name: string;
  debt: bigint;
  overdue_debt: bigint;
  oldest_period: string | null;
  days_overdue: number;
  last_paid_on: string | null;
  last_paid_amount: bigint | null;
  open_claims: bigint;
  total: bigint;
};

/** The last period whose charges count in the balance at the end of `on` (balanceOn's rule). */
export function countedUpTo(on: LocalDate): Period {
  const period = periodOf(on);
  return on === lastDay(period) ? period : prevPeriod(period);
}

/** One page of the debtor list with the total, or every row (up to `limit`) for the XLSX. */
export async function listDebtors(
  db: Kysely<DB>,
  query: DebtorQuery,
): Promise<{ items: Debtor[]; total: number }> {
  const upTo = countedUpTo(query.on);
  // Charges of periods up to this one are due by `on` (a charge of M is overdue from the 1st of M+2).
  const dueUpTo = addPeriods(periodOf(query.on), -2);
  const filters: RawBuilder<unknown>[] = [
    sql`k.tenant_id = ${query.tenantId}`,
    inScope('ou.path', query.scope),
  ];
  if (query.unitPath) filters.push(inScope('ou.path', [query.unitPath]));
  if (query.contractId !== undefined) filters.push(sql`k.id = ${query.contractId}`);
  if (query.consumerKind) filters.push(sql`c.kind = ${query.consumerKind}`);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, '\\$&')}%`;
    filters.push(sql`(k.number = ${query.q} or c.inn = ${query.q} or c.name ilike ${like})`);
  }
  const having: RawBuilder<unknown>[] = [sql`debt > ${query.minDebt}`, sql`days_overdue > ${query.minDays}`];
  if (query.hasOpenClaim === true) having.push(sql`open_claims > 0`);
  if (query.hasOpenClaim === false) having.push(sql`open_claims = 0`);
  const dir = query.dir === 'asc' ? sql`asc` : sql`desc`;

  // Each contract's figures come from index lookups of its own bills and payments (lateral joins):
  // a plan that stays linear without table statistics, which PGlite never gathers on its own.
  const rows = await sql<Row>`
    with k as (
      select k.id, k.number, c.id as consumer_id, c.name, c.kind, c.inn, ou.id as unit_id, ou.name as unit_name
        from contract k
        join consumer c on c.id = k.consumer_id
        join org_unit ou on ou.id = k.org_unit_id
       where ${sql.join(filters, sql` and `)}
    ),
    rows as (
      select k.id as contract_id, k.number as contract_number, k.consumer_id, k.name as consumer_name,
             k.kind as consumer_kind, k.inn, k.unit_id, k.unit_name, d.debt,
             greatest(0, least(d.debt, d.debt - d.not_due))::bigint as overdue_debt,
             d.oldest_period,
             (${query.on}::date - ((d.oldest_period || '-01')::date + interval '2 months')::date + 1)::int
               as days_overdue,
             lp.paid_on::text as last_paid_on, lp.amount as last_paid_amount,
             (select count(*) from claim cl where cl.contract_id = k.id and cl.closed_at is null) as open_claims
        from k
        cross join lateral (
          select coalesce(sum(p.amount) - coalesce(sum(p.amount) filter (where p.reversed_on <= ${query.on}), 0), 0)::bigint
                   as paid
            from payment p
           where p.contract_id = k.id and p.paid_on <= ${query.on}
        ) pay
        cross join lateral (
          select (sum(c.amount) - pay.paid)::bigint as debt,
                 coalesce(sum(c.amount) filter (where c.period > ${dueUpTo}), 0)::bigint as not_due,
                 min(c.period) filter (where c.covered is null or c.period > c.covered) as oldest_period
            from (
              select y.period, y.amount, max(case when y.cum <= pay.paid then y.period end) over () as covered
                from (
                  select x.period, x.amount, sum(x.amount) over (order by x.period) as cum
                    from (
                      select b.period, sum(l.amount) as amount
                        from bill b
                        join bill_line l on l.bill_id = b.id
                       where b.contract_id = k.id and b.period <= ${upTo}
                       group by b.period
                    ) x
                ) y
            ) c
        ) d
        left join lateral (
          select p.paid_on, p.amount from payment p
           where p.contract_id = k.id and p.paid_on <= ${query.on}
             and (p.reversed_on is null or p.reversed_on > ${query.on})
           order by p.paid_on desc, p.id desc limit 1
        ) lp on true
       where d.debt > 0
    )
    select *, count(*) over () as total
      from rows
     where ${sql.join(having, sql` and `)}
     order by ${sql.raw(ORDER[query.sort])} ${dir} nulls last, contract_id ${dir}
     limit ${query.limit} offset ${query.offset}`.execute(db);

  const first = rows.rows[0];
  const total = first ? Number(first.total) : query.offset > 0 ? await countDebtors(db, query) : 0;
  return {
    total,
    items: rows.rows.map((r) => ({
      contractId: String(r.contract_id),
      contract: r.contract_number,
      consumer: { id: String(r.consumer_id), name: r.consumer_name, kind: r.consumer_kind, inn: r.inn },
      orgUnit: { id: String(r.unit_id), name: r.unit_name },
      debt: formatMoney(tiyin(BigInt(r.debt))),
      overdueDebt: formatMoney(tiyin(BigInt(r.overdue_debt))),
      oldestPeriod: r.oldest_period as Period | null,
      daysOverdue: Number(r.days_overdue),
      lastPayment:
        r.last_paid_on === null || r.last_paid_amount === null
          ? null
          : { paidOn: r.last_paid_on, amount: formatMoney(tiyin(BigInt(r.last_paid_amount))) },
      openClaims: Number(r.open_claims),
    })),
  };
}

/** The total of a page past the end (the window count is on the rows, and there are none). */
async function countDebtors(db: Kysely<DB>, query: DebtorQuery): Promise<number> {
  const all = await listDebtors(db, { ...query, offset: 0, limit: 1 });
  return all.total;
}

/**
 * A contract's debt at the end of `on` and its oldest unpaid period, by the debtor list's rule
 * (debt 0 and no period when the account is settled or in advance).
 */
export async function debtOf(
  db: Kysely<DB>,
  tenantId: bigint,
  contractId: bigint,
  on: LocalDate,
): Promise<{ debt: bigint; oldestPeriod: Period | null }> {
  const found = await listDebtors(db, {
    tenantId,
    scope: ['/'],
    on,
    unitPath: null,
    contractId,
    minDebt: 0n,
    minDays: -1_000_000,
    sort: 'debt',
    dir: 'desc',
    limit: 1,
    offset: 0,
  });
  const row = found.items[0];
  if (!row) return { debt: 0n, oldestPeriod: null };
  return { debt: parseMoney(row.debt), oldestPeriod: row.oldestPeriod };
}
