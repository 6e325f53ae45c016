import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixture } from '../../../../test/support/app.ts';
import { createCabinetContract } from '../../../../test/support/cabinet.ts';
import { TEST_ENGINE } from '../../../../test/support/db.ts';
import { type ScenarioApp, scenarioApp } from '../../../../test/support/scenario-world.ts';
import { loadConfig } from '../../../config.ts';
import type { Database } from '../../../db/database.ts';
import { buildApp } from '../../../server.ts';
import { PAYME_TIMEOUT_MS } from './payme.protocol.ts';

// Drives POST /api/payments/payme exactly as Payme's servers do: JSON-RPC bodies, Basic
// Paycom:<key>, and always HTTP 200. The world is spec scenario 01 (contract "00042" of supplier
// "scenario", with debts) plus its second consumer "42". The app's clock is the test's `clock`.

const KEY = 'Kc4W1kzqPxxUeW&BHNM0AOtR3?&0@E%R?P@k';
const PAYME_URL = '/api/payments/payme';
const HOUR = 3_600_000;

type RpcError = { code: number; message: { ru: string; uz: string; en: string }; data: string | null };
type Answer = {
  jsonrpc?: string;
  id: number | string | null;
  result?: Record<string, unknown>;
  error?: RpcError;
};

let scn: ScenarioApp;
let database: Database;
let app: FastifyInstance;
let clock = new Date('2025-05-31T20:30:00Z'); // 01:30 on 1 June in Tashkent
let key = KEY;
let rpcId = 0;

const basic = (k: string, login = 'Paycom') => `Basic ${Buffer.from(`${login}:${k}`).toString('base64')}`;
const paymeId = () => randomBytes(12).toString('hex');
const at = (ms: number) => {
  clock = new Date(ms);
};

async function post(payload: string, headers: Record<string, string>, on = app): Promise<Answer> {
  const res = await on.inject({ method: 'POST', url: PAYME_URL, headers, payload });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.json() as Answer;
}

/** One JSON-RPC call as Payme makes it. */
async function rpc(
  method: string,
  params: Record<string, unknown>,
  o: { key?: string; on?: FastifyInstance } = {},
): Promise<Answer> {
  const id = ++rpcId;
  const answer = await post(
    JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    { 'content-type': 'application/json', authorization: basic(o.key ?? key) },
    o.on,
  );
  expect(answer.id).toBe(id);
  return answer;
}

const ok = (a: Answer): Record<string, unknown> => {
  if (!a.result) throw new Error(`expected a result, got ${JSON.stringify(a.error)}`);
  return a.result;
};
const code = (a: Answer) => a.error?.code;

const paymentsOf = (externalId: string) =>
  database.db
    .selectFrom('payment')
    .select(['id', 'amount', 'status', 'paid_on', 'reversal_reason', 'contract_id'])
    .where('channel', '=', 'payme')
    .where('external_id', '=', externalId)
    .execute();

const auditOf = (action: string, entityId: string | bigint) =>
  database.db
    .selectFrom('audit_log')
    .select(['actor_type', 'actor_id', 'before', 'after'])
    .where('action', '=', action)
    .where('entity_id', '=', String(entityId))
    .execute();

async function createAndPerform(
  id: string,
  amount: number,
  account: Record<string, unknown> = { account: '00042' },
) {
  const created = ok(await rpc('CreateTransaction', { id, time: clock.getTime(), amount, account }));
  const performed = ok(await rpc('PerformTransaction', { id }));
  return { created, performed };
}

beforeAll(async () => {
  scn = await scenarioApp();
  database = scn.database;
  app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent', PAYME_KEY: KEY }),
    database,
    logger: false,
    now: () => clock,
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await scn?.close();
});

