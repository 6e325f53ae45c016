import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../../db/schema.ts';
import { AppError, isAppError } from '../../../domain/errors.ts';
import { parseLocalDate } from '../../../domain/period.ts';
import { ERROR_RESPONSES, ZId } from '../../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../../http/context.ts';
import { sendFile } from '../../../http/files.ts';
import type { Access } from '../../auth/access.ts';
import { ZErrorResponse } from '../../auth/auth.schemas.ts';
import type { Permission } from '../../auth/permissions.ts';
import {
  companyPath,
  contractByNumber,
  findBatch,
  listBatches,
  supplierAccount,
} from './imports.repository.ts';
import {
  batchView,
  importResultView,
  ZFileChannel,
  ZImportBatch,
  ZImportResult,
  ZMatchRequest,
  ZMatchResult,
  ZReconciliation,
  ZReconciliationQuery,
  ZUnmatchedPayment,
} from './imports.schemas.ts';
import { importPaymentFile } from './imports.service.ts';
import { MAX_PAYMENT_FILE_BYTES, readPaymentFile } from './payment-file-reader.ts';
import { reconcileChannelDay } from './reconciliation.service.ts';
import { renderReconciliationXlsx } from './reconciliation.xlsx.ts';
import { listUnmatched, matchUnmatchedPayment } from './unmatched.service.ts';

// One file of at most 20 MB (a longer one is cut there and flagged `truncated`) and a few fields.
const MULTIPART_LIMITS = {
  fileSize: MAX_PAYMENT_FILE_BYTES,
  files: 1,
  fields: 6,
  fieldSize: 1024,
  parts: 8,
  headerPairs: 20,
} as const;

/** An uploaded form: its text fields and its one file. */
type Upload = { fields: Record<string, string>; file: { fileName: string; bytes: Uint8Array } };

/** Reads a multipart form with one file field `file` and small text fields. */
async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart())
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
  const fields: Record<string, string> = {};
  let file: Upload['file'] | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', 'The file is larger than 20 MB');
        if (part.fieldname !== 'file')
          throw new AppError('VALIDATION_FAILED', `Unexpected file field ${part.fieldname}`, {
            issues: `unexpected file field "${part.fieldname}"`,
          });
        file = { fileName: (part.filename || 'payments').slice(0, 255), bytes: Buffer.concat(chunks) };
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (e) {
    if (isAppError(e)) throw e;
    if ((e as { code?: unknown }).code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
    throw new AppError('VALIDATION_FAILED', 'Malformed multipart body', {
      issues: e instanceof Error ? e.message : String(e),
    });
  }
  if (!file || file.bytes.length === 0)
    throw new AppError('VALIDATION_FAILED', 'No file', { issues: 'file: a non-empty file is required' });
  return { fields, file };
}

