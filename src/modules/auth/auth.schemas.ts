import { z } from 'zod';

/** Body of POST /api/auth/login. */
export const ZLoginRequest = z.object({
  login: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});

/** Body of POST /api/auth/password. */
export const ZChangePasswordRequest = z.object({
  current: z.string().min(1).max(200),
  next: z.string().min(1).max(200),
});

/** The signed-in user as the web UI sees it. */
export const ZSessionUser = z.object({
  id: z.string(),
  login: z.string(),
  fullName: z.string(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  locale: z.string(),
  mustChangePassword: z.boolean(),
});

/** Response of login and /me. */
export const ZSessionResponse = z.object({ user: ZSessionUser, csrfToken: z.string() });

/** The error body of every 4xx/5xx. */
export const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
