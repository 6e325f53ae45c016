import { createHash, randomBytes } from 'node:crypto';
import csrf from '@fastify/csrf';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { Access } from './access.ts';
import * as repo from './auth.repository.ts';
import { assertStrongPassword, hashPassword, verifyPassword } from './password.ts';

/** Failed attempts before a lock, and how long the lock lasts. */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MINUTES = 15;

/** How long sessions live: idle timeout and absolute maximum. */
export type SessionPolicy = { idleMinutes: number; maxHours: number };

let dummyHash: Promise<string> | undefined;
const csrfTokens: csrf.TokensSimple = new csrf.Tokens({ userInfo: false });

/** A fresh CSRF token for a session's secret (any number may be live at once). */
export function csrfTokenFor(secret: string): string {
  return csrfTokens.create(secret);
}

/** True when `token` was made from the session's secret. */
export function verifyCsrfToken(secret: string, token: string | undefined): boolean {
  return typeof token === 'string' && token.length > 0 && csrfTokens.verify(secret, token);
}

/** The session token's storage key: its SHA-256, so a leaked table holds no usable tokens. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Signs a staff user in: checks lock and password, counts failures, opens a session. */
export async function login(
  db: Kysely<DB>,
  input: { login: string; password: string; ip: string | null; userAgent: string | null; requestId?: string },
  policy: SessionPolicy,
): Promise<{ token: string; sessionId: string; csrfSecret: string; access: Access; expiresAt: Date }> {
  const outcome = await db.transaction().execute(async (trx) => {
    const user = await repo.findUserByLogin(trx, input.login);
    const actor: Actor = {
      type: 'user',
      id: user ? String(user.id) : null,
      tenantId: user?.tenantId ?? null,
      ip: input.ip ?? undefined,
      requestId: input.requestId,
    };
    if (!user) {
      // Spend the same time as a real check so logins cannot be probed by timing.
      dummyHash ??= hashPassword('not-a-real-password-0');
      await verifyPassword(await dummyHash, input.password);
      return { error: new AppError('AUTH_INVALID_CREDENTIALS', 'Wrong login or password') };
    }
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      const minutes = Math.ceil((user.lockedUntil.getTime() - Date.now()) / 60_000);
      return {
        error: new AppError('AUTH_LOCKED', 'Sign-in is locked', { minutes, until: user.lockedUntil }),
      };
    }
    const orgUnitPath = await repo.homeUnitPath(trx, user.id);
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      const attempts = user.failedAttempts + 1;
      const lockUntil = attempts >= MAX_FAILED_ATTEMPTS ? new Date(Date.now() + LOCK_MINUTES * 60_000) : null;
      await repo.recordFailedLogin(trx, user.id, lockUntil);
      await writeAudit(trx, actor, {
        action: lockUntil ? 'auth.locked' : 'auth.login_failed',
        entity: 'app_user',
        entityId: user.id,
        orgUnitPath,
        after: { failed_attempts: lockUntil ? 0 : attempts, locked_until: lockUntil },
      });
      if (lockUntil) {
        return {
          error: new AppError('AUTH_LOCKED', 'Sign-in is locked', {
            minutes: LOCK_MINUTES,
            until: lockUntil,
          }),
        };
      }
      return { error: new AppError('AUTH_INVALID_CREDENTIALS', 'Wrong login or password') };
    }
    if (user.status !== 'active') {
      return { error: new AppError('AUTH_USER_DISABLED', 'This user is blocked') };
    }
    await repo.recordSuccessfulLogin(trx, user.id);
    const token = randomBytes(32).toString('base64url');
    const sessionId = sessionIdOf(token);
    const expiresAt = new Date(Date.now() + policy.maxHours * 3_600_000);
    const csrfSecret = csrfTokens.secretSync();
    await repo.insertSession(trx, {
      id: sessionId,
      userId: user.id,
      csrfSecret,
      expiresAt,
      ip: input.ip,
      userAgent: input.userAgent,
    });
    await writeAudit(trx, actor, {
      action: 'auth.login',
      entity: 'app_user',
      entityId: user.id,
      orgUnitPath,
    });
    const grants = await repo.loadGrants(trx, user.id);
    return { token, sessionId, csrfSecret, expiresAt, access: new Access(user, grants) };
  });
  // Failures are committed (the counter must survive) and only then reported.
  if ('error' in outcome) throw outcome.error;
  return outcome;
}

/** Resolves a session token to the user's access; throws AUTH_REQUIRED / AUTH_SESSION_EXPIRED. */
export async function authenticate(
  db: Kysely<DB>,
  token: string,
  policy: SessionPolicy,
): Promise<{ sessionId: string; csrfSecret: string; access: Access }> {
  const sessionId = sessionIdOf(token);
  const session = await repo.findSession(db, sessionId);
  if (session?.status !== 'active') throw new AppError('AUTH_REQUIRED', 'Not signed in');
  const now = Date.now();
  const idleDeadline = session.lastSeenAt.getTime() + policy.idleMinutes * 60_000;
  if (session.expiresAt.getTime() <= now || idleDeadline <= now) {
    await repo.deleteSession(db, sessionId);
    throw new AppError('AUTH_SESSION_EXPIRED', 'Session expired');
  }
  // Refresh the idle clock at most once a minute: reads should not all turn into writes.
  if (now - session.lastSeenAt.getTime() > 60_000) await repo.touchSession(db, sessionId);
  const grants = await repo.loadGrants(db, session.user.id);
  return { sessionId, csrfSecret: session.csrfSecret, access: new Access(session.user, grants) };
}

/** Ends a session. */
export async function logout(
  db: Kysely<DB>,
  sessionId: string,
  actor: Actor,
  orgUnitPath: string | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, sessionId);
    await writeAudit(trx, actor, {
      action: 'auth.logout',
      entity: 'app_user',
      entityId: actor.id,
      orgUnitPath,
    });
  });
}

/** Changes the signed-in user's password; other sessions of the user end. */
export async function changePassword(
  db: Kysely<DB>,
  input: { userId: bigint; login: string; current: string; next: string; keepSession: string },
  actor: Actor,
): Promise<void> {
  assertStrongPassword(input.next);
  if (input.next === input.current) {
    throw new AppError('AUTH_WEAK_PASSWORD', 'The new password must differ from the current one');
  }
  const passwordHash = await hashPassword(input.next);
  await db.transaction().execute(async (trx) => {
    const user = await repo.findUserByLogin(trx, input.login);
    if (!user || user.id !== input.userId || !(await verifyPassword(user.passwordHash, input.current))) {
      throw new AppError('AUTH_INVALID_CREDENTIALS', 'The current password is wrong');
    }
    await repo.updatePassword(trx, user.id, passwordHash);
    await repo.deleteUserSessions(trx, user.id, input.keepSession);
    // The hash itself never goes into the audit log.
    await writeAudit(trx, actor, {
      action: 'auth.password_changed',
      entity: 'app_user',
      entityId: user.id,
      orgUnitPath: await repo.homeUnitPath(trx, user.id),
      before: { must_change_password: user.mustChangePassword },
      after: { must_change_password: false },
    });
  });
}
