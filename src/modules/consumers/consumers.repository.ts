import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** The columns the consumer table sorts by. */
export const CONSUMER_SORTS = ['name', 'contract', 'orgUnit'] as const;
export type ConsumerSort = (typeof CONSUMER_SORTS)[number];

/** The kinds of consumer. */
export const CONSUMER_KINDS = ['legal', 'entrepreneur', 'household'] as const;
export type ConsumerKind = (typeof CONSUMER_KINDS)[number];

/** Search options: `q` is one key (see searchKeysOf); the rest filter, sort and page. */
export type ConsumerSearch = {
  tenantId: bigint;
  scopePaths: string[];
  q?: string | undefined;
  kind?: ConsumerKind | undefined;
  /** Only consumers at or under the unit with this path (already checked to be in scope). */
  underPath?: string | undefined;
  sort?: ConsumerSort;
  dir?: 'asc' | 'desc';
  limit: number;
  offset: number;
  /** Up to this many matches a sort by contract sorts them; above, it walks the contract index. */
  sortInMemoryUpTo?: number;
};

/** What a search text can be: each key is tried by an index lookup of its own. */
export type SearchKeys = {
  /** Contract (personal account) numbers exactly as issued: leading zeros count. */
  numbers: string[];
  inn: string | null;
  pinfl: string | null;
  phone: string | null;
  serials: string[];
  /** The lower-cased name prefix. */
  namePrefix: string;
};

const NUMBER = /^[A-Za-z0-9-]{1,20}$/;
const SERIAL = /^[A-Za-z0-9._/-]{1,32}$/;

/** The keys a search text may stand for; a key whose shape the text cannot have is left out. */
export function searchKeysOf(text: string): SearchKeys {
  const q = text.trim();
  const variants = [...new Set([q, q.toUpperCase()])];
  const digits = q.replace(/[\s()-]/g, '');
  const phone = /^\+?998[0-9]{9}$/.test(digits)
    ? `+${digits.replace(/^\+/, '')}`
    : /^[0-9]{9}$/.test(digits)
      ? `+998${digits}`
      : null;
  return {
    numbers: variants.filter((v) => NUMBER.test(v)),
    inn: /^[0-9]{9}$/.test(q) ? q : null,
    pinfl: /^[0-9]{14}$/.test(q) ? q : null,
    phone,
    serials: variants.filter((v) => SERIAL.test(v)),
    namePrefix: q.toLowerCase(),
  };
}

/**
 * The ids of the supplier's consumers that one of the exact keys finds (contract number, INN,
 * PINFL, phone, meter serial): one index probe per key, a handful of rows at most.
 */
async function exactMatches(db: Db, tenantId: bigint, keys: SearchKeys): Promise<bigint[]> {
  const parts: Promise<{ id: bigint }[]>[] = [];
  if (keys.numbers.length > 0)
    parts.push(
      db
        .selectFrom('contract as k')
        .select('k.consumer_id as id')
        .where('k.tenant_id', '=', tenantId)
        .where('k.number', 'in', keys.numbers)
        .execute(),
    );
  if (keys.inn)
    parts.push(
      db
        .selectFrom('consumer as i')
        .select('i.id')
        .where('i.inn', '=', keys.inn)
        .where('i.tenant_id', '=', tenantId)
        .execute(),
    );
  if (keys.pinfl)
    parts.push(
      db
        .selectFrom('consumer as f')
        .select('f.id')
        .where('f.pinfl', '=', keys.pinfl)
        .where('f.tenant_id', '=', tenantId)
        .execute(),
    );
  if (keys.phone)
    parts.push(
      db
        .selectFrom('consumer as t')
        .select('t.id')
        .where('t.phone', '=', keys.phone)
        .where('t.tenant_id', '=', tenantId)
        .execute(),
    );
  if (keys.serials.length > 0)
    parts.push(
      db
        .selectFrom('meter as m')
        .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
        .innerJoin('contract as mk', 'mk.id', 'p.contract_id')
        .select('mk.consumer_id as id')
        .where('m.tenant_id', '=', tenantId)
        .where('m.serial', 'in', keys.serials)
        .execute(),
    );
  const found = await Promise.all(parts);
  return [...new Set(found.flat().map((r) => r.id))];
}

