import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';
import {
  type LocalDate,
  lastDay,
  nextPeriod,
  type Period,
  parsePeriod,
  periodOf,
} from '../../domain/period.ts';

/** A billing period of a supplier as the office lists it. */
export type PeriodView = {
  period: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  closedBy: string | null;
  /** Bills of the caller's scope for the period: numbered at close, or billed with lines before it. */
  bills: number;
  /** Their total with VAT, so'm. */
  total: string;
};

/**
 * The supplier's periods, newest first: every closed one, and the open one that follows the last
 * closed (the one bill runs and closing work on), with the bills and their total within `paths`.
 */
export async function listPeriods(
  db: Kysely<DB>,
  tenantId: bigint,
  paths: readonly string[],
  today: LocalDate,
): Promise<PeriodView[]> {
  const periods = await db
    .selectFrom('billing_period as p')
    .leftJoin('app_user as u', 'u.id', 'p.closed_by')
    .select(['p.period', 'p.status', 'p.closed_at', 'u.full_name'])
    .where('p.tenant_id', '=', tenantId)
    .orderBy('p.period', 'desc')
    .execute();
  const lastClosed = periods.find((p) => p.status === 'closed')?.period ?? null;
  const open = lastClosed !== null ? nextPeriod(parsePeriod(lastClosed)) : periodOf(today);
  const views = new Map<string, PeriodView>();
  views.set(open, { period: open, status: 'open', closedAt: null, closedBy: null, bills: 0, total: '0.00' });
  for (const p of periods) {
    if (p.status !== 'closed') continue;
    views.set(p.period, {
      period: p.period,
      status: 'closed',
      closedAt: p.closed_at ? p.closed_at.toISOString() : null,
      closedBy: p.full_name ?? null,
      bills: 0,
      total: '0.00',
    });
  }
  if (paths.length > 0) {
    const sums = await sql<{ period: string; bills: string; total: string }>`
      select b.period, count(*)::text as bills, coalesce(sum(b.total), 0)::text as total
        from bill b
        join contract k on k.id = b.contract_id
        join org_unit ou on ou.id = k.org_unit_id
       where b.tenant_id = ${tenantId}
         and b.period = any(${[...views.keys()]}::text[])
         and (b.number is not null
              or (b.billed_at is not null and exists (select 1 from bill_line l where l.bill_id = b.id)))
         and (${sql.join(
           paths.map((p) => sql`ou.path like ${`${p}%`}`),
           sql` or `,
         )})
       group by b.period`.execute(db);
    for (const s of sums.rows) {
      const v = views.get(s.period);
      if (v) Object.assign(v, { bills: Number(s.bills), total: formatMoney(tiyin(BigInt(s.total))) });
    }
  }
  return [...views.values()].sort((a, b) => (a.period < b.period ? 1 : -1));
}

/** What a bill run of a period would meet in an org unit's subtree (R3.2, R3.4, billing-rules §3). */
export type Readiness = {
  period: string;
  /** Active contracts of the period. */
  accounts: number;
  /** Of them, already billed for the period. */
  billed: number;
  /** With at least one accepted reading dated in the period. */
  withReading: number;
  /** Without one: billed by estimate or contract volume, or not at all when neither exists. */
  withoutReading: number;
  /** Readings of the period entered by staff and not confirmed yet: they will not be billed. */
  awaitingConfirmation: number;
  /** Readings of the period held by a VEE rule. */
  suspect: number;
};

/** Counts for the readiness of `period` under the org-unit path `orgPath`. */
export async function periodReadiness(
  db: Kysely<DB>,
  tenantId: bigint,
  period: Period,
  orgPath: string,
): Promise<Readiness> {
  const first = `${period}-01`;
  const last = lastDay(period);
  const rows = await sql<{
    accounts: string;
    billed: string;
    with_reading: string;
    awaiting: string;
    suspect: string;
  }>`
    with k as (
      select k.id from contract k join org_unit ou on ou.id = k.org_unit_id
       where k.tenant_id = ${tenantId} and k.status = 'active'
         and k.start_date <= ${last} and (k.end_date is null or k.end_date >= ${first})
         and ou.path like ${`${orgPath}%`}
    ),
    r as (
      select p.contract_id, rd.status
        from reading rd
        join register g on g.id = rd.register_id
        join meter m on m.id = g.meter_id
        join metering_point p on p.id = m.metering_point_id
       where rd.tenant_id = ${tenantId} and rd.read_on >= ${first} and rd.read_on <= ${last}
         and p.contract_id in (select id from k)
    )
    select (select count(*) from k)::text as accounts,
           (select count(*) from bill b where b.contract_id in (select id from k)
             and b.period = ${period} and b.billed_at is not null)::text as billed,
           (select count(distinct contract_id) from r where status = 'accepted')::text as with_reading,
           (select count(*) from r where status = 'submitted')::text as awaiting,
           (select count(*) from r where status = 'suspect')::text as suspect`.execute(db);
  const r = rows.rows[0];
  if (!r) throw new Error('readiness query answered no row');
  const accounts = Number(r.accounts);
  const withReading = Number(r.with_reading);
  return {
    period,
    accounts,
    billed: Number(r.billed),
    withReading,
    withoutReading: accounts - withReading,
    awaitingConfirmation: Number(r.awaiting),
    suspect: Number(r.suspect),
  };
}

