import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { parsePeriod } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId, ZPeriod } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { listQuery, sendXlsx, XLSX_MAX_ROWS, type XlsxColumn, ZListPage } from '../../http/list.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import {
  CONFIRMATION_SORTS,
  countPending,
  listConfirmations,
  listPending,
  PENDING_SORTS,
  type PendingFilter,
  type PendingReading,
  unitPathOf,
} from './confirmation.repository.ts';
import {
  confirmationFiles,
  confirmationView,
  prepareConfirmation,
  signConfirmation,
} from './confirmation.service.ts';

const ZPendingReading = z.object({
  id: z.string(),
  readOn: z.string(),
  value: z.string(),
  previous: z.object({ readOn: z.string(), value: z.string() }).nullable(),
  advance: z.string().nullable(),
  source: z.string(),
  contract: z.object({ id: z.string(), number: z.string() }),
  consumer: z.string(),
  orgUnit: z.string(),
  meter: z.string(),
  obis: z.string(),
  enteredBy: z.string().nullable(),
  enteredAt: z.string(),
});

const ZConfirmationListItem = z.object({
  id: z.string(),
  status: z.enum(['draft', 'signed']),
  createdAt: z.string(),
  readingCount: z.number(),
  preparedBy: z.string(),
  orgUnit: z.string(),
  signer: z.object({ commonName: z.string(), serialNumber: z.string() }).nullable(),
  confirmedAt: z.string().nullable(),
});

const ZConfirmation = z.object({
  id: z.string(),
  status: z.enum(['draft', 'signed']),
  createdAt: z.string(),
  preparedBy: z.object({ id: z.string(), name: z.string(), pinfl: z.string() }),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  readingCount: z.number(),
  lang: z.string(),
  document: z.string().describe('the document bytes, base64'),
  sha256: z.string(),
  signer: z
    .object({ subject: z.string(), commonName: z.string(), serialNumber: z.string(), pinfl: z.string() })
    .nullable(),
  signedAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  readings: z.array(
    z.object({
      id: z.string(),
      contract: z.string(),
      meter: z.string(),
      obis: z.string(),
      readOn: z.string(),
      value: z.string(),
      status: z.string(),
    }),
  ),
});

const ZPrepared = z.object({
  id: z.string(),
  document: z.string().describe('the document to sign, base64 of its UTF-8 bytes'),
  sha256: z.string(),
  readingCount: z.number(),
});

const ZPrepareRequest = z
  .object({
    readingIds: z
      .array(ZId)
      .min(1)
      .max(1000)
      .refine((ids) => new Set(ids.map((i) => BigInt(i))).size === ids.length, 'a reading appears twice'),
    lang: z.enum(LOCALES).optional(),
  })
  .strict();

/** Base64 of DER, or PEM ("-----BEGIN PKCS7-----" / "CMS"), as E-IMZO and OpenSSL write them. */
const ZSignatureRequest = z.object({ signature: z.string().min(16).max(200_000) }).strict();

/** The DER bytes of a signature sent as base64 or PEM. */
function signatureBytes(text: string): Uint8Array {
  const pem = /-----BEGIN [A-Z0-9 ]+-----([A-Za-z0-9+/=\s]+)-----END [A-Z0-9 ]+-----/.exec(text);
  const b64 = (pem?.[1] ?? text).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64))
    throw new AppError('VALIDATION_FAILED', 'The signature is not base64', {
      issues: 'signature: base64 of the DER CMS, or PEM',
    });
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

const h = (uz: string, uzCyrl: string, ru: string, en: string) => ({ uz, 'uz-Cyrl': uzCyrl, ru, en });

