import type { OrgUnitItem } from '../org-units.tsx';

/** The staff roles, in the order the office lists them. */
export const ROLE_CODES = [
  'admin',
  'operator',
  'inspector',
  'clerk',
  'accountant',
  'lawyer',
  'analyst',
] as const;

/** A role granted at an org unit. */
export type Grant = { role: string; orgUnitId: string };

/** A staff user as /api/users answers it. */
export type AdminUser = {
  id: string;
  login: string;
  fullName: string;
  status: 'active' | 'blocked';
  locale: string;
  pinfl: string | null;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  roles: (Grant & { orgUnitName: string })[];
  /** Every grant lies inside the caller's user.write scope. */
  manageable: boolean;
};

/** An org unit with whether the caller may change it (org.write there). */
export type AdminUnit = OrgUnitItem & { code: string; parentId: string | null; writable?: boolean };

/** The depth of a unit in the tree (company 0). */
export function depthOf(u: { path: string }): number {
  return u.path.split('/').filter(Boolean).length - 1;
}
