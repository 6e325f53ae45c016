import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Staff users of a tenant holding at least one role inside the scope, with all their grants. */
export async function listUsers(db: Db, tenantId: bigint, scopePaths: string[]) {
  const rows = await db
    .selectFrom('app_user as u')
    .innerJoin('user_role as ur', 'ur.user_id', 'u.id')
    .innerJoin('org_unit as ou', 'ou.id', 'ur.org_unit_id')
    .select([
      'u.id',
      'u.login',
      'u.full_name',
      'u.status',
      'u.locale',
      'ur.role_code',
      'ou.id as org_unit_id',
      'ou.name as org_unit_name',
    ])
    .where('u.tenant_id', '=', tenantId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_role as s')
          .innerJoin('org_unit as so', 'so.id', 's.org_unit_id')
          .select('s.user_id')
          .whereRef('s.user_id', '=', 'u.id')
          .where(inScope('so.path', scopePaths)),
      ),
    )
    .orderBy('u.login')
    .execute();
  const users = new Map<
    bigint,
    {
      id: bigint;
      login: string;
      fullName: string;
      status: string;
      locale: string;
      roles: { role: string; orgUnitId: bigint; orgUnitName: string }[];
    }
  >();
  for (const r of rows) {
    let u = users.get(r.id);
    if (!u) {
      u = { id: r.id, login: r.login, fullName: r.full_name, status: r.status, locale: r.locale, roles: [] };
      users.set(r.id, u);
    }
    u.roles.push({ role: r.role_code, orgUnitId: r.org_unit_id, orgUnitName: r.org_unit_name });
  }
  return [...users.values()];
}

/** Inserts a user with its grants; returns the new id. */
export async function insertUser(
  db: Db,
  u: {
    tenantId: bigint;
    login: string;
    fullName: string;
    passwordHash: string;
    locale: string;
    mustChangePassword: boolean;
    roles: { role: string; orgUnitId: bigint }[];
  },
): Promise<bigint> {
  const { id } = await db
    .insertInto('app_user')
    .values({
      tenant_id: u.tenantId,
      login: u.login,
      full_name: u.fullName,
      password_hash: u.passwordHash,
      locale: u.locale,
      must_change_password: u.mustChangePassword,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (u.roles.length > 0) {
    await db
      .insertInto('user_role')
      .values(u.roles.map((r) => ({ user_id: id, role_code: r.role, org_unit_id: r.orgUnitId })))
      .execute();
  }
  return id;
}

/** True when the login is taken. */
export async function loginExists(db: Db, login: string): Promise<boolean> {
  const row = await db.selectFrom('app_user').select('id').where('login', '=', login).executeTakeFirst();
  return row !== undefined;
}
