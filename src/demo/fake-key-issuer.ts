import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { isAppError } from '../domain/errors.ts';
import { messageOf } from '../http/error-codes.ts';
import { contentDisposition } from '../http/files.ts';
import { acceptFormBodies } from '../http/forms.ts';
import { issueConsumerKey, MIN_KEY_PASSWORD } from '../modules/signature/consumer-key.ts';
import { issueStaffKey } from '../modules/signature/staff-key.ts';
import { escapeHtml } from './html.ts';

// A stand-in for the certification authority that gives a company its E-IMZO key, for the demo
// and the browser tests: a form takes a contract number and a password and hands back a
// password-protected `.pfx` with a certificate of the local test CA naming the consumer and its
// INN — what `hisob cabinet-key` writes, without stopping the server. A second form does the same
// for a staff user by login (a personal certificate with the user's PINFL, as `hisob staff-key`
// writes), to confirm readings (R3.4). Real people bring keys from the national CA; this exists
// only with DEMO_FAKES=true.

function page(error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Test certification authority</title>
<style>body{font-family:sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem}label{display:block;margin-top:.8rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}button{margin-top:1rem;padding:.6rem 1.2rem}
.err{color:#b00020}.note{color:#667;font-size:.9rem}</style></head><body>
<h1>Test certification authority</h1>
<p class="note">Demo only: issues a signing key of the local test CA, as a password-protected PKCS#12 (.pfx)
file, in place of an E-IMZO key from the national CA.</p>
${error ? `<p class="err" role="alert">${escapeHtml(error)}</p>` : ''}
<h2>Consumer (company) key</h2>
<form method="post" action="/fake/keys">
<label>Contract number<input name="contract" required></label>
<label>Supplier code (only when the number exists at several)<input name="supplier"></label>
<label>Key password (at least ${MIN_KEY_PASSWORD} characters)<input name="password" type="password" required></label>
<button>Issue the key</button></form>
<h2>Staff (personal) key</h2>
<p class="note">A personal certificate with the user's full name and PINFL, to confirm readings.</p>
<form method="post" action="/fake/keys" aria-label="Staff key">
<label>Staff login<input name="login" required></label>
<label>Key password (at least ${MIN_KEY_PASSWORD} characters)<input name="password" type="password" required></label>
<button>Issue the staff key</button></form></body></html>`;
}

export const fakeKeyIssuer: FastifyPluginAsync<{ db: Kysely<DB> }> = async (app, opts) => {
  acceptFormBodies(app);

  app.get('/fake/keys', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page()));

  app.post('/fake/keys', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    try {
      if (body.login !== undefined) {
        const staff = await issueStaffKey(opts.db, {
          login: body.login.trim(),
          password: body.password ?? '',
        });
        return reply
          .type('application/x-pkcs12')
          .header('content-disposition', contentDisposition('attachment', `${staff.login}.pfx`))
          .send(Buffer.from(staff.pfx));
      }
      const key = await issueConsumerKey(opts.db, {
        contract: (body.contract ?? '').trim(),
        supplier: body.supplier?.trim() || undefined,
        password: body.password ?? '',
      });
      return reply
        .type('application/x-pkcs12')
        .header('content-disposition', contentDisposition('attachment', `${key.account}.pfx`))
        .send(Buffer.from(key.pfx));
    } catch (e) {
      if (!isAppError(e)) throw e;
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(page(messageOf(e.code, 'en', e.details, e.message)));
    }
  });
};
