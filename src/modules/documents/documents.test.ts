import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestSession } from '../../../test/support/app.ts';
import { openTestDatabase } from '../../../test/support/db.ts';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { isAppError } from '../../domain/errors.ts';
import { parseMoney, vatOf } from '../../domain/money.ts';
import { buildApp } from '../../server.ts';
import { orderEvents, runEvent, type ScenarioEvent } from '../scenario/scenario.events.ts';
import { ZScenario } from '../scenario/scenario.schemas.ts';
import { type ScenarioWorld, setUpScenario } from '../scenario/scenario.setup.ts';
import { renderActPdf, renderInvoicePdf } from './documents.pdf.ts';
import {
  type InvoiceDocument,
  invoiceOf,
  type ReconciliationAct,
  reconciliationActOf,
} from './documents.service.ts';

// Scenario 01 of the spec (billing-rules §11), with a consumer whose name needs Uzbek Cyrillic
// and a second account in another district that the district operator must not see.
const SPEC = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'spec',
  'scenarios',
  '01-recalculation-penalty.json',
);

let database: Database;
let world: ScenarioWorld;
let app: FastifyInstance;
let operator: TestSession;
const dir = mkdtempSync(join(tmpdir(), 'hisob-docs-'));

const contractOf = (account: string): bigint => {
  const a = world.accounts.get(account);
  if (!a) throw new Error(`no account ${account}`);
  return a.contractId;
};

beforeAll(async () => {
  database = await openTestDatabase();
  const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as {
    accounts: { name: string }[];
    events: ScenarioEvent[];
  };
  const first = spec.accounts[0];
  if (!first) throw new Error('scenario 01 has no account');
  first.name = '«Тошкент Ҳаво Йўллари» Ўзбекистон МЧЖ';
  const scenario = ZScenario.parse(spec);
  world = await setUpScenario(database.db, scenario);
  for (const { event } of orderEvents(scenario.events as ScenarioEvent[])) {
    try {
      await runEvent(database.db, world, event);
    } catch (e) {
      if (!isAppError(e)) throw e;
    }
  }
  await createUser(database.db, {
    tenantId: world.tenantId,
    login: 'docs.operator',
    role: 'operator',
    orgUnitId: world.districtId,
  });
  app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent' }),
    database,
    logger: false,
  });
  await app.ready();
  operator = await signIn(app, 'docs.operator');
});