describe(`Payme Merchant API: the envelope (${TEST_ENGINE})`, () => {
  it('refuses a call without the right Basic Paycom:<key> with −32504, still HTTP 200 and the request id', async () => {
    const body = JSON.stringify({ id: 41, method: 'CheckTransaction', params: { id: 'x' } });
    for (const authorization of [undefined, basic('wrong-key'), basic(KEY, 'Payme'), `Bearer ${KEY}`]) {
      const a = await post(body, {
        'content-type': 'application/json',
        ...(authorization ? { authorization } : {}),
      });
      expect(a).toMatchObject({ id: 41, error: { code: -32504 } });
      expect(a.error?.message).toMatchObject({
        ru: expect.any(String),
        uz: expect.any(String),
        en: expect.any(String),
      });
    }
  });

  it('refuses every key while PAYME_KEY is unset', async () => {
    expect(code(await rpc('CheckTransaction', { id: 'x' }, { on: scn.app }))).toBe(-32504);
  });

  it('answers a body that is not JSON with −32700, whatever its content type', async () => {
    const auth = { authorization: basic(KEY) };
    for (const [payload, type] of [
      ['{"id": 1, "method": ', 'application/json'],
      ['', 'application/json'],
      ['method=CheckTransaction', 'application/x-www-form-urlencoded'],
      ['hello', 'text/plain'],
    ] as const) {
      const a = await post(payload, { ...auth, 'content-type': type });
      expect(a).toMatchObject({ id: null, error: { code: -32700, data: null } });
    }
    const res = await app.inject({ method: 'POST', url: PAYME_URL, headers: auth, payload: 'hello' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ error: { code: -32700 } });
  });

  it('answers a wrong request shape with −32600, an unknown method with −32601 naming it', async () => {
    const h = { 'content-type': 'application/json', authorization: basic(KEY) };
    expect(await post('[1,2]', h)).toMatchObject({ id: null, error: { code: -32600 } });
    expect(await post(JSON.stringify({ id: 5, params: {} }), h)).toMatchObject({
      id: 5,
      error: { code: -32600 },
    });
    expect(
      await rpc('CheckPerformTransaction', { amount: '500000', account: { account: '00042' } }),
    ).toMatchObject({
      error: { code: -32600, data: 'params.amount' },
    });
    expect(await rpc('PerformTransaction', {})).toMatchObject({ error: { code: -32600, data: 'params.id' } });
    expect(await rpc('GetBalance', {})).toMatchObject({ error: { code: -32601, data: 'GetBalance' } });
  });

  it('answers another HTTP method than POST with −32300', async () => {
    const res = await app.inject({ method: 'GET', url: PAYME_URL, headers: { authorization: basic(KEY) } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ error: { code: -32300 } });
  });

  it('needs neither our session nor our CSRF token', async () => {
    const a = await rpc('CheckPerformTransaction', { amount: 100_000, account: { account: '00042' } });
    expect(a).toEqual({ jsonrpc: '2.0', id: a.id, result: { allow: true } });
  });
});