/** An account of the period with no accepted reading dated in it. */
export type UnreadAccount = {
  contractId: string;
  contract: string;
  consumer: string;
  orgUnit: string;
  /** Meters in service on the period's last day. */
  meters: number;
  /** The newest accepted reading before the period, if any. */
  lastReadOn: string | null;
  /** Readings of the period not billable yet: entered and waiting, or held by VEE. */
  pending: number;
};

/**
 * The accounts under `orgPath` active in `period` without an accepted reading dated in it: the
 * ones a bill run will estimate or bill by contract volume (billing-rules §3), for the operator to
 * chase before the run. Sorted by contract number; a page and the total.
 */
export async function unreadAccounts(
  db: Kysely<DB>,
  input: {
    tenantId: bigint;
    period: Period;
    orgPath: string;
    sort: 'contract' | 'consumer' | 'lastReadOn';
    dir: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
): Promise<{ items: UnreadAccount[]; total: number }> {
  const first = `${input.period}-01`;
  const last = lastDay(input.period);
  const order = { contract: sql`u.number`, consumer: sql`c.name`, lastReadOn: sql`last_read_on` }[input.sort];
  const dir = input.dir === 'desc' ? sql`desc nulls last` : sql`asc nulls first`;
  const rows = await sql<{
    contract_id: bigint;
    number: string;
    consumer: string;
    org_unit: string;
    meters: string;
    last_read_on: string | null;
    pending: string;
    total: string;
  }>`
    with k as (
      select k.id, k.number, k.consumer_id, ou.name as org_unit
        from contract k join org_unit ou on ou.id = k.org_unit_id
       where k.tenant_id = ${input.tenantId} and k.status = 'active'
         and k.start_date <= ${last} and (k.end_date is null or k.end_date >= ${first})
         and ou.path like ${`${input.orgPath}%`}
    ),
    g as (
      select p.contract_id, g.id as register_id, m.id as meter_id
        from metering_point p
        join meter m on m.metering_point_id = p.id
         and m.installed_on <= ${last} and (m.removed_on is null or m.removed_on >= ${first})
        join register g on g.meter_id = m.id
       where p.contract_id in (select id from k)
    ),
    unread as (
      select k.* from k
       where not exists (select 1 from g join reading r on r.register_id = g.register_id
                          where g.contract_id = k.id and r.status = 'accepted'
                            and r.read_on >= ${first} and r.read_on <= ${last})
    )
    select u.id as contract_id, u.number, c.name as consumer, u.org_unit,
           (select count(distinct meter_id) from g where g.contract_id = u.id)::text as meters,
           (select max(r.read_on)::text from g join reading r on r.register_id = g.register_id
             where g.contract_id = u.id and r.status = 'accepted' and r.read_on < ${first}) as last_read_on,
           (select count(*) from g join reading r on r.register_id = g.register_id
             where g.contract_id = u.id and r.status in ('submitted', 'suspect')
               and r.read_on >= ${first} and r.read_on <= ${last})::text as pending,
           count(*) over ()::text as total
      from unread u join consumer c on c.id = u.consumer_id
     order by ${order} ${dir}, u.number
     limit ${input.limit} offset ${input.offset}`.execute(db);
  return {
    total: Number(rows.rows[0]?.total ?? 0),
    items: rows.rows.map((r) => ({
      contractId: String(r.contract_id),
      contract: r.number,
      consumer: r.consumer,
      orgUnit: r.org_unit,
      meters: Number(r.meters),
      lastReadOn: r.last_read_on,
      pending: Number(r.pending),
    })),
  };
}
