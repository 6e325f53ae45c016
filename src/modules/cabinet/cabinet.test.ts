import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
} from '../../../test/support/app.ts';
import { createCabinetContract } from '../../../test/support/cabinet.ts';
import type { DB } from '../../db/schema.ts';

let t: TestApp;
let db: Kysely<DB>;
let org: OrgFixture;

/** A heat consumer with one contract and meter H-<number>. */
async function contract(number: string, inn: string, name: string, unit: bigint): Promise<void> {
  await createCabinetContract(db, {
    tenantId: org.tenantId,
    orgUnitId: unit,
    number,
    inn,
    name,
    commodity: 'heat',
    pointName: 'Boiler room',
    meters: [{ serial: `H-${number}` }],
  });
}

type Session = { cookie: string; csrf: string };

async function login(number: string, password: string, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/cabinet/login',
    payload: { contract: number, password },
    headers,
  });
}

async function session(number: string, password: string): Promise<Session> {
  const res = await login(number, password);
  if (res.statusCode !== 200) throw new Error(`cabinet sign-in of ${number} failed: ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'hisob_cab');
  return { cookie: `hisob_cab=${cookie?.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

const get = (s: Session, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
const post = (s: Session, url: string, payload: object, csrf = true) =>
  t.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { cookie: s.cookie, ...(csrf ? { 'x-csrf-token': s.csrf } : {}) },
  });

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  org = await createOrgFixture(db, 'cab-grid');
  await contract('00017', '301700017', '«Тошкент Иссиқлик» МЧЖ', org.units.n1.id);
  await contract('17', '301700099', 'Seventeen LLC', org.units.s1.id);
  await contract('00042', '304200042', 'Lock Test LLC', org.units.n1.id);
});

afterAll(async () => {
  await t?.close();
});

