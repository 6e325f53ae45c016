import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import { assertStrongPassword, hashPassword } from '../auth/password.ts';
import type { RoleCode } from '../auth/permissions.ts';
import { findOrgUnit } from '../orgs/orgs.repository.ts';
import * as repo from './users.repository.ts';
import type { UserStatus, UserView } from './users.schemas.ts';

/** A role to grant at an org unit. */
export type GrantInput = { role: RoleCode; orgUnitId: bigint };

/** Input of createUser; without a password a temporary one is made and answered once. */
export type CreateUserInput = {
  login: string;
  fullName: string;
  password?: string | undefined;
  locale: string;
  pinfl?: string | null | undefined;
  roles: GrantInput[];
};

/** The changes PATCH /api/users/:id may carry. */
export type UserPatch = {
  fullName?: string | undefined;
  locale?: string | undefined;
  pinfl?: string | null | undefined;
  status?: UserStatus | undefined;
};

// No 0/O, 1/l/I: the temporary password is read aloud or typed from a screen.
const LETTERS = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/** A fresh temporary password such as "k7Rm-x2Pq-9dWb": 12 letters and digits, at least one of each. */
export function temporaryPassword(): string {
  const alphabet = LETTERS + DIGITS;
  for (;;) {
    const chars = Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)] ?? 'x');
    const text = chars.join('');
    if (/[0-9]/.test(text) && /[A-Za-z]/.test(text))
      return `${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8)}`;
  }
}

/** True when the caller may see the user: one of its grants lies inside the `user.read` scope. */
function visible(access: Access, user: repo.UserRecord): boolean {
  return user.roles.some((g) => access.canAt('user.read', g.orgUnitPath));
}

/** True when the caller may manage the user: every grant lies inside the `user.write` scope. */
export function manages(access: Access, user: repo.UserRecord): boolean {
  return user.roles.length > 0 && user.roles.every((g) => access.canAt('user.write', g.orgUnitPath));
}

/** The API view of a user for this caller. */
export function userView(access: Access, u: repo.UserRecord): UserView {
  return {
    id: String(u.id),
    login: u.login,
    fullName: u.fullName,
    status: u.status === 'blocked' ? 'blocked' : 'active',
    locale: u.locale,
    pinfl: u.pinfl,
    mustChangePassword: u.mustChangePassword,
    lockedUntil: u.lockedUntil && u.lockedUntil.getTime() > Date.now() ? u.lockedUntil.toISOString() : null,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    roles: u.roles.map((g) => ({ role: g.role, orgUnitId: String(g.orgUnitId), orgUnitName: g.orgUnitName })),
    manageable: manages(access, u),
  };
}

/** The widest unit among grants: the audit row belongs there (readers scoped above it see it). */
function widestPath(grants: { orgUnitPath: string }[]): string | null {
  let widest: string | null = null;
  for (const g of grants) if (widest === null || g.orgUnitPath.length < widest.length) widest = g.orgUnitPath;
  return widest;
}

/** The user as the caller may see it, or USER_NOT_FOUND (also for users outside the scope). */
export async function getUser(db: Kysely<DB>, access: Access, id: bigint): Promise<UserView> {
  const user = await repo.findUser(db, access.user.tenantId, id);
  if (!user || !visible(access, user)) throw new AppError('USER_NOT_FOUND', `No user ${id}`, { id });
  return userView(access, user);
}

/** Locks the user the caller may manage; USER_NOT_FOUND when unseen, USER_OUT_OF_SCOPE when only seen. */
async function lockManaged(trx: Transaction<DB>, access: Access, id: bigint): Promise<repo.UserRecord> {
  const user = await repo.findUser(trx, access.user.tenantId, id, { lock: true });
  if (!user || !visible(access, user)) throw new AppError('USER_NOT_FOUND', `No user ${id}`, { id });
  if (!manages(access, user))
    throw new AppError('USER_OUT_OF_SCOPE', `User ${id} holds roles outside the caller's scope`, { id });
  return user;
}

/**
 * Checks grants the caller hands out: each unit exists in the tenant (NOT_FOUND), lies inside the
 * caller's `user.write` scope (ORG_UNIT_OUT_OF_SCOPE), and the caller holds the role or `admin`
 * there (no one grants more than they hold). Returns them without repeats, with their paths.
 */
