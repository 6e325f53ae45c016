import { type Kysely, sql, type Transaction } from 'kysely';
import { ensurePartitions } from '../db/migrate.ts';
import type { DB } from '../db/schema.ts';
import {
  addPeriods,
  firstDay,
  type Period,
  parseLocalDate,
  periodInTashkent,
  periodOf,
  periodsBetween,
} from '../domain/period.ts';
import { SYSTEM_ACTOR, writeAudit } from '../modules/audit/audit.ts';
import { hashPassword } from '../modules/auth/password.ts';
import type { RoleCode } from '../modules/auth/permissions.ts';
import { type DemoMeter, type DistrictPlan, generateConsumers } from './consumers.ts';
import { Random } from './random.ts';

/** The password of every demo user (README). */
export const DEMO_PASSWORD = 'hisob-demo-2025';

type UnitSpec = {
  code: string;
  name: string;
  kind: 'company' | 'region' | 'district';
  parent?: string;
  city?: string;
  slug?: string;
};

const ELECTRICITY_UNITS: UnitSpec[] = [
  { code: 'ELEC', name: 'Hududiy elektr tarmoqlari AJ', kind: 'company' },
  { code: 'TSH', name: 'Toshkent shahar HET', kind: 'region', parent: 'ELEC' },
  {
    code: 'TSH-CHL',
    name: 'Chilonzor tuman ETK',
    kind: 'district',
    parent: 'TSH',
    city: 'Toshkent sh., Chilonzor t.',
    slug: 'chilonzor',
  },
  {
    code: 'TSH-YUN',
    name: 'Yunusobod tuman ETK',
    kind: 'district',
    parent: 'TSH',
    city: 'Toshkent sh., Yunusobod t.',
    slug: 'yunusobod',
  },
  { code: 'SAM', name: 'Samarqand viloyati HET', kind: 'region', parent: 'ELEC' },
  {
    code: 'SAM-SHR',
    name: 'Samarqand shahar ETK',
    kind: 'district',
    parent: 'SAM',
    city: 'Samarqand sh.',
    slug: 'samarqand',
  },
  {
    code: 'SAM-URG',
    name: 'Urgut tuman ETK',
    kind: 'district',
    parent: 'SAM',
    city: 'Samarqand vil., Urgut t.',
    slug: 'urgut',
  },
];

const HEAT_UNITS: UnitSpec[] = [
  { code: 'TIQ', name: 'Toshissiqquvvat AJ', kind: 'company' },
  {
    code: 'TIQ-MUB',
    name: "Mirzo Ulug'bek issiqlik tarmog'i",
    kind: 'district',
    parent: 'TIQ',
    city: "Toshkent sh., Mirzo Ulug'bek t.",
    slug: 'mub',
  },
];