/**
 * A consumer's name as the table sorts and prefix-searches it: lower-cased and compared byte-wise
 * (collation "C"), which is what the index consumer_search_name_idx (migration 0019) holds, so a
 * prefix is a range scan and the first page of a sorted million is read in index order.
 */
const sortName = sql<string>`(lower(c.name) collate "C")`;

/**
 * The condition a consumer row `c` of a search meets: in an org unit of the scope (the units are
 * looked up first and listed, so the planner sees how many consumers each holds, and a count over
 * a million is an index-only scan), of the kind, and matching `q` by an exact key or a name prefix.
 * The units are the supplier's, so the condition holds only the supplier's consumers.
 */
async function consumerFilter(db: Db, s: ConsumerSearch): Promise<RawBuilder<SqlBool>> {
  let units = db
    .selectFrom('org_unit as su')
    .select('su.id')
    .where('su.tenant_id', '=', s.tenantId)
    .where(inScope('su.path', s.scopePaths));
  if (s.underPath) units = units.where(inScope('su.path', [s.underPath]));
  const unitIds = (await units.execute()).map((u) => u.id);
  if (unitIds.length === 0) return sql<SqlBool>`false`;
  const parts: RawBuilder<unknown>[] = [sql`c.org_unit_id in (${sql.join(unitIds)})`];
  const q = s.q?.trim();
  // The supplier is implied by its units; it is named where it leads an index (kind, name).
  if (s.kind || q) parts.push(sql`c.tenant_id = ${s.tenantId}`);
  if (s.kind) parts.push(sql`c.kind = ${s.kind}`);
  if (q) {
    const keys = searchKeysOf(q);
    const ids = await exactMatches(db, s.tenantId, keys);
    // A prefix as a byte range: every name starting with it sorts at or after it and before it
    // followed by the highest code point; the index answers a range alone (count included).
    const byName = sql`(${sortName} >= ${keys.namePrefix} and ${sortName} < ${`${keys.namePrefix}\u{10FFFF}`})`;
    // Without exact hits the name alone decides, and the name index also gives the order.
    parts.push(ids.length > 0 ? sql`(${byName} or c.id in (${sql.join(ids)}))` : byName);
  }
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** A consumer's contract numbers, in order. */
function contractNumbers(c: Expression<bigint>) {
  return sql<
    string[] | null
  >`(select array_agg(x.number order by x.number) from contract x where x.consumer_id = ${c})`;
}

/** One row of the consumer table. */
export type ConsumerRow = {
  id: bigint;
  kind: string;
  name: string;
  inn: string | null;
  pinfl: string | null;
  phone: string | null;
  legal_address: string | null;
  status: string;
  org_unit_id: bigint;
  org_unit_name: string;
  contracts: string[] | null;
};

const COLUMNS = [
  'c.id',
  'c.kind',
  'c.name',
  'c.inn',
  'c.pinfl',
  'c.phone',
  'c.legal_address',
  'c.status',
  'c.org_unit_id',
  'ou.name as org_unit_name',
] as const;

/**
 * Consumers inside the scope matching `q`, filtered by kind and org unit, sorted and paged, with
 * their contract numbers and the total count.
 */
export async function searchConsumers(
  db: Db,
  s: ConsumerSearch,
): Promise<{ rows: ConsumerRow[]; total: number }> {
  const dir = s.dir ?? 'asc';
  const filter = await consumerFilter(db, s);
  const numbers = contractNumbers(sql.ref('c.id'));
  // The count first: it is an index-only scan, and it tells how to sort by contract.
  const count = await db
    .selectFrom('consumer as c')
    .where(filter)
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  const total = Number(count.n);
  let page: Promise<ConsumerRow[]>;
  switch (s.sort ?? 'name') {
    case 'name':
      page = db
        .selectFrom('consumer as c')
        .innerJoin('org_unit as ou', 'ou.id', 'c.org_unit_id')
        .where('c.tenant_id', '=', s.tenantId) // the name index's first column: read in order
        .where(filter)
        .select(COLUMNS)
        .select(numbers.as('contracts'))
        .orderBy(sortName, dir)
        .orderBy('c.id', dir)
        .limit(s.limit)
        .offset(s.offset)
        .execute();
      break;
    case 'orgUnit':
      // Per org unit its first offset+limit consumers by name (an index range each, lateral),
      // then the page of those: the first page of a million is about a hundred short index scans.
      page = db
        .selectFrom('org_unit as ou')
        .innerJoinLateral(
          (eb) =>
            eb
              .selectFrom('consumer as c')
              .whereRef('c.org_unit_id', '=', 'ou.id')
              .where(filter)
              .select([
                'c.id',
                'c.kind',
                'c.name',
                'c.inn',
                'c.pinfl',
                'c.phone',
                'c.legal_address',
                'c.status',
              ])
              .select(sortName.as('sort_name'))
              .orderBy(sortName, dir)
              .orderBy('c.id', dir)
              .limit(s.offset + s.limit)
              .as('c'),
          (join) => join.onTrue(),
        )
        .where('ou.tenant_id', '=', s.tenantId)
        .select(['c.id', 'c.kind', 'c.name', 'c.inn', 'c.pinfl', 'c.phone', 'c.legal_address', 'c.status'])
        .select(['ou.id as org_unit_id', 'ou.name as org_unit_name'])
        .select(numbers.as('contracts'))
        .orderBy('ou.name', dir)
        .orderBy('ou.id', dir)
        .orderBy('c.sort_name', dir)
        .orderBy('c.id', dir)
        .limit(s.limit)
        .offset(s.offset)
        .execute();
      break;
    case 'contract':
      page = byContract(db, s, filter, total, dir);
      break;
  }
  return { rows: await page, total };
}

/** The first contract number of consumer `c`. */
const firstNumber = sql<string | null>`(select min(y.number) from contract y where y.consumer_id = c.id)`;

/** Up to this many matches, sorting by contract sorts them; above it, the contract index is walked. */
const SORT_IN_MEMORY = 10_000;

/**
 * A page sorted by each consumer's first contract number. A few matches (a district, a search)
 * are sorted as they are; many (a region, the company) are read by walking the contract index in
 * number order, which then stops after the page. The walk lists consumers that have a contract
 * (hisob creates none without one), the sort lists any without one last.
 */
async function byContract(
  db: Db,
  s: ConsumerSearch,
  filter: RawBuilder<SqlBool>,
  total: number,
  dir: 'asc' | 'desc',
): Promise<ConsumerRow[]> {
  const numbers = contractNumbers(sql.ref('c.id'));
  if (total <= (s.sortInMemoryUpTo ?? SORT_IN_MEMORY)) {
    // The page's ids from the indexes alone, then their rows.
    const ids = await db
      .selectFrom('consumer as c')
      .where(filter)
      .select('c.id')
      .orderBy(firstNumber, (ob) => (dir === 'asc' ? ob.asc().nullsLast() : ob.desc().nullsLast()))
      .orderBy('c.id', dir)
      .limit(s.limit)
      .offset(s.offset)
      .execute();
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('consumer as c')
      .innerJoin('org_unit as ou', 'ou.id', 'c.org_unit_id')
      .where(
        'c.id',
        'in',
        ids.map((r) => r.id),
      )
      .select(COLUMNS)
      .select(numbers.as('contracts'))
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((r) => byId.get(r.id) ?? []);
  }
  return db
    .selectFrom('contract as fk')
    .innerJoin('consumer as c', 'c.id', 'fk.consumer_id')
    .innerJoin('org_unit as ou', 'ou.id', 'c.org_unit_id')
    .where('fk.tenant_id', '=', s.tenantId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('contract as y')
            .select('y.id')
            .whereRef('y.consumer_id', '=', 'fk.consumer_id')
            .whereRef('y.number', '<', 'fk.number'),
        ),
      ),
    )
    .where(filter)
    .select(COLUMNS)
    .select(numbers.as('contracts'))
    .orderBy('fk.number', dir)
    .orderBy('c.id', dir)
    .limit(s.limit)
    .offset(s.offset)
    .execute();
}

/** The org-unit path of a unit of the supplier, or undefined. */
export async function orgUnitPath(db: Db, tenantId: bigint, id: bigint): Promise<string | undefined> {
  const row = await db
    .selectFrom('org_unit')
    .select('path')
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.path;
}