const PENDING_COLUMNS: XlsxColumn<PendingReading>[] = [
  { header: h('ID', 'ID', 'ID', 'ID'), value: (r) => r.id, width: 10 },
  { header: h('Shartnoma', 'Шартнома', 'Договор', 'Contract'), value: (r) => r.contract.number, width: 14 },
  { header: h("Iste'molchi", 'Истеъмолчи', 'Потребитель', 'Consumer'), value: (r) => r.consumer, width: 30 },
  { header: h("Bo'linma", 'Бўлинма', 'Подразделение', 'Org unit'), value: (r) => r.orgUnit, width: 22 },
  { header: h('Hisoblagich', 'Ҳисоблагич', 'Счётчик', 'Meter'), value: (r) => r.meter, width: 14 },
  { header: h('Registr', 'Регистр', 'Регистр', 'Register'), value: (r) => r.obis, width: 9 },
  { header: h('Sana', 'Сана', 'Дата', 'Date'), type: 'date', value: (r) => r.readOn, width: 12 },
  { header: h("Ko'rsatkich", 'Кўрсаткич', 'Показание', 'Reading'), type: 'money', value: (r) => r.value },
  {
    header: h("Oldingi ko'rsatkich", 'Олдинги кўрсаткич', 'Предыдущее', 'Previous reading'),
    type: 'money',
    value: (r) => r.previous?.value,
  },
  {
    header: h('Oldingi sana', 'Олдинги сана', 'Дата предыдущего', 'Previous date'),
    type: 'date',
    value: (r) => r.previous?.readOn,
    width: 12,
  },
  { header: h('Farq', 'Фарқ', 'Разность', 'Advance'), type: 'money', value: (r) => r.advance },
  { header: h('Manba', 'Манба', 'Источник', 'Source'), value: (r) => r.source, width: 10 },
  { header: h('Kiritgan', 'Киритган', 'Ввёл', 'Entered by'), value: (r) => r.enteredBy, width: 28 },
  {
    header: h('Kiritilgan vaqt', 'Киритилган вақт', 'Время ввода', 'Entered at'),
    value: (r) => r.enteredAt.slice(0, 19).replace('T', ' '),
    width: 20,
  },
];

/**
 * Signed confirmation of the readings district staff entered (R3.4): the queue of submitted
 * readings, preparing a confirmation document, signing it, and the signed confirmations.
 */
