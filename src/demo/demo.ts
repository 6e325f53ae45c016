import { type Kysely, sql } from 'kysely';
import { ensurePartitions } from '../db/migrate.ts';
import type { DB } from '../db/schema.ts';
import {
  addPeriods,
  firstDay,
  parseLocalDate,
  periodInTashkent,
  periodOf,
  periodsBetween,
  todayInTashkent,
} from '../domain/period.ts';
import { SYSTEM_ACTOR, writeAudit } from '../modules/audit/audit.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { allocateIds, at, insertBatches } from './batch.ts';
import { loadDemoClaims } from './claims.ts';
import { generateConsumers } from './consumers.ts';
import { loadBillingHistory } from './history.ts';
import { Random } from './random.ts';
import { insertCategories, insertMeterTypes, insertTariffs } from './reference.ts';
import { insertReferenceData } from './reference-data.ts';
import { DEMO_USERS, ELECTRICITY_UNITS, HEAT_UNITS, idOf, insertOrgUnits, insertStaff } from './staff.ts';
import type { DemoMeter, DistrictPlan } from './types.ts';

export { DEMO_USERS };

/** The password of every demo user (README). */
export const DEMO_PASSWORD = 'hisob-demo-2025';

/** Row counts of a demo load. */
export type DemoSummary = {
  tenants: number;
  orgUnits: number;
  users: number;
  consumers: number;
  contracts: number;
  meters: number;
  registers: number;
  readings: number;
  tariffs: number;
  tariffVersions: number;
  /** Billing history: months closed per supplier, bills with lines, payments. */
  closedPeriods: number;
  bills: number;
  payments: number;
};

/** Options of loadDemo: `today` 'YYYY-MM-DD' (default: today in Tashkent) and the sizes. */
export type DemoOptions = {
  today?: string;
  households?: number;
  legal?: number;
  heatLegal?: number;
  seed?: number;
};

/** True when no supplier exists yet (a fresh installation). */
export async function isDatabaseEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('tenant').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** Deletes all business data, keeping the reference rows that migrations install. */
export async function clearDemo(db: Kysely<DB>): Promise<void> {
  await sql`truncate tenant, org_unit, app_user, user_role, user_session, consumer_category, consumer, tariff,
    tariff_version, tariff_zone_price, tariff_block, contract, contract_version, contract_volume, metering_point,
    meter_type, meter, register, reading, billing_period, bill, bill_line, payment, allocation, ledger_entry,
    audit_log restart identity cascade`.execute(db);
}

/**
 * Loads the demo into an empty, migrated database in one transaction: two suppliers, their org
 * units and staff, ~2,000 consumers with contracts, meters, a year of confirmed readings, and the
 * bills and payments of that year but its last month, which stays open for a bill run.
 * Deterministic: the same seed and `today` give the same data.
 */
