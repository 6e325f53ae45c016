import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { AppError } from '../../domain/errors.ts';
import { formatMoney, parseMoney } from '../../domain/money.ts';
import { parsePeriod, todayInTashkent } from '../../domain/period.ts';
import { parseQuantity } from '../../domain/quantity.ts';
import { ERROR_RESPONSES, ZId, ZPeriod } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { listQuery, sendXlsx, XLSX_MAX_ROWS, type XlsxColumn, ZListPage } from '../../http/list.ts';
import { type JobQueue, QUEUES } from '../../jobs/queue.ts';
import { queueRunJob } from '../../jobs/run-job.ts';
import type { BillRunJob } from '../../jobs/workers.ts';
import { contractInScope } from '../accounts/accounts.service.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import { assertBillable, createBillRun, findUnfinishedRun, toView } from './bill-run.service.ts';
import { closePeriod } from './close-period.ts';
import { postCorrection } from './corrections.service.ts';
import { listPeriods, periodReadiness, type UnreadAccount, unreadAccounts } from './periods.service.ts';

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
  contractId: z.string(),
  account: z.string(),
  consumer: z.string(),
  severity: z.enum(['warning', 'error']),
  code: z.string(),
  message: z.string().nullable(),
});
type Issue = z.infer<typeof ZIssue>;

const ISSUE_SHEET = { uz: 'Ogohlantirishlar', 'uz-Cyrl': 'Огоҳлантиришлар', ru: 'Замечания', en: 'Issues' };

const ISSUE_COLUMNS: XlsxColumn<Issue>[] = [
  {
    header: { uz: 'Shartnoma', 'uz-Cyrl': 'Шартнома', ru: 'Договор', en: 'Contract' },
    value: (r) => r.account,
    width: 14,
  },
  {
    header: { uz: "Iste'molchi", 'uz-Cyrl': 'Истеъмолчи', ru: 'Потребитель', en: 'Consumer' },
    value: (r) => r.consumer,
    width: 36,
  },
  {
    header: { uz: 'Daraja', 'uz-Cyrl': 'Даража', ru: 'Уровень', en: 'Severity' },
    value: (r) => r.severity,
    width: 10,
  },
  { header: { uz: 'Kod', 'uz-Cyrl': 'Код', ru: 'Код', en: 'Code' }, value: (r) => r.code, width: 26 },
  {
    header: { uz: 'Izoh', 'uz-Cyrl': 'Изоҳ', ru: 'Описание', en: 'Message' },
    value: (r) => r.message,
    width: 60,
  },
];

const ZPeriodView = z.object({
  period: z.string(),
  status: z.enum(['open', 'closed']),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  bills: z.number(),
  total: z.string(),
});

const ZUnread = z.object({
  contractId: z.string(),
  contract: z.string(),
  consumer: z.string(),
  orgUnit: z.string(),
  meters: z.number(),
  lastReadOn: z.string().nullable(),
  pending: z.number(),
});

const UNREAD_SHEET = {
  uz: "Ko'rsatkichsiz",
  'uz-Cyrl': 'Кўрсаткичсиз',
  ru: 'Без показаний',
  en: 'Without reading',
};

const UNREAD_COLUMNS: XlsxColumn<UnreadAccount>[] = [
  {
    header: ISSUE_COLUMNS[0]?.header ?? { uz: '', 'uz-Cyrl': '', ru: '', en: '' },
    value: (r) => r.contract,
    width: 14,
  },
  {
    header: ISSUE_COLUMNS[1]?.header ?? { uz: '', 'uz-Cyrl': '', ru: '', en: '' },
    value: (r) => r.consumer,
    width: 36,
  },
  {
    header: { uz: "Bo'linma", 'uz-Cyrl': 'Бўлинма', ru: 'Подразделение', en: 'Org unit' },
    value: (r) => r.orgUnit,
    width: 28,
  },
  {
    header: { uz: 'Hisoblagichlar', 'uz-Cyrl': 'Ҳисоблагичлар', ru: 'Счётчики', en: 'Meters' },
    type: 'number',
    value: (r) => r.meters,
    width: 10,
  },
  {
    header: {
      uz: "Oxirgi ko'rsatkich",
      'uz-Cyrl': 'Охирги кўрсаткич',
      ru: 'Последнее показание',
      en: 'Last reading',
    },
    type: 'date',
    value: (r) => r.lastReadOn,
    width: 16,
  },
  {
    header: { uz: 'Kutilmoqda', 'uz-Cyrl': 'Кутилмоқда', ru: 'Ожидают', en: 'Pending' },
    type: 'number',
    value: (r) => r.pending,
    width: 10,
  },
];

