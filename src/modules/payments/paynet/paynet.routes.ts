import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { answerOf, fail, type PaynetAnswer, type RpcId } from './paynet.errors.ts';
import { credentialsDigest, idOf, isAuthorized, parseJson, parseRequest } from './paynet.protocol.ts';
import { runPaynetMethod } from './paynet.service.ts';

/** What the Paynet endpoint needs: the database, PAYNET_LOGIN/PAYNET_PASSWORD, and a clock (tests fix it). */
export type PaynetRoutesOptions = {
  db: Kysely<DB>;
  config: { paynetLogin: string | undefined; paynetPassword: string | undefined };
  now?: () => Date;
};

const PAYNET_URL = '/api/payments/paynet';
// Paynet's calls are small; anything bigger is not one of them.
const BODY_LIMIT = 64 * 1024;

const send = (reply: FastifyReply, answer: PaynetAnswer, status = 200) =>
  reply.code(status).type('application/json; charset=utf-8').send(answer);

/**
 * Paynet's provider web service at POST /api/payments/paynet (JSON-RPC 2.0,
 * docs/decisions/010-paynet.md). Paynet authenticates with HTTP Basic credentials we give it, not
 * with our session, so the route is public and takes no CSRF token. Missing or wrong credentials
 * are a real HTTP 401 (with Paynet's code 412 in the body); every other answer is HTTP 200 with
 * `result` or `error`. The body is read as text whatever its content type, so that a body that is
 * not JSON is answered −32700 rather than by our own error handler.
 */
export const paynetRoutes: FastifyPluginAsync<PaynetRoutesOptions> = async (app, opts) => {
  const { db } = opts;
  const clock = opts.now ?? (() => new Date());
  const digest = credentialsDigest(opts.config.paynetLogin, opts.config.paynetPassword);

  // These parsers and this error handler belong to this plugin's routes only (encapsulation).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code?.startsWith('FST_ERR_CTP_')) return send(reply, answerOf(null, fail('PARSE_ERROR')));
    request.log.error({ err: error }, 'Paynet call failed');
    return send(reply, answerOf(null, fail('SYSTEM_ERROR')));
  });

  app.post(
    PAYNET_URL,
    {
      config: { access: 'public', csrf: false },
      bodyLimit: BODY_LIMIT,
      schema: {
        tags: ['payments'],
        summary: "Paynet provider web service (JSON-RPC 2.0; Paynet's servers call it with HTTP Basic)",
        description:
          'Methods GetInformation, PerformTransaction, CheckTransaction, CancelTransaction, GetStatement. ' +
          'Account fields (`params.fields`): `account` (contract number), `supplier` (supplier code, ' +
          'optional). Amounts in tiyin; date-times "YYYY-MM-DD HH:mm:ss" in Tashkent time. HTTP 401 on ' +
          'missing or wrong credentials, else HTTP 200 with `result` or `error`.',
      },
    },
    async (request, reply) => {
      const text = typeof request.body === 'string' ? request.body : '';
      const json = parseJson(text);
      const id: RpcId = json.ok ? idOf(json.value) : null;
      if (!isAuthorized(request.headers.authorization, digest)) {
        reply.header('www-authenticate', 'Basic realm="hisob-paynet", charset="UTF-8"');
        return send(reply, answerOf(id, fail('WRONG_CREDENTIALS')), 401);
      }
      return send(reply, await answer(request, json, id));
    },
  );

  // JSON-RPC's −32300 in Paynet's table: the method must be POST.
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'],
    url: PAYNET_URL,
    config: { access: 'public', csrf: false },
    schema: { hide: true },
    handler: async (_request, reply) => send(reply, answerOf(null, fail('METHOD_NOT_POST'))),
  });

  async function answer(
    request: FastifyRequest,
    json: ReturnType<typeof parseJson>,
    id: RpcId,
  ): Promise<PaynetAnswer> {
    if (!json.ok) return answerOf(null, fail('PARSE_ERROR'));
    const parsed = parseRequest(json.value);
    if (!parsed.ok)
      return answerOf(id, parsed.data === undefined ? fail(parsed.error) : fail(parsed.error, parsed.data));
    try {
      const outcome = await runPaynetMethod(db, parsed.value, {
        actor: { type: 'provider', id: 'paynet', tenantId: null, ip: request.ip, requestId: request.id },
        now: clock(),
      });
      return answerOf(id, outcome);
    } catch (err) {
      // Never the body: it names the payer's account.
      request.log.error({ err }, 'Paynet call failed');
      return answerOf(id, fail('SYSTEM_ERROR'));
    }
  }
};
