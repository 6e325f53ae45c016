import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgFixture,
  createTestApp,
  createUser,
  type OrgFixture,
  signIn,
  type TestApp,
} from '../../test/support/app.ts';
import { TEST_ENGINE } from '../../test/support/db.ts';
import { PERMISSIONS, ROLES, type RoleCode } from '../modules/auth/permissions.ts';
import { installAccessControl } from './access-control.ts';

describe(`access by role and org unit (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let other: OrgFixture;
  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(t.database.db, 'grid');
    other = await createOrgFixture(t.database.db, 'heat');
    const at: Record<RoleCode, bigint> = {
      admin: f.units.company.id,
      analyst: f.units.company.id,
      accountant: f.units.north.id,
      lawyer: f.units.north.id,
      operator: f.units.n1.id,
      inspector: f.units.n1.id,
      clerk: f.units.n2.id,
    };
    for (const role of ROLES) {
      await createUser(t.database.db, { tenantId: f.tenantId, login: role, role, orgUnitId: at[role] });
    }
    await createUser(t.database.db, {
      tenantId: f.tenantId,
      login: 'admin.north',
      role: 'admin',
      orgUnitId: f.units.north.id,
    });
    await createUser(t.database.db, {
      tenantId: other.tenantId,
      login: 'other.admin',
      role: 'admin',
      orgUnitId: other.units.company.id,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses to start when an API route declares no access rule', async () => {
    const bare = Fastify();
    await bare.register(cookie);
    installAccessControl(bare, {
      db: t.database.db,
      policy: { idleMinutes: 1, maxHours: 1 },
      cookieSecure: false,
    });
    expect(() => bare.get('/api/forgotten', async () => ({ secret: true }))).toThrow(
      /declares no access rule/,
    );
    expect(() =>
      bare.get('/api/fine', { config: { permission: 'audit.read' } }, async () => ({})),
    ).not.toThrow();
    await bare.close();
  });

  it('has the same permission list in code as in the database matrix', async () => {
    const rows = await t.database.db.selectFrom('permission').select('code').orderBy('code').execute();
    expect(rows.map((r) => r.code)).toEqual([...PERMISSIONS].sort());
    const roles = await t.database.db.selectFrom('role').select('code').orderBy('code').execute();
    expect(roles.map((r) => r.code)).toEqual([...ROLES].sort());
  });

  const newUser = (orgUnitId: bigint, login: string, role: RoleCode = 'clerk') => ({
    login,
    fullName: 'New Person',
    password: 'first-pass-123',
    roles: [{ role, orgUnitId: String(orgUnitId) }],
  });

  // One refused call per role: what each must not do.
  const forbidden: {
    role: RoleCode;
    method: 'GET' | 'POST';
    url: string;
    body?: () => unknown;
    code: string;
  }[] = [
    {
      role: 'operator',
      method: 'POST',
      url: '/api/users',
      body: () => newUser(f.units.n1.id, 'x.op'),
      code: 'AUTH_FORBIDDEN',
    },
    { role: 'inspector', method: 'GET', url: '/api/users', code: 'AUTH_FORBIDDEN' },
    { role: 'clerk', method: 'GET', url: '/api/audit', code: 'AUTH_FORBIDDEN' },
    {
      role: 'accountant',
      method: 'POST',
      url: '/api/users',
      body: () => newUser(f.units.n1.id, 'x.acc'),
      code: 'AUTH_FORBIDDEN',
    },
    { role: 'lawyer', method: 'GET', url: '/api/audit', code: 'AUTH_FORBIDDEN' },
    {
      role: 'analyst',
      method: 'POST',
      url: '/api/users',
      body: () => newUser(f.units.n1.id, 'x.an'),
      code: 'AUTH_FORBIDDEN',
    },
    {
      role: 'admin',
      method: 'POST',
      url: '/api/users',
      body: () => newUser(other.units.n1.id, 'x.adm'),
      code: 'NOT_FOUND',
    },
  ];
  for (const c of forbidden) {
    it(`refuses ${c.role}: ${c.method} ${c.url}`, async () => {
      const s = await signIn(t.app, c.role);
      const res = await t.app.inject({
        method: c.method,
        url: c.url,
        headers: s.headers,
        payload: c.body?.() as object,
      });
      expect(res.statusCode).toBe(c.code === 'NOT_FOUND' ? 404 : 403);
      expect(res.json().error.code).toBe(c.code);
    });
  }

  it('refuses every API call without a session', async () => {
    for (const url of ['/api/org-units', '/api/users', '/api/consumers', '/api/audit']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('shows a district operator only its district, a region user its region, head office everything', async () => {
    const names = async (login: string) => {
      const s = await signIn(t.app, login);
      const res = await t.app.inject({ method: 'GET', url: '/api/consumers', headers: s.headers });
      expect(res.statusCode).toBe(200);
      return (res.json().items as { name: string }[]).map((i) => i.name).sort();
    };
    expect(await names('operator')).toEqual(['Consumer n1 grid']);
    expect(await names('accountant')).toEqual(['Consumer n1 grid', 'Consumer n2 grid']);
    expect(await names('analyst')).toEqual(['Consumer n1 grid', 'Consumer n2 grid', 'Consumer s1 grid']);
    expect(await names('other.admin')).toEqual(['Consumer n1 heat', 'Consumer n2 heat', 'Consumer s1 heat']);

    const s = await signIn(t.app, 'operator');
    const units = await t.app.inject({ method: 'GET', url: '/api/org-units', headers: s.headers });
    expect((units.json().items as { id: string }[]).map((u) => u.id)).toEqual([String(f.units.n1.id)]);
  });

  it('lets a region admin create users in its region only, audited in the same transaction', async () => {
    const s = await signIn(t.app, 'admin.north');
    const outside = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: s.headers,
      payload: newUser(f.units.s1.id, 'south.clerk'),
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
    expect(
      await t.database.db
        .selectFrom('app_user')
        .select('id')
        .where('login', '=', 'south.clerk')
        .executeTakeFirst(),
    ).toBeUndefined();

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: s.headers,
      payload: newUser(f.units.n2.id, 'North.Clerk'),
    });
    expect(ok.statusCode).toBe(201);
    const id = ok.json().id as string;
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.create')
      .where('entity_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_type).toBe('user');
    expect(audit.after).toMatchObject({
      login: 'north.clerk',
      roles: [{ role: 'clerk', orgUnitId: String(f.units.n2.id) }],
    });
    expect(audit.at).toBeInstanceOf(Date);

    const again = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: s.headers,
      payload: newUser(f.units.n2.id, 'north.clerk'),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('LOGIN_TAKEN');

    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: s.headers });
    const logins = (list.json().items as { login: string }[]).map((u) => u.login);
    expect(logins).toContain('north.clerk');
    expect(logins).not.toContain('admin'); // the company admin's grant is above this scope
  });

  it('shows a region admin only the audit rows of its region; the company admin sees all', async () => {
    const company = await signIn(t.app, 'admin');
    const south = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: company.headers,
      payload: newUser(f.units.s1.id, 'south.only'),
    });
    expect(south.statusCode).toBe(201);
    const region = await signIn(t.app, 'admin.north');
    const north = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: region.headers,
      payload: newUser(f.units.n1.id, 'north.only'),
    });
    expect(north.statusCode).toBe(201);
    const ids = (items: { entityId: string }[]) => items.map((i) => i.entityId);
    const regionView = await t.app.inject({
      method: 'GET',
      url: '/api/audit?action=user.create',
      headers: region.headers,
    });
    expect(ids(regionView.json().items)).toContain(north.json().id);
    expect(ids(regionView.json().items)).not.toContain(south.json().id);
    const companyView = await t.app.inject({
      method: 'GET',
      url: '/api/audit?action=user.create',
      headers: company.headers,
    });
    expect(ids(companyView.json().items)).toEqual(expect.arrayContaining([north.json().id, south.json().id]));
  });

  it('shows the audit trail to an admin with who, when, before and after', async () => {
    const s = await signIn(t.app, 'admin');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/audit?action=user.create',
      headers: s.headers,
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { action: string; actorId: string; at: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items[0]).toMatchObject({ action: 'user.create' });
    const bad = await t.app.inject({ method: 'GET', url: '/api/audit?limit=100000', headers: s.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });
});
