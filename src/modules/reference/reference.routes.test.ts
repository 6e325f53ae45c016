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
import { TEST_ENGINE } from '../../../test/support/db.ts';
import { addDays, type LocalDate, todayInTashkent } from '../../domain/period.ts';

/** The first day after `from` (exclusive) whose weekday is one of `days` (0 = Sunday). */
function nextWeekday(from: LocalDate, days: number[]): LocalDate {
  let d = addDays(from, 1);
  while (!days.includes(new Date(`${d}T00:00:00Z`).getUTCDay())) d = addDays(d, 1);
  return d;
}

describe(`reference lists, calendar and network tree (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let admin: TestSession;
  let operator: TestSession;
  let adminId: bigint;
  const today = todayInTashkent();

  const db = () => t.database.db;
  const call = (s: TestSession, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload }) });
  const audits = (action: string) =>
    db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(db(), 'refdict');
    adminId = await createUser(db(), {
      tenantId: f.tenantId,
      login: 'rd-admin',
      role: 'admin',
      orgUnitId: f.units.company.id,
    });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'rd-op',
      role: 'operator',
      orgUnitId: f.units.n1.id,
    });
    admin = await signIn(t.app, 'rd-admin');
    operator = await signIn(t.app, 'rd-op');
  });
  afterAll(() => t.close());

  describe('holidays', () => {
    const future = nextWeekday(addDays(today, 20), [1, 2, 3, 4, 5]);
    const saturday = nextWeekday(addDays(today, 20), [6]);
    const year = Number(future.slice(0, 4));

    it('adds a future holiday and a transferred Saturday workday, listed by year and audited', async () => {
      const res = await call(admin, 'POST', '/api/reference/holidays', { day: future, name: 'Bayram' });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({
        day: future,
        kind: 'holiday',
        name: 'Bayram',
        past: false,
        createdBy: 'User rd-admin',
      });
      const work = await call(admin, 'POST', '/api/reference/holidays', {
        day: saturday,
        kind: 'workday',
        name: 'Ish kuni (ko‘chirilgan)',
      });
      expect(work.statusCode).toBe(201);
      const list = await call(operator, 'GET', `/api/reference/holidays?year=${year}`);
      expect(list.json().items.map((h: { day: string }) => h.day)).toEqual(
        expect.arrayContaining([future, saturday]),
      );
      const [audit] = await audits('holiday.add');
      expect(audit).toMatchObject({ entity: 'holiday', entity_id: future, actor_id: String(adminId) });
      expect(audit?.after).toEqual({ day: future, kind: 'holiday', name: 'Bayram' });
    });

    it('refuses a day twice, a past day, a weekday as a transferred workday and a malformed date', async () => {
      const cases: [object, number, string][] = [
        [{ day: future, name: 'Again' }, 409, 'HOLIDAY_EXISTS'],
        [{ day: today, name: 'Today' }, 409, 'HOLIDAY_NOT_FUTURE'],
        [{ day: '2026-13-01', name: 'Bad' }, 400, 'INVALID_DATE'],
        [{ day: '1.1.2027', name: 'Bad' }, 400, 'VALIDATION_FAILED'],
        [{ day: addDays(future, 1), name: '' }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const res = await call(admin, 'POST', '/api/reference/holidays', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(status);
        expect(res.json().error.code).toBe(code);
      }
      const weekday = nextWeekday(addDays(today, 40), [3]);
      const res = await call(admin, 'POST', '/api/reference/holidays', {
        day: weekday,
        kind: 'workday',
        name: 'W',
      });
      expect(res.json().error.code).toBe('HOLIDAY_WORKDAY_NOT_WEEKEND');
    });

    it('removes a future day but keeps past ones; operators may not change the calendar', async () => {
      const past = addDays(today, -3);
      await db().insertInto('holiday').values({ tenant_id: f.tenantId, day: past, name: 'Past' }).execute();
      const refused = await call(admin, 'DELETE', `/api/reference/holidays/${past}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('HOLIDAY_NOT_FUTURE');
      expect(
        await db().selectFrom('holiday').select('day').where('day', '=', past).executeTakeFirst(),
      ).toBeDefined();
      expect((await call(operator, 'DELETE', `/api/reference/holidays/${future}`)).statusCode).toBe(403);
      expect(
        (await call(operator, 'POST', '/api/reference/holidays', { day: addDays(future, 2), name: 'X' }))
          .statusCode,
      ).toBe(403);
      const ok = await call(admin, 'DELETE', `/api/reference/holidays/${future}`);
      expect(ok.statusCode).toBe(204);
      expect((await call(admin, 'DELETE', `/api/reference/holidays/${future}`)).statusCode).toBe(404);
      const [audit] = await audits('holiday.remove');
      expect(audit?.before).toEqual({ day: future, kind: 'holiday', name: 'Bayram' });
    });
  });

  describe('banks', () => {
    let bankId: string;

    it('adds banks by 5-digit MFO, searches and sorts them, exports XLSX', async () => {
      const res = await call(admin, 'POST', '/api/reference/banks', { mfo: '00873', name: 'Xalq banki' });
      expect(res.statusCode).toBe(201);
      bankId = res.json().id;
      expect(res.json()).toMatchObject({ mfo: '00873', name: 'Xalq banki', active: true, revision: 1 });
      await call(admin, 'POST', '/api/reference/banks', { mfo: '00014', name: 'Markaziy bank' });
      await call(admin, 'POST', '/api/reference/banks', { mfo: '01158', name: 'Ipoteka bank' });
      const search = await call(operator, 'GET', '/api/reference/banks?q=008');
      expect(search.json()).toMatchObject({ total: 1, items: [{ mfo: '00873', uses: 0 }] });
      const byName = await call(operator, 'GET', '/api/reference/banks?q=bank&sort=name&dir=desc&limit=2');
      expect(byName.json().total).toBe(3);
      expect(byName.json().items.map((b: { name: string }) => b.name)).toEqual([
        'Xalq banki',
        'Markaziy bank',
      ]);
      const xlsx = await call(operator, 'GET', '/api/reference/banks?format=xlsx&lang=ru');
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      const [audit] = await audits('bank.create');
      expect(audit).toMatchObject({ entity_id: '00873', before: null });
      expect(audit?.after).toMatchObject({ mfo: '00873', name: 'Xalq banki' });
    });

    it('refuses a bad MFO, a taken MFO, a stale revision and an empty change', async () => {
      for (const mfo of ['0087', '008730', 'ABCDE']) {
        const res = await call(admin, 'POST', '/api/reference/banks', { mfo, name: 'X' });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
      const taken = await call(admin, 'POST', '/api/reference/banks', { mfo: '00873', name: 'Again' });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error).toMatchObject({ code: 'REFERENCE_CODE_TAKEN', details: { code: '00873' } });
      const renamed = await call(admin, 'PATCH', `/api/reference/banks/${bankId}`, {
        revision: 1,
        name: '"Xalq banki" AT',
      });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).toMatchObject({ name: '"Xalq banki" AT', revision: 2 });
      const stale = await call(admin, 'PATCH', `/api/reference/banks/${bankId}`, {
        revision: 1,
        name: 'Old',
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe('REFERENCE_STALE');
      const empty = await call(admin, 'PATCH', `/api/reference/banks/${bankId}`, { revision: 2 });
      expect(empty.json().error.code).toBe('REFERENCE_NOTHING_TO_CHANGE');
      expect(
        (await call(operator, 'PATCH', `/api/reference/banks/${bankId}`, { revision: 2, name: 'Op' }))
          .statusCode,
      ).toBe(403);
      expect(
        (await call(admin, 'PATCH', '/api/reference/banks/999999', { revision: 1, name: 'N' })).statusCode,
      ).toBe(404);
      const [audit] = await audits('bank.change');
      expect(audit?.before).toMatchObject({ name: 'Xalq banki', revision: 1 });
      expect(audit?.after).toMatchObject({ name: '"Xalq banki" AT', revision: 2 });
    });

    it('deactivates a bank a consumer uses instead of deleting it, and deletes an unused one', async () => {
      await db()
        .updateTable('consumer')
        .set({ bank_mfo: '00873' })
        .where('tenant_id', '=', f.tenantId)
        .execute();
      const used = await call(admin, 'DELETE', `/api/reference/banks/${bankId}`);
      expect(used.statusCode).toBe(409);
      expect(used.json().error).toMatchObject({ code: 'REFERENCE_IN_USE', details: { count: 3 } });
      const off = await call(admin, 'PATCH', `/api/reference/banks/${bankId}`, {
        revision: 2,
        active: false,
      });
      expect(off.json()).toMatchObject({ active: false, revision: 3 });
      expect((await call(admin, 'GET', '/api/reference/banks?active=true')).json().total).toBe(2);
      const unused = (await call(admin, 'GET', '/api/reference/banks?q=01158')).json().items[0].id;
      expect((await call(admin, 'DELETE', `/api/reference/banks/${unused}`)).statusCode).toBe(204);
      expect((await audits('bank.remove'))[0]?.before).toMatchObject({ mfo: '01158' });
      const history = await call(operator, 'GET', '/api/reference/history?entity=bank&id=00873');
      expect(history.json().items.map((h: { action: string }) => h.action)).toEqual([
        'bank.change',
        'bank.change',
        'bank.create',
      ]);
      expect(history.json().items[0]).toMatchObject({ actor: 'User rd-admin', before: { active: true } });
    });
  });

  describe('categories, meter types, payment channels, reason codes', () => {
    it('edits consumer categories and refuses deleting one in use', async () => {
      const res = await call(admin, 'POST', '/api/reference/categories', {
        code: 'POPULATION',
        name: 'Aholi',
        kind: 'household',
      });
      expect(res.statusCode).toBe(201);
      const id = res.json().id as string;
      expect(
        (
          await call(admin, 'POST', '/api/reference/categories', {
            code: 'bad code',
            name: 'X',
            kind: 'legal',
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (await call(admin, 'POST', '/api/reference/categories', { code: 'P2', name: 'X', kind: 'other' }))
          .statusCode,
      ).toBe(400);
      await db()
        .updateTable('consumer')
        .set({ category_id: BigInt(id) })
        .where('tenant_id', '=', f.tenantId)
        .execute();
      const del = await call(admin, 'DELETE', `/api/reference/categories/${id}`);
      expect(del.json().error.code).toBe('REFERENCE_IN_USE');
      const list = await call(operator, 'GET', '/api/reference/categories');
      expect(list.json().items).toEqual([expect.objectContaining({ code: 'POPULATION', uses: 3 })]);
      expect((await audits('consumer_category.create'))[0]?.entity_id).toBe('POPULATION');
    });

    it('edits meter types with digits, accuracy class, registers and remote switch', async () => {
      const res = await call(admin, 'POST', '/api/reference/meter-types', {
        code: 'CE301',
        name: 'Energomera CE301',
        digits: 6,
        accuracyClass: '0.5S',
        registers: ['1.8.1', '1.8.2', '1.8.3'],
        remoteSwitch: true,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        registers: ['1.8.1', '1.8.2', '1.8.3'],
        remoteSwitch: true,
        digits: 6,
      });
      const bad = [
        { digits: 2 },
        { registers: [] },
        { registers: ['1.8.1', '1.8.1'] },
        { registers: ['9.9.9'] },
        { accuracyClass: 'high' },
      ];
      for (const over of bad) {
        const r = await call(admin, 'POST', '/api/reference/meter-types', {
          code: 'X1',
          name: 'X',
          digits: 5,
          registers: ['1.8.0'],
          ...over,
        });
        expect(r.statusCode, JSON.stringify(over)).toBe(400);
      }
      const patched = await call(admin, 'PATCH', `/api/reference/meter-types/${res.json().id}`, {
        revision: 1,
        registers: ['1.8.0', '3.8.0'],
        accuracyClass: null,
      });
      expect(patched.json()).toMatchObject({
        registers: ['1.8.0', '3.8.0'],
        accuracyClass: null,
        revision: 2,
      });
      const row = await db()
        .selectFrom('meter_type')
        .selectAll()
        .where('code', '=', 'CE301')
        .executeTakeFirstOrThrow();
      expect(row.registers).toEqual(['1.8.0', '3.8.0']);
      expect((await audits('meter_type.change'))[0]?.before).toMatchObject({
        registers: ['1.8.1', '1.8.2', '1.8.3'],
      });
    });

    it('adds and deactivates payment channels, which are never deleted', async () => {
      const list = await call(operator, 'GET', '/api/reference/payment-channels?limit=100');
      expect(list.json().items.map((c: { code: string }) => c.code)).toContain('payme');
      const add = await call(admin, 'POST', '/api/reference/payment-channels', {
        code: 'apelsin',
        name: 'Apelsin',
        kind: 'online',
      });
      expect(add.statusCode).toBe(201);
      expect(
        (
          await call(admin, 'POST', '/api/reference/payment-channels', {
            code: 'Bad-Code',
            name: 'X',
            kind: 'online',
          })
        ).statusCode,
      ).toBe(400);
      const off = await call(admin, 'PATCH', '/api/reference/payment-channels/apelsin', {
        revision: 1,
        active: false,
      });
      expect(off.json()).toMatchObject({ code: 'apelsin', active: false, revision: 2 });
      expect((await call(admin, 'DELETE', '/api/reference/payment-channels/apelsin')).statusCode).toBe(404);
    });

    it('adds, changes and deletes reason codes', async () => {
      const add = await call(admin, 'POST', '/api/reference/reason-codes', {
        code: 'DEBT',
        purpose: 'disconnection',
        name: 'Qarzdorlik',
      });
      expect(add.statusCode).toBe(201);
      expect(
        (await call(admin, 'POST', '/api/reference/reason-codes', { code: 'X', purpose: 'whim', name: 'X' }))
          .statusCode,
      ).toBe(400);
      const id = add.json().id as string;
      const change = await call(admin, 'PATCH', `/api/reference/reason-codes/${id}`, {
        revision: 1,
        purpose: 'reconnection',
      });
      expect(change.json()).toMatchObject({ purpose: 'reconnection', revision: 2 });
      expect((await call(operator, 'DELETE', `/api/reference/reason-codes/${id}`)).statusCode).toBe(403);
      expect((await call(admin, 'DELETE', `/api/reference/reason-codes/${id}`)).statusCode).toBe(204);
      expect(await audits('reason_code.remove')).toHaveLength(1);
    });
  });

  describe('network tree', () => {
    type Node = { id: string; kind: string; code: string; depth: number; parentId: string | null };

    it('builds substation → feeder → transformer point in a district, in tree order', async () => {
      const node = (body: Record<string, unknown>) => call(admin, 'POST', '/api/reference/network', body);
      const n1 = String(f.units.n1.id);
      const ps = await node({
        orgUnitId: n1,
        kind: 'substation',
        code: 'PS-110-1',
        name: 'Chilonzor',
        voltage: '110/10 kV',
      });
      expect(ps.statusCode).toBe(201);
      const fd = await node({
        orgUnitId: n1,
        parentId: ps.json().id,
        kind: 'feeder',
        code: 'F-1',
        name: 'Fider 1',
        voltage: '10 kV',
      });
      expect(fd.statusCode).toBe(201);
      const tp = await node({
        orgUnitId: n1,
        parentId: fd.json().id,
        kind: 'transformer',
        code: 'TP-101',
        name: 'TP 101',
        voltage: '10/0.4 kV',
      });
      expect(tp.statusCode).toBe(201);
      const ps2 = await node({
        orgUnitId: String(f.units.s1.id),
        kind: 'substation',
        code: 'PS-35-9',
        name: 'Janub',
      });
      expect(ps2.statusCode).toBe(201);
      await node({ orgUnitId: n1, parentId: ps.json().id, kind: 'feeder', code: 'F-0', name: 'Fider 0' });

      const refused: [Record<string, unknown>, string][] = [
        [{ orgUnitId: n1, kind: 'feeder', code: 'F-9', name: 'No parent' }, 'NETWORK_PARENT_INVALID'],
        [
          { orgUnitId: n1, parentId: ps.json().id, kind: 'transformer', code: 'TP-9', name: 'Skip' },
          'NETWORK_PARENT_INVALID',
        ],
        [
          { orgUnitId: n1, parentId: ps.json().id, kind: 'substation', code: 'PS-9', name: 'Sub' },
          'NETWORK_PARENT_INVALID',
        ],
        [
          {
            orgUnitId: String(f.units.s1.id),
            parentId: ps.json().id,
            kind: 'feeder',
            code: 'F-8',
            name: 'Other',
          },
          'NETWORK_PARENT_INVALID',
        ],
        [
          { orgUnitId: String(f.units.north.id), kind: 'substation', code: 'PS-8', name: 'Region' },
          'NETWORK_DISTRICT_INVALID',
        ],
        [{ orgUnitId: n1, kind: 'substation', code: 'PS-110-1', name: 'Twice' }, 'REFERENCE_CODE_TAKEN'],
        [
          { orgUnitId: n1, kind: 'substation', code: 'PS-7', name: 'Volt', voltage: '110 V' },
          'VALIDATION_FAILED',
        ],
      ];
      for (const [body, code] of refused) {
        const res = await node(body);
        expect(res.json().error?.code, JSON.stringify(body)).toBe(code);
      }
      expect(
        (
          await call(operator, 'POST', '/api/reference/network', {
            orgUnitId: n1,
            kind: 'substation',
            code: 'PS-6',
            name: 'Op',
          })
        ).statusCode,
      ).toBe(403);

      const tree = (await call(admin, 'GET', `/api/reference/network?orgUnitId=${n1}`)).json()
        .items as Node[];
      expect(tree.map((n) => [n.code, n.depth])).toEqual([
        ['PS-110-1', 0],
        ['F-0', 1],
        ['F-1', 1],
        ['TP-101', 2],
      ]);
      // A district operator reads the tree of its own district only.
      const own = (await call(operator, 'GET', '/api/reference/network')).json().items as Node[];
      expect(own.map((n) => n.code)).not.toContain('PS-35-9');
      expect(own).toHaveLength(4);
    });

    it('renames a node at its revision, audited with before and after', async () => {
      const tree = (await call(admin, 'GET', '/api/reference/network')).json().items as (Node & {
        revision: number;
      })[];
      const tp = tree.find((n) => n.code === 'TP-101');
      const res = await call(admin, 'PATCH', `/api/reference/network/${tp?.id}`, {
        revision: 1,
        name: 'TP 101 (Bunyodkor)',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'TP 101 (Bunyodkor)', revision: 2 });
      expect(
        (await call(admin, 'PATCH', `/api/reference/network/${tp?.id}`, { revision: 1, name: 'X' })).json()
          .error.code,
      ).toBe('REFERENCE_STALE');
      const [audit] = await audits('network_node.change');
      expect(audit?.before).toMatchObject({ name: 'TP 101' });
      expect(audit?.after).toMatchObject({ name: 'TP 101 (Bunyodkor)' });
      expect(audit?.org_unit_path).toBe(f.units.n1.path);
    });
  });
});
