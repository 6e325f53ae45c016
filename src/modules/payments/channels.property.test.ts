import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE } from '../../../test/support/db.ts';
import { type ScenarioApp, scenarioApp } from '../../../test/support/scenario-world.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';

// Issue 7 point 4: every channel books through one payment service, idempotent by (channel,
// external id). Random sequences of provider calls — Payme, Click and Paynet, each on a few
// transactions, with repeats, cancels, calls out of order and batches fired at once — go through
// HTTP exactly as the providers send them; after each sequence the database must show that no
// transaction was booked twice or lost, and that the allocations add up.

const PAYME_KEY = 'channels-property-payme-key';
const CLICK_SERVICE_ID = '20002';
const CLICK_SECRET = 'channels-property-click-secret';
const PAYNET = { login: 'paynet-prop', password: 'channels-property-paynet' };
const ACCOUNTS = ['00042', '42'] as const;
/** Transactions per channel and run. */
const TXS = 3;

type PaymeOp = 'create' | 'perform' | 'cancel' | 'check';
type Call =
  | { p: 'payme'; op: PaymeOp; tx: number }
  | { p: 'click'; op: 'prepare' | 'complete'; tx: number; failed: boolean }
  | { p: 'paynet'; op: 'perform' | 'cancel' | 'check'; tx: number };

/** One provider transaction of a run: its id, amount in tiyin and account. */
type Tx = { id: string; amount: bigint; account: string };
type Run = { payme: Tx[]; click: Tx[]; paynet: Tx[] };
/** A booked payment of one of the channels. */
type Payment = { id: bigint; channel: string; external_id: string; amount: bigint; status: string };

let scn: ScenarioApp;
let rpcId = 0;
let clickId = 8_000_000;
let paynetId = 5_000_000_000;

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

beforeAll(async () => {
  scn = await scenarioApp({
    env: {
      PAYME_KEY,
      CLICK_SERVICE_ID,
      CLICK_SECRET_KEY: CLICK_SECRET,
      PAYNET_LOGIN: PAYNET.login,
      PAYNET_PASSWORD: PAYNET.password,
    },
  });
});

afterAll(async () => {
  await scn?.close();
});

type Json = Record<string, unknown>;

async function jsonRpc(url: string, authorization: string, method: string, params: Json): Promise<Json> {
  const res = await scn.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', authorization },
    payload: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }),
  });
  expect(res.statusCode).toBe(200);
  return res.json<Json>();
}

const errorCode = (a: Json) => (a.error as { code?: number } | undefined)?.code;

/** What one run remembers between calls: Payme's creation times, Click's prepare ids. */
type Memory = { paymeTime: Map<number, number>; prepareId: Map<number, string> };