/** The demo staff: login, role and the org unit the role is granted at. */
export const DEMO_USERS: readonly { login: string; role: RoleCode; unitCode: string; fullName: string }[] = [
  { login: 'admin', role: 'admin', unitCode: 'ELEC', fullName: 'Karimov Aziz Rustamovich' },
  { login: 'analyst', role: 'analyst', unitCode: 'ELEC', fullName: 'Yusupova Malika Anvarovna' },
  {
    login: 'accountant.toshkent',
    role: 'accountant',
    unitCode: 'TSH',
    fullName: 'Rahimova Gulnora Sobirovna',
  },
  { login: 'lawyer.toshkent', role: 'lawyer', unitCode: 'TSH', fullName: 'Nazarov Sherzod Alimovich' },
  {
    login: 'accountant.samarqand',
    role: 'accountant',
    unitCode: 'SAM',
    fullName: 'Saidova Nodira Akmalovna',
  },
  { login: 'lawyer.samarqand', role: 'lawyer', unitCode: 'SAM', fullName: 'Qodirov Jasur Erkinovich' },
  ...ELECTRICITY_UNITS.filter((u) => u.kind === 'district').flatMap((u, i) => [
    {
      login: `operator.${u.slug}`,
      role: 'operator' as const,
      unitCode: u.code,
      fullName: ['Tursunov Otabek', 'Aliyeva Dilnoza', 'Sobirov Farrux', 'Ergasheva Kamola'][i] ?? 'Operator',
    },
    {
      login: `inspector.${u.slug}`,
      role: 'inspector' as const,
      unitCode: u.code,
      fullName: ['Ismoilov Bobur', 'Xolmatov Akmal', 'Mirzayev Javlon', 'Usmonov Nodir'][i] ?? 'Inspector',
    },
    {
      login: `clerk.${u.slug}`,
      role: 'clerk' as const,
      unitCode: u.code,
      fullName: ['Abdullayeva Zarina', 'Hasanova Sevara', 'Nazarova Madina', 'Saidova Feruza'][i] ?? 'Clerk',
    },
  ]),
  { login: 'heat.admin', role: 'admin', unitCode: 'TIQ', fullName: "To'xtayev Sanjar Bahodirovich" },
  { login: 'heat.accountant', role: 'accountant', unitCode: 'TIQ', fullName: 'Jo‘rayeva Lola Karimovna' },
  { login: 'heat.operator', role: 'operator', unitCode: 'TIQ-MUB', fullName: 'Yusupov Behzod Anvarovich' },
  { login: 'heat.inspector', role: 'inspector', unitCode: 'TIQ-MUB', fullName: 'Rahimov Jamshid Sobirovich' },
  { login: 'heat.clerk', role: 'clerk', unitCode: 'TIQ-MUB', fullName: 'Karimova Mohira Dilshodovna' },
];

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
};

/** Options of loadDemo. */
export type DemoOptions = {
  today?: string;
  households?: number;
  legal?: number;
  heatLegal?: number;
  seed?: number;
};

type Db = Kysely<DB> | Transaction<DB>;

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
 * units and staff, ~2,000 consumers with contracts, meters and a year of confirmed readings.
 * Deterministic: the same seed and `today` give the same data.
 */
