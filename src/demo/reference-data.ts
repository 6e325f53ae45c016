import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Period } from '../domain/period.ts';
import { idOf } from './staff.ts';

// Reference lists of the demo (R1): banks, the working-day calendar, reason codes and a small
// network tree per electricity district. Each supplier gets its own copy (reference data belongs
// to a supplier; docs/decisions/014-reference-data.md).

/**
 * Banks by MFO. Illustrative: real bank names with plausible 5-digit codes; the first six are the
 * codes the demo consumers and suppliers use (consumers.ts, demo.ts).
 */
const BANKS: readonly (readonly [string, string])[] = [
  ['00014', "O'zmilliybank, Bosh amaliyotlar boshqarmasi"],
  ['00440', 'Xalq banki, Toshkent shahar filiali'],
  ['00873', 'Asaka bank, Chilonzor filiali'],
  ['01017', 'Ipoteka-bank, Yunusobod filiali'],
  ['00401', 'Agrobank, Toshkent shahar filiali'],
  ['00450', "O'zsanoatqurilishbank, Bosh ofis"],
  ['00419', 'Hamkorbank, Toshkent filiali'],
  ['00083', 'Kapitalbank, Bosh ofis'],
  ['00974', 'Orient Finans bank, Bosh ofis'],
  ['01033', 'Trastbank, Bosh ofis'],
  ['00491', 'Aloqabank, Toshkent shahar filiali'],
  ['01071', 'Turonbank, Bosh ofis'],
  ['00425', 'Mikrokreditbank, Toshkent filiali'],
  ['00909', "Qishloq qurilish bank, Mirzo Ulug'bek filiali"],
  ['01095', 'Davr bank, Bosh ofis'],
  ['00958', 'InFinBank, Bosh ofis'],
  ['01046', 'Universal bank, Toshkent filiali'],
  ['00397', 'Hi-Tech bank, Bosh ofis'],
  ['01183', 'Tenge bank, Bosh ofis'],
  ['01165', "TBC Bank O'zbekiston"],
  ['01158', 'Anorbank, Bosh ofis'],
  ['00540', 'Ziraat Bank Uzbekistan'],
  ['00967', "KDB Bank O'zbekiston"],
  ['01065', 'Ravnaq-bank, Bosh ofis'],
  ['00831', 'Madad Invest bank, Bosh ofis'],
  ['00888', 'Garant bank, Bosh ofis'],
  ['01101', 'Poytaxt bank, Bosh ofis'],
  ['01129', 'Octobank, Bosh ofis'],
  ['00915', 'Asia Alliance bank, Bosh ofis'],
  ['01123', "Ipak Yo'li banki, Bosh ofis"],
  ['00628', 'Xalq banki, Samarqand viloyat filiali'],
  ['00573', 'Agrobank, Samarqand viloyat filiali'],
  ['00542', 'Asaka bank, Samarqand filiali'],
];

/** Public holidays of Uzbekistan with a fixed date (Labour Code, art. 133). */
const FIXED_HOLIDAYS: readonly (readonly [string, string])[] = [
  ['01-01', 'Yangi yil'],
  ['03-08', 'Xalqaro xotin-qizlar kuni'],
  ['03-21', 'Navro‘z bayrami'],
  ['05-09', 'Xotira va qadrlash kuni'],
  ['09-01', 'Mustaqillik kuni'],
  ['10-01', 'O‘qituvchi va murabbiylar kuni'],
  ['12-08', 'Konstitutsiya kuni'],
];

/**
 * Ramazon hayiti and Qurbon hayiti follow the lunar calendar and are announced each year; the
 * demo uses the announced (2025) and expected (2026, 2027) dates.
 */
const LUNAR_HOLIDAYS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  '2025': [
    ['2025-03-30', 'Ramazon hayiti'],
    ['2025-03-31', 'Qo‘shimcha dam olish kuni (Ramazon hayiti)'],
    ['2025-06-06', 'Qurbon hayiti'],
  ],
  '2026': [
    ['2026-03-20', 'Ramazon hayiti'],
    ['2026-05-27', 'Qurbon hayiti'],
  ],
  '2027': [
    ['2027-03-10', 'Ramazon hayiti'],
    ['2027-05-16', 'Qurbon hayiti'],
  ],
};

/** Extra days off and the Saturdays worked for them, by presidential decree (as announced). */
const TRANSFERS: readonly (readonly [string, 'holiday' | 'workday', string])[] = [
  ['2025-12-31', 'holiday', 'Qo‘shimcha dam olish kuni (Yangi yil)'],
  ['2026-01-02', 'holiday', 'Qo‘shimcha dam olish kuni (Yangi yil)'],
  ['2026-01-10', 'workday', 'Ish kuni (2-yanvar o‘rniga)'],
];

