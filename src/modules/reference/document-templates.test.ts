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
import { addDays, type LocalDate, todayInTashkent } from '../../domain/period.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { buildApp } from '../../server.ts';
import { renderInvoicePdf } from '../documents/documents.pdf.ts';
import { invoiceOf } from '../documents/documents.service.ts';
import { orderEvents, runEvent, type ScenarioEvent } from '../scenario/scenario.events.ts';
import { ZScenario } from '../scenario/scenario.schemas.ts';
import { type ScenarioWorld, setUpScenario } from '../scenario/scenario.setup.ts';
import { TEMPLATE_KIND_SPECS, TEMPLATE_KINDS } from './document-template-kinds.ts';
import { checkTemplateBody, fillTemplate, parseTemplate } from './document-template-text.ts';
import {
  actNoteVariables,
  contractTermsVariables,
  DEFAULT_RATES,
  decimalText,
  invoiceNoteVariables,
} from './document-template-variables.ts';
import { templateFor } from './document-templates.ts';

// Scenario 01 of the spec: one supplier whose periods 2025-01..2025-04 are closed (the open period
// is 2025-05), with invoices and acts of closed periods for account 00042.
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
const OPEN_FROM = '2025-05-01';
const BASE = '/api/reference/document-templates';

let database: Database;
let world: ScenarioWorld;
let app: FastifyInstance;
let admin: TestSession;
let analyst: TestSession;
let operator: TestSession;
let districtAdmin: TestSession;
const today = todayInTashkent();
const dir = mkdtempSync(join(tmpdir(), 'hisob-templates-'));

const contractId = (): bigint => {
  const a = world.accounts.get('00042');
  if (!a) throw new Error('no account 00042');
  return a.contractId;
};

beforeAll(async () => {
  database = await openTestDatabase();
  const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as { events: ScenarioEvent[] };
  const scenario = ZScenario.parse(spec);
  world = await setUpScenario(database.db, scenario);
  for (const { event } of orderEvents(scenario.events as ScenarioEvent[])) {
    try {
      await runEvent(database.db, world, event);
    } catch (e) {
      if (!isAppError(e)) throw e;
    }
  }
  const company = await database.db
    .selectFrom('org_unit')
    .select('id')
    .where('tenant_id', '=', world.tenantId)
    .where('kind', '=', 'company')
    .executeTakeFirstOrThrow();
  const users = [
    ['tpl.admin', 'admin', company.id],
    ['tpl.analyst', 'analyst', company.id],
    ['tpl.operator', 'operator', world.districtId],
    ['tpl.district-admin', 'admin', world.districtId],
  ] as const;
  for (const [login, role, orgUnitId] of users)
    await createUser(database.db, { tenantId: world.tenantId, login, role, orgUnitId });
  app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent' }),
    database,
    logger: false,
  });
  await app.ready();
  admin = await signIn(app, 'tpl.admin');
  analyst = await signIn(app, 'tpl.analyst');
  operator = await signIn(app, 'tpl.operator');
  districtAdmin = await signIn(app, 'tpl.district-admin');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The text of a PDF as pdftotext (poppler) reads it, with runs of white space made one space. */
function pdfText(pdf: Buffer, name: string): string {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, pdf);
  return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

