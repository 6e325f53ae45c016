import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import { assertStrongPassword, hashPassword } from '../auth/password.ts';
import type { RoleCode } from '../auth/permissions.ts';
import { findOrgUnit } from '../orgs/orgs.repository.ts';
import * as repo from './users.repository.ts';

/** Input of createUser. */
export type CreateUserInput = {
  login: string;
  fullName: string;
  password: string;
  locale: string;
  roles: { role: RoleCode; orgUnitId: bigint }[];
};

/**
 * Creates a staff user. Every role must be granted at a unit inside the caller's `user.write`
 * scope, and only a holder of that role there may hand it out (no one grants more than they hold).
 * The new user must change the password at first sign-in.
 */
export async function createUser(
  db: Kysely<DB>,
  access: Access,
  input: CreateUserInput,
  actor: Actor,
): Promise<bigint> {
  assertStrongPassword(input.password);
  const login = input.login.toLowerCase();
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    let orgUnitPath: string | null = null;
    for (const r of input.roles) {
      const unit = await findOrgUnit(trx, access.user.tenantId, r.orgUnitId);
      if (!unit)
        throw new AppError('NOT_FOUND', `Org unit ${r.orgUnitId} not found`, { orgUnitId: r.orgUnitId });
      access.assertAt('user.write', unit.path);
      const holdsRole = access.grants.some((g) => g.role === r.role && unit.path.startsWith(g.orgUnitPath));
      if (
        !holdsRole &&
        !access.grants.some((g) => g.role === 'admin' && unit.path.startsWith(g.orgUnitPath))
      ) {
        throw new AppError('AUTH_FORBIDDEN', `Cannot grant role ${r.role} at ${unit.name}`, { role: r.role });
      }
      // The audit row belongs to the widest unit the new user works at.
      if (orgUnitPath === null || unit.path.length < orgUnitPath.length) orgUnitPath = unit.path;
    }
    if (await repo.loginExists(trx, login)) throw new AppError('LOGIN_TAKEN', 'Login taken', { login });
    const id = await repo.insertUser(trx, {
      tenantId: access.user.tenantId,
      login,
      fullName: input.fullName,
      passwordHash,
      locale: input.locale,
      mustChangePassword: true,
      roles: input.roles,
    });
    await writeAudit(trx, actor, {
      action: 'user.create',
      entity: 'app_user',
      entityId: id,
      orgUnitPath,
      after: { login, full_name: input.fullName, locale: input.locale, roles: input.roles },
    });
    return id;
  });
}
