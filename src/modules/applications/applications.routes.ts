import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { APPLICATION_STATUSES } from '../../domain/application.ts';
import { AppError } from '../../domain/errors.ts';
import type { LocalDate } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { ZApplication } from '../cabinet/cabinet-applications.routes.ts';
import { applicationViews, changeApplicationStatus } from './applications.service.ts';

/**
 * Staff's side of consumers' applications: the inbox of their org units and the status changes
 * the consumer follows in the cabinet (accept, schedule a visit, done, reject). The office pages
 * come with the back-office issue; the API is here so the cabinet's timeline is real.
 */
export const applicationRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;

  app.get(
    '/api/applications',
    {
      config: { permission: 'application.read' },
      schema: {
        tags: ['applications'],
        summary: 'Applications in the caller’s org units, newest first',
        querystring: z.object({
          status: z.enum(APPLICATION_STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ items: z.array(ZApplication) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      let q = db
        .selectFrom('application as a')
        .innerJoin('org_unit as ou', 'ou.id', 'a.org_unit_id')
        .select('a.id')
        .where('a.tenant_id', '=', access.user.tenantId)
        .where(inScope('ou.path', access.scope('application.read')));
      if (request.query.status) q = q.where('a.status', '=', request.query.status);
      const ids = await q
        .orderBy('a.created_at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(request.query.limit)
        .execute();
      return {
        items: await applicationViews(
          db,
          ids.map((r) => r.id),
        ),
      };
    },
  );

  app.post(
    '/api/applications/:id/status',
    {
      config: { permission: 'application.write' },
      schema: {
        tags: ['applications'],
        summary: 'Move an application on: accepted, scheduled (with the visit date), done, rejected',
        params: z.object({ id: ZId }),
        body: z
          .object({
            status: z.enum(['accepted', 'scheduled', 'done', 'rejected']),
            note: z.string().trim().max(1000).optional(),
            visitDate: z
              .string()
              .regex(/^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
              .optional(),
          })
          .strict(),
        response: { 200: ZApplication, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const row = await db
        .selectFrom('application as a')
        .innerJoin('org_unit as ou', 'ou.id', 'a.org_unit_id')
        .select(['a.id', 'ou.path'])
        .where('a.id', '=', BigInt(request.params.id))
        .where('a.tenant_id', '=', access.user.tenantId)
        .executeTakeFirst();
      if (!row || !access.canAt('application.write', row.path))
        throw new AppError('UNKNOWN_APPLICATION', `Unknown application ${request.params.id}`, {
          id: request.params.id,
        });
      return changeApplicationStatus(
        db,
        { ...actorOf(request), name: access.user.fullName },
        {
          applicationId: row.id,
          status: request.body.status,
          note: request.body.note ?? null,
          visitDate: (request.body.visitDate ?? null) as LocalDate | null,
          by: 'user',
        },
      );
    },
  );
};
