import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgFixture,
  createTestApp,
  createUser,
  type OrgFixture,
  signIn,
  TEST_PASSWORD,
  type TestApp,
} from '../../../test/support/app.ts';
import { TEST_ENGINE } from '../../../test/support/db.ts';
import { LOCK_MINUTES, MAX_FAILED_ATTEMPTS } from './auth.service.ts';

describe(`staff sign-in and sessions (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(t.database.db);
    await createUser(t.database.db, {
      tenantId: f.tenantId,
      login: 'op.n1',
      role: 'operator',
      orgUnitId: f.units.n1.id,
    });
    await createUser(t.database.db, {
      tenantId: f.tenantId,
      login: 'victim',
      role: 'clerk',
      orgUnitId: f.units.n1.id,
    });
    await createUser(t.database.db, {
      tenantId: f.tenantId,
      login: 'newbie',
      role: 'clerk',
      orgUnitId: f.units.n2.id,
      mustChangePassword: true,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in with the right password: HTTP-only SameSite cookie, user, roles and a CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'OP.N1', password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'hisob_sid');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    const body = res.json();
    expect(body.user).toMatchObject({
      login: 'op.n1',
      roles: ['operator'],
      orgUnit: { id: String(f.units.n1.id) },
    });
    expect(body.user.permissions).toContain('reading.confirm');
    expect(body.user.permissions).not.toContain('user.write');
    expect(body.csrfToken).toMatch(/\S{20,}/);
  });

  it('refuses a wrong password with a machine code and a message in the caller’s language', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'op.n1', password: 'wrong-password-1' },
      headers: { 'accept-language': 'ru-RU,ru;q=0.9' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      error: { code: 'AUTH_INVALID_CREDENTIALS', message: 'Неверный логин или пароль' },
    });
    const uz = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'nobody', password: 'x' },
      cookies: { hisob_lang: 'uz-Cyrl' },
    });
    expect(uz.json().error).toEqual({ code: 'AUTH_INVALID_CREDENTIALS', message: 'Логин ёки парол нотўғри' });
  });

  it('rejects malformed input with VALIDATION_FAILED and applies nothing', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: '' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      body: '{"login": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_JSON');
  });

  it(`locks the user for ${LOCK_MINUTES} minutes after ${MAX_FAILED_ATTEMPTS} failures, even for the right password`, async () => {
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: 'victim', password: `bad-${i}` },
      });
      expect(res.statusCode).toBe(401);
    }
    const locking = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'victim', password: 'bad-5' },
    });
    expect(locking.statusCode).toBe(423);
    expect(locking.json().error.code).toBe('AUTH_LOCKED');
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'victim', password: TEST_PASSWORD },
      headers: { 'accept-language': 'en' },
    });
    expect(right.statusCode).toBe(423);
    expect(right.json().error.message).toMatch(/locked for 1[45] minutes/);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('entity', '=', 'app_user')
      .where('action', 'in', ['auth.login_failed', 'auth.locked'])
      .execute();
    expect(audit.filter((a) => a.action === 'auth.locked')).toHaveLength(1);
  });

  it('answers /me only with a session and ends the session on logout (which needs the CSRF token)', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const s = await signIn(t.app, 'op.n1');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.login).toBe('op.n1');

    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: s.cookie },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('CSRF_INVALID');
    const other = await signIn(t.app, 'op.n1');
    const wrongToken = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: s.cookie, 'x-csrf-token': other.csrfToken },
    });
    expect(wrongToken.statusCode).toBe(403);

    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('AUTH_REQUIRED');
  });

  it('expires an idle session', async () => {
    const s = await signIn(t.app, 'op.n1');
    await t.database.db
      .updateTable('user_session')
      .set({ last_seen_at: new Date(Date.now() - 3 * 3_600_000) })
      .where(
        'user_id',
        '=',
        (
          await t.database.db
            .selectFrom('app_user')
            .select('id')
            .where('login', '=', 'op.n1')
            .executeTakeFirstOrThrow()
        ).id,
      )
      .execute();
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_SESSION_EXPIRED');
  });

  it('lets a user with a given password do nothing but change it, then everything the role allows', async () => {
    const s = await signIn(t.app, 'newbie');
    const blocked = await t.app.inject({ method: 'GET', url: '/api/consumers', headers: s.headers });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');

    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: s.headers,
      payload: { current: TEST_PASSWORD, next: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('AUTH_WEAK_PASSWORD');

    const wrongCurrent = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: s.headers,
      payload: { current: 'not-it-123', next: 'a-much-better-pass-42' },
    });
    expect(wrongCurrent.statusCode).toBe(401);

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: s.headers,
      payload: { current: TEST_PASSWORD, next: 'a-much-better-pass-42' },
    });
    expect(ok.statusCode).toBe(204);
    const now = await t.app.inject({ method: 'GET', url: '/api/consumers', headers: s.headers });
    expect(now.statusCode).toBe(200);
    await signIn(t.app, 'newbie', 'a-much-better-pass-42');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'auth.password_changed')
      .executeTakeFirstOrThrow();
    expect(audit.before).toEqual({ must_change_password: true });
    expect(JSON.stringify(audit)).not.toContain('argon2');
  });
});