describe(`Payme Merchant API: transactions (${TEST_ENGINE})`, () => {
  it('checks, creates, performs, checks and lists a payment; books it once in Tashkent’s date', async () => {
    at(Date.parse('2025-05-31T20:30:00Z'));
    const id = paymeId();
    const time = clock.getTime();
    const params = { amount: 15_000_000, account: { account: '00042' } };
    expect(ok(await rpc('CheckPerformTransaction', params))).toEqual({ allow: true });

    const created = ok(await rpc('CreateTransaction', { id, time, ...params }));
    expect(created).toEqual({ create_time: time, transaction: expect.stringMatching(/^\d+$/), state: 1 });
    expect(await paymentsOf(id)).toHaveLength(0);

    at(time + 5_000);
    const performed = ok(await rpc('PerformTransaction', { id }));
    expect(performed).toEqual({ transaction: created.transaction, perform_time: time + 5_000, state: 2 });
    const [payment, ...more] = await paymentsOf(id);
    expect(more).toHaveLength(0);
    expect(payment).toMatchObject({
      amount: 15_000_000n,
      status: 'booked',
      paid_on: '2025-06-01',
      contract_id: scn.contractOf('00042'),
    });
    const booked = await auditOf('payment.book', payment?.id ?? 0n);
    expect(booked).toEqual([expect.objectContaining({ actor_type: 'provider', actor_id: 'payme' })]);

    expect(ok(await rpc('CheckTransaction', { id }))).toEqual({
      create_time: time,
      perform_time: time + 5_000,
      cancel_time: 0,
      transaction: created.transaction,
      state: 2,
      reason: null,
    });
    const statement = ok(await rpc('GetStatement', { from: time, to: time }));
    expect(statement.transactions).toEqual([
      {
        id,
        time,
        amount: 15_000_000,
        account: { account: '00042' },
        create_time: time,
        perform_time: time + 5_000,
        cancel_time: 0,
        transaction: created.transaction,
        state: 2,
        reason: null,
      },
    ]);
    expect(ok(await rpc('GetStatement', { from: time + 1, to: time + HOUR })).transactions).toEqual([]);
  });

  it('answers a repeated create and perform the same and books once', async () => {
    const id = paymeId();
    const { created, performed } = await createAndPerform(id, 700_000);
    const time = created.create_time as number;
    at(clock.getTime() + 60_000);
    expect(
      code(await rpc('CreateTransaction', { id, time, amount: 700_000, account: { account: '00042' } })),
    ).toBe(-31008); // performed: no longer "created"
    expect(ok(await rpc('PerformTransaction', { id }))).toEqual(performed);
    expect(ok(await rpc('PerformTransaction', { id }))).toEqual(performed);
    const payments = await paymentsOf(id);
    expect(payments).toHaveLength(1);
    expect(await auditOf('payment.book', payments[0]?.id ?? 0n)).toHaveLength(1);

    const waiting = paymeId();
    const first = ok(
      await rpc('CreateTransaction', { id: waiting, time, amount: 1_000, account: { account: '00042' } }),
    );
    const again = ok(
      await rpc('CreateTransaction', { id: waiting, time, amount: 1_000, account: { account: '00042' } }),
    );
    expect(again).toEqual(first);
    // The same id with another amount is not the same transaction.
    expect(
      await rpc('CreateTransaction', { id: waiting, time, amount: 2_000, account: { account: '00042' } }),
    ).toMatchObject({ error: { code: -31008, data: 'id' } });
  });

  it('cancels before perform to −1 without money, and refuses to perform it then', async () => {
    const id = paymeId();
    const time = clock.getTime();
    const created = ok(
      await rpc('CreateTransaction', { id, time, amount: 50_000, account: { account: '00042' } }),
    );
    at(time + 1_000);
    const cancelled = ok(await rpc('CancelTransaction', { id, reason: 3 }));
    expect(cancelled).toEqual({ transaction: created.transaction, cancel_time: time + 1_000, state: -1 });
    at(time + 2_000);
    expect(ok(await rpc('CancelTransaction', { id, reason: 3 }))).toEqual(cancelled);
    expect(await rpc('PerformTransaction', { id })).toMatchObject({ error: { code: -31008 } });
    expect(ok(await rpc('CheckTransaction', { id }))).toMatchObject({
      state: -1,
      reason: 3,
      perform_time: 0,
    });
    expect(await paymentsOf(id)).toHaveLength(0);
  });

  it('cancels after perform to −2: the payment is reversed with Payme’s reason, and audited', async () => {
    const id = paymeId();
    const { performed } = await createAndPerform(id, 2_500_000);
    at(clock.getTime() + HOUR);
    const cancelled = ok(await rpc('CancelTransaction', { id, reason: 5 }));
    expect(cancelled).toEqual({
      transaction: performed.transaction,
      cancel_time: clock.getTime(),
      state: -2,
    });
    const [payment] = await paymentsOf(id);
    expect(payment).toMatchObject({ status: 'reversed' });
    expect(payment?.reversal_reason).toContain('reason 5');
    const allocated = await database.db
      .selectFrom('allocation')
      .select((eb) => eb.fn.sum<bigint>('amount').as('net'))
      .where('payment_id', '=', payment?.id ?? 0n)
      .executeTakeFirstOrThrow();
    expect(BigInt(allocated.net ?? 0)).toBe(0n);
    expect(await auditOf('payment.reverse', payment?.id ?? 0n)).toEqual([
      expect.objectContaining({ actor_type: 'provider', actor_id: 'payme' }),
    ]);
    expect(await auditOf('payme_transaction.cancel', performed.transaction as string)).toEqual([
      expect.objectContaining({ after: expect.objectContaining({ state: -2, reason: 5 }) }),
    ]);
    at(clock.getTime() + HOUR);
    expect(ok(await rpc('CancelTransaction', { id, reason: 5 }))).toEqual(cancelled);
    expect(await rpc('PerformTransaction', { id })).toMatchObject({ error: { code: -31008 } });
    expect(ok(await rpc('CheckTransaction', { id }))).toMatchObject({ state: -2, reason: 5 });
    expect(await auditOf('payment.reverse', payment?.id ?? 0n)).toHaveLength(1);
  });

  it('cancels a transaction still waiting 12 hours after Payme created it (reason 4) and refuses to perform it', async () => {
    const id = paymeId();
    const time = clock.getTime();
    const created = ok(
      await rpc('CreateTransaction', { id, time, amount: 80_000, account: { account: '00042' } }),
    );
    at(time + PAYME_TIMEOUT_MS + 1);
    expect(await rpc('PerformTransaction', { id })).toMatchObject({ error: { code: -31008 } });
    expect(ok(await rpc('CheckTransaction', { id }))).toEqual({
      create_time: time,
      perform_time: 0,
      cancel_time: time + PAYME_TIMEOUT_MS + 1,
      transaction: created.transaction,
      state: -1,
      reason: 4,
    });
    expect(await paymentsOf(id)).toHaveLength(0);

    // A repeated create past the timeout cancels the same way; exactly 12 hours is still in time.
    const late = paymeId();
    const t2 = clock.getTime();
    ok(await rpc('CreateTransaction', { id: late, time: t2, amount: 80_000, account: { account: '00042' } }));
    at(t2 + PAYME_TIMEOUT_MS + 1);
    expect(
      code(
        await rpc('CreateTransaction', { id: late, time: t2, amount: 80_000, account: { account: '00042' } }),
      ),
    ).toBe(-31008);
    expect(ok(await rpc('CheckTransaction', { id: late }))).toMatchObject({ state: -1, reason: 4 });
    const onTime = paymeId();
    const t3 = clock.getTime();
    ok(
      await rpc('CreateTransaction', { id: onTime, time: t3, amount: 80_000, account: { account: '00042' } }),
    );
    at(t3 + PAYME_TIMEOUT_MS);
    expect(ok(await rpc('PerformTransaction', { id: onTime }))).toMatchObject({ state: 2 });
    // A new transaction Payme created more than 12 hours ago is not taken.
    const stale = { id: paymeId(), time: clock.getTime() - PAYME_TIMEOUT_MS - 1 };
    expect(
      await rpc('CreateTransaction', { ...stale, amount: 80_000, account: { account: '00042' } }),
    ).toMatchObject({ error: { code: -31008, data: 'time' } });
    expect(code(await rpc('CheckTransaction', { id: stale.id }))).toBe(-31003);
  });

  it('refuses a wrong amount with −31001 and creates nothing', async () => {
    for (const amount of [0, -100, 1.5, 100_000_000_001]) {
      const account = { account: '00042' };
      expect(await rpc('CheckPerformTransaction', { amount, account })).toMatchObject({
        error: { code: -31001, data: 'amount' },
      });
      const id = paymeId();
      expect(code(await rpc('CreateTransaction', { id, time: clock.getTime(), amount, account }))).toBe(
        -31001,
      );
      expect(code(await rpc('CheckTransaction', { id }))).toBe(-31003);
    }
  });

  it('refuses an unknown account with −31050 (leading zeros count; a number is not an account)', async () => {
    for (const account of [
      { account: '0042' },
      { account: '000042' },
      { account: 42 },
      {},
      { account: '00042', supplier: 'nope' },
    ]) {
      expect(await rpc('CheckPerformTransaction', { amount: 100_000, account })).toMatchObject({
        error: { code: -31050, data: 'account' },
      });
    }
    expect(code(await rpc('PerformTransaction', { id: paymeId() }))).toBe(-31003);
    expect(code(await rpc('CancelTransaction', { id: paymeId(), reason: 1 }))).toBe(-31003);
  });

  it('asks for the supplier (−31051) when the number exists at two suppliers', async () => {
    const second = await createOrgFixture(database.db, 'second-grid');
    await createCabinetContract(database.db, {
      tenantId: second.tenantId,
      orgUnitId: second.units.n1.id,
      number: '42',
      inn: '309999998',
      name: 'Second 42 LLC',
    });
    expect(
      await rpc('CheckPerformTransaction', { amount: 100_000, account: { account: '42' } }),
    ).toMatchObject({
      error: { code: -31051, data: 'supplier' },
    });
    const id = paymeId();
    const account = { account: '42', supplier: 'second-grid' };
    await createAndPerform(id, 100_000, account);
    const [payment] = await paymentsOf(id);
    const contract = await database.db
      .selectFrom('contract')
      .select('tenant_id')
      .where('id', '=', payment?.contract_id ?? 0n)
      .executeTakeFirstOrThrow();
    expect(contract.tenant_id).toBe(second.tenantId);
  });

  it('pays a cabinet intent once, for its own account and exact amount', async () => {
    const intent = async (amount: bigint) => {
      const row = await database.db
        .insertInto('payment_intent')
        .values({
          tenant_id: scn.world.tenantId,
          contract_id: scn.contractOf('00042'),
          provider: 'payme',
          amount,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return String(row.id);
    };
    const statusOf = async (id: string) =>
      database.db
        .selectFrom('payment_intent')
        .select(['status', 'external_id', 'payment_id'])
        .where('id', '=', BigInt(id))
        .executeTakeFirstOrThrow();
    const i1 = await intent(250_000n);
    const account = { account: '00042', supplier: 'scenario', intent: i1 };
    expect(await rpc('CheckPerformTransaction', { amount: 240_000, account })).toMatchObject({
      error: { code: -31001, data: 'amount' },
    });
    expect(
      await rpc('CheckPerformTransaction', {
        amount: 250_000,
        account: { account: '42', supplier: 'scenario', intent: i1 },
      }),
    ).toMatchObject({ error: { code: -31053, data: 'intent' } });
    expect(
      await rpc('CheckPerformTransaction', {
        amount: 250_000,
        account: { account: '00042', intent: '999999' },
      }),
    ).toMatchObject({ error: { code: -31053, data: 'intent' } });
    expect(ok(await rpc('CheckPerformTransaction', { amount: 250_000, account }))).toEqual({ allow: true });

    const a = paymeId();
    ok(await rpc('CreateTransaction', { id: a, time: clock.getTime(), amount: 250_000, account }));
    expect(await statusOf(i1)).toMatchObject({ status: 'pending', external_id: a });
    // Another transaction for the same order while the first waits: Payme's "in progress" rule.
    const b = paymeId();
    expect(
      await rpc('CreateTransaction', { id: b, time: clock.getTime(), amount: 250_000, account }),
    ).toMatchObject({ error: { code: -31054, data: 'intent' } });
    expect(code(await rpc('CheckPerformTransaction', { amount: 250_000, account }))).toBe(-31054);
    ok(await rpc('PerformTransaction', { id: a }));
    const [payment] = await paymentsOf(a);
    expect(await statusOf(i1)).toEqual({ status: 'paid', external_id: a, payment_id: payment?.id });
    expect(
      await rpc('CreateTransaction', { id: paymeId(), time: clock.getTime(), amount: 250_000, account }),
    ).toMatchObject({ error: { code: -31052, data: 'intent' } });

    const i2 = await intent(90_000n);
    const c = paymeId();
    const account2 = { account: '00042', intent: Number(i2) };
    ok(await rpc('CreateTransaction', { id: c, time: clock.getTime(), amount: 90_000, account: account2 }));
    // A declined card cancels the transaction and frees the intent for the next card.
    ok(await rpc('CancelTransaction', { id: c, reason: 2 }));
    expect(await statusOf(i2)).toMatchObject({ status: 'created', external_id: null });
    const d = paymeId();
    ok(await rpc('CreateTransaction', { id: d, time: clock.getTime(), amount: 90_000, account: account2 }));
    ok(await rpc('PerformTransaction', { id: d }));
    expect(await statusOf(i2)).toMatchObject({ status: 'paid', external_id: d });
    // The cancelled transaction stays cancelled and cannot be performed.
    expect(code(await rpc('PerformTransaction', { id: c }))).toBe(-31008);
  });

  it('books one payment when the same create and perform arrive ten times at once', async () => {
    const id = paymeId();
    const time = clock.getTime();
    const answers = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const created = await rpc('CreateTransaction', {
          id,
          time,
          amount: 333_300,
          account: { account: '00042' },
        });
        const performed = await rpc('PerformTransaction', { id });
        return { created, performed };
      }),
    );
    const transactions = new Set(answers.map((a) => ok(a.performed).transaction));
    expect(transactions.size).toBe(1);
    expect(new Set(answers.map((a) => ok(a.performed).perform_time)).size).toBe(1);
    // A create that arrives after another copy's perform is answered −31008 (no longer waiting).
    for (const a of answers) expect(a.created.result?.state === 1 || code(a.created) === -31008).toBe(true);
    const payments = await paymentsOf(id);
    expect(payments).toHaveLength(1);
    expect(await auditOf('payment.book', payments[0]?.id ?? 0n)).toHaveLength(1);
  });

  it('never leaves a cancelled transaction with a booked payment when perform and cancel race', async () => {
    const ids = Array.from({ length: 12 }, () => paymeId());
    for (const id of ids)
      ok(
        await rpc('CreateTransaction', {
          id,
          time: clock.getTime(),
          amount: 10_000,
          account: { account: '00042' },
        }),
      );
    const answers = await Promise.all(
      ids.flatMap((id) => [rpc('PerformTransaction', { id }), rpc('CancelTransaction', { id, reason: 3 })]),
    );
    // Each call is answered by the protocol (a perform after the cancel: −31008), never −32400.
    for (const a of answers) expect(a.result ? 'result' : code(a)).toBeOneOf(['result', -31008]);
    for (const id of ids) {
      const state = ok(await rpc('CheckTransaction', { id })).state;
      const payments = await paymentsOf(id);
      if (state === -1) expect(payments).toEqual([]);
      else {
        expect(state).toBe(-2);
        expect(payments).toEqual([expect.objectContaining({ status: 'reversed' })]);
      }
    }
  });
});

