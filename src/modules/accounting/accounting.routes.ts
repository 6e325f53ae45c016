import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { zipSync } from 'fflate';
import type { Kysely } from 'kysely';
import writeXlsxFile, { type Cell } from 'write-excel-file/node';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { AppError } from '../../domain/errors.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';
import { parsePeriod } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId, ZPeriod } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { type JobQueue, QUEUES } from '../../jobs/queue.ts';
import type { Permission } from '../auth/permissions.ts';
import type { EinvoiceRunJob } from './einvoice.worker.ts';
import { createEinvoiceRun, runView } from './einvoice-run.ts';
import { analyticTurnover, moneyView, oneCCsv, postingPairs, syntheticTurnover } from './turnover.ts';

const ZTurnoverMoney = {
  openingDebit: z.string(),
  openingCredit: z.string(),
  debit: z.string(),
  credit: z.string(),
  closingDebit: z.string(),
  closingCredit: z.string(),
};
const ZSynthetic = z.object({ account: z.string(), name: z.string(), ...ZTurnoverMoney });
const ZAnalytic = z.object({
  account: z.string(),
  contract: z.string(),
  consumer: z.string(),
  inn: z.string().nullable(),
  ...ZTurnoverMoney,
});
const ZRun = z.object({
  id: z.string(),
  period: z.string(),
  orgUnitId: z.string(),
  status: z.string(),
  total: z.number(),
  done: z.number(),
  error: z.string().nullable(),
});
const ZRunListed = ZRun.extend({
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
});
const ZEinvoice = z.object({
  billId: z.string(),
  facturaId: z.string(),
  number: z.string(),
  contract: z.string(),
  consumer: z.string(),
  inn: z.string().nullable(),
  total: z.string(),
  vat: z.string(),
  signedAt: z.string(),
});

/**
 * The accounting area (R12, R15, decision 016): ledger turnover of a period and unit (synthetic
 * and analytic; JSON, XLSX, the 1C exchange file) and the tax e-invoices of closed periods.
 */
