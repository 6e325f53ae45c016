import { createServer, type Server, type Socket } from 'node:net';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_ENGINE } from '../../../test/support/db.ts';
import { type FakePlayMobile, startFakePlayMobile } from '../../../test/support/fake-playmobile.ts';
import { createSmsFixture, type SmsFixture } from '../../../test/support/sms-fixture.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { playMobileGateway } from './playmobile.ts';
import { queueReconnection } from './sms.outbox.ts';
import { drainSmsOutbox } from './sms.worker.ts';

let pm: FakePlayMobile;
let hanging: Server;
let hangingUrl: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  pm = await startFakePlayMobile();
  // A server that takes the connection and never answers.
  hanging = createServer((socket) => {
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const address = hanging.address();
  hangingUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await pm.close();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => hanging.close(() => resolve()));
});

const gateway = (over: Partial<Parameters<typeof playMobileGateway>[0]> = {}) =>
  playMobileGateway({
    baseUrl: pm.url,
    login: pm.login,
    password: pm.password,
    originator: '3700',
    timeoutMs: 2_000,
    ...over,
  });
const request = { outboxId: 41n, phone: '+998901234567', text: 'Л/с 0012345: подача энергии возобновлена.' };

describe('Play Mobile adapter', () => {
  it('posts the broker JSON with Basic auth and our message-id, and takes 200 as accepted', async () => {
    expect(await gateway().send(request)).toEqual({ kind: 'accepted', providerMessageId: 'hisob41' });
    expect(pm.messages).toEqual([
      { messageId: 'hisob41', recipient: '998901234567', originator: '3700', text: request.text },
    ]);
    expect(pm.unexpected).toEqual([]);
  });

  it('gives up a message Play Mobile refuses with an error code', async () => {
    const result = await gateway({ originator: 'NOPE' }).send(request);
    expect(result).toEqual({ kind: 'rejected', error: 'Play Mobile error 401: Empty originator' });
  });

  it('retries without doubt when the credentials are refused, and in doubt after a 5xx or its internal error', async () => {
    expect(await gateway({ password: 'wrong' }).send(request)).toMatchObject({
      kind: 'retry',
      inDoubt: false,
    });
    pm.script({ status: 503, body: 'Service Unavailable' });
    expect(await gateway().send(request)).toMatchObject({ kind: 'retry', inDoubt: true });
    pm.script({ status: 400, body: '{"error-code":100,"error-description":"Internal server error"}' });
    expect(await gateway().send(request)).toEqual({
      kind: 'retry',
      error: 'Play Mobile error 100: Internal server error',
      inDoubt: true,
    });
  });

  it('knows a refused connection sent nothing, and a timeout may have', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const address = free.address();
    await new Promise<void>((resolve) => free.close(() => resolve()));
    const port = typeof address === 'object' && address ? address.port : 0;
    const closed = await gateway({ baseUrl: `http://127.0.0.1:${port}` }).send(request);
    expect(closed).toMatchObject({ kind: 'retry', inDoubt: false });
    expect((closed as { error: string }).error).toContain('ECONNREFUSED');
    const slow = await gateway({ baseUrl: hangingUrl, timeoutMs: 200 }).send(request);
    expect(slow).toMatchObject({ kind: 'retry', inDoubt: true });
  });
});

describe(`SMS worker with Play Mobile (${TEST_ENGINE})`, () => {
  let database: Database;
  let db: Kysely<DB>;
  let f: SmsFixture;
  beforeAll(async () => {
    database = await openTestDatabase();
    db = database.db;
    f = await createSmsFixture(db, 'sms-pm');
  });
  afterAll(async () => {
    await database.close();
  });

  it('sends through Play Mobile and, having no way to look a message up, sends one in doubt again', async () => {
    const queued = await db
      .transaction()
      .execute((trx) => queueReconnection(trx, { contractId: f.reachable.contractId, reference: 'pm-1' }));
    if (!queued.queued) throw new Error('not queued');
    pm.messages.length = 0;
    pm.script({ status: 502, body: 'Bad Gateway' });
    const done = await drainSmsOutbox(db, { gateway: gateway(), backoffMs: () => 0 });
    const row = await db
      .selectFrom('sms_outbox')
      .selectAll()
      .where('id', '=', queued.id)
      .executeTakeFirstOrThrow();
    expect(done, `last error: ${row.last_error}; ${pm.log.join(', ')}`).toMatchObject({
      retried: 1,
      sent: 1,
    });
    expect(pm.messages.map((m) => m.messageId)).toEqual([`hisob${queued.id}`]);
    expect(row).toMatchObject({
      status: 'sent',
      provider: 'playmobile',
      provider_message_id: `hisob${queued.id}`,
      attempts: 2,
    });
    expect(row.text).toBe(`Л/с ${f.reachable.number}: подача энергии возобновлена. Спасибо!`);
  });
});
