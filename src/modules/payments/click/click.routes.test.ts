import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixture } from '../../../../test/support/app.ts';
import { TEST_ENGINE } from '../../../../test/support/db.ts';
import { type ScenarioApp, scenarioApp } from '../../../../test/support/scenario-world.ts';
import { loadConfig } from '../../../config.ts';
import type { Database } from '../../../db/database.ts';
import { todayInTashkent } from '../../../domain/period.ts';
import { buildApp } from '../../../server.ts';

// Click's servers as they call us (docs.click.uz, SHOP API): form-encoded Prepare and Complete,
// signed with md5 over the fields and the secret key, on spec scenario 01 (contract "00042").

const SERVICE_ID = '10001';
const SECRET = 'hisob-demo-click-secret';
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

let scn: ScenarioApp;
let database: Database;
let app: FastifyInstance;

beforeAll(async () => {
  scn = await scenarioApp();
  database = scn.database;
  app = await buildApp({
    config: loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: '/nonexistent',
      CLICK_SERVICE_ID: SERVICE_ID,
      CLICK_SECRET_KEY: SECRET,
    }),
    database,
    logger: false,
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await scn?.close();
});

type Answer = {
  click_trans_id: number | null;
  merchant_trans_id: string | null;
  merchant_prepare_id?: number | null;
  merchant_confirm_id?: number | null;
  error: number;
  error_note: string;
};

let lastTransId = 7_000_100;
const nextTransId = () => String(++lastTransId);

type Call = {
  clickTransId: string;
  account?: string;
  amount?: string;
  action?: string;
  error?: string;
  errorNote?: string;
  signTime?: string;
  serviceId?: string;
  secret?: string;
  prepareId?: string;
};

/** The form Click sends, signed as Click signs it (merchant_prepare_id only in a Complete). */
function clickForm(c: Call, kind: 'prepare' | 'complete'): Record<string, string> {
  const f = {
    click_trans_id: c.clickTransId,
    service_id: c.serviceId ?? SERVICE_ID,
    click_paydoc_id: String(Number(c.clickTransId) + 1_000_000),
    merchant_trans_id: c.account ?? '00042',
    amount: c.amount ?? '150000.50',
    action: c.action ?? (kind === 'prepare' ? '0' : '1'),
    error: c.error ?? '0',
    error_note: c.errorNote ?? 'Success',
    sign_time: c.signTime ?? '2025-05-10 12:00:00',
  };
  const prepareId = kind === 'complete' ? (c.prepareId ?? '') : '';
  const source = `${f.click_trans_id}${f.service_id}${c.secret ?? SECRET}${f.merchant_trans_id}${prepareId}${f.amount}${f.action}${f.sign_time}`;
  return {
    ...f,
    ...(kind === 'complete' ? { merchant_prepare_id: prepareId } : {}),
    sign_string: md5(source),
  };
}

async function post(url: string, form: Record<string, string>, on: FastifyInstance = app): Promise<Answer> {
  const res = await on.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.json<Answer>();
}

const prepare = (c: Call, on?: FastifyInstance) =>
  post('/api/payments/click/prepare', clickForm(c, 'prepare'), on);
const complete = (c: Call) => post('/api/payments/click/complete', clickForm(c, 'complete'));

const paymentsOf = (clickTransId: string) =>
  database.db
    .selectFrom('payment')
    .select(['id', 'amount', 'channel', 'paid_on', 'status', 'contract_id'])
    .where('channel', '=', 'click')
    .where('external_id', '=', clickTransId)
    .execute();

const attemptOf = (clickTransId: string) =>
  database.db
    .selectFrom('click_transaction')
    .selectAll()
    .where('click_trans_id', '=', BigInt(clickTransId))
    .executeTakeFirst();

