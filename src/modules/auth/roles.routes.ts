import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { ERROR_RESPONSES } from '../../http/common.schemas.ts';

const ZMatrix = z.object({
  permissions: z.array(z.object({ code: z.string(), description: z.string() })),
  roles: z.array(z.object({ code: z.string(), name: z.string(), permissions: z.array(z.string()) })),
  routes: z.array(
    z.object({
      method: z.string(),
      url: z.string(),
      permission: z.string().nullable(),
      access: z.enum(['public', 'session', 'cabinet']).nullable(),
    }),
  ),
});

/**
 * The permission matrix (R0.2) as it is: the permissions, which roles grant which (the
 * `role_permission` table the access check reads), and which permission each API route asks.
 */
export const roleRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  app.get(
    '/api/roles',
    {
      config: { permission: 'user.read' },
      schema: {
        tags: ['users'],
        summary:
          'The permission matrix: permissions, roles with the permissions they grant, API routes by permission',
        response: { 200: ZMatrix, ...ERROR_RESPONSES },
      },
    },
    async () => {
      const [permissions, roles, grants] = await Promise.all([
        opts.db.selectFrom('permission').select(['code', 'description']).orderBy('code').execute(),
        opts.db.selectFrom('role').select(['code', 'name']).execute(),
        opts.db.selectFrom('role_permission').select(['role_code', 'permission_code']).execute(),
      ]);
      return {
        permissions,
        roles: roles.map((r) => ({
          code: r.code,
          name: r.name,
          permissions: grants
            .filter((g) => g.role_code === r.code)
            .map((g) => g.permission_code)
            .sort(),
        })),
        routes: app.accessRules.map((r) => ({
          method: r.method,
          url: r.url,
          permission: r.permission ?? null,
          access: r.permission ? null : (r.access ?? 'session'),
        })),
      };
    },
  );
};
