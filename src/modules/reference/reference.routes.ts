import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Kysely, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { ERROR_RESPONSES } from '../../http/common.schemas.ts';
import { accessOf } from '../../http/context.ts';
import { BANKS, CATEGORIES, CHANNELS, METER_TYPES, REASONS } from './dictionaries.ts';
import { registerDictionary } from './dictionary.ts';
import { referenceHolidayRoutes } from './holidays.ts';
import { referenceNetworkRoutes } from './network.ts';
import { referenceTariffRoutes } from './tariffs.routes.ts';

/** The audit entities of reference data, whose change history the editors show. */
const HISTORY_ENTITIES = [
  'tariff',
  'holiday',
  'bank',
  'consumer_category',
  'meter_type',
  'payment_channel',
  'reason_code',
  'network_node',
] as const;

const ZChange = z.object({
  at: z.string(),
  action: z.string(),
  actor: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

/**
 * Reference data (NSI, R1; issue 6 point 2): tariffs with dated versions, the working-day
 * calendar, banks, consumer categories, meter types, payment channels, reason codes and the
 * network tree. Everyone with `reference.read` views them; changing needs `reference.write` at
 * the supplier's company unit; every change is audited with before and after.
 */
export const referenceRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  await app.register(referenceTariffRoutes, { db });
  await app.register(referenceHolidayRoutes, { db });
  await app.register(referenceNetworkRoutes, { db });
  registerDictionary(app, db, BANKS);
  registerDictionary(app, db, CATEGORIES);
  registerDictionary(app, db, METER_TYPES);
  registerDictionary(app, db, CHANNELS);
  registerDictionary(app, db, REASONS);

  app.get(
    '/api/reference/history',
    {
      config: { permission: 'reference.read' },
      schema: {
        tags: ['reference'],
        summary: 'The change history of one reference entry (who, when, before, after), newest first',
        querystring: z.object({ entity: z.enum(HISTORY_ENTITIES), id: z.string().min(1).max(32) }),
        response: { 200: z.object({ items: z.array(ZChange) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const rows = await db
        .selectFrom('audit_log as a')
        .leftJoin('app_user as u', (j) =>
          j.on('a.actor_type', '=', 'user').on(sql<SqlBool>`a.actor_id = u.id::text`),
        )
        .select(['a.at', 'a.action', 'a.before', 'a.after', 'u.full_name', 'a.actor_type'])
        .where('a.entity', '=', request.query.entity)
        .where('a.entity_id', '=', request.query.id)
        .where('a.tenant_id', '=', access.user.tenantId)
        .orderBy('a.at', 'desc')
        .limit(200)
        .execute();
      return {
        items: rows.map((r) => ({
          at: r.at.toISOString(),
          action: r.action,
          actor: r.full_name ?? r.actor_type,
          before: r.before,
          after: r.after,
        })),
      };
    },
  );
};