async function checkGrants(
  trx: Transaction<DB>,
  access: Access,
  roles: GrantInput[],
): Promise<(GrantInput & { orgUnitPath: string })[]> {
  const out = new Map<string, GrantInput & { orgUnitPath: string }>();
  for (const r of roles) {
    const unit = await findOrgUnit(trx, access.user.tenantId, r.orgUnitId);
    if (!unit)
      throw new AppError('NOT_FOUND', `Org unit ${r.orgUnitId} not found`, { orgUnitId: r.orgUnitId });
    access.assertAt('user.write', unit.path);
    const holds = access.grants.some(
      (g) => (g.role === r.role || g.role === 'admin') && unit.path.startsWith(g.orgUnitPath),
    );
    if (!holds)
      throw new AppError('AUTH_FORBIDDEN', `Cannot grant role ${r.role} at ${unit.name}`, { role: r.role });
    out.set(`${r.role}@${r.orgUnitId}`, { ...r, orgUnitPath: unit.path });
  }
  return [...out.values()];
}

async function assertPinflFree(trx: Transaction<DB>, tenantId: bigint, pinfl: string, exceptId?: bigint) {
  if (await repo.pinflTaken(trx, tenantId, pinfl, exceptId))
    throw new AppError('USER_PINFL_TAKEN', 'PINFL belongs to another user', { pinfl });
}

/** Runs a write, turning a race for the same PINFL (the unique index of 0016) into USER_PINFL_TAKEN. */
async function uniquePinfl<T>(pinfl: string | null | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
    if (code === '23505' && pinfl) throw new AppError('USER_PINFL_TAKEN', 'PINFL taken', { pinfl });
    throw e;
  }
}

/**
 * Creates a staff user. Every role must be granted at a unit inside the caller's `user.write`
 * scope, and only a holder of that role there may hand it out (no one grants more than they hold).
 * The new user must change the password at first sign-in; without a given password a temporary
 * one is made and returned (once: only its hash is kept).
 */
export async function createUser(
  db: Kysely<DB>,
  access: Access,
  input: CreateUserInput,
  actor: Actor,
): Promise<{ id: bigint; temporaryPassword: string | null }> {
  const given = input.password;
  if (given !== undefined) assertStrongPassword(given);
  const password = given ?? temporaryPassword();
  const login = input.login.toLowerCase();
  const pinfl = input.pinfl ?? null;
  const passwordHash = await hashPassword(password);
  const id = await db.transaction().execute(async (trx) => {
    const grants = await checkGrants(trx, access, input.roles);
    if (await repo.loginExists(trx, login)) throw new AppError('LOGIN_TAKEN', 'Login taken', { login });
    if (pinfl) await assertPinflFree(trx, access.user.tenantId, pinfl);
    const roles = grants.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId }));
    const id = await uniquePinfl(pinfl, () =>
      repo.insertUser(trx, {
        tenantId: access.user.tenantId,
        login,
        fullName: input.fullName,
        passwordHash,
        locale: input.locale,
        pinfl,
        mustChangePassword: true,
        roles,
      }),
    );
    await writeAudit(trx, actor, {
      action: 'user.create',
      entity: 'app_user',
      entityId: id,
      orgUnitPath: widestPath(grants),
      after: { login, full_name: input.fullName, locale: input.locale, pinfl, roles },
    });
    return id;
  });
  return { id, temporaryPassword: given === undefined ? password : null };
}

/**
 * Changes a user's name, language, PINFL (unique in the supplier) or status. Blocking ends all of
 * the user's sessions at once; no one blocks themselves. Audited with the changed fields before
 * and after (`user.block` / `user.unblock` when the status changes, `user.change` otherwise).
 */
