import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CabinetClient, cabinetClient } from '../../../test/support/cabinet.ts';
import { type ScenarioApp, scenarioApp } from '../../../test/support/scenario-world.ts';
import type { Database } from '../../db/database.ts';
import {
  cabinetConsumption,
  cabinetPayments,
  cabinetSettlements,
  cabinetSummary,
} from './cabinet-billing.service.ts';

// Spec scenario 01 (billing-rules §11) as the consumer 00042 sees it in May 2025, and a second
// consumer "42" of the same supplier (no bills) who must see none of it.
const MAY = new Date('2025-05-10T07:00:00Z');

let database: Database;
let app: FastifyInstance;
let scn: ScenarioApp;

const contractOf = (account: string): bigint => scn.contractOf(account);

type Session = CabinetClient;

/** Signs a consumer in with the INN and sets a new password. */
const consumer = (number: string, inn: string): Promise<Session> => cabinetClient(app, number, inn);

const get = (s: Session | null, url: string, headers: Record<string, string> = {}) =>
  s ? s.get(url, headers) : app.inject({ method: 'GET', url, headers });

beforeAll(async () => {
  scn = await scenarioApp();
  ({ database, app } = scn);
});

afterAll(async () => {
  await scn?.close();
});

describe('the cabinet’s figures (R6 functions 3–6)', () => {
  it('settles 12 months: the act’s charges, payments and closing balance of scenario 01', async () => {
    const s = await cabinetSettlements(database.db, contractOf('00042'), MAY);
    expect(s).toMatchObject({ from: '2024-06', to: '2025-05', opening: '0.00', closing: '3869135.66' });
    expect(s.dataAsOf).toBe(MAY.toISOString());
    expect(s.months).toHaveLength(12);
    const byPeriod = Object.fromEntries(s.months.map((m) => [m.period, m]));
    expect(byPeriod['2025-01']).toMatchObject({ charges: '9000000.00', payments: '0.00', closed: true });
    expect(byPeriod['2025-03']).toMatchObject({
      opening: '18000000.00',
      charges: '10813135.66',
      payments: '4000000.00',
      closing: '24813135.66',
    });
    // The repeated P2 is booked once.
    expect(byPeriod['2025-04']).toMatchObject({ payments: '30000000.00', closing: '3869135.66' });
    expect(byPeriod['2025-05']).toMatchObject({ charges: '0.00', closed: false });
    expect(s.totals).toEqual({ charges: '37869135.66', payments: '34000000.00' });
    for (const m of s.months) {
      const cents = (v: string) => BigInt(v.replace('.', ''));
      expect(cents(m.closing)).toBe(cents(m.opening) + cents(m.charges) - cents(m.payments));
    }
  });

  it('states the current bill, the debt, the last payment and the last billed consumption', async () => {
    const s = await cabinetSummary(database.db, contractOf('00042'), MAY);
    expect(s).toMatchObject({
      balance: '3869135.66',
      unit: 'kWh',
      currentBill: {
        period: '2025-04',
        total: '9056000.00',
        status: 'issued',
        dueOn: '2025-05-31',
        consumption: '10000.000',
      },
      lastPayment: { paidOn: '2025-04-05', amount: '30000000.00', channel: 'bank' },
    });
    expect(s.currentBill?.number).toMatch(/^202504-\d{6}$/);
  });

  it('lists payments newest first, each once', async () => {
    const p = await cabinetPayments(database.db, contractOf('00042'), MAY);
    expect(p.payments.map((x) => [x.paidOn, x.amount, x.status])).toEqual([
      ['2025-04-05', '30000000.00', 'booked'],
      ['2025-03-10', '4000000.00', 'booked'],
    ]);
  });

  it('gives consumption per meter and month from the readings, times the multiplier', async () => {
    const c = await cabinetConsumption(database.db, contractOf('00042'), MAY);
    expect(c.unit).toBe('kWh');
    expect(c.meters).toHaveLength(1);
    const months = c.meters[0]?.registers[0]?.months ?? [];
    expect(months).toHaveLength(12);
    const used = Object.fromEntries(months.map((m) => [m.period, m.consumption]));
    // (1250.00 − 1000.00) × 40 in January; (1790.00 − 1250.00) × 40 in March; no reading in February.
    expect(used).toMatchObject({ '2025-01': '10000.000', '2025-02': null, '2025-03': '21600.000' });
  });
});

describe('the cabinet’s billing API', () => {
  const ROUTES = [
    '/api/cabinet/summary',
    '/api/cabinet/settlements',
    '/api/cabinet/payments',
    '/api/cabinet/consumption',
    '/api/cabinet/documents',
    '/api/cabinet/invoices/2025-03',
    '/api/cabinet/acts?from=2025-01&to=2025-04',
  ];

  it('answers nothing without a cabinet session, and not to staff', async () => {
    for (const url of ROUTES) {
      const res = await get(null, url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json(), url).toMatchObject({ error: { code: 'AUTH_REQUIRED' } });
    }
  });

  it('gives the consumer their own documents, as JSON and as PDF', async () => {
    const s = await consumer('00042', '301234567');
    const invoice = await get(s, '/api/cabinet/invoices/2025-03');
    expect(invoice.statusCode).toBe(200);
    expect(invoice.json()).toMatchObject({ account: '00042', totals: { amount: '10813135.66' } });
    const pdf = await get(s, '/api/cabinet/invoices/2025-03?format=pdf&lang=uz-Cyrl');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const act = await get(s, '/api/cabinet/acts?from=2025-01&to=2025-04');
    expect(act.json()).toMatchObject({ account: '00042', closing_balance: '3869135.66' });
    const open = await get(s, '/api/cabinet/invoices/2025-05', { 'accept-language': 'ru' });
    expect(open.statusCode).toBe(409);
    expect(open.json()).toMatchObject({ error: { code: 'PERIOD_NOT_CLOSED' } });
    expect(open.json().error.message).toMatch(/[а-я]/);
    for (const url of ROUTES) expect((await get(s, url)).statusCode, url).toBe(200);
  });

  it('shows another consumer of the same supplier none of 00042’s money or documents', async () => {
    const other = await consumer('42', '309999999');
    // "42" is billed by the contract volume every month, with penalties, and has paid nothing.
    const summary = (await get(other, '/api/cabinet/summary')).json();
    expect(summary).toMatchObject({ lastPayment: null, currentBill: { period: '2025-04' } });
    expect(summary.currentBill.total).not.toBe('9056000.00');
    expect(summary.currentBill.number).not.toBe(
      (await cabinetSummary(database.db, contractOf('00042'))).currentBill?.number,
    );
    expect((await get(other, '/api/cabinet/payments')).json().payments).toEqual([]);
    const act = (await get(other, '/api/cabinet/acts?from=2025-01&to=2025-04')).json();
    expect(act).toMatchObject({
      account: '42',
      totals: { payments: '0.00' },
    });
    const invoice = (await get(other, '/api/cabinet/invoices/2025-03')).json();
    expect(invoice).toMatchObject({ account: '42', consumer: { name: 'Other LLC' } });
    const consumption = (await get(other, '/api/cabinet/consumption')).json();
    expect(consumption.meters.map((m: { serial: string }) => m.serial)).toEqual(['X9']);
  });
});
