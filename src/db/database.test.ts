import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixture } from '../../test/support/app.ts';
import { openTestDatabase, TEST_ENGINE } from '../../test/support/db.ts';
import type { Database } from './database.ts';
import { ensurePartitions, migrate, readMigrations } from './migrate.ts';

describe(`database on ${TEST_ENGINE}`, () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await database.close();
  });

  it('applies every migration once and nothing on a second run', async () => {
    const first = await migrate(database.db);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));
    const second = await migrate(database.db);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(first.applied.length);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const files = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(database.db, files)).rejects.toMatchObject({ code: 'MIGRATION_CHANGED' });
  });

  it('round-trips bigint money beyond 2^53 and dates as plain strings', async () => {
    const { tenantId } = await createOrgFixture(database.db, 'roundtrip');
    const big = 9_007_199_254_740_993n; // 2^53 + 1: a float would lose the last digit
    const row = await database.db
      .insertInto('tariff')
      .values({ tenant_id: tenantId, code: 'RT', name: 'rt', commodity: 'electricity', unit: 'kWh' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const version = await database.db
      .insertInto('tariff_version')
      .values({ tariff_id: row.id, valid_from: '2025-03-01', pricing: 'flat', price: big })
      .returning(['price', 'valid_from', 'id'])
      .executeTakeFirstOrThrow();
    expect(version.price).toBe(big);
    expect(typeof version.id).toBe('bigint');
    expect(version.valid_from).toBe('2025-03-01');
  });

  it('refuses a tariff version that does not start on the 1st of a month', async () => {
    const { tenantId } = await createOrgFixture(database.db, 'tariff-first');
    const t = await database.db
      .insertInto('tariff')
      .values({ tenant_id: tenantId, code: 'T1', name: 't', commodity: 'electricity', unit: 'kWh' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      database.db
        .insertInto('tariff_version')
        .values({ tariff_id: t.id, valid_from: '2025-03-02', pricing: 'flat', price: 9_000_000n })
        .execute(),
    ).rejects.toThrow(/check constraint/);
  });

  it('keeps (channel, external id) unique within a supplier', async () => {
    const f = await createOrgFixture(database.db, 'payments');
    const contract = await database.db
      .selectFrom('contract')
      .select('id')
      .where('tenant_id', '=', f.tenantId)
      .executeTakeFirstOrThrow();
    const payment = {
      tenant_id: f.tenantId,
      contract_id: contract.id,
      channel: 'payme',
      external_id: 'tx-1',
      amount: 100_00n,
      paid_on: '2025-03-10',
    };
    await database.db.insertInto('payment').values(payment).execute();
    await expect(database.db.insertInto('payment').values(payment).execute()).rejects.toThrow(
      /unique|duplicate/i,
    );
    await expect(
      database.db
        .insertInto('payment')
        .values({ ...payment, external_id: 'tx-2', amount: 0n })
        .execute(),
    ).rejects.toThrow(/check constraint/);
  });

  it('refuses an unbalanced ledger posting at commit and keeps a balanced one', async () => {
    const { tenantId } = await createOrgFixture(database.db, 'ledger');
    const entry = (txn: string, account: string, debit: bigint, credit: bigint) => ({
      tenant_id: tenantId,
      txn_id: txn,
      posted_on: '2025-03-31',
      account_code: account,
      debit,
      credit,
      source: 'test',
    });
    const balanced = randomUUID();
    await database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('ledger_entry')
        .values([
          entry(balanced, '4010', 112_00n, 0n),
          entry(balanced, '9010', 0n, 100_00n),
          entry(balanced, '6410', 0n, 12_00n),
        ])
        .execute();
    });
    const unbalanced = randomUUID();
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('ledger_entry')
          .values([entry(unbalanced, '4010', 112_00n, 0n), entry(unbalanced, '9010', 0n, 100_00n)])
          .execute();
      }),
    ).rejects.toThrow(/unbalanced/);
    const rows = await database.db
      .selectFrom('ledger_entry')
      .select(['txn_id'])
      .where('txn_id', 'in', [balanced, unbalanced])
      .execute();
    expect(rows.map((r) => r.txn_id)).toEqual([balanced, balanced, balanced]);
  });

  it('builds org-unit paths and refuses a region under a district', async () => {
    const f = await createOrgFixture(database.db, 'paths');
    expect(f.units.n1.path).toBe(`/${f.units.company.id}/${f.units.north.id}/${f.units.n1.id}/`);
    await expect(
      database.db
        .insertInto('org_unit')
        .values({
          tenant_id: f.tenantId,
          kind: 'region',
          code: 'paths-BAD',
          name: 'bad',
          parent_id: f.units.n1.id,
        })
        .execute(),
    ).rejects.toThrow(/cannot be placed/);
  });

  it('moves rows out of the default partition when their month gets a partition', async () => {
    const { tenantId } = await createOrgFixture(database.db, 'parts');
    await database.db
      .insertInto('audit_log')
      .values({
        tenant_id: tenantId,
        actor_type: 'system',
        action: 'test.partition',
        entity: 'x',
        at: new Date('2031-05-10T10:00:00Z'),
      })
      .execute();
    const created = await ensurePartitions(database.db, '2031-05-01', '2031-05-01');
    expect(created).toBe(3);
    const inPart = await sql<{
      n: bigint;
    }>`select count(*) as n from audit_log_203105 where action = 'test.partition'`.execute(database.db);
    expect(inPart.rows[0]?.n).toBe(1n);
    expect(await ensurePartitions(database.db, '2031-05-01', '2031-05-01')).toBe(0);
  });
});
