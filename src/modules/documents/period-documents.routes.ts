import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { AppError } from '../../domain/errors.ts';
import { type Period, parsePeriod } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId, ZPeriod } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { listQuery, ZListPage } from '../../http/list.ts';
import { LOCALES, type Locale } from '../../i18n/locale.ts';
import { type JobQueue, QUEUES } from '../../jobs/queue.ts';
import { queueRunJob } from '../../jobs/run-job.ts';
import { contractInScope } from '../accounts/accounts.service.ts';
import type { Permission } from '../auth/permissions.ts';
import { contractDocumentFile, listContractDocuments } from './contract-documents.ts';
import {
  createDocumentRun,
  findUnfinishedDocumentRun,
  toDocumentRunView,
} from './generate-period-documents.ts';
import { assertPeriodClosed, countPack } from './period-documents.repository.ts';
import type { DocumentRunJob } from './period-documents.worker.ts';
import { buildPrintPack } from './print-pack.ts';
import { reissueDocument } from './reissue-document.ts';

const ZRun = z.object({
  id: z.string(),
  period: z.string(),
  org_unit_id: z.string().nullable(),
  lang: z.enum(LOCALES),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  total: z.number(),
  done: z.number(),
  created: z.number(),
  skipped: z.number(),
  failed: z.number(),
  to_do: z.number(),
  percent: z.number(),
  error: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});

const ZRunIssue = z.object({
  contractId: z.string(),
  account: z.string(),
  consumer: z.string(),
  code: z.string(),
  message: z.string().nullable(),
});

const ZDocument = z.object({
  id: z.string(),
  kind: z.enum(['invoice', 'act']),
  key: z.string(),
  lang: z.enum(LOCALES),
  version: z.number(),
  fileName: z.string(),
  sha256: z.string(),
  signedAt: z.string(),
  current: z.boolean(),
  supersededAt: z.string().nullable(),
  reason: z.string().nullable(),
});

const ZUnitQuery = z.object({ org_unit_id: ZId.optional(), lang: z.enum(LOCALES).default('uz') });

const P7S_TYPE = 'application/pkcs7-signature';
const COMPANY_PATH = /^\/\d+\/$/;

/**
 * A closed period's documents (issue 6 point 5, decision 017): generating a unit's invoices and
 * acts as a pg-boss job with its progress and issues, the print pack, and one contract's archived
 * versions with re-issue. `billing.run` generates and re-issues; `billing.read` lists and downloads.
 */
