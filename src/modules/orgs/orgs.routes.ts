import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { listOrgUnits } from './orgs.repository.ts';
import { changeOrgUnit, createOrgUnit, ORG_UNIT_KINDS, orgUnitView } from './orgs.service.ts';

const ZOrgUnit = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  kind: z.enum(ORG_UNIT_KINDS),
  code: z.string(),
  name: z.string(),
  path: z.string(),
});

const ZCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,32}$/, 'letters, digits, dot, dash or underscore, up to 32');
const ZName = z.string().trim().min(1).max(200);

const ZCreateOrgUnitRequest = z.object({
  parentId: ZId,
  code: ZCode,
  name: ZName,
  kind: z
    .enum(['region', 'district'])
    .optional()
    .describe(
      'follows the parent (region under the company, district under a region); a company may hold a district',
    ),
});

const ZPatchOrgUnitRequest = z
  .object({ code: ZCode.optional(), name: ZName.optional() })
  .refine((b) => b.code !== undefined || b.name !== undefined, 'give the name or the code');

/** The org-unit tree: as far as the user may see it; regions and districts added and renamed. */
export const orgRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;

  app.get(
    '/api/org-units',
    {
      config: { permission: 'org.read' },
      schema: {
        tags: ['orgs'],
        summary:
          'Org units (company, regions, districts) within the caller’s scope; `writable` where the caller holds org.write',
        response: {
          200: z.object({ items: z.array(ZOrgUnit.extend({ writable: z.boolean() })) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const rows = await listOrgUnits(db, access.user.tenantId, access.scope('org.read'));
      return {
        items: rows.map((r) => ({ ...orgUnitView(r), writable: access.canAt('org.write', r.path) })),
      };
    },
  );

  app.post(
    '/api/org-units',
    {
      config: { permission: 'org.write' },
      schema: {
        tags: ['orgs'],
        summary: 'Adds a region under the company or a district under a region (code unique in the supplier)',
        body: ZCreateOrgUnitRequest,
        response: { 201: ZOrgUnit, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const unit = await createOrgUnit(
        db,
        accessOf(request),
        { parentId: BigInt(body.parentId), code: body.code, name: body.name, kind: body.kind },
        actorOf(request),
      );
      return reply.code(201).send(unit);
    },
  );

  app.patch(
    '/api/org-units/:id',
    {
      config: { permission: 'org.write' },
      schema: {
        tags: ['orgs'],
        summary: 'Renames an org unit or changes its code (units are never moved or deleted)',
        params: z.object({ id: ZId }),
        body: ZPatchOrgUnitRequest,
        response: { 200: ZOrgUnit, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      changeOrgUnit(db, accessOf(request), BigInt(request.params.id), request.body, actorOf(request)),
  );
};
