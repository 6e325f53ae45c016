import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_ENGINE } from '../../../test/support/db.ts';
import { type FakeEskiz, startFakeEskiz } from '../../../test/support/fake-eskiz.ts';
import { createSmsFixture, type SmsFixture } from '../../../test/support/sms-fixture.ts';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { jobQueue } from '../../jobs/queue.ts';
import { registerWorkers } from '../../jobs/workers.ts';
import { buildApp } from '../../server.ts';
import { eskizGateway } from './eskiz.ts';
import { gatewayId, type SmsGateway } from './sms.gateway.ts';
import { queueReconnection } from './sms.outbox.ts';
import { ESKIZ_CALLBACK_PATH } from './sms.providers.ts';
import { drainSmsOutbox } from './sms.worker.ts';

const SECRET = 'callback-secret-0123456789';

let database: Database;
let db: Kysely<DB>;
let f: SmsFixture;
let eskiz: FakeEskiz;
let app: FastifyInstance;
let gateway: SmsGateway;
let callbackUrl: string;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  f = await createSmsFixture(db);
  eskiz = await startFakeEskiz();
  app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent', SMS_CALLBACK_SECRET: SECRET }),
    database,
    logger: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  callbackUrl = `http://127.0.0.1:${port}${ESKIZ_CALLBACK_PATH}?secret=${SECRET}`;
  gateway = eskizGateway({
    baseUrl: eskiz.url,
    email: eskiz.email,
    password: eskiz.password,
    from: eskiz.from,
    callbackUrl,
    timeoutMs: 2_000,
  });
});

afterAll(async () => {
  await app.close();
  await eskiz.close();
  await database.close();
});

beforeEach(() => {
  eskiz.callbackAfter(20);
  eskiz.holdSends(0);
  eskiz.log.length = 0;
});

let refs = 0;
/** Queues `n` reconnection notices to the reachable consumer; returns their outbox ids. */
async function queue(n = 1): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let i = 0; i < n; i++) {
    refs += 1;
    const r = await db
      .transaction()
      .execute((trx) =>
        queueReconnection(trx, { contractId: f.reachable.contractId, reference: `t${refs}` }),
      );
    if (!r.queued) throw new Error('not queued');
    ids.push(r.id);
  }
  return ids;
}