type Cmd =
  | { kind: 'create' | 'perform' | 'check'; tx: number }
  | { kind: 'cancel'; tx: number; reason: number }
  | { kind: 'tick'; hours: number };

const tx = fc.nat(2);
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('create' as const), tx }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('perform' as const), tx }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      tx,
      reason: fc.integer({ min: 1, max: 10 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('check' as const), tx }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('tick' as const), hours: fc.integer({ min: 1, max: 13 }) }),
    weight: 1,
  },
);

// One run that surely walks every path (perform, repeat, reversal, cancel, timeout), before the random ones.
const EVERY_PATH: Cmd[] = [
  { kind: 'perform', tx: 0 },
  { kind: 'create', tx: 0 },
  { kind: 'create', tx: 0 },
  { kind: 'perform', tx: 0 },
  { kind: 'perform', tx: 0 },
  { kind: 'cancel', tx: 0, reason: 5 },
  { kind: 'cancel', tx: 0, reason: 5 },
  { kind: 'create', tx: 1 },
  { kind: 'cancel', tx: 1, reason: 3 },
  { kind: 'perform', tx: 1 },
  { kind: 'create', tx: 2 },
  { kind: 'tick', hours: 13 },
  { kind: 'perform', tx: 2 },
  { kind: 'check', tx: 2 },
];