export const periodDocumentRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB>; jobs: JobQueue }> = async (
  app,
  opts,
) => {
  const { db } = opts;

  /** The unit asked for (default the caller's home unit) where `permission` must hold; null id = company. */
  const unitOf = async (request: FastifyRequest, orgUnitId: string | undefined, permission: Permission) => {
    const access = accessOf(request);
    if (orgUnitId) {
      const unit = await db
        .selectFrom('org_unit')
        .select(['id', 'path', 'kind'])
        .where('id', '=', BigInt(orgUnitId))
        .where('tenant_id', '=', access.user.tenantId)
        .executeTakeFirst();
      if (!unit) throw new AppError('NOT_FOUND', `No org unit ${orgUnitId}`);
      access.assertAt(permission, unit.path);
      return { id: unit.kind === 'company' ? null : unit.id, path: unit.path };
    }
    const home = access.homeUnit();
    if (!home) throw new AppError('AUTH_FORBIDDEN', 'No org unit');
    access.assertAt(permission, home.orgUnitPath);
    return { id: COMPANY_PATH.test(home.orgUnitPath) ? null : home.orgUnitId, path: home.orgUnitPath };
  };

  /** A run of the period the caller may see (its unit under their `billing.read` scope). */
  const runInScope = async (request: FastifyRequest, period: string, id: string) => {
    const access = accessOf(request);
    const paths = access.scope('billing.read');
    const row = await db
      .selectFrom('document_run as r')
      .leftJoin('org_unit as ou', 'ou.id', 'r.org_unit_id')
      .selectAll('r')
      .select('ou.path')
      .where('r.id', '=', BigInt(id))
      .where('r.period', '=', period)
      .where('r.tenant_id', '=', access.user.tenantId)
      .executeTakeFirst();
    const path = row?.path ?? null;
    const visible =
      row &&
      (path === null ? paths.some((p) => COMPANY_PATH.test(p)) : paths.some((p) => path.startsWith(p)));
    if (!visible) throw new AppError('DOCUMENT_RUN_NOT_FOUND', `No document run ${id}`);
    return row;
  };

  app.post(
    '/api/periods/:period/documents',
    {
      config: { permission: 'billing.run' },
      schema: {
        tags: ['documents'],
        summary:
          'Generate a closed period’s documents for an org unit (default your own): every contract’s invoice and act, signed and archived as the cabinet would; a job with progress',
        params: z.object({ period: ZPeriod }),
        body: z.object({ org_unit_id: ZId.optional(), lang: z.enum(LOCALES).default('uz') }),
        response: { 202: ZRun, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const period = parsePeriod(request.params.period);
      const unit = await unitOf(request, request.body.org_unit_id, 'billing.run');
      await assertPeriodClosed(db, tenantId, period);
      const scope = { tenantId, period, orgUnitId: unit.id, lang: request.body.lang };
      // An unfinished run of the same scope (stopped by a crash or a failure) is continued, not doubled.
      const runId =
        (await findUnfinishedDocumentRun(db, scope)) ??
        (await createDocumentRun(db, actorOf(request), scope));
      const job: DocumentRunJob = {
        runId: String(runId),
        userId: String(access.user.id),
        tenantId: String(tenantId),
      };
      await queueRunJob(db, opts.jobs, { table: 'document_run', id: runId, queue: QUEUES.documentRun }, job);
      const run = await db
        .selectFrom('document_run')
        .selectAll()
        .where('id', '=', runId)
        .executeTakeFirstOrThrow();
      return reply.code(202).send(toDocumentRunView(run));
    },
  );

  app.get(
    '/api/periods/:period/documents',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['documents'],
        summary:
          'A closed period’s documents in an org unit (default your own) and language: contracts with an invoice, how many are archived, and the runs in your scope',
        params: z.object({ period: ZPeriod }),
        querystring: ZUnitQuery,
        response: {
          200: z.object({
            period: z.string(),
            lang: z.enum(LOCALES),
            contracts: z.number(),
            archived: z.number(),
            to_do: z.number(),
            runs: z.array(ZRun),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const period = parsePeriod(request.params.period);
      const { lang } = request.query;
      const unit = await unitOf(request, request.query.org_unit_id, 'billing.read');
      await assertPeriodClosed(db, tenantId, period);
      const size = await countPack(db, {
        tenantId,
        period,
        lang,
        orgPath: unit.id === null ? null : unit.path,
      });
      const paths = access.scope('billing.read');
      const runs = await db
        .selectFrom('document_run as r')
        .leftJoin('org_unit as ou', 'ou.id', 'r.org_unit_id')
        .selectAll('r')
        .where('r.tenant_id', '=', tenantId)
        .where('r.period', '=', period)
        .where((eb) =>
          eb.or([
            inScope('ou.path', paths),
            ...(paths.some((p) => COMPANY_PATH.test(p)) ? [eb('r.org_unit_id', 'is', null)] : []),
          ]),
        )
        .orderBy('r.id', 'desc')
        .limit(50)
        .execute();
      return {
        period,
        lang,
        contracts: size.contracts,
        archived: size.archived,
        to_do: size.contracts - size.archived,
        runs: runs.map(toDocumentRunView),
      };
    },
  );

  app.get(
    '/api/periods/:period/documents/runs/:id',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['documents'],
        summary: 'A document run with its progress',
        params: z.object({ period: ZPeriod, id: ZId }),
        response: { 200: ZRun, ...ERROR_RESPONSES },
      },
    },
    async (request) => toDocumentRunView(await runInScope(request, request.params.period, request.params.id)),
  );

  app.get(
    '/api/periods/:period/documents/runs/:id/issues',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['documents'],
        summary: 'Contracts whose documents a run could not make, with the reason',
        params: z.object({ period: ZPeriod, id: ZId }),
        querystring: listQuery(['account', 'code'], 'account'),
        response: { 200: ZListPage(ZRunIssue), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const run = await runInScope(request, request.params.period, request.params.id);
      const q = request.query;
      const base = db
        .selectFrom('document_run_issue as i')
        .innerJoin('contract as k', 'k.id', 'i.contract_id')
        .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
        .where('i.run_id', '=', run.id);
      const column = { account: 'k.number', code: 'i.code' } as const;
      const [items, count] = await Promise.all([
        base
          .select(['k.id', 'k.number', 'c.name', 'i.code', 'i.message'])
          .orderBy(column[q.sort], q.dir)
          .orderBy('k.number')
          .limit(q.limit)
          .offset(q.offset)
          .execute(),
        base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        items: items.map((r) => ({
          contractId: String(r.id),
          account: r.number,
          consumer: r.name,
          code: r.code,
          message: r.message,
        })),
        total: Number(count.n),
      };
    },
  );

  app.get(
    '/api/periods/:period/documents/print-pack',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['documents'],
        summary:
          'One PDF with the archived invoices (or acts, kind=act) of a closed period in an org unit (default your own), for printing and the post',
        params: z.object({ period: ZPeriod }),
        querystring: ZUnitQuery.extend({ kind: z.enum(['invoice', 'act']).default('invoice') }),
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const tenantId = accessOf(request).user.tenantId;
      const period = parsePeriod(request.params.period);
      const { lang, kind } = request.query;
      const unit = await unitOf(request, request.query.org_unit_id, 'billing.read');
      await assertPeriodClosed(db, tenantId, period);
      const pack = await buildPrintPack(db, { tenantId, period, lang, orgPath: unit.path }, kind);
      return sendFile(reply, {
        type: 'application/pdf',
        fileName: `${kind === 'invoice' ? 'invoices' : 'acts'}-${period}-${lang}.pdf`,
        body: pack.pdf,
        disposition: 'attachment',
      });
    },
  );

  /** The contract, if under the caller's `billing.read` scope (else UNKNOWN_ACCOUNT). */
  const contractOf = (request: FastifyRequest, contractId: string) =>
    contractInScope(db, accessOf(request), contractId, 'billing.read');

  app.get(
    '/api/periods/:period/documents/contracts/:contractId',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['documents'],
        summary: 'Every archived version of a contract’s invoice and act of a period, current and superseded',
        params: z.object({ period: ZPeriod, contractId: ZId }),
        response: { 200: z.object({ items: z.array(ZDocument) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const contract = await contractOf(request, request.params.contractId);
      const items = await listContractDocuments(db, {
        tenantId: accessOf(request).user.tenantId,
        contractId: contract.id,
        period: parsePeriod(request.params.period),
      });
      return { items };
    },
  );

  /** An archived version of a contract's document of the period, under the caller's scope. */
  const fileOf = async (request: FastifyRequest, period: Period, contractId: string, id: string) => {
    const contract = await contractOf(request, contractId);
    const file = await contractDocumentFile(db, accessOf(request).user.tenantId, BigInt(id));
    if (!file || file.contractId !== contract.id || !file.doc.key.startsWith(period))
      throw new AppError('DOCUMENT_NOT_ARCHIVED', `No archived document ${id}`);
    return file;
  };

  app.get(
    '/api/periods/:period/documents/contracts/:contractId/files/:id',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['documents'],
        summary: 'An archived version’s signed PDF (the same bytes the cabinet serves while it is current)',
        params: z.object({ period: ZPeriod, contractId: ZId, id: ZId }),
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const p = request.params;
      const file = await fileOf(request, parsePeriod(p.period), p.contractId, p.id);
      const name = file.doc.current
        ? file.doc.fileName
        : file.doc.fileName.replace(/\.pdf$/, `-v${file.doc.version}.pdf`);
      return sendFile(reply, { type: 'application/pdf', fileName: name, body: file.pdf });
    },
  );

  app.get(
    '/api/periods/:period/documents/contracts/:contractId/files/:id/signature',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['documents'],
        summary: 'The detached signature (CMS/PKCS#7, DER) of an archived version',
        params: z.object({ period: ZPeriod, contractId: ZId, id: ZId }),
        response: { 200: z.unknown().describe(P7S_TYPE), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const p = request.params;
      const file = await fileOf(request, parsePeriod(p.period), p.contractId, p.id);
      const name = file.doc.current
        ? file.doc.fileName
        : file.doc.fileName.replace(/\.pdf$/, `-v${file.doc.version}.pdf`);
      return sendFile(reply, { type: P7S_TYPE, fileName: `${name}.p7s`, body: file.p7s });
    },
  );

  app.post(
    '/api/periods/:period/documents/contracts/:contractId/reissue',
    {
      config: { permission: 'billing.run' },
      schema: {
        tags: ['documents'],
        summary:
          'Re-issue a contract’s archived invoice or act of a closed period (requisites or certificate changed): a new signed version supersedes the current one, audited with the reason',
        params: z.object({ period: ZPeriod, contractId: ZId }),
        body: z.object({
          kind: z.enum(['invoice', 'act']),
          lang: z.enum(LOCALES),
          reason: z.string().trim().min(5).max(500),
        }),
        response: { 201: ZDocument, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const contract = await contractOf(request, request.params.contractId);
      access.assertAt('billing.run', contract.path);
      const doc = await reissueDocument(db, actorOf(request), {
        tenantId: access.user.tenantId,
        contractId: contract.id,
        period: parsePeriod(request.params.period),
        kind: request.body.kind,
        lang: request.body.lang as Locale,
        reason: request.body.reason,
      });
      return reply.code(201).send(doc);
    },
  );
};
