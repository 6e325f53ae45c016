import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type LocalDate, lastDay, nextPeriod, type Period, parsePeriod } from '../../domain/period.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import {
  type BillingIssue,
  billChunk,
  type ChunkContext,
  type ChunkContract,
  loadSettings,
} from './bill-engine.ts';

/** Accounts billed per transaction: big enough for set-based statements, small enough to lose little. */
export const DEFAULT_CHUNK = 2000;

/** Serialises billing of one supplier: chunks of concurrent runs and closes take turns. */
export async function lockBilling(trx: Transaction<DB>, tenantId: bigint): Promise<void> {
  await sql`select pg_advisory_xact_lock(7340, ${String(tenantId)}::int)`.execute(trx);
}

/**
 * Refuses to bill P when it is closed, when an earlier period is still open (periods are billed
 * and closed in order) or before P has ended (a bill run counts the payments of P's last day).
 */
export async function assertBillable(
  trx: Transaction<DB>,
  tenantId: bigint,
  period: Period,
  on: LocalDate,
): Promise<void> {
  const rows = await trx
    .selectFrom('billing_period')
    .select([
      sql<string | null>`max(period) filter (where status = 'closed')`.as('last_closed'),
      sql<string | null>`min(period) filter (where status = 'open')`.as('first_open'),
    ])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  const lastClosed = rows?.last_closed ?? null;
  if (lastClosed !== null && period <= lastClosed)
    throw new AppError('PERIOD_ALREADY_CLOSED', `Period ${period} is already closed`, { period });
  const next = lastClosed !== null ? nextPeriod(parsePeriod(lastClosed)) : (rows?.first_open ?? null);
  if (next !== null && period > next)
    throw new AppError('PERIOD_OUT_OF_ORDER', `Close ${next} before ${period}`, { period, next });
  if (on < lastDay(period))
    throw new AppError('BILL_RUN_TOO_EARLY', `Period ${period} has not ended yet`, {
      period,
      from: lastDay(period),
    });
}

/** Which accounts a run covers: a supplier, or an org unit (region, district) and its subtree. */
export type RunScope = { tenantId: bigint; period: Period; orgPath: string | null };

function inScope(scope: RunScope, after = 0n) {
  return sql`k.tenant_id = ${scope.tenantId} and k.status = 'active'
    and k.start_date <= ${lastDay(scope.period)}
    and (k.end_date is null or k.end_date >= ${`${scope.period}-01`})
    and (${scope.orgPath}::text is null
         or k.org_unit_id in (select id from org_unit where path like ${scope.orgPath ?? ''} || '%'))
    and not exists (select 1 from bill b where b.contract_id = k.id and b.contract_id > ${after}
                    and b.period = ${scope.period} and b.billed_at is not null)`;
}

/** How many accounts of the scope are not billed for the period yet. */
export async function countUnbilled(trx: Kysely<DB> | Transaction<DB>, scope: RunScope): Promise<number> {
  const r = await sql<{ n: bigint }>`select count(*) as n from contract k where ${inScope(scope)}`.execute(
    trx,
  );
  return Number(r.rows[0]?.n ?? 0n);
}

/** The next accounts of the scope not billed yet, after contract id `after`, in id order. */
export async function nextUnbilled(
  trx: Kysely<DB> | Transaction<DB>,
  scope: RunScope,
  after: bigint,
  limit: number,
): Promise<ChunkContract[]> {
  const r = await sql<ChunkContract>`
    select k.id, k.number, k.commodity from contract k
     where ${inScope(scope, after)} and k.id > ${after}
     order by k.id limit ${limit}`.execute(trx);
  return r.rows;
}

