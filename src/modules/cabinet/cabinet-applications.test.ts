import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
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
import type { DB } from '../../db/schema.ts';
import { addDays, addPeriods, type LocalDate, periodOf, todayInTashkent } from '../../domain/period.ts';

let t: TestApp;
let db: Kysely<DB>;
let org: OrgFixture;
let a: CabinetClient;
let b: CabinetClient;
let operatorN1: TestSession;
let operatorS1: TestSession;
const dir = mkdtempSync(join(tmpdir(), 'hisob-apps-'));

/** The first working day (not a Sunday) after today, as the cabinet would offer it. */
function nextWorkingDay(): LocalDate {
  let day = addDays(todayInTashkent(), 1);
  if (new Date(`${day}T00:00:00Z`).getUTCDay() === 0) day = addDays(day, 1);
  return day;
}

const inspection = () => ({
  type: 'meter_inspection',
  text: 'Hisoblagich plombasi shikastlangan, nazorat koʻrsatkichini oling',
  desiredDate: nextWorkingDay(),
  desiredTime: '09:00-12:00',
  meterSerial: 'M-00017',
});

const count = async (table: 'application' | 'application_event') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  org = await createOrgFixture(db, 'app-grid');
  const unit = (k: 'n1' | 's1') => ({ tenantId: org.tenantId, orgUnitId: org.units[k].id });
  await createCabinetContract(db, { ...unit('n1'), number: '00017', inn: '301700017', name: 'Shamol MChJ' });
  await createCabinetContract(db, { ...unit('s1'), number: '17', inn: '301700099', name: 'Boshqa MChJ' });
  a = await cabinetClient(t.app, '00017', '301700017');
  b = await cabinetClient(t.app, '17', '301700099');
  await createUser(db, {
    tenantId: org.tenantId,
    login: 'op.n1',
    role: 'operator',
    orgUnitId: org.units.n1.id,
  });
  await createUser(db, {
    tenantId: org.tenantId,
    login: 'op.s1',
    role: 'operator',
    orgUnitId: org.units.s1.id,
  });
  operatorN1 = await signIn(t.app, 'op.n1');
  operatorS1 = await signIn(t.app, 'op.s1');
});

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cabinet applications (R6 functions 8, 10, 11, 12)', () => {
  it('files a meter inspection with a number, the desired visit and a first timeline entry, audited', async () => {
    const res = await a.post('/api/cabinet/applications', inspection());
    expect(res.statusCode, res.body).toBe(201);
    const year = todayInTashkent().slice(0, 4);
    expect(res.json()).toMatchObject({
      number: `A-${year}-000001`,
      account: '00017',
      type: 'meter_inspection',
      status: 'submitted',
      desiredTime: '09:00-12:00',
      details: { meterSerial: 'M-00017' },
      events: [{ status: 'submitted', by: 'consumer' }],
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('action', '=', 'application.file')
      .execute();
    expect(audit).toEqual([{ action: 'application.file', actor_type: 'consumer' }]);
  });

  it('refuses what is wrong, in the consumer’s language, and stores nothing', async () => {
    const before = [await count('application'), await count('application_event')];
    const cases: [object, number, string][] = [
      [{ ...inspection(), meterSerial: 'M-17' }, 400, 'APPLICATION_METER'], // another consumer's meter
      [{ ...inspection(), desiredDate: null, desiredTime: null }, 400, 'APPLICATION_VISIT_REQUIRED'],
      [{ ...inspection(), desiredDate: todayInTashkent() }, 400, 'APPLICATION_VISIT_DATE'],
      [
        { type: 'appeal', text: 'x', desiredDate: nextWorkingDay(), desiredTime: '09:00-12:00' },
        400,
        'APPLICATION_NO_VISIT',
      ],
      [{ type: 'appeal', text: '   ' }, 400, 'VALIDATION_FAILED'],
      [{ type: 'fire_alarm', text: 'x' }, 400, 'VALIDATION_FAILED'],
      [
        {
          type: 'volume_change',
          text: 'x',
          volumes: [{ period: addPeriods(periodOf(todayInTashkent()), -1), volume: '1000' }],
        },
        400,
        'APPLICATION_VOLUME_PERIOD',
      ],
      [{ type: 'requisites_change', text: 'x', requisites: {} }, 400, 'APPLICATION_REQUISITES_EMPTY'],
      [{ type: 'requisites_change', text: 'x', requisites: { bankMfo: '123' } }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await a.post('/api/cabinet/applications', body, { 'accept-language': 'ru' });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code, JSON.stringify(body)).toBe(code);
      expect(res.json().error.message).toMatch(/[а-яё]/i);
    }
    expect([await count('application'), await count('application_event')]).toEqual(before);
    // Numbers go on without a gap: refused applications took none.
    const next = await a.post('/api/cabinet/applications', {
      type: 'no_debt_certificate',
      text: 'Bank uchun',
    });
    expect(next.json().number).toMatch(/-000002$/);
  });

  it('takes a volume change and a requisites change with their details', async () => {
    const current = periodOf(todayInTashkent());
    const volume = await a.post('/api/cabinet/applications', {
      type: 'volume_change',
      text: 'Ishlab chiqarish kengaydi',
      volumes: [
        { period: addPeriods(current, 2), volume: '12500,5' },
        { period: addPeriods(current, 1), volume: '12000' },
      ],
    });
    expect(volume.statusCode, volume.body).toBe(201);
    expect(volume.json().details).toEqual({
      volumes: [
        { period: addPeriods(current, 1), volume: '12000.000' },
        { period: addPeriods(current, 2), volume: '12500.500' },
      ],
    });
    const requisites = await a.post('/api/cabinet/applications', {
      type: 'requisites_change',
      text: 'Bank almashdi',
      requisites: { bankMfo: '00873', bankAccount: '20208000900123456001', phone: '+998712000000' },
    });
    expect(requisites.statusCode, requisites.body).toBe(201);
    expect(requisites.json().details.requisites).toEqual({
      bankMfo: '00873',
      bankAccount: '20208000900123456001',
      phone: '+998712000000',
    });
  });

  it('shows the consumer what the district unit did and when; the consumer can only withdraw', async () => {
    const [first] = (await a.get('/api/cabinet/applications')).json().items.slice(-1);
    expect(first.type).toBe('meter_inspection');
    // Staff of another district cannot see or touch it.
    const other = await t.app.inject({
      method: 'GET',
      url: '/api/applications',
      headers: operatorS1.headers,
    });
    expect(other.json().items).toEqual([]);
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/applications/${first.id}/status`,
      headers: operatorS1.headers,
      payload: { status: 'accepted' },
    });
    expect(foreign.statusCode).toBe(404);

    const staff = (status: string, extra: object = {}) =>
      t.app.inject({
        method: 'POST',
        url: `/api/applications/${first.id}/status`,
        headers: operatorN1.headers,
        payload: { status, ...extra },
      });
    expect((await staff('accepted', { note: 'Inspektor tayinlandi' })).statusCode).toBe(200);
    expect((await staff('scheduled')).json().error.code).toBe('APPLICATION_VISIT_REQUIRED');
    const scheduled = await staff('scheduled', { visitDate: nextWorkingDay(), note: 'Ertalab keladi' });
    expect(scheduled.statusCode, scheduled.body).toBe(200);

    const seen = (await a.get(`/api/cabinet/applications/${first.id}`)).json();
    expect(seen.status).toBe('scheduled');
    expect(seen.visitDate).toBe(nextWorkingDay());
    expect(
      seen.events.map((e: { status: string; by: string; name: string | null }) => [e.status, e.by, e.name]),
    ).toEqual([
      ['submitted', 'consumer', null],
      ['accepted', 'user', 'User op.n1'],
      ['scheduled', 'user', 'User op.n1'],
    ]);
    expect((await staff('done', { note: 'Nazorat koʻrsatkichi olindi' })).statusCode).toBe(200);
    const late = await a.post(`/api/cabinet/applications/${first.id}/cancel`);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('APPLICATION_TRANSITION');
    expect((await staff('rejected')).statusCode).toBe(409);

    const certificate = (await a.get('/api/cabinet/applications'))
      .json()
      .items.find((x: { type: string }) => x.type === 'no_debt_certificate');
    const withdrawn = await a.post(`/api/cabinet/applications/${certificate.id}/cancel`, {
      note: 'Kerak emas',
    });
    expect(withdrawn.json()).toMatchObject({
      status: 'cancelled',
      events: [{}, { status: 'cancelled', by: 'consumer' }],
    });
    const audit = await db
      .selectFrom('audit_log')
      .select('before')
      .where('action', '=', 'application.status')
      .execute();
    expect(audit).toHaveLength(4);
  });

  it('prints the form as a PDF in the asked language', async () => {
    const [first] = (await a.get('/api/cabinet/applications')).json().items.slice(-1);
    const res = await a.get(`/api/cabinet/applications/${first.id}/pdf?lang=uz-Cyrl`);
    expect(res.headers['content-type']).toBe('application/pdf');
    const path = join(dir, 'form.pdf');
    writeFileSync(path, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    expect(text).toContain(`АРИЗА № ${first.number}`);
    expect(text).toContain('Ҳисоблагични текшириш');
    expect(text).toContain('Shamol MChJ');
    expect(text).toContain('User op.n1');
  });

  it('never shows or changes another consumer’s application', async () => {
    const mine = (await a.get('/api/cabinet/applications')).json().items as { id: string }[];
    expect(mine.length).toBe(4);
    expect((await b.get('/api/cabinet/applications')).json().items).toEqual([]);
    for (const { id } of mine) {
      for (const res of [
        await b.get(`/api/cabinet/applications/${id}`),
        await b.get(`/api/cabinet/applications/${id}/pdf`),
        await b.post(`/api/cabinet/applications/${id}/cancel`),
      ]) {
        expect(res.statusCode).toBe(404);
        expect(res.json().error.code).toBe('UNKNOWN_APPLICATION');
      }
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/cabinet/applications' });
    expect(anonymous.statusCode).toBe(401);
  });
});
