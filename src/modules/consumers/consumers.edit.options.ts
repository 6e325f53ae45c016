import { type Kysely, sql } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import type { Access } from '../auth/access.ts';
import type { ZEditOptions } from './consumers.edit.schemas.ts';
import { lastClosedPeriod, openPeriodAfter } from './consumers.edit.shared.ts';

/**
 * What the consumer and contract editors offer the caller: the supplier's commodity and open
 * period, the districts where the caller holds `consumer.write`, and the active tariffs,
 * consumer categories and banks of the supplier's reference data.
 */
export async function editOptions(db: Kysely<DB>, access: Access): Promise<z.infer<typeof ZEditOptions>> {
  const tenantId = access.user.tenantId;
  const [tenant, lastClosed, districts, tariffs, categories, banks] = await Promise.all([
    db.selectFrom('tenant').select('commodity').where('id', '=', tenantId).executeTakeFirstOrThrow(),
    lastClosedPeriod(db, tenantId),
    db
      .selectFrom('org_unit')
      .select(['id', 'name'])
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'district')
      .where(inScope('path', access.scope('consumer.write')))
      .orderBy('name')
      .execute(),
    db
      .selectFrom('tariff as t')
      .leftJoin('tariff_version as v', 'v.tariff_id', 't.id')
      .select(['t.id', 't.code', 't.name', 't.commodity', 't.unit'])
      .select([
        sql<boolean>`coalesce(bool_or(v.pricing = 'blocks'), false)`.as('blocks'),
        sql<string | null>`min(v.valid_from)::text`.as('first_from'),
      ])
      .where('t.tenant_id', '=', tenantId)
      .where('t.active', '=', true)
      .groupBy('t.id')
      .orderBy('t.code')
      .execute(),
    db
      .selectFrom('consumer_category')
      .select(['id', 'code', 'name', 'kind'])
      .where('tenant_id', '=', tenantId)
      .where('active', '=', true)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('bank')
      .select(['mfo', 'name'])
      .where('tenant_id', '=', tenantId)
      .where('active', '=', true)
      .orderBy('mfo')
      .execute(),
  ]);
  return {
    commodity: tenant.commodity === 'heat' ? 'heat' : 'electricity',
    lastClosed,
    openPeriod: openPeriodAfter(lastClosed),
    districts: districts.map((d) => ({ id: String(d.id), name: d.name })),
    tariffs: tariffs.map((t) => ({
      id: String(t.id),
      code: t.code,
      name: t.name,
      commodity: t.commodity,
      unit: t.unit,
      blocks: t.blocks,
      firstFrom: t.first_from,
    })),
    categories: categories.map((c) => ({ id: String(c.id), code: c.code, name: c.name, kind: c.kind })),
    banks,
  };
}