export async function loadDemo(db: Kysely<DB>, opts: DemoOptions = {}): Promise<DemoSummary> {
  if (!(await isDatabaseEmpty(db)))
    throw new Error('The database already has data: the demo loads only into an empty one');
  const today = opts.today ? parseLocalDate(opts.today) : undefined;
  const current = today ? periodOf(today) : periodInTashkent();
  const months = periodsBetween(addPeriods(current, -12), addPeriods(current, -1));
  const random = new Random(opts.seed ?? 1);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  return db.transaction().execute(async (trx) => {
    await ensurePartitions(trx, firstDay(addPeriods(current, -13)), firstDay(addPeriods(current, 3)));
    const elec = await insertTenant(trx, {
      code: 'uzenergo-sotish',
      name: 'Hududiy elektr tarmoqlari AJ',
      commodity: 'electricity',
      inn: '200934501',
      address: 'Toshkent sh., Istiqlol ko‘chasi, 6',
      bank_mfo: '00014',
      bank_account: '20210000400123456001',
    });
    const heat = await insertTenant(trx, {
      code: 'toshissiqquvvat',
      name: 'Toshissiqquvvat AJ',
      commodity: 'heat',
      inn: '201122334',
      address: "Toshkent sh., Mirzo Ulug'bek t., Buyuk Ipak yo'li, 41",
      bank_mfo: '00440',
      bank_account: '20210000900765432001',
    });
    const units = new Map<string, bigint>();
    for (const [tenantId, specs] of [
      [elec, ELECTRICITY_UNITS],
      [heat, HEAT_UNITS],
    ] as const) {
      for (const u of specs) {
        const { id } = await trx
          .insertInto('org_unit')
          .values({
            tenant_id: tenantId,
            parent_id: u.parent ? unitId(units, u.parent) : null,
            kind: u.kind,
            code: u.code,
            name: u.name,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        units.set(u.code, id);
      }
    }
    const operators = new Map<string, bigint>();
    for (const u of DEMO_USERS) {
      const tenantId = HEAT_UNITS.some((h) => h.code === u.unitCode) ? heat : elec;
      const { id } = await trx
        .insertInto('app_user')
        .values({
          tenant_id: tenantId,
          login: u.login,
          full_name: u.fullName,
          password_hash: passwordHash,
          locale: 'uz',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('user_role')
        .values({ user_id: id, role_code: u.role, org_unit_id: unitId(units, u.unitCode) })
        .execute();
      if (u.role === 'operator') operators.set(u.unitCode, id);
    }

    const tariffs = await insertTariffs(trx, { elec, heat, current });
    const categories = await insertCategories(trx, { elec, heat });
    const meterTypes = await insertMeterTypes(trx, { elec, heat });

    const elecDistricts = ELECTRICITY_UNITS.filter((u) => u.kind === 'district');
    const households = opts.households ?? 1600;
    const legal = opts.legal ?? 400;
    const plans: DistrictPlan[] = [
      ...elecDistricts.map((u, i) => ({
        tenantId: elec,
        orgUnitId: unitId(units, u.code),
        districtIndex: i + 1,
        city: u.city ?? '',
        commodity: 'electricity' as const,
        households:
          Math.floor(households / elecDistricts.length) + (i < households % elecDistricts.length ? 1 : 0),
        legal: Math.floor(legal / elecDistricts.length) + (i < legal % elecDistricts.length ? 1 : 0),
        operatorId: operators.get(u.code) ?? null,
      })),
      {
        tenantId: heat,
        orgUnitId: unitId(units, 'TIQ-MUB'),
        districtIndex: 1,
        city: HEAT_UNITS[1]?.city ?? '',
        commodity: 'heat' as const,
        households: 0,
        legal: opts.heatLegal ?? 60,
        operatorId: operators.get('TIQ-MUB') ?? null,
      },
    ];
    const generated = generateConsumers(random, plans, { months, tariffs, categories, meterTypes });
    const ids = {
      consumer: await allocateIds(trx, 'consumer', generated.length),
      contract: await allocateIds(trx, 'contract', generated.length),
    };
    const meters = generated.flatMap((c) => c.meters);
    const meterIds = await allocateIds(trx, 'meter', meters.length);
    const pointIds = await allocateIds(trx, 'metering_point', meters.length);
    const registers = meters.flatMap((m) => m.registers);
    const registerIds = await allocateIds(trx, 'register', registers.length);

    await insertBatches(
      trx,
      'consumer',
      generated.map((c, i) => ({ ...c.consumer, id: at(ids.consumer, i) })),
    );
    await insertBatches(
      trx,
      'contract',
      generated.map((c, i) => ({ ...c.contract, id: at(ids.contract, i), consumer_id: at(ids.consumer, i) })),
    );
    await insertBatches(
      trx,
      'contract_version',
      generated.map((c, i) => ({ ...c.version, contract_id: at(ids.contract, i) })),
    );
    await insertBatches(
      trx,
      'contract_volume',
      generated.flatMap((c, i) => c.volumes.map((v) => ({ ...v, contract_id: at(ids.contract, i) }))),
    );

    const meterOwner: { meter: DemoMeter; contractIndex: number }[] = [];
    generated.forEach((c, i) => {
      for (const m of c.meters) meterOwner.push({ meter: m, contractIndex: i });
    });
    await insertBatches(
      trx,
      'metering_point',
      meterOwner.map(({ meter, contractIndex }, k) => ({
        id: at(pointIds, k),
        tenant_id: meter.tenantId,
        contract_id: at(ids.contract, contractIndex),
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
    let r = 0;
    const registerRows: Record<string, unknown>[] = [];
    const readingRows: Record<string, unknown>[] = [];
    meters.forEach((m, k) => {
      for (const reg of m.registers) {
        const registerId = at(registerIds, r++);
        registerRows.push({
          id: registerId,
          meter_id: at(meterIds, k),
          obis: reg.obis,
          install_reading: reg.installReading,
        });
        for (const reading of reg.readings) {
          readingRows.push({ tenant_id: m.tenantId, register_id: registerId, ...reading });
        }
      }
    });
    await insertBatches(trx, 'register', registerRows);
    await insertBatches(trx, 'reading', readingRows);

    const summary: DemoSummary = {
      tenants: 2,
      orgUnits: units.size,
      users: DEMO_USERS.length,
      consumers: generated.length,
      contracts: generated.length,
      meters: meters.length,
      registers: registerRows.length,
      readings: readingRows.length,
      tariffs: tariffs.count,
      tariffVersions: tariffs.versions,
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

function at(ids: readonly bigint[], i: number): bigint {
  const id = ids[i];
  if (id === undefined) throw new Error(`no id allocated at ${i}`);
  return id;
}

function unitId(units: Map<string, bigint>, code: string): bigint {
  const id = units.get(code);
  if (id === undefined) throw new Error(`unknown org unit ${code}`);
  return id;
}

async function insertTenant(
  trx: Db,
  t: {
    code: string;
    name: string;
    commodity: 'electricity' | 'heat';
    inn: string;
    address: string;
    bank_mfo: string;
    bank_account: string;
  },
): Promise<bigint> {
  const { id } = await trx.insertInto('tenant').values(t).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Reserves `n` ids of a table's identity sequence, so parent and child rows can be inserted in bulk. */
async function allocateIds(trx: Db, table: string, n: number): Promise<bigint[]> {
  if (n === 0) return [];
  const r = await sql<{ id: bigint }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::bigint as id
    from generate_series(1, ${n}::int)`.execute(trx);
  return r.rows.map((row) => row.id);
}

/** Inserts rows in multi-row statements of ~1,000 rows. */
async function insertBatches(
  trx: Db,
  table: keyof DB,
  rows: Record<string, unknown>[],
  size = 1000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    // The rows were built for `table`; Kysely cannot check a table chosen at run time.
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

/** Tariff ids by code, and how many tariffs and versions were made. */
export type DemoTariffs = { byCode: Map<string, bigint>; count: number; versions: number };

async function insertTariffs(
  trx: Db,
  t: { elec: bigint; heat: bigint; current: Period },
): Promise<DemoTariffs> {
  const since = firstDay(addPeriods(t.current, -24));
  const raise = firstDay(addPeriods(t.current, -5));
  const byCode = new Map<string, bigint>();
  let versions = 0;
  const tariff = async (
    tenantId: bigint,
    code: string,
    name: string,
    commodity: 'electricity' | 'heat',
    unit: 'kWh' | 'Gcal',
  ) => {
    const { id } = await trx
      .insertInto('tariff')
      .values({ tenant_id: tenantId, code, name, commodity, unit })
      .returning('id')
      .executeTakeFirstOrThrow();
    byCode.set(code, id);
    return id;
  };
  const version = async (
    tariffId: bigint,
    validFrom: string,
    pricing: 'flat' | 'zones' | 'blocks',
    p: bigint | null,
    reactive: bigint | null,
  ) => {
    versions += 1;
    const { id } = await trx
      .insertInto('tariff_version')
      .values({ tariff_id: tariffId, valid_from: validFrom, pricing, price: p, reactive_price: reactive })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  };
  // Prices are in 1/10000 so'm: 900.00 so'm = 9_000_000.
  const legal = await tariff(t.elec, 'E-LEGAL', 'Yuridik iste’molchilar (1 kVt·soat)', 'electricity', 'kWh');
  await version(legal, since, 'flat', 9_000_000n, 900_000n);
  await version(legal, raise, 'flat', 9_900_000n, 990_000n);
  const zone = await tariff(t.elec, 'E-ZONE', 'Yuridik, differensial (kun/tun/pik)', 'electricity', 'kWh');
  for (const [from, factor] of [
    [since, 10n],
    [raise, 11n],
  ] as const) {
    const v = await version(zone, from, 'zones', null, 900_000n);
    await trx
      .insertInto('tariff_zone_price')
      .values([
        { tariff_version_id: v, obis: '1.8.1', price: 1_000_000n * factor },
        { tariff_version_id: v, obis: '1.8.2', price: 500_000n * factor },
        { tariff_version_id: v, obis: '1.8.3', price: 1_500_000n * factor },
      ])
      .execute();
  }
  const house = await tariff(t.elec, 'E-HOUSE', 'Aholi (blokli tarif)', 'electricity', 'kWh');
  for (const [from, low, high] of [
    [since, 6_000_000n, 10_000_000n],
    [raise, 6_000_000n, 11_000_000n],
  ] as const) {
    const v = await version(house, from, 'blocks', null, null);
    await trx
      .insertInto('tariff_block')
      .values([
        { tariff_version_id: v, seq: 1, upto: 200_000n, price: low },
        { tariff_version_id: v, seq: 2, upto: null, price: high },
      ])
      .execute();
  }
  const heatLegal = await tariff(t.heat, 'H-LEGAL', 'Issiqlik energiyasi, yuridik (1 Gkal)', 'heat', 'Gcal');
  await version(heatLegal, since, 'flat', 2_500_000_000n, null);
  return { byCode, count: byCode.size, versions };
}

/** Category ids by `${tenant}:${code}`. */
async function insertCategories(trx: Db, t: { elec: bigint; heat: bigint }): Promise<Map<string, bigint>> {
  const rows = [
    { tenant_id: t.elec, code: 'INDUSTRY', name: 'Sanoat', kind: 'legal' },
    { tenant_id: t.elec, code: 'COMMERCE', name: 'Tijorat va xizmat', kind: 'legal' },
    { tenant_id: t.elec, code: 'BUDGET', name: 'Byudjet tashkilotlari', kind: 'legal' },
    { tenant_id: t.elec, code: 'POPULATION', name: 'Aholi', kind: 'household' },
    { tenant_id: t.heat, code: 'COMMERCE', name: 'Tijorat va xizmat', kind: 'legal' },
    { tenant_id: t.heat, code: 'BUDGET', name: 'Byudjet tashkilotlari', kind: 'legal' },
  ];
  const inserted = await trx
    .insertInto('consumer_category')
    .values(rows)
    .returning(['id', 'tenant_id', 'code'])
    .execute();
  return new Map(inserted.map((c) => [`${c.tenant_id === t.elec ? 'elec' : 'heat'}:${c.code}`, c.id]));
}

/** Meter type ids and digits by code. */
async function insertMeterTypes(
  trx: Db,
  t: { elec: bigint; heat: bigint },
): Promise<Map<string, { id: bigint; digits: number }>> {
  const rows = [
    {
      tenant_id: t.elec,
      code: 'MERCURY-230',
      name: 'Mercury 230 ART',
      digits: 6,
      accuracy_class: '0.5S',
      remote_switch: true,
    },
    {
      tenant_id: t.elec,
      code: 'CE102',
      name: 'Energomera CE102',
      digits: 5,
      accuracy_class: '1.0',
      remote_switch: false,
    },
    {
      tenant_id: t.elec,
      code: 'CE301',
      name: 'Energomera CE301 (3 zones)',
      digits: 6,
      accuracy_class: '0.5S',
      remote_switch: true,
    },
    {
      tenant_id: t.heat,
      code: 'SKS-3',
      name: 'SKS-3 heat meter',
      digits: 7,
      accuracy_class: '2',
      remote_switch: false,
    },
  ];
  const inserted = await trx
    .insertInto('meter_type')
    .values(rows)
    .returning(['id', 'code', 'digits'])
    .execute();
  return new Map(inserted.map((m) => [m.code, { id: m.id, digits: m.digits }]));
}
