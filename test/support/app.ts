import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import type { DB } from '../../src/db/schema.ts';
import { hashPassword } from '../../src/modules/auth/password.ts';
import type { RoleCode } from '../../src/modules/auth/permissions.ts';
import { buildApp } from '../../src/server.ts';
import { openTestDatabase } from './db.ts';

export const TEST_PASSWORD = 'test-password-1';

/** Org units of the fixture: one company, two regions, three districts. */
export type OrgFixture = {
  tenantId: bigint;
  units: Record<'company' | 'north' | 'south' | 'n1' | 'n2' | 's1', { id: bigint; path: string }>;
};

/** A tenant with company → north (n1, n2) and south (s1), and a consumer with a contract in each district. */
export async function createOrgFixture(db: Kysely<DB>, code = 'test-grid'): Promise<OrgFixture> {
  const tenant = await db
    .insertInto('tenant')
    .values({ code, name: `Test grid ${code}`, commodity: 'electricity', inn: '301000001' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const unit = async (kind: 'company' | 'region' | 'district', unitCode: string, parentId: bigint | null) =>
    db
      .insertInto('org_unit')
      .values({ tenant_id: tenant.id, kind, code: unitCode, name: `Unit ${unitCode}`, parent_id: parentId })
      .returning(['id', 'path'])
      .executeTakeFirstOrThrow();
  const company = await unit('company', `${code}-HQ`, null);
  const north = await unit('region', `${code}-N`, company.id);
  const south = await unit('region', `${code}-S`, company.id);
  const n1 = await unit('district', `${code}-N1`, north.id);
  const n2 = await unit('district', `${code}-N2`, north.id);
  const s1 = await unit('district', `${code}-S1`, south.id);
  const units = { company, north, south, n1, n2, s1 };
  for (const [key, u] of Object.entries({ n1, n2, s1 })) {
    const consumer = await db
      .insertInto('consumer')
      .values({
        tenant_id: tenant.id,
        org_unit_id: u.id,
        kind: 'legal',
        name: `Consumer ${key} ${code}`,
        inn: String(300_000_000 + Number(u.id)),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('contract')
      .values({
        tenant_id: tenant.id,
        consumer_id: consumer.id,
        org_unit_id: u.id,
        number: `${code.slice(0, 4).toUpperCase()}-${key}`,
        commodity: 'electricity',
        start_date: '2025-01-01',
      })
      .execute();
  }
  return { tenantId: tenant.id, units };
}

let passwordHash: Promise<string> | undefined;

/** Creates a staff user holding `role` at `orgUnitId` with TEST_PASSWORD. */
export async function createUser(
  db: Kysely<DB>,
  u: { tenantId: bigint; login: string; role: RoleCode; orgUnitId: bigint; mustChangePassword?: boolean },
): Promise<bigint> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const { id } = await db
    .insertInto('app_user')
    .values({
      tenant_id: u.tenantId,
      login: u.login,
      full_name: `User ${u.login}`,
      password_hash: await passwordHash,
      must_change_password: u.mustChangePassword ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('user_role')
    .values({ user_id: id, role_code: u.role, org_unit_id: u.orgUnitId })
    .execute();
  return id;
}

/** A test app on a fresh database. */
export type TestApp = { app: FastifyInstance; database: Database; close(): Promise<void> };

/** Builds the app on a fresh migrated database (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
export async function createTestApp(): Promise<TestApp> {
  const database = await openTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent' });
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** A signed-in session: the cookie header and the CSRF token to send with state changes. */
export type TestSession = { cookie: string; csrfToken: string; headers: Record<string, string> };

/** Signs in through the API and returns the session. */
export async function signIn(
  app: FastifyInstance,
  login: string,
  password = TEST_PASSWORD,
): Promise<TestSession> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${login} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'hisob_sid');
  if (!setCookie) throw new Error('no session cookie');
  const cookie = `hisob_sid=${setCookie.value}`;
  const csrfToken = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}
