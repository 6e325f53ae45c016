import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestSession } from '../../../test/support/app.ts';
import { openTestDatabase, TEST_ENGINE } from '../../../test/support/db.ts';
import { createSmsFixture, type SmsFixture } from '../../../test/support/sms-fixture.ts';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { buildApp } from '../../server.ts';
import { queueReconnection } from './sms.outbox.ts';
import { isCallbackSecret } from './sms.service.ts';

const SECRET = 'route-test-secret-0123456789';

let database: Database;
let db: Kysely<DB>;
let app: FastifyInstance;
let f: SmsFixture;
const s: Record<string, TestSession> = {};

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  f = await createSmsFixture(db);
  for (const [login, role, unit] of [
    ['op.n1', 'operator', f.units.n1.id],
    ['clerk.n1', 'clerk', f.units.n1.id],
    ['admin.hq', 'admin', f.units.company.id],
  ] as const)
    await createUser(db, { tenantId: f.tenantId, login, role, orgUnitId: unit });
  app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent', SMS_CALLBACK_SECRET: SECRET }),
    database,
    logger: false,
  });
  await app.ready();
  for (const login of ['op.n1', 'clerk.n1', 'admin.hq']) s[login] = await signIn(app, login);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const session = (login: string) => {
  const found = s[login];
  if (!found) throw new Error(login);
  return found;
};

let refs = 0;
async function queued(contractId: bigint): Promise<bigint> {
  refs += 1;
  const r = await db
    .transaction()
    .execute((trx) => queueReconnection(trx, { contractId, reference: `r${refs}` }));
  if (!r.queued) throw new Error('not queued');
  return r.id;
}

/** A row as if the worker had sent it through Eskiz with this request id. */
async function sentThroughEskiz(requestId: string): Promise<bigint> {
  const id = await queued(f.reachable.contractId);
  await db
    .updateTable('sms_outbox')
    .set({
      status: 'sent',
      provider: 'eskiz',
      provider_message_id: requestId,
      sent_at: new Date(),
      attempts: 1,
    })
    .where('id', '=', id)
    .execute();
  return id;
}