describe(`Payme Merchant API: any order of calls (${TEST_ENGINE})`, () => {
  it('keeps booked minus reversed equal to the performed transactions and never books twice', async () => {
    let run = 0;
    const walked = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(cmdArb, { minLength: 4, maxLength: 24, size: 'medium' }),
        fc.array(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 3, maxLength: 3 }),
        async (cmds, amounts) => {
          run += 1;
          at(Date.parse('2025-07-01T06:00:00Z') + run * 10 * 24 * HOUR);
          const ids = amounts.map(() => paymeId());
          const model = new Map<number, { state: number; time: number }>();
          for (const c of cmds) {
            if (c.kind === 'tick') {
              at(clock.getTime() + c.hours * HOUR);
              continue;
            }
            const id = ids[c.tx] ?? '';
            const m = model.get(c.tx);
            const now = clock.getTime();
            const expired = m?.state === 1 && now - m.time > PAYME_TIMEOUT_MS;
            if (expired && (c.kind === 'create' || c.kind === 'perform')) walked.add('timeout');
            switch (c.kind) {
              case 'create': {
                const time = m?.time ?? now;
                const a = await rpc('CreateTransaction', {
                  id,
                  time,
                  amount: amounts[c.tx],
                  account: { account: '00042' },
                });
                if (!m) {
                  expect(ok(a).state).toBe(1);
                  model.set(c.tx, { state: 1, time });
                } else if (m.state === 1 && !expired) expect(ok(a).state).toBe(1);
                else {
                  expect(code(a)).toBe(-31008);
                  if (expired) m.state = -1;
                }
                break;
              }
              case 'perform': {
                const a = await rpc('PerformTransaction', { id });
                if (!m) expect(code(a)).toBe(-31003);
                else if (m.state === 1 && !expired) {
                  expect(ok(a).state).toBe(2);
                  m.state = 2;
                  walked.add('performed');
                } else if (m.state === 2) expect(ok(a).state).toBe(2);
                else {
                  expect(code(a)).toBe(-31008);
                  if (expired) m.state = -1;
                }
                break;
              }
              case 'cancel': {
                const a = await rpc('CancelTransaction', { id, reason: c.reason });
                if (!m) expect(code(a)).toBe(-31003);
                else {
                  if (m.state === 1 || m.state === 2) walked.add(m.state === 1 ? 'cancelled' : 'reversed');
                  if (m.state === 1) m.state = -1;
                  if (m.state === 2) m.state = -2;
                  expect(ok(a).state).toBe(m.state);
                }
                break;
              }
              case 'check': {
                const a = await rpc('CheckTransaction', { id });
                if (!m) expect(code(a)).toBe(-31003);
                else expect(ok(a).state).toBe(m.state);
                break;
              }
            }
          }
          const txs = await database.db
            .selectFrom('payme_transaction')
            .select(['payme_id', 'amount', 'state'])
            .where('payme_id', 'in', ids)
            .execute();
          const payments = await database.db
            .selectFrom('payment')
            .select(['id', 'external_id', 'amount', 'status'])
            .where('channel', '=', 'payme')
            .where('external_id', 'in', ids)
            .execute();
          const sum = (xs: { amount: bigint }[]) => xs.reduce((s, x) => s + x.amount, 0n);
          const booked = sum(payments);
          const reversed = sum(payments.filter((p) => p.status === 'reversed'));
          expect(booked - reversed).toBe(sum(txs.filter((t) => t.state === 2)));
          expect(new Set(payments.map((p) => p.external_id)).size).toBe(payments.length);
          for (const t of txs) {
            const p = payments.find((x) => x.external_id === t.payme_id);
            expect(p?.status ?? 'none').toBe(t.state === 2 ? 'booked' : t.state === -2 ? 'reversed' : 'none');
            expect(t.state).toBe(model.get(ids.indexOf(t.payme_id))?.state);
          }
          for (const p of payments) expect(await auditOf('payment.book', p.id)).toHaveLength(1);
        },
      ),
      { numRuns: 30, examples: [[EVERY_PATH, [1_000_000, 2_000_000, 3_000_000]]] },
    );
    expect([...walked].sort()).toEqual(['cancelled', 'performed', 'reversed', 'timeout']);
  }, 240_000);
});

