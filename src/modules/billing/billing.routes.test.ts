import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgFixture,
  createUser,
  type OrgFixture,
  signIn,
  type TestSession,
} from '../../../test/support/app.ts';
import { openTestDatabase } from '../../../test/support/db.ts';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { type Jobs, jobQueue } from '../../jobs/queue.ts';
import { registerWorkers } from '../../jobs/workers.ts';
import { buildApp } from '../../server.ts';

let database: Database;
let db: Kysely<DB>;
let app: FastifyInstance;
let jobs: Jobs;
let org: OrgFixture;
const s: Record<string, TestSession> = {};

/** Gives the fixture's contracts in n1 and s1 a tariff, a volume and a meter; n2's has no terms. */
async function billable(): Promise<void> {
  const tariff = await db
    .insertInto('tariff')
    .values({ tenant_id: org.tenantId, code: 'T', name: 'Flat', commodity: 'electricity', unit: 'kWh' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('tariff_version')
    .values({ tariff_id: tariff.id, valid_from: '2025-01-01', pricing: 'flat', price: 9_000_000n })
    .execute();
  const contracts = await db
    .selectFrom('contract')
    .select(['id', 'org_unit_id'])
    .where('tenant_id', '=', org.tenantId)
    .execute();
  for (const k of contracts) {
    if (k.org_unit_id === org.units.n2.id) continue;
    await db
      .insertInto('contract_version')
      .values({
        contract_id: k.id,
        valid_from: '2025-01-01',
        tariff_id: tariff.id,
        default_volume: 1_000_000n,
      })
      .execute();
    const point = await db
      .insertInto('metering_point')
      .values({ tenant_id: org.tenantId, contract_id: k.id, code: `MP${k.id}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    const meter = await db
      .insertInto('meter')
      .values({
        tenant_id: org.tenantId,
        metering_point_id: point.id,
        serial: `S${k.id}`,
        digits: 6,
        installed_on: '2024-12-31',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('register')
      .values({ meter_id: meter.id, obis: '1.8.0', install_reading: 0n })
      .execute();
  }
}

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  org = await createOrgFixture(db);
  await billable();
  const users = [
    ['op.n1', 'operator', org.units.n1.id],
    ['clerk.n1', 'clerk', org.units.n1.id],
    ['acc.hq', 'accountant', org.units.company.id],
    ['admin.hq', 'admin', org.units.company.id],
  ] as const;
  for (const [login, role, orgUnitId] of users)
    await createUser(db, { tenantId: org.tenantId, login, role, orgUnitId });
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
});

afterAll(async () => {
  await app.close();
  await jobs.stop();
  await database.close();
});

const session = (login: string): TestSession => {
  const found = s[login];
  if (!found) throw new Error(`no session ${login}`);
  return found;
};

async function waitForRun(login: string, id: string): Promise<Record<string, unknown>> {
  const until = Date.now() + 30_000;
  for (;;) {
    const res = await app.inject({
      method: 'GET',
      url: `/api/bill-runs/${id}`,
      headers: session(login).headers,
    });
    expect(res.statusCode).toBe(200);
    const run = res.json() as Record<string, unknown>;
    if (run.status === 'done' || run.status === 'failed') return run;
    if (Date.now() > until) throw new Error(`bill run ${id} did not finish: ${res.body}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const start = (login: string, payload: object) =>
  app.inject({ method: 'POST', url: '/api/bill-runs', headers: session(login).headers, payload });

describe('bill runs through the API', () => {
  it('runs a district operator’s run as a job, with progress and the district only', async () => {
    const res = await start('op.n1', { period: '2025-01' });
    expect(res.statusCode).toBe(202);
    const queued = res.json() as { id: string; status: string; org_unit_id: string };
    expect(queued.org_unit_id).toBe(String(org.units.n1.id));
    const run = await waitForRun('op.n1', queued.id);
    expect(run).toMatchObject({ status: 'done', total: 1, done: 1, billed: 1, errors: 0, percent: 100 });
    const lines = await db
      .selectFrom('bill_line as l')
      .innerJoin('bill as b', 'b.id', 'l.bill_id')
      .innerJoin('contract as k', 'k.id', 'b.contract_id')
      .select(['k.org_unit_id', 'l.kind', 'l.basis', 'l.quantity', 'l.amount'])
      .execute();
    // No reading: the contract volume of 1,000 kWh at 900.00, estimated.
    expect(lines).toEqual([
      {
        org_unit_id: org.units.n1.id,
        kind: 'energy',
        basis: 'estimated',
        quantity: 1_000_000n,
        amount: 90_000_000n,
      },
    ]);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'bill_run')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['bill_run.create', 'bill_run.finish']);
  });

  it('continues an unfinished run of the same scope, and lists what could not be billed by account', async () => {
    // A run of the whole supplier that a crash left behind.
    const stale = await db
      .insertInto('bill_run')
      .values({
        tenant_id: org.tenantId,
        org_unit_id: null,
        period: '2025-01',
        status: 'failed',
        error: 'power cut',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await start('admin.hq', { period: '2025-01' });
    expect(res.statusCode).toBe(202);
    const id = (res.json() as { id: string }).id;
    expect(id).toBe(String(stale.id));
    const run = await waitForRun('admin.hq', id);
    // n1 was billed by the first run; s1 is billed now, n2 has no contract terms.
    expect(run).toMatchObject({ status: 'done', total: 2, billed: 2, warnings: 1, errors: 0 });
    const issues = await app.inject({
      method: 'GET',
      url: `/api/bill-runs/${id}/issues`,
      headers: session('admin.hq').headers,
    });
    expect(issues.json()).toEqual({
      items: [
        {
          contractId: expect.any(String),
          account: 'TEST-n2',
          consumer: 'Consumer n2 test-grid',
          severity: 'warning',
          code: 'NO_CONTRACT_TERMS',
          message: expect.any(String),
        },
      ],
      total: 1,
    });
    const errorsOnly = await app.inject({
      method: 'GET',
      url: `/api/bill-runs/${id}/issues?severity=error`,
      headers: session('admin.hq').headers,
    });
    expect(errorsOnly.json()).toEqual({ items: [], total: 0 });
    // The whole list as a workbook, headers in the asked language.
    const xlsx = await app.inject({
      method: 'GET',
      url: `/api/bill-runs/${id}/issues?format=xlsx&lang=ru`,
      headers: session('admin.hq').headers,
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain(`bill-run-${id}-issues.xlsx`);
    const [sheet] = await readXlsxFile(xlsx.rawPayload);
    expect(sheet?.sheet).toBe('Замечания');
    expect(sheet?.data).toEqual([
      ['Договор', 'Потребитель', 'Уровень', 'Код', 'Описание'],
      ['TEST-n2', 'Consumer n2 test-grid', 'warning', 'NO_CONTRACT_TERMS', expect.any(String)],
    ]);
    const list = await app.inject({
      method: 'GET',
      url: '/api/bill-runs?period=2025-01',
      headers: session('admin.hq').headers,
    });
    expect((list.json() as { items: unknown[] }).items.length).toBe(2);
    // The district operator sees its own run only.
    const mine = await app.inject({
      method: 'GET',
      url: '/api/bill-runs',
      headers: session('op.n1').headers,
    });
    expect((mine.json() as { items: { org_unit_id: string }[] }).items.map((r) => r.org_unit_id)).toEqual([
      String(org.units.n1.id),
    ]);
    const other = await app.inject({
      method: 'GET',
      url: `/api/bill-runs/${id}`,
      headers: session('op.n1').headers,
    });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ error: { code: 'BILL_RUN_NOT_FOUND' } });
  });

  it('tells before a run how many accounts have readings, and which readings will not be billed', async () => {
    const n1 = await db
      .selectFrom('contract as k')
      .innerJoin('metering_point as p', 'p.contract_id', 'k.id')
      .innerJoin('meter as m', 'm.metering_point_id', 'p.id')
      .innerJoin('register as g', 'g.meter_id', 'm.id')
      .select(['g.id as register_id'])
      .where('k.org_unit_id', '=', org.units.n1.id)
      .executeTakeFirstOrThrow();
    // February: one accepted and one waiting reading on n1's meter, one held by VEE.
    await db
      .insertInto('reading')
      .values([
        {
          tenant_id: org.tenantId,
          register_id: n1.register_id,
          read_on: '2025-02-10',
          value: 500_000n,
          source: 'cabinet',
          status: 'accepted',
          confirmed_at: new Date(),
        },
        {
          tenant_id: org.tenantId,
          register_id: n1.register_id,
          read_on: '2025-02-20',
          value: 600_000n,
          source: 'operator',
          status: 'submitted',
        },
        {
          tenant_id: org.tenantId,
          register_id: n1.register_id,
          read_on: '2025-02-21',
          value: 9_600_000n,
          source: 'operator',
          status: 'suspect',
          vee_code: 'SPIKE',
        },
      ])
      .execute();
    const readiness = (login: string, query = '') =>
      app.inject({
        method: 'GET',
        url: `/api/periods/2025-02/readiness${query}`,
        headers: session(login).headers,
      });
    const district = await readiness('op.n1');
    expect(district.statusCode, district.body).toBe(200);
    expect(district.json()).toEqual({
      period: '2025-02',
      accounts: 1,
      billed: 0,
      withReading: 1,
      withoutReading: 0,
      awaitingConfirmation: 1,
      suspect: 1,
    });
    const company = await readiness('admin.hq');
    expect(company.json()).toMatchObject({
      accounts: 3,
      withReading: 1,
      withoutReading: 2,
      awaitingConfirmation: 1,
    });
    const south = await readiness('admin.hq', `?org_unit_id=${org.units.s1.id}`);
    expect(south.json()).toMatchObject({ accounts: 1, withReading: 0, awaitingConfirmation: 0, suspect: 0 });
    // Which accounts will be estimated: those of the company without an accepted February reading.
    const unread = await app.inject({
      method: 'GET',
      url: '/api/periods/2025-02/unread?sort=contract',
      headers: session('admin.hq').headers,
    });
    expect(unread.statusCode, unread.body).toBe(200);
    expect(unread.json()).toEqual({
      total: 2,
      items: [
        expect.objectContaining({ contract: 'TEST-n2', meters: 0, lastReadOn: null, pending: 0 }),
        expect.objectContaining({
          contract: 'TEST-s1',
          consumer: 'Consumer s1 test-grid',
          meters: 1,
          pending: 0,
        }),
      ],
    });
    const mineUnread = await app.inject({
      method: 'GET',
      url: '/api/periods/2025-02/unread',
      headers: session('op.n1').headers,
    });
    expect(mineUnread.json()).toEqual({ total: 0, items: [] });
    const unreadXlsx = await app.inject({
      method: 'GET',
      url: '/api/periods/2025-02/unread?format=xlsx&lang=en',
      headers: session('admin.hq').headers,
    });
    const [unreadSheet] = await readXlsxFile(unreadXlsx.rawPayload);
    expect(unreadSheet?.data[0]).toEqual([
      'Contract',
      'Consumer',
      'Org unit',
      'Meters',
      'Last reading',
      'Pending',
    ]);
    expect(unreadSheet?.data).toHaveLength(3);
    const elsewhere = await readiness('op.n1', `?org_unit_id=${org.units.s1.id}`);
    expect(elsewhere.statusCode).toBe(403);
    const badPeriod = await app.inject({
      method: 'GET',
      url: '/api/periods/2025-2/readiness',
      headers: session('op.n1').headers,
    });
    expect(badPeriod.statusCode).toBe(400);
    await db.deleteFrom('reading').where('register_id', '=', n1.register_id).execute();
  });

  it('refuses bad input, other districts, missing permissions and periods not ended', async () => {
    const bad = await start('op.n1', { period: '2025-13' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const elsewhere = await start('op.n1', { period: '2025-01', org_unit_id: String(org.units.s1.id) });
    expect(elsewhere.statusCode).toBe(403);
    const clerk = await start('clerk.n1', { period: '2025-01' });
    expect(clerk.statusCode).toBe(403);
    expect(clerk.json()).toMatchObject({ error: { code: 'AUTH_FORBIDDEN' } });
    const future = await app.inject({
      method: 'POST',
      url: '/api/bill-runs',
      headers: { ...session('admin.hq').headers, 'accept-language': 'ru' },
      payload: { period: '2099-01' },
    });
    expect(future.statusCode).toBe(409);
    expect(future.json()).toMatchObject({ error: { code: 'BILL_RUN_TOO_EARLY' } });
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/bill-runs',
      headers: { cookie: session('admin.hq').cookie },
      payload: { period: '2025-01' },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('closes the period for the accountant of the company only, and then refuses to bill it', async () => {
    const byOperator = await app.inject({
      method: 'POST',
      url: '/api/periods/2025-01/close',
      headers: session('op.n1').headers,
    });
    expect(byOperator.statusCode).toBe(403);
    const closed = await app.inject({
      method: 'POST',
      url: '/api/periods/2025-01/close',
      headers: session('acc.hq').headers,
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toEqual({ period: '2025-01', bills: 2 });
    // The period list: February is open now; January closed by the accountant, with its bills in scope.
    const periods = await app.inject({
      method: 'GET',
      url: '/api/periods',
      headers: session('op.n1').headers,
    });
    expect(periods.json()).toEqual({
      open: '2025-02',
      items: [
        { period: '2025-02', status: 'open', closedAt: null, closedBy: null, bills: 0, total: '0.00' },
        {
          period: '2025-01',
          status: 'closed',
          closedAt: expect.any(String),
          closedBy: expect.any(String),
          bills: 1,
          total: expect.stringMatching(/^[1-9][0-9]*\.[0-9]{2}$/),
        },
      ],
    });
    const all = await app.inject({
      method: 'GET',
      url: '/api/periods',
      headers: session('admin.hq').headers,
    });
    expect((all.json() as { items: { bills: number }[] }).items[1]?.bills).toBe(2);
    const again = await start('admin.hq', { period: '2025-01' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'PERIOD_ALREADY_CLOSED' } });
    const twice = await app.inject({
      method: 'POST',
      url: '/api/periods/2025-01/close',
      headers: session('acc.hq').headers,
    });
    expect(twice.statusCode).toBe(409);
  });

  it('corrects a closed period by a line in the open one; a negative correction is a credit', async () => {
    const n1 = await db
      .selectFrom('contract')
      .select('id')
      .where('org_unit_id', '=', org.units.n1.id)
      .executeTakeFirstOrThrow();
    const s1 = await db
      .selectFrom('contract')
      .select('id')
      .where('org_unit_id', '=', org.units.s1.id)
      .executeTakeFirstOrThrow();
    const correct = (login: string, contractId: bigint, payload: object) =>
      app.inject({
        method: 'POST',
        url: `/api/accounts/${contractId}/corrections`,
        headers: session(login).headers,
        payload,
      });
    const credit = await correct('op.n1', n1.id, {
      for_period: '2025-01',
      amount: '-100.00',
      reason: 'meter check',
    });
    expect(credit.statusCode, credit.body).toBe(201);
    expect(credit.json()).toEqual({ period: '2025-02', for_period: '2025-01', amount: '-100.00' });
    const line = await db
      .selectFrom('bill_line as l')
      .innerJoin('bill as b', 'b.id', 'l.bill_id')
      .select(['b.period', 'b.total', 'l.id', 'l.kind', 'l.for_period', 'l.amount', 'l.vat'])
      .where('b.contract_id', '=', n1.id)
      .where('l.kind', '=', 'correction')
      .executeTakeFirstOrThrow();
    expect(line).toMatchObject({
      period: '2025-02',
      total: -10_000n,
      for_period: '2025-01',
      amount: -10_000n,
      vat: -1_071n,
    });
    // The credit covers January's open energy at once.
    const covered = await db
      .selectFrom('allocation')
      .select(['amount', 'bill_line_id'])
      .where('credit_line_id', '=', line.id)
      .execute();
    expect(covered.map((a) => a.amount)).toEqual([10_000n]);
    const audit = await db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'bill.correction')
      .execute();
    expect(audit).toHaveLength(1);

    const open = await correct('op.n1', n1.id, {
      for_period: '2025-02',
      amount: '5.00',
      reason: 'too early',
    });
    expect(open.statusCode).toBe(409);
    expect(open.json()).toMatchObject({ error: { code: 'CORRECTION_PERIOD_OPEN' } });
    const elsewhere = await correct('op.n1', s1.id, {
      for_period: '2025-01',
      amount: '5.00',
      reason: 'not mine',
    });
    expect(elsewhere.statusCode).toBe(404);
    const bad = await correct('op.n1', n1.id, {
      for_period: '2025-01',
      amount: '5.001',
      reason: 'too exact',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'INVALID_MONEY' } });
    const clerk = await correct('clerk.n1', n1.id, {
      for_period: '2025-01',
      amount: '5.00',
      reason: 'no right',
    });
    expect(clerk.statusCode).toBe(403);
    const lines = await db.selectFrom('bill_line').select('id').where('kind', '=', 'correction').execute();
    expect(lines).toHaveLength(1);
  });
});
