import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { acceptFormBodies, FORM } from '../../../http/forms.ts';
import {
  type ClickCompleteAnswer,
  type ClickPrepareAnswer,
  completeAnswer,
  encodeClickAnswer,
  prepareAnswer,
} from './click.protocol.ts';
import { type ClickKeys, clickComplete, clickPrepare } from './click.service.ts';

const DESCRIPTION =
  "Called by Click's servers (SHOP API, docs.click.uz), not by people: a form-encoded request " +
  'signed with md5 and the secret key; the answer is always HTTP 200 with JSON ' +
  '{click_trans_id, merchant_trans_id, merchant_prepare_id | merchant_confirm_id, error, error_note}, ' +
  'error 0 or one of Click\'s codes −1…−9. See README "Payments — Click".';

/** Sends Click's answer: always 200 and JSON, whatever it says. */
function send(reply: FastifyReply, answer: ClickPrepareAnswer | ClickCompleteAnswer): FastifyReply {
  return reply.code(200).type('application/json; charset=utf-8').send(encodeClickAnswer(answer));
}

/**
 * Click's SHOP API: POST /api/payments/click/prepare and /complete. Public (Click signs its calls;
 * no session, no CSRF); the form-encoded body parser is scoped to this plugin.
 */
export const clickRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> } & ClickKeys> = async (app, opts) => {
  const { db } = opts;
  const keys: ClickKeys = { serviceId: opts.serviceId, secretKey: opts.secretKey };

  acceptFormBodies(app);

  // An unexpected failure is answered −7 ("failed to update user") so that Click sees one of its
  // codes and asks again or escalates; the transaction has rolled back, so nothing is half done.
  const failed = (request: FastifyRequest, err: unknown) =>
    request.log.error({ err, provider: 'click', url: request.url }, 'click call failed');

  app.post(
    '/api/payments/click/prepare',
    {
      config: { access: 'public', csrf: false },
      schema: {
        tags: ['payments'],
        summary: 'Click SHOP API Prepare (action 0): check the account and amount, record the attempt',
        description: DESCRIPTION,
        consumes: [FORM],
      },
    },
    async (request, reply) => {
      try {
        return send(reply, await clickPrepare(db, keys, request.body));
      } catch (err) {
        failed(request, err);
        return send(reply, prepareAnswer(request.body, 'failedToUpdateUser', null));
      }
    },
  );

  app.post(
    '/api/payments/click/complete',
    {
      config: { access: 'public', csrf: false },
      schema: {
        tags: ['payments'],
        summary: 'Click SHOP API Complete (action 1): book the payment once, or cancel the attempt',
        description: DESCRIPTION,
        consumes: [FORM],
      },
    },
    async (request, reply) => {
      try {
        return send(
          reply,
          await clickComplete(db, keys, request.body, { ip: request.ip, requestId: request.id }),
        );
      } catch (err) {
        failed(request, err);
        return send(reply, completeAnswer(request.body, 'failedToUpdateUser', null));
      }
    },
  );
};