afterAll(async () => {
  await app?.close();
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The text of a PDF, as pdftotext (poppler) reads it. */
function pdfText(pdf: Buffer, name: string): string {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, pdf);
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

describe('invoice', () => {
  let invoice: InvoiceDocument;
  beforeAll(async () => {
    invoice = await invoiceOf(database.db, {
      tenantId: world.tenantId,
      contractId: contractOf('00042'),
      period: '2025-03' as never,
    });
  });

  it('carries the bill’s number, both parties and every line of March with its VAT', () => {
    expect(invoice).toMatchObject({
      type: 'invoice',
      date: '2025-03-31',
      due_date: '2025-04-30',
      account: '00042',
      vat_rate: '12',
      consumer: { name: '«Тошкент Ҳаво Йўллари» Ўзбекистон МЧЖ', inn: '301234567' },
      totals: { amount: '10813135.66' },
    });
    expect(invoice.number).toMatch(/^202503-\d{6}$/);
    expect(invoice.lines.map((l) => [l.kind, l.for_period, l.quantity, l.amount])).toEqual([
      ['energy', null, '10000.000', '9000000.00'],
      ['overconsumption', null, '1349.153', '1396373.36'],
      ['recalculation', '2025-02', '250.847', '225762.30'],
      ['penalty', null, null, '191000.00'],
    ]);
    for (const l of invoice.lines) {
      const amount = parseMoney(l.amount, { allowNegative: true });
      expect(parseMoney(l.vat, { allowNegative: true })).toBe(vatOf(amount, 12n));
      expect(
        parseMoney(l.amount_without_vat, { allowNegative: true }) +
          parseMoney(l.vat, { allowNegative: true }),
      ).toBe(amount);
    }
    // 9,000,000.00 × 12/112 = 964,285.714… → 964,285.71
    expect(invoice.lines[0]?.vat).toBe('964285.71');
    const vat = invoice.lines.reduce((a, l) => a + parseMoney(l.vat, { allowNegative: true }), 0n);
    expect(parseMoney(invoice.totals.vat)).toBe(vat);
  });

  it('is refused for an open period and for a period without a bill', async () => {
    await expect(
      invoiceOf(database.db, {
        tenantId: world.tenantId,
        contractId: contractOf('00042'),
        period: '2025-05' as never,
      }),
    ).rejects.toMatchObject({ code: 'PERIOD_NOT_CLOSED' });
    await expect(
      invoiceOf(database.db, {
        tenantId: world.tenantId,
        contractId: contractOf('00042'),
        period: '2024-12' as never,
      }),
    ).rejects.toMatchObject({ code: 'DOCUMENT_NOT_FOUND' });
  });

  it('renders as a PDF whose text reads in Uzbek Cyrillic and Latin', async () => {
    const cyrl = pdfText(await renderInvoicePdf(invoice, 'uz-Cyrl'), 'inv-cyrl');
    expect(cyrl).toContain('ҲИСОБ-ФАКТУРА');
    expect(cyrl).toContain('«Тошкент Ҳаво Йўллари» Ўзбекистон МЧЖ');
    expect(cyrl).toContain('Шартномадан ортиқча');
    expect(cyrl).toContain('10 813 135,66');
    const latn = pdfText(await renderInvoicePdf(invoice, 'uz'), 'inv-latn');
    expect(latn).toContain('HISOB-FAKTURA');
    expect(latn).toContain('Toʻlov muddati');
    const en = pdfText(await renderInvoicePdf(invoice, 'en'), 'inv-en');
    expect(en).toContain('10,813,135.66');
  });
});

describe('reconciliation act', () => {
  let act: ReconciliationAct;
  beforeAll(async () => {
    act = await reconciliationActOf(database.db, {
      tenantId: world.tenantId,
      contractId: contractOf('00042'),
      from: '2025-02' as never,
      to: '2025-04' as never,
    });
  });

  it('agrees with the scenario: opening, charges, payments, closing per period', () => {
    expect(act.opening_balance).toBe('9000000.00');
    expect(act.periods).toEqual([
      {
        period: '2025-02',
        opening: '9000000.00',
        charges: '9000000.00',
        payments: '0.00',
        closing: '18000000.00',
      },
      {
        period: '2025-03',
        opening: '18000000.00',
        charges: '10813135.66',
        payments: '4000000.00',
        closing: '24813135.66',
      },
      {
        period: '2025-04',
        opening: '24813135.66',
        charges: '9056000.00',
        payments: '30000000.00',
        closing: '3869135.66',
      },
    ]);
    expect(act.totals).toEqual({ charges: '28869135.66', payments: '34000000.00' });
    expect(act.closing_balance).toBe('3869135.66');
  });

  it('is refused past the last closed period and for a reversed range', async () => {
    const base = { tenantId: world.tenantId, contractId: contractOf('00042') };
    await expect(
      reconciliationActOf(database.db, { ...base, from: '2025-01' as never, to: '2025-05' as never }),
    ).rejects.toMatchObject({ code: 'PERIOD_NOT_CLOSED' });
    await expect(
      reconciliationActOf(database.db, { ...base, from: '2025-04' as never, to: '2025-01' as never }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('renders as a PDF in Russian and Uzbek Cyrillic with the debt stated', async () => {
    const ru = pdfText(await renderActPdf(act, 'ru'), 'act-ru');
    expect(ru).toContain('АКТ СВЕРКИ ВЗАИМНЫХ РАСЧЁТОВ');
    expect(ru).toMatch(/Задолженность потребителя 3\s869\s135,66/);
    const cyrl = pdfText(await renderActPdf(act, 'uz-Cyrl'), 'act-cyrl');
    expect(cyrl).toContain('ЎЗАРО ҲИСОБ-КИТОБЛАРНИ СОЛИШТИРИШ ДАЛОЛАТНОМАСИ');
  });
});

describe('documents through the API', () => {
  it('gives JSON and PDF to staff in scope, in the asked language', async () => {
    const id = contractOf('00042');
    const json = await app.inject({
      method: 'GET',
      url: `/api/accounts/${id}/invoices/2025-03`,
      headers: operator.headers,
    });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ type: 'invoice', totals: { amount: '10813135.66' } });
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/accounts/${id}/acts?from=2025-01&to=2025-04&format=pdf&lang=ru`,
      headers: operator.headers,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain('act-00042-2025-01-2025-04.pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfText(pdf.rawPayload, 'api-act')).toContain('АКТ СВЕРКИ');
  });

  it('answers errors with a code and a message in the user’s language', async () => {
    const id = contractOf('00042');
    const open = await app.inject({
      method: 'GET',
      url: `/api/accounts/${id}/invoices/2025-06`,
      headers: { ...operator.headers, cookie: `${operator.cookie}; hisob_lang=ru` },
    });
    expect(open.statusCode).toBe(409);
    expect(open.json()).toMatchObject({
      error: { code: 'PERIOD_NOT_CLOSED', message: expect.stringContaining('ещё не закрыт') },
    });
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/accounts/999999/invoices/2025-03',
      headers: operator.headers,
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await app.inject({
      method: 'GET',
      url: `/api/accounts/${id}/acts?from=2025-13&to=2025-04`,
      headers: operator.headers,
    });
    expect(bad.statusCode).toBe(400);
    const anonymous = await app.inject({ method: 'GET', url: `/api/accounts/${id}/invoices/2025-03` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('keeps accounts of other districts unknown to a district operator', async () => {
    const other = await database.db
      .insertInto('org_unit')
      .values({
        tenant_id: world.tenantId,
        kind: 'district',
        code: 'OTHER',
        name: 'Other district',
        parent_id: (
          await database.db
            .selectFrom('org_unit')
            .select('parent_id')
            .where('id', '=', world.districtId)
            .executeTakeFirstOrThrow()
        ).parent_id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable('contract')
      .set({ org_unit_id: other.id })
      .where('id', '=', contractOf('00042'))
      .execute();
    try {
      const res = await app.inject({
        method: 'GET',
        url: `/api/accounts/${contractOf('00042')}/invoices/2025-03`,
        headers: operator.headers,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'UNKNOWN_ACCOUNT' } });
    } finally {
      await database.db
        .updateTable('contract')
        .set({ org_unit_id: world.districtId })
        .where('id', '=', contractOf('00042'))
        .execute();
    }
  });
});