describe('cabinet sign-in (R6)', () => {
  it('takes the contract number exactly as issued, with the INN as the first password', async () => {
    const ok = await login('00017', '301700017');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ account: '00017', mustChangePassword: true, idleMinutes: 10 });
    // "17" is another contract: 00017's INN does not open it, and unknown numbers answer the same.
    for (const [number, password] of [
      ['17', '301700017'],
      ['0017', '301700017'],
      ['99999', '301700017'],
    ] as const) {
      const refused = await login(number, password);
      expect(refused.statusCode, number).toBe(401);
      expect(refused.json()).toMatchObject({ error: { code: 'AUTH_INVALID_CREDENTIALS' } });
    }
    expect((await login('17', '301700099')).statusCode).toBe(200);
  });

  it('opens nothing but the password change until a new password is set', async () => {
    const s = await session('00017', '301700017');
    const blocked = await get(s, '/api/cabinet/account');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ error: { code: 'AUTH_PASSWORD_CHANGE_REQUIRED' } });
    expect((await get(s, '/api/cabinet/me')).statusCode).toBe(200);

    const weak = await post(s, '/api/cabinet/password', { current: '301700017', next: 'short1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ error: { code: 'AUTH_WEAK_PASSWORD' } });
    const wrongCurrent = await post(s, '/api/cabinet/password', { current: 'nope', next: 'Issiqlik2025yil' });
    expect(wrongCurrent.statusCode).toBe(401);
    const noCsrf = await post(
      s,
      '/api/cabinet/password',
      { current: '301700017', next: 'Issiqlik2025yil' },
      false,
    );
    expect(noCsrf.statusCode).toBe(403);
    const changed = await post(s, '/api/cabinet/password', { current: '301700017', next: 'Issiqlik2025yil' });
    expect(changed.statusCode).toBe(204);

    const account = await get(s, '/api/cabinet/account');
    expect(account.statusCode).toBe(200);
    expect(account.json()).toMatchObject({
      account: '00017',
      commodity: 'heat',
      consumer: { name: '«Тошкент Иссиқлик» МЧЖ', inn: '301700017' },
      meteringPoints: [{ code: 'MP-00017', meters: [{ serial: 'H-00017', registers: ['1.8.0'] }] }],
    });
    // The INN no longer opens the cabinet; the new password does.
    expect((await login('00017', '301700017')).statusCode).toBe(401);
    expect((await login('00017', 'Issiqlik2025yil')).statusCode).toBe(200);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'cabinet.%')
      .execute();
    expect(audit.map((a) => a.action)).toContain('cabinet.password_changed');
  });

  it('locks the cabinet for 15 minutes after 5 wrong passwords, even for the right one', async () => {
    for (let i = 0; i < 4; i++) expect((await login('00042', 'wrong')).statusCode).toBe(401);
    const locked = await login('00042', 'wrong', { 'accept-language': 'ru' });
    expect(locked.statusCode).toBe(423);
    expect(locked.json()).toMatchObject({ error: { code: 'AUTH_LOCKED' } });
    expect((await login('00042', '304200042')).statusCode).toBe(423);
    await db
      .updateTable('cabinet_account')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .execute();
    expect((await login('00042', '304200042')).statusCode).toBe(200);
  });

  it('signs out after 10 idle minutes, and on logout', async () => {
    const s = await session('17', '301700099');
    expect((await get(s, '/api/cabinet/me')).statusCode).toBe(200);
    await db
      .updateTable('cabinet_session')
      .set({ last_seen_at: new Date(Date.now() - 11 * 60_000) })
      .where('id', 'is not', null)
      .execute();
    const idle = await get(s, '/api/cabinet/me');
    expect(idle.statusCode).toBe(401);
    expect(idle.json()).toMatchObject({ error: { code: 'AUTH_SESSION_EXPIRED' } });

    const again = await session('17', '301700099');
    expect((await post(again, '/api/cabinet/logout', {})).statusCode).toBe(204);
    expect((await get(again, '/api/cabinet/me')).statusCode).toBe(401);
  });

  it('keeps staff and consumer sessions apart', async () => {
    await createUser(db, {
      tenantId: org.tenantId,
      login: 'cab.admin',
      role: 'admin',
      orgUnitId: org.units.company.id,
    });
    const staff = await signIn(t.app, 'cab.admin');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/cabinet/me', headers: staff.headers })).statusCode,
    ).toBe(401);
    const consumer = await session('00017', 'Issiqlik2025yil');
    expect((await get(consumer, '/api/auth/me')).statusCode).toBe(401);
    expect((await get(consumer, '/api/consumers')).statusCode).toBe(401);
  });

  it('gives the consumer their own contract as a PDF in the asked language', async () => {
    const s = await session('00017', 'Issiqlik2025yil');
    const res = await get(s, '/api/cabinet/contract?lang=ru');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'hisob-contract-'));
    writeFileSync(join(dir, 'c.pdf'), res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('ДОГОВОР ТЕПЛОСНАБЖЕНИЯ № 00017');
    expect(text).toContain('«Тошкент Иссиқлик» МЧЖ');
    expect(text).toContain('H-00017');
    expect(text).not.toContain('H-17');
    expect(text).toMatch(/пеня 0,1 %/);
    const other = await session('17', '301700099');
    expect((await get(other, '/api/cabinet/contract')).statusCode).toBe(403); // first password not changed yet
  });

  it('asks which supplier when the number exists at two, and signs in at the one chosen', async () => {
    const other = await createOrgFixture(db, 'cab-heat');
    await createCabinetContract(db, {
      tenantId: other.tenantId,
      orgUnitId: other.units.n1.id,
      number: '00042',
      inn: '309900042',
      name: 'Twin number LLC',
    });
    // From another address: this file's sign-ins have used the per-address rate limit already.
    const remoteAddress = '10.9.9.9';
    const ambiguous = await t.app.inject({
      method: 'POST',
      url: '/api/cabinet/login',
      payload: { contract: '00042', password: '309900042' },
      remoteAddress,
    });
    expect(ambiguous.statusCode).toBe(409);
    expect(ambiguous.json()).toMatchObject({ error: { code: 'CABINET_SUPPLIER_REQUIRED' } });
    const suppliers = (await t.app.inject({ method: 'GET', url: '/api/cabinet/suppliers' })).json();
    expect(suppliers.items.map((x: { code: string }) => x.code).sort()).toEqual(['cab-grid', 'cab-heat']);
    const chosen = await t.app.inject({
      method: 'POST',
      url: '/api/cabinet/login',
      payload: { contract: '00042', password: '309900042', supplier: 'cab-heat' },
      remoteAddress,
    });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json()).toMatchObject({ account: '00042', consumerName: 'Twin number LLC' });
    // The other supplier's 00042 does not open with this INN.
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/cabinet/login',
      payload: { contract: '00042', password: '309900042', supplier: 'cab-grid' },
      remoteAddress,
    });
    expect(wrong.statusCode).toBe(401);
  });
});
