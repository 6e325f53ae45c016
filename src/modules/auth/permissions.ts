/**
 * Permission codes, mirrored from migration 0002 (a test keeps the two equal). Routes name one;
 * roles grant them at an org unit, covering that unit and everything below it.
 */
export const PERMISSIONS = [
  'org.read',
  'org.write',
  'user.read',
  'user.write',
  'reference.read',
  'reference.write',
  'consumer.read',
  'consumer.write',
  'reading.read',
  'reading.write',
  'reading.confirm',
  'billing.read',
  'billing.run',
  'billing.close',
  'payment.read',
  'payment.write',
  'payment.reverse',
  'application.read',
  'application.write',
  'claim.read',
  'claim.write',
  'switch.command',
  'report.read',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The staff roles of R0.2. */
export const ROLES = ['admin', 'operator', 'inspector', 'clerk', 'accountant', 'lawyer', 'analyst'] as const;
export type RoleCode = (typeof ROLES)[number];

/** True when `v` is a known permission code. */
export function isPermission(v: unknown): v is Permission {
  return typeof v === 'string' && (PERMISSIONS as readonly string[]).includes(v);
}

/** True when `v` is a known role code. */
export function isRole(v: unknown): v is RoleCode {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}
