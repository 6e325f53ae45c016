import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CabinetClient, cabinetClient } from '../../../test/support/cabinet.ts';
import { type ScenarioApp, scenarioApp } from '../../../test/support/scenario-world.ts';
import type { Database } from '../../db/database.ts';
import type { ScenarioWorld } from '../scenario/scenario.setup.ts';

// Issue 5: "A consumer can never see or change another consumer's data (tested for every
// endpoint)". Two consumers of one supplier: A (00042, spec scenario 01, with bills, payments, a
// photo of a reading and an application) and B ("42", a copy without payments). Every cabinet
// route in the OpenAPI document must appear in the table below, so a new route cannot slip by.

let database: Database;
let world: ScenarioWorld;
let app: FastifyInstance;
let scn: ScenarioApp;
let a: CabinetClient;
let b: CabinetClient;
const ids = { application: '', attachment: '', register: '', payment: '', intent: '', employeeList: '' };
/** One row of an employee list (R6 function 7). */
const EMPLOYEE = { fullName: 'Karimov Aziz', position: 'Muhandis', pinfl: '31234567890123' };

/** Markers of A's data that must never reach B. */
const A_MARKERS = ['"00042"', 'Example LLC', '"M1"', '301234567', 'PAYMENT-A'];

beforeAll(async () => {
  scn = await scenarioApp({
    env: { PAYME_KEY: 'k', PAYME_MERCHANT_ID: 'm', PAYME_CHECKOUT_URL: 'https://checkout.test' },
  });
  ({ database, world, app } = scn);
  const db = database.db;
  const contractA = world.accounts.get('00042')?.contractId ?? 0n;
  await db.updateTable('payment').set({ external_id: 'PAYMENT-A' }).where('external_id', '=', 'P1').execute();
  const register = await db
    .selectFrom('register as g')
    .innerJoin('meter as m', 'm.id', 'g.meter_id')
    .select('g.id')
    .where('m.serial', '=', 'M1')
    .executeTakeFirstOrThrow();
  ids.register = String(register.id);
  const png = Buffer.from('89504e470d0a1a0a', 'hex');
  const attachment = await db
    .insertInto('reading_attachment')
    .values({
      tenant_id: world.tenantId,
      contract_id: contractA,
      file_name: 'meter.png',
      media_type: 'image/png',
      size: png.length,
      sha256: createHash('sha256').update(png).digest('hex'),
      content: png,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids.attachment = String(attachment.id);
  a = await cabinetClient(app, '00042', '301234567');
  b = await cabinetClient(app, '42', '309999999');
  const filed = await a.post('/api/cabinet/applications', { type: 'appeal', text: 'Example LLC appeal' });
  ids.application = filed.json().id;
  const list = await a.post('/api/cabinet/employee-lists', { rows: [EMPLOYEE] });
  ids.employeeList = list.json().id;
  ids.intent = (await a.post('/api/cabinet/pay', { provider: 'payme', amount: '5000' })).json().intent.id;
  const paymentA = await db
    .selectFrom('payment')
    .select('id')
    .where('external_id', '=', 'PAYMENT-A')
    .executeTakeFirstOrThrow();
  ids.payment = String(paymentA.id);
});

afterAll(async () => {
  await scn?.close();
});

type Check =
  /** B gets an answer of its own: none of A's markers, and not A's bytes. */
  | { expect: 'own'; url: string; post?: object }
  /** B asking for A's thing gets 404, exactly like a thing that does not exist. */
  | { expect: 'not-found'; url: string; post?: object; multipart?: true }
  /** B's request naming A's thing is refused with this code, and nothing is stored. */
  | { expect: 'refused'; url: string; post: object; code: string }
  /** The route carries no account data (sign-in, sign-out, settings of the session itself). */
  | { expect: 'no-data'; why: string };

/** Every cabinet route (method and OpenAPI path) and how B's request for A's data must end. */
const CHECKS: Record<string, Check> = {
  'POST /api/cabinet/login': { expect: 'no-data', why: 'sign-in answers for the credentials given' },
  'GET /api/cabinet/me': { expect: 'own', url: '/api/cabinet/me' },
  'POST /api/cabinet/password': { expect: 'no-data', why: 'changes the signed-in consumer’s own password' },
  'POST /api/cabinet/logout': { expect: 'no-data', why: 'ends the signed-in session' },
  'GET /api/cabinet/suppliers': { expect: 'no-data', why: 'public list of the installation’s suppliers' },
  'POST /api/cabinet/recovery': { expect: 'no-data', why: 'public; always 202, whatever the contract' },
  'GET /api/cabinet/account': { expect: 'own', url: '/api/cabinet/account' },
  'GET /api/cabinet/contract': { expect: 'own', url: '/api/cabinet/contract' },
  'GET /api/cabinet/summary': { expect: 'own', url: '/api/cabinet/summary' },
  'GET /api/cabinet/settlements': { expect: 'own', url: '/api/cabinet/settlements' },
  'GET /api/cabinet/payments': { expect: 'own', url: '/api/cabinet/payments' },
  'GET /api/cabinet/payments/{id}/receipt': {
    expect: 'not-found',
    url: '/api/cabinet/payments/:payment/receipt',
  },
  'GET /api/cabinet/pay/providers': { expect: 'no-data', why: 'the installation’s providers and limits' },
  'POST /api/cabinet/pay': {
    expect: 'own',
    url: '/api/cabinet/pay',
    post: { provider: 'payme', amount: '5000' },
  },
  'GET /api/cabinet/pay/{id}': { expect: 'not-found', url: '/api/cabinet/pay/:intent' },
  'GET /api/cabinet/consumption': { expect: 'own', url: '/api/cabinet/consumption' },
  'GET /api/cabinet/documents': { expect: 'own', url: '/api/cabinet/documents' },
  'GET /api/cabinet/invoices/{period}': { expect: 'own', url: '/api/cabinet/invoices/2025-03?format=pdf' },
  'GET /api/cabinet/invoices/{period}/signature': {
    expect: 'own',
    url: '/api/cabinet/invoices/2025-03/signature',
  },
  'GET /api/cabinet/acts': { expect: 'own', url: '/api/cabinet/acts?from=2025-01&to=2025-04' },
  'GET /api/cabinet/acts/signature': {
    expect: 'own',
    url: '/api/cabinet/acts/signature?from=2025-01&to=2025-04',
  },
  'GET /api/cabinet/readings': { expect: 'own', url: '/api/cabinet/readings' },
  'POST /api/cabinet/readings': { expect: 'not-found', url: '/api/cabinet/readings', multipart: true },
  'GET /api/cabinet/readings/attachments/{id}': {
    expect: 'not-found',
    url: '/api/cabinet/readings/attachments/:attachment',
  },
  'GET /api/cabinet/applications': { expect: 'own', url: '/api/cabinet/applications' },
  'POST /api/cabinet/applications': {
    expect: 'refused',
    url: '/api/cabinet/applications',
    post: {
      type: 'meter_inspection',
      text: 'x',
      desiredDate: ':visit',
      desiredTime: '09:00-12:00',
      meterSerial: 'M1',
    },
    code: 'APPLICATION_METER',
  },
  'GET /api/cabinet/applications/{id}': {
    expect: 'not-found',
    url: '/api/cabinet/applications/:application',
  },
  'POST /api/cabinet/applications/{id}/cancel': {
    expect: 'not-found',
    url: '/api/cabinet/applications/:application/cancel',
    post: {},
  },
  'GET /api/cabinet/applications/{id}/pdf': {
    expect: 'not-found',
    url: '/api/cabinet/applications/:application/pdf',
  },
  'GET /api/cabinet/notifications': { expect: 'own', url: '/api/cabinet/notifications' },
  'GET /api/cabinet/employee-lists': { expect: 'own', url: '/api/cabinet/employee-lists' },
  'POST /api/cabinet/employee-lists': {
    expect: 'own',
    url: '/api/cabinet/employee-lists',
    post: { rows: [EMPLOYEE] },
  },
  'GET /api/cabinet/employee-lists/{id}': {
    expect: 'not-found',
    url: '/api/cabinet/employee-lists/:employeeList',
  },
  'GET /api/cabinet/employee-lists/{id}/pdf': {
    expect: 'not-found',
    url: '/api/cabinet/employee-lists/:employeeList/pdf',
  },
  'GET /api/cabinet/employee-lists/{id}/signature': {
    expect: 'not-found',
    url: '/api/cabinet/employee-lists/:employeeList/signature',
  },
  'POST /api/cabinet/employee-lists/{id}/signature': {
    expect: 'not-found',
    url: '/api/cabinet/employee-lists/:employeeList/signature',
    post: { signature: 'MAA=' },
  },
  'POST /api/cabinet/notifications/seen': {
    expect: 'no-data',
    why: 'marks the signed-in consumer’s notices read',
  },
};

/** The first working day after today in Tashkent. */
function nextWorkingDay(): string {
  const day = new Date(Date.now() + 5 * 3_600_000 + 86_400_000);
  if (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

const fill = (url: string) =>
  url
    .replace(':application', ids.application)
    .replace(':attachment', ids.attachment)
    .replace(':payment', ids.payment)
    .replace(':intent', ids.intent)
    .replace(':employeeList', ids.employeeList);

async function send(
  client: CabinetClient,
  c: Extract<Check, { url: string }>,
): Promise<LightMyRequestResponse> {
  const url = fill(c.url);
  if ('multipart' in c && c.multipart) {
    const form = new FormData();
    form.append('readings', JSON.stringify([{ registerId: ids.register, value: '999999,00' }]));
    const request = new Request('http://x/', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());
    return client.post(url, body, {
      'content-type': request.headers.get('content-type') ?? '',
    });
  }
  if (!c.post) return client.get(url);
  return client.post(url, JSON.parse(JSON.stringify(c.post).replace('":visit"', `"${nextWorkingDay()}"`)));
}

describe('one consumer never sees or changes another’s data (every cabinet route)', () => {
  it('lists every cabinet route of the API in the table', () => {
    const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/cabinet/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.sort()).toEqual(Object.keys(CHECKS).sort());
  });

  it.each(Object.entries(CHECKS).filter(([, c]) => c.expect !== 'no-data'))('%s', async (_, check) => {
    if (check.expect === 'no-data') return;
    // Readings are taken until the 25th: later in the month, ask on the 10th (the session allows it).
    const tashkent = new Date(Date.now() + 5 * 3_600_000);
    if ('multipart' in check && tashkent.getUTCDate() > 25) {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(Date.UTC(tashkent.getUTCFullYear(), tashkent.getUTCMonth(), 10, 7)));
    }
    const asB = await send(b, check).finally(() => vi.useRealTimers());
    if (check.expect === 'not-found') {
      expect(asB.statusCode, asB.body).toBe(404);
    } else if (check.expect === 'refused') {
      expect(asB.json().error.code, asB.body).toBe(check.code);
    } else {
      expect([200, 201], asB.body).toContain(asB.statusCode);
      const asA = await send(a, check);
      expect([200, 201], asA.body).toContain(asA.statusCode);
      if ((asB.headers['content-type'] ?? '').toString().startsWith('application/json')) {
        for (const marker of A_MARKERS) expect(asB.body, marker).not.toContain(marker);
      } else {
        expect(asB.rawPayload.equals(asA.rawPayload)).toBe(false);
      }
    }
  });

  it('left A’s data as it was', async () => {
    const application = await a.get(`/api/cabinet/applications/${ids.application}`);
    expect(application.json()).toMatchObject({ status: 'submitted', events: [{}] });
    const readings = await a.get('/api/cabinet/readings');
    expect(readings.body).not.toContain('999999');
    const list = await a.get(`/api/cabinet/employee-lists/${ids.employeeList}`);
    expect(list.json()).toMatchObject({ status: 'draft', signer: null, rowCount: 1 });
  });
});
