import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { answerOf, fail, type PaymeAnswer, type PaymeOutcome, type RpcId } from './payme.errors.ts';
import { idOf, isAuthorized, parseJson, parseRequest } from './payme.protocol.ts';
import { paymeKeyInForce, runPaymeMethod } from './payme.service.ts';

/** What the Payme endpoint needs: the database, PAYME_KEY, and a clock (tests move it). */
export type PaymeRoutesOptions = {
  db: Kysely<DB>;
  config: { paymeKey: string | undefined };
  now?: () => Date;
};

const PAYME_URL = '/api/payments/payme';
// Payme's calls are small; anything bigger is not one of them.
const BODY_LIMIT = 64 * 1024;

const send = (reply: FastifyReply, answer: PaymeAnswer) =>
  reply.code(200).type('application/json; charset=utf-8').send(answer);

/**
 * Payme's Merchant API at POST /api/payments/payme (JSON-RPC 2.0, docs/decisions/006-payme.md).
 * Payme authenticates with HTTP Basic `Paycom:<key>`, not with our session, so the route is public
 * and takes no CSRF token. Every answer is HTTP 200 — Payme reads any other status as a system
 * error — with `result` or `error`; the body is read as text whatever its content type, so that
 * a body that is not JSON is answered −32700 rather than by our own error handler.
 */
export const paymeRoutes: FastifyPluginAsync<PaymeRoutesOptions> = async (app, opts) => {
  const { db } = opts;
  const clock = opts.now ?? (() => new Date());

  // These parsers and this error handler belong to this plugin's routes only (encapsulation).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code?.startsWith('FST_ERR_CTP_')) return send(reply, answerOf(null, fail('PARSE_ERROR')));
    request.log.error({ err: error }, 'Payme Merchant API call failed');
    return send(reply, answerOf(null, fail('SYSTEM_ERROR')));
  });

  app.post(
    PAYME_URL,
    {
      config: { access: 'public', csrf: false },
      bodyLimit: BODY_LIMIT,
      schema: {
        tags: ['payments'],
        summary: "Payme Merchant API (JSON-RPC 2.0; Payme's servers call it with Basic Paycom:<key>)",
        description:
          'Methods CheckPerformTransaction, CreateTransaction, PerformTransaction, CancelTransaction, ' +
          'CheckTransaction, GetStatement, ChangePassword. Account fields: `account` (contract number), ' +
          '`supplier` (supplier code, optional), `intent` (cabinet payment intent id, optional). ' +
          'Always HTTP 200 with `result` or `error`.',
      },
    },
    async (request, reply) => send(reply, await answer(request)),
  );

  // Payme's −32300: the method must be POST.
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'],
    url: PAYME_URL,
    config: { access: 'public', csrf: false },
    schema: { hide: true },
    handler: async (_request, reply) => send(reply, answerOf(null, fail('METHOD_NOT_POST'))),
  });

  async function answer(request: FastifyRequest): Promise<PaymeAnswer> {
    const text = typeof request.body === 'string' ? request.body : '';
    const json = parseJson(text);
    const id: RpcId = json.ok ? idOf(json.value) : null;
    try {
      const digest = await paymeKeyInForce(db, opts.config.paymeKey);
      if (!isAuthorized(request.headers.authorization, digest))
        return answerOf(id, fail('INSUFFICIENT_PRIVILEGE'));
      if (!json.ok) return answerOf(null, fail('PARSE_ERROR'));
      const parsed = parseRequest(json.value);
      if (!parsed.ok)
        return answerOf(id, parsed.data === undefined ? fail(parsed.error) : fail(parsed.error, parsed.data));
      const outcome: PaymeOutcome = await runPaymeMethod(db, parsed.request, {
        actor: { type: 'provider', id: 'payme', tenantId: null, ip: request.ip, requestId: request.id },
        now: clock(),
        envKey: opts.config.paymeKey,
      });
      return answerOf(id, outcome);
    } catch (err) {
      // Never the body: a ChangePassword body holds the new key.
      request.log.error({ err }, 'Payme Merchant API call failed');
      return answerOf(id, fail('SYSTEM_ERROR', 'internal'));
    }
  }
};