/** Parses form fields with a schema, as VALIDATION_FAILED like any body. */
function formFields<T extends z.ZodType>(schema: T, fields: Record<string, string>): z.infer<T> {
  const parsed = schema.safeParse(fields);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('/')} ${i.message}`);
  throw new AppError('VALIDATION_FAILED', 'Invalid form fields', {
    issues: issues.join('; '),
    fields: issues,
  });
}

/**
 * Bank and post payments arrive as files for the whole supplier, and an unmatched one belongs to
 * no org unit until someone finds its contract. So the bank-and-post desk works at the company
 * level: importing, the unmatched queue, matching and the reconciliation need the permission at
 * the supplier's company unit (the root of the org tree); a region or district user gets
 * ORG_UNIT_OUT_OF_SCOPE. Once matched, a payment is its contract's and is seen where that is.
 */
async function assertCompanyScope(db: Kysely<DB>, access: Access, permission: Permission): Promise<void> {
  access.assertAt(permission, await companyPath(db, access.user.tenantId));
}

/** Bank statements and post registries: import, unmatched queue, matching, daily reconciliation. */
export const paymentImportRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  await app.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: false });

  app.post(
    '/api/payments/imports',
    {
      config: { permission: 'payment.write' },
      bodyLimit: MAX_PAYMENT_FILE_BYTES + 1024 * 1024,
      schema: {
        tags: ['payments'],
        summary:
          'Import a bank statement (channel=bank, 1CClientBankExchange) or a post registry (channel=post, CSV or XLSX): multipart/form-data with `channel` and `file`',
        consumes: ['multipart/form-data'],
        response: {
          201: ZImportResult,
          ...ERROR_RESPONSES,
          413: ZErrorResponse,
          415: ZErrorResponse,
          422: ZErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      await assertCompanyScope(db, access, 'payment.write');
      const upload = await readUpload(request);
      const { channel } = formFields(z.object({ channel: ZFileChannel }), upload.fields);
      const result = await importPaymentFile(db, actorOf(request), {
        tenantId: access.user.tenantId,
        channel,
        fileName: upload.file.fileName,
        bytes: upload.file.bytes,
      });
      const batch = await findBatch(db, access.user.tenantId, result.batchId);
      if (!batch) throw new AppError('NOT_FOUND', 'The batch vanished');
      return reply.code(201).send(importResultView(batch, result));
    },
  );

  app.get(
    '/api/payments/imports',
    {
      config: { permission: 'payment.read' },
      schema: {
        tags: ['payments'],
        summary: 'Imported bank statements and post registries, newest first',
        querystring: z.object({
          channel: ZFileChannel.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: { 200: z.object({ items: z.array(ZImportBatch) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      await assertCompanyScope(db, access, 'payment.read');
      const rows = await listBatches(db, { tenantId: access.user.tenantId, ...request.query });
      return { items: rows.map(batchView) };
    },
  );

  app.get(
    '/api/payments/unmatched',
    {
      config: { permission: 'payment.read' },
      schema: {
        tags: ['payments'],
        summary: 'Bank and post payments whose contract was not found, oldest first',
        querystring: z.object({
          channel: ZFileChannel.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: {
          200: z.object({ items: z.array(ZUnmatchedPayment), total: z.number() }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const access = accessOf(request);
      await assertCompanyScope(db, access, 'payment.read');
      return listUnmatched(db, { tenantId: access.user.tenantId, ...request.query });
    },
  );

  app.post(
    '/api/payments/:id/match',
    {
      config: { permission: 'payment.write' },
      schema: {
        tags: ['payments'],
        summary: 'Book an unmatched payment to a contract (allocated to its open items, the rest an advance)',
        params: z.object({ id: ZId }),
        body: ZMatchRequest,
        response: { 200: ZMatchResult, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      await assertCompanyScope(db, access, 'payment.write');
      const { contractNumber } = request.body;
      const contract = await contractByNumber(db, access.user.tenantId, contractNumber);
      if (!contract || !access.canAt('payment.write', contract.path))
        throw new AppError('UNKNOWN_ACCOUNT', `Unknown account ${contractNumber}`, {
          account: contractNumber,
        });
      return matchUnmatchedPayment(db, actorOf(request), {
        tenantId: access.user.tenantId,
        paymentId: BigInt(request.params.id),
        contract,
      });
    },
  );

  app.get(
    '/api/payments/reconciliation',
    {
      config: { permission: 'payment.read' },
      schema: {
        tags: ['payments'],
        summary:
          'Daily reconciliation of a channel: the registry lines imported for the date against the payments booked on that channel and date (format=xlsx for a workbook)',
        querystring: ZReconciliationQuery,
        response: {
          200: ZReconciliation.describe('or the XLSX workbook with format=xlsx'),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      await assertCompanyScope(db, access, 'payment.read');
      const q = request.query;
      const view = await reconcileChannelDay(db, {
        tenantId: access.user.tenantId,
        channel: q.channel,
        date: parseLocalDate(q.date),
      });
      if (q.format === 'json') return view;
      return sendFile(reply, {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        fileName: `reconciliation-${q.channel}-${q.date}.xlsx`,
        body: await renderReconciliationXlsx(view, q.lang ?? request.locale),
      });
    },
  );

  app.post(
    '/api/payments/reconciliation',
    {
      config: { permission: 'payment.read' },
      bodyLimit: MAX_PAYMENT_FILE_BYTES + 1024 * 1024,
      schema: {
        tags: ['payments'],
        summary:
          'Daily reconciliation against an uploaded registry (not imported): multipart/form-data with `file`, `channel`, `date`, optional `format` and `lang`',
        consumes: ['multipart/form-data'],
        response: {
          200: ZReconciliation.describe('or the XLSX workbook with format=xlsx'),
          ...ERROR_RESPONSES,
          413: ZErrorResponse,
          415: ZErrorResponse,
          422: ZErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      await assertCompanyScope(db, access, 'payment.read');
      const upload = await readUpload(request);
      const q = formFields(ZReconciliationQuery, upload.fields);
      const file = await readPaymentFile({
        channel: q.channel,
        bytes: upload.file.bytes,
        supplierAccount: q.channel === 'bank' ? await supplierAccount(db, access.user.tenantId) : null,
      });
      const view = await reconcileChannelDay(db, {
        tenantId: access.user.tenantId,
        channel: q.channel,
        date: parseLocalDate(q.date),
        file,
      });
      if (q.format === 'json') return view;
      return sendFile(reply, {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        fileName: `reconciliation-${q.channel}-${q.date}.xlsx`,
        body: await renderReconciliationXlsx(view, q.lang ?? request.locale),
      });
    },
  );
};
