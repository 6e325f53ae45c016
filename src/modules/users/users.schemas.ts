import { z } from 'zod';
import { ZId } from '../../http/common.schemas.ts';
import { listQuery } from '../../http/list.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { ROLES } from '../auth/permissions.ts';

/** The columns the users table sorts by. */
export const USER_SORTS = ['login', 'fullName', 'status', 'lastLoginAt', 'createdAt'] as const;
export type UserSort = (typeof USER_SORTS)[number];

/** A staff user's status: blocked users cannot sign in and have no sessions. */
export const USER_STATUSES = ['active', 'blocked'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** A personal identification number (JShShIR / ПИНФЛ): 14 digits. */
export const ZPinfl = z
  .string()
  .trim()
  .regex(/^[0-9]{14}$/, '14 digits');

/** A role granted at an org unit (and so over its subtree). */
export const ZGrantRequest = z.object({ role: z.enum(ROLES), orgUnitId: ZId });

/** The query of the users table. */
export const ZUserQuery = listQuery(USER_SORTS, 'login').extend({
  q: z.string().trim().max(100).optional().describe('part of the login or the name, or the PINFL'),
  role: z.enum(ROLES).optional(),
  orgUnitId: ZId.optional().describe('only users with a grant at or under this org unit (inside your scope)'),
  status: z.enum(USER_STATUSES).optional(),
});

/** A staff user as the office shows it. */
export const ZUser = z.object({
  id: z.string(),
  login: z.string(),
  fullName: z.string(),
  status: z.enum(USER_STATUSES),
  locale: z.string(),
  pinfl: z.string().nullable(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable().describe('sign-in locked after failed attempts until then'),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  roles: z.array(z.object({ role: z.string(), orgUnitId: z.string(), orgUnitName: z.string() })),
  manageable: z.boolean().describe('every grant of the user lies inside the caller’s user.write scope'),
});
export type UserView = z.infer<typeof ZUser>;

/** POST /api/users. Without a password the server makes a temporary one and answers it once. */
export const ZCreateUserRequest = z.object({
  login: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{3,64}$/),
  fullName: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(200).optional(),
  locale: z.enum(LOCALES).default('uz'),
  pinfl: ZPinfl.nullable().optional(),
  roles: z.array(ZGrantRequest).min(1).max(20),
});

/** PATCH /api/users/:id: any of the fields; blocking ends the user's sessions. */
export const ZPatchUserRequest = z
  .object({
    fullName: z.string().trim().min(1).max(200).optional(),
    locale: z.enum(LOCALES).optional(),
    pinfl: ZPinfl.nullable().optional(),
    status: z.enum(USER_STATUSES).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one field to change');

/** PUT /api/users/:id/roles: the user's grants, replacing all the current ones. */
export const ZRolesRequest = z.object({ roles: z.array(ZGrantRequest).min(1).max(20) });