/** Bills, in the caller's transaction, every account of the supplier not billed yet for the period. */
export async function billRemaining(
  trx: Transaction<DB>,
  ctx: ChunkContext,
  chunk = DEFAULT_CHUNK,
): Promise<{ billed: number; issues: BillingIssue[] }> {
  const scope = { tenantId: ctx.tenantId, period: ctx.period, orgPath: null };
  const issues: BillingIssue[] = [];
  let billed = 0;
  let after = 0n;
  for (;;) {
    const contracts = await nextUnbilled(trx, scope, after, chunk);
    if (contracts.length === 0) break;
    const result = await billChunk(trx, ctx, contracts);
    billed += result.billed;
    issues.push(...result.issues);
    after = contracts[contracts.length - 1]?.id ?? after;
  }
  return { billed, issues };
}

/** A bill run as the API shows it. */
export type BillRunStatus = 'queued' | 'running' | 'done' | 'failed';

export type BillRunView = {
  id: string;
  period: string;
  org_unit_id: string | null;
  status: BillRunStatus;
  total: number;
  done: number;
  billed: number;
  warnings: number;
  errors: number;
  percent: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

/** The latest run of this scope and period that did not finish (queued, running or failed), if any. */
export async function findUnfinishedRun(
  db: Kysely<DB>,
  scope: { tenantId: bigint; period: Period; orgUnitId: bigint | null },
): Promise<bigint | null> {
  const row = await db
    .selectFrom('bill_run')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('period', '=', scope.period)
    .where((eb) =>
      scope.orgUnitId === null ? eb('org_unit_id', 'is', null) : eb('org_unit_id', '=', scope.orgUnitId),
    )
    .where('status', '<>', 'done')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Creates a bill run (status queued) after checking that the period can be billed. */
export async function createBillRun(
  db: Kysely<DB>,
  actor: Actor,
  input: { tenantId: bigint; period: Period; orgUnitId: bigint | null; on: LocalDate },
): Promise<bigint> {
  return db.transaction().execute(async (trx) => {
    await assertBillable(trx, input.tenantId, input.period, input.on);
    let orgPath: string | null = null;
    if (input.orgUnitId !== null) {
      const unit = await trx
        .selectFrom('org_unit')
        .select(['path', 'tenant_id'])
        .where('id', '=', input.orgUnitId)
        .executeTakeFirst();
      if (!unit || unit.tenant_id !== input.tenantId)
        throw new AppError('NOT_FOUND', `No org unit ${input.orgUnitId}`, { id: String(input.orgUnitId) });
      orgPath = unit.path;
    }
    const run = await trx
      .insertInto('bill_run')
      .values({
        tenant_id: input.tenantId,
        org_unit_id: input.orgUnitId,
        period: input.period,
        created_by: actor.type === 'user' && actor.id ? BigInt(actor.id) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'bill_run.create',
      entity: 'bill_run',
      entityId: run.id,
      tenantId: input.tenantId,
      orgUnitPath: orgPath,
      after: { period: input.period, org_unit_id: input.orgUnitId },
    });
    return run.id;
  });
}

/**
 * Executes a bill run: a transaction per chunk of accounts, each recording its bills, issues and
 * the run's progress together, so a crash loses at most the chunk in flight and running the same
 * run again (or a new one) bills exactly the accounts left. Errors of one account are recorded
 * and do not stop the run.
 */
export async function executeBillRun(
  db: Kysely<DB>,
  actor: Actor,
  runId: bigint,
  opts: { on: LocalDate; chunk?: number; workers?: number; onProgress?: (view: BillRunView) => void },
): Promise<BillRunView> {
  const run = await db.selectFrom('bill_run').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!run) throw new AppError('BILL_RUN_NOT_FOUND', `No bill run ${runId}`, { id: String(runId) });
  if (run.status === 'done') return toView(run);
  const period = parsePeriod(run.period);
  const orgPath =
    run.org_unit_id === null
      ? null
      : ((await db.selectFrom('org_unit').select('path').where('id', '=', run.org_unit_id).executeTakeFirst())
          ?.path ?? null);
  const scope: RunScope = { tenantId: run.tenant_id, period, orgPath };
  const ctx: ChunkContext = {
    tenantId: run.tenant_id,
    period,
    settings: await db.transaction().execute((trx) => loadSettings(trx, run.tenant_id)),
    runOn: opts.on,
    runId,
    tariffs: new Map(),
  };
  // A rerun continues the counters: `done` of the accounts billed before stays, `total` grows by none.
  const left = await countUnbilled(db, scope);
  await db
    .updateTable('bill_run')
    .set({
      status: 'running',
      started_at: run.started_at ?? sql<Date>`now()`,
      total: run.done + left,
      error: null,
    })
    .where('id', '=', runId)
    .execute();
  const billOne = (contracts: ChunkContract[]) =>
    db.transaction().execute(async (trx) => {
      await assertBillable(trx, run.tenant_id, period, opts.on);
      const result = await billChunk(trx, ctx, contracts);
      if (result.issues.length > 0)
        await trx
          .insertInto('bill_run_issue')
          .values(
            result.issues.map((i) => ({
              run_id: runId,
              contract_id: i.contractId,
              severity: i.severity,
              code: i.code,
              message: i.message,
            })),
          )
          .onConflict((oc) => oc.columns(['run_id', 'contract_id', 'code']).doNothing())
          .execute();
      const errors = result.issues.filter((i) => i.severity === 'error').length;
      const updated = await trx
        .updateTable('bill_run')
        .set((eb) => ({
          done: eb('done', '+', contracts.length),
          billed: eb('billed', '+', result.billed),
          warnings: eb('warnings', '+', result.issues.length - errors),
          errors: eb('errors', '+', errors),
        }))
        .where('id', '=', runId)
        .returningAll()
        .executeTakeFirstOrThrow();
      opts.onProgress?.(toView(updated));
    });
  // Chunks are taken in contract id order and billed by `workers` transactions at a time; a bill
  // already marked billed is never written twice (see writeBills), so workers cannot collide.
  const workers = Math.max(1, opts.workers ?? 1);
  const inflight = new Set<Promise<void>>();
  let failure: unknown = null;
  let after = 0n;
  try {
    while (failure === null) {
      const contracts = await nextUnbilled(db, scope, after, opts.chunk ?? DEFAULT_CHUNK);
      if (contracts.length === 0) break;
      after = contracts[contracts.length - 1]?.id ?? after;
      const job: Promise<void> = billOne(contracts)
        .catch((e: unknown) => {
          failure ??= e;
        })
        .finally(() => inflight.delete(job));
      inflight.add(job);
      if (inflight.size >= workers) await Promise.race(inflight);
    }
    await Promise.all(inflight);
    if (failure !== null) throw failure;
  } catch (e) {
    await db
      .updateTable('bill_run')
      .set({ status: 'failed', error: (e as Error).message, finished_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .execute();
    throw e;
  }
  // The run changed a large part of bill and bill_line: fresh statistics keep the next run's plans good.
  await sql`analyze bill, bill_line, allocation`.execute(db);
  return db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('bill_run')
      .set({ status: 'done', finished_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'bill_run.finish',
      entity: 'bill_run',
      entityId: runId,
      tenantId: run.tenant_id,
      orgUnitPath: orgPath,
      after: { period, billed: done.billed, warnings: done.warnings, errors: done.errors },
    });
    return toView(done);
  });
}

type RunRow = {
  id: bigint;
  period: string;
  org_unit_id: bigint | null;
  status: string;
  total: number;
  done: number;
  billed: number;
  warnings: number;
  errors: number;
  error: string | null;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
};

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toView(r: RunRow): BillRunView {
  return {
    id: String(r.id),
    period: r.period,
    org_unit_id: r.org_unit_id === null ? null : String(r.org_unit_id),
    status: r.status as BillRunStatus,
    total: r.total,
    done: r.done,
    billed: r.billed,
    warnings: r.warnings,
    errors: r.errors,
    percent: r.total === 0 ? (r.status === 'done' ? 100 : 0) : Math.floor((r.done * 100) / r.total),
    error: r.error,
    created_at: iso(r.created_at) ?? '',
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
  };
}
