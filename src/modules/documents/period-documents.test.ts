import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestSession } from '../../../test/support/app.ts';
import { type CabinetClient, cabinetClient } from '../../../test/support/cabinet.ts';
import { openTestDatabase, TEST_ENGINE } from '../../../test/support/db.ts';
import { OTHER, SCENARIO_01 } from '../../../test/support/scenario-world.ts';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import type { Period } from '../../domain/period.ts';
import { type Jobs, jobQueue } from '../../jobs/queue.ts';
import { registerWorkers } from '../../jobs/workers.ts';
import { buildApp } from '../../server.ts';
import type { Actor } from '../audit/audit.ts';
import { orderEvents, runEvent, type ScenarioEvent } from '../scenario/scenario.events.ts';
import { ZScenario } from '../scenario/scenario.schemas.ts';
import { type ScenarioWorld, setUpScenario } from '../scenario/scenario.setup.ts';
import { createDocumentRun, executeDocumentRun } from './generate-period-documents.ts';

// Spec scenario 01 (periods 2025-01..04 closed, 2025-05 open) with a second consumer "42" in the
// same district, a second district whose operator must not reach the first, and the job queue
// with its workers, so that generation runs as it does in production.

let database: Database;
let world: ScenarioWorld;
let app: FastifyInstance;
let jobs: Jobs;
let otherDistrictId: bigint;
const s: Record<string, TestSession> = {};
const dir = mkdtempSync(join(tmpdir(), 'hisob-period-docs-'));

const contractOf = (account: string): bigint => {
  const a = world.accounts.get(account);
  if (!a) throw new Error(`no account ${account}`);
  return a.contractId;
};

