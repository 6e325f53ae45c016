import { isAppError } from '../domain/errors.ts';
import { type LocalDate, parseLocalDate, parsePeriod, todayInTashkent } from '../domain/period.ts';
import { SYSTEM_ACTOR } from '../modules/audit/audit.ts';
import { createBillRun, executeBillRun, findUnfinishedRun } from '../modules/billing/bill-run.service.ts';
import { closePeriod } from '../modules/billing/close-period.ts';
import { cliLogger, type GlobalOptions, openMigrated } from './runtime.ts';

export type BillRunOptions = GlobalOptions & {
  period: string;
  tenant?: string | undefined;
  org?: string | undefined;
  on?: string | undefined;
  close?: boolean | undefined;
  chunk?: string | undefined;
  workers?: string | undefined;
};

/**
 * `hisob bill-run --period P [--tenant CODE] [--org CODE]`: bills the accounts of a supplier, a
 * region or a district for P, continuing an unfinished run of the same scope; progress on stderr,
 * the run as JSON on stdout. Exit 0 when every account is billed, 1 when some could not be
 * (listed), 2 when the run is refused.
 */
export async function runBillRun(opts: BillRunOptions): Promise<number> {
  const log = cliLogger();
  const database = await openMigrated(opts, log);
  const { db } = database;
  try {
    const period = parsePeriod(opts.period);
    const on: LocalDate = opts.on ? parseLocalDate(opts.on) : todayInTashkent();
    const tenants = await db.selectFrom('tenant').select(['id', 'code']).orderBy('id').execute();
    const tenant = opts.tenant
      ? tenants.find((t) => t.code === opts.tenant)
      : tenants.length === 1
        ? tenants[0]
        : undefined;
    if (!tenant) {
      process.stderr.write(
        opts.tenant
          ? `No supplier with code ${opts.tenant}; there are: ${tenants.map((t) => t.code).join(', ')}\n`
          : `Say which supplier with --tenant: ${tenants.map((t) => t.code).join(', ')}\n`,
      );
      return 2;
    }
    let orgUnitId: bigint | null = null;
    if (opts.org) {
      const unit = await db
        .selectFrom('org_unit')
        .select('id')
        .where('tenant_id', '=', tenant.id)
        .where('code', '=', opts.org)
        .executeTakeFirst();
      if (!unit) {
        process.stderr.write(`No org unit ${opts.org} in supplier ${tenant.code}\n`);
        return 2;
      }
      orgUnitId = unit.id;
    }
    const scope = { tenantId: tenant.id, period, orgUnitId };
    const resumed = await findUnfinishedRun(db, scope);
    const runId = resumed ?? (await createBillRun(db, SYSTEM_ACTOR, { ...scope, on }));
    if (resumed !== null) log.info({ run: String(runId) }, 'continuing an unfinished bill run');
    let lastPercent = -1;
    const view = await executeBillRun(db, SYSTEM_ACTOR, runId, {
      on,
      ...(opts.chunk ? { chunk: Number(opts.chunk) } : {}),
      workers: opts.workers ? Number(opts.workers) : database.kind === 'postgres' ? 2 : 1,
      onProgress: (v) => {
        if (v.percent !== lastPercent) {
          lastPercent = v.percent;
          process.stderr.write(`bill run ${v.id}: ${v.percent} % (${v.done} of ${v.total} accounts)\n`);
        }
      },
    });
    const issues = await db
      .selectFrom('bill_run_issue as i')
      .innerJoin('contract as k', 'k.id', 'i.contract_id')
      .select(['k.number as account', 'i.severity', 'i.code', 'i.message'])
      .where('i.run_id', '=', runId)
      .orderBy('k.number')
      .limit(100)
      .execute();
    let closed: unknown = null;
    if (opts.close && view.errors === 0) {
      if (orgUnitId !== null) {
        process.stderr.write('--close closes the whole supplier: run it without --org\n');
        return 2;
      }
      const result = await db
        .transaction()
        .execute((trx) => closePeriod(trx, SYSTEM_ACTOR, { tenantId: tenant.id, period, closedOn: on }));
      closed = { period: result.period, bills: result.bills };
    }
    process.stdout.write(`${JSON.stringify({ run: view, issues, closed })}\n`);
    return view.errors > 0 ? 1 : 0;
  } catch (e) {
    if (!isAppError(e)) throw e;
    process.stderr.write(`${e.code}: ${e.message}\n`);
    return 2;
  } finally {
    await database.close();
  }
}
