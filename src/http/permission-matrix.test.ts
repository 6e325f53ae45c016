import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgFixture,
  createTestApp,
  createUser,
  signIn,
  type TestApp,
  type TestSession,
} from '../../test/support/app.ts';
import { TEST_ENGINE } from '../../test/support/db.ts';
import { ROLES, type RoleCode } from '../modules/auth/permissions.ts';

type Matrix = {
  permissions: { code: string }[];
  roles: { code: string; permissions: string[] }[];
  routes: { method: string; url: string; permission: string | null; access: string | null }[];
};

/**
 * Issue 6 point 1: the permission matrix is data (`role_permission`), and every staff API route is
 * checked against it: each role, granted at the company unit, is refused exactly the routes whose
 * permission its row of the matrix lacks.
 */
describe(`the permission matrix against every API route (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let matrix: Matrix;
  const sessions = {} as Record<RoleCode, TestSession>;

  beforeAll(async () => {
    t = await createTestApp();
    const f = await createOrgFixture(t.database.db, 'matrix');
    for (const role of ROLES) {
      await createUser(t.database.db, {
        tenantId: f.tenantId,
        login: `m.${role}`,
        role,
        orgUnitId: f.units.company.id,
      });
      sessions[role] = await signIn(t.app, `m.${role}`);
    }
    const res = await t.app.inject({ method: 'GET', url: '/api/roles', headers: sessions.admin.headers });
    expect(res.statusCode, res.body).toBe(200);
    matrix = res.json() as Matrix;
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('lists every permission and role of the code, and every API route with its rule', () => {
    expect(matrix.roles.map((r) => r.code).sort()).toEqual([...ROLES].sort());
    // Every route names a permission, or is public, for the cabinet, or for any signed-in user.
    for (const r of matrix.routes) expect(r.permission ?? r.access, `${r.method} ${r.url}`).toBeTruthy();
    const staff = matrix.routes.filter((r) => r.permission);
    expect(staff.length).toBeGreaterThan(30);
    // The analyst reads everything and changes nothing; the admin holds every permission.
    const analyst = matrix.roles.find((r) => r.code === 'analyst');
    expect(analyst?.permissions.every((p) => p.endsWith('.read'))).toBe(true);
    expect(matrix.roles.find((r) => r.code === 'admin')?.permissions.length).toBe(matrix.permissions.length);
  });

  it('refuses each role exactly the routes whose permission it lacks', async () => {
    const refusedWrongly: string[] = [];
    const allowedWrongly: string[] = [];
    for (const route of matrix.routes.filter((r) => r.permission)) {
      // Path parameters get a well-formed but unknown id: the permission check comes first.
      const url = route.url.replace(/:(\w+)/g, (_m, name: string) =>
        name === 'period' ? '2000-01' : '999999999',
      );
      for (const role of ROLES) {
        const granted = matrix.roles
          .find((r) => r.code === role)
          ?.permissions.includes(route.permission ?? '');
        const res = await t.app.inject({
          method: route.method as 'GET',
          url,
          headers: sessions[role].headers,
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        const forbidden =
          res.statusCode === 403 &&
          (res.json() as { error?: { code?: string } }).error?.code === 'AUTH_FORBIDDEN';
        const what = `${role} ${route.method} ${route.url} (${route.permission}) → ${res.statusCode}`;
        if (granted && forbidden) refusedWrongly.push(what);
        if (!granted && !forbidden) allowedWrongly.push(what);
      }
    }
    expect(allowedWrongly).toEqual([]);
    expect(refusedWrongly).toEqual([]);
  }, 120_000);

  it('shows the matrix only to those who may read users', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/roles', headers: sessions.operator.headers });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'AUTH_FORBIDDEN' } });
  });
});
