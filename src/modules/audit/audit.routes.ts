import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { accessOf } from '../../http/context.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';

const ZAuditQuery = z.object({
  entity: z.string().max(64).optional(),
  entityId: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
  beforeId: z
    .string()
    .regex(/^[0-9]{1,18}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const ZAuditRow = z.object({
  id: z.string(),
  at: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
});

/** The audit trail of the caller's supplier, newest first, paged by id. */
export const auditRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  app.get(
    '/api/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit log: who changed what, when, before and after',
        querystring: ZAuditQuery,
        response: { 200: z.object({ items: z.array(ZAuditRow) }), 401: ZErrorResponse, 403: ZErrorResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const access = accessOf(request);
      const paths = access.scope('audit.read');
      // Rows of a unit go to readers scoped at or above it; supplier-wide rows to company level only.
      const companyWide = paths.some((p) => /^\/\d+\/$/.test(p));
      let query = opts.db
        .selectFrom('audit_log')
        .selectAll()
        .where('tenant_id', '=', access.user.tenantId)
        .where((eb) =>
          eb.or([inScope('org_unit_path', paths), ...(companyWide ? [eb('org_unit_path', 'is', null)] : [])]),
        )
        .orderBy('id', 'desc')
        .limit(q.limit);
      if (q.entity) query = query.where('entity', '=', q.entity);
      if (q.entityId) query = query.where('entity_id', '=', q.entityId);
      if (q.action) query = query.where('action', '=', q.action);
      if (q.actorId) query = query.where('actor_id', '=', q.actorId);
      if (q.beforeId) query = query.where('id', '<', BigInt(q.beforeId));
      const rows = await query.execute();
      return {
        items: rows.map((r) => ({
          id: String(r.id),
          at: r.at.toISOString(),
          actorType: r.actor_type,
          actorId: r.actor_id,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          before: r.before,
          after: r.after,
          ip: r.ip,
        })),
      };
    },
  );
};
