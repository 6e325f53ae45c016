import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { assertSubmissionWindowOpen } from '../../domain/submission-window.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { cabinetOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import {
  ATTACHMENT_LIMIT_DETAILS,
  cabinetSubmissionWindow,
  findCabinetAttachment,
  listCabinetReadings,
  MAX_ATTACHMENT_BYTES,
  type SubmissionEntry,
  submitCabinetReadings,
  type UploadedFile,
} from './cabinet-readings.service.ts';

const ZAttachmentRef = z.object({ id: z.string(), fileName: z.string(), size: z.number() });

const ZCabinetReadings = z.object({
  dataAsOf: z.string(),
  window: z.object({ period: z.string(), open: z.boolean(), closesOn: z.string() }),
  // R3.4: who confirmed each listed accepted reading and when; `signed` when by a signed confirmation.
  confirmations: z.array(
    z.object({ readingId: z.string(), by: z.string().nullable(), at: z.string(), signed: z.boolean() }),
  ),
  meters: z.array(
    z.object({
      meterId: z.string(),
      serial: z.string(),
      pointCode: z.string(),
      type: z.string().nullable(),
      digits: z.number(),
      multiplier: z.string(),
      registers: z.array(
        z.object({
          registerId: z.string(),
          obis: z.string(),
          last: z.object({ readOn: z.string(), value: z.string() }).nullable(),
          history: z.array(
            z.object({
              id: z.string(),
              readOn: z.string(),
              value: z.string(),
              consumption: z.string().nullable(),
              source: z.string(),
              status: z.string(),
              attachment: ZAttachmentRef.nullable(),
            }),
          ),
        }),
      ),
    }),
  ),
});

const ZSubmitted = z.object({
  readings: z.array(
    z.object({
      registerId: z.string(),
      id: z.string(),
      readOn: z.string(),
      value: z.string(),
      consumption: z.string(),
    }),
  ),
  attachment: ZAttachmentRef.nullable(),
});

/** The `readings` field of a submission: one entry per register. */
const ZEntries = z
  .array(z.object({ registerId: ZId, value: z.string().max(32) }).strict())
  .min(1)
  .max(100);

// The multipart parser's limits: one file of at most 10 MB (a longer one is cut there and
// flagged `truncated`, so at most 10 MB is ever held), a few small fields.
const MULTIPART_LIMITS = {
  fileSize: MAX_ATTACHMENT_BYTES,
  files: 1,
  fields: 4,
  fieldSize: 64 * 1024,
  parts: 6,
  headerPairs: 20,
} as const;

/** Reads the parts of a submission: the `readings` JSON and at most one file, `attachment`. */
async function readSubmission(
  request: FastifyRequest,
): Promise<{ entries: SubmissionEntry[]; attachment: UploadedFile | null }> {
  if (!request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the readings as multipart/form-data');
  }
  let readings: unknown;
  let attachment: UploadedFile | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        if (part.file.truncated) {
          throw new AppError(
            'ATTACHMENT_TOO_LARGE',
            'The attachment is larger than 10 MB',
            ATTACHMENT_LIMIT_DETAILS,
          );
        }
        if (part.fieldname !== 'attachment') {
          throw new AppError('VALIDATION_FAILED', `Unexpected file field ${part.fieldname}`, {
            issues: `unexpected file field "${part.fieldname}"`,
          });
        }
        const bytes = Buffer.concat(chunks);
        // A form's empty file input arrives as a nameless empty file: no attachment.
        if (bytes.length === 0 && !part.filename) continue;
        attachment = { fileName: part.filename, bytes };
      } else if (part.fieldname === 'readings') {
        if (part.valueTruncated) {
          throw new AppError('VALIDATION_FAILED', 'The readings field is too long', {
            issues: 'readings: too long',
          });
        }
        readings = part.value;
      }
    }
  } catch (e) {
    if (isAppError(e)) throw e;
    const code = (e as { code?: unknown }).code;
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the readings as multipart/form-data');
    }
    // Limits (parts, files, fields) and malformed bodies are the client's error.
    throw new AppError('VALIDATION_FAILED', 'Malformed multipart body', {
      issues: e instanceof Error ? e.message : String(e),
    });
  }
  return { entries: parseEntriesField(readings), attachment };
}

/** Parses the `readings` field (a JSON string, or JSON the parser already decoded). */
function parseEntriesField(value: unknown): SubmissionEntry[] {
  let json: unknown = value;
  if (typeof value === 'string') {
    try {
      json = JSON.parse(value);
    } catch {
      throw new AppError('VALIDATION_FAILED', 'The readings field is not JSON', {
        issues: 'readings: not valid JSON',
      });
    }
  }
  const parsed = ZEntries.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `readings/${i.path.join('/')} ${i.message}`);
    throw new AppError('VALIDATION_FAILED', 'Invalid readings field', { issues: issues.join('; ') });
  }
  return parsed.data;
}

/**
 * Meter readings in the consumers' cabinet (R6 function 2, R3.1): history per register and the
 * monthly submission with a photo or scan. The multipart parser is registered here only.
 */
export const cabinetReadingRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  await app.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: false });

  app.get(
    '/api/cabinet/readings',
    {
      config: { access: 'cabinet' },
      schema: {
        tags: ['cabinet'],
        summary: "The contract's meters in service with each register's readings and the submission window",
        response: { 200: ZCabinetReadings, ...ERROR_RESPONSES },
      },
    },
    async (request) => listCabinetReadings(db, cabinetOf(request)),
  );

  app.post(
    '/api/cabinet/readings',
    {
      config: { access: 'cabinet' },
      // The file is streamed by the multipart parser within its own limits; this only keeps the
      // route's declared limit above the largest accepted submission.
      bodyLimit: MAX_ATTACHMENT_BYTES + 1024 * 1024,
      schema: {
        tags: ['cabinet'],
        summary:
          'Submit readings (1st–25th): multipart/form-data with `readings` = JSON [{registerId, value: "001250,50"}] and an optional `attachment` (JPEG, PNG or PDF ≤ 10 MB)',
        consumes: ['multipart/form-data'],
        response: {
          201: ZSubmitted,
          ...ERROR_RESPONSES,
          413: ZErrorResponse,
          415: ZErrorResponse,
          422: ZErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const auth = cabinetOf(request);
      // Refused before the upload is read.
      assertSubmissionWindowOpen(await cabinetSubmissionWindow(db, auth));
      const { entries, attachment } = await readSubmission(request);
      const result = await submitCabinetReadings(db, auth, {
        entries,
        attachment,
        ip: request.ip,
        requestId: request.id,
      });
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/api/cabinet/readings/attachments/:id',
    {
      config: { access: 'cabinet' },
      schema: {
        tags: ['cabinet'],
        summary: 'Download an attachment of a submitted reading',
        params: z.object({ id: ZId }),
        response: {
          200: z.unknown().describe('the file: image/jpeg, image/png or application/pdf'),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const file = await findCabinetAttachment(db, cabinetOf(request), BigInt(request.params.id));
      reply.header('cache-control', 'private, no-store');
      return sendFile(reply, {
        type: file.mediaType,
        fileName: file.fileName,
        body: file.content,
        disposition: 'attachment',
      });
    },
  );
};
