import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { accessOf } from '../../http/context.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import { listOrgUnits } from './orgs.repository.ts';

const ZOrgUnit = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  kind: z.enum(['company', 'region', 'district']),
  code: z.string(),
  name: z.string(),
  path: z.string(),
});

/** The org-unit tree as far as the user may see it. */
export const orgRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  app.get(
    '/api/org-units',
    {
      config: { permission: 'org.read' },
      schema: {
        tags: ['orgs'],
        summary: 'Org units (company, regions, districts) within the caller’s scope',
        response: { 200: z.object({ items: z.array(ZOrgUnit) }), 401: ZErrorResponse, 403: ZErrorResponse },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const rows = await listOrgUnits(opts.db, access.user.tenantId, access.scope('org.read'));
      return {
        items: rows.map((r) => ({
          id: String(r.id),
          parentId: r.parent_id === null ? null : String(r.parent_id),
          kind: r.kind as 'company' | 'region' | 'district',
          code: r.code,
          name: r.name,
          path: r.path,
        })),
      };
    },
  );
};
