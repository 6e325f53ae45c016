import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CabinetClient, cabinetClient } from '../../../test/support/cabinet.ts';
import { OTHER, type ScenarioApp, scenarioApp } from '../../../test/support/scenario-world.ts';
import { parsePaymeCheckout } from '../payments/checkout.ts';

// Issue 5 point 4: "Pay" records an intent and hands over to the provider's checkout; the
// provider's server-to-server calls book the payment; the balance moves and a receipt prints.
// Payme's side is played here by HTTP calls to our Merchant API, as Payme's servers make them.

const PAYME_KEY = 'test-payme-key';
const ENV = {
  PAYME_KEY,
  PAYME_MERCHANT_ID: 'merchant-1',
  PAYME_CHECKOUT_URL: 'https://checkout.test',
};

let scn: ScenarioApp;
let app: FastifyInstance;
let a: CabinetClient;
let b: CabinetClient;

const payme = async (method: string, params: Record<string, unknown>) => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/payments/payme',
    headers: { authorization: `Basic ${Buffer.from(`Paycom:${PAYME_KEY}`).toString('base64')}` },
    payload: { jsonrpc: '2.0', id: 1, method, params },
  });
  return res.json() as { result?: Record<string, unknown>; error?: { code: number } };
};

/** The text of a PDF, as pdftotext reads it. */
const pdfText = (pdf: Buffer): string => {
  const dir = mkdtempSync(join(tmpdir(), 'receipt-'));
  writeFileSync(join(dir, 'r.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
};

beforeAll(async () => {
  scn = await scenarioApp({ env: ENV });
  app = scn.app;
  a = await cabinetClient(app, '00042', '301234567');
  b = await cabinetClient(app, OTHER.account, OTHER.inn);
});

afterAll(async () => {
  await scn?.close();
});

describe('online payment from the cabinet', () => {
  it('names the providers and the limits', async () => {
    const res = await a.get('/api/cabinet/pay/providers');
    expect(res.json()).toEqual({ providers: ['payme'], min: '1000.00', max: '1000000000.00' });
  });

  it('refuses a bad amount or one outside the limits, and records nothing', async () => {
    const bad = await a.post('/api/cabinet/pay', { provider: 'payme', amount: '12.345' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'INVALID_MONEY' } });
    const small = await a.post(
      '/api/cabinet/pay',
      { provider: 'payme', amount: '999.99' },
      { 'accept-language': 'ru' },
    );
    expect(small.statusCode).toBe(400);
    expect(small.json()).toMatchObject({ error: { code: 'PAYMENT_AMOUNT_OUT_OF_RANGE' } });
    expect(small.json().error.message).toContain('1000.00');
    const count = await scn.database.db
      .selectFrom('payment_intent')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('hands over to the Payme checkout with the account, the supplier and the intent', async () => {
    const res = await a.post('/api/cabinet/pay', {
      provider: 'payme',
      amount: '150 000,50'.replace(' ', ''),
    });
    expect(res.statusCode).toBe(201);
    const { intent, checkoutUrl } = res.json() as { intent: { id: string }; checkoutUrl: string };
    expect(intent).toMatchObject({ amount: '150000.50', status: 'created', paymentId: null });
    expect(checkoutUrl.startsWith('https://checkout.test/')).toBe(true);
    const c = parsePaymeCheckout(checkoutUrl.slice('https://checkout.test/'.length));
    expect(c).toMatchObject({
      merchantId: 'merchant-1',
      amount: 15_000_050n,
      account: { account: '00042', intent: intent.id },
      lang: 'uz',
    });
    expect(c?.account.supplier).toMatch(/.+/);
    expect(c?.returnUrl).toMatch(new RegExp(`/cabinet/pay/${intent.id}$`));
    // The other consumer cannot read it.
    expect((await b.get(`/api/cabinet/pay/${intent.id}`)).statusCode).toBe(404);
  });

  it('follows the provider: paid intent, booked payment, lower debt, printable receipt', async () => {
    const before = (await a.get('/api/cabinet/summary')).json() as { balance: string };
    const res = await a.post('/api/cabinet/pay', { provider: 'payme', amount: '250000.00' });
    const { intent, checkoutUrl } = res.json() as { intent: { id: string }; checkoutUrl: string };
    const c = parsePaymeCheckout(checkoutUrl.split('/').at(-1) ?? '');
    if (!c) throw new Error('no checkout');
    const params = { amount: Number(c.amount), account: c.account };
    expect((await payme('CheckPerformTransaction', params)).result).toMatchObject({ allow: true });
    const id = 'a1b2c3d4e5f6a1b2c3d4e5f6';
    expect((await payme('CreateTransaction', { ...params, id, time: Date.now() })).result).toMatchObject({
      state: 1,
    });
    expect((await a.get(`/api/cabinet/pay/${intent.id}`)).json()).toMatchObject({ status: 'pending' });
    expect((await payme('PerformTransaction', { id })).result).toMatchObject({ state: 2 });

    const paid = (await a.get(`/api/cabinet/pay/${intent.id}`)).json() as {
      status: string;
      paymentId: string;
    };
    expect(paid.status).toBe('paid');
    const after = (await a.get('/api/cabinet/summary')).json() as { balance: string };
    const cents = (v: string) => BigInt(v.replace('.', ''));
    expect(cents(before.balance) - cents(after.balance)).toBe(25_000_000n);
    const payments = (await a.get('/api/cabinet/payments')).json() as {
      payments: { id: string; channel: string; amount: string }[];
    };
    expect(payments.payments[0]).toMatchObject({ id: paid.paymentId, channel: 'payme', amount: '250000.00' });

    const receipt = await a.get(`/api/cabinet/payments/${paid.paymentId}/receipt?lang=ru`);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    const text = pdfText(receipt.rawPayload);
    expect(text).toContain(`КВИТАНЦИЯ ОБ ОПЛАТЕ № ${paid.paymentId}`);
    expect(text).toContain('250 000,00');
    expect(text).toContain(id);
    expect(text).toContain('00042');

    // Another consumer's receipt does not exist for B.
    const foreign = await b.get(`/api/cabinet/payments/${paid.paymentId}/receipt`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ error: { code: 'PAYMENT_NOT_FOUND' } });
  });

  it('prints a receipt for a payment from any channel, marked when reversed', async () => {
    const payments = (await a.get('/api/cabinet/payments')).json() as {
      payments: { id: string; channel: string }[];
    };
    const bank = payments.payments.find((p) => p.channel === 'bank');
    if (!bank) throw new Error('scenario 01 has a bank payment');
    const text = pdfText((await a.get(`/api/cabinet/payments/${bank.id}/receipt?lang=en`)).rawPayload);
    expect(text).toContain('PAYMENT RECEIPT');
    expect(text).toContain('Booked');
  });

  it('does not offer a provider the installation has not set up', async () => {
    const bare = await scenarioApp();
    try {
      const c = await cabinetClient(bare.app, '00042', '301234567');
      expect((await c.get('/api/cabinet/pay/providers')).json()).toMatchObject({ providers: [] });
      const res = await c.post('/api/cabinet/pay', { provider: 'payme', amount: '5000.00' });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'PAYMENT_PROVIDER_UNAVAILABLE' } });
    } finally {
      await bare.close();
    }
  });
});
