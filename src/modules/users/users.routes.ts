import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import { ROLES } from '../auth/permissions.ts';
import { listUsers } from './users.repository.ts';
import { createUser } from './users.service.ts';

const ZUser = z.object({
  id: z.string(),
  login: z.string(),
  fullName: z.string(),
  status: z.string(),
  locale: z.string(),
  roles: z.array(z.object({ role: z.string(), orgUnitId: z.string(), orgUnitName: z.string() })),
});

const ZCreateUserRequest = z.object({
  login: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{3,64}$/),
  fullName: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(200),
  locale: z.enum(LOCALES).default('uz'),
  roles: z
    .array(z.object({ role: z.enum(ROLES), orgUnitId: z.string().regex(/^[0-9]{1,18}$/) }))
    .min(1)
    .max(20),
});

/** Staff users: list within scope, create. */
export const userRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  app.get(
    '/api/users',
    {
      config: { permission: 'user.read' },
      schema: {
        tags: ['users'],
        summary: 'Staff users holding a role inside the caller’s scope',
        response: { 200: z.object({ items: z.array(ZUser) }), 401: ZErrorResponse, 403: ZErrorResponse },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const users = await listUsers(opts.db, access.user.tenantId, access.scope('user.read'));
      return {
        items: users.map((u) => ({
          ...u,
          id: String(u.id),
          roles: u.roles.map((r) => ({ ...r, orgUnitId: String(r.orgUnitId) })),
        })),
      };
    },
  );

  app.post(
    '/api/users',
    {
      config: { permission: 'user.write' },
      schema: {
        tags: ['users'],
        summary: 'Creates a staff user (first sign-in forces a password change)',
        body: ZCreateUserRequest,
        response: {
          201: z.object({ id: z.string() }),
          400: ZErrorResponse,
          403: ZErrorResponse,
          404: ZErrorResponse,
          409: ZErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const id = await createUser(
        opts.db,
        accessOf(request),
        {
          ...request.body,
          roles: request.body.roles.map((r) => ({ role: r.role, orgUnitId: BigInt(r.orgUnitId) })),
        },
        actorOf(request),
      );
      return reply.code(201).send({ id: String(id) });
    },
  );
};