beforeAll(async () => {
  database = await openTestDatabase();
  const spec = JSON.parse(readFileSync(SCENARIO_01, 'utf8')) as {
    accounts: { account: string; name: string; inn: string; meters: { serial: string }[] }[];
    events: ScenarioEvent[];
  };
  const first = spec.accounts[0];
  if (!first) throw new Error('scenario 01 has no account');
  const meters = first.meters.map((m) => ({ ...m, serial: OTHER.serial }));
  spec.accounts.push({ ...first, account: OTHER.account, name: OTHER.name, inn: OTHER.inn, meters });
  const scenario = ZScenario.parse(spec);
  world = await setUpScenario(database.db, scenario);
  for (const { event } of orderEvents(scenario.events as ScenarioEvent[])) {
    try {
      await runEvent(database.db, world, event);
    } catch (e) {
      if (!isAppError(e)) throw e;
    }
  }
  const db = database.db;
  const company = await db
    .selectFrom('org_unit')
    .select('id')
    .where('tenant_id', '=', world.tenantId)
    .where('kind', '=', 'company')
    .executeTakeFirstOrThrow();
  otherDistrictId = (
    await db
      .insertInto('org_unit')
      .values({
        tenant_id: world.tenantId,
        parent_id: company.id,
        kind: 'district',
        code: 'OTH',
        name: 'Other',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const users = [
    ['pd.operator', 'operator', world.districtId],
    ['pd.clerk', 'clerk', world.districtId],
    ['pd.other', 'operator', otherDistrictId],
    ['pd.admin', 'admin', company.id],
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
  rmSync(dir, { recursive: true, force: true });
});

const session = (login: string): TestSession => {
  const found = s[login];
  if (!found) throw new Error(`no session ${login}`);
  return found;
};
const get = (login: string, url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { ...session(login).headers, ...headers } });
const post = (login: string, url: string, payload: object, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload, headers: { ...session(login).headers, ...headers } });

type RunView = Record<string, unknown> & { id: string; status: string };

async function waitForRun(period: string, id: string): Promise<RunView> {
  const until = Date.now() + 60_000;
  for (;;) {
    const res = await get('pd.operator', `/api/periods/${period}/documents/runs/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const run = res.json() as RunView;
    if (run.status === 'done' || run.status === 'failed') return run;
    if (Date.now() > until) throw new Error(`document run ${id} did not finish: ${res.body}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The current archived PDF of a contract's document. */
async function archivedPdf(contractId: bigint, kind: 'invoice' | 'act', key: string, lang = 'uz') {
  const row = await database.db
    .selectFrom('signed_document')
    .select(['id', 'pdf', 'sha256', 'version'])
    .where('contract_id', '=', contractId)
    .where('kind', '=', kind)
    .where('key', '=', key)
    .where('lang', '=', lang)
    .where('superseded_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row;
}

async function auditCount(action: string, after: Record<string, string>): Promise<number> {
  const rows = await database.db
    .selectFrom('audit_log')
    .select('after')
    .where('action', '=', action)
    .where('tenant_id', '=', world.tenantId)
    .execute();
  return rows.filter((r) => {
    const a = (typeof r.after === 'string' ? JSON.parse(r.after) : r.after) as Record<string, unknown>;
    return Object.entries(after).every(([k, v]) => a?.[k] === v);
  }).length;
}

const operatorActor = async (): Promise<Actor> => {
  const u = await database.db
    .selectFrom('app_user')
    .select('id')
    .where('login', '=', 'pd.operator')
    .executeTakeFirstOrThrow();
  return { type: 'user', id: String(u.id), tenantId: world.tenantId };
};

describe(`a closed period’s documents (${TEST_ENGINE})`, () => {
  let consumer: CabinetClient;
  let other: CabinetClient;

  beforeAll(async () => {
    consumer = await cabinetClient(app, '00042', '301234567');
    other = await cabinetClient(app, OTHER.account, OTHER.inn);
  });

  it('refuses the open period with PERIOD_NOT_CLOSED, as the cabinet does, and makes nothing', async () => {
    const res = await post('pd.operator', '/api/periods/2025-05/documents', {});
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'PERIOD_NOT_CLOSED' } });
    const cabinet = await consumer.get('/api/cabinet/invoices/2025-05?format=pdf');
    expect(cabinet.json()).toMatchObject({ error: { code: 'PERIOD_NOT_CLOSED' } });
    expect((await get('pd.operator', '/api/periods/2025-05/documents')).statusCode).toBe(409);
    const runs = await database.db.selectFrom('document_run').select('id').execute();
    expect(runs).toEqual([]);
  });

  it('refuses a unit out of scope (403) and staff without billing.run', async () => {
    const url = '/api/periods/2025-03/documents';
    const unit = { org_unit_id: String(world.districtId) };
    const out = await post('pd.other', url, unit);
    expect(out.statusCode).toBe(403);
    expect(out.json()).toMatchObject({ error: { code: 'ORG_UNIT_OUT_OF_SCOPE' } });
    const pack = await get('pd.other', `${url}/print-pack?org_unit_id=${world.districtId}`);
    expect(pack.statusCode).toBe(403);
    const list = await get('pd.other', `${url}?org_unit_id=${world.districtId}`);
    expect(list.statusCode).toBe(403);
    const clerk = await post('pd.clerk', url, {});
    expect(clerk.statusCode).toBe(403);
    expect(clerk.json()).toMatchObject({ error: { code: 'AUTH_FORBIDDEN' } });
    expect(await database.db.selectFrom('document_run').select('id').execute()).toEqual([]);
  });

  it('archives every invoice and act as the cabinet serves them, skipping what is archived', async () => {
    // The consumer asked for the March invoice first: that one is archived already.
    const first = await consumer.get('/api/cabinet/invoices/2025-03?format=pdf&lang=uz');
    expect(first.statusCode).toBe(200);
    const res = await post('pd.operator', '/api/periods/2025-03/documents', { lang: 'uz' });
    expect(res.statusCode, res.body).toBe(202);
    const queued = res.json() as RunView;
    expect(queued).toMatchObject({ period: '2025-03', org_unit_id: String(world.districtId), lang: 'uz' });
    const run = await waitForRun('2025-03', queued.id);
    expect(run).toMatchObject({
      status: 'done',
      total: 2,
      done: 2,
      created: 3,
      skipped: 1,
      failed: 0,
      to_do: 0,
      percent: 100,
    });
    // The cabinet serves exactly the bytes the run archived, and signs nothing more.
    for (const [client, account] of [
      [consumer, '00042'],
      [other, OTHER.account],
    ] as const) {
      const invoice = await archivedPdf(contractOf(account), 'invoice', '2025-03');
      const act = await archivedPdf(contractOf(account), 'act', '2025-03..2025-03');
      const servedInvoice = await client.get('/api/cabinet/invoices/2025-03?format=pdf&lang=uz');
      expect(Buffer.compare(servedInvoice.rawPayload, invoice.pdf), account).toBe(0);
      const servedAct = await client.get('/api/cabinet/acts?from=2025-03&to=2025-03&format=pdf&lang=uz');
      expect(Buffer.compare(servedAct.rawPayload, act.pdf), account).toBe(0);
    }
    expect(await auditCount('document.sign', { key: '2025-03', lang: 'uz' })).toBe(2);
    expect(await auditCount('document.sign', { key: '2025-03..2025-03', lang: 'uz' })).toBe(2);
    const summary = await get('pd.operator', '/api/periods/2025-03/documents');
    expect(summary.json()).toMatchObject({ contracts: 2, archived: 2, to_do: 0 });
    expect((summary.json() as { runs: RunView[] }).runs.map((r) => r.id)).toEqual([queued.id]);
    // Generating again signs nothing: every document is archived.
    const again = await post('pd.operator', '/api/periods/2025-03/documents', { lang: 'uz' });
    const rerun = await waitForRun('2025-03', (again.json() as RunView).id);
    expect(rerun).toMatchObject({ status: 'done', total: 2, done: 2, created: 0, failed: 0 });
    expect(await auditCount('document.sign', { key: '2025-03', lang: 'uz' })).toBe(2);
  }, 60_000);

  it('resumes a run stopped by a crash where it stopped, signing nothing twice', async () => {
    const actor = await operatorActor();
    const scope = {
      tenantId: world.tenantId,
      period: '2025-02' as Period,
      orgUnitId: world.districtId,
      lang: 'ru' as const,
    };
    const runId = await createDocumentRun(database.db, actor, scope);
    let seen = 0;
    const crash = () => {
      seen++;
      throw new Error('simulated crash');
    };
    await expect(executeDocumentRun(database.db, actor, runId, { afterContract: crash })).rejects.toThrow(
      'simulated crash',
    );
    expect(seen).toBe(1);
    const stopped = await database.db
      .selectFrom('document_run')
      .selectAll()
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(stopped).toMatchObject({ status: 'failed', done: 1, created: 2, error: 'simulated crash' });
    const view = await executeDocumentRun(database.db, actor, runId);
    expect(view).toMatchObject({ status: 'done', total: 2, done: 2, created: 4, failed: 0, percent: 100 });
    expect(await auditCount('document.sign', { key: '2025-02', lang: 'ru' })).toBe(2);
    expect(await auditCount('document.sign', { key: '2025-02..2025-02', lang: 'ru' })).toBe(2);
  }, 60_000);

  it('records a contract that fails as an issue and goes on; a rerun retries it', async () => {
    const actor = await operatorActor();
    const scope = {
      tenantId: world.tenantId,
      period: '2025-01' as Period,
      orgUnitId: world.districtId,
      lang: 'en' as const,
    };
    const runId = await createDocumentRun(database.db, actor, scope);
    const failing = contractOf(OTHER.account);
    const view = await executeDocumentRun(database.db, actor, runId, {
      beforeContract: (id) => {
        if (id === failing) throw new AppError('UNKNOWN_ACCOUNT', 'the consumer’s requisites are broken');
      },
    });
    expect(view).toMatchObject({ status: 'done', total: 2, done: 1, failed: 1, to_do: 0, created: 2 });
    const issues = await get('pd.operator', `/api/periods/2025-01/documents/runs/${runId}/issues`);
    expect(issues.statusCode).toBe(200);
    expect(issues.json()).toMatchObject({
      total: 1,
      items: [{ account: OTHER.account, consumer: OTHER.name, code: 'UNKNOWN_ACCOUNT' }],
    });
    // Generating again (a new run, as the finished one keeps its record) makes what failed.
    const again = await post('pd.operator', '/api/periods/2025-01/documents', { lang: 'en' });
    expect(again.statusCode).toBe(202);
    const retried = await waitForRun('2025-01', (again.json() as RunView).id);
    expect(retried).toMatchObject({ status: 'done', total: 2, done: 2, failed: 0, created: 2, skipped: 0 });
    const after = await get('pd.operator', `/api/periods/2025-01/documents/runs/${retried.id}/issues`);
    expect(after.json()).toMatchObject({ total: 0, items: [] });
    // Another period's run is not found under this period, nor a run out of scope.
    expect((await get('pd.operator', `/api/periods/2025-02/documents/runs/${runId}`)).statusCode).toBe(404);
    expect((await get('pd.other', `/api/periods/2025-01/documents/runs/${runId}`)).statusCode).toBe(404);
  }, 60_000);

  it('merges the unit’s archived invoices into one print pack', async () => {
    const res = await get('pd.operator', '/api/periods/2025-03/documents/print-pack?lang=uz');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('invoices-2025-03-uz.pdf');
    const pack = await PDFDocument.load(res.rawPayload);
    let pages = 0;
    for (const account of ['00042', OTHER.account]) {
      const one = await PDFDocument.load((await archivedPdf(contractOf(account), 'invoice', '2025-03')).pdf);
      pages += one.getPageCount();
    }
    expect(pack.getPageCount()).toBe(pages);
    const path = join(dir, 'pack.pdf');
    writeFileSync(path, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    expect(text).toContain('00042');
    expect(text).toContain(OTHER.name);
    const acts = await get('pd.admin', '/api/periods/2025-03/documents/print-pack?lang=uz&kind=act');
    expect(acts.statusCode).toBe(200);
    const none = await get('pd.operator', '/api/periods/2025-04/documents/print-pack?lang=uz');
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ error: { code: 'DOCUMENT_PACK_EMPTY' } });
  }, 60_000);

  it('re-issues a document as a new version that the cabinet serves, the old one kept and audited', async () => {
    const k = contractOf('00042');
    const base = `/api/periods/2025-03/documents/contracts/${k}`;
    const old = await archivedPdf(k, 'invoice', '2025-03');
    const short = await post('pd.operator', `${base}/reissue`, { kind: 'invoice', lang: 'uz', reason: 'x' });
    expect(short.statusCode).toBe(400);
    const clerk = await post('pd.clerk', `${base}/reissue`, {
      kind: 'invoice',
      lang: 'uz',
      reason: 'Bank requisites changed',
    });
    expect(clerk.statusCode).toBe(403);
    const stranger = await post('pd.other', `${base}/reissue`, {
      kind: 'invoice',
      lang: 'uz',
      reason: 'Bank requisites changed',
    });
    expect(stranger.statusCode).toBe(404);
    const missing = await post('pd.operator', `${base}/reissue`, {
      kind: 'invoice',
      lang: 'uz-Cyrl',
      reason: 'Bank requisites changed',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'DOCUMENT_NOT_ARCHIVED' } });
    const open = await post('pd.operator', `/api/periods/2025-05/documents/contracts/${k}/reissue`, {
      kind: 'invoice',
      lang: 'uz',
      reason: 'Bank requisites changed',
    });
    expect(open.statusCode).toBe(409);
    expect(await auditCount('document.reissue', {})).toBe(0);

    // The supplier moved to another bank account: the invoice is re-issued with the new requisites.
    await database.db
      .updateTable('tenant')
      .set({ bank_account: '20208000900111222333' })
      .where('id', '=', world.tenantId)
      .execute();
    const res = await post('pd.operator', `${base}/reissue`, {
      kind: 'invoice',
      lang: 'uz',
      reason: 'Bank requisites changed',
    });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json() as { id: string; version: number; current: boolean; sha256: string };
    expect(made).toMatchObject({ version: 2, current: true, reason: 'Bank requisites changed' });
    expect(made.sha256).not.toBe(old.sha256);
    // The cabinet now serves the new version.
    const served = await consumer.get('/api/cabinet/invoices/2025-03?format=pdf&lang=uz');
    const fresh = await archivedPdf(k, 'invoice', '2025-03');
    expect(fresh.version).toBe(2);
    expect(Buffer.compare(served.rawPayload, fresh.pdf)).toBe(0);
    writeFileSync(join(dir, 'v2.pdf'), fresh.pdf);
    expect(execFileSync('pdftotext', [join(dir, 'v2.pdf'), '-'], { encoding: 'utf8' })).toContain(
      '20208000900111222333',
    );
    // The old version stays listed as superseded and downloadable, with its signature.
    const list = await get('pd.clerk', base);
    expect(list.statusCode).toBe(200);
    const items = (
      list.json() as {
        items: { id: string; kind: string; lang: string; version: number; current: boolean }[];
      }
    ).items;
    const invoices = items.filter((i) => i.kind === 'invoice' && i.lang === 'uz');
    expect(invoices.map((i) => [i.version, i.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    const v1 = await get('pd.clerk', `${base}/files/${old.id}`);
    expect(v1.statusCode).toBe(200);
    expect(Buffer.compare(v1.rawPayload, old.pdf)).toBe(0);
    expect(v1.headers['content-disposition']).toContain('-v1.pdf');
    const sig = await get('pd.clerk', `${base}/files/${old.id}/signature`);
    expect(sig.headers['content-type']).toBe('application/pkcs7-signature');
    // Another contract's document is not reachable through this contract.
    const otherDoc = await archivedPdf(contractOf(OTHER.account), 'invoice', '2025-03');
    expect((await get('pd.clerk', `${base}/files/${otherDoc.id}`)).statusCode).toBe(404);
    // Audited with the reason, the old version as before.
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['before', 'after', 'actor_type'])
      .where('action', '=', 'document.reissue')
      .executeTakeFirstOrThrow();
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
    expect(audit.actor_type).toBe('user');
    expect(parse(audit.before)).toMatchObject({ id: String(old.id), version: 1, sha256: old.sha256 });
    expect(parse(audit.after)).toMatchObject({
      version: 2,
      reason: 'Bank requisites changed',
      sha256: made.sha256,
    });
    // The pack counts the contract as archived once, and the print pack takes the new version.
    const summary = await get('pd.operator', '/api/periods/2025-03/documents?lang=uz');
    expect(summary.json()).toMatchObject({ contracts: 2, archived: 2 });
  }, 60_000);
});
