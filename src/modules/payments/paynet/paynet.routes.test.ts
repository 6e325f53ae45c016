import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixture } from '../../../../test/support/app.ts';
import { createCabinetContract } from '../../../../test/support/cabinet.ts';
import { TEST_ENGINE } from '../../../../test/support/db.ts';
import { type ScenarioApp, scenarioApp } from '../../../../test/support/scenario-world.ts';
import { loadConfig } from '../../../config.ts';
import type { Database } from '../../../db/database.ts';
import { buildApp } from '../../../server.ts';
import { PAYNET_ERRORS } from './paynet.errors.ts';

// Drives POST /api/payments/paynet exactly as Paynet's servers do: JSON-RPC bodies with HTTP Basic
// credentials, amounts in tiyin, Tashkent date-times. The world is spec scenario 01 (contract
// "00042" of supplier "scenario", with debts) plus its second consumer "42". The app's clock is
// the test's `clock`.

const LOGIN = 'paynet-gw';
const PASSWORD = 'Xq7:tR9#pL2$wE5';
const PAYNET_URL = '/api/payments/paynet';
const HOUR = 3_600_000;

type Answer = {
  jsonrpc?: string;
  id: number | string | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: string };
};

let scn: ScenarioApp;
let database: Database;
let app: FastifyInstance;
let clock = new Date('2025-05-31T20:30:00Z'); // 01:30 on 1 June in Tashkent
let rpcId = 0;
let lastTransactionId = 4_100_000_000;

