import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { accessOf } from '../../http/context.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import { searchConsumers } from './consumers.repository.ts';

const ZConsumerQuery = z.object({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const ZConsumerRow = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  inn: z.string().nullable(),
  phone: z.string().nullable(),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  contracts: z.array(z.string()),
});

/** Consumer search within the caller's org-unit scope. */
export const consumerRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  app.get(
    '/api/consumers',
    {
      config: { permission: 'consumer.read' },
      schema: {
        tags: ['consumers'],
        summary: 'Consumers by contract/account number, INN, phone or name prefix, within scope',
        querystring: ZConsumerQuery,
        response: {
          200: z.object({ items: z.array(ZConsumerRow), total: z.number() }),
          401: ZErrorResponse,
          403: ZErrorResponse,
        },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const { rows, total } = await searchConsumers(opts.db, {
        tenantId: access.user.tenantId,
        scopePaths: access.scope('consumer.read'),
        ...request.query,
      });
      return {
        total,
        items: rows.map((r) => ({
          id: String(r.id),
          kind: r.kind,
          name: r.name,
          inn: r.inn,
          phone: r.phone,
          orgUnit: { id: String(r.org_unit_id), name: r.org_unit_name },
          contracts: r.contracts ?? [],
        })),
      };
    },
  );
};