describe(`Payme Merchant API: ChangePassword (${TEST_ENGINE})`, () => {
  it('stores the new key, refuses the old one from then on, also after a restart, and audits without the key', async () => {
    const next = 'New-Key-From-Payme-0123456789abcdefgh';
    expect(ok(await rpc('ChangePassword', { password: next }))).toEqual({ success: true });
    expect(code(await rpc('CheckTransaction', { id: 'x' }, { key: KEY }))).toBe(-32504);
    expect(code(await rpc('CheckTransaction', { id: 'x' }, { key: next }))).toBe(-31003);
    key = next;

    const audit = await database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id', 'before', 'after'])
      .where('action', '=', 'payme.key_change')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: 'provider', actor_id: 'payme' });
    expect(JSON.stringify(audit)).not.toContain(next);
    const stored = await database.db.selectFrom('payme_key').selectAll().execute();
    expect(JSON.stringify(stored, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      next,
    );

    const build = (env: Record<string, string>) =>
      buildApp({
        config: loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent', ...env }),
        database,
        logger: false,
      });
    const restarted = await build({ PAYME_KEY: KEY });
    try {
      expect(code(await rpc('CheckTransaction', { id: 'x' }, { key: next, on: restarted }))).toBe(-31003);
      expect(code(await rpc('CheckTransaction', { id: 'x' }, { key: KEY, on: restarted }))).toBe(-32504);
    } finally {
      await restarted.close();
    }
    // An operator who sets a new PAYME_KEY takes the key back.
    const reset = await build({ PAYME_KEY: 'operator-set-key' });
    try {
      expect(code(await rpc('CheckTransaction', { id: 'x' }, { key: 'operator-set-key', on: reset }))).toBe(
        -31003,
      );
      expect(code(await rpc('CheckTransaction', { id: 'x' }, { key: next, on: reset }))).toBe(-32504);
    } finally {
      await reset.close();
    }
  });
});
