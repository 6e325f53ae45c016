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
import { cabinetClient, createCabinetContract } from '../../../test/support/cabinet.ts';
import type { DB } from '../../db/schema.ts';

let t: TestApp;
let db: Kysely<DB>;
let org: OrgFixture;

const login = (contract: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/cabinet/login', payload: { contract, password } });
const recover = (payload: object, remoteAddress = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/cabinet/recovery', payload, remoteAddress });

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  org = await createOrgFixture(db, 'rec-grid');
  await createCabinetContract(db, {
    tenantId: org.tenantId,
    orgUnitId: org.units.n1.id,
    number: '00501',
    inn: '305010501',
    name: 'Unutuvchan MChJ',
  });
  await createUser(db, {
    tenantId: org.tenantId,
    login: 'rec.n1',
    role: 'operator',
    orgUnitId: org.units.n1.id,
  });
  await createUser(db, {
    tenantId: org.tenantId,
    login: 'rec.s1',
    role: 'operator',
    orgUnitId: org.units.s1.id,
  });
});

afterAll(async () => {
  await t?.close();
});

describe('cabinet password recovery (R6)', () => {
  it('restores the INN as the password once staff of the district confirm, and forces a new one again', async () => {
    await cabinetClient(t.app, '00501', '305010501'); // sets Yangi305010501parol
    expect((await login('00501', '305010501')).statusCode).toBe(401);

    // The same answer for a wrong INN or an unknown contract: nothing to probe.
    for (const payload of [
      { contract: '00501', inn: '305010599', contact: '+998712345678' },
      { contract: '99999', inn: '305010501', contact: '+998712345678' },
      { contract: '00501', inn: '305010501', contact: '+998712345678, Aziz' },
      { contract: '00501', inn: '305010501', contact: 'again' }, // one open request per contract
    ]) {
      const res = await recover(payload);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ accepted: true });
    }
    expect((await recover({ contract: '00501', inn: 'abc', contact: 'x' })).statusCode).toBe(400);
    expect((await recover({ contract: '00501', inn: '305010501', contact: 'x@y.uz' })).statusCode).toBe(429);

    const other = await signIn(t.app, 'rec.s1');
    const none = await t.app.inject({
      method: 'GET',
      url: '/api/cabinet-recoveries',
      headers: other.headers,
    });
    expect(none.json().items).toEqual([]);
    const staff = await signIn(t.app, 'rec.n1');
    const inbox = (
      await t.app.inject({ method: 'GET', url: '/api/cabinet-recoveries', headers: staff.headers })
    ).json();
    expect(inbox.items).toHaveLength(1);
    expect(inbox.items[0]).toMatchObject({
      account: '00501',
      contact: '+998712345678, Aziz',
      status: 'requested',
    });
    const id = inbox.items[0].id;

    const decide = (headers: Record<string, string>, confirm: boolean) =>
      t.app.inject({
        method: 'POST',
        url: `/api/cabinet-recoveries/${id}/decision`,
        headers,
        payload: { confirm },
      });
    expect((await decide(other.headers, true)).statusCode).toBe(404); // another district
    expect((await login('00501', '305010501')).statusCode).toBe(401); // nothing changed yet
    expect((await decide(staff.headers, true)).statusCode).toBe(204);
    expect((await decide(staff.headers, false)).json().error.code).toBe('RECOVERY_DECIDED');

    const again = await login('00501', '305010501');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ mustChangePassword: true });
    expect((await login('00501', 'Yangi305010501parol')).statusCode).toBe(401);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'cabinet.recovery%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['cabinet.recovery_requested', 'cabinet.recovery_confirmed']);
  });

  it('unlocks a locked cabinet when confirmed', async () => {
    for (let i = 0; i < 5; i++) await login('00501', `wrong-${i}`);
    expect((await login('00501', '305010501')).statusCode).toBe(423);
    await recover({ contract: '00501', inn: '305010501', contact: 'info@example.uz' }, '10.0.0.2');
    const staff = await signIn(t.app, 'rec.n1');
    const [open] = (
      await t.app.inject({
        method: 'GET',
        url: '/api/cabinet-recoveries?status=requested',
        headers: staff.headers,
      })
    ).json().items;
    await t.app.inject({
      method: 'POST',
      url: `/api/cabinet-recoveries/${open.id}/decision`,
      headers: staff.headers,
      payload: { confirm: true, note: 'Telefon orqali tasdiqlandi' },
    });
    expect((await login('00501', '305010501')).statusCode).toBe(200);
  });
});