const row = (id: bigint) =>
  db.selectFrom('sms_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const fast = { backoffMs: () => 0, leaseMs: 60_000 };

async function until(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe(`SMS worker with Eskiz (${TEST_ENGINE})`, () => {
  it('signs in, sends the rendered text and records Eskiz’s id; the delivery report marks it delivered', async () => {
    const [id = 0n] = await queue();
    const done = await drainSmsOutbox(db, { gateway, ...fast });
    expect(done).toMatchObject({ sent: 1, failed: 0 });
    const [message] = eskiz.messages.filter((m) => m.userSmsId === gatewayId(id));
    expect(message).toMatchObject({
      to: '998901234567',
      from: '4546',
      text: `Л/с ${f.reachable.number}: подача энергии возобновлена. Спасибо!`,
      callbackUrl,
    });
    expect(eskiz.log.slice(0, 2)).toEqual(['POST /api/auth/login 200', 'POST /api/message/sms/send 200']);
    const sent = await row(id);
    expect(sent).toMatchObject({
      provider: 'eskiz',
      provider_message_id: message?.requestId,
      attempts: 1,
      text: message?.text,
      segments: 1,
    });
    await until(async () => (await row(id)).status === 'delivered');
    expect(await row(id)).toMatchObject({ provider_status: 'DELIVRD', last_error: null });
    expect(eskiz.unexpected).toEqual([]);
  });

  it('renews an expired token (401 → refresh) and sends the message once', async () => {
    const [id = 0n] = await queue();
    eskiz.expireTokens();
    expect(await drainSmsOutbox(db, { gateway, ...fast })).toMatchObject({ sent: 1 });
    expect(eskiz.log).toEqual([
      'POST /api/message/sms/send 401',
      'PATCH /api/auth/refresh 200',
      'POST /api/message/sms/send 200',
    ]);
    expect(eskiz.acceptedCount(gatewayId(id))).toBe(1);
  });

  it('retries after a 500, looking the message up first, and sends it once', async () => {
    const [id = 0n] = await queue();
    eskiz.script({ status: 500, body: '{"message":"Server Error"}' });
    expect(await drainSmsOutbox(db, { gateway, ...fast })).toMatchObject({ sent: 1, retried: 1 });
    expect(eskiz.log).toEqual([
      'POST /api/message/sms/send 500',
      'POST /api/message/sms/get-user-messages 200',
      'POST /api/message/sms/send 200',
    ]);
    expect(eskiz.acceptedCount(gatewayId(id))).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('gives a message Eskiz refuses (400) up as failed, without retrying', async () => {
    const [id = 0n] = await queue();
    eskiz.script({ status: 400, body: '{"status":"error","message":"Invalid phone number"}' });
    expect(await drainSmsOutbox(db, { gateway, ...fast })).toMatchObject({ failed: 1, sent: 0 });
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1, provider_message_id: null });
    expect((await row(id)).last_error).toContain('Eskiz 400');
    expect(eskiz.log).toEqual(['POST /api/message/sms/send 400']);
  });

  it('does not send again a message whose answer was lost: Eskiz’s list has it', async () => {
    eskiz.callbackAfter(null);
    const [id = 0n] = await queue();
    eskiz.script({ dropAfterAccepting: true });
    expect(await drainSmsOutbox(db, { gateway, ...fast })).toMatchObject({ retried: 1, reconciled: 1 });
    expect(eskiz.log).toEqual([
      'POST /api/message/sms/send dropped',
      'POST /api/message/sms/get-user-messages 200',
    ]);
    expect(eskiz.acceptedCount(gatewayId(id))).toBe(1);
    const found = eskiz.messages.find((m) => m.userSmsId === gatewayId(id));
    expect(await row(id)).toMatchObject({
      status: 'sent',
      provider_message_id: found?.requestId,
      attempts: 2,
    });
  });

  it('gives up after the last try and never sends what it could not confirm', async () => {
    const [id = 0n] = await queue();
    eskiz.script({ status: 502, body: 'Bad Gateway' }, 2);
    const done = await drainSmsOutbox(db, { gateway, ...fast, maxAttempts: 2 });
    expect(done).toMatchObject({ retried: 2, failed: 1, sent: 0 });
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(eskiz.acceptedCount(gatewayId(id))).toBe(0);
  });

  it('cancels a message past its expiry instead of sending it', async () => {
    const [id = 0n] = await queue();
    await db
      .updateTable('sms_outbox')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    expect(await drainSmsOutbox(db, { gateway, ...fast })).toMatchObject({ cancelled: 1 });
    expect(await row(id)).toMatchObject({ status: 'cancelled', last_error: 'expired' });
    expect(eskiz.acceptedCount(gatewayId(id))).toBe(0);
  });

  it('after a worker dies mid-try, the next one sends each message exactly once', async () => {
    eskiz.callbackAfter(null);
    const ids = await queue(6);
    // A worker that dies: half of its tries reach Eskiz (and are accepted) before it dies, half die
    // before the request leaves; none of its outcomes is ever written.
    const dying: SmsGateway = {
      name: 'eskiz',
      lookup: gateway.lookup,
      send: (request) => {
        if (request.outboxId % 2n === 0n) void gateway.send(request);
        return new Promise(() => {});
      },
    };
    void drainSmsOutbox(db, { gateway: dying, ...fast, leaseMs: 400, concurrency: 6 });
    await until(
      async () => eskiz.messages.filter((m) => ids.some((id) => m.userSmsId === gatewayId(id))).length === 3,
    );
    const stuck = await db.selectFrom('sms_outbox').select('status').where('id', 'in', ids).execute();
    expect(stuck.map((r) => r.status)).toEqual(Array(6).fill('sending'));
    // Before the lease runs out, nobody touches them.
    expect(await drainSmsOutbox(db, { gateway, ...fast })).toMatchObject({ sent: 0, reconciled: 0 });
    await new Promise((r) => setTimeout(r, 450));
    const done = await drainSmsOutbox(db, { gateway, ...fast });
    expect(done).toMatchObject({ sent: 3, reconciled: 3 });
    for (const id of ids) {
      expect(eskiz.acceptedCount(gatewayId(id)), String(id)).toBe(1);
      expect((await row(id)).status).toBe('sent');
    }
  });
});

describe(`SMS worker through pg-boss (${TEST_ENGINE})`, () => {
  it('drains the outbox on its own once registered', async () => {
    const jobs = jobQueue(db, null);
    const stop = await registerWorkers(jobs, { db, log: null, billRunWorkers: 1, sms: gateway });
    try {
      const [id = 0n] = await queue();
      await until(async () => ['sent', 'delivered'].includes((await row(id)).status), 20_000);
      expect(eskiz.acceptedCount(gatewayId(id))).toBe(1);
    } finally {
      stop();
      await jobs.stop();
    }
  }, 30_000);
});