export const accountingRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB>; jobs: JobQueue }> = async (
  app,
  opts,
) => {
  const { db } = opts;

  /** The org unit asked for (default the caller's own), where `permission` must hold. */
  const unitOf = async (request: FastifyRequest, permission: Permission, orgUnitId: string | undefined) => {
    const access = accessOf(request);
    if (orgUnitId) {
      const unit = await db
        .selectFrom('org_unit')
        .select(['id', 'path'])
        .where('id', '=', BigInt(orgUnitId))
        .where('tenant_id', '=', access.user.tenantId)
        .executeTakeFirst();
      if (!unit) throw new AppError('NOT_FOUND', `No org unit ${orgUnitId}`);
      access.assertAt(permission, unit.path);
      return { id: unit.id, path: unit.path };
    }
    const home = access.homeUnit();
    if (!home) throw new AppError('AUTH_FORBIDDEN', 'No org unit');
    access.assertAt(permission, home.orgUnitPath);
    return { id: home.orgUnitId, path: home.orgUnitPath };
  };

  app.get(
    '/api/accounting/turnover',
    {
      config: { permission: 'report.read' },
      schema: {
        tags: ['accounting'],
        summary: 'Ledger turnover of a period and org unit: synthetic and analytic (json, xlsx, 1c)',
        querystring: z.object({
          period: ZPeriod,
          org_unit_id: ZId.optional(),
          format: z.enum(['json', 'xlsx', '1c']).default('json'),
        }),
        response: {
          200: z.object({ period: z.string(), synthetic: z.array(ZSynthetic), analytic: z.array(ZAnalytic) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const unit = await unitOf(request, 'report.read', request.query.org_unit_id);
      const period = parsePeriod(request.query.period);
      const q = {
        tenantId: access.user.tenantId,
        period,
        unitPath: unit.path,
        paths: access.scope('report.read'),
      };
      if (request.query.format === '1c') {
        const pairs = await postingPairs(db, q);
        return sendFile(reply, {
          type: 'text/csv; charset=utf-8',
          fileName: `1c-postings-${period}-${unit.id}.csv`,
          body: oneCCsv(pairs),
        });
      }
      const analytic = await analyticTurnover(db, q);
      const synthetic = await syntheticTurnover(db, analytic);
      if (request.query.format === 'xlsx') {
        const money = (t: bigint): Cell => ({
          value: Number(formatMoney(tiyin(t))),
          type: Number,
          format: '#,##0.00',
        });
        const head = (cols: string[]): Cell[] =>
          cols.map((value) => ({ value, type: String, fontWeight: 'bold' }));
        const sums = ['Opening Dr', 'Opening Cr', 'Turnover Dr', 'Turnover Cr', 'Closing Dr', 'Closing Cr'];
        const amounts = (r: (typeof synthetic)[number]) => [
          money(r.openingDebit),
          money(r.openingCredit),
          money(r.debit),
          money(r.credit),
          money(r.closingDebit),
          money(r.closingCredit),
        ];
        const body = await writeXlsxFile([
          {
            sheet: 'Synthetic',
            stickyRowsCount: 1,
            data: [
              head(['Account', 'Name', ...sums]),
              ...synthetic.map((r): Cell[] => [
                { value: r.account, type: String },
                { value: r.name, type: String },
                ...amounts(r),
              ]),
            ],
          },
          {
            sheet: 'Analytic',
            stickyRowsCount: 1,
            data: [
              head(['Account', 'Contract', 'Consumer', 'INN', ...sums]),
              ...analytic.map((r): Cell[] => [
                { value: r.account, type: String },
                { value: r.contract, type: String },
                { value: r.consumer, type: String },
                r.inn ? { value: r.inn, type: String } : null,
                ...amounts({ ...r, name: '' }),
              ]),
            ],
          },
        ]).toBuffer();
        return sendFile(reply, {
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          fileName: `turnover-${period}-${unit.id}.xlsx`,
          body,
        });
      }
      return {
        period,
        synthetic: synthetic.map((r) => ({ account: r.account, name: r.name, ...moneyView(r) })),
        analytic: analytic.map((r) => ({
          account: r.account,
          contract: r.contract,
          consumer: r.consumer,
          inn: r.inn,
          ...moneyView(r),
        })),
      };
    },
  );

  app.post(
    '/api/accounting/einvoice-runs',
    {
      config: { permission: 'billing.close' },
      schema: {
        tags: ['accounting'],
        summary: 'Generate the signed e-invoices (ESF, type 002) of a closed period for an org unit',
        body: z.object({ period: ZPeriod, org_unit_id: ZId.optional() }),
        response: { 202: ZRun, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const unit = await unitOf(request, 'billing.close', request.body.org_unit_id);
      const period = parsePeriod(request.body.period);
      const runId = await createEinvoiceRun(db, actorOf(request), {
        tenantId: access.user.tenantId,
        period,
        orgUnitId: unit.id,
        unitPath: unit.path,
        userId: access.user.id,
      });
      const job: EinvoiceRunJob = {
        runId: String(runId),
        userId: String(access.user.id),
        tenantId: String(access.user.tenantId),
      };
      await opts.jobs.send(QUEUES.einvoiceRun, job, { singletonKey: `einvoice-run-${runId}` });
      const run = await db
        .selectFrom('einvoice_run')
        .selectAll()
        .where('id', '=', runId)
        .executeTakeFirstOrThrow();
      return reply.code(202).send(runView(run));
    },
  );

  app.get(
    '/api/accounting/einvoice-runs',
    {
      config: { permission: 'report.read' },
      schema: {
        tags: ['accounting'],
        summary: 'The e-invoice generation runs of a period under an org unit, newest first',
        querystring: z.object({ period: ZPeriod, org_unit_id: ZId.optional() }),
        response: { 200: z.object({ items: z.array(ZRunListed) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const unit = await unitOf(request, 'report.read', request.query.org_unit_id);
      const rows = await db
        .selectFrom('einvoice_run as r')
        .innerJoin('org_unit as ou', 'ou.id', 'r.org_unit_id')
        .leftJoin('app_user as u', 'u.id', 'r.created_by')
        .selectAll('r')
        .select('u.full_name')
        .where('r.tenant_id', '=', access.user.tenantId)
        .where('r.period', '=', request.query.period)
        .where('ou.path', 'like', `${unit.path}%`)
        .where(inScope('ou.path', access.scope('report.read')))
        .orderBy('r.id', 'desc')
        .limit(20)
        .execute();
      return {
        items: rows.map((r) => ({
          ...runView(r),
          createdAt: new Date(r.created_at).toISOString(),
          finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
          createdBy: r.full_name,
        })),
      };
    },
  );

  app.get(
    '/api/accounting/einvoice-runs/:id',
    {
      config: { permission: 'report.read' },
      schema: {
        tags: ['accounting'],
        summary: 'An e-invoice generation run with its progress',
        params: z.object({ id: ZId }),
        response: { 200: ZRun, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const run = await db
        .selectFrom('einvoice_run as r')
        .innerJoin('org_unit as ou', 'ou.id', 'r.org_unit_id')
        .selectAll('r')
        .where('r.id', '=', BigInt(request.params.id))
        .where('r.tenant_id', '=', access.user.tenantId)
        .where(inScope('ou.path', access.scope('report.read')))
        .executeTakeFirst();
      if (!run) throw new AppError('EINVOICE_RUN_NOT_FOUND', `No e-invoice run ${request.params.id}`);
      return runView(run);
    },
  );

  app.get(
    '/api/accounting/einvoices',
    {
      config: { permission: 'report.read' },
      schema: {
        tags: ['accounting'],
        summary: 'The signed e-invoices of a period under an org unit',
        querystring: z.object({ period: ZPeriod, org_unit_id: ZId.optional() }),
        response: { 200: z.object({ items: z.array(ZEinvoice), total: z.number() }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const unit = await unitOf(request, 'report.read', request.query.org_unit_id);
      const rows = await db
        .selectFrom('einvoice as e')
        .innerJoin('bill as b', 'b.id', 'e.bill_id')
        .innerJoin('contract as k', 'k.id', 'b.contract_id')
        .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
        .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
        .innerJoin('signed_document as d', 'd.id', 'e.signed_document_id')
        .select([
          'e.bill_id',
          'e.factura_id',
          'b.number',
          'k.number as contract',
          'c.name',
          'c.inn',
          'b.total',
          'b.vat',
        ])
        .select('d.signed_at')
        .where('e.tenant_id', '=', access.user.tenantId)
        .where('b.period', '=', request.query.period)
        .where('ou.path', 'like', `${unit.path}%`)
        .orderBy('k.number')
        .execute();
      const items = rows.map((r) => ({
        billId: String(r.bill_id),
        facturaId: r.factura_id,
        number: r.number ?? '',
        contract: r.contract,
        consumer: r.name,
        inn: r.inn,
        total: formatMoney(tiyin(BigInt(r.total))),
        vat: formatMoney(tiyin(BigInt(r.vat))),
        signedAt: new Date(r.signed_at).toISOString(),
      }));
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/accounting/einvoices/archive',
    {
      config: { permission: 'report.read' },
      schema: {
        tags: ['accounting'],
        summary:
          'All signed e-invoices of a period under an org unit as one ZIP: each JSON with its detached signature (.p7s)',
        querystring: z.object({ period: ZPeriod, org_unit_id: ZId.optional() }),
        response: { ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const unit = await unitOf(request, 'report.read', request.query.org_unit_id);
      const rows = await db
        .selectFrom('einvoice as e')
        .innerJoin('bill as b', 'b.id', 'e.bill_id')
        .innerJoin('contract as k', 'k.id', 'b.contract_id')
        .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
        .innerJoin('signed_document as d', 'd.id', 'e.signed_document_id')
        .select(['d.pdf', 'd.p7s', 'k.number'])
        .where('e.tenant_id', '=', access.user.tenantId)
        .where('b.period', '=', request.query.period)
        .where('ou.path', 'like', `${unit.path}%`)
        .orderBy('k.number')
        .execute();
      if (rows.length === 0)
        throw new AppError(
          'EINVOICE_NONE',
          `No signed e-invoices of ${request.query.period} under org unit ${unit.id}`,
        );
      const files: Record<string, Uint8Array> = {};
      for (const r of rows) {
        const name = einvoiceFileName(r.number, request.query.period);
        files[name] = r.pdf;
        files[`${name}.p7s`] = r.p7s;
      }
      // JSON compresses well; a signature hardly at all.
      const zip = zipSync(files, { level: 6, mtime: new Date() });
      return sendFile(reply, {
        type: 'application/zip',
        fileName: `esf-${request.query.period}.zip`,
        body: zip,
      });
    },
  );

  app.get(
    '/api/accounting/einvoices/:billId',
    {
      config: { permission: 'report.read' },
      schema: {
        tags: ['accounting'],
        summary: 'One e-invoice: its signed JSON or the detached CMS signature (.p7s)',
        params: z.object({ billId: ZId }),
        querystring: z.object({ part: z.enum(['json', 'p7s']).default('json') }),
        response: { ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const row = await db
        .selectFrom('einvoice as e')
        .innerJoin('bill as b', 'b.id', 'e.bill_id')
        .innerJoin('contract as k', 'k.id', 'b.contract_id')
        .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
        .innerJoin('signed_document as d', 'd.id', 'e.signed_document_id')
        .select(['d.pdf', 'd.p7s', 'e.factura_id', 'k.number', 'b.period'])
        .where('e.bill_id', '=', BigInt(request.params.billId))
        .where('e.tenant_id', '=', access.user.tenantId)
        .where(inScope('ou.path', access.scope('report.read')))
        .executeTakeFirst();
      if (!row) throw new AppError('EINVOICE_NOT_FOUND', `No e-invoice of bill ${request.params.billId}`);
      const name = einvoiceFileName(row.number, row.period);
      return request.query.part === 'p7s'
        ? sendFile(reply, { type: 'application/pkcs7-signature', fileName: `${name}.p7s`, body: row.p7s })
        : sendFile(reply, {
            type: 'application/json',
            fileName: name,
            body: row.pdf,
            disposition: 'attachment',
          });
    },
  );
};

/** The file name of a contract's e-invoice of a period, as downloaded alone or in the ZIP. */
function einvoiceFileName(contract: string, period: string): string {
  return `esf-${contract}-${period}.json`;
}