const row = (id: bigint) =>
  db.selectFrom('sms_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const report = (payload: Record<string, string>, query = `?secret=${SECRET}`) =>
  app.inject({ method: 'POST', url: `/api/sms/callback/eskiz${query}`, payload });

describe(`Eskiz delivery reports (${TEST_ENGINE})`, () => {
  it('marks the message delivered, by Eskiz’s request id', async () => {
    const id = await sentThroughEskiz('req-delivered');
    const res = await report({
      request_id: 'req-delivered',
      message_id: '4385062',
      user_sms_id: `hisob${id}`,
      country: 'UZ',
      phone_number: '998901234567',
      sms_count: '1',
      status: 'DELIVRD',
      status_date: '2025-04-02 00:39:36',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', matched: true });
    const r = await row(id);
    expect(r).toMatchObject({ status: 'delivered', provider_status: 'DELIVRD' });
    // status_date is Tashkent time.
    expect(r.delivered_at?.toISOString()).toBe('2025-04-01T19:39:36.000Z');
  });

  it('refuses a report with a wrong or missing secret (404) and changes nothing', async () => {
    const id = await sentThroughEskiz('req-secret');
    const payload = { request_id: 'req-secret', user_sms_id: `hisob${id}`, status: 'DELIVRD' };
    for (const query of ['?secret=guess-0123456789-guess', '', `?secret=${SECRET}x`]) {
      const res = await report(payload, query);
      expect(res.statusCode, query).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect(await row(id)).toMatchObject({ status: 'sent', provider_status: null, delivered_at: null });
    expect(isCallbackSecret(undefined, '')).toBe(false);
  });

  it('records an undelivered message as failed, form-encoded too, and never undoes a delivery', async () => {
    const id = await sentThroughEskiz('req-undeliv');
    const form = await app.inject({
      method: 'POST',
      url: `/api/sms/callback/eskiz?secret=${SECRET}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `request_id=req-undeliv&user_sms_id=hisob${id}&status=UNDELIV&status_date=2025-04-02+00%3A39%3A36`,
    });
    expect(form.statusCode).toBe(200);
    expect(await row(id)).toMatchObject({
      status: 'failed',
      provider_status: 'UNDELIV',
      last_error: 'not delivered: UNDELIV',
    });
    const delivered = await sentThroughEskiz('req-final');
    await report({ request_id: 'req-final', status: 'DELIVRD' });
    await report({ request_id: 'req-final', status: 'EXPIRED' });
    expect(await row(delivered)).toMatchObject({ status: 'delivered', provider_status: 'DELIVRD' });
  });

  it('settles a message in doubt by our id, and answers 200 to reports of messages it does not know', async () => {
    const id = await queued(f.reachable.contractId);
    await db
      .updateTable('sms_outbox')
      .set({ status: 'sending', provider: 'eskiz', attempts: 1 })
      .where('id', '=', id)
      .execute();
    await report({ request_id: 'req-lost-answer', user_sms_id: `hisob${id}`, status: 'ACCEPTED' });
    expect(await row(id)).toMatchObject({
      status: 'sent',
      provider_message_id: 'req-lost-answer',
      provider_status: 'ACCEPTED',
    });
    const unknown = await report({ request_id: 'req-nobody', user_sms_id: 'hisob999999', status: 'DELIVRD' });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual({ status: 'ok', matched: false });
  });
});

describe(`SMS outbox and opt-out for staff (${TEST_ENGINE})`, () => {
  it('lists the SMS of the caller’s org units only, with the text rendered', async () => {
    await queued(f.reachable.contractId);
    // A message to a consumer in region south, outside op.n1's district.
    await db
      .insertInto('sms_outbox')
      .values({
        tenant_id: f.tenantId,
        consumer_id: f.noPhone.consumerId,
        phone: '+998935550000',
        locale: 'en',
        template: 'reconnection',
        params: JSON.stringify({ account: f.noPhone.number }),
        dedupe_key: 'south:1',
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .execute();
    const list = async (login: string, query = '') => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/sms${query}`,
        headers: session(login).headers,
      });
      expect(res.statusCode).toBe(200);
      return res.json().items as {
        consumer: { id: string };
        text: string;
        status: string;
        template: string;
      }[];
    };
    const mine = await list('op.n1');
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((i) => i.consumer.id))).toEqual(new Set([String(f.reachable.consumerId)]));
    expect(mine[0]?.text).toBe(`Л/с ${f.reachable.number}: подача энергии возобновлена. Спасибо!`);
    const all = await list('admin.hq');
    expect(all.map((i) => i.consumer.id)).toContain(String(f.noPhone.consumerId));
    expect(all.find((i) => i.consumer.id === String(f.noPhone.consumerId))?.text).toBe(
      `Account ${f.noPhone.number}: supply has been restored. Thank you!`,
    );
    expect((await list('admin.hq', '?status=delivered')).every((i) => i.status === 'delivered')).toBe(true);
    expect((await list('clerk.n1')).length).toBe(mine.length);
  });

  it('opts a consumer out (cancelling what is queued) and back in with another language, audited', async () => {
    const waiting = await queued(f.reachable.contractId);
    const url = `/api/consumers/${f.reachable.consumerId}/sms-opt-out`;
    const out = await app.inject({
      method: 'POST',
      url,
      headers: session('op.n1').headers,
      payload: { optOut: true },
    });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toMatchObject({
      id: String(f.reachable.consumerId),
      smsOptOut: true,
      smsLocale: 'ru',
    });
    expect(out.json().cancelled).toBeGreaterThanOrEqual(1);
    expect(await row(waiting)).toMatchObject({ status: 'cancelled', last_error: 'consumer opted out' });
    const none = await db
      .transaction()
      .execute((trx) =>
        queueReconnection(trx, { contractId: f.reachable.contractId, reference: 'after-opt-out' }),
      );
    expect(none).toEqual({ queued: false, reason: 'opted_out' });

    const back = await app.inject({
      method: 'POST',
      url,
      headers: session('op.n1').headers,
      payload: { optOut: false, locale: 'uz' },
    });
    expect(back.json()).toEqual({
      id: String(f.reachable.consumerId),
      smsOptOut: false,
      smsLocale: 'uz',
      cancelled: 0,
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity', '=', 'consumer')
      .where('entity_id', '=', String(f.reachable.consumerId))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['consumer.sms_preferences', 'consumer.sms_preferences']);
    expect(audit[1]?.after).toMatchObject({ sms_opt_out: false, sms_locale: 'uz' });
  });

  it('refuses the opt-out to a role without consumer.write and outside the caller’s units', async () => {
    const forbidden = await app.inject({
      method: 'POST',
      url: `/api/consumers/${f.reachable.consumerId}/sms-opt-out`,
      headers: session('clerk.n1').headers,
      payload: { optOut: true },
    });
    expect(forbidden.statusCode).toBe(403);
    const elsewhere = await app.inject({
      method: 'POST',
      url: `/api/consumers/${f.noPhone.consumerId}/sms-opt-out`,
      headers: session('op.n1').headers,
      payload: { optOut: true },
    });
    expect(elsewhere.statusCode).toBe(404);
    const consumer = await db
      .selectFrom('consumer')
      .select('sms_opt_out')
      .where('id', '=', f.noPhone.consumerId)
      .executeTakeFirstOrThrow();
    expect(consumer.sms_opt_out).toBe(false);
  });
});
