// Bill-run benchmark (issue 4): generates N accounts with one reading each, bills them with the
// real bill run, then bills the same data with one hand-written set-based SQL statement (the
// floor) and prints one JSON line with both times and their ratio.
//
//   npm run bench:billrun                      1,000,000 accounts on the PostgreSQL of DATABASE_URL
//                                              (default postgres://postgres@127.0.0.1:5432/postgres),
//                                              in a throwaway database hisob_bench
//   npm run bench:billrun -- --accounts 100000 --pglite      on an in-memory PGlite
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import type { DB } from '../src/db/schema.ts';
import { type LocalDate, parsePeriod } from '../src/domain/period.ts';
import { SYSTEM_ACTOR } from '../src/modules/audit/audit.ts';
import { createBillRun, executeBillRun } from '../src/modules/billing/bill-run.service.ts';

const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string' },
    pglite: { type: 'boolean', default: false },
    chunk: { type: 'string', default: '5000' },
    workers: { type: 'string' },
  },
});
const pglite = args.pglite ?? false;
const accounts = Number(args.accounts ?? (pglite ? 100_000 : 1_000_000));
const chunk = Number(args.chunk);
const workers = Number(args.workers ?? (pglite ? 1 : 2));
const PERIOD = parsePeriod('2025-01');
const PRICE = 9_000_000n; // 900.00 so'm per kWh, in 1/10000 so'm

const log = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`);

async function openBenchDatabase(): Promise<Database> {
  if (pglite) return openDatabase({});
  const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const adminDb = await openDatabase({ url: admin, poolSize: 1 });
  await sql`drop database if exists hisob_bench`.execute(adminDb.db);
  await sql`create database hisob_bench`.execute(adminDb.db);
  await adminDb.close();
  const url = new URL(admin);
  url.pathname = '/hisob_bench';
  return openDatabase({ url: url.toString(), poolSize: 2 });
}

/** One supplier, one company, one flat tariff and `n` household accounts with one reading each. */
async function generate(db: Kysely<DB>, n: number): Promise<bigint> {
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
  const unit = await sql<{ id: bigint }>`
    insert into org_unit (tenant_id, kind, code, name) values (${t}, 'company', 'bench', 'Bench') returning id`.execute(
    db,
  );
  const ou = unit.rows[0]?.id ?? 0n;
  const tariff = await sql<{ id: bigint }>`
    insert into tariff (tenant_id, code, name, commodity, unit)
    values (${t}, 'FLAT', 'Flat', 'electricity', 'kWh') returning id`.execute(db);
  const tar = tariff.rows[0]?.id ?? 0n;
  await sql`insert into tariff_version (tariff_id, valid_from, pricing, price)
            values (${tar}, '2024-01-01', 'flat', ${PRICE})`.execute(db);
  await step(
    'consumers',
    sql`insert into consumer (tenant_id, org_unit_id, kind, name)
        select ${t}, ${ou}, 'household', 'Consumer ' || i from generate_series(1, ${n}::int) i`,
  );
  await step(
    'contracts',
    sql`insert into contract (tenant_id, consumer_id, org_unit_id, number, commodity, start_date)
        select ${t}, c.id, ${ou}, 'B' || c.id, 'electricity', '2024-12-01' from consumer c where c.tenant_id = ${t}`,
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
        select ${t}, p.id, 'S' || p.id, 6, 1, '2024-12-31' from metering_point p where p.tenant_id = ${t}`,
  );
  await step(
    'registers',
    sql`insert into register (meter_id, obis, install_reading)
        select m.id, '1.8.0', ((m.id * 7919) % 10000) * 10 from meter m where m.tenant_id = ${t}`,
  );
  await step(
    'readings',
    sql`insert into reading (tenant_id, register_id, read_on, value, source, status, confirmed_at)
        select ${t}, g.id, '2025-01-25', g.install_reading + 10 * (100 + (g.id * 104729) % 90000), 'import', 'accepted', now()
          from register g join meter m on m.id = g.meter_id where m.tenant_id = ${t}`,
  );
  await step('analyze', sql`analyze`);
  return t;
}