const basic = (login: string, password: string) =>
  `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
const nextTransactionId = () => ++lastTransactionId;
const at = (ms: number) => {
  clock = new Date(ms);
};

async function post(
  payload: string,
  headers: Record<string, string>,
  on = app,
): Promise<{ status: number; answer: Answer; headers: Record<string, unknown> }> {
  const res = await on.inject({ method: 'POST', url: PAYNET_URL, headers, payload });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return { status: res.statusCode, answer: res.json() as Answer, headers: res.headers };
}

/** One JSON-RPC call as Paynet makes it; answered HTTP 200 with the request's id. */
async function rpc(method: string, params: Record<string, unknown>, on = app): Promise<Answer> {
  const id = ++rpcId;
  const { status, answer } = await post(
    JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    { 'content-type': 'application/json', authorization: basic(LOGIN, PASSWORD) },
    on,
  );
  expect(status).toBe(200);
  expect(answer).toMatchObject({ jsonrpc: '2.0', id });
  return answer;
}

const ok = (a: Answer): Record<string, unknown> => {
  if (!a.result) throw new Error(`expected a result, got ${JSON.stringify(a.error)}`);
  return a.result;
};
const code = (a: Answer) => a.error?.code;

const performParams = (transactionId: number, amount: number, fields: Record<string, unknown>) => ({
  serviceId: 77,
  transactionId,
  amount,
  transactionTime: '2025-06-01 01:29:58',
  fields,
});
const perform = (
  transactionId: number,
  amount = 1_000_000,
  fields: Record<string, unknown> = { account: '00042' },
) => rpc('PerformTransaction', performParams(transactionId, amount, fields));
const check = (transactionId: number) => rpc('CheckTransaction', { serviceId: 77, transactionId });
const cancel = (transactionId: number) => rpc('CancelTransaction', { serviceId: 77, transactionId });
const information = (fields: Record<string, unknown>) => rpc('GetInformation', { serviceId: 77, fields });

const paymentsOf = (transactionId: number) =>
  database.db
    .selectFrom('payment')
    .select(['id', 'amount', 'status', 'paid_on', 'reversed_on', 'reversal_reason', 'contract_id'])
    .where('channel', '=', 'paynet')
    .where('external_id', '=', String(transactionId))
    .execute();

const auditOf = (action: string, entityId: string | bigint) =>
  database.db
    .selectFrom('audit_log')
    .select(['actor_type', 'actor_id', 'before', 'after'])
    .where('action', '=', action)
    .where('entity_id', '=', String(entityId))
    .execute();

const balanceOf = async (account: string) => ok(await information({ account })).fields as { balance: number };

beforeAll(async () => {
  scn = await scenarioApp();
  database = scn.database;
  app = await buildApp({
    config: loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: '/nonexistent',
      PAYNET_LOGIN: LOGIN,
      PAYNET_PASSWORD: PASSWORD,
    }),
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

describe(`Paynet provider web service: the envelope (${TEST_ENGINE})`, () => {
  it('refuses a call without the right Basic credentials with a real HTTP 401 (code 412 in the body)', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 41, method: 'CheckTransaction', params: {} });
    for (const authorization of [
      undefined,
      basic(LOGIN, 'wrong'),
      basic('paynet', PASSWORD),
      basic(LOGIN, `${PASSWORD} `),
      `Bearer ${PASSWORD}`,
    ]) {
      const res = await post(body, {
        'content-type': 'application/json',
        ...(authorization ? { authorization } : {}),
      });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(res.answer).toEqual({
        jsonrpc: '2.0',
        id: 41,
        error: { code: 412, message: PAYNET_ERRORS.WRONG_CREDENTIALS.message },
      });
    }
    // Also before the body is looked at: a broken body without credentials is 401, not −32700.
    expect((await post('{"id":', { 'content-type': 'application/json' })).status).toBe(401);
  });

  it('refuses everyone while PAYNET_LOGIN / PAYNET_PASSWORD are unset', async () => {
    const res = await post(
      JSON.stringify({ id: 1, method: 'CheckTransaction', params: {} }),
      {
        'content-type': 'application/json',
        authorization: basic(LOGIN, PASSWORD),
      },
      scn.app,
    );
    expect(res.status).toBe(401);
    expect(res.answer.error?.code).toBe(412);
    const onlyLogin = await scenarioApp({ withOther: false, env: { PAYNET_LOGIN: LOGIN } });
    try {
      const r = await post(
        JSON.stringify({ id: 1, method: 'CheckTransaction', params: {} }),
        {
          'content-type': 'application/json',
          authorization: basic(LOGIN, ''),
        },
        onlyLogin.app,
      );
      expect(r.status).toBe(401);
    } finally {
      await onlyLogin.close();
    }
  });

  it('answers a body that is not JSON with −32700, whatever its content type', async () => {
    const auth = { authorization: basic(LOGIN, PASSWORD) };
    for (const [payload, type] of [
      ['{"id": 1, "method": ', 'application/json'],
      ['', 'application/json'],
      ['method=CheckTransaction', 'application/x-www-form-urlencoded'],
      ['hello', 'text/plain'],
    ] as const) {
      const { status, answer } = await post(payload, { ...auth, 'content-type': type });
      expect(status).toBe(200);
      expect(answer).toMatchObject({ id: null, error: { code: -32700 } });
    }
  });

  it('answers a wrong envelope with −32600, an unknown method with −32601, a missing parameter with 411', async () => {
    const h = { 'content-type': 'application/json', authorization: basic(LOGIN, PASSWORD) };
    expect((await post('[1,2]', h)).answer).toMatchObject({ id: null, error: { code: -32600 } });
    expect((await post(JSON.stringify({ id: 5, params: {} }), h)).answer).toMatchObject({
      id: 5,
      error: { code: -32600, data: 'method' },
    });
    expect(await rpc('ChangePassword', { newPassword: 'x' })).toMatchObject({
      error: { code: -32601, data: 'ChangePassword' },
    });
    expect(await rpc('PerformTransaction', { serviceId: 77, amount: 100 })).toMatchObject({
      error: { code: 411, data: 'transactionId' },
    });
    expect(await rpc('GetInformation', { serviceId: 77 })).toMatchObject({
      error: { code: 411, data: 'fields' },
    });
    expect(await rpc('CheckTransaction', { transactionId: 1 })).toMatchObject({
      error: { code: 411, data: 'serviceId' },
    });
    expect(await rpc('CheckTransaction', { serviceId: 77, transactionId: 'x1' })).toMatchObject({
      error: { code: -32602, data: 'transactionId' },
    });
  });

  it('answers another HTTP method than POST with −32300', async () => {
    const res = await app.inject({
      method: 'GET',
      url: PAYNET_URL,
      headers: { authorization: basic(LOGIN, PASSWORD) },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ error: { code: -32300 } });
  });
});

describe(`Paynet provider web service: transactions (${TEST_ENGINE})`, () => {
  it('shows the payer, performs, checks and lists a payment; books it once on Paynet’s date in Tashkent', async () => {
    const info = ok(await information({ account: '00042' }));
    expect(info).toEqual({
      status: '0',
      timestamp: '2025-06-01 01:30:00',
      fields: {
        account: '00042',
        supplier: 'scenario',
        name: expect.any(String),
        balance: expect.any(Number),
      },
    });
    const before = (info.fields as { balance: number }).balance;
    expect(before).toBeLessThan(0); // scenario 01 owes money: a payer's balance below zero

    const t = nextTransactionId();
    at(clock.getTime() + 5_000);
    const done = ok(await perform(t, 15_000_000));
    expect(done).toEqual({
      providerTrnId: expect.any(Number),
      timestamp: '2025-06-01 01:30:05',
      fields: { account: '00042', balance: before + 15_000_000 },
    });
    expect(await balanceOf('00042')).toEqual(expect.objectContaining({ balance: before + 15_000_000 }));
    const [payment, ...more] = await paymentsOf(t);
    expect(more).toEqual([]);
    expect(payment).toMatchObject({
      amount: 15_000_000n,
      status: 'booked',
      paid_on: '2025-06-01',
      contract_id: scn.contractOf('00042'),
    });
    expect(await auditOf('payment.book', payment?.id ?? 0n)).toEqual([
      expect.objectContaining({ actor_type: 'provider', actor_id: 'paynet' }),
    ]);
    const row = await database.db
      .selectFrom('paynet_transaction')
      .selectAll()
      .where('transaction_id', '=', String(t))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      id: BigInt(done.providerTrnId as number),
      service_id: 77n,
      payment_id: payment?.id,
    });
    expect(row.fields).toEqual({ account: '00042' });

    expect(ok(await check(t))).toEqual({
      providerTrnId: done.providerTrnId,
      timestamp: '2025-06-01 01:30:05',
      transactionState: 1,
    });
    const statement = ok(
      await rpc('GetStatement', {
        serviceId: 77,
        dateFrom: '2025-06-01 01:30:05',
        dateTo: '2025-06-01 01:30:05',
      }),
    );
    expect(statement).toEqual({
      statements: [
        {
          amount: 15_000_000,
          providerTrnId: done.providerTrnId,
          transactionId: t,
          timestamp: '2025-06-01 01:30:05',
        },
      ],
    });
    expect(
      ok(
        await rpc('GetStatement', {
          serviceId: 77,
          dateFrom: '2025-06-01 01:30:06',
          dateTo: '2025-06-02 00:00:00',
        }),
      ).statements,
    ).toEqual([]);
  });

  it('dates the payment today in Tashkent when Paynet sends no transactionTime', async () => {
    at(Date.parse('2025-06-30T19:10:00Z')); // 00:10 on 1 July in Tashkent
    const t = nextTransactionId();
    ok(
      await rpc('PerformTransaction', {
        serviceId: 77,
        transactionId: String(t),
        amount: 50_000,
        fields: { account: '42' },
      }),
    );
    expect(await paymentsOf(t)).toEqual([
      expect.objectContaining({ paid_on: '2025-07-01', contract_id: scn.contractOf('42') }),
    ]);
  });

  it('answers a repeated perform with 201 and books once, whatever the repeat says', async () => {
    const t = nextTransactionId();
    const first = ok(await perform(t, 700_000));
    at(clock.getTime() + 60_000);
    expect(await perform(t, 700_000)).toMatchObject({ error: { code: 201, data: 'transactionId' } });
    expect(code(await perform(t, 800_000))).toBe(201);
    expect(code(await perform(t, 700_000, { account: '42' }))).toBe(201);
    const payments = await paymentsOf(t);
    expect(payments.map((p) => [p.amount, p.status])).toEqual([[700_000n, 'booked']]);
    expect(await auditOf('payment.book', payments[0]?.id ?? 0n)).toHaveLength(1);
    expect(ok(await check(t)).providerTrnId).toBe(first.providerTrnId);
  });

  it('cancels a performed transaction: the payment is reversed, audited, and off the statement', async () => {
    at(Date.parse('2025-06-30T20:00:00Z')); // 01:00 on 1 July in Tashkent
    const t = nextTransactionId();
    const balance = (await balanceOf('00042')).balance;
    const done = ok(await perform(t, 2_500_000));
    at(clock.getTime() + HOUR);
    const cancelled = ok(await cancel(t));
    expect(cancelled).toEqual({
      providerTrnId: done.providerTrnId,
      timestamp: '2025-07-01 02:00:00',
      transactionState: 2,
    });
    expect((await balanceOf('00042')).balance).toBe(balance);
    const [payment] = await paymentsOf(t);
    expect(payment).toMatchObject({ status: 'reversed', reversed_on: '2025-07-01' });
    expect(payment?.reversal_reason).toBe(`Paynet CancelTransaction, transactionId ${t}`);
    const allocated = await database.db
      .selectFrom('allocation')
      .select((eb) => eb.fn.sum<bigint>('amount').as('net'))
      .where('payment_id', '=', payment?.id ?? 0n)
      .executeTakeFirstOrThrow();
    expect(BigInt(allocated.net ?? 0)).toBe(0n);
    expect(await auditOf('payment.reverse', payment?.id ?? 0n)).toEqual([
      expect.objectContaining({ actor_type: 'provider', actor_id: 'paynet' }),
    ]);
    expect(await auditOf('paynet_transaction.cancel', String(done.providerTrnId))).toEqual([
      expect.objectContaining({
        actor_type: 'provider',
        actor_id: 'paynet',
        before: { transaction_id: String(t), state: 1 },
        after: expect.objectContaining({ state: 2, payment_id: String(payment?.id) }),
      }),
    ]);
    expect(ok(await check(t))).toEqual({
      providerTrnId: done.providerTrnId,
      timestamp: '2025-07-01 02:00:00',
      transactionState: 2,
    });
    const day = { serviceId: 77, dateFrom: '2025-07-01 00:00:00', dateTo: '2025-07-01 23:59:59' };
    const listed = (ok(await rpc('GetStatement', day)).statements as { transactionId: number }[]).map(
      (s) => s.transactionId,
    );
    expect(listed).not.toContain(t);

    // Repeats: a second cancel is 202, a perform of the cancelled id 201; nothing moves again.
    at(clock.getTime() + HOUR);
    expect(await cancel(t)).toMatchObject({ error: { code: 202, data: 'transactionId' } });
    expect(code(await perform(t, 2_500_000))).toBe(201);
    expect(await auditOf('payment.reverse', payment?.id ?? 0n)).toHaveLength(1);
    expect((await paymentsOf(t)).map((p) => p.status)).toEqual(['reversed']);
  });

  it('does not reverse twice a payment staff reversed already', async () => {
    const t = nextTransactionId();
    ok(await perform(t, 300_000));
    const [payment] = await paymentsOf(t);
    await database.db
      .updateTable('payment')
      .set({ status: 'reversed', reversed_on: '2025-07-01', reversal_reason: 'staff' })
      .where('id', '=', payment?.id ?? 0n)
      .execute();
    expect(ok(await cancel(t)).transactionState).toBe(2);
    expect(await paymentsOf(t)).toEqual([
      expect.objectContaining({ status: 'reversed', reversal_reason: 'staff' }),
    ]);
    expect(await auditOf('payment.reverse', payment?.id ?? 0n)).toEqual([]);
  });

  it('knows no transaction it has not performed: check is state 3, cancel 203', async () => {
    const t = nextTransactionId();
    expect(ok(await check(t))).toEqual({
      providerTrnId: 0,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      transactionState: 3,
    });
    expect(await cancel(t)).toMatchObject({ error: { code: 203, data: 'transactionId' } });
  });

  it('refuses a wrong amount (413) and an unknown client (302) and records nothing', async () => {
    for (const amount of [0, -100, 1.5, 100_000_000_001, '1000']) {
      const t = nextTransactionId();
      expect(
        await rpc('PerformTransaction', performParams(t, amount as number, { account: '00042' })),
      ).toMatchObject({
        error: { code: 413, data: 'amount' },
      });
      expect(ok(await check(t)).transactionState).toBe(3);
    }
    for (const fields of [
      { account: '0042' },
      { account: '000042' },
      { account: 42 },
      { account: '00042', supplier: 'nope' },
    ]) {
      const t = nextTransactionId();
      expect(await perform(t, 1_000, fields), JSON.stringify(fields)).toMatchObject({ error: { code: 302 } });
      expect(await information(fields)).toMatchObject({ error: { code: 302 } });
      expect(ok(await check(t)).transactionState).toBe(3);
      expect(await paymentsOf(t)).toEqual([]);
    }
  });

  it('answers a date-time that is not Paynet’s format with 414, and an empty range with no statements', async () => {
    expect(
      await rpc('GetStatement', {
        serviceId: 77,
        dateFrom: '2025-07-01T00:00:00Z',
        dateTo: '2025-07-02 00:00:00',
      }),
    ).toMatchObject({ error: { code: 414, data: 'dateFrom' } });
    const t = nextTransactionId();
    expect(
      await rpc('PerformTransaction', {
        ...performParams(t, 1_000, { account: '00042' }),
        transactionTime: '1.7.2025',
      }),
    ).toMatchObject({ error: { code: 414, data: 'transactionTime' } });
    expect(
      ok(
        await rpc('GetStatement', {
          serviceId: 77,
          dateFrom: '2025-07-02 00:00:00',
          dateTo: '2025-07-01 00:00:00',
        }),
      ),
    ).toEqual({ statements: [] });
  });

  it('books one payment when the same perform arrives ten times at once', async () => {
    const t = nextTransactionId();
    const answers = await Promise.all(Array.from({ length: 10 }, () => perform(t, 333_300)));
    const performed = answers.filter((a) => a.result);
    expect(performed).toHaveLength(1);
    for (const a of answers) expect(a.result ? 0 : code(a)).toBeOneOf([0, 201]);
    const payments = await paymentsOf(t);
    expect(payments).toHaveLength(1);
    expect(await auditOf('payment.book', payments[0]?.id ?? 0n)).toHaveLength(1);
    expect(ok(await check(t)).providerTrnId).toBe(performed[0]?.result?.providerTrnId);
  });

  it('reverses once when the same cancel arrives five times at once', async () => {
    const t = nextTransactionId();
    ok(await perform(t, 44_400));
    const answers = await Promise.all(Array.from({ length: 5 }, () => cancel(t)));
    expect(answers.filter((a) => a.result)).toHaveLength(1);
    expect(answers.filter((a) => code(a) === 202)).toHaveLength(4);
    const [payment] = await paymentsOf(t);
    expect(payment?.status).toBe('reversed');
    expect(await auditOf('payment.reverse', payment?.id ?? 0n)).toHaveLength(1);
  });

  it('asks for the supplier (302, data fields.supplier) when the number exists at two suppliers', async () => {
    const second = await createOrgFixture(database.db, 'second-grid');
    await createCabinetContract(database.db, {
      tenantId: second.tenantId,
      orgUnitId: second.units.n1.id,
      number: '42',
      inn: '309999998',
      name: 'Second 42 LLC',
    });
    expect(await information({ account: '42' })).toMatchObject({
      error: { code: 302, data: 'fields.supplier' },
    });
    const t = nextTransactionId();
    expect(await perform(t, 100_000, { account: '42' })).toMatchObject({
      error: { code: 302, data: 'fields.supplier' },
    });
    expect(ok(await information({ account: '42', supplier: 'second-grid' })).fields).toMatchObject({
      supplier: 'second-grid',
      name: 'Second 42 LLC',
      balance: 0,
    });
    ok(await perform(t, 100_000, { account: '42', supplier: 'second-grid' }));
    const [payment] = await paymentsOf(t);
    const contract = await database.db
      .selectFrom('contract')
      .select('tenant_id')
      .where('id', '=', payment?.contract_id ?? 0n)
      .executeTakeFirstOrThrow();
    expect(contract.tenant_id).toBe(second.tenantId);
  });
});