async function contractText(lang: string, name: string): Promise<string> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/accounts/${contractId()}/contract?lang=${lang}`,
    headers: admin.headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return pdfText(res.rawPayload, name);
}

type Detail = {
  current: string | null;
  versions: {
    id: string;
    validFrom: string;
    body: string;
    state: string;
    editable: boolean;
    createdBy: string;
  }[];
  history: { action: string; actor: string; before: unknown; after: unknown }[];
};

function addVersion(
  session: TestSession,
  path: string,
  payload: { validFrom: string; body: string },
  lang?: string,
) {
  return app.inject({
    method: 'POST',
    url: `${BASE}/${path}/versions`,
    headers: lang ? { ...session.headers, cookie: `${session.cookie}; hisob_lang=${lang}` } : session.headers,
    payload,
  });
}

describe('the template language', () => {
  it('fills placeholders, spaces allowed, and leaves everything else as written', () => {
    expect(fillTemplate('Pay {{total}} by {{ dueDate }}.', { total: '10 UZS', dueDate: '30.04.2025' })).toBe(
      'Pay 10 UZS by 30.04.2025.',
    );
    expect(fillTemplate('No placeholders: 4 % & <b>', {})).toBe('No placeholders: 4 % & <b>');
    // A value is text, never read as a template again.
    expect(fillTemplate('{{a}}', { a: '{{b}}' })).toBe('{{b}}');
  });

  it('finds unbalanced braces with their line and column', () => {
    for (const [body, line, column] of [
      ['Pay {{total}', 1, 5],
      ['ok\nPay {total}}', 2, 5],
      ['x }} y', 1, 3],
      ['{{total}}}', 1, 10],
      ['{{ two words }}', 1, 1],
      ['{{}}', 1, 1],
    ] as const) {
      const parsed = parseTemplate(body);
      expect(parsed.ok, body).toBe(false);
      if (!parsed.ok) expect([parsed.error.line, parsed.error.column], body).toEqual([line, column]);
    }
  });

  it('refuses bodies a kind does not allow, naming the placeholder', () => {
    const spec = TEMPLATE_KIND_SPECS.invoice_note;
    const refused = (body: string) => {
      try {
        checkTemplateBody(spec, body);
      } catch (e) {
        return isAppError(e) ? { code: e.code, details: e.details } : e;
      }
      return null;
    };
    expect(refused('Pay by {{dueDay}}')).toMatchObject({
      code: 'TEMPLATE_UNKNOWN_PLACEHOLDER',
      details: { placeholder: '{{dueDay}}', name: 'dueDay' },
    });
    expect(refused('x'.repeat(spec.maxLength + 1))).toMatchObject({ code: 'TEMPLATE_BODY_TOO_LONG' });
    expect(refused('   ')).toBeNull();
    expect(refused(' \n ')).toBeNull();
    expect(checkTemplateBody(TEMPLATE_KIND_SPECS.contract_terms, 'a\r\nb\rc')).toBe('a\nb\nc');
    expect(() => checkTemplateBody(TEMPLATE_KIND_SPECS.contract_terms, ' \n')).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_BODY_REQUIRED' }),
    );
  });

  it('formats rates exactly, in the document’s language', () => {
    expect(decimalText('0.001000', 2, 'ru')).toBe('0,1');
    expect(decimalText('0.002', 2, 'en')).toBe('0.2');
    expect(decimalText('0.500000', 2, 'uz')).toBe('50');
    expect(decimalText('1.150000', 0, 'uz-Cyrl')).toBe('1,15');
    expect(decimalText('0.000125', 2, 'en')).toBe('0.0125');
  });

  it('has built-in texts that use only their kind’s placeholders, and values for every placeholder', () => {
    const party = { name: 'P', inn: null, address: null, bank_mfo: null, bank_account: null };
    const invoice = {
      type: 'invoice' as const,
      number: '1',
      date: '2025-03-31',
      due_date: null,
      period: '2025-03',
      account: '1',
      commodity: 'electricity' as const,
      vat_rate: '12',
      supplier: party,
      consumer: party,
      lines: [],
      totals: { amount_without_vat: '0.00', vat: '0.00', amount: '0.00' },
    };
    const act = {
      type: 'reconciliation_act' as const,
      account: '1',
      from: '2025-01',
      to: '2025-03',
      date: '2025-03-31',
      supplier: party,
      consumer: party,
      opening_balance: '0.00',
      periods: [],
      totals: { charges: '0.00', payments: '0.00' },
      closing_balance: '-5.00',
    };
    const contract = {
      number: '1',
      startDate: '2025-01-01',
      specialSupply: true,
      readingDay: 25,
      supplier: party,
      consumer: party,
      rates: DEFAULT_RATES,
    };
    const values = {
      contract_terms: contractTermsVariables(contract, 'en'),
      invoice_note: invoiceNoteVariables(invoice, 'en'),
      act_note: actNoteVariables(act, 'en'),
    };
    for (const kind of TEMPLATE_KINDS) {
      const spec = TEMPLATE_KIND_SPECS[kind];
      expect(Object.keys(values[kind]).sort(), kind).toEqual([...spec.variables].sort());
      for (const lang of LOCALES)
        expect(checkTemplateBody(spec, spec.builtIn[lang])).toBe(spec.builtIn[lang]);
    }
    expect(values.contract_terms.penaltyRate).toBe('0.2');
    expect(values.act_note.closingBalance).toBe('-5.00\u00a0UZS');
  });
});

describe('document templates through the API', () => {
  it('lists every kind and language with the built-in text in force and the allowed placeholders', async () => {
    const res = await app.inject({ method: 'GET', url: BASE, headers: analyst.headers });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      today: string;
      openFrom: string;
      kinds: {
        kind: string;
        variables: string[];
        required: boolean;
        languages: { lang: string; builtIn: string; current: unknown }[];
      }[];
    };
    expect(body.openFrom).toBe(OPEN_FROM);
    expect(body.kinds.map((k) => k.kind)).toEqual(['contract_terms', 'invoice_note', 'act_note']);
    const terms = body.kinds[0];
    expect(terms?.required).toBe(true);
    expect(terms?.variables).toEqual(expect.arrayContaining(['readingDay', 'penaltyRate', 'consumerName']));
    expect(terms?.languages.map((l) => l.lang)).toEqual(['uz', 'uz-Cyrl', 'ru', 'en']);
    expect(terms?.languages.every((l) => l.current === null)).toBe(true);
    expect(terms?.languages[3]?.builtIn).toContain('by the {{readingDay}}th of each month');
    expect(body.kinds[1]?.languages[0]?.builtIn).toBe('');
  });

  it('prints the built-in terms in the contract and no note on invoices while the supplier has no version', async () => {
    const en = await contractText('en', 'contract-builtin-en');
    expect(en).toContain(
      '4.3. Each day overdue accrues a penalty of 0.1 %, at most 50 % of the debt. 4.4. Consumption more than 5 % above the contracted volume is charged at 1.15 × the price.',
    );
    const ru = await contractText('ru', 'contract-builtin-ru');
    expect(ru).toContain('до 25-го числа каждого месяца');
    const invoice = await invoiceOf(database.db, {
      tenantId: world.tenantId,
      contractId: contractId(),
      period: '2025-03' as never,
    });
    expect(invoice).not.toHaveProperty('notes');
    await expect(
      templateFor(database.db, world.tenantId, 'contract_terms', 'en', today),
    ).resolves.toMatchObject({ versionId: null, body: TEMPLATE_KIND_SPECS.contract_terms.builtIn.en });
  });

  it('changes the contract’s terms from a new version’s start in the open period, in its language only', async () => {
    const body =
      'Readings reach us by the {{readingDay}}th.\n\n  {{consumerName}} pays a penalty of {{penaltyRate}} % a day (special supply: {{specialPenaltyRate}} %).  \n';
    const res = await addVersion(admin, 'contract_terms/en', { validFrom: OPEN_FROM, body });
    expect(res.statusCode, res.body).toBe(201);
    const detail = res.json() as Detail;
    expect(detail.current).toBe(detail.versions[0]?.id);
    expect(detail.versions[0]).toMatchObject({
      validFrom: OPEN_FROM,
      body,
      state: 'current',
      editable: false,
      createdBy: 'User tpl.admin',
    });
    const en = await contractText('en', 'contract-v1-en');
    expect(en).toContain(
      '4.1. Readings reach us by the 25th. 4.2. Example LLC pays a penalty of 0.1 % a day (special supply: 0.2 %).',
    );
    expect(en).not.toContain('4.3.');
    expect(await contractText('uz', 'contract-v1-uz')).toContain('har oyning 25-sanasigacha');
    // From its start on; before it the built-in text.
    const before = await templateFor(
      database.db,
      world.tenantId,
      'contract_terms',
      'en',
      '2025-04-30' as LocalDate,
    );
    expect(before.versionId).toBeNull();
    const from = await templateFor(
      database.db,
      world.tenantId,
      'contract_terms',
      'en',
      OPEN_FROM as LocalDate,
    );
    expect(String(from.versionId)).toBe(detail.current);
  });

  it('keeps a future version out of today’s contract until its day', async () => {
    const start = addDays(today, 5);
    const res = await addVersion(admin, 'contract_terms/en', {
      validFrom: start,
      body: 'Future clause {{contractNumber}}.',
    });
    expect(res.statusCode, res.body).toBe(201);
    const detail = res.json() as Detail;
    expect(detail.versions.map((v) => v.state)).toEqual(['future', 'current']);
    expect(detail.versions[0]?.editable).toBe(true);
    expect(await contractText('en', 'contract-future-en')).not.toContain('Future clause');
    const later = await templateFor(database.db, world.tenantId, 'contract_terms', 'en', start);
    expect(fillTemplate(later.body, { contractNumber: '00042' })).toBe('Future clause 00042.');
  });

  it('refuses a version that starts before the open period (409) in the user’s language, storing nothing', async () => {
    const res = await addVersion(
      admin,
      'invoice_note/ru',
      { validFrom: '2025-04-30', body: 'Примечание' },
      'ru',
    );
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: {
        code: 'TEMPLATE_VERSION_IN_CLOSED_PERIOD',
        message:
          'Версия не может начинаться с 2025-04-30: периоды до 2025-05-01 закрыты, их документы выданы',
      },
    });
    const n = await database.db
      .selectFrom('document_template_version')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'invoice_note')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('refuses an unknown placeholder (400, naming it), unbalanced braces, an empty or oversized body', async () => {
    const unknown = await addVersion(
      admin,
      'invoice_note/en',
      { validFrom: OPEN_FROM, body: 'Pay by {{dueDay}}.' },
      'en',
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      error: {
        code: 'TEMPLATE_UNKNOWN_PLACEHOLDER',
        message: expect.stringContaining('"{{dueDay}}"'),
        details: { placeholder: '{{dueDay}}' },
      },
    });
    const uz = await addVersion(admin, 'invoice_note/uz', { validFrom: OPEN_FROM, body: '{{jami}}' }, 'uz');
    expect(uz.json()).toMatchObject({ error: { message: expect.stringContaining('«{{jami}}»') } });
    const braces = await addVersion(admin, 'invoice_note/en', {
      validFrom: OPEN_FROM,
      body: 'Pay\n{{total}',
    });
    expect(braces.statusCode).toBe(400);
    expect(braces.json()).toMatchObject({
      error: { code: 'TEMPLATE_BRACES_UNBALANCED', details: { line: 2, column: 1 } },
    });
    const empty = await addVersion(admin, 'contract_terms/ru', { validFrom: OPEN_FROM, body: '  ' });
    expect(empty.json()).toMatchObject({ error: { code: 'TEMPLATE_BODY_REQUIRED' } });
    const long = await addVersion(admin, 'act_note/en', { validFrom: OPEN_FROM, body: 'x'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ error: { code: 'TEMPLATE_BODY_TOO_LONG', details: { max: 2000 } } });
    const control = await addVersion(admin, 'act_note/en', { validFrom: OPEN_FROM, body: 'a\u0000b' });
    expect(control.statusCode).toBe(400);
    const badKind = await addVersion(admin, 'warning_letter/en', { validFrom: OPEN_FROM, body: 'x' });
    expect(badKind.statusCode).toBe(400);
    const duplicate = await addVersion(admin, 'contract_terms/en', { validFrom: OPEN_FROM, body: 'Again.' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ error: { code: 'TEMPLATE_VERSION_DUPLICATE' } });
  });

  it('changes and removes only versions that start after today (409 for one in force), auditing each', async () => {
    const detail = (
      await app.inject({ method: 'GET', url: `${BASE}/contract_terms/en`, headers: admin.headers })
    ).json() as Detail;
    const [future, current] = detail.versions;
    if (!future || !current) throw new Error('two versions expected');
    const put = (id: string, payload: { validFrom: string; body: string }) =>
      app.inject({
        method: 'PUT',
        url: `${BASE}/contract_terms/en/versions/${id}`,
        headers: admin.headers,
        payload,
      });
    const inForce = await put(current.id, { validFrom: addDays(today, 30), body: 'Moved.' });
    expect(inForce.statusCode).toBe(409);
    expect(inForce.json()).toMatchObject({ error: { code: 'TEMPLATE_VERSION_IN_FORCE' } });
    const removeInForce = await app.inject({
      method: 'DELETE',
      url: `${BASE}/contract_terms/en/versions/${current.id}`,
      headers: admin.headers,
    });
    expect(removeInForce.statusCode).toBe(409);
    // Another kind's or language's path does not reach the version.
    const elsewhere = await app.inject({
      method: 'DELETE',
      url: `${BASE}/contract_terms/ru/versions/${future.id}`,
      headers: admin.headers,
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ error: { code: 'TEMPLATE_VERSION_NOT_FOUND' } });

    const changed = await put(future.id, { validFrom: addDays(today, 7), body: 'Changed {{supplierName}}.' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((changed.json() as Detail).versions[0]).toMatchObject({
      id: future.id,
      validFrom: addDays(today, 7),
      body: 'Changed {{supplierName}}.',
    });
    const back = await put(future.id, { validFrom: '2025-04-01', body: 'Too early.' });
    expect(back.json()).toMatchObject({ error: { code: 'TEMPLATE_VERSION_IN_CLOSED_PERIOD' } });
    const removed = await app.inject({
      method: 'DELETE',
      url: `${BASE}/contract_terms/en/versions/${future.id}`,
      headers: admin.headers,
    });
    expect(removed.statusCode, removed.body).toBe(200);
    const after = removed.json() as Detail;
    expect(after.versions.map((v) => v.id)).toEqual([current.id]);
    expect(after.history.map((h) => h.action)).toEqual([
      'document_template.version_remove',
      'document_template.version_change',
      'document_template.version_add',
      'document_template.version_add',
    ]);
    expect(after.history[1]).toMatchObject({
      actor: 'User tpl.admin',
      before: {
        versionId: future.id,
        validFrom: addDays(today, 5),
        body: 'Future clause {{contractNumber}}.',
      },
      after: { versionId: future.id, validFrom: addDays(today, 7), body: 'Changed {{supplierName}}.' },
    });
    expect(after.history[0]).toMatchObject({ before: { versionId: future.id }, after: null });
    const rows = await database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type', 'entity_id'])
      .where('entity', '=', 'document_template')
      .execute();
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.actor_type === 'user' && r.entity_id === 'contract_terms/en')).toBe(true);
  });

  it('lets readers read and preview but only administrators at the company unit change (403)', async () => {
    const payload = { validFrom: addDays(today, 3), body: 'Note.' };
    const byOperator = await addVersion(operator, 'invoice_note/en', payload);
    expect(byOperator.statusCode).toBe(403);
    expect(byOperator.json()).toMatchObject({ error: { code: 'AUTH_FORBIDDEN' } });
    const byAnalyst = await addVersion(analyst, 'invoice_note/en', payload);
    expect(byAnalyst.statusCode).toBe(403);
    const byDistrictAdmin = await addVersion(districtAdmin, 'invoice_note/en', payload);
    expect(byDistrictAdmin.statusCode).toBe(403);
    expect(byDistrictAdmin.json()).toMatchObject({ error: { code: 'ORG_UNIT_OUT_OF_SCOPE' } });
    const read = await app.inject({
      method: 'GET',
      url: `${BASE}/invoice_note/en`,
      headers: operator.headers,
    });
    expect(read.statusCode).toBe(200);
    const anonymous = await app.inject({ method: 'GET', url: BASE });
    expect(anonymous.statusCode).toBe(401);
    const stored = await database.db
      .selectFrom('document_template_version')
      .select('id')
      .where('kind', '=', 'invoice_note')
      .execute();
    expect(stored).toHaveLength(0);
  });
});

describe('notes on invoices and acts', () => {
  it('never changes an invoice of a closed period: a new version starts in the open one', async () => {
    const input = { tenantId: world.tenantId, contractId: contractId(), period: '2025-04' as never };
    const before = await renderInvoicePdf(await invoiceOf(database.db, input), 'en');
    const res = await addVersion(admin, 'invoice_note/en', {
      validFrom: OPEN_FROM,
      body: 'Pay {{total}} by {{dueDate}}.',
    });
    expect(res.statusCode, res.body).toBe(201);
    const invoice = await invoiceOf(database.db, input);
    expect(invoice).not.toHaveProperty('notes');
    expect(Buffer.compare(await renderInvoicePdf(invoice, 'en'), before)).toBe(0);
  });

  it('prints the note in force on the invoice’s and the act’s date, filled, in their language', async () => {
    // As if the supplier had worded the notes before these periods closed (the API no longer can).
    await database.db
      .insertInto('document_template_version')
      .values([
        {
          tenant_id: world.tenantId,
          kind: 'invoice_note',
          lang: 'en',
          valid_from: '2025-01-01',
          body: 'Invoice {{invoiceNumber}}: pay {{total}} by {{dueDate}} to {{supplierName}}.',
        },
        {
          tenant_id: world.tenantId,
          kind: 'act_note',
          lang: 'ru',
          valid_from: '2025-04-30',
          body: 'Сальдо {{closingBalance}} на {{actDate}}; подпишите акт в течение 5 дней.',
        },
      ])
      .execute();
    const invoice = await invoiceOf(database.db, {
      tenantId: world.tenantId,
      contractId: contractId(),
      period: '2025-03' as never,
    });
    expect(invoice.notes).toEqual({
      en: `Invoice ${invoice.number}: pay 10,813,135.66\u00a0UZS by 30.04.2025 to ${invoice.supplier.name}.`,
    });
    expect(pdfText(await renderInvoicePdf(invoice, 'en'), 'invoice-note-en')).toContain(
      `Invoice ${invoice.number}: pay 10,813,135.66 UZS by 30.04.2025`,
    );
    // Uzbek has no version: the built-in (empty) note, nothing printed.
    expect(pdfText(await renderInvoicePdf(invoice, 'uz'), 'invoice-note-uz')).not.toContain('Invoice');

    const act = await app.inject({
      method: 'GET',
      url: `/api/accounts/${contractId()}/acts?from=2025-02&to=2025-04&format=pdf&lang=ru`,
      headers: admin.headers,
    });
    expect(act.statusCode).toBe(200);
    expect(pdfText(act.rawPayload, 'act-note-ru')).toContain(
      'Сальдо 3 869 135,66 сум на 30.04.2025; подпишите акт в течение 5 дней.',
    );
    // An act dated before the version has no note.
    const earlier = await app.inject({
      method: 'GET',
      url: `/api/accounts/${contractId()}/acts?from=2025-02&to=2025-03`,
      headers: admin.headers,
    });
    expect(earlier.json()).not.toHaveProperty('notes');
  });
});

describe('preview', () => {
  const preview = (path: string, payload: { body: string; contractNumber?: string }, session = admin) =>
    app.inject({ method: 'POST', url: `${BASE}/${path}/preview`, headers: session.headers, payload });

  it('renders an unsaved body into the chosen contract’s latest invoice, or a sample one', async () => {
    const res = await preview(
      'invoice_note/en',
      { body: 'Preview for {{consumerName}}: {{period}}.', contractNumber: '00042' },
      analyst,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(pdfText(res.rawPayload, 'preview-invoice')).toContain('Preview for Example LLC: 2025-04.');
    const sample = await preview('act_note/ru', {
      body: 'Образец для {{consumerName}}, сальдо {{closingBalance}}.',
    });
    expect(sample.statusCode, sample.body).toBe(200);
    expect(pdfText(sample.rawPayload, 'preview-act')).toContain(
      'Образец для ООО «Образец», сальдо 1 120 000,00 сум.',
    );
    const terms = await preview('contract_terms/uz', {
      body: 'Birinchi: {{contractNumber}}\nIkkinchi: {{penaltyCap}} %',
      contractNumber: '00042',
    });
    expect(pdfText(terms.rawPayload, 'preview-terms')).toContain('4.1. Birinchi: 00042 4.2. Ikkinchi: 50 %');
    // Nothing was stored.
    const detail = (
      await app.inject({ method: 'GET', url: `${BASE}/contract_terms/uz`, headers: admin.headers })
    ).json() as Detail;
    expect(detail.versions).toHaveLength(0);
  });

  it('refuses what saving would refuse, and a contract the caller cannot see', async () => {
    const bad = await preview('invoice_note/en', { body: 'Pay {{amount}}' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: { code: 'TEMPLATE_UNKNOWN_PLACEHOLDER', details: { placeholder: '{{amount}}' } },
    });
    const unknown = await preview('invoice_note/en', { body: 'x', contractNumber: '99999' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_ACCOUNT' } });
  });
});
