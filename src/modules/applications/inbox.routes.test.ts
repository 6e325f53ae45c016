import type { Kysely } from 'kysely';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgFixture,
  createTestApp,
  createUser,
  type OrgFixture,
  signIn,
  type TestApp,
  type TestSession,
} from '../../../test/support/app.ts';
import { type CabinetClient, cabinetClient, createCabinetContract } from '../../../test/support/cabinet.ts';
import { TEST_ENGINE } from '../../../test/support/db.ts';
import type { DB } from '../../db/schema.ts';
import { addDays, type LocalDate, todayInTashkent } from '../../domain/period.ts';
import { issueConsumerCertificate } from '../signature/consumer-key.ts';
import { createLocalSigner } from '../signature/signer.ts';

// The office inbox (issue 6 point 6): applications as an office table with assignee, visits,
// refusals with a reason and approved requisites written to the consumer card; the employee lists
// and the cabinet password recoveries as office tables. A district operator sees its district only.

let t: TestApp;
let db: Kysely<DB>;
let org: OrgFixture;
let a: CabinetClient; // 00061 in n1
let b: CabinetClient; // 00062 in s1
let opN1: TestSession;
let opS1: TestSession;
let clerkN1: TestSession;
let regionN: TestSession;
let opN1Id: string;
let opS1Id: string;

/** A working day (not a Sunday) `n` days or more after today. */
function workingDay(n: number): LocalDate {
  let day = addDays(todayInTashkent(), n);
  if (new Date(`${day}T00:00:00Z`).getUTCDay() === 0) day = addDays(day, 1);
  return day;
}

/** The next Sunday after today. */
function sunday(): LocalDate {
  let day = addDays(todayInTashkent(), 1);
  while (new Date(`${day}T00:00:00Z`).getUTCDay() !== 0) day = addDays(day, 1);
  return day;
}

const as = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });

const audits = (action: string, entityId?: string) => {
  let q = db
    .selectFrom('audit_log')
    .select(['actor_type', 'actor_id', 'entity_id', 'org_unit_path', 'before', 'after'])
    .where('action', '=', action);
  if (entityId) q = q.where('entity_id', '=', entityId);
  return q.orderBy('id').execute();
};
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

