import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestSession } from '../../../test/support/app.ts';
import { openTestDatabase, TEST_ENGINE } from '../../../test/support/db.ts';
import { SCENARIO_01 } from '../../../test/support/scenario-world.ts';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { isAppError } from '../../domain/errors.ts';
import { type Jobs, jobQueue } from '../../jobs/queue.ts';
import { registerWorkers } from '../../jobs/workers.ts';
import { buildApp } from '../../server.ts';
import { orderEvents, runEvent, type ScenarioEvent } from '../scenario/scenario.events.ts';
import { ZScenario } from '../scenario/scenario.schemas.ts';
import { type ScenarioWorld, setUpScenario } from '../scenario/scenario.setup.ts';
import { trustedRootsPem } from '../signature/local-ca.ts';
import { verifyDetached } from '../signature/signer.ts';
import type { Esf } from './einvoice.ts';

// Scenario 01 (billing-rules §11) closed January to April through the real services; the ledger it
// leaves, its turnover (JSON, XLSX, 1C) and the e-invoices of its bills, over HTTP.

let database: Database;
let world: ScenarioWorld;
let jobs: Jobs;
let app: FastifyInstance;
const s: Record<string, TestSession> = {};

beforeAll(async () => {
  database = await openTestDatabase();
  const db = database.db;
  const scenario = ZScenario.parse(JSON.parse(readFileSync(SCENARIO_01, 'utf8')));
  world = await setUpScenario(db, scenario);
  for (const { event } of orderEvents(scenario.events as ScenarioEvent[])) {
    try {
      await runEvent(db, world, event);
    } catch (e) {
      if (!isAppError(e)) throw e;
    }
  }
  const company = await db
    .selectFrom('org_unit')
    .select('id')
    .where('tenant_id', '=', world.tenantId)
    .where('kind', '=', 'company')
    .executeTakeFirstOrThrow();
  const other = await db
    .insertInto('org_unit')
    .values({
      tenant_id: world.tenantId,
      parent_id: company.id,
      kind: 'region',
      code: 'OTHER',
      name: 'Other region',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const users = [
    ['acc.hq', 'accountant', company.id],
    ['analyst.hq', 'analyst', company.id],
    ['acc.other', 'accountant', other.id],
    ['op.district', 'operator', world.districtId],
  ] as const;
  for (const [login, role, orgUnitId] of users)
    await createUser(db, { tenantId: world.tenantId, login, role, orgUnitId });
  jobs = jobQueue(db, null);
  await registerWorkers(jobs, { db, log: null, billRunWorkers: 1 });
  app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent' }),
    database,
    logger: false,
    jobs,
  });
  await app.ready();
  for (const [login] of users) s[login] = await signIn(app, login);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await jobs?.stop();
  await database?.close();
});

type Row = Record<string, string>;
const tiyinOf = (so: string) => BigInt(so.replace('.', ''));

describe(`ledger postings of scenario 01 (${TEST_ENGINE})`, () => {
  it('posts January’s bill as Dr 4010 / Cr 9010 net / Cr 6410 VAT to the tiyin', async () => {
    const rows = await sql<{ account_code: string; debit: bigint; credit: bigint }>`
      select e.account_code, e.debit, e.credit from ledger_entry e join bill b on b.id = e.source_id
       where e.source = 'bill' and b.period = '2025-01' order by e.account_code`.execute(database.db);
    expect(rows.rows.map((r) => [r.account_code, String(r.debit), String(r.credit)])).toEqual([
      ['4010', '900000000', '0'],
      ['6410', '0', '96428571'],
      ['9010', '0', '803571429'],
    ]);
  });

  it('books a payment to closed bills as Dr 5110 / Cr 4010 and the repeat of P2 not at all', async () => {
    const rows = await sql<{
      source: string;
      account_code: string;
      debit: bigint;
      credit: bigint;
      posted_on: string;
    }>`
      select source, account_code, debit, credit, posted_on::text from ledger_entry
       where source = 'payment' order by posted_on, account_code`.execute(database.db);
    expect(rows.rows.map((r) => `${r.posted_on} ${r.account_code} ${r.debit} ${r.credit}`)).toEqual([
      '2025-03-10 4010 0 400000000',
      '2025-03-10 5110 400000000 0',
      // P2 (30,000,000.00) settles all 24,813,135.66 owed; 5,186,864.34 is an advance.
      '2025-04-05 4010 0 2481313566',
      '2025-04-05 5110 3000000000 0',
      '2025-04-05 6310 0 518686434',
    ]);
  });
});

