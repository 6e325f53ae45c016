import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import type { LocalDate } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { sendXlsx, XLSX_MAX_ROWS, ZListPage } from '../../http/list.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { ZApplication } from '../cabinet/cabinet-applications.routes.ts';
import { accountOf } from '../documents/documents.service.ts';
import { renderApplicationPdf } from './application.pdf.ts';
import { assignApplication, assigneeCandidates } from './applications.assign.ts';
import { applicationInScope, listApplications, officeApplicationView } from './applications.office.ts';
import { applyRequisites } from './applications.requisites.ts';
import { ZApplicationListQuery, ZAssignee, ZOfficeApplication } from './applications.schemas.ts';
import { applicationView, changeApplicationStatus } from './applications.service.ts';
import { applicationColumns } from './applications.xlsx.ts';

/**
 * Staff's side of consumers' applications (the office inbox): the applications of their org units
 * as an office table, one with its consumer and timeline, its printable form, the assignee, the
 * status changes the consumer follows in the cabinet (accept, schedule a visit, done, reject with
 * a reason), and approving a change of requisites, which writes them to the consumer card.
 */
export const applicationRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;

  app.get(
    '/api/applications',
    {
      config: { permission: 'application.read' },
      schema: {
        tags: ['applications'],
        summary:
          'Applications in the caller’s org units: filter, sort, page (format=xlsx for the whole filtered list)',
        querystring: ZApplicationListQuery,
        response: { 200: ZListPage(ZOfficeApplication), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const q = request.query;
      if (q.format === 'xlsx') {
        const all = await listApplications(db, access, q, { limit: XLSX_MAX_ROWS, offset: 0 });
        const locale = q.lang ?? request.locale;
        return sendXlsx(reply, {
          fileName: 'applications.xlsx',
          sheet: { uz: 'Arizalar', 'uz-Cyrl': 'Аризалар', ru: 'Заявки', en: 'Applications' },
          columns: applicationColumns(locale),
          rows: all.items,
          locale,
        });
      }
      return listApplications(db, access, q, { limit: q.limit, offset: q.offset });
    },
  );

  app.get(
    '/api/applications/:id',
    {
      config: { permission: 'application.read' },
      schema: {
        tags: ['applications'],
        summary: 'One application with its consumer, unit, assignee, timeline and requisites side by side',
        params: z.object({ id: ZId }),
        response: { 200: ZOfficeApplication, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const found = await applicationInScope(db, accessOf(request), 'application.read', request.params.id);
      return officeApplicationView(db, found.id);
    },
  );

  app.get(
    '/api/applications/:id/pdf',
    {
      config: { permission: 'application.read' },
      schema: {
        tags: ['applications'],
        summary: 'The printable form of an application (PDF), as the consumer prints it',
        params: z.object({ id: ZId }),
        querystring: z.object({ lang: z.enum(LOCALES).optional() }),
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const found = await applicationInScope(db, access, 'application.read', request.params.id);
      const view = await applicationView(db, found.id);
      const contract = await db
        .selectFrom('application')
        .select('contract_id')
        .where('id', '=', found.id)
        .executeTakeFirstOrThrow();
      const account = await accountOf(db, found.tenantId, contract.contract_id);
      const pdf = await renderApplicationPdf(view, account, request.query.lang ?? request.locale);
      return sendFile(reply, {
        type: 'application/pdf',
        fileName: `application-${view.number}.pdf`,
        body: pdf,
      });
    },
  );

  app.get(
    '/api/applications/:id/assignees',
    {
      config: { permission: 'application.write' },
      schema: {
        tags: ['applications'],
        summary: 'Staff who may be given the application: application.write at its unit, nearest first',
        params: z.object({ id: ZId }),
        response: { 200: z.object({ items: z.array(ZAssignee) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const found = await applicationInScope(db, accessOf(request), 'application.write', request.params.id);
      return { items: await assigneeCandidates(db, found.tenantId, found.path) };
    },
  );

  app.post(
    '/api/applications/:id/assignee',
    {
      config: { permission: 'application.write' },
      schema: {
        tags: ['applications'],
        summary: 'Give the application to a staff member of its unit (null takes it back)',
        params: z.object({ id: ZId }),
        body: z.object({ userId: ZId.nullable() }).strict(),
        response: { 200: ZOfficeApplication, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const found = await applicationInScope(db, accessOf(request), 'application.write', request.params.id);
      const { userId } = request.body;
      await assignApplication(db, actorOf(request), {
        applicationId: found.id,
        assigneeId: userId === null ? null : BigInt(userId),
      });
      return officeApplicationView(db, found.id);
    },
  );

  app.post(
    '/api/applications/:id/apply-requisites',
    {
      config: { permission: 'application.write' },
      schema: {
        tags: ['applications'],
        summary:
          'Approve a change of requisites: write them to the consumer card (audited before/after) and mark it done',
        params: z.object({ id: ZId }),
        body: z
          .object({ note: z.string().trim().max(1000).optional() })
          .strict()
          .optional(),
        response: { 200: ZOfficeApplication, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const found = await applicationInScope(db, access, 'application.write', request.params.id);
      // The card is the consumer's: changing it takes consumer.write there as well.
      access.assertAt('consumer.write', found.path);
      await applyRequisites(
        db,
        { ...actorOf(request), name: access.user.fullName },
        { applicationId: found.id, note: request.body?.note || null },
      );
      return officeApplicationView(db, found.id);
    },
  );

  app.post(
    '/api/applications/:id/status',
    {
      config: { permission: 'application.write' },
      schema: {
        tags: ['applications'],
        summary: 'Move an application on: accepted, scheduled (with the visit date), done, rejected',
        params: z.object({ id: ZId }),
        body: z
          .object({
            status: z.enum(['accepted', 'scheduled', 'done', 'rejected']),
            note: z.string().trim().max(1000).optional(),
            visitDate: z
              .string()
              .regex(/^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
              .optional(),
          })
          .strict(),
        response: { 200: ZApplication, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const row = await applicationInScope(db, access, 'application.write', request.params.id);
      return changeApplicationStatus(
        db,
        { ...actorOf(request), name: access.user.fullName },
        {
          applicationId: row.id,
          status: request.body.status,
          note: request.body.note ?? null,
          visitDate: (request.body.visitDate ?? null) as LocalDate | null,
          by: 'user',
        },
      );
    },
  );
};