type Filed = { id: string; number: string };
let inspection: Filed;
let appeal: Filed;
let requisites: Filed;
let foreign: Filed;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  org = await createOrgFixture(db, 'inbox-grid');
  const unit = (k: 'n1' | 's1') => ({ tenantId: org.tenantId, orgUnitId: org.units[k].id });
  await createCabinetContract(db, { ...unit('n1'), number: '00061', inn: '306100061', name: 'Quyosh MChJ' });
  await createCabinetContract(db, { ...unit('s1'), number: '00062', inn: '306200062', name: 'Janub MChJ' });
  a = await cabinetClient(t.app, '00061', '306100061');
  b = await cabinetClient(t.app, '00062', '306200062');
  const users: [string, 'operator' | 'clerk', 'n1' | 's1' | 'north'][] = [
    ['in.op.n1', 'operator', 'n1'],
    ['in.op.s1', 'operator', 's1'],
    ['in.clerk.n1', 'clerk', 'n1'],
    ['in.region.n', 'operator', 'north'],
  ];
  for (const [login, role, k] of users)
    await createUser(db, { tenantId: org.tenantId, login, role, orgUnitId: org.units[k].id });
  const sessions = await Promise.all(users.map(([login]) => signIn(t.app, login)));
  [opN1, opS1, clerkN1, regionN] = sessions as [TestSession, TestSession, TestSession, TestSession];
  const ids = await db.selectFrom('app_user').select(['id', 'login']).execute();
  opN1Id = String(ids.find((u) => u.login === 'in.op.n1')?.id);
  opS1Id = String(ids.find((u) => u.login === 'in.op.s1')?.id);

  const file = async (c: CabinetClient, body: object) => {
    const res = await c.post('/api/cabinet/applications', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Filed;
  };
  inspection = await file(a, {
    type: 'meter_inspection',
    text: 'Plomba shikastlangan',
    desiredDate: workingDay(2),
    desiredTime: '09:00-12:00',
    meterSerial: 'M-00061',
  });
  appeal = await file(a, { type: 'appeal', text: 'Hisob-fakturada xato' });
  requisites = await file(a, {
    type: 'requisites_change',
    text: 'Bank almashdi',
    requisites: { bankMfo: '00873', bankAccount: '20208000900123456001', phone: '+998712000061' },
  });
  foreign = await file(b, { type: 'appeal', text: 'Boshqa tumandan' });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe(`the office inbox of applications (${TEST_ENGINE})`, () => {
  it('lists the applications of the caller’s units only, with total, filters, sort and consumer', async () => {
    const mine = await as(opN1, 'GET', '/api/applications');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().total).toBe(3);
    // Newest first by default; the cabinet's fields are kept and the office's added.
    expect(mine.json().items.map((x: Filed) => x.number)).toEqual([
      requisites.number,
      appeal.number,
      inspection.number,
    ]);
    expect(mine.json().items[2]).toMatchObject({
      account: '00061',
      type: 'meter_inspection',
      status: 'submitted',
      events: [{ status: 'submitted', by: 'consumer' }],
      consumer: { name: 'Quyosh MChJ', inn: '306100061' },
      orgUnit: { id: String(org.units.n1.id), name: 'Unit inbox-grid-N1' },
      assignee: null,
      requisites: null,
    });
    expect((await as(opS1, 'GET', '/api/applications')).json()).toMatchObject({
      total: 1,
      items: [{ number: foreign.number }],
    });
    // The region sees both of its districts' (n1 only has some here); the south's stay out.
    expect((await as(regionN, 'GET', '/api/applications')).json().total).toBe(3);

    const page = await as(opN1, 'GET', '/api/applications?sort=number&dir=asc&limit=2&offset=1');
    expect(page.json().total).toBe(3);
    expect(page.json().items.map((x: Filed) => x.number)).toEqual([appeal.number, requisites.number]);
    const kind = await as(opN1, 'GET', '/api/applications?type=requisites_change');
    expect(kind.json().items).toMatchObject([
      {
        number: requisites.number,
        requisites: {
          requested: { bankMfo: '00873', bankAccount: '20208000900123456001', phone: '+998712000061' },
          current: { bankMfo: null, legalAddress: 'Toshkent sh.' },
          applied: null,
        },
      },
    ]);
    expect((await as(opN1, 'GET', '/api/applications?q=Quyosh&status=open')).json().total).toBe(3);
    expect((await as(opN1, 'GET', '/api/applications?status=done')).json().total).toBe(0);
    expect((await as(opN1, 'GET', `/api/applications?orgUnitId=${org.units.n1.id}`)).json().total).toBe(3);
  });

  it('refuses a unit filter outside the caller’s scope with 403, and a bad filter with 400', async () => {
    for (const unit of [org.units.s1.id, org.units.company.id, 999_999n]) {
      const res = await as(opN1, 'GET', `/api/applications?orgUnitId=${unit}`);
      expect(res.statusCode, String(unit)).toBe(403);
      expect(res.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
    }
    const bad = await as(opN1, 'GET', '/api/applications?status=lost&sort=consumer');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('exports the filtered list as XLSX with kinds and statuses in the asked language', async () => {
    const res = await as(opN1, 'GET', '/api/applications?format=xlsx&lang=ru&sort=number&dir=asc');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const [sheet] = await readXlsxFile(res.rawPayload);
    const rows = sheet?.data ?? [];
    expect(rows[0]?.slice(0, 4)).toEqual(['Номер', 'Дата подачи', 'Вид', 'Статус']);
    expect(rows.length).toBe(4);
    expect(rows[1]?.[0]).toBe(inspection.number);
    expect(String(rows[1]?.[3])).toBe('Подана');
  });

  it('shows one application with consumer, unit and timeline to its unit only (404 elsewhere), and its form', async () => {
    const one = await as(opN1, 'GET', `/api/applications/${inspection.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ number: inspection.number, consumer: { name: 'Quyosh MChJ' } });
    for (const url of [`/api/applications/${inspection.id}`, `/api/applications/${inspection.id}/pdf`]) {
      const out = await as(opS1, 'GET', url);
      expect(out.statusCode, url).toBe(404);
      expect(out.json().error.code).toBe('UNKNOWN_APPLICATION');
    }
    const pdf = await as(opN1, 'GET', `/api/applications/${inspection.id}/pdf?lang=ru`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('assigns to staff of the unit only, audited, and filters by assignee', async () => {
    const candidates = await as(opN1, 'GET', `/api/applications/${inspection.id}/assignees`);
    expect(candidates.statusCode).toBe(200);
    const logins = candidates.json().items.map((c: { login: string }) => c.login);
    // District staff first, then the region's; the south's operator is not one of them.
    expect(logins.slice(0, 2).sort()).toEqual(['in.clerk.n1', 'in.op.n1']);
    expect(logins).toContain('in.region.n');
    expect(logins).not.toContain('in.op.s1');

    const wrong = await as(opN1, 'POST', `/api/applications/${inspection.id}/assignee`, { userId: opS1Id });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('APPLICATION_ASSIGNEE');
    const outOfScope = await as(opS1, 'POST', `/api/applications/${inspection.id}/assignee`, {
      userId: opS1Id,
    });
    expect(outOfScope.statusCode).toBe(404);
    expect(await audits('application.assign')).toEqual([]);

    const given = await as(opN1, 'POST', `/api/applications/${inspection.id}/assignee`, { userId: opN1Id });
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json().assignee).toEqual({ id: opN1Id, name: 'User in.op.n1' });
    expect((await as(opN1, 'GET', '/api/applications?assignee=me')).json().items).toMatchObject([
      { number: inspection.number },
    ]);
    expect((await as(opN1, 'GET', '/api/applications?assignee=none')).json().total).toBe(2);
    expect(await audits('application.assign', inspection.id)).toMatchObject([
      { actor_type: 'user', org_unit_path: org.units.n1.path },
    ]);
    const [row] = await audits('application.assign', inspection.id);
    expect(json(row?.after)).toEqual({ assignee_id: opN1Id });
    // The consumer's timeline does not change with an assignment.
    expect((await a.get(`/api/cabinet/applications/${inspection.id}`)).json().events).toHaveLength(1);
  });

  it('schedules a visit on a working day only, and the consumer sees it', async () => {
    const move = (body: object) => as(opN1, 'POST', `/api/applications/${inspection.id}/status`, body);
    for (const visitDate of [addDays(todayInTashkent(), -1), addDays(todayInTashkent(), 61)]) {
      const res = await move({ status: 'scheduled', visitDate });
      expect(res.statusCode, visitDate).toBe(400);
      expect(res.json().error.code).toBe('APPLICATION_VISIT_DATE');
    }
    // Days off of the calendar: a Sunday, and a holiday named in the reference data.
    const sundayRes = await move({ status: 'scheduled', visitDate: sunday() });
    expect(sundayRes.statusCode).toBe(400);
    expect(sundayRes.json().error).toMatchObject({
      code: 'APPLICATION_VISIT_SUNDAY',
      details: { date: sunday() },
    });
    const holiday = workingDay(6);
    await db
      .insertInto('holiday')
      .values({ tenant_id: org.tenantId, day: holiday, kind: 'holiday', name: 'Test bayrami' })
      .execute();
    const before = await audits('application.status', inspection.id);
    const holidayRes = await move({ status: 'scheduled', visitDate: holiday });
    expect(holidayRes.statusCode).toBe(400);
    expect(holidayRes.json().error).toMatchObject({
      code: 'APPLICATION_VISIT_HOLIDAY',
      details: { date: holiday, name: 'Test bayrami' },
    });
    expect(holidayRes.json().error.message).toContain('Test bayrami');
    // Nothing half-applied: no visit date, no new event, no audit row.
    const still = (await a.get(`/api/cabinet/applications/${inspection.id}`)).json();
    expect(still.visitDate).toBeNull();
    expect(still.events).toHaveLength(1);
    expect(await audits('application.status', inspection.id)).toHaveLength(before.length);
    const ok = await move({
      status: 'scheduled',
      visitDate: workingDay(3),
      note: 'Inspektor ertalab keladi',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const seen = (await a.get(`/api/cabinet/applications/${inspection.id}`)).json();
    expect(seen).toMatchObject({ status: 'scheduled', visitDate: workingDay(3) });
    expect(seen.events.at(-1)).toMatchObject({
      status: 'scheduled',
      by: 'user',
      note: 'Inspektor ertalab keladi',
    });
    expect((await move({ status: 'done', note: 'Nazorat koʻrsatkichi olindi' })).statusCode).toBe(200);
  });

  it('refuses without a reason, and a wrong status move with 409', async () => {
    const move = (body: object) => as(opN1, 'POST', `/api/applications/${appeal.id}/status`, body);
    const bare = await move({ status: 'rejected' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.code).toBe('APPLICATION_REASON_REQUIRED');
    expect((await move({ status: 'rejected', note: '   ' })).json().error.code).toBe(
      'APPLICATION_REASON_REQUIRED',
    );
    const refused = await move({ status: 'rejected', note: 'Hisob-faktura toʻgʻri' });
    expect(refused.statusCode).toBe(200);
    expect((await a.get(`/api/cabinet/applications/${appeal.id}`)).json()).toMatchObject({
      status: 'rejected',
      events: [{}, { status: 'rejected', note: 'Hisob-faktura toʻgʻri' }],
    });
    const again = await move({ status: 'accepted' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('APPLICATION_TRANSITION');
  });

  it('approves a change of requisites: the card changes, audited before/after; nothing changes when refused', async () => {
    const card = () =>
      db
        .selectFrom('consumer')
        .select(['bank_mfo', 'bank_account', 'phone', 'legal_address'])
        .where('name', '=', 'Quyosh MChJ')
        .executeTakeFirstOrThrow();
    const before = await card();
    // Done only by approving; not the generic move.
    const done = await as(opN1, 'POST', `/api/applications/${requisites.id}/status`, { status: 'done' });
    expect(done.json().error.code).toBe('APPLICATION_APPLY_REQUIRED');
    // Another kind, another district, a role without consumer.write: refused, nothing written.
    const notRequisites = await as(opN1, 'POST', `/api/applications/${inspection.id}/apply-requisites`, {});
    expect(notRequisites.json().error.code).toBe('APPLICATION_NOT_REQUISITES');
    expect(
      (await as(opS1, 'POST', `/api/applications/${requisites.id}/apply-requisites`, {})).statusCode,
    ).toBe(404);
    const clerk = await as(clerkN1, 'POST', `/api/applications/${requisites.id}/apply-requisites`, {});
    expect(clerk.statusCode).toBe(403);
    expect(clerk.json().error.code).toBe('AUTH_FORBIDDEN');
    expect(await card()).toEqual(before);
    expect(await audits('consumer.requisites')).toEqual([]);

    // The bank asked for, deactivated in the reference data: not written to the card.
    await db
      .insertInto('bank')
      .values({ tenant_id: org.tenantId, mfo: '00873', name: 'Asaka bank', active: false })
      .execute();
    const inactive = await as(opN1, 'POST', `/api/applications/${requisites.id}/apply-requisites`, {});
    expect(inactive.statusCode, inactive.body).toBe(400);
    expect(inactive.json().error).toMatchObject({ code: 'CONSUMER_BANK_UNKNOWN', details: { mfo: '00873' } });
    expect(await card()).toEqual(before);
    expect(await audits('consumer.requisites')).toEqual([]);
    await db.updateTable('bank').set({ active: true }).where('mfo', '=', '00873').execute();

    const approved = await as(opN1, 'POST', `/api/applications/${requisites.id}/apply-requisites`, {
      note: 'Bank maʼlumotnomasi tekshirildi',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'done',
      requisites: {
        current: { bankMfo: '00873', bankAccount: '20208000900123456001', phone: '+998712000061' },
        applied: {
          by: 'User in.op.n1',
          before: { bankMfo: null, bankAccount: null, phone: null },
          after: { bankMfo: '00873', bankAccount: '20208000900123456001', phone: '+998712000061' },
        },
      },
    });
    expect(await card()).toEqual({
      bank_mfo: '00873',
      bank_account: '20208000900123456001',
      phone: '+998712000061',
      legal_address: 'Toshkent sh.',
    });
    const [audit] = await audits('consumer.requisites');
    expect(audit).toMatchObject({ actor_type: 'user', org_unit_path: org.units.n1.path });
    expect(json(audit?.before)).toEqual({ bankMfo: null, bankAccount: null, phone: null });
    expect(json(audit?.after)).toMatchObject({ bankMfo: '00873', application: requisites.number });
    // The consumer sees it done and the new requisites on the account page.
    expect((await a.get(`/api/cabinet/applications/${requisites.id}`)).json()).toMatchObject({
      status: 'done',
      events: [{}, { status: 'done', note: 'Bank maʼlumotnomasi tekshirildi', by: 'user' }],
    });
    expect((await a.get('/api/cabinet/account')).json().consumer).toMatchObject({ bankMfo: '00873' });

    const twice = await as(opN1, 'POST', `/api/applications/${requisites.id}/apply-requisites`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('APPLICATION_TRANSITION');
    expect(await audits('consumer.requisites')).toHaveLength(1);
  });
});

describe(`the office tables of employee lists and password recoveries (${TEST_ENGINE})`, () => {
  let listId = '';

  beforeAll(async () => {
    const made = await a.post('/api/cabinet/employee-lists', {
      rows: [{ fullName: 'Karimov Aziz', position: 'Muhandis', pinfl: '31234567890123' }],
    });
    expect(made.statusCode, made.body).toBe(201);
    listId = made.json().id;
    const pdf = (await a.get(`/api/cabinet/employee-lists/${listId}/pdf`)).rawPayload;
    const key = await issueConsumerCertificate(db, { name: 'Quyosh MChJ', inn: '306100061' });
    const p7s = await createLocalSigner(key).sign(pdf);
    const signed = await a.post(`/api/cabinet/employee-lists/${listId}/signature`, {
      signature: Buffer.from(p7s).toString('base64'),
    });
    expect(signed.statusCode, signed.body).toBe(200);
    await b.post('/api/cabinet/employee-lists', {
      rows: [{ fullName: 'Janubiy Ali', position: 'Hisobchi', pinfl: '41234567890123' }],
    });
  });

  it('lists employee lists as a page with total and unit, filtered and in scope', async () => {
    const res = await as(opN1, 'GET', '/api/employee-lists?status=submitted');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      total: 1,
      items: [
        {
          id: listId,
          account: '00061',
          status: 'submitted',
          consumer: { name: 'Quyosh MChJ' },
          orgUnit: { id: String(org.units.n1.id) },
          signer: { inn: '306100061' },
        },
      ],
    });
    expect(
      (await as(opS1, 'GET', '/api/employee-lists')).json().items.map((l: { account: string }) => l.account),
    ).toEqual(['00062']);
    expect((await as(opN1, 'GET', '/api/employee-lists?status=received')).json().total).toBe(0);
    const out = await as(opN1, 'GET', `/api/employee-lists?orgUnitId=${org.units.s1.id}`);
    expect(out.statusCode).toBe(403);
    expect(out.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
    const xlsx = await as(opN1, 'GET', '/api/employee-lists?format=xlsx&lang=en');
    const [sheet] = await readXlsxFile(xlsx.rawPayload);
    expect(sheet?.data[0]?.[0]).toBe('No.');
    expect(sheet?.data[1]?.slice(1, 3)).toEqual(['00061', 'Quyosh MChJ']);
  });

  it('checks the stored signature again on demand, in scope only', async () => {
    const res = await as(opN1, 'GET', `/api/employee-lists/${listId}/verification`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ valid: true, reason: null, signer: { inn: '306100061' } });
    expect((await as(opS1, 'GET', `/api/employee-lists/${listId}/verification`)).statusCode).toBe(404);
    // A signature that no longer covers the stored bytes is reported, not hidden.
    const original = await db
      .selectFrom('employee_list')
      .select('document')
      .where('id', '=', BigInt(listId))
      .executeTakeFirstOrThrow();
    await db
      .updateTable('employee_list')
      .set({ document: Buffer.concat([original.document, Buffer.from('x')]) })
      .where('id', '=', BigInt(listId))
      .execute();
    expect((await as(opN1, 'GET', `/api/employee-lists/${listId}/verification`)).json()).toMatchObject({
      valid: false,
      reason: 'digest_mismatch',
    });
    await db
      .updateTable('employee_list')
      .set({ document: original.document })
      .where('id', '=', BigInt(listId))
      .execute();
    const [draft] = (await as(opS1, 'GET', '/api/employee-lists')).json().items;
    expect((await as(opS1, 'GET', `/api/employee-lists/${draft.id}/verification`)).json()).toMatchObject({
      valid: false,
      reason: 'not_signed',
    });
  });

  it('lists password recoveries of the caller’s units with total, and refuses another unit with 403', async () => {
    for (const [contract, inn] of [
      ['00061', '306100061'],
      ['00062', '306200062'],
    ])
      await t.app.inject({
        method: 'POST',
        url: '/api/cabinet/recovery',
        payload: { contract, inn, contact: '+998901112233' },
      });
    const res = await as(opN1, 'GET', '/api/cabinet-recoveries?status=requested');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      total: 1,
      items: [
        {
          account: '00061',
          consumerName: 'Quyosh MChJ',
          inn: '306100061',
          contact: '+998901112233',
          status: 'requested',
          decidedBy: null,
          orgUnit: { id: String(org.units.n1.id) },
        },
      ],
    });
    const out = await as(opN1, 'GET', `/api/cabinet-recoveries?orgUnitId=${org.units.s1.id}`);
    expect(out.statusCode).toBe(403);
    const id = res.json().items[0].id;
    expect(
      (
        await as(opN1, 'POST', `/api/cabinet-recoveries/${id}/decision`, {
          confirm: false,
          note: 'Tanimadik',
        })
      ).statusCode,
    ).toBe(204);
    expect((await as(opN1, 'GET', '/api/cabinet-recoveries?status=rejected')).json().items).toMatchObject([
      { decidedBy: 'User in.op.n1', note: 'Tanimadik' },
    ]);
    const xlsx = await as(opN1, 'GET', '/api/cabinet-recoveries?format=xlsx&lang=uz');
    const [sheet] = await readXlsxFile(xlsx.rawPayload);
    expect(sheet?.data[1]).toContain('Rad etilgan');
  });
});
