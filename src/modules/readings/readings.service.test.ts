import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixture } from '../../../test/support/app.ts';
import { openTestDatabase, TEST_ENGINE } from '../../../test/support/db.ts';
import type { Database } from '../../db/database.ts';
import { type LocalDate, parseLocalDate } from '../../domain/period.ts';
import { parsePrice } from '../../domain/price.ts';
import { parseReading } from '../../domain/quantity.ts';
import { createAccount } from '../accounts/accounts.service.ts';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { createTariff } from '../tariffs/tariffs.service.ts';
import { recordReading } from './readings.service.ts';

describe(`recording readings (${TEST_ENGINE})`, () => {
  let database: Database;
  let tenantId: bigint;
  let registerId: bigint;
  const today = parseLocalDate('2025-06-30');

  beforeAll(async () => {
    database = await openTestDatabase();
    const f = await createOrgFixture(database.db, 'readings');
    tenantId = f.tenantId;
    registerId = await database.db.transaction().execute(async (trx) => {
      const tariffId = await createTariff(trx, SYSTEM_ACTOR, {
        tenantId,
        code: 'T',
        name: 'T',
        commodity: 'electricity',
        unit: 'kWh',
        versions: [
          {
            from: parseLocalDate('2025-01-01'),
            pricing: { kind: 'flat', price: parsePrice('900') },
            reactivePrice: null,
          },
        ],
      });
      const account = await createAccount(trx, SYSTEM_ACTOR, {
        tenantId,
        orgUnitId: f.units.n1.id,
        number: '00042',
        name: 'Example LLC',
        kind: 'legal',
        inn: '301234567',
        commodity: 'electricity',
        tariffId,
        startDate: parseLocalDate('2024-12-31'),
        specialSupply: false,
        defaultVolume: null,
        volumes: [],
        estimation: 'contract',
        tanPhiNorm: null,
        meters: [
          {
            serial: 'M1',
            digits: 5,
            multiplier: 40n,
            installedOn: parseLocalDate('2024-12-31'),
            registers: [{ obis: '1.8.0', installReading: parseReading('99000.00') }],
          },
        ],
      });
      const reg = await trx
        .selectFrom('register')
        .select('id')
        .where('meter_id', '=', account.meterIds[0] ?? 0n)
        .executeTakeFirstOrThrow();
      return reg.id;
    });
  });
  afterAll(async () => {
    await database.close();
  });

  const record = (readOn: string, value: string) =>
    database.db.transaction().execute((trx) =>
      recordReading(trx, SYSTEM_ACTOR, {
        tenantId,
        registerId,
        readOn: readOn as LocalDate,
        value: parseReading(value),
        source: 'operator',
        today,
        accept: true,
      }),
    );

  it('accepts a rising reading, a rollover, and refuses one below the previous (same period too)', async () => {
    expect((await record('2025-01-25', '99500.00')).advance).toBe(parseReading('500.00'));
    expect((await record('2025-02-25', '120.00')).advance).toBe(parseReading('620.00')); // around the dial
    await expect(record('2025-02-26', '110.00')).rejects.toMatchObject({ code: 'READING_BELOW_PREVIOUS' });
    expect((await record('2025-03-25', '900.00')).advance).toBe(parseReading('780.00'));
  });

  it('refuses readings in the future, beyond the digits, or in a closed period, and stores none of them', async () => {
    const before = await database.db
      .selectFrom('reading')
      .select('id')
      .where('register_id', '=', registerId)
      .execute();
    await expect(record('2025-07-01', '950.00')).rejects.toMatchObject({ code: 'READING_IN_FUTURE' });
    await expect(record('2025-04-25', '100000.00')).rejects.toMatchObject({ code: 'READING_TOO_LARGE' });
    await database.db
      .insertInto('billing_period')
      .values({ tenant_id: tenantId, period: '2025-04', status: 'closed', closed_at: new Date() })
      .execute();
    await expect(record('2025-04-25', '950.00')).rejects.toMatchObject({ code: 'PERIOD_CLOSED' });
    await expect(record('2024-12-01', '950.00')).rejects.toMatchObject({
      code: 'READING_OUTSIDE_METER_LIFE',
    });
    const after = await database.db
      .selectFrom('reading')
      .select('id')
      .where('register_id', '=', registerId)
      .execute();
    expect(after).toHaveLength(before.length);
  });

  it('audits each reading with its district', async () => {
    const rows = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'reading.create')
      .execute();
    expect(rows).toHaveLength(3);
    expect(rows[0]?.org_unit_path).toMatch(/^\/\d+\/\d+\/\d+\/$/);
    expect(rows[0]?.after).toMatchObject({ read_on: '2025-01-25', value: '99500000', accepted: true });
  });
});
