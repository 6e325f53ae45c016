import { sql, type Transaction } from 'kysely';
import { pgArray } from '../db/arrays.ts';
import type { DB } from '../db/schema.ts';
import { addPeriods, firstDay, type Period } from '../domain/period.ts';
import { idOf } from './staff.ts';

/** Tariff ids by code, and how many tariffs and versions were made. */
export type DemoTariffs = { byCode: Map<string, bigint>; count: number; versions: number };

type VersionSpec = {
  tariff: string;
  from: string;
  pricing: 'flat' | 'zones' | 'blocks';
  price: bigint | null;
  reactive: bigint | null;
  zones?: readonly (readonly ['1.8.1' | '1.8.2' | '1.8.3', bigint])[];
  blocks?: readonly (readonly [bigint | null, bigint])[];
};

/**
 * Inserts the demo tariffs: legal flat (with reactive price), legal zones (day / night / peak),
 * household blocks (0–200 kWh / above) and heat in Gcal. Each electricity tariff is raised from
 * the 1st of a month five months back, so the demo year spans a price change. Prices are in
 * 1/10000 so'm: 900.00 so'm = 9_000_000.
 */
export async function insertTariffs(
  trx: Transaction<DB>,
  t: { elec: bigint; heat: bigint; current: Period },
): Promise<DemoTariffs> {
  // Far enough back to price every demo contract from its start (contracts start up to ~6 years ago).
  const since = firstDay(addPeriods(t.current, -84));
  const raise = firstDay(addPeriods(t.current, -5));
  const tariffs = await trx
    .insertInto('tariff')
    .values([
      {
        tenant_id: t.elec,
        code: 'E-LEGAL',
        name: "Yuridik iste'molchilar (1 kVt·soat)",
        commodity: 'electricity',
        unit: 'kWh',
      },
      {
        tenant_id: t.elec,
        code: 'E-ZONE',
        name: 'Yuridik, differensial (kun/tun/pik)',
        commodity: 'electricity',
        unit: 'kWh',
      },
      {
        tenant_id: t.elec,
        code: 'E-HOUSE',
        name: 'Aholi (blokli tarif)',
        commodity: 'electricity',
        unit: 'kWh',
      },
      {
        tenant_id: t.heat,
        code: 'H-LEGAL',
        name: 'Issiqlik energiyasi, yuridik (1 Gkal)',
        commodity: 'heat',
        unit: 'Gcal',
      },
    ])
    .returning(['id', 'code'])
    .execute();
  const byCode = new Map(tariffs.map((r) => [r.code, r.id]));

  const zones = (f: bigint) =>
    [
      ['1.8.1', 1_000_000n * f],
      ['1.8.2', 500_000n * f],
      ['1.8.3', 1_500_000n * f],
    ] as const;
  const specs: VersionSpec[] = [
    { tariff: 'E-LEGAL', from: since, pricing: 'flat', price: 9_000_000n, reactive: 900_000n },
    { tariff: 'E-LEGAL', from: raise, pricing: 'flat', price: 9_900_000n, reactive: 990_000n },
    { tariff: 'E-ZONE', from: since, pricing: 'zones', price: null, reactive: 900_000n, zones: zones(10n) },
    { tariff: 'E-ZONE', from: raise, pricing: 'zones', price: null, reactive: 990_000n, zones: zones(11n) },
    {
      tariff: 'E-HOUSE',
      from: since,
      pricing: 'blocks',
      price: null,
      reactive: null,
      blocks: [
        [200_000n, 6_000_000n],
        [null, 10_000_000n],
      ],
    },
    {
      tariff: 'E-HOUSE',
      from: raise,
      pricing: 'blocks',
      price: null,
      reactive: null,
      blocks: [
        [200_000n, 6_000_000n],
        [null, 11_000_000n],
      ],
    },
    { tariff: 'H-LEGAL', from: since, pricing: 'flat', price: 2_500_000_000n, reactive: null },
  ];
  const versions = await trx
    .insertInto('tariff_version')
    .values(
      specs.map((v) => ({
        tariff_id: idOf(byCode, v.tariff),
        valid_from: v.from,
        pricing: v.pricing,
        price: v.price,
        reactive_price: v.reactive,
      })),
    )
    .returning('id')
    .execute();
  const versionId = (i: number) => {
    const v = versions[i];
    if (!v) throw new Error(`tariff version ${i} was not inserted`);
    return v.id;
  };
  await trx
    .insertInto('tariff_zone_price')
    .values(
      specs.flatMap((v, i) =>
        (v.zones ?? []).map(([obis, price]) => ({ tariff_version_id: versionId(i), obis, price })),
      ),
    )
    .execute();
  await trx
    .insertInto('tariff_block')
    .values(
      specs.flatMap((v, i) =>
        (v.blocks ?? []).map(([upto, price], k) => ({
          tariff_version_id: versionId(i),
          seq: k + 1,
          upto,
          price,
        })),
      ),
    )
    .execute();
  return { byCode, count: byCode.size, versions: specs.length };
}

/** Inserts the consumer categories; ids by `${'elec' | 'heat'}:${code}`. */
export async function insertCategories(
  trx: Transaction<DB>,
  t: { elec: bigint; heat: bigint },
): Promise<Map<string, bigint>> {
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

/** Inserts the meter types; id and digits by code. */
export async function insertMeterTypes(
  trx: Transaction<DB>,
  t: { elec: bigint; heat: bigint },
): Promise<Map<string, { id: bigint; digits: number }>> {
  const rows = [
    {
      tenant_id: t.elec,
      code: 'MERCURY-230',
      registers: sql<string[]>`${pgArray(['1.8.0', '3.8.0'])}::text[]`,
      name: 'Mercury 230 ART',
      digits: 6,
      accuracy_class: '0.5S',
      remote_switch: true,
    },
    {
      tenant_id: t.elec,
      code: 'CE102',
      registers: sql<string[]>`${pgArray(['1.8.0'])}::text[]`,
      name: 'Energomera CE102',
      digits: 5,
      accuracy_class: '1.0',
      remote_switch: false,
    },
    {
      tenant_id: t.elec,
      code: 'CE301',
      registers: sql<string[]>`${pgArray(['1.8.1', '1.8.2', '1.8.3'])}::text[]`,
      name: 'Energomera CE301 (3 zones)',
      digits: 6,
      accuracy_class: '0.5S',
      remote_switch: true,
    },
    {
      tenant_id: t.heat,
      code: 'SKS-3',
      registers: sql<string[]>`${pgArray(['1.8.0'])}::text[]`,
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
