import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_ENGINE } from '../../test/support/db.ts';
import type { Database } from '../db/database.ts';
import { verifyPassword } from '../modules/auth/password.ts';
import { ROLES } from '../modules/auth/permissions.ts';
import { clearDemo, DEMO_PASSWORD, DEMO_USERS, isDatabaseEmpty, loadDemo } from './demo.ts';

const TODAY = '2026-11-23';

describe(`demo data (${TEST_ENGINE})`, () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
    const started = Date.now();
    await loadDemo(database.db, { today: TODAY });
    console.log(`demo loaded on ${TEST_ENGINE} in ${(Date.now() - started) / 1000} s`);
  });
  afterAll(async () => {
    await database.close();
  });

  const count = async (table: string, where = 'true') =>
    Number(
      (
        await sql<{
          n: bigint;
        }>`select count(*) as n from ${sql.table(table)} where ${sql.raw(where)}`.execute(database.db)
      ).rows[0]?.n,
    );

  it('has two suppliers with their org trees', async () => {
    const tenants = await database.db
      .selectFrom('tenant')
      .select(['id', 'commodity'])
      .orderBy('id')
      .execute();
    expect(tenants.map((t) => t.commodity)).toEqual(['electricity', 'heat']);
    const units = await database.db.selectFrom('org_unit').select(['tenant_id', 'kind']).execute();
    const of = (tenant: bigint, kind: string) =>
      units.filter((u) => u.tenant_id === tenant && u.kind === kind).length;
    const [elec, heat] = tenants.map((t) => t.id) as [bigint, bigint];
    expect([of(elec, 'company'), of(elec, 'region'), of(elec, 'district')]).toEqual([1, 2, 4]);
    expect([of(heat, 'company'), of(heat, 'region'), of(heat, 'district')]).toEqual([1, 0, 1]);
  });

  it('has a user for every staff role, each signing in with the demo password', async () => {
    const roles = await database.db.selectFrom('user_role').select('role_code').distinct().execute();
    expect(roles.map((r) => r.role_code).sort()).toEqual([...ROLES].sort());
    const op = await database.db
      .selectFrom('app_user')
      .select('password_hash')
      .where('login', '=', 'operator.chilonzor')
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(op.password_hash, DEMO_PASSWORD)).toBe(true);
    expect(await count('app_user')).toBe(DEMO_USERS.length);
  });

  it('has at least 2,000 consumers, legal ones with INNs, every contract with terms and a meter', async () => {
    expect(await count('consumer')).toBeGreaterThanOrEqual(2000);
    expect(await count('consumer', "kind = 'household'")).toBeGreaterThan(1000);
    expect(await count('consumer', "kind <> 'household'")).toBeGreaterThan(400);
    expect(await count('consumer', "kind <> 'household' and inn is null")).toBe(0);
    expect(
      await count(
        'contract',
        'not exists (select 1 from contract_version v where v.contract_id = contract.id)',
      ),
    ).toBe(0);
    expect(
      await count(
        'contract',
        'not exists (select 1 from metering_point p join meter m on m.metering_point_id = p.id where p.contract_id = contract.id)',
      ),
    ).toBe(0);
    expect(await count('register', "obis in ('1.8.1', '1.8.2', '1.8.3')")).toBeGreaterThan(0);
    expect(await count('register', "obis = '3.8.0'")).toBeGreaterThan(0);
    expect(await count('tariff_version')).toBeGreaterThanOrEqual(6);
    const multipliers = await sql<{
      m: bigint;
    }>`select distinct multiplier as m from meter order by 1`.execute(database.db);
    expect(multipliers.rows.map((r) => r.m)).toEqual([1n, 10n, 20n, 40n, 80n]);
    expect(await count('consumer', "kind = 'household' and phone is null")).toBe(0);
    expect(await count('contract_version', 'tan_phi_norm is not null')).toBeGreaterThan(0);
  });

  it('bills and closes the demo year but its last month, which stays open for a bill run', async () => {
    expect(
      await count('billing_period', "status = 'closed' and period between '2025-11' and '2026-09'"),
    ).toBe(22);
    expect(await count('billing_period', "status = 'open' and period = '2026-10'")).toBe(2);
    expect(await count('billing_period')).toBe(24);
    expect(await count('bill', "period = '2026-10'")).toBe(0);
    // Every closed month has numbered bills for nearly every account, and payments followed them.
    expect(await count('bill', "period = '2026-09' and number is not null")).toBeGreaterThan(1900);
    expect(await count('payment', "paid_on between '2026-09-01' and '2026-09-30'")).toBeGreaterThan(1500);
    // Some consumers pay late or not at all (penalties), some ahead (an advance).
    expect(await count('bill_line', "kind = 'penalty'")).toBeGreaterThan(100);
    expect(await count('bill_line', "kind = 'overconsumption'")).toBeGreaterThan(100);
    expect(await count('bill_line', "kind = 'reactive'")).toBeGreaterThan(10);
    expect(await count('allocation')).toBeGreaterThan(15_000);
  });

  it('has a tariff price in force from the start of every contract', async () => {
    expect(
      await count(
        'contract_version',
        'not exists (select 1 from tariff_version tv where tv.tariff_id = contract_version.tariff_id and tv.valid_from <= contract_version.valid_from)',
      ),
    ).toBe(0);
  });

  it('numbers heat contracts with 5 digits where leading zeros matter', async () => {
    const heat = await database.db
      .selectFrom('contract')
      .select('number')
      .where('commodity', '=', 'heat')
      .execute();
    expect(heat.length).toBeGreaterThan(0);
    expect(heat.every((c) => /^\d{5}$/.test(c.number))).toBe(true);
    expect(heat.some((c) => c.number.startsWith('0'))).toBe(true);
  });

  it('has 12 months of confirmed readings, rising, within the meter digits, with a few gaps', async () => {
    const perRegister = await sql<{
      months: bigint;
    }>`select count(distinct to_char(read_on, 'YYYY-MM')) as months
      from reading group by register_id`.execute(database.db);
    expect(perRegister.rows.length).toBe(await count('register'));
    // About 3 % of register-months are left without a reading, for estimation to have work.
    expect(perRegister.rows.every((r) => r.months >= 10n && r.months <= 12n)).toBe(true);
    expect(perRegister.rows.some((r) => r.months < 12n)).toBe(true);
    const present = perRegister.rows.reduce((a, r) => a + Number(r.months), 0);
    expect(present / (12 * perRegister.rows.length)).toBeGreaterThan(0.95);
    const months = await sql<{
      first: string;
      last: string;
    }>`select min(read_on)::text as first, max(read_on)::text as last from reading`.execute(database.db);
    expect(months.rows[0]?.first.slice(0, 7)).toBe('2025-11');
    expect(months.rows[0]?.last.slice(0, 7)).toBe('2026-10');
    const falling = await sql<{ n: bigint }>`select count(*) as n from (
        select value, lag(value) over (partition by register_id order by read_on) as prev from reading) x
      where value < prev`.execute(database.db);
    expect(falling.rows[0]?.n).toBe(0n);
    expect(await count('reading', 'value % 10 <> 0')).toBe(0);
    expect(await count('reading', "status <> 'accepted' or confirmed_by is null")).toBe(0);
    const tooBig = await sql<{
      n: bigint;
    }>`select count(*) as n from reading r join register g on g.id = r.register_id
      join meter m on m.id = g.meter_id where r.value >= power(10::numeric, m.digits) * 1000`.execute(
      database.db,
    );
    expect(tooBig.rows[0]?.n).toBe(0n);
    expect(await count('reading', 'extract(day from read_on) not between 20 and 25')).toBe(0);
  });

  it('refuses to load over existing data, and loads again after clearing', async () => {
    await expect(loadDemo(database.db, { today: TODAY })).rejects.toThrow(/empty/);
    await clearDemo(database.db);
    expect(await isDatabaseEmpty(database.db)).toBe(true);
    const summary = await loadDemo(database.db, { today: TODAY, households: 40, legal: 12, heatLegal: 4 });
    expect(summary.consumers).toBe(56);
  });
});

describe('demo determinism', () => {
  it('gives the same data for the same seed', async () => {
    const fingerprint = async () => {
      const d = await openTestDatabase();
      try {
        await loadDemo(d.db, { today: TODAY, households: 30, legal: 10, heatLegal: 3, seed: 7 });
        const r = await sql<{ names: string; total: string }>`select
            (select string_agg(name, '|' order by id) from consumer) as names,
            (select sum(value)::text from reading) || '/' || (select sum(amount)::text from bill_line)
              || '/' || (select sum(amount)::text from payment) as total`.execute(d.db);
        return r.rows[0];
      } finally {
        await d.close();
      }
    };
    const a = await fingerprint();
    const b = await fingerprint();
    expect(a).toEqual(b);
    expect(a?.names.length).toBeGreaterThan(100);
  });
});
