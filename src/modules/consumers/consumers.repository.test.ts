import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixture, type OrgFixture } from '../../../test/support/app.ts';
import { openTestDatabase, TEST_ENGINE } from '../../../test/support/db.ts';
import type { Database } from '../../db/database.ts';
import { type ConsumerSearch, searchConsumers, searchKeysOf } from './consumers.repository.ts';

describe(`consumer search repository (${TEST_ENGINE})`, () => {
  let database: Database;
  let f: OrgFixture;
  let all: ConsumerSearch;

  beforeAll(async () => {
    database = await openTestDatabase();
    const db = database.db;
    f = await createOrgFixture(db, 'walk');
    // A second contract that sorts first for the n2 consumer, and a consumer without a contract.
    const n2 = await db
      .selectFrom('consumer')
      .select('id')
      .where('org_unit_id', '=', f.units.n2.id)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('contract')
      .values({
        tenant_id: f.tenantId,
        consumer_id: n2.id,
        org_unit_id: f.units.n2.id,
        number: '00007',
        commodity: 'electricity',
        start_date: '2025-01-01',
      })
      .execute();
    await db
      .insertInto('consumer')
      .values({
        tenant_id: f.tenantId,
        org_unit_id: f.units.s1.id,
        kind: 'household',
        name: 'Without contract',
      })
      .execute();
    all = { tenantId: f.tenantId, scopePaths: [f.units.company.path], limit: 10, offset: 0 };
  });

  afterAll(async () => {
    await database?.close();
  });

  const firsts = async (s: ConsumerSearch) =>
    (await searchConsumers(database.db, s)).rows.map((r) => r.contracts?.[0] ?? null);

  it('sorts by the first contract number the same whether it sorts the matches or walks the index', async () => {
    for (const dir of ['asc', 'desc'] as const) {
      const sorted = await firsts({ ...all, sort: 'contract', dir });
      const walked = await firsts({ ...all, sort: 'contract', dir, sortInMemoryUpTo: 0 });
      // The walk lists consumers that have a contract; the sort puts one without any last.
      expect(sorted).toEqual([...walked, null]);
      expect(walked).toEqual(
        dir === 'asc' ? ['00007', 'WALK-n1', 'WALK-s1'] : ['WALK-s1', 'WALK-n1', '00007'],
      );
      const page = await firsts({ ...all, sort: 'contract', dir, sortInMemoryUpTo: 0, limit: 1, offset: 1 });
      expect(page).toEqual(['WALK-n1']);
    }
    expect(
      (await searchConsumers(database.db, { ...all, sort: 'contract', sortInMemoryUpTo: 0 })).total,
    ).toBe(4);
  });

  it('reads a search text as every key it can be', () => {
    expect(searchKeysOf(' 0101000007 ')).toMatchObject({
      numbers: ['0101000007'],
      inn: null,
      phone: null,
      serials: ['0101000007'],
      namePrefix: '0101000007',
    });
    expect(searchKeysOf('302000146')).toMatchObject({ inn: '302000146', phone: '+998302000146' });
    expect(searchKeysOf('+998 (90) 123-45-67')).toMatchObject({ phone: '+998901234567', numbers: [] });
    expect(searchKeysOf('ce10000049')).toMatchObject({ numbers: ['ce10000049', 'CE10000049'] });
    expect(searchKeysOf('Aliyeva Madina')).toMatchObject({
      numbers: [],
      serials: [],
      namePrefix: 'aliyeva madina',
    });
    expect(searchKeysOf('41234567890123').pinfl).toBe('41234567890123');
  });
});