async function totals(db: Kysely<DB>): Promise<{ lines: number; amount: string }> {
  const r = await sql<{ n: bigint; s: string | null }>`
    select count(*) as n, sum(amount)::text as s from bill_line`.execute(db);
  return { lines: Number(r.rows[0]?.n ?? 0n), amount: r.rows[0]?.s ?? '0' };
}

/** The floor: the same bills and lines from one set-based statement, flat price, no rules. */
async function floor(db: Kysely<DB>, tenantId: bigint): Promise<number> {
  const started = performance.now();
  await sql`
    with b as (
      insert into bill (tenant_id, contract_id, period, billed_at)
      select ${tenantId}, k.id, ${PERIOD}, now() from contract k where k.tenant_id = ${tenantId}
      returning id, contract_id
    ), q as (
      select p.contract_id, (r.value - g.install_reading) * m.multiplier as q
        from metering_point p
        join meter m on m.metering_point_id = p.id
        join register g on g.meter_id = m.id
        join reading r on r.register_id = g.id and r.status = 'accepted'
                      and r.read_on between '2025-01-01' and '2025-01-31'
       where p.tenant_id = ${tenantId}
    ), a as (
      select b.id, q.q, round(q.q::numeric * ${PRICE} / 100000) as amount from b join q using (contract_id)
    )
    insert into bill_line (bill_id, seq, kind, basis, obis, quantity, price, amount, vat)
    select id, 1, 'energy', 'actual', '1.8.0', q, ${PRICE}, amount, round(amount * 12 / 112) from a`.execute(
    db,
  );
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const database = await openBenchDatabase();
  const { db } = database;
  try {
    await migrate(db);
    log(`generating ${accounts} accounts on ${database.kind}`);
    const tenantId = await generate(db, accounts);
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 100);
    const started = performance.now();
    const runId = await createBillRun(db, SYSTEM_ACTOR, {
      tenantId,
      period: PERIOD,
      orgUnitId: null,
      on: '2025-02-01' as LocalDate,
    });
    let lastLog = 0;
    const view = await executeBillRun(db, SYSTEM_ACTOR, runId, {
      on: '2025-02-01' as LocalDate,
      chunk,
      workers,
      onProgress: (v) => {
        if (performance.now() - lastLog > 5000) {
          lastLog = performance.now();
          log(`bill run ${v.percent} % (${v.done}/${v.total})`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const ours = await totals(db);
    log(`bill run: ${seconds.toFixed(1)} s, ${view.billed} billed, ${view.errors} errors`);
    const issues = await sql<{ code: string; message: string; n: bigint }>`
      select code, min(message) as message, count(*) as n from bill_run_issue group by code`.execute(db);
    for (const i of issues.rows) log(`issue ${i.code} × ${i.n}: ${i.message}`);
    await sql`truncate allocation, bill_line, bill, bill_run_issue, bill_run`.execute(db);
    const floorSeconds = await floor(db, tenantId);
    const theirs = await totals(db);
    log(`floor: ${floorSeconds.toFixed(1)} s`);
    const result = {
      bench: 'bill-run',
      engine: database.kind,
      accounts,
      chunk,
      workers,
      seconds: Number(seconds.toFixed(2)),
      accounts_per_second: Math.round(accounts / seconds),
      peak_rss_mb: Math.round(peakRss / 2 ** 20),
      floor_seconds: Number(floorSeconds.toFixed(2)),
      ratio: Number((seconds / floorSeconds).toFixed(2)),
      billed: view.billed,
      errors: view.errors,
      lines: ours.lines,
      same_result_as_floor: ours.lines === theirs.lines && ours.amount === theirs.amount,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await database.close();
  }
}

await main();
