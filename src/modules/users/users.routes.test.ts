import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgFixture,
  createTestApp,
  createUser,
  type OrgFixture,
  signIn,
  TEST_PASSWORD,
  type TestApp,
  type TestSession,
} from '../../../test/support/app.ts';
import { TEST_ENGINE } from '../../../test/support/db.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
type UserJson = {
  id: string;
  login: string;
  status: string;
  pinfl: string | null;
  manageable: boolean;
  roles: { role: string; orgUnitId: string }[];
};

describe(`staff administration: users (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let admin: TestSession;
  let northAdmin: TestSession;
  let analyst: TestSession;
  let operator: TestSession;
  const ids: Record<string, bigint> = {};

  const db = () => t.database.db;
  const call = (s: TestSession | null, method: Method, url: string, payload?: object) =>
    t.app.inject({ method, url, headers: s?.headers ?? {}, ...(payload === undefined ? {} : { payload }) });
  const audits = (action: string, entityId: bigint | string) =>
    db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .where('entity_id', '=', String(entityId))
      .orderBy('id')
      .execute();
  const grantsOf = async (userId: bigint) =>
    (
      await db()
        .selectFrom('user_role')
        .select(['role_code', 'org_unit_id'])
        .where('user_id', '=', userId)
        .orderBy('role_code')
        .execute()
    ).map((g) => `${g.role_code}@${g.org_unit_id}`);
  const logins = async (s: TestSession, query = '') => {
    const res = await call(s, 'GET', `/api/users?limit=100${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as UserJson[]).map((u) => u.login);
  };

  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(db(), 'usr');
    const u = f.units;
    const add = async (login: string, role: Parameters<typeof createUser>[1]['role'], at: bigint) => {
      ids[login] = await createUser(db(), { tenantId: f.tenantId, login, role, orgUnitId: at });
    };
    await add('u.admin', 'admin', u.company.id);
    await add('u.nadmin', 'admin', u.north.id);
    await add('u.analyst', 'analyst', u.company.id);
    await add('u.op.n1', 'operator', u.n1.id);
    await add('u.op.s1', 'operator', u.s1.id);
    await add('u.mixed', 'clerk', u.n1.id);
    await db()
      .insertInto('user_role')
      .values({ user_id: ids['u.mixed'] ?? 0n, role_code: 'clerk', org_unit_id: u.s1.id })
      .execute();
    await db()
      .updateTable('app_user')
      .set({ pinfl: '30101850000011' })
      .where('login', '=', 'u.op.n1')
      .execute();
    const other = await createOrgFixture(db(), 'usr-other');
    ids['x.admin'] = await createUser(db(), {
      tenantId: other.tenantId,
      login: 'x.admin',
      role: 'admin',
      orgUnitId: other.units.company.id,
    });
    admin = await signIn(t.app, 'u.admin');
    northAdmin = await signIn(t.app, 'u.nadmin');
    analyst = await signIn(t.app, 'u.analyst');
    operator = await signIn(t.app, 'u.op.n1');
  });
  afterAll(() => t.close());

  describe('the users table', () => {
    it('pages and sorts the users of the scope with the total, PINFL, sign-in and creation times', async () => {
      const res = await call(admin, 'GET', '/api/users?limit=2&sort=login&dir=desc');
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.total).toBe(6);
      expect(page.items.map((u: UserJson) => u.login)).toEqual(['u.op.s1', 'u.op.n1']);
      expect(page.items[1]).toMatchObject({
        pinfl: '30101850000011',
        status: 'active',
        manageable: true,
        roles: [{ role: 'operator', orgUnitId: String(f.units.n1.id), orgUnitName: 'Unit usr-N1' }],
      });
      expect(page.items[1].lastLoginAt).toMatch(/^\d{4}-\d{2}-\d{2}T/); // signed in above
      expect(page.items[0].lastLoginAt).toBeNull();
      expect(page.items[0].createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      const next = await call(admin, 'GET', '/api/users?limit=2&offset=2&sort=login&dir=desc');
      expect(next.json().items.map((u: UserJson) => u.login)).toEqual(['u.nadmin', 'u.mixed']);
    });

    it('filters by text, role, unit (with its subtree) and status', async () => {
      expect(await logins(admin, '&q=OP.')).toEqual(['u.op.n1', 'u.op.s1']);
      expect(await logins(admin, '&q=User u.mix')).toEqual(['u.mixed']);
      expect(await logins(admin, '&q=30101850000011')).toEqual(['u.op.n1']);
      expect(await logins(admin, '&role=admin')).toEqual(['u.admin', 'u.nadmin']);
      expect(await logins(admin, `&orgUnitId=${f.units.north.id}`)).toEqual([
        'u.mixed',
        'u.nadmin',
        'u.op.n1',
      ]);
      expect(await logins(admin, `&orgUnitId=${f.units.north.id}&role=operator`)).toEqual(['u.op.n1']);
      expect(await logins(admin, `&orgUnitId=${f.units.s1.id}`)).toEqual(['u.mixed', 'u.op.s1']);
      expect(await logins(admin, '&status=blocked')).toEqual([]);
      expect(await logins(admin, '&q=%_')).toEqual([]);
    });

    it('shows a region admin the users with a grant in its region, and only those it may manage as such', async () => {
      const res = await call(northAdmin, 'GET', '/api/users?limit=100');
      const items = res.json().items as UserJson[];
      expect(items.map((u) => u.login)).toEqual(['u.mixed', 'u.nadmin', 'u.op.n1']);
      expect(items.find((u) => u.login === 'u.mixed')?.manageable).toBe(false); // also a clerk in the south
      expect(items.find((u) => u.login === 'u.op.n1')?.manageable).toBe(true);
      const analystView = await call(analyst, 'GET', '/api/users?limit=100');
      expect((analystView.json().items as UserJson[]).every((u) => !u.manageable)).toBe(true);
    });

    it('refuses a unit outside the scope, an unknown unit, bad parameters and callers without user.read', async () => {
      const outside = await call(northAdmin, 'GET', `/api/users?orgUnitId=${f.units.s1.id}`);
      expect(outside.statusCode).toBe(403);
      expect(outside.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
      const unknown = await call(admin, 'GET', '/api/users?orgUnitId=999999');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('NOT_FOUND');
      for (const q of ['status=disabled', 'role=boss', 'sort=password', 'limit=0']) {
        const bad = await call(admin, 'GET', `/api/users?${q}`);
        expect(bad.statusCode, q).toBe(400);
        expect(bad.json().error.code).toBe('VALIDATION_FAILED');
      }
      const op = await call(operator, 'GET', '/api/users');
      expect(op.statusCode).toBe(403);
      expect(op.json().error.code).toBe('AUTH_FORBIDDEN');
      expect((await call(null, 'GET', '/api/users')).statusCode).toBe(401);
    });

    it('exports the whole filtered list as XLSX with headers, roles and statuses in the asked language', async () => {
      const res = await call(
        admin,
        'GET',
        `/api/users?format=xlsx&lang=ru&orgUnitId=${f.units.north.id}&limit=1`,
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const [sheet] = await readXlsxFile(res.rawPayload);
      expect(sheet?.sheet).toBe('Пользователи');
      expect(sheet?.data[0]).toEqual([
        'Логин',
        'ФИО',
        'ПИНФЛ',
        'Роли и подразделения',
        'Состояние',
        'Язык',
        'Последний вход',
        'Создан',
      ]);
      expect(sheet?.data).toHaveLength(4);
      const row = sheet?.data.find((r) => r[0] === 'u.op.n1');
      expect(row?.slice(2, 5)).toEqual(['30101850000011', 'Оператор биллинга · Unit usr-N1', 'Активен']);
    });

    it('shows one user to those who see it, and no user outside the scope or the supplier', async () => {
      const one = await call(analyst, 'GET', `/api/users/${ids['u.op.s1']}`);
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({ login: 'u.op.s1', manageable: false });
      for (const id of [ids['u.op.s1'], ids['x.admin'], 999999n]) {
        const res = await call(northAdmin, 'GET', `/api/users/${id}`);
        expect(res.statusCode).toBe(404);
        expect(res.json().error.code).toBe('USER_NOT_FOUND');
      }
    });
  });

  describe('creating a user', () => {
    it('makes a temporary password when none is given, answers it once and forces a change', async () => {
      const res = await call(admin, 'POST', '/api/users', {
        login: 'New.Operator',
        fullName: 'Yangi Operator',
        pinfl: '30101850000022',
        locale: 'ru',
        roles: [{ role: 'operator', orgUnitId: String(f.units.n2.id) }],
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const { id, temporaryPassword } = res.json() as { id: string; temporaryPassword: string };
      expect(temporaryPassword).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
      const session = await signIn(t.app, 'new.operator', temporaryPassword);
      const me = await call(session, 'GET', '/api/auth/me');
      expect(me.json().user).toMatchObject({ login: 'new.operator', mustChangePassword: true, locale: 'ru' });
      const [audit] = await audits('user.create', id);
      expect(audit?.after).toMatchObject({ login: 'new.operator', pinfl: '30101850000022' });
      expect(JSON.stringify([audit?.before, audit?.after])).not.toContain(temporaryPassword);
      const given = await call(admin, 'POST', '/api/users', {
        login: 'given.pass',
        fullName: 'Given',
        password: 'given-pass-2025',
        roles: [{ role: 'clerk', orgUnitId: String(f.units.n2.id) }],
      });
      expect(given.statusCode).toBe(201);
      expect(given.json().temporaryPassword).toBeUndefined();
    });

    it('refuses a PINFL of another user or of the wrong shape, and creates nothing then', async () => {
      const body = (pinfl: string, login: string) => ({
        login,
        fullName: 'Dup',
        pinfl,
        roles: [{ role: 'clerk', orgUnitId: String(f.units.n1.id) }],
      });
      const taken = await call(admin, 'POST', '/api/users', body('30101850000011', 'dup.pinfl'));
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error).toMatchObject({
        code: 'USER_PINFL_TAKEN',
        details: { pinfl: '30101850000011' },
      });
      const short = await call(admin, 'POST', '/api/users', body('3010185', 'short.pinfl'));
      expect(short.statusCode).toBe(400);
      const none = await db()
        .selectFrom('app_user')
        .select('id')
        .where('login', 'in', ['dup.pinfl', 'short.pinfl'])
        .execute();
      expect(none).toEqual([]);
    });
  });

  describe('changing a user', () => {
    it('changes name, language and PINFL with the fields before and after in the audit', async () => {
      const id = ids['u.op.n1'];
      const res = await call(northAdmin, 'PATCH', `/api/users/${id}`, {
        fullName: 'Karimov Anvar',
        locale: 'uz-Cyrl',
        pinfl: '30101850000033',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        fullName: 'Karimov Anvar',
        locale: 'uz-Cyrl',
        pinfl: '30101850000033',
      });
      const [audit] = await audits('user.change', id ?? 0n);
      expect(audit?.before).toEqual({ full_name: 'User u.op.n1', locale: 'uz', pinfl: '30101850000011' });
      expect(audit?.after).toEqual({
        full_name: 'Karimov Anvar',
        locale: 'uz-Cyrl',
        pinfl: '30101850000033',
      });
      expect(audit?.actor_id).toBe(String(ids['u.nadmin']));
      // The same values again change nothing and write nothing.
      await call(northAdmin, 'PATCH', `/api/users/${id}`, { fullName: 'Karimov Anvar' });
      expect(await audits('user.change', id ?? 0n)).toHaveLength(1);
      const cleared = await call(admin, 'PATCH', `/api/users/${id}`, { pinfl: null });
      expect(cleared.json().pinfl).toBeNull();
    });

    it('refuses a taken PINFL, an empty or malformed change, and changes outside the scope', async () => {
      const taken = await call(admin, 'PATCH', `/api/users/${ids['u.op.s1']}`, { pinfl: '30101850000022' });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error.code).toBe('USER_PINFL_TAKEN');
      for (const body of [
        {},
        { status: 'disabled' },
        { locale: 'de' },
        { fullName: ' ' },
        { pinfl: '1234' },
      ]) {
        const res = await call(admin, 'PATCH', `/api/users/${ids['u.op.s1']}`, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
      }
      const mixed = await call(northAdmin, 'PATCH', `/api/users/${ids['u.mixed']}`, { fullName: 'X' });
      expect(mixed.statusCode).toBe(403);
      expect(mixed.json().error.code).toBe('USER_OUT_OF_SCOPE');
      const south = await call(northAdmin, 'PATCH', `/api/users/${ids['u.op.s1']}`, { fullName: 'X' });
      expect(south.statusCode).toBe(404);
      const head = await call(northAdmin, 'PATCH', `/api/users/${ids['u.admin']}`, { fullName: 'X' });
      expect(head.statusCode).toBe(404);
      const byAnalyst = await call(analyst, 'PATCH', `/api/users/${ids['u.op.s1']}`, { fullName: 'X' });
      expect(byAnalyst.json().error.code).toBe('AUTH_FORBIDDEN');
      const names = await db()
        .selectFrom('app_user')
        .select('full_name')
        .where('id', 'in', [ids['u.mixed'] ?? 0n, ids['u.op.s1'] ?? 0n])
        .execute();
      expect(names.map((n) => n.full_name).sort()).toEqual(['User u.mixed', 'User u.op.s1']);
    });

    it('blocks a user: the sessions end at once, sign-in is refused until unblocked', async () => {
      const id = ids['u.op.s1'] ?? 0n;
      const victim = await signIn(t.app, 'u.op.s1');
      expect((await call(victim, 'GET', '/api/auth/me')).statusCode).toBe(200);
      const res = await call(admin, 'PATCH', `/api/users/${id}`, { status: 'blocked' });
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe('blocked');
      expect((await call(victim, 'GET', '/api/auth/me')).statusCode).toBe(401);
      expect(await db().selectFrom('user_session').select('id').where('user_id', '=', id).execute()).toEqual(
        [],
      );
      const again = await call(null, 'POST', '/api/auth/login', {
        login: 'u.op.s1',
        password: TEST_PASSWORD,
      });
      expect(again.statusCode).toBe(403);
      expect(again.json().error.code).toBe('AUTH_USER_DISABLED');
      const [audit] = await audits('user.block', id);
      expect(audit?.before).toEqual({ status: 'active' });
      expect(audit?.after).toEqual({ status: 'blocked', sessions_ended: 1 });
      expect(await logins(admin, '&status=blocked')).toEqual(['u.op.s1']);

      const back = await call(admin, 'PATCH', `/api/users/${id}`, { status: 'active' });
      expect(back.json().status).toBe('active');
      expect(await audits('user.unblock', id)).toHaveLength(1);
      await signIn(t.app, 'u.op.s1');
    });

    it('refuses blocking yourself', async () => {
      const res = await call(admin, 'PATCH', `/api/users/${ids['u.admin']}`, { status: 'blocked' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('USER_SELF_BLOCK');
      expect((await call(admin, 'GET', '/api/auth/me')).statusCode).toBe(200);
      // Changing your own name is fine.
      expect((await call(admin, 'PATCH', `/api/users/${ids['u.admin']}`, { locale: 'en' })).statusCode).toBe(
        200,
      );
    });
  });

  describe('grants', () => {
    it('replaces the grants; the user’s open session works with the new ones at once', async () => {
      const id = ids['u.op.n1'] ?? 0n;
      const before = await call(operator, 'GET', `/api/consumers?orgUnitId=${f.units.n2.id}`);
      expect(before.statusCode).toBe(403);
      const res = await call(northAdmin, 'PUT', `/api/users/${id}/roles`, {
        roles: [
          { role: 'operator', orgUnitId: String(f.units.north.id) },
          { role: 'inspector', orgUnitId: String(f.units.n1.id) },
          { role: 'inspector', orgUnitId: String(f.units.n1.id) },
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as UserJson).roles.map((r) => r.role)).toEqual(['operator', 'inspector']);
      expect(await grantsOf(id)).toEqual([`inspector@${f.units.n1.id}`, `operator@${f.units.north.id}`]);
      const after = await call(operator, 'GET', `/api/consumers?orgUnitId=${f.units.n2.id}`);
      expect(after.statusCode).toBe(200);
      expect(after.json().total).toBe(1);
      const [audit] = await audits('user.roles', id);
      expect(audit?.before).toEqual({ roles: [{ role: 'operator', orgUnitId: String(f.units.n1.id) }] });
      expect(audit?.org_unit_path).toBe(f.units.north.path);
    });

    it('refuses grants outside the scope or at unknown units, and never applies half of them', async () => {
      const id = ids['u.op.n1'] ?? 0n;
      const before = await grantsOf(id);
      const outside = await call(northAdmin, 'PUT', `/api/users/${id}/roles`, {
        roles: [
          { role: 'clerk', orgUnitId: String(f.units.n2.id) },
          { role: 'clerk', orgUnitId: String(f.units.s1.id) },
        ],
      });
      expect(outside.statusCode).toBe(403);
      expect(outside.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
      const unknown = await call(admin, 'PUT', `/api/users/${id}/roles`, {
        roles: [{ role: 'clerk', orgUnitId: '999999' }],
      });
      expect(unknown.statusCode).toBe(404);
      for (const body of [{ roles: [] }, { roles: [{ role: 'boss', orgUnitId: '1' }] }, {}]) {
        expect((await call(admin, 'PUT', `/api/users/${id}/roles`, body)).statusCode).toBe(400);
      }
      expect(await grantsOf(id)).toEqual(before);
    });

    it('refuses removing your own last admin grant, but lets you move it', async () => {
      const id = ids['u.nadmin'] ?? 0n;
      const res = await call(northAdmin, 'PUT', `/api/users/${id}/roles`, {
        roles: [{ role: 'operator', orgUnitId: String(f.units.north.id) }],
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('USER_SELF_LAST_ADMIN');
      expect(await grantsOf(id)).toEqual([`admin@${f.units.north.id}`]);
      const kept = await call(northAdmin, 'PUT', `/api/users/${id}/roles`, {
        roles: [
          { role: 'admin', orgUnitId: String(f.units.north.id) },
          { role: 'analyst', orgUnitId: String(f.units.north.id) },
        ],
      });
      expect(kept.statusCode).toBe(200);
    });
  });

  describe('password reset', () => {
    it('sets a temporary password shown once, lifts a lock, ends the sessions and forces a change', async () => {
      const id = ids['u.mixed'] ?? 0n;
      const victim = await signIn(t.app, 'u.mixed');
      await db()
        .updateTable('app_user')
        .set({ locked_until: new Date(Date.now() + 600_000), failed_attempts: 0 })
        .where('id', '=', id)
        .execute();
      const res = await call(admin, 'POST', `/api/users/${id}/password-reset`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const { temporaryPassword } = res.json() as { temporaryPassword: string };
      expect((await call(victim, 'GET', '/api/auth/me')).statusCode).toBe(401);
      const old = await call(null, 'POST', '/api/auth/login', { login: 'u.mixed', password: TEST_PASSWORD });
      expect(old.statusCode).toBe(401);
      const fresh = await signIn(t.app, 'u.mixed', temporaryPassword);
      expect((await call(fresh, 'GET', '/api/consumers')).json().error.code).toBe(
        'AUTH_PASSWORD_CHANGE_REQUIRED',
      );
      const changed = await call(fresh, 'POST', '/api/auth/password', {
        current: temporaryPassword,
        next: 'my-own-pass-2025',
      });
      expect(changed.statusCode, changed.body).toBe(204);
      const [audit] = await audits('user.password_reset', id);
      expect(audit?.after).toEqual({ must_change_password: true, locked_until: null, sessions_ended: 1 });
      expect(JSON.stringify([audit?.before, audit?.after])).not.toContain(temporaryPassword);
    });

    it('refuses resetting your own password and a user outside the scope', async () => {
      const self = await call(admin, 'POST', `/api/users/${ids['u.admin']}/password-reset`);
      expect(self.statusCode).toBe(409);
      expect(self.json().error.code).toBe('USER_SELF_PASSWORD_RESET');
      const mixed = await call(northAdmin, 'POST', `/api/users/${ids['u.mixed']}/password-reset`);
      expect(mixed.statusCode).toBe(403);
      expect(mixed.json().error.code).toBe('USER_OUT_OF_SCOPE');
      const other = await call(admin, 'POST', `/api/users/${ids['x.admin']}/password-reset`);
      expect(other.statusCode).toBe(404);
      expect(await audits('user.password_reset', ids['u.admin'] ?? 0n)).toEqual([]);
    });
  });
});
