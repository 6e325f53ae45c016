import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { parseLocalDate, todayInTashkent } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { sendXlsx, XLSX_MAX_ROWS, ZListPage } from '../../http/list.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import { enterReading, searchRegisters } from './readings.entry.ts';
import { importReadings } from './readings.import.ts';
import { MAX_IMPORT_BYTES } from './readings.import-file.ts';
import {
  countReadings,
  listReadings,
  READINGS_SHEET,
  readingFilters,
  readingXlsxColumns,
} from './readings.list.ts';
import { acceptSuspectReading, correctReading, rejectReading } from './readings.queue.ts';
import {
  ZAcceptReading,
  ZCorrection,
  ZCorrectReading,
  ZEnterReading,
  ZImportResult,
  ZReadingListQuery,
  ZReadingRow,
  ZRegisterSearchItem,
  ZRejectReading,
} from './readings.schemas.ts';

const MULTIPART_LIMITS = {
  fileSize: MAX_IMPORT_BYTES,
  files: 1,
  fields: 4,
  fieldSize: 1024,
  parts: 6,
  headerPairs: 20,
} as const;

/** Reads the one file `file` of a multipart form. */
async function readImportFile(request: FastifyRequest): Promise<{ fileName: string; bytes: Buffer }> {
  if (!request.isMultipart())
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
  let file: { fileName: string; bytes: Buffer } | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', 'The file is larger than 5 MB');
      if (part.fieldname !== 'file')
        throw new AppError('VALIDATION_FAILED', `Unexpected file field ${part.fieldname}`, {
          issues: `unexpected file field "${part.fieldname}"`,
        });
      file = { fileName: (part.filename || 'readings').slice(0, 255), bytes: Buffer.concat(chunks) };
    }
  } catch (e) {
    if (isAppError(e)) throw e;
    throw new AppError('VALIDATION_FAILED', 'Malformed multipart body', {
      issues: e instanceof Error ? e.message : String(e),
    });
  }
  if (!file || file.bytes.length === 0)
    throw new AppError('VALIDATION_FAILED', 'No file', { issues: 'file: a non-empty file is required' });
  return file;
}

/**
 * Staff readings (R3.1, R3.2): the office table of readings, the entry form's meter search,
 * entry, the VEE queue's actions and the bulk import. Staff readings wait as `submitted` for the
 * signed confirmation (R3.4, confirmation.routes.ts) or as `suspect` in the queue.
 */
export const readingRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  await app.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: false });

  app.get(
    '/api/readings',
    {
      config: { permission: 'reading.read' },
      schema: {
        tags: ['readings'],
        summary:
          'Readings of the caller’s org units: filters status (one or several, comma separated), source, period, orgUnitId, q (contract number or meter serial prefix); format=xlsx exports',
        querystring: ZReadingListQuery,
        response: {
          200: ZListPage(ZReadingRow).describe('or the XLSX workbook with format=xlsx'),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const q = request.query;
      const filters = await readingFilters(db, access, q);
      const total = await countReadings(db, filters);
      if (q.format === 'json') {
        const items = await listReadings(db, filters, {
          sort: q.sort,
          dir: q.dir,
          limit: q.limit,
          offset: q.offset,
        });
        return { items, total };
      }
      if (total > XLSX_MAX_ROWS)
        throw new AppError('READING_EXPORT_TOO_LARGE', `${total} rows to export`, {
          total,
          max: XLSX_MAX_ROWS,
        });
      const locale = q.lang ?? request.locale;
      return sendXlsx(reply, {
        fileName: `readings-${todayInTashkent()}.xlsx`,
        sheet: READINGS_SHEET,
        columns: readingXlsxColumns(locale),
        rows: await listReadings(db, filters, { sort: q.sort, dir: q.dir }),
        locale,
      });
    },
  );

  app.get(
    '/api/readings/registers',
    {
      config: { permission: 'reading.read' },
      schema: {
        tags: ['readings'],
        summary:
          'Meters in service of the caller’s org units whose contract number or serial starts with q, each register with its last accepted reading (for the entry form)',
        querystring: z.object({ q: z.string().trim().min(1).max(40) }),
        response: { 200: z.object({ items: z.array(ZRegisterSearchItem) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => ({ items: await searchRegisters(db, accessOf(request), request.query.q) }),
  );

  app.post(
    '/api/readings',
    {
      config: { permission: 'reading.write' },
      schema: {
        tags: ['readings'],
        summary:
          'Enter a reading of a register (value as XXXXXX,XX or with a dot): source operator (inspector for inspectors), status submitted, or suspect with a VEE code',
        body: ZEnterReading,
        response: { 201: ZReadingRow, ...ERROR_RESPONSES, 422: ZErrorResponse },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const row = await enterReading(db, actorOf(request), accessOf(request), {
        registerId: BigInt(b.registerId),
        readOn: parseLocalDate(b.readOn),
        value: b.value,
        today: todayInTashkent(),
      });
      return reply.code(201).send(row);
    },
  );

  app.post(
    '/api/readings/:id/accept',
    {
      config: { permission: 'reading.write' },
      schema: {
        tags: ['readings'],
        summary: 'A suspect reading checked by the operator goes on to confirmation (status submitted)',
        params: z.object({ id: ZId }),
        body: ZAcceptReading,
        response: { 200: ZReadingRow, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      acceptSuspectReading(db, actorOf(request), accessOf(request), {
        id: BigInt(request.params.id),
        note: request.body?.note,
      }),
  );

  app.post(
    '/api/readings/:id/reject',
    {
      config: { permission: 'reading.write' },
      schema: {
        tags: ['readings'],
        summary: 'Reject a submitted or suspect reading with a reason',
        params: z.object({ id: ZId }),
        body: ZRejectReading,
        response: { 200: ZReadingRow, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      rejectReading(db, actorOf(request), accessOf(request), {
        id: BigInt(request.params.id),
        reason: request.body.reason,
      }),
  );

  app.post(
    '/api/readings/:id/correct',
    {
      config: { permission: 'reading.write' },
      schema: {
        tags: ['readings'],
        summary:
          'Correct a submitted or suspect reading: it is rejected with the reason and the value recorded in its place (same register and date), in one transaction',
        params: z.object({ id: ZId }),
        body: ZCorrectReading,
        response: { 200: ZCorrection, ...ERROR_RESPONSES, 422: ZErrorResponse },
      },
    },
    async (request) =>
      correctReading(db, actorOf(request), accessOf(request), {
        id: BigInt(request.params.id),
        value: request.body.value,
        reason: request.body.reason,
        today: todayInTashkent(),
      }),
  );

  app.post(
    '/api/readings/imports',
    {
      config: { permission: 'reading.write' },
      bodyLimit: MAX_IMPORT_BYTES + 1024 * 1024,
      schema: {
        tags: ['readings'],
        summary:
          'Import readings from a CSV or XLSX file (multipart/form-data, field `file`): columns contract, meter serial, register (default 1.8.0), date, value; all or nothing, a bad file answers READING_IMPORT_INVALID with every bad row',
        consumes: ['multipart/form-data'],
        response: { 201: ZImportResult, ...ERROR_RESPONSES, 413: ZErrorResponse, 415: ZErrorResponse },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      access.assert('reading.write');
      const file = await readImportFile(request);
      const result = await importReadings(db, actorOf(request), access, {
        fileName: file.fileName,
        bytes: file.bytes,
        today: todayInTashkent(),
        locale: request.locale,
      });
      return reply.code(201).send({ fileName: file.fileName, ...result });
    },
  );
};
