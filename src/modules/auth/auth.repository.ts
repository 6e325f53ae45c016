import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Grant, SessionUser } from './access.ts';
import { isPermission, isRole, type Permission } from './permissions.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** A user row as sign-in needs it. */
export type UserForLogin = SessionUser & {
  passwordHash: string;
  status: string;
  failedAttempts: number;
  lockedUntil: Date | null;
};

type UserColumns = {
  id: bigint;
  tenant_id: bigint;
  login: string;
  full_name: string;
  locale: string;
  must_change_password: boolean;
};

function toSessionUser(row: UserColumns): SessionUser {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    login: row.login,
    fullName: row.full_name,
    locale: row.locale,
    mustChangePassword: row.must_change_password,
  };
}

/** Finds a user by login (logins are stored lower-case). */
export async function findUserByLogin(db: Db, login: string): Promise<UserForLogin | undefined> {
  const row = await db
    .selectFrom('app_user')
    .selectAll()
    .where('login', '=', login.toLowerCase())
    .forUpdate()
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...toSessionUser(row),
    passwordHash: row.password_hash,
    status: row.status,
    failedAttempts: row.failed_attempts,
    lockedUntil: row.locked_until,
  };
}

/** Records a failed attempt; locks the user until `lockUntil` when given. */
export async function recordFailedLogin(db: Db, userId: bigint, lockUntil: Date | null): Promise<void> {
  await db
    .updateTable('app_user')
    .set(
      lockUntil
        ? { failed_attempts: 0, locked_until: lockUntil }
        : { failed_attempts: sql<number>`failed_attempts + 1` },
    )
    .where('id', '=', userId)
    .execute();
}

/** Clears failed attempts and stamps the sign-in. */
export async function recordSuccessfulLogin(db: Db, userId: bigint): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ failed_attempts: 0, locked_until: null, last_login_at: sql`now()` })
    .where('id', '=', userId)
    .execute();
}

/** Stores a session under the hash of its token. */
export async function insertSession(
  db: Db,
  s: {
    id: string;
    userId: bigint;
    csrfSecret: string;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db
    .insertInto('user_session')
    .values({
      id: s.id,
      user_id: s.userId,
      csrf_secret: s.csrfSecret,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

/** A live session with its user. */
export type SessionRow = {
  sessionId: string;
  csrfSecret: string;
  lastSeenAt: Date;
  expiresAt: Date;
  user: SessionUser;
  status: string;
};

/** Loads a session and its user by the token hash. */
export async function findSession(db: Db, id: string): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select([
      's.id as session_id',
      's.csrf_secret',
      's.last_seen_at',
      's.expires_at',
      'u.id',
      'u.tenant_id',
      'u.login',
      'u.full_name',
      'u.locale',
      'u.must_change_password',
      'u.status',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    sessionId: row.session_id,
    csrfSecret: row.csrf_secret,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    status: row.status,
    user: toSessionUser(row),
  };
}

/** Marks a session as used now. */
export async function touchSession(db: Db, id: string): Promise<void> {
  await db.updateTable('user_session').set({ last_seen_at: sql`now()` }).where('id', '=', id).execute();
}

/** Ends one session. */
export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('user_session').where('id', '=', id).execute();
}

/** Ends every session of a user except `keep`. */
export async function deleteUserSessions(db: Db, userId: bigint, keep?: string): Promise<void> {
  let q = db.deleteFrom('user_session').where('user_id', '=', userId);
  if (keep) q = q.where('id', '<>', keep);
  await q.execute();
}

/** The user's role grants with their org units and the permissions each role carries. */
export async function loadGrants(db: Db, userId: bigint): Promise<Grant[]> {
  const rows = await db
    .selectFrom('user_role as ur')
    .innerJoin('org_unit as ou', 'ou.id', 'ur.org_unit_id')
    .leftJoin('role_permission as rp', 'rp.role_code', 'ur.role_code')
    .select(['ur.role_code', 'ou.id', 'ou.path', 'ou.name', 'rp.permission_code'])
    .where('ur.user_id', '=', userId)
    .execute();
  const grants = new Map<string, Grant & { permissions: Set<Permission> }>();
  for (const r of rows) {
    if (!isRole(r.role_code)) continue;
    const key = `${r.role_code}@${r.id}`;
    let g = grants.get(key);
    if (!g) {
      g = {
        role: r.role_code,
        orgUnitId: r.id,
        orgUnitPath: r.path,
        orgUnitName: r.name,
        permissions: new Set(),
      };
      grants.set(key, g);
    }
    if (isPermission(r.permission_code)) g.permissions.add(r.permission_code);
  }
  return [...grants.values()];
}

/** Replaces the password hash and clears the forced-change flag. */
export async function updatePassword(db: Db, userId: bigint, passwordHash: string): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ password_hash: passwordHash, must_change_password: false, updated_at: sql`now()` })
    .where('id', '=', userId)
    .execute();
}

/** The path of the widest org unit where the user holds a role (null without roles). */
export async function homeUnitPath(db: Db, userId: bigint): Promise<string | null> {
  const row = await db
    .selectFrom('user_role as ur')
    .innerJoin('org_unit as ou', 'ou.id', 'ur.org_unit_id')
    .select('ou.path')
    .where('ur.user_id', '=', userId)
    .orderBy(sql`length(ou.path)`)
    .limit(1)
    .executeTakeFirst();
  return row?.path ?? null;
}
