import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Search options: q matches a contract number or INN exactly, a phone, or a name prefix. */
export type ConsumerSearch = {
  tenantId: bigint;
  scopePaths: string[];
  q?: string | undefined;
  limit: number;
  offset: number;
};

/** Consumers inside the scope matching `q`, with their contract numbers and the total count. */
export async function searchConsumers(db: Db, s: ConsumerSearch) {
  let base = db
    .selectFrom('consumer as c')
    .innerJoin('org_unit as ou', 'ou.id', 'c.org_unit_id')
    .where('c.tenant_id', '=', s.tenantId)
    .where(inScope('ou.path', s.scopePaths));
  const q = s.q?.trim();
  if (q) {
    base = base.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('contract as k')
            .select('k.id')
            .whereRef('k.consumer_id', '=', 'c.id')
            .where('k.number', '=', q),
        ),
        eb('c.inn', '=', q),
        eb('c.phone', '=', q.startsWith('+') ? q : `+998${q.replace(/^998/, '')}`),
        eb(sql`lower(c.name)`, 'like', `${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    base
      .select([
        'c.id',
        'c.kind',
        'c.name',
        'c.inn',
        'c.phone',
        'c.org_unit_id',
        'ou.name as org_unit_name',
        (eb) =>
          eb
            .selectFrom('contract as k')
            .select(sql<string[]>`array_agg(k.number order by k.number)`.as('numbers'))
            .whereRef('k.consumer_id', '=', 'c.id')
            .as('contracts'),
      ])
      .orderBy('c.name')
      .orderBy('c.id')
      .limit(s.limit)
      .offset(s.offset)
      .execute(),
    base.select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