const REASONS: readonly (readonly [string, string, string])[] = [
  ['DEBT', 'disconnection', "Qarzdorlik uchun o'chirish"],
  ['THEFT', 'disconnection', "Noqonuniy ulanish (o'g'rilik) aniqlandi"],
  ['REQUEST', 'disconnection', "Iste'molchining arizasi bo'yicha"],
  ['PAID', 'reconnection', "Qarz to'landi — qayta ulash"],
  ['METER-FAULT', 'recalculation', 'Hisoblagich nosozligi sababli qayta hisob'],
  ['READING-ERR', 'correction', "Ko'rsatkich noto'g'ri kiritilgan"],
  ['WRONG-ACCOUNT', 'payment_reversal', "To'lov boshqa shartnomaga o'tkazilgan"],
  ['DOUBLE-PAY', 'payment_reversal', "To'lov ikki marta kiritilgan"],
  ['NO-DOCS', 'application_refusal', "Hujjatlar to'liq emas"],
  ['VERIFY-DUE', 'meter_replacement', "Qiyoslash muddati o'tgan"],
];

/** Substations (with feeders and transformer points) of each electricity district. */
type Substation = { code: string; name: string; voltage: string; feeders: number };
const NETWORK: Readonly<Record<string, readonly Substation[]>> = {
  'TSH-CHL': [
    { code: 'PS-110-CHL', name: 'Chilonzor', voltage: '110/10 kV', feeders: 3 },
    { code: 'PS-35-QTS', name: 'Qatortol', voltage: '35/10 kV', feeders: 2 },
  ],
  'TSH-YUN': [{ code: 'PS-110-YUN', name: 'Yunusobod', voltage: '110/10 kV', feeders: 3 }],
  'SAM-SHR': [{ code: 'PS-110-SMQ', name: 'Samarqand-Markaz', voltage: '110/10 kV', feeders: 2 }],
  'SAM-URG': [{ code: 'PS-35-URG', name: 'Urgut', voltage: '35/10 kV', feeders: 2 }],
};

/** Years whose calendar the demo carries: the billed year, the current and the next. */
function calendarYears(current: Period): number[] {
  const year = Number(current.slice(0, 4));
  return [year - 1, year, year + 1];
}

/** Inserts the demo's banks, calendar, reason codes and network tree for both suppliers. */
export async function insertReferenceData(
  trx: Transaction<DB>,
  t: { elec: bigint; heat: bigint; units: Map<string, bigint>; current: Period },
): Promise<void> {
  const tenants = [t.elec, t.heat];
  await trx
    .insertInto('bank')
    .values(tenants.flatMap((tenant_id) => BANKS.map(([mfo, name]) => ({ tenant_id, mfo, name }))))
    .execute();
  const days = calendarYears(t.current).flatMap((year) => [
    ...FIXED_HOLIDAYS.map(([md, name]) => ({ day: `${year}-${md}`, kind: 'holiday' as const, name })),
    ...(LUNAR_HOLIDAYS[String(year)] ?? []).map(([day, name]) => ({ day, kind: 'holiday' as const, name })),
    ...TRANSFERS.filter(([day]) => day.startsWith(String(year))).map(([day, kind, name]) => ({
      day,
      kind,
      name,
    })),
  ]);
  await trx
    .insertInto('holiday')
    .values(tenants.flatMap((tenant_id) => days.map((d) => ({ tenant_id, ...d }))))
    .execute();
  await trx
    .insertInto('reason_code')
    .values(
      tenants.flatMap((tenant_id) =>
        REASONS.map(([code, purpose, name]) => ({ tenant_id, code, purpose, name })),
      ),
    )
    .execute();

  for (const [unitCode, substations] of Object.entries(NETWORK)) {
    if (!t.units.has(unitCode)) continue;
    const org_unit_id = idOf(t.units, unitCode);
    const base = { tenant_id: t.elec, org_unit_id };
    const subs = await trx
      .insertInto('network_node')
      .values(
        substations.map((s) => ({
          ...base,
          kind: 'substation',
          code: s.code,
          name: s.name,
          voltage: s.voltage,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    const feeders = await trx
      .insertInto('network_node')
      .values(
        subs.flatMap((s, i) =>
          Array.from({ length: substations[i]?.feeders ?? 0 }, (_, k) => ({
            ...base,
            parent_id: s.id,
            kind: 'feeder',
            code: `${s.code.slice(3)}-F${k + 1}`,
            name: `Fider ${k + 1}`,
            voltage: '10 kV',
          })),
        ),
      )
      .returning(['id', 'code'])
      .execute();
    await trx
      .insertInto('network_node')
      .values(
        feeders.flatMap((f, i) =>
          Array.from({ length: 2 + (i % 2) }, (_, k) => ({
            ...base,
            parent_id: f.id,
            kind: 'transformer',
            code: `TP-${f.code}-${k + 1}`,
            name: `TP ${100 * (i + 1) + k + 1}`,
            voltage: '10/0.4 kV',
          })),
        ),
      )
      .execute();
  }
}
