import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { ERROR_RESPONSES } from '../../http/common.schemas.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import { trustedRootsPem } from './local-ca.ts';
import { verifyDetached } from './signer.ts';

/** The largest document or signature the verifier reads. */
export const MAX_VERIFY_FILE_BYTES = 20 * 1024 * 1024;

const LIMIT_DETAILS = { limitMb: MAX_VERIFY_FILE_BYTES / (1024 * 1024) };

// Two files, nothing else; a longer file is cut at the limit and flagged `truncated`.
const MULTIPART_LIMITS = {
  fileSize: MAX_VERIFY_FILE_BYTES,
  files: 2,
  fields: 0,
  parts: 2,
  headerPairs: 20,
} as const;

const ZVerification = z.object({
  valid: z.boolean(),
  reason: z
    .enum(['digest_mismatch', 'bad_signature', 'untrusted', 'expired', 'malformed'])
    .optional()
    .describe('why the signature is not valid'),
  signer: z
    .object({
      commonName: z.string(),
      organization: z.string().nullable(),
      serialNumber: z.string().describe('certificate serial number, hex'),
      inn: z.string().optional(),
    })
    .optional()
    .describe('who signed (valid signatures only)'),
  signedAt: z.string().optional().describe('signing time stated in the signature (valid signatures only)'),
  document: z.object({ sha256: z.string() }),
});

/** Reads the two files, `document` and `signature`, of a verification request. */
async function readFiles(request: FastifyRequest): Promise<{ document: Buffer; signature: Buffer }> {
  if (!request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the document and signature as multipart/form-data');
  }
  const files = new Map<string, Buffer>();
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      if (part.file.truncated) {
        throw new AppError('SIGNATURE_FILE_TOO_LARGE', 'A file is larger than 20 MB', LIMIT_DETAILS);
      }
      if (part.fieldname !== 'document' && part.fieldname !== 'signature') {
        throw new AppError('VALIDATION_FAILED', `Unexpected file field ${part.fieldname}`, {
          issues: `unexpected file field "${part.fieldname}"`,
        });
      }
      files.set(part.fieldname, Buffer.concat(chunks));
    }
  } catch (e) {
    if (isAppError(e)) throw e;
    const code = (e as { code?: unknown }).code;
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the document and signature as multipart/form-data');
    }
    throw new AppError('VALIDATION_FAILED', 'Malformed multipart body', {
      issues: e instanceof Error ? e.message : String(e),
    });
  }
  const document = files.get('document');
  const signature = files.get('signature');
  if (!document?.length || !signature?.length) {
    throw new AppError('SIGNATURE_FILES_REQUIRED', 'Send both files: document and signature');
  }
  return { document, signature };
}

/**
 * Anyone holding a document and its `.p7s` can check that the supplier signed exactly that file
 * (issue 5 point 3). The signature must chain to the installation's trusted roots (the local test
 * CA). A file that is not a detached CMS signature is answered `valid: false, reason: 'malformed'`:
 * the question was answered, the answer is no.
 */
export const signatureRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  await app.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: false });
  await app.register(rateLimit, { global: false });

  app.post(
    '/api/signatures/verify',
    {
      config: {
        access: 'public',
        csrf: false,
        rateLimit: { max: 30, timeWindow: '1 minute', keyGenerator: (req) => req.ip },
      },
      bodyLimit: 2 * MAX_VERIFY_FILE_BYTES + 1024 * 1024,
      schema: {
        tags: ['signatures'],
        summary:
          'Verify a signed document: multipart/form-data with files `document` (the PDF) and `signature` (its detached .p7s), each ≤ 20 MB',
        consumes: ['multipart/form-data'],
        response: { 200: ZVerification, ...ERROR_RESPONSES, 413: ZErrorResponse, 415: ZErrorResponse },
      },
    },
    async (request) => {
      const { document, signature } = await readFiles(request);
      const result = await verifyDetached(document, signature, await trustedRootsPem(db));
      return { ...result, document: { sha256: createHash('sha256').update(document).digest('hex') } };
    },
  );
};