export const readingConfirmationRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;

  app.get(
    '/api/readings/confirmations/pending',
    {
      config: { permission: 'reading.confirm' },
      schema: {
        tags: ['readings'],
        summary: 'Readings entered by staff that wait for a signed confirmation (format=xlsx for all)',
        querystring: listQuery(PENDING_SORTS, 'readOn').extend({
          period: ZPeriod.optional(),
          orgUnitId: ZId.optional(),
          q: z.string().trim().max(100).optional(),
        }),
        response: { 200: ZListPage(ZPendingReading), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const query = request.query;
      const filter: PendingFilter = {
        tenantId: access.user.tenantId,
        scope: access.scope('reading.confirm'),
        period: query.period ? parsePeriod(query.period) : undefined,
        q: query.q || undefined,
      };
      if (query.orgUnitId) {
        // An unknown unit, or another supplier's, matches nothing.
        filter.unitPath = (await unitPathOf(db, access.user.tenantId, BigInt(query.orgUnitId))) ?? '/none/';
      }
      const sort = { sort: query.sort, dir: query.dir };
      if (query.format === 'xlsx') {
        const total = await countPending(db, filter);
        if (total > XLSX_MAX_ROWS)
          throw new AppError('READING_CONFIRMATION_EXPORT_TOO_LARGE', 'Too many rows to export', {
            limit: XLSX_MAX_ROWS,
          });
        const rows = await listPending(db, filter, { ...sort, limit: XLSX_MAX_ROWS, offset: 0 });
        return sendXlsx(reply, {
          fileName: 'readings-to-confirm.xlsx',
          sheet: h('Tasdiqlash', 'Тасдиқлаш', 'Подтверждение', 'To confirm'),
          columns: PENDING_COLUMNS,
          rows,
          locale: query.lang ?? request.locale,
        });
      }
      const [items, total] = await Promise.all([
        listPending(db, filter, { ...sort, limit: query.limit, offset: query.offset }),
        countPending(db, filter),
      ]);
      return { items, total };
    },
  );

  app.get(
    '/api/readings/confirmations',
    {
      config: { permission: 'reading.read' },
      schema: {
        tags: ['readings'],
        summary: 'Confirmations of readings: the caller’s own and those of their org units',
        querystring: listQuery(CONFIRMATION_SORTS, 'createdAt').extend({
          status: z.enum(['draft', 'signed']).optional(),
        }),
        response: { 200: ZListPage(ZConfirmationListItem), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const q = request.query;
      return listConfirmations(
        db,
        {
          tenantId: access.user.tenantId,
          userId: access.user.id,
          scope: access.scope('reading.read'),
          status: q.status,
        },
        { sort: q.sort, dir: q.dir, limit: q.limit, offset: q.offset },
      );
    },
  );

  app.post(
    '/api/readings/confirmations',
    {
      config: { permission: 'reading.confirm' },
      schema: {
        tags: ['readings'],
        summary: 'Prepare the confirmation document of submitted readings (a draft to sign)',
        body: ZPrepareRequest,
        response: { 201: ZPrepared, ...ERROR_RESPONSES, 422: ZErrorResponse },
      },
    },
    async (request, reply) => {
      const prepared = await prepareConfirmation(db, {
        access: accessOf(request),
        readingIds: request.body.readingIds.map((i) => BigInt(i)),
        lang: request.body.lang ?? request.locale,
      });
      return reply.code(201).send(prepared);
    },
  );

  app.get(
    '/api/readings/confirmations/:id',
    {
      config: { permission: 'reading.read' },
      schema: {
        tags: ['readings'],
        summary: 'One confirmation: its document, status, signer and readings',
        params: z.object({ id: ZId }),
        response: { 200: ZConfirmation, ...ERROR_RESPONSES },
      },
    },
    async (request) => confirmationView(db, accessOf(request), BigInt(request.params.id)),
  );

  app.post(
    '/api/readings/confirmations/:id/signature',
    {
      config: { permission: 'reading.confirm' },
      schema: {
        tags: ['readings'],
        summary:
          'Sign a prepared confirmation: a detached CMS (base64 DER or PEM) by the key of the user who prepared it; accepts its readings',
        params: z.object({ id: ZId }),
        body: ZSignatureRequest,
        response: { 200: ZConfirmation, ...ERROR_RESPONSES, 422: ZErrorResponse },
      },
    },
    async (request) =>
      signConfirmation(db, actorOf(request), {
        access: accessOf(request),
        id: BigInt(request.params.id),
        signature: signatureBytes(request.body.signature),
      }),
  );

  app.get(
    '/api/readings/confirmations/:id/document',
    {
      config: { permission: 'reading.read' },
      schema: {
        tags: ['readings'],
        summary: 'The confirmation document (UTF-8 text), the bytes its signature covers',
        params: z.object({ id: ZId }),
        response: { 200: z.unknown().describe('text/plain; charset=utf-8'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const files = await confirmationFiles(db, accessOf(request), BigInt(id));
      return sendFile(reply, {
        type: 'text/plain; charset=utf-8',
        fileName: `reading-confirmation-${id}.txt`,
        body: files.document,
        disposition: 'attachment',
      });
    },
  );

  app.get(
    '/api/readings/confirmations/:id/p7s',
    {
      config: { permission: 'reading.read' },
      schema: {
        tags: ['readings'],
        summary: 'The detached signature (.p7s) over the confirmation document',
        params: z.object({ id: ZId }),
        response: { 200: z.unknown().describe('application/pkcs7-signature'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const files = await confirmationFiles(db, accessOf(request), BigInt(id));
      if (!files.signature)
        throw new AppError('READING_CONFIRMATION_NOT_SIGNED', `Confirmation ${id} is not signed yet`);
      return sendFile(reply, {
        type: 'application/pkcs7-signature',
        fileName: `reading-confirmation-${id}.txt.p7s`,
        body: files.signature,
      });
    },
  );
};
