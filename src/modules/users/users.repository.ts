import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import type { RoleCode } from '../auth/permissions.ts';
import type { UserSort, UserStatus } from './users.schemas.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** A grant of a user: a role at an org unit. */
export type UserGrant = { role: string; orgUnitId: bigint; orgUnitName: string; orgUnitPath: string };

/** A staff user with all the grants. */
export type UserRecord = {
  id: bigint;
  login: string;
  fullName: string;
  status: string;
  locale: string;
  pinfl: string | null;
  mustChangePassword: boolean;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  roles: UserGrant[];
};

/** The filters, order and page of the users table. */
export type UserSearch = {
  tenantId: bigint;
  /** The caller's `user.read` scope: a user shows when one of its grants lies inside it. */
  scopePaths: string[];
  q?: string | undefined;
  role?: RoleCode | undefined;
  /** Only users with a grant (of `role`, when given) at or under this unit. */
  underPath?: string | undefined;
  status?: UserStatus | undefined;
  sort: UserSort;
  dir: 'asc' | 'desc';
  limit: number;
  offset: number;
};

const USER_COLUMNS = [
  'u.id',
  'u.login',
  'u.full_name',
  'u.status',
  'u.locale',
  'u.pinfl',
  'u.must_change_password',
  'u.locked_until',
  'u.last_login_at',
  'u.created_at',
] as const;

type UserColumns = {
  id: bigint;
  login: string;
  full_name: string;
  status: string;
  locale: string;
  pinfl: string | null;
  must_change_password: boolean;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
};

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The users matching the search, before the columns are chosen. */
function filtered(db: Db, s: UserSearch) {
  let q = db
    .selectFrom('app_user as u')
    .where('u.tenant_id', '=', s.tenantId)
    .where((eb) => {
      let grants = eb
        .selectFrom('user_role as g')
        .innerJoin('org_unit as go', 'go.id', 'g.org_unit_id')
        .select('g.user_id')
        .whereRef('g.user_id', '=', 'u.id')
        .where(inScope('go.path', s.scopePaths));
      if (s.role) grants = grants.where('g.role_code', '=', s.role);
      if (s.underPath) grants = grants.where(inScope('go.path', [s.underPath]));
      return eb.exists(grants);
    });
  if (s.status) q = q.where('u.status', '=', s.status);
  const text = s.q?.trim();
  if (text) {
    const like = `%${escapeLike(text.toLowerCase())}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql<string>`lower(u.login)`, 'like', like),
        eb(sql<string>`lower(u.full_name)`, 'like', like),
        eb('u.pinfl', '=', text),
      ]),
    );
  }
  return q;
}

const SORT_COLUMNS = {
  login: 'u.login',
  fullName: 'u.full_name',
  status: 'u.status',
  lastLoginAt: 'u.last_login_at',
  createdAt: 'u.created_at',
} as const satisfies Record<UserSort, string>;

function toRecord(r: UserColumns, roles: UserGrant[]): UserRecord {
  return {
    id: r.id,
    login: r.login,
    fullName: r.full_name,
    status: r.status,
    locale: r.locale,
    pinfl: r.pinfl,
    mustChangePassword: r.must_change_password,
    lockedUntil: r.locked_until,
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
    roles,
  };
}

/** One page of the users table (users holding a role inside the scope) and the total count. */
export async function searchUsers(db: Db, s: UserSearch): Promise<{ rows: UserRecord[]; total: number }> {
  const column = SORT_COLUMNS[s.sort];
  const [rows, count] = await Promise.all([
    filtered(db, s)
      .select(USER_COLUMNS)
      // Users who never signed in go last whichever way the table is sorted.
      .orderBy(column, (ob) => (s.dir === 'asc' ? ob.asc() : ob.desc()).nullsLast())
      .orderBy('u.id')
      .limit(s.limit)
      .offset(s.offset)
      .execute(),
    filtered(db, s)
      .select((eb) => eb.fn.countAll<string | number | bigint>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const grants = await grantsOf(
    db,
    rows.map((r) => r.id),
  );
  return { rows: rows.map((r) => toRecord(r, grants.get(r.id) ?? [])), total: Number(count.n) };
}

/** The grants of these users, the widest unit first. */
export async function grantsOf(db: Db, userIds: bigint[]): Promise<Map<bigint, UserGrant[]>> {
  const out = new Map<bigint, UserGrant[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('user_role as ur')
    .innerJoin('org_unit as ou', 'ou.id', 'ur.org_unit_id')
    .select(['ur.user_id', 'ur.role_code', 'ou.id', 'ou.name', 'ou.path'])
    .where('ur.user_id', 'in', userIds)
    .orderBy(sql`length(ou.path)`)
    .orderBy('ou.path')
    .orderBy('ur.role_code')
    .execute();
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({ role: r.role_code, orgUnitId: r.id, orgUnitName: r.name, orgUnitPath: r.path });
    out.set(r.user_id, list);
  }
  return out;
}

/** One user of a tenant with the grants; `lock` locks the user's row for the transaction. */
export async function findUser(
  db: Db,
  tenantId: bigint,
  id: bigint,
  opts: { lock?: boolean } = {},
): Promise<UserRecord | undefined> {
  let q = db
    .selectFrom('app_user as u')
    .select(USER_COLUMNS)
    .where('u.tenant_id', '=', tenantId)
    .where('u.id', '=', id);
  if (opts.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const grants = await grantsOf(db, [row.id]);
  return toRecord(row, grants.get(row.id) ?? []);
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
    pinfl: string | null;
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
      pinfl: u.pinfl,
      must_change_password: u.mustChangePassword,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertGrants(db, id, u.roles);
  return id;
}

async function insertGrants(db: Db, userId: bigint, roles: { role: string; orgUnitId: bigint }[]) {
  if (roles.length === 0) return;
  await db
    .insertInto('user_role')
    .values(roles.map((r) => ({ user_id: userId, role_code: r.role, org_unit_id: r.orgUnitId })))
    .execute();
}

/** Replaces all grants of a user. */
export async function replaceGrants(
  db: Db,
  userId: bigint,
  roles: { role: string; orgUnitId: bigint }[],
): Promise<void> {
  await db.deleteFrom('user_role').where('user_id', '=', userId).execute();
  await insertGrants(db, userId, roles);
}

/** Changes a user's name, language, PINFL or status. */
export async function updateUser(
  db: Db,
  id: bigint,
  patch: { full_name?: string; locale?: string; pinfl?: string | null; status?: UserStatus },
): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Sets a temporary password the user must replace at the next sign-in, and lifts a lock. */
export async function setTemporaryPassword(db: Db, id: bigint, passwordHash: string): Promise<void> {
  await db
    .updateTable('app_user')
    .set({
      password_hash: passwordHash,
      must_change_password: true,
      failed_attempts: 0,
      locked_until: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Ends every session of a user; returns how many there were. */
export async function endSessions(db: Db, userId: bigint): Promise<number> {
  const res = await db.deleteFrom('user_session').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** True when the login is taken (logins are unique across suppliers). */
export async function loginExists(db: Db, login: string): Promise<boolean> {
  const row = await db.selectFrom('app_user').select('id').where('login', '=', login).executeTakeFirst();
  return row !== undefined;
}

/** True when another user of the tenant has this PINFL. */
export async function pinflTaken(
  db: Db,
  tenantId: bigint,
  pinfl: string,
  exceptId?: bigint,
): Promise<boolean> {
  let q = db.selectFrom('app_user').select('id').where('tenant_id', '=', tenantId).where('pinfl', '=', pinfl);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}