export async function changeUser(
  db: Kysely<DB>,
  access: Access,
  id: bigint,
  patch: UserPatch,
  actor: Actor,
): Promise<UserView> {
  return db.transaction().execute(async (trx) => {
    const user = await lockManaged(trx, access, id);
    if (patch.status === 'blocked' && user.id === access.user.id)
      throw new AppError('USER_SELF_BLOCK', 'You cannot block yourself');
    const before: Record<string, unknown> = {};
    const after: { full_name?: string; locale?: string; pinfl?: string | null; status?: UserStatus } = {};
    if (patch.fullName !== undefined && patch.fullName !== user.fullName) {
      before.full_name = user.fullName;
      after.full_name = patch.fullName;
    }
    if (patch.locale !== undefined && patch.locale !== user.locale) {
      before.locale = user.locale;
      after.locale = patch.locale;
    }
    if (patch.pinfl !== undefined && patch.pinfl !== user.pinfl) {
      if (patch.pinfl !== null) await assertPinflFree(trx, access.user.tenantId, patch.pinfl, user.id);
      before.pinfl = user.pinfl;
      after.pinfl = patch.pinfl;
    }
    if (patch.status !== undefined && patch.status !== user.status) {
      before.status = user.status;
      after.status = patch.status;
    }
    if (Object.keys(after).length === 0) return userView(access, user);
    await uniquePinfl(after.pinfl, () => repo.updateUser(trx, user.id, after));
    const sessionsEnded = after.status === 'blocked' ? await repo.endSessions(trx, user.id) : undefined;
    await writeAudit(trx, actor, {
      action:
        after.status === 'blocked'
          ? 'user.block'
          : after.status === 'active'
            ? 'user.unblock'
            : 'user.change',
      entity: 'app_user',
      entityId: user.id,
      orgUnitPath: widestPath(user.roles),
      before,
      after: sessionsEnded === undefined ? after : { ...after, sessions_ended: sessionsEnded },
    });
    const changed = await repo.findUser(trx, access.user.tenantId, user.id);
    if (!changed) throw new AppError('USER_NOT_FOUND', `No user ${id}`, { id });
    return userView(access, changed);
  });
}

/**
 * Replaces the user's grants. The caller must manage the user as it is and may hand out each new
 * grant (see createUser); no one removes their own last `admin` grant. Sessions stay: every
 * request reads the grants afresh. Audited with the grants before and after.
 */
export async function replaceRoles(
  db: Kysely<DB>,
  access: Access,
  id: bigint,
  roles: GrantInput[],
  actor: Actor,
): Promise<UserView> {
  return db.transaction().execute(async (trx) => {
    const user = await lockManaged(trx, access, id);
    const grants = await checkGrants(trx, access, roles);
    if (
      user.id === access.user.id &&
      user.roles.some((g) => g.role === 'admin') &&
      !grants.some((g) => g.role === 'admin')
    ) {
      throw new AppError('USER_SELF_LAST_ADMIN', 'You cannot remove your own last admin grant');
    }
    const key = (g: { role: string; orgUnitId: bigint }) => `${g.role}@${g.orgUnitId}`;
    const old = new Set(user.roles.map(key));
    if (old.size === grants.length && grants.every((g) => old.has(key(g)))) return userView(access, user);
    const next = grants.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId }));
    await repo.replaceGrants(trx, user.id, next);
    await writeAudit(trx, actor, {
      action: 'user.roles',
      entity: 'app_user',
      entityId: user.id,
      orgUnitPath: widestPath([...user.roles, ...grants]),
      before: { roles: user.roles.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId })) },
      after: { roles: next },
    });
    const changed = await repo.findUser(trx, access.user.tenantId, user.id);
    if (!changed) throw new AppError('USER_NOT_FOUND', `No user ${id}`, { id });
    return userView(access, changed);
  });
}

/**
 * Gives the user a new temporary password, returned once (only its hash is kept): the user must
 * replace it at the next sign-in; a sign-in lock is lifted and every session ends. Audited
 * without the password. Your own password you change, not reset.
 */
export async function resetPassword(
  db: Kysely<DB>,
  access: Access,
  id: bigint,
  actor: Actor,
): Promise<{ temporaryPassword: string }> {
  if (id === access.user.id)
    throw new AppError('USER_SELF_PASSWORD_RESET', 'Change your own password instead');
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const user = await lockManaged(trx, access, id);
    await repo.setTemporaryPassword(trx, user.id, passwordHash);
    const sessionsEnded = await repo.endSessions(trx, user.id);
    await writeAudit(trx, actor, {
      action: 'user.password_reset',
      entity: 'app_user',
      entityId: user.id,
      orgUnitPath: widestPath(user.roles),
      before: { must_change_password: user.mustChangePassword, locked_until: user.lockedUntil },
      after: { must_change_password: true, locked_until: null, sessions_ended: sessionsEnded },
    });
  });
  return { temporaryPassword: password };
}