describe(`Click SHOP API (${TEST_ENGINE})`, () => {
  it('prepares and completes a payment: booked once to 00042, in tiyin, today, audited as Click', async () => {
    const clickTransId = nextTransId();
    const p = await prepare({ clickTransId });
    expect(p).toMatchObject({
      click_trans_id: Number(clickTransId),
      merchant_trans_id: '00042',
      error: 0,
      error_note: 'Success',
    });
    expect(p.merchant_prepare_id).toEqual(expect.any(Number));
    const prepared = await attemptOf(clickTransId);
    expect(prepared).toMatchObject({
      status: 'prepared',
      amount: 15000050n,
      account: '00042',
      payment_id: null,
    });
    expect(prepared?.contract_id).toBe(scn.contractOf('00042'));
    expect(await paymentsOf(clickTransId)).toEqual([]);

    const c = await complete({ clickTransId, prepareId: String(p.merchant_prepare_id) });
    expect(c).toMatchObject({ click_trans_id: Number(clickTransId), merchant_trans_id: '00042', error: 0 });
    const payments = await paymentsOf(clickTransId);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      amount: 15000050n,
      status: 'booked',
      paid_on: todayInTashkent(),
      contract_id: scn.contractOf('00042'),
    });
    expect(c.merchant_confirm_id).toBe(Number(payments[0]?.id));
    expect(await attemptOf(clickTransId)).toMatchObject({ status: 'completed', payment_id: payments[0]?.id });
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id'])
      .where('action', '=', 'payment.book')
      .where('entity_id', '=', String(payments[0]?.id))
      .execute();
    expect(audit).toEqual([{ actor_type: 'provider', actor_id: 'click' }]);
  });

  it('answers repeats from the recorded attempt: the same prepare id, then "already paid" (−4)', async () => {
    const clickTransId = nextTransId();
    const first = await prepare({ clickTransId, amount: '1000' });
    const again = await prepare({ clickTransId, amount: '1000', signTime: '2025-05-10 12:00:09' });
    expect(again).toMatchObject({ error: 0, merchant_prepare_id: first.merchant_prepare_id });
    const prepareId = String(first.merchant_prepare_id);
    const done = await complete({ clickTransId, amount: '1000', prepareId });
    expect(done.error).toBe(0);
    const repeated = await complete({ clickTransId, amount: '1000', prepareId });
    expect(repeated).toMatchObject({
      error: -4,
      error_note: 'Already paid',
      merchant_confirm_id: done.merchant_confirm_id,
    });
    expect(await prepare({ clickTransId, amount: '1000' })).toMatchObject({ error: -4 });
    // A late cancellation of a completed payment does not unbook it.
    expect(
      await complete({ clickTransId, amount: '1000', prepareId, error: '-5017', errorNote: 'x' }),
    ).toMatchObject({
      error: -4,
    });
    const payments = await paymentsOf(clickTransId);
    expect(payments.map((p) => [p.amount, p.status])).toEqual([[100000n, 'booked']]);
  });

  it('cancels the attempt when Click reports a failed debit (−9), and stays cancelled', async () => {
    const clickTransId = nextTransId();
    const p = await prepare({ clickTransId });
    const prepareId = String(p.merchant_prepare_id);
    const cancelled = await complete({
      clickTransId,
      prepareId,
      error: '-5017',
      errorNote: 'Insufficient funds',
    });
    expect(cancelled).toMatchObject({
      error: -9,
      error_note: 'Transaction cancelled',
      merchant_confirm_id: null,
    });
    expect(await attemptOf(clickTransId)).toMatchObject({
      status: 'cancelled',
      error: '-5017 Insufficient funds',
    });
    expect(await complete({ clickTransId, prepareId, error: '-5017' })).toMatchObject({ error: -9 });
    expect(await complete({ clickTransId, prepareId })).toMatchObject({ error: -9 });
    expect(await prepare({ clickTransId })).toMatchObject({ error: -9 });
    expect(await paymentsOf(clickTransId)).toEqual([]);
    // A Prepare that already reports a failure records nothing.
    const failed = nextTransId();
    expect(await prepare({ clickTransId: failed, error: '-5017' })).toMatchObject({ error: -9 });
    expect(await attemptOf(failed)).toBeUndefined();
  });

  it('refuses a wrong signature (−1) and records nothing', async () => {
    const clickTransId = nextTransId();
    expect(await prepare({ clickTransId, secret: 'not-the-secret' })).toMatchObject({
      click_trans_id: Number(clickTransId),
      error: -1,
      error_note: 'SIGN CHECK FAILED!',
      merchant_prepare_id: null,
    });
    const tampered = { ...clickForm({ clickTransId }, 'prepare'), amount: '1.00' };
    expect(await post('/api/payments/click/prepare', tampered)).toMatchObject({ error: -1 });
    expect(await attemptOf(clickTransId)).toBeUndefined();
    const p = await prepare({ clickTransId });
    expect(
      await complete({ clickTransId, prepareId: String(p.merchant_prepare_id), secret: 'x' }),
    ).toMatchObject({
      error: -1,
    });
    expect(await paymentsOf(clickTransId)).toEqual([]);
  });

  it('answers −1 to everything while CLICK_SERVICE_ID / CLICK_SECRET_KEY are not configured', async () => {
    const clickTransId = nextTransId();
    expect(await prepare({ clickTransId }, scn.app)).toMatchObject({ error: -1 });
    expect(await attemptOf(clickTransId)).toBeUndefined();
  });

  it('answers "user does not exist" (−5) for an unknown account; leading zeros are part of it', async () => {
    for (const account of ['99999', '042', '0042 ', '00042x']) {
      expect(await prepare({ clickTransId: nextTransId(), account }), account).toMatchObject({
        merchant_trans_id: account,
        error: -5,
        error_note: 'User does not exist',
      });
    }
    // "42" is another consumer's contract, not 00042's.
    const other = nextTransId();
    expect(await prepare({ clickTransId: other, account: '42' })).toMatchObject({ error: 0 });
    expect((await attemptOf(other))?.contract_id).toBe(scn.contractOf('42'));
  });

  it('answers −5 for a number that exists at two suppliers of this installation', async () => {
    await createOrgFixture(database.db, 'ambig-a');
    await createOrgFixture(database.db, 'ambig-b');
    expect(await prepare({ clickTransId: nextTransId(), account: 'AMBI-n1' })).toMatchObject({ error: -5 });
  });

  it('answers "incorrect parameter amount" (−2) for an amount that is not a positive sum of tiyin', async () => {
    for (const amount of ['0', '0.00', '-5', '10.001', 'abc', '1e3']) {
      expect(await prepare({ clickTransId: nextTransId(), amount }), amount).toMatchObject({ error: -2 });
    }
    const clickTransId = nextTransId();
    const p = await prepare({ clickTransId, amount: '5000' });
    const prepareId = String(p.merchant_prepare_id);
    expect(await prepare({ clickTransId, amount: '5001' })).toMatchObject({ error: -2 });
    expect(await complete({ clickTransId, amount: '300', prepareId })).toMatchObject({ error: -2 });
    expect(await paymentsOf(clickTransId)).toEqual([]);
    // The same sum written another way is the same amount.
    expect(await complete({ clickTransId, amount: '5000.00', prepareId })).toMatchObject({ error: 0 });
    expect((await paymentsOf(clickTransId)).map((x) => x.amount)).toEqual([500000n]);
  });

  it('answers "action not found" (−3) for an action the endpoint does not perform', async () => {
    expect(await prepare({ clickTransId: nextTransId(), action: '2' })).toMatchObject({ error: -3 });
    expect(await prepare({ clickTransId: nextTransId(), action: '1' })).toMatchObject({ error: -3 });
    const clickTransId = nextTransId();
    const p = await prepare({ clickTransId });
    expect(
      await complete({ clickTransId, prepareId: String(p.merchant_prepare_id), action: '0' }),
    ).toMatchObject({
      error: -3,
      error_note: 'Action not found',
    });
  });

  it('answers "error in request from click" (−8) to a request with fields missing or for another service', async () => {
    const { sign_time: _t, ...missing } = clickForm({ clickTransId: nextTransId() }, 'prepare');
    expect(await post('/api/payments/click/prepare', missing)).toMatchObject({ error: -8 });
    const { merchant_prepare_id: _p, ...noPrepareId } = clickForm(
      { clickTransId: nextTransId() },
      'complete',
    );
    expect(await post('/api/payments/click/complete', noPrepareId)).toMatchObject({ error: -8 });
    expect(await prepare({ clickTransId: nextTransId(), serviceId: '20002' })).toMatchObject({
      error: -8,
      error_note: 'Error in request from click',
    });
    const res = await app.inject({
      method: 'POST',
      url: '/api/payments/click/prepare',
      headers: { 'content-type': 'application/json' },
      payload: '{"click_trans_id": 1}',
    });
    expect(res.json()).toMatchObject({ error: -8 });
  });

  it('answers "transaction does not exist" (−6) for a prepare id we never gave for this attempt', async () => {
    const clickTransId = nextTransId();
    expect(await complete({ clickTransId, prepareId: '999999999' })).toMatchObject({
      error: -6,
      error_note: 'Transaction does not exist',
    });
    expect(await complete({ clickTransId, prepareId: 'abc' })).toMatchObject({ error: -6 });
    const p = await prepare({ clickTransId });
    const prepareId = String(p.merchant_prepare_id);
    expect(await complete({ clickTransId: nextTransId(), prepareId })).toMatchObject({ error: -6 });
    expect(await complete({ clickTransId, prepareId, account: '42' })).toMatchObject({ error: -6 });
    expect(await paymentsOf(clickTransId)).toEqual([]);
  });

  it('books one payment when Click sends the same Complete ten times at once', async () => {
    const clickTransId = nextTransId();
    const prepares = await Promise.all(
      Array.from({ length: 5 }, () => prepare({ clickTransId, amount: '777.77' })),
    );
    const ids = new Set(prepares.map((p) => [p.error, p.merchant_prepare_id].join()));
    expect(ids.size).toBe(1);
    const prepareId = String(prepares[0]?.merchant_prepare_id);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => complete({ clickTransId, amount: '777.77', prepareId })),
    );
    expect(answers.map((a) => a.error).sort()).toEqual([-4, -4, -4, -4, -4, -4, -4, -4, -4, 0]);
    expect(new Set(answers.map((a) => a.merchant_confirm_id)).size).toBe(1);
    expect((await paymentsOf(clickTransId)).map((p) => p.amount)).toEqual([77777n]);
    const audit = await database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'payment.book')
      .where('entity_id', '=', String(answers[0]?.merchant_confirm_id))
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('needs neither a session nor a CSRF token and reads "+" in the form as a space', async () => {
    const clickTransId = nextTransId();
    const form = clickForm({ clickTransId, signTime: '2025-05-10 23:59:59' }, 'prepare');
    const payload = new URLSearchParams(form).toString();
    expect(payload).toContain('sign_time=2025-05-10+23%3A59%3A59');
    const res = await app.inject({
      method: 'POST',
      url: '/api/payments/click/prepare',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      payload,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ error: 0 });
    expect(await attemptOf(clickTransId)).toMatchObject({ sign_time: '2025-05-10 23:59:59' });
  });
});