/** Sends one call as its provider would; returns a label of what it did, for coverage. */
async function send(run: Run, memory: Memory, c: Call): Promise<string> {
  switch (c.p) {
    case 'payme': {
      const tx = run.payme[c.tx] as Tx;
      const auth = basic('Paycom', PAYME_KEY);
      const url = '/api/payments/payme';
      let a: Json;
      switch (c.op) {
        case 'create': {
          const time = memory.paymeTime.get(c.tx) ?? Date.now();
          memory.paymeTime.set(c.tx, time);
          a = await jsonRpc(url, auth, 'CreateTransaction', {
            id: tx.id,
            time,
            amount: Number(tx.amount),
            account: { account: tx.account },
          });
          break;
        }
        case 'perform':
          a = await jsonRpc(url, auth, 'PerformTransaction', { id: tx.id });
          break;
        case 'cancel':
          a = await jsonRpc(url, auth, 'CancelTransaction', { id: tx.id, reason: 5 });
          break;
        case 'check':
          a = await jsonRpc(url, auth, 'CheckTransaction', { id: tx.id });
          break;
      }
      expect(errorCode(a), `Payme ${c.op}: ${JSON.stringify(a)}`).not.toBe(-32400);
      const state = (a.result as { state?: number } | undefined)?.state;
      return `payme.${c.op}.${state ?? errorCode(a)}`;
    }
    case 'click': {
      const tx = run.click[c.tx] as Tx;
      const complete = c.op === 'complete';
      const prepareId = complete ? (memory.prepareId.get(c.tx) ?? '999999999999') : '';
      const f = {
        click_trans_id: tx.id,
        service_id: CLICK_SERVICE_ID,
        click_paydoc_id: String(Number(tx.id) + 1),
        merchant_trans_id: tx.account,
        amount: formatMoney(tiyin(tx.amount)),
        action: complete ? '1' : '0',
        error: c.failed ? '-5017' : '0',
        error_note: c.failed ? 'Insufficient funds' : 'Success',
        sign_time: '2025-05-10 12:00:00',
      };
      const signed = `${f.click_trans_id}${f.service_id}${CLICK_SECRET}${f.merchant_trans_id}${prepareId}${f.amount}${f.action}${f.sign_time}`;
      const form = {
        ...f,
        ...(complete ? { merchant_prepare_id: prepareId } : {}),
        sign_string: createHash('md5').update(signed, 'utf8').digest('hex'),
      };
      const res = await scn.app.inject({
        method: 'POST',
        url: `/api/payments/click/${c.op}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      });
      expect(res.statusCode).toBe(200);
      const a = res.json<{ error: number; merchant_prepare_id?: number | null }>();
      expect(a.error, `Click ${c.op}: ${JSON.stringify(a)}`).not.toBe(-7);
      if (!complete && a.merchant_prepare_id) memory.prepareId.set(c.tx, String(a.merchant_prepare_id));
      return `click.${c.op}${c.failed ? '.failed' : ''}.${a.error}`;
    }
    case 'paynet': {
      const tx = run.paynet[c.tx] as Tx;
      const auth = basic(PAYNET.login, PAYNET.password);
      const url = '/api/payments/paynet';
      const base = { serviceId: 1, transactionId: Number(tx.id) };
      let a: Json;
      switch (c.op) {
        case 'perform':
          a = await jsonRpc(url, auth, 'PerformTransaction', {
            ...base,
            amount: Number(tx.amount),
            fields: { account: tx.account },
          });
          break;
        case 'cancel':
          a = await jsonRpc(url, auth, 'CancelTransaction', base);
          break;
        case 'check':
          a = await jsonRpc(url, auth, 'CheckTransaction', base);
          break;
      }
      expect(errorCode(a), `Paynet ${c.op}: ${JSON.stringify(a)}`).not.toBe(-32603);
      const state = (a.result as { transactionState?: number } | undefined)?.transactionState;
      return `paynet.${c.op}.${a.result ? (state ?? 0) : errorCode(a)}`;
    }
  }
}

const sum = (xs: readonly { amount: bigint }[]) => xs.reduce((s, x) => s + BigInt(x.amount), 0n);

type ProviderTx = {
  externalId: string;
  amount: bigint;
  paid: boolean;
  reversed: boolean;
  paymentId: bigint | null;
};

/** Every provider transaction in the database, per channel, in the terms the ledger cares about. */
async function providerTransactions(): Promise<Record<'payme' | 'click' | 'paynet', ProviderTx[]>> {
  const db = scn.database.db;
  const [payme, click, paynet] = await Promise.all([
    db.selectFrom('payme_transaction').select(['payme_id', 'amount', 'state', 'payment_id']).execute(),
    db.selectFrom('click_transaction').select(['click_trans_id', 'amount', 'status', 'payment_id']).execute(),
    db.selectFrom('paynet_transaction').select(['transaction_id', 'amount', 'state', 'payment_id']).execute(),
  ]);
  return {
    // Payme: state 2 performed; −2 cancelled after perform (reversed).
    payme: payme.map((t) => ({
      externalId: t.payme_id,
      amount: t.amount,
      paid: t.state === 2,
      reversed: t.state === -2,
      paymentId: t.payment_id,
    })),
    // Click: completed; a completed attempt is never undone.
    click: click.map((t) => ({
      externalId: String(t.click_trans_id),
      amount: t.amount,
      paid: t.status === 'completed',
      reversed: false,
      paymentId: t.payment_id,
    })),
    // Paynet: 1 performed, 2 cancelled (reversed).
    paynet: paynet.map((t) => ({
      externalId: t.transaction_id,
      amount: t.amount,
      paid: t.state === 1,
      reversed: t.state === 2,
      paymentId: t.payment_id,
    })),
  };
}

/**
 * The ledger invariants after a run: no payment of these channels anywhere without its provider
 * transaction; for the run's own transactions (so that a failure shrinks to the run that caused
 * it), at most one payment each, booked exactly when paid and reversed exactly when cancelled
 * after, the booked sum equal to the paid sum; allocations within each payment's amount and
 * netting to zero once it is reversed.
 */
async function assertLedger(run: Run): Promise<void> {
  const db = scn.database.db;
  const payments = await db
    .selectFrom('payment')
    .select(['id', 'channel', 'external_id', 'amount', 'status'])
    .where('channel', 'in', ['payme', 'click', 'paynet'])
    .execute();
  const all = await providerTransactions();
  const ours: Payment[] = [];
  for (const channel of ['payme', 'click', 'paynet'] as const) {
    const ofChannel = payments.filter((p) => p.channel === channel);
    const byExternal = new Map(all[channel].map((t) => [t.externalId, t]));
    for (const p of ofChannel) {
      const t = byExternal.get(p.external_id);
      expect(t, `${channel} payment ${p.external_id} has no provider transaction`).toBeDefined();
      expect(t?.paymentId, `${channel} ${p.external_id}`).toBe(p.id);
      expect(p.amount, `${channel} ${p.external_id}`).toBe(t?.amount);
    }
    const ids = new Set(run[channel].map((t) => t.id));
    const txs = all[channel].filter((t) => ids.has(t.externalId));
    const booked = ofChannel.filter((p) => ids.has(p.external_id));
    ours.push(...booked);
    for (const t of txs) {
      const mine = booked.filter((p) => p.external_id === t.externalId);
      expect(mine.length, `${channel} ${t.externalId}`).toBeLessThanOrEqual(1);
      const status = mine[0]?.status ?? 'none';
      expect(status, `${channel} ${t.externalId}`).toBe(t.paid ? 'booked' : t.reversed ? 'reversed' : 'none');
    }
    expect(sum(booked.filter((p) => p.status === 'booked')), channel).toBe(sum(txs.filter((t) => t.paid)));
  }
  if (ours.length === 0) return;
  const allocations = await db
    .selectFrom('allocation')
    .select(['payment_id', sql<string>`sum(amount)::text`.as('net')])
    .where(
      'payment_id',
      'in',
      ours.map((p) => p.id),
    )
    .groupBy('payment_id')
    .execute();
  for (const p of ours) {
    const net = BigInt(allocations.find((x) => x.payment_id === p.id)?.net ?? '0');
    expect(net, `allocations of payment ${p.id}`).toBeGreaterThanOrEqual(0n);
    expect(net, `allocations of payment ${p.id}`).toBeLessThanOrEqual(p.amount);
    if (p.status === 'reversed') expect(net, `reversed payment ${p.id}`).toBe(0n);
  }
}

const tx = fc.nat(TXS - 1);
const callArb: fc.Arbitrary<Call> = fc.oneof(
  fc.record({
    p: fc.constant('payme' as const),
    op: fc.constantFrom<PaymeOp>('create', 'perform', 'cancel', 'check'),
    tx,
  }),
  fc.record({
    p: fc.constant('click' as const),
    op: fc.constantFrom('prepare' as const, 'complete' as const),
    tx,
    // A failed debit: Click sends error < 0.
    failed: fc.boolean(),
  }),
  fc.record({
    p: fc.constant('paynet' as const),
    op: fc.constantFrom('perform' as const, 'cancel' as const, 'check' as const),
    tx,
  }),
);

/** Cuts the calls into steps: a step of one call runs alone, a longer one all at once. */
function stepsOf(calls: readonly Call[], sizes: readonly number[]): Call[][] {
  const steps: Call[][] = [];
  let i = 0;
  for (const size of sizes) {
    if (i >= calls.length) break;
    steps.push(calls.slice(i, i + size));
    i += size;
  }
  if (i < calls.length) steps.push(...calls.slice(i).map((c) => [c]));
  return steps;
}

// One run that surely walks every path, before the random ones: Payme performed and cancelled,
// Click completed and failed, Paynet performed, repeated and cancelled, duplicates at once.
const EVERY_PATH: Call[] = [
  { p: 'payme', op: 'perform', tx: 0 },
  { p: 'payme', op: 'create', tx: 0 },
  { p: 'payme', op: 'perform', tx: 0 },
  { p: 'payme', op: 'perform', tx: 0 },
  { p: 'payme', op: 'cancel', tx: 0 },
  { p: 'click', op: 'complete', tx: 0, failed: false },
  { p: 'click', op: 'prepare', tx: 0, failed: false },
  { p: 'click', op: 'complete', tx: 0, failed: false },
  { p: 'click', op: 'complete', tx: 0, failed: false },
  { p: 'click', op: 'prepare', tx: 1, failed: false },
  { p: 'click', op: 'complete', tx: 1, failed: true },
  { p: 'paynet', op: 'cancel', tx: 0 },
  { p: 'paynet', op: 'perform', tx: 0 },
  { p: 'paynet', op: 'perform', tx: 0 },
  { p: 'paynet', op: 'perform', tx: 1 },
  { p: 'paynet', op: 'cancel', tx: 1 },
  { p: 'paynet', op: 'check', tx: 1 },
  { p: 'payme', op: 'create', tx: 1 },
  { p: 'payme', op: 'perform', tx: 1 },
  { p: 'paynet', op: 'perform', tx: 2 },
  { p: 'paynet', op: 'perform', tx: 2 },
  { p: 'click', op: 'prepare', tx: 2, failed: false },
  { p: 'click', op: 'prepare', tx: 2, failed: false },
];
const EVERY_PATH_SIZES = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2];

describe(`Every channel books through one payment service (${TEST_ENGINE})`, () => {
  it('never double-books or loses a payment, whatever the providers send, in any order, at once', async () => {
    const walked = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(callArb, { minLength: 4, maxLength: 25 }),
        fc.array(fc.constantFrom(1, 1, 1, 2, 3, 4), { minLength: 25, maxLength: 25 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5_000_000 }), fc.constantFrom(...ACCOUNTS)), {
          minLength: 3 * TXS,
          maxLength: 3 * TXS,
        }),
        async (calls, sizes, txs) => {
          const make = (i: number, id: () => string): Tx => {
            const [amount, account] = txs[i] ?? [1, '00042'];
            return { id: id(), amount: BigInt(amount), account };
          };
          const run: Run = {
            payme: Array.from({ length: TXS }, (_, i) => make(i, () => randomBytes(12).toString('hex'))),
            click: Array.from({ length: TXS }, (_, i) => make(TXS + i, () => String(++clickId))),
            paynet: Array.from({ length: TXS }, (_, i) => make(2 * TXS + i, () => String(++paynetId))),
          };
          const memory: Memory = { paymeTime: new Map(), prepareId: new Map() };
          const answers: string[] = [];
          for (const step of stepsOf(calls, sizes)) {
            if (step.length > 1) walked.add('concurrent');
            answers.push(...(await Promise.all(step.map((c) => send(run, memory, c)))));
          }
          for (const a of answers) walked.add(a);
          await assertLedger(run);
        },
      ),
      {
        numRuns: 40,
        examples: [
          [
            EVERY_PATH,
            [...EVERY_PATH_SIZES, ...Array.from({ length: 25 - EVERY_PATH_SIZES.length }, () => 1)],
            Array.from({ length: 3 * TXS }, (_, i): [number, string] => [100_000 * (i + 1), '00042']),
          ],
        ],
      },
    );
    for (const path of [
      'concurrent',
      'payme.perform.2',
      'payme.cancel.-2',
      'click.complete.0',
      'click.complete.-4',
      'click.complete.failed.-9',
      'paynet.perform.0',
      'paynet.perform.201',
      'paynet.cancel.2',
      'paynet.cancel.203',
    ])
      expect(walked, path).toContain(path);
  }, 120_000);
});
