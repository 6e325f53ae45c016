import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { AppError } from '../../domain/errors.ts';
import { formatMoney, parseMoney } from '../../domain/money.ts';
import { parsePeriod, todayInTashkent } from '../../domain/period.ts';
import { parseQuantity } from '../../domain/quantity.ts';
import { ERROR_RESPONSES, ZId, ZPeriod } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { type JobQueue, QUEUES } from '../../jobs/queue.ts';
import type { BillRunJob } from '../../jobs/workers.ts';
import { contractInScope } from '../accounts/accounts.service.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import { assertBillable, createBillRun, findUnfinishedRun, toView } from './bill-run.service.ts';
import { closePeriod } from './close-period.ts';
import { postCorrection } from './corrections.service.ts';

const ZBillRun = z.object({
  id: z.string(),
  period: z.string(),
  org_unit_id: z.string().nullable(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  total: z.number(),
  done: z.number(),
  billed: z.number(),
  warnings: z.number(),
  errors: z.number(),
  percent: z.number(),
  error: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});

const ZIssue = z.object({
  account: z.string(),
  severity: z.enum(['warning', 'error']),
  code: z.string(),
  message: z.string().nullable(),
});

/**
 * Bill runs and period close (billing-rules §10). A run is started for the caller's supplier and
 * an org unit in the caller's `billing.run` scope and executed by a pg-boss worker; its progress
 * (percent, accounts done, warnings, errors) is read back here.
 */
export const billingRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB>; jobs: JobQueue }> = async (app, opts) => {
  const { db } = opts;

  /** The run with the org-unit path it covers, if the caller may see it. */
  const runInScope = async (id: string, tenantId: bigint, paths: readonly string[]) => {
    const row = await db
      .selectFrom('bill_run as r')
      .leftJoin('org_unit as ou', 'ou.id', 'r.org_unit_id')
      .selectAll('r')
      .select('ou.path')
      .where('r.id', '=', BigInt(id))
      .where('r.tenant_id', '=', tenantId)
      .executeTakeFirst();
    const path = row?.path ?? null;
    const companyWide = paths.some((p) => /^\/\d+\/$/.test(p));
    const visible = row && (path === null ? companyWide : paths.some((p) => path.startsWith(p)));
    if (!visible) throw new AppError('BILL_RUN_NOT_FOUND', `No bill run ${id}`);
    return row;
  };

  app.post(
    '/api/bill-runs',
    {
      config: { permission: 'billing.run' },
      schema: {
        tags: ['billing'],
        summary: 'Start a bill run for a period and an org unit (default: your own unit)',
        body: z.object({ period: ZPeriod, org_unit_id: ZId.optional() }),
        response: { 202: ZBillRun, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const period = parsePeriod(request.body.period);
      let orgUnitId: bigint | null;
      if (request.body.org_unit_id) {
        const unit = await db
          .selectFrom('org_unit')
          .select(['id', 'path', 'kind'])
          .where('id', '=', BigInt(request.body.org_unit_id))
          .where('tenant_id', '=', tenantId)
          .executeTakeFirst();
        if (!unit) throw new AppError('NOT_FOUND', `No org unit ${request.body.org_unit_id}`);
        access.assertAt('billing.run', unit.path);
        orgUnitId = unit.kind === 'company' ? null : unit.id;
      } else {
        const home = access.homeUnit();
        if (!home) throw new AppError('AUTH_FORBIDDEN', 'No org unit to bill');
        access.assertAt('billing.run', home.orgUnitPath);
        orgUnitId = /^\/\d+\/$/.test(home.orgUnitPath) ? null : home.orgUnitId;
      }
      const on = todayInTashkent();
      await db.transaction().execute((trx) => assertBillable(trx, tenantId, period, on));
      // An unfinished run of the same scope (stopped by a crash or a failure) is continued, not doubled.
      const runId =
        (await findUnfinishedRun(db, { tenantId, period, orgUnitId })) ??
        (await createBillRun(db, actorOf(request), { tenantId, period, orgUnitId, on }));
      const job: BillRunJob = {
        runId: String(runId),
        on,
        userId: String(access.user.id),
        tenantId: String(tenantId),
      };
      // One job per run at a time: while one is queued or working, another send returns null.
      const jobId = await opts.jobs.send(QUEUES.billRun, job, { singletonKey: `bill-run-${runId}` });
      const run = await db
        .updateTable('bill_run')
        .set((eb) =>
          jobId === null
            ? { job_id: eb.ref('job_id') }
            : {
                job_id: jobId,
                status: sql<string>`case when status = 'running' then status else 'queued' end`,
                error: null,
              },
        )
        .where('id', '=', runId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return reply.code(202).send(toView(run));
    },
  );

  app.get(
    '/api/bill-runs',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['billing'],
        summary: 'Bill runs of a period (newest first) in your scope',
        querystring: z.object({
          period: ZPeriod.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ items: z.array(ZBillRun) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const paths = access.scope('billing.read');
      const companyWide = paths.some((p) => /^\/\d+\/$/.test(p));
      let q = db
        .selectFrom('bill_run as r')
        .leftJoin('org_unit as ou', 'ou.id', 'r.org_unit_id')
        .selectAll('r')
        .where('r.tenant_id', '=', access.user.tenantId)
        .where((eb) =>
          eb.or([inScope('ou.path', paths), ...(companyWide ? [eb('r.org_unit_id', 'is', null)] : [])]),
        )
        .orderBy('r.id', 'desc')
        .limit(request.query.limit);
      if (request.query.period) q = q.where('r.period', '=', request.query.period);
      return { items: (await q.execute()).map(toView) };
    },
  );

  app.get(
    '/api/bill-runs/:id',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['billing'],
        summary: 'A bill run with its progress',
        params: z.object({ id: ZId }),
        response: { 200: ZBillRun, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      return toView(await runInScope(request.params.id, access.user.tenantId, access.scope('billing.read')));
    },
  );

  app.get(
    '/api/bill-runs/:id/issues',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['billing'],
        summary: 'Warnings and errors of a bill run, by account',
        params: z.object({ id: ZId }),
        querystring: z.object({
          severity: z.enum(['warning', 'error']).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ items: z.array(ZIssue) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const run = await runInScope(request.params.id, access.user.tenantId, access.scope('billing.read'));
      let q = db
        .selectFrom('bill_run_issue as i')
        .innerJoin('contract as k', 'k.id', 'i.contract_id')
        .select(['k.number as account', 'i.severity', 'i.code', 'i.message'])
        .where('i.run_id', '=', run.id)
        .orderBy('k.number')
        .orderBy('i.code')
        .limit(request.query.limit)
        .offset(request.query.offset);
      if (request.query.severity) q = q.where('i.severity', '=', request.query.severity);
      const rows = await q.execute();
      return { items: rows.map((r) => ({ ...r, severity: r.severity as 'warning' | 'error' })) };
    },
  );

  app.post(
    '/api/accounts/:contractId/corrections',
    {
      config: { permission: 'billing.run' },
      schema: {
        tags: ['billing'],
        summary: 'Correct a closed period: a correction line in the open period that names it',
        params: z.object({ contractId: ZId }),
        body: z.object({
          for_period: ZPeriod,
          amount: z.string().max(20),
          quantity: z.string().max(20).optional(),
          reason: z.string().min(3).max(500),
        }),
        response: {
          201: z.object({ period: z.string(), for_period: z.string(), amount: z.string() }),
          ...ERROR_RESPONSES,
          422: ZErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const contract = await contractInScope(db, access, request.params.contractId, 'billing.read');
      access.assertAt('billing.run', contract.path);
      const amount = parseMoney(request.body.amount, { allowNegative: true });
      const quantity =
        request.body.quantity === undefined
          ? null
          : parseQuantity(request.body.quantity, { allowNegative: true });
      const result = await db.transaction().execute((trx) =>
        postCorrection(trx, actorOf(request), {
          tenantId: access.user.tenantId,
          contractId: contract.id,
          forPeriod: parsePeriod(request.body.for_period),
          quantity,
          amount,
          reason: request.body.reason,
          on: todayInTashkent(),
        }),
      );
      return reply
        .code(201)
        .send({ period: result.period, for_period: request.body.for_period, amount: formatMoney(amount) });
    },
  );

  app.post(
    '/api/periods/:period/close',
    {
      config: { permission: 'billing.close' },
      schema: {
        tags: ['billing'],
        summary: 'Close a period: bill what is left, number the bills, freeze it',
        params: z.object({ period: ZPeriod }),
        response: { 200: z.object({ period: z.string(), bills: z.number() }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const company = await db
        .selectFrom('org_unit')
        .select('path')
        .where('tenant_id', '=', access.user.tenantId)
        .where('kind', '=', 'company')
        .executeTakeFirstOrThrow();
      // Closing freezes the whole supplier, so it needs the permission at company level.
      access.assertAt('billing.close', company.path);
      const result = await db.transaction().execute((trx) =>
        closePeriod(trx, actorOf(request), {
          tenantId: access.user.tenantId,
          period: parsePeriod(request.params.period),
          closedOn: todayInTashkent(),
        }),
      );
      return { period: result.period, bills: result.bills };
    },
  );
};
