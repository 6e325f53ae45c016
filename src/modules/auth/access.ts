import { AppError } from '../../domain/errors.ts';
import type { Permission, RoleCode } from './permissions.ts';

/** A role held at an org unit (and so over its subtree). */
export type Grant = {
  role: RoleCode;
  orgUnitId: bigint;
  orgUnitPath: string;
  orgUnitName: string;
  permissions: ReadonlySet<Permission>;
};

/** The signed-in staff user as the request sees it. */
export type SessionUser = {
  id: bigint;
  tenantId: bigint;
  login: string;
  fullName: string;
  locale: string;
  mustChangePassword: boolean;
};

/**
 * What a signed-in user may do where. Every route asks it: `can` for the permission anywhere,
 * `scope` for the org-unit paths to filter queries by, `assertAt` before touching one unit.
 */
export class Access {
  readonly user: SessionUser;
  readonly grants: readonly Grant[];

  constructor(user: SessionUser, grants: readonly Grant[]) {
    this.user = user;
    this.grants = grants;
  }

  /** True when some grant carries `permission`. */
  can(permission: Permission): boolean {
    return this.grants.some((g) => g.permissions.has(permission));
  }

  /** Org-unit paths under which `permission` holds (prefixes of the `path` column). */
  scope(permission: Permission): string[] {
    const paths = this.grants.filter((g) => g.permissions.has(permission)).map((g) => g.orgUnitPath);
    // Drop paths already covered by a shorter one.
    return paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(q)));
  }

  /** True when `permission` holds at the unit with this path. */
  canAt(permission: Permission, orgUnitPath: string): boolean {
    return this.grants.some((g) => g.permissions.has(permission) && orgUnitPath.startsWith(g.orgUnitPath));
  }

  /** Throws AUTH_FORBIDDEN when `permission` is held nowhere. */
  assert(permission: Permission): void {
    if (!this.can(permission))
      throw new AppError('AUTH_FORBIDDEN', `Missing permission ${permission}`, { permission });
  }

  /** Throws ORG_UNIT_OUT_OF_SCOPE unless `permission` holds at the unit with this path. */
  assertAt(permission: Permission, orgUnitPath: string): void {
    this.assert(permission);
    if (!this.canAt(permission, orgUnitPath)) {
      throw new AppError('ORG_UNIT_OUT_OF_SCOPE', `Permission ${permission} does not reach ${orgUnitPath}`, {
        permission,
      });
    }
  }

  /** The roles held, without repeats. */
  roles(): RoleCode[] {
    return [...new Set(this.grants.map((g) => g.role))];
  }

  /** The grant with the widest scope (shortest path), used as the user's home unit. */
  homeUnit(): Grant | undefined {
    return [...this.grants].sort((a, b) => a.orgUnitPath.length - b.orgUnitPath.length)[0];
  }
}
