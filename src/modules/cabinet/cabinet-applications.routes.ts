import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import {
  APPLICATION_STATUSES,
  APPLICATION_TYPES,
  type ApplicationType,
  TIME_SLOTS,
} from '../../domain/application.ts';
import { AppError } from '../../domain/errors.ts';
import { type LocalDate, type Period, todayInTashkent } from '../../domain/period.ts';
import { parseQuantity } from '../../domain/quantity.ts';
import { ERROR_RESPONSES, ZId, ZPeriod } from '../../http/common.schemas.ts';
import { cabinetActorOf, cabinetOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { renderApplicationPdf } from '../applications/application.pdf.ts';
import {
  type ApplicationView,
  applicationView,
  applicationViews,
  changeApplicationStatus,
  fileApplication,
} from '../applications/applications.service.ts';
import { accountOf } from '../documents/documents.service.ts';
import type { CabinetAuth } from './cabinet-auth.service.ts';

/** A calendar date 'YYYY-MM-DD'. */
const ZDate = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD');

export const ZApplication = z.object({
  id: z.string(),
  number: z.string(),
  account: z.string(),
  type: z.enum(APPLICATION_TYPES),
  status: z.enum(APPLICATION_STATUSES),
  text: z.string(),
  desiredDate: z.string().nullable(),
  desiredTime: z.string().nullable(),
  visitDate: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
  events: z.array(
    z.object({
      at: z.string(),
      status: z.enum(APPLICATION_STATUSES),
      note: z.string().nullable(),
      by: z.enum(['consumer', 'user', 'system']),
      name: z.string().nullable(),
    }),
  ),
});

const ZNewApplication = z
  .object({
    type: z.enum(APPLICATION_TYPES),
    text: z.string().trim().min(1).max(4000),
    desiredDate: ZDate.nullable().optional(),
    desiredTime: z.enum(TIME_SLOTS).nullable().optional(),
    meterSerial: z.string().trim().min(1).max(40).optional(),
    volumes: z
      .array(z.object({ period: ZPeriod, volume: z.string().trim().min(1).max(20) }).strict())
      .max(13)
      .optional(),
    requisites: z
      .object({
        legalAddress: z.string().trim().max(300).optional(),
        postalAddress: z.string().trim().max(300).optional(),
        phone: z
          .string()
          .trim()
          .regex(/^\+998\d{9}$/, '+998XXXXXXXXX')
          .optional(),
        email: z.email().max(200).optional(),
        bankMfo: z
          .string()
          .regex(/^\d{5}$/, '5 digits')
          .optional(),
        bankAccount: z
          .string()
          .regex(/^\d{20}$/, '20 digits')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The consumer's own application, or UNKNOWN_APPLICATION (also for another consumer's). */
async function ownApplication(db: Kysely<DB>, auth: CabinetAuth, id: string): Promise<ApplicationView> {
  const row = await db
    .selectFrom('application')
    .select('id')
    .where('id', '=', BigInt(id))
    .where('contract_id', '=', auth.contractId)
    .executeTakeFirst();
  if (!row) throw new AppError('UNKNOWN_APPLICATION', `Unknown application ${id}`, { id });
  return applicationView(db, row.id);
}

/**
 * The consumer's applications and requests (R6 functions 8, 10, 11, 12): file one, list them,
 * follow each one's timeline (what the district unit confirmed and when), print the form, cancel
 * while it is not done.
 */
export const cabinetApplicationRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  const route = { config: { access: 'cabinet' as const } };

  app.get(
    '/api/cabinet/applications',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'The consumer’s applications, newest first, with their timelines',
        response: {
          200: z.object({ dataAsOf: z.string(), items: z.array(ZApplication) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const auth = cabinetOf(request);
      const ids = await db
        .selectFrom('application')
        .select('id')
        .where('contract_id', '=', auth.contractId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(200)
        .execute();
      return {
        dataAsOf: new Date().toISOString(),
        items: await applicationViews(
          db,
          ids.map((r) => r.id),
        ),
      };
    },
  );

  app.post(
    '/api/cabinet/applications',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary:
          'File an application: disconnection, inspections, appeal, renewal, certificate, volume, requisites',
        body: ZNewApplication,
        response: { 201: ZApplication, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = cabinetOf(request);
      const b = request.body;
      const type: ApplicationType = b.type;
      const view = await fileApplication(db, cabinetActorOf(request), {
        contractId: auth.contractId,
        today: todayInTashkent(),
        application: {
          type,
          text: b.text,
          desiredDate: (b.desiredDate ?? null) as LocalDate | null,
          desiredTime: b.desiredTime ?? null,
          meterSerial: b.meterSerial,
          volumes: b.volumes?.map((v) => ({
            period: v.period as Period,
            volume: parseQuantity(v.volume, { allowComma: true }),
          })),
          requisites: b.requisites,
        },
      });
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/api/cabinet/applications/:id',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'One application with its timeline',
        params: z.object({ id: ZId }),
        response: { 200: ZApplication, ...ERROR_RESPONSES },
      },
    },
    async (request) => ownApplication(db, cabinetOf(request), request.params.id),
  );

  app.post(
    '/api/cabinet/applications/:id/cancel',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'Withdraw an application that is not done yet',
        params: z.object({ id: ZId }),
        body: z
          .object({ note: z.string().trim().max(500).optional() })
          .strict()
          .optional(),
        response: { 200: ZApplication, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const auth = cabinetOf(request);
      const own = await ownApplication(db, auth, request.params.id);
      return changeApplicationStatus(db, cabinetActorOf(request), {
        applicationId: BigInt(own.id),
        status: 'cancelled',
        note: request.body?.note ?? null,
        by: 'consumer',
      });
    },
  );

  app.get(
    '/api/cabinet/applications/:id/pdf',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'The printable form of an application (PDF)',
        params: z.object({ id: ZId }),
        querystring: z.object({ lang: z.enum(LOCALES).optional() }),
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = cabinetOf(request);
      const view = await ownApplication(db, auth, request.params.id);
      const account = await accountOf(db, auth.tenantId, auth.contractId);
      const pdf = await renderApplicationPdf(view, account, request.query.lang ?? request.locale);
      return sendFile(reply, {
        type: 'application/pdf',
        fileName: `application-${view.number}.pdf`,
        body: pdf,
      });
    },
  );
};