describe(`GET /api/accounting/turnover (${TEST_ENGINE})`, () => {
  it('answers a synthetic turnover whose totals are the analytic sums and the period’s bills and payments', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/accounting/turnover?period=2025-03',
      headers: s['acc.hq']?.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ synthetic: Row[]; analytic: Row[] }>();
    for (const syn of body.synthetic) {
      const mine = body.analytic.filter((a) => a.account === syn.account);
      for (const k of ['openingDebit', 'openingCredit', 'debit', 'credit', 'closingDebit', 'closingCredit'])
        expect(tiyinOf(syn[k] ?? ''), `${syn.account} ${k}`).toBe(
          mine.reduce((t, a) => t + tiyinOf(a[k] ?? ''), 0n),
        );
    }
    const acc = (code: string) => body.synthetic.find((r) => r.account === code);
    // March's bill: 10,813,135.66 charged; the 4,000,000.00 of 10 March paid.
    expect(acc('4010')).toMatchObject({
      openingDebit: '18000000.00',
      debit: '10813135.66',
      credit: '4000000.00',
    });
    expect(acc('4010')?.closingDebit).toBe('24813135.66');
    expect(acc('5110')).toMatchObject({ debit: '4000000.00', credit: '0.00' });
    expect(acc('9330')).toMatchObject({ credit: '191000.00' });
    const credits = ['9010', '9330', '6410'].reduce((t, c) => t + tiyinOf(acc(c)?.credit ?? '0.00'), 0n);
    expect(credits).toBe(tiyinOf('10813135.66'));
    // Debits equal credits over the whole turnover.
    const sum = (k: string) => body.synthetic.reduce((t, r) => t + tiyinOf(r[k] ?? ''), 0n);
    expect(sum('debit')).toBe(sum('credit'));
    expect(body.analytic.find((a) => a.account === '4010')).toMatchObject({
      contract: '00042',
      inn: '301234567',
    });
  });

  it('exports the turnover as XLSX and the postings as the 1C CSV', async () => {
    const xlsx = await app.inject({
      method: 'GET',
      url: '/api/accounting/turnover?period=2025-03&format=xlsx',
      headers: s['analyst.hq']?.headers,
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const csv = await app.inject({
      method: 'GET',
      url: '/api/accounting/turnover?period=2025-03&format=1c',
      headers: s['acc.hq']?.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.rawPayload.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe(
      'Дата;СчетДт;СубконтоДт1;СубконтоДт2;СчетКт;СубконтоКт1;СубконтоКт2;Сумма;ИНН;Содержание',
    );
    expect(lines).toContain('10.03.2025;5110;;;4010;Example LLC;00042;4000000.00;301234567;Payment bank');
    expect(
      lines.filter((l) => l.startsWith('31.03.2025;4010;Example LLC;00042;9330;;;191000.00')),
    ).toHaveLength(1);
  });

  it('refuses a unit outside the caller’s scope (403) and roles without report.read', async () => {
    const out = await app.inject({
      method: 'GET',
      url: `/api/accounting/turnover?period=2025-03&org_unit_id=${world.districtId}`,
      headers: s['acc.other']?.headers,
    });
    expect(out.statusCode).toBe(403);
    const op = await app.inject({
      method: 'GET',
      url: '/api/accounting/turnover?period=2025-03',
      headers: s['op.district']?.headers,
    });
    expect(op.statusCode).toBe(403);
    const bad = await app.inject({
      method: 'GET',
      url: '/api/accounting/turnover?period=2025-13',
      headers: s['acc.hq']?.headers,
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe(`e-invoices (${TEST_ENGINE})`, () => {
  it('refuses an open period (409), another unit (403) and the analyst (403)', async () => {
    const open = await app.inject({
      method: 'POST',
      url: '/api/accounting/einvoice-runs',
      headers: s['acc.hq']?.headers,
      payload: { period: '2025-05' },
    });
    expect(open.statusCode).toBe(409);
    expect(open.json<{ error: { code: string } }>().error.code).toBe('PERIOD_NOT_CLOSED');
    const out = await app.inject({
      method: 'POST',
      url: '/api/accounting/einvoice-runs',
      headers: s['acc.other']?.headers,
      payload: { period: '2025-03', org_unit_id: String(world.districtId) },
    });
    expect(out.statusCode).toBe(403);
    const analyst = await app.inject({
      method: 'POST',
      url: '/api/accounting/einvoice-runs',
      headers: s['analyst.hq']?.headers,
      payload: { period: '2025-03' },
    });
    expect(analyst.statusCode).toBe(403);
    const runs = await database.db.selectFrom('einvoice_run').select('id').execute();
    expect(runs).toHaveLength(0);
  });

  it('generates the signed ESF of March through the job and answers it to the tiyin', async () => {
    const start = await app.inject({
      method: 'POST',
      url: '/api/accounting/einvoice-runs',
      headers: s['acc.hq']?.headers,
      payload: { period: '2025-03' },
    });
    expect(start.statusCode, start.body).toBe(202);
    const run = start.json<{ id: string; total: number }>();
    expect(run.total).toBe(1);
    let status = '';
    for (let i = 0; i < 150 && status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const r = await app.inject({
        method: 'GET',
        url: `/api/accounting/einvoice-runs/${run.id}`,
        headers: s['acc.hq']?.headers,
      });
      const view = r.json<{ status: string; done: number; error: string | null }>();
      expect(view.error).toBeNull();
      status = view.status;
    }
    expect(status).toBe('done');
    const list = await app.inject({
      method: 'GET',
      url: '/api/accounting/einvoices?period=2025-03',
      headers: s['analyst.hq']?.headers,
    });
    expect(list.statusCode).toBe(200);
    const items = list.json<{ items: { billId: string; number: string; total: string }[] }>().items;
    expect(items).toHaveLength(1);
    const billId = items[0]?.billId;
    const json = await app.inject({
      method: 'GET',
      url: `/api/accounting/einvoices/${billId}`,
      headers: s['acc.hq']?.headers,
    });
    expect(json.statusCode).toBe(200);
    const esf = JSON.parse(json.body) as Esf;
    expect(esf.FacturaDoc).toEqual({ FacturaNo: items[0]?.number, FacturaDate: '2025-03-31' });
    expect(esf.BuyerTin).toBe('301234567');
    expect(esf.FacturaId).toMatch(/^[0-9a-f]{24}$/);
    expect(esf.ProductList.HasVat).toBe(true);
    // Energy, overconsumption and recalculation; the penalty is no supply and carries no VAT.
    expect(
      esf.ProductList.Products.map((p) => [
        p.OrdNo,
        p.Count,
        p.Summa,
        p.DeliverySum,
        p.VatRate,
        p.VatSum,
        p.DeliverySumWithVat,
      ]),
    ).toEqual([
      [1, '10000.000', '803.57', '8035714.29', 12, '964285.71', '9000000.00'],
      [2, '1349.153', '924.11', '1246761.93', 12, '149611.43', '1396373.36'],
      [3, '250.847', '803.57', '201573.48', 12, '24188.82', '225762.30'],
    ]);
    expect(esf.ProductList.Products[0]?.CatalogCode).toMatch(/^[0-9]{17}$/);
    const p7s = await app.inject({
      method: 'GET',
      url: `/api/accounting/einvoices/${billId}?part=p7s`,
      headers: s['acc.hq']?.headers,
    });
    expect(p7s.headers['content-type']).toContain('application/pkcs7-signature');
    const check = await verifyDetached(json.rawPayload, p7s.rawPayload, await trustedRootsPem(database.db));
    expect(check.valid).toBe(true);
    const tampered = Buffer.from(json.body.replace('301234567', '301234568'));
    expect((await verifyDetached(tampered, p7s.rawPayload, await trustedRootsPem(database.db))).valid).toBe(
      false,
    );
    const missing = await app.inject({
      method: 'GET',
      url: '/api/accounting/einvoices/999999999',
      headers: s['acc.hq']?.headers,
    });
    expect(missing.statusCode).toBe(404);

    // The run stays listed after the page that started it is gone, with who started it.
    const runs = await app.inject({
      method: 'GET',
      url: '/api/accounting/einvoice-runs?period=2025-03',
      headers: s['analyst.hq']?.headers,
    });
    expect(runs.statusCode).toBe(200);
    expect(runs.json<{ items: unknown[] }>().items).toMatchObject([
      { id: run.id, period: '2025-03', status: 'done', done: 1, total: 1, createdBy: expect.any(String) },
    ]);

    // All of the period in one ZIP: the same JSON bytes and signature as one by one.
    const zip = await app.inject({
      method: 'GET',
      url: '/api/accounting/einvoices/archive?period=2025-03',
      headers: s['acc.hq']?.headers,
    });
    expect(zip.statusCode, zip.body).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.headers['content-disposition']).toContain('esf-2025-03.zip');
    const files = unzipSync(new Uint8Array(zip.rawPayload));
    const names = Object.keys(files).sort();
    expect(names).toHaveLength(2);
    const [jsonName, p7sName] = names;
    expect(p7sName).toBe(`${jsonName}.p7s`);
    expect(Buffer.from(files[jsonName ?? ''] ?? [])).toEqual(json.rawPayload);
    expect(Buffer.from(files[p7sName ?? ''] ?? [])).toEqual(p7s.rawPayload);
    const none = await app.inject({
      method: 'GET',
      url: '/api/accounting/einvoices/archive?period=2025-04',
      headers: s['acc.hq']?.headers,
    });
    expect(none.statusCode).toBe(404);
    expect(none.json<{ error: { code: string } }>().error.code).toBe('EINVOICE_NONE');
  }, 60_000);
});