const ZReadiness = z.object({
  period: z.string(),
  accounts: z.number(),
  billed: z.number(),
  withReading: z.number(),
  withoutReading: z.number(),
  awaitingConfirmation: z.number(),
  suspect: z.number(),
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
      await queueRunJob(db, opts.jobs, { table: 'bill_run', id: runId, queue: QUEUES.billRun }, job);
      const run = await db
        .selectFrom('bill_run')
        .selectAll()
        .where('id', '=', runId)
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
        summary: 'Warnings and errors of a bill run, by account (format=xlsx for the whole list)',
        params: z.object({ id: ZId }),
        querystring: listQuery(['account', 'code', 'severity'], 'account').extend({
          severity: z.enum(['warning', 'error']).optional(),
        }),
        response: { 200: ZListPage(ZIssue), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const run = await runInScope(request.params.id, access.user.tenantId, access.scope('billing.read'));
      const q = request.query;
      let base = db
        .selectFrom('bill_run_issue as i')
        .innerJoin('contract as k', 'k.id', 'i.contract_id')
        .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
        .where('i.run_id', '=', run.id);
      if (q.severity) base = base.where('i.severity', '=', q.severity);
      const column = { account: 'k.number', code: 'i.code', severity: 'i.severity' } as const;
      const rows = base
        .select([
          'k.id as contract_id',
          'k.number as account',
          'c.name as consumer',
          'i.severity',
          'i.code',
          'i.message',
        ])
        .orderBy(column[q.sort], q.dir)
        .orderBy('k.number')
        .orderBy('i.code');
      const view = (r: {
        contract_id: bigint;
        account: string;
        consumer: string;
        severity: string;
        code: string;
        message: string | null;
      }) => ({
        contractId: String(r.contract_id),
        account: r.account,
        consumer: r.consumer,
        severity: r.severity as 'warning' | 'error',
        code: r.code,
        message: r.message,
      });
      if (q.format === 'xlsx') {
        const all = (await rows.limit(XLSX_MAX_ROWS).execute()).map(view);
        return sendXlsx(reply, {
          fileName: `bill-run-${run.id}-issues.xlsx`,
          sheet: ISSUE_SHEET,
          columns: ISSUE_COLUMNS,
          rows: all,
          locale: q.lang ?? request.locale,
        });
      }
      const [items, count] = await Promise.all([
        rows.limit(q.limit).offset(q.offset).execute(),
        base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: items.map(view), total: Number(count.n) };
    },
  );

  app.get(
    '/api/periods',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['billing'],
        summary:
          'The supplier’s billing periods, newest first: the open one and every closed one, with the bills and their total in your scope',
        response: { 200: z.object({ open: z.string(), items: z.array(ZPeriodView) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const items = await listPeriods(
        db,
        access.user.tenantId,
        access.scope('billing.read'),
        todayInTashkent(),
      );
      const open = items.find((p) => p.status === 'open')?.period ?? '';
      return { open, items };
    },
  );

  /** The path of the org unit asked for (default the caller's own), where `billing.read` must hold. */
  const unitPath = async (request: FastifyRequest, orgUnitId: string | undefined): Promise<string> => {
    const access = accessOf(request);
    let path: string;
    if (orgUnitId) {
      const unit = await db
        .selectFrom('org_unit')
        .select('path')
        .where('id', '=', BigInt(orgUnitId))
        .where('tenant_id', '=', access.user.tenantId)
        .executeTakeFirst();
      if (!unit) throw new AppError('NOT_FOUND', `No org unit ${orgUnitId}`);
      path = unit.path;
    } else {
      const home = access.homeUnit();
      if (!home) throw new AppError('AUTH_FORBIDDEN', 'No org unit');
      path = home.orgUnitPath;
    }
    access.assertAt('billing.read', path);
    return path;
  };

  app.get(
    '/api/periods/:period/readiness',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['billing'],
        summary:
          'Before a bill run: accounts of an org unit (default your own), how many have a reading in the period, readings awaiting confirmation or held by VEE, accounts already billed',
        params: z.object({ period: ZPeriod }),
        querystring: z.object({ org_unit_id: ZId.optional() }),
        response: { 200: ZReadiness, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const path = await unitPath(request, request.query.org_unit_id);
      return periodReadiness(db, accessOf(request).user.tenantId, parsePeriod(request.params.period), path);
    },
  );

  app.get(
    '/api/periods/:period/unread',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['billing'],
        summary:
          'Accounts of an org unit (default your own) active in the period without an accepted reading in it: what a bill run will estimate',
        params: z.object({ period: ZPeriod }),
        querystring: listQuery(['contract', 'consumer', 'lastReadOn'], 'contract').extend({
          org_unit_id: ZId.optional(),
        }),
        response: { 200: ZListPage(ZUnread), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const path = await unitPath(request, q.org_unit_id);
      const input = {
        tenantId: accessOf(request).user.tenantId,
        period: parsePeriod(request.params.period),
        orgPath: path,
        sort: q.sort,
        dir: q.dir,
      };
      if (q.format === 'xlsx') {
        const all = await unreadAccounts(db, { ...input, limit: XLSX_MAX_ROWS, offset: 0 });
        return sendXlsx(reply, {
          fileName: `unread-${request.params.period}.xlsx`,
          sheet: UNREAD_SHEET,
          columns: UNREAD_COLUMNS,
          rows: all.items,
          locale: q.lang ?? request.locale,
        });
      }
      return unreadAccounts(db, { ...input, limit: q.limit, offset: q.offset });
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
