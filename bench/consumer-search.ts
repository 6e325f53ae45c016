// Consumer search benchmark (issue 6): generates N consumers with a contract, a metering point, a
// meter and a register each over 100 districts, then times every kind of search through the
// repository the route uses (searchConsumers: one page of 50 and the total count), and a
// primary-key lookup of a consumer in the same run as the baseline. Prints one JSON line with
// p50/p95 in milliseconds per kind and each p50's ratio to the baseline's.
//
//   npx tsx bench/consumer-search.ts                  1,000,000 consumers on the PostgreSQL of
//                                                     DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
//                                                     in a throwaway database hisob_bench_consumers
//   npx tsx bench/consumer-search.ts --consumers 100000 --pglite      on an in-memory PGlite
//   --keep leaves the database for another run with --reuse (no new data, the same rows timed again)
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import type { DB } from '../src/db/schema.ts';
import { type ConsumerSearch, searchConsumers } from '../src/modules/consumers/consumers.repository.ts';

const { values: args } = parseArgs({
  options: {
    consumers: { type: 'string' },
    pglite: { type: 'boolean', default: false },
    runs: { type: 'string', default: '40' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
  },
});
const pglite = args.pglite ?? false;
const consumers = Number(args.consumers ?? (pglite ? 100_000 : 1_000_000));
const runs = Number(args.runs);
const DISTRICTS = 100;
const BENCH_DB = 'hisob_bench_consumers';

const log = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`);

async function openBenchDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (pglite) return { database: await openDatabase({}), drop: async () => {} };
  const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const adminDb = await openDatabase({ url: admin, poolSize: 1 });
  if (!args.reuse) {
    await sql`drop database if exists ${sql.id(BENCH_DB)} with (force)`.execute(adminDb.db);
    await sql`create database ${sql.id(BENCH_DB)}`.execute(adminDb.db);
  }
  const url = new URL(admin);
  url.pathname = `/${BENCH_DB}`;
  return {
    database: await openDatabase({ url: url.toString(), poolSize: 2 }),
    drop: async () => {
      if (!args.keep) await sql`drop database if exists ${sql.id(BENCH_DB)} with (force)`.execute(adminDb.db);
      await adminDb.close();
    },
  };
}

const SURNAMES = `Karimov Rahimov Toshmatov Yusupov Abdullayev Aliyev Ergashev Sobirov Nazarov Qodirov
  Mirzayev Saidov Xolmatov Rustamov Ismoilov Jo'rayev Hasanov Usmonov Nurmatov Azimov Bakirov
  Davletov G'aniyev Haydarov Islomov Kamolov Latipov Mahmudov Normatov Olimov`.split(/\s+/);
const FIRST = `Aziz Bobur Jasur Dilshod Sardor Otabek Sherzod Rustam Anvar Farrux Dilnoza Gulnora
  Malika Nodira Shahnoza Madina Zarina Feruza Kamola Nigora`.split(/\s+/);
const arr = (xs: string[]) => sql.raw(`array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`);

/**
 * One supplier, company → 2 regions → 100 districts, and `n` consumers spread over them: 90 %
 * households (account numbers of 10 digits with leading zeros, phones) and 10 % legal entities
 * (6-digit numbers, INN); names repeat as real ones do (30 surnames × 20 first names).
 */
async function generate(
  db: Kysely<DB>,
  n: number,
): Promise<{ tenantId: bigint; company: string; district: string }> {
  log(`generating ${n} consumers`);
  const step = async (what: string, q: { execute: (d: Kysely<DB>) => Promise<unknown> }) => {
    const t = performance.now();
    await q.execute(db);
    log(`${what}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  const tenant = await sql<{ id: bigint }>`
    insert into tenant (code, name, commodity) values ('bench', 'Bench supplier', 'electricity') returning id`.execute(
    db,
  );
  const t = tenant.rows[0]?.id ?? 0n;
  const company = await sql<{ id: bigint; path: string }>`
    insert into org_unit (tenant_id, kind, code, name) values (${t}, 'company', 'HQ', 'Bench') returning id, path`.execute(
    db,
  );
  const hq = company.rows[0];
  if (!hq) throw new Error('no company');
  await sql`insert into org_unit (tenant_id, kind, code, name, parent_id)
            select ${t}, 'region', 'R' || r, 'Region ' || r, ${hq.id} from generate_series(1, 2) r`.execute(
    db,
  );
  await sql`insert into org_unit (tenant_id, kind, code, name, parent_id)
            select ${t}, 'district', 'D' || d, 'District ' || lpad(d::text, 3, '0'),
                   (select id from org_unit where code = 'R' || (1 + d % 2) and tenant_id = ${t})
              from generate_series(1, ${DISTRICTS}::int) d`.execute(db);
  const tariff = await sql<{ id: bigint }>`
    insert into tariff (tenant_id, code, name, commodity, unit)
    values (${t}, 'FLAT', 'Flat', 'electricity', 'kWh') returning id`.execute(db);
  const tar = tariff.rows[0]?.id ?? 0n;
  await step(
    'consumers',
    sql`with d as (select array_agg(id order by id) as ids from org_unit where kind = 'district' and tenant_id = ${t})
        insert into consumer (tenant_id, org_unit_id, kind, name, inn, pinfl, phone)
        select ${t}, d.ids[1 + i % ${DISTRICTS}::int],
               case when i % 10 = 0 then 'legal' else 'household' end,
               case when i % 10 = 0 then 'MChJ ' || (${arr(SURNAMES)})[1 + (i * 7) % 30] || ' ' || i
                    else (${arr(SURNAMES)})[1 + (i * 7919) % 30] || ' ' || (${arr(FIRST)})[1 + (i * 104729) % 20]
                         || ' ' || (${arr(FIRST)})[1 + (i * 31) % 20] || 'ovich' end,
               case when i % 10 = 0 then (300000000 + i)::text end,
               case when i % 10 <> 0 and i % 3 = 0 then lpad(i::text, 14, '3') end,
               case when i % 10 <> 0 then '+99890' || lpad(i::text, 7, '0') end
          from d, generate_series(1::bigint, ${n}::bigint) i`,
  );
  await step(
    'contracts',
    sql`insert into contract (tenant_id, consumer_id, org_unit_id, number, commodity, start_date)
        select ${t}, c.id, c.org_unit_id,
               case when c.kind = 'legal' then lpad(c.id::text, 7, '0') else lpad(c.id::text, 10, '0') end,
               'electricity', '2024-12-01'
          from consumer c where c.tenant_id = ${t}`,
  );
  await step(
    'contract versions',
    sql`insert into contract_version (contract_id, valid_from, tariff_id)
        select k.id, '2024-12-01', ${tar} from contract k where k.tenant_id = ${t}`,
  );
  await step(
    'metering points',
    sql`insert into metering_point (tenant_id, contract_id, code)
        select ${t}, k.id, 'MP' || k.id from contract k where k.tenant_id = ${t}`,
  );
  await step(
    'meters',
    sql`insert into meter (tenant_id, metering_point_id, serial, digits, multiplier, installed_on)
        select ${t}, p.id, 'CE' || (10000000 + p.id * 7), 6, 1, '2024-12-31' from metering_point p where p.tenant_id = ${t}`,
  );
  await step(
    'registers',
    sql`insert into register (meter_id, obis, install_reading)
        select m.id, '1.8.0', 0 from meter m where m.tenant_id = ${t}`,
  );
  await step('vacuum analyze', sql`vacuum analyze`);
  const d = await sql<{
    path: string;
  }>`select path from org_unit where code = 'D7' and tenant_id = ${t}`.execute(db);
  return { tenantId: t, company: hq.path, district: d.rows[0]?.path ?? '' };
}

/** The data of an earlier run kept with --keep (for --reuse). */
async function existing(db: Kysely<DB>): Promise<{ tenantId: bigint; company: string; district: string }> {
  const r = await sql<{ tenant_id: bigint; company: string; district: string }>`
    select t.id as tenant_id, (select path from org_unit where code = 'HQ' and tenant_id = t.id) as company,
           (select path from org_unit where code = 'D7' and tenant_id = t.id) as district
      from tenant t where t.code = 'bench'`.execute(db);
  const row = r.rows[0];
  if (!row) throw new Error('no bench data to reuse: run once with --keep');
  return { tenantId: row.tenant_id, company: row.company, district: row.district };
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

async function main(): Promise<void> {
  const { database, drop } = await openBenchDatabase();
  const { db } = database;
  try {
    await migrate(db);
    const { tenantId, company, district } = args.reuse ? await existing(db) : await generate(db, consumers);
    const ids = await sql<{
      id: bigint;
      number: string;
      inn: string | null;
      phone: string | null;
      pinfl: string | null;
      name: string;
      serial: string;
    }>`
      select c.id, k.number, c.inn, c.phone, c.pinfl, c.name, m.serial
        from consumer c join contract k on k.consumer_id = c.id
        join metering_point p on p.contract_id = k.id join meter m on m.metering_point_id = p.id
       where c.tenant_id = ${tenantId} order by random() limit ${runs * 4}`.execute(db);
    const sample = ids.rows;
    const pick = <T>(f: (r: (typeof sample)[number]) => T | null, i: number): T => {
      const rows = sample.filter((r) => f(r) !== null);
      const v = f(rows[i % rows.length] ?? (sample[0] as (typeof sample)[number]));
      if (v === null) throw new Error('no sample');
      return v;
    };
    const everywhere: ConsumerSearch = { tenantId, scopePaths: [company], limit: 50, offset: 0 };
    const inDistrict: ConsumerSearch = { ...everywhere, scopePaths: [district] };

    const kinds: Record<string, (i: number) => Promise<unknown>> = {
      baseline_primary_key: (i) =>
        db
          .selectFrom('consumer')
          .selectAll()
          .where(
            'id',
            '=',
            pick((r) => r.id, i),
          )
          .executeTakeFirst(),
      contract_number_leading_zeros: (i) =>
        searchConsumers(db, {
          ...everywhere,
          q: pick((r) => (r.number.startsWith('0') ? r.number : null), i),
        }),
      inn: (i) => searchConsumers(db, { ...everywhere, q: pick((r) => r.inn, i) }),
      pinfl: (i) => searchConsumers(db, { ...everywhere, q: pick((r) => r.pinfl, i) }),
      phone: (i) => searchConsumers(db, { ...everywhere, q: pick((r) => r.phone?.slice(4) ?? null, i) }),
      meter_serial: (i) => searchConsumers(db, { ...everywhere, q: pick((r) => r.serial.toLowerCase(), i) }),
      name_prefix_full: (i) =>
        searchConsumers(db, { ...everywhere, q: pick((r) => r.name.split(' ').slice(0, 2).join(' '), i) }),
      name_prefix_3_letters: (i) =>
        searchConsumers(db, { ...everywhere, q: pick((r) => r.name.slice(0, 3), i) }),
      name_prefix_in_district: (i) =>
        searchConsumers(db, { ...inDistrict, q: pick((r) => r.name.split(' ')[0] ?? null, i) }),
      no_text_sort_name: (i) =>
        searchConsumers(db, { ...everywhere, dir: i % 2 ? 'asc' : 'desc', offset: (i % 4) * 50 }),
      no_text_sort_contract: (i) =>
        searchConsumers(db, { ...everywhere, sort: 'contract', dir: i % 2 ? 'asc' : 'desc' }),
      no_text_sort_org_unit: (i) =>
        searchConsumers(db, { ...everywhere, sort: 'orgUnit', dir: i % 2 ? 'asc' : 'desc' }),
      no_text_district_sort_name: (i) => searchConsumers(db, { ...inDistrict, offset: (i % 4) * 50 }),
      no_text_households_sort_contract: (i) =>
        searchConsumers(db, {
          ...inDistrict,
          kind: 'household',
          sort: 'contract',
          dir: i % 2 ? 'asc' : 'desc',
        }),
    };
    const result: Record<string, { p50_ms: number; p95_ms: number; ratio_p50: number }> = {};
    let baseline = 1;
    for (const [kind, run] of Object.entries(kinds)) {
      for (let i = 0; i < 3; i++) await run(i); // warm the cache and the plan
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await run(i);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 50);
      if (kind === 'baseline_primary_key') baseline = p50;
      result[kind] = {
        p50_ms: Number(p50.toFixed(2)),
        p95_ms: Number(percentile(times, 95).toFixed(2)),
        ratio_p50: Number((p50 / baseline).toFixed(1)),
      };
      log(`${kind}: p50 ${p50.toFixed(1)} ms`);
    }
    process.stdout.write(
      `${JSON.stringify({ bench: 'consumer-search', engine: database.kind, consumers, districts: DISTRICTS, runs, result })}\n`,
    );
  } finally {
    await database.close();
    await drop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