export async function loadDemo(db: Kysely<DB>, opts: DemoOptions = {}): Promise<DemoSummary> {
  if (!(await isDatabaseEmpty(db)))
    throw new Error('The database already has data: the demo loads only into an empty one');
  const current = opts.today ? periodOf(parseLocalDate(opts.today)) : periodInTashkent();
  const months = periodsBetween(addPeriods(current, -12), addPeriods(current, -1));
  const random = new Random(opts.seed ?? 1);
  // Argon2 is slow on purpose: hash once, every demo user shares the hash.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  return db.transaction().execute(async (trx) => {
    await ensurePartitions(trx, firstDay(addPeriods(current, -13)), firstDay(addPeriods(current, 3)));
    const tenantRows = await trx
      .insertInto('tenant')
      .values([
        {
          code: 'uzenergo-sotish',
          name: 'Hududiy elektr tarmoqlari AJ',
          commodity: 'electricity',
          inn: '200934501',
          address: "Toshkent sh., Istiqlol ko'chasi, 6",
          bank_mfo: '00014',
          bank_account: '20210000400123456001',
        },
        {
          code: 'toshissiqquvvat',
          name: 'Toshissiqquvvat AJ',
          commodity: 'heat',
          inn: '201122334',
          address: "Toshkent sh., Mirzo Ulug'bek t., Buyuk Ipak yo'li, 41",
          bank_mfo: '00440',
          bank_account: '20210000900765432001',
        },
      ])
      .returning(['id', 'code'])
      .execute();
    const tenantIds = new Map(tenantRows.map((t) => [t.code, t.id]));
    const tenants = { elec: idOf(tenantIds, 'uzenergo-sotish'), heat: idOf(tenantIds, 'toshissiqquvvat') };
    const units = await insertOrgUnits(trx, tenants);
    const operators = await insertStaff(trx, { tenants, units, passwordHash });

    // The demo year is billed and closed month by month (loadBillingHistory) but for its last month.
    await trx
      .insertInto('billing_period')
      .values(
        [tenants.elec, tenants.heat].flatMap((tenant_id) => months.map((period) => ({ tenant_id, period }))),
      )
      .execute();

    const tariffs = await insertTariffs(trx, { ...tenants, current });
    const categories = await insertCategories(trx, tenants);
    const meterTypes = await insertMeterTypes(trx, tenants);
    await insertReferenceData(trx, { ...tenants, units, current });

    const elecDistricts = ELECTRICITY_UNITS.filter((u) => u.kind === 'district');
    const heatDistrict = HEAT_UNITS.find((u) => u.kind === 'district');
    if (!heatDistrict) throw new Error('the heat supplier needs a district');
    const households = opts.households ?? 1600;
    const legal = opts.legal ?? 400;
    const share = (total: number, i: number) =>
      Math.floor(total / elecDistricts.length) + (i < total % elecDistricts.length ? 1 : 0);
    const plans: DistrictPlan[] = [
      ...elecDistricts.map((u, i) => ({
        tenantId: tenants.elec,
        orgUnitId: idOf(units, u.code),
        districtIndex: i + 1,
        city: u.city ?? '',
        commodity: 'electricity' as const,
        households: share(households, i),
        legal: share(legal, i),
        operatorId: operators.get(u.code) ?? null,
      })),
      {
        tenantId: tenants.heat,
        orgUnitId: idOf(units, heatDistrict.code),
        districtIndex: 1,
        city: heatDistrict.city ?? '',
        commodity: 'heat' as const,
        households: 0,
        legal: opts.heatLegal ?? 60,
        operatorId: operators.get(heatDistrict.code) ?? null,
      },
    ];
    const generated = generateConsumers(random, plans, { months, tariffs, categories, meterTypes });

    // Ids are reserved up front so that every table goes in with a few multi-row statements.
    const consumerIds = await allocateIds(trx, 'consumer', generated.length);
    const contractIds = await allocateIds(trx, 'contract', generated.length);
    const meterOwner: { meter: DemoMeter; contractIndex: number }[] = generated.flatMap((c, i) =>
      c.meters.map((meter) => ({ meter, contractIndex: i })),
    );
    const meterIds = await allocateIds(trx, 'meter', meterOwner.length);
    const pointIds = await allocateIds(trx, 'metering_point', meterOwner.length);
    const registerIds = await allocateIds(
      trx,
      'register',
      meterOwner.reduce((n, m) => n + m.meter.registers.length, 0),
    );

    await insertBatches(
      trx,
      'consumer',
      generated.map((c, i) => ({ ...c.consumer, id: at(consumerIds, i) })),
    );
    await insertBatches(
      trx,
      'contract',
      generated.map((c, i) => ({ ...c.contract, id: at(contractIds, i), consumer_id: at(consumerIds, i) })),
    );
    await insertBatches(
      trx,
      'contract_version',
      generated.map((c, i) => ({ ...c.version, contract_id: at(contractIds, i) })),
    );
    await insertBatches(
      trx,
      'contract_volume',
      generated.flatMap((c, i) => c.volumes.map((v) => ({ ...v, contract_id: at(contractIds, i) }))),
    );
    await insertBatches(
      trx,
      'metering_point',
      meterOwner.map(({ meter, contractIndex }, k) => ({
        id: at(pointIds, k),
        tenant_id: meter.tenantId,
        contract_id: at(contractIds, contractIndex),
        code: `MP-${generated[contractIndex]?.contract.number}-${meter.pointNo}`,
        name: meter.pointName,
        address: generated[contractIndex]?.consumer.legal_address ?? null,
      })),
    );
    await insertBatches(
      trx,
      'meter',
      meterOwner.map(({ meter }, k) => ({
        ...meter.row,
        id: at(meterIds, k),
        metering_point_id: at(pointIds, k),
      })),
    );
    await insertBatches(
      trx,
      'meter_seal',
      meterOwner.flatMap(({ meter }, k) =>
        meter.seals.map((seal) => ({
          tenant_id: meter.tenantId,
          meter_id: at(meterIds, k),
          number: seal.number,
          place: seal.place,
          set_on: meter.row.installed_on,
          set_by: seal.setBy,
        })),
      ),
    );
    const registerRows: Record<string, unknown>[] = [];
    const readingRows: Record<string, unknown>[] = [];
    meterOwner.forEach(({ meter }, k) => {
      for (const reg of meter.registers) {
        const registerId = at(registerIds, registerRows.length);
        registerRows.push({
          id: registerId,
          meter_id: at(meterIds, k),
          obis: reg.obis,
          install_reading: reg.installReading,
        });
        for (const reading of reg.readings) {
          readingRows.push({ tenant_id: meter.tenantId, register_id: registerId, ...reading });
        }
      }
    });
    await insertBatches(trx, 'register', registerRows);
    await insertBatches(trx, 'reading', readingRows);
    const history = await loadBillingHistory(trx, { tenants: [tenants.elec, tenants.heat], months, random });
    const today = opts.today ? parseLocalDate(opts.today) : todayInTashkent();
    await loadDemoClaims(trx, { tenantId: tenants.elec, today });

    const summary: DemoSummary = {
      tenants: tenantRows.length,
      orgUnits: units.size,
      users: DEMO_USERS.length,
      consumers: generated.length,
      contracts: generated.length,
      meters: meterOwner.length,
      registers: registerRows.length,
      readings: readingRows.length,
      tariffs: tariffs.count,
      tariffVersions: tariffs.versions,
      ...history,
    };
    await writeAudit(trx, SYSTEM_ACTOR, {
      action: 'demo.load',
      entity: 'installation',
      entityId: null,
      after: summary,
    });
    return summary;
  });
}
