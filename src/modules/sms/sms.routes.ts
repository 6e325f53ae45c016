import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { SMS_TEMPLATES } from '../../domain/sms-templates.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { acceptFormBodies } from '../../http/forms.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { ESKIZ_CALLBACK_PATH } from './sms.providers.ts';
import { isCallbackSecret, listSms, recordEskizReport, setSmsPreferences } from './sms.service.ts';

const SMS_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled'] as const;

const ZSms = z.object({
  id: z.string(),
  consumer: z.object({ id: z.string(), name: z.string() }),
  phone: z.string(),
  locale: z.string(),
  template: z.string(),
  text: z.string().nullable(),
  segments: z.number().nullable(),
  status: z.string(),
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  providerStatus: z.string().nullable(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});

/**
 * SMS to consumers: Eskiz's delivery reports (public, authenticated by the secret in the URL
 * Eskiz was given: Eskiz does not sign its callbacks), the outbox for staff, and a consumer's
 * opt-out. Sending is the worker's (sms.worker.ts).
 */
export const smsRoutes: FastifyPluginAsyncZod<{
  db: Kysely<DB>;
  callbackSecret: string | undefined;
}> = async (app, opts) => {
  const { db } = opts;

  // Eskiz documents a JSON body; a form-encoded one is read too (scoped to this plugin).
  acceptFormBodies(app);

  app.post(
    ESKIZ_CALLBACK_PATH,
    {
      config: { access: 'public', csrf: false },
      schema: {
        tags: ['sms'],
        summary: 'Eskiz delivery report (callback_url of each SMS sent through Eskiz)',
        description:
          "Called by Eskiz's servers, not by people: POST {request_id, message_id, user_sms_id, country, " +
          'phone_number, sms_count, status, status_date} to the callback_url given with each SMS, which ' +
          'carries ?secret=<SMS_CALLBACK_SECRET>. A wrong or missing secret answers 404 and changes nothing.',
        querystring: z.object({ secret: z.string().max(200).optional() }),
        response: {
          200: z.object({ status: z.literal('ok'), matched: z.boolean() }),
          404: ERROR_RESPONSES[404],
        },
      },
    },
    async (request) => {
      if (!isCallbackSecret(opts.callbackSecret, request.query.secret))
        throw new AppError('NOT_FOUND', 'Not found', { path: ESKIZ_CALLBACK_PATH });
      const result = await recordEskizReport(db, request.body);
      if (!result.matched)
        request.log.warn(
          { provider: 'eskiz', body: request.body },
          'SMS delivery report for no message of ours',
        );
      return { status: 'ok' as const, matched: result.matched };
    },
  );

  app.get(
    '/api/sms',
    {
      config: { permission: 'consumer.read' },
      schema: {
        tags: ['sms'],
        summary: 'SMS to the consumers of the caller’s org units, newest first',
        querystring: z.object({
          status: z.enum(SMS_STATUSES).optional(),
          template: z.enum(SMS_TEMPLATES).optional(),
          consumerId: ZId.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ items: z.array(ZSms) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => ({
      items: await listSms(db, accessOf(request), {
        status: request.query.status,
        template: request.query.template,
        consumerId: request.query.consumerId === undefined ? undefined : BigInt(request.query.consumerId),
        limit: request.query.limit,
      }),
    }),
  );

  app.post(
    '/api/consumers/:id/sms-opt-out',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags: ['sms'],
        summary: 'Stop (or resume) SMS to a consumer, optionally setting the SMS language',
        description: 'Opting out cancels the SMS still queued for the consumer. Audited.',
        params: z.object({ id: ZId }),
        body: z.object({ optOut: z.boolean(), locale: z.enum(LOCALES).optional() }).strict(),
        response: {
          200: z.object({
            id: z.string(),
            smsOptOut: z.boolean(),
            smsLocale: z.string(),
            cancelled: z.number(),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) =>
      setSmsPreferences(db, accessOf(request), actorOf(request), {
        consumerId: BigInt(request.params.id),
        optOut: request.body.optOut,
        locale: request.body.locale,
      }),
  );
};
