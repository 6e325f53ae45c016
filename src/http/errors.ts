import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../domain/errors.ts';
import { DEFAULT_LOCALE } from '../i18n/locale.ts';
import { messageOf, statusOf } from './error-codes.ts';

/** The body of every error response. */
export type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

/** Sends `{ error: { code, message } }` with the code's status, the message in the request's language. */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: string,
  details?: Record<string, unknown>,
  fallback?: string,
): FastifyReply {
  const locale = request.locale ?? DEFAULT_LOCALE;
  const body: ErrorBody = { error: { code, message: messageOf(code, locale, details, fallback) } };
  if (details && Object.keys(details).length > 0) body.error.details = jsonSafe(details);
  return reply.code(statusOf(code)).type('application/json; charset=utf-8').send(body);
}

function jsonSafe(details: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(details, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  ) as Record<string, unknown>;
}

// Fastify's own client errors, mapped onto our codes.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

/** Installs the root error handler: AppErrors and client errors pass, the rest is masked as 500. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      return sendError(request, reply, error.code, error.details, error.message);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => `${v.instancePath || '/'} ${v.message ?? ''}`.trim());
      return sendError(request, reply, 'VALIDATION_FAILED', { issues: issues.join('; '), fields: issues });
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.statusCode === 429) return sendError(request, reply, 'RATE_LIMITED');
    const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
    if (mapped) return sendError(request, reply, mapped, { issues: fastifyError.message });
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
    } else if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return sendError(request, reply, 'VALIDATION_FAILED', { issues: fastifyError.message });
    } else {
      request.log.error({ err: error }, 'unhandled error');
    }
    return sendError(request, reply, 'INTERNAL');
  });
}
