import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { RoleCode } from '../modules/auth/permissions.ts';

/** An org unit of the demo; `slug` names the district staff logins. */
export type UnitSpec = {
  code: string;
  name: string;
  kind: 'company' | 'region' | 'district';
  parent?: string;
  city?: string;
  slug?: string;
};

/** The electricity supplier's tree: company, 2 regions, 2 districts each. */
export const ELECTRICITY_UNITS: readonly UnitSpec[] = [
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

/** The heat supplier: a company with one district directly under it. */
export const HEAT_UNITS: readonly UnitSpec[] = [
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

type DemoUser = { login: string; role: RoleCode; unitCode: string; fullName: string };

// Operator, inspector and clerk of each electricity district, in ELECTRICITY_UNITS order.
const DISTRICT_STAFF: readonly (readonly [string, string, string])[] = [
  ["Tursunov Otabek Rustam o'g'li", "Ismoilov Bobur Anvar o'g'li", 'Abdullayeva Zarina Akmal qizi'],
  ['Aliyeva Dilnoza Sherzod qizi', "Xolmatov Akmal Nodir o'g'li", 'Hasanova Sevara Jasur qizi'],
  ["Sobirov Farrux Dilshod o'g'li", "Mirzayev Javlon Sanjar o'g'li", 'Nazarova Madina Bobur qizi'],
  ['Ergasheva Kamola Aziz qizi', "Usmonov Nodir Behzod o'g'li", 'Saidova Feruza Otabek qizi'],
];

/** The demo staff: login, role and the org unit the role is granted at. */
export const DEMO_USERS: readonly DemoUser[] = [
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
  ...ELECTRICITY_UNITS.filter((u) => u.kind === 'district').flatMap((u, i): DemoUser[] => {
    const [operator, inspector, clerk] = DISTRICT_STAFF[i] ?? ['Operator', 'Inspector', 'Clerk'];
    return [
      { login: `operator.${u.slug}`, role: 'operator', unitCode: u.code, fullName: operator },
      { login: `inspector.${u.slug}`, role: 'inspector', unitCode: u.code, fullName: inspector },
      { login: `clerk.${u.slug}`, role: 'clerk', unitCode: u.code, fullName: clerk },
    ];
  }),
  { login: 'heat.admin', role: 'admin', unitCode: 'TIQ', fullName: "To'xtayev Sanjar Bahodirovich" },
  { login: 'heat.accountant', role: 'accountant', unitCode: 'TIQ', fullName: "Jo'rayeva Lola Karimovna" },
  { login: 'heat.operator', role: 'operator', unitCode: 'TIQ-MUB', fullName: 'Yusupov Behzod Anvarovich' },
  { login: 'heat.inspector', role: 'inspector', unitCode: 'TIQ-MUB', fullName: 'Rahimov Jamshid Sobirovich' },
  { login: 'heat.clerk', role: 'clerk', unitCode: 'TIQ-MUB', fullName: 'Karimova Mohira Dilshodovna' },
];

/**
 * The demo PINFL (JShShIR) of the user at `index` of DEMO_USERS: 14 digits shaped like a real one
 * (century and sex digit, birth date, district code, serial, check digit), not a real person's.
 * Staff sign reading confirmations with keys naming it (`hisob staff-key`, /fake/keys).
 */
export function demoPinfl(index: number): string {
  return `3010185260${String(index + 1).padStart(3, '0')}1`;
}

/** Looks up an id by code, failing loudly on a typo in the demo tables. */
export function idOf(ids: ReadonlyMap<string, bigint>, code: string): bigint {
  const id = ids.get(code);
  if (id === undefined) throw new Error(`unknown demo code ${code}`);
  return id;
}

/**
 * Inserts the org units of both suppliers, one statement per tree level: the path trigger needs
 * the parents in place first. Returns the ids by unit code.
 */
export async function insertOrgUnits(
  trx: Transaction<DB>,
  tenants: { elec: bigint; heat: bigint },
): Promise<Map<string, bigint>> {
  const units = new Map<string, bigint>();
  const all = [
    ...ELECTRICITY_UNITS.map((u) => ({ ...u, tenantId: tenants.elec })),
    ...HEAT_UNITS.map((u) => ({ ...u, tenantId: tenants.heat })),
  ];
  // Depth 0, 1, 2: each level's parents were inserted by the previous statement.
  let level = all.filter((u) => u.parent === undefined);
  while (level.length > 0) {
    const rows = await trx
      .insertInto('org_unit')
      .values(
        level.map((u) => ({
          tenant_id: u.tenantId,
          parent_id: u.parent === undefined ? null : idOf(units, u.parent),
          kind: u.kind,
          code: u.code,
          name: u.name,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    for (const r of rows) units.set(r.code, r.id);
    const codes = new Set(level.map((u) => u.code));
    level = all.filter((u) => u.parent !== undefined && codes.has(u.parent));
  }
  return units;
}

/**
 * Inserts DEMO_USERS with their roles (two statements); every user gets the same password hash.
 * Returns the operator's user id by district code, for confirming readings.
 */
export async function insertStaff(
  trx: Transaction<DB>,
  opts: { tenants: { elec: bigint; heat: bigint }; units: ReadonlyMap<string, bigint>; passwordHash: string },
): Promise<Map<string, bigint>> {
  const heatCodes = new Set(HEAT_UNITS.map((u) => u.code));
  const users = await trx
    .insertInto('app_user')
    .values(
      DEMO_USERS.map((u, i) => ({
        tenant_id: heatCodes.has(u.unitCode) ? opts.tenants.heat : opts.tenants.elec,
        login: u.login,
        full_name: u.fullName,
        pinfl: demoPinfl(i),
        password_hash: opts.passwordHash,
        locale: 'uz',
        must_change_password: false,
      })),
    )
    .returning(['id', 'login'])
    .execute();
  const userIds = new Map(users.map((u) => [u.login, u.id]));
  await trx
    .insertInto('user_role')
    .values(
      DEMO_USERS.map((u) => ({
        user_id: idOf(userIds, u.login),
        role_code: u.role,
        org_unit_id: idOf(opts.units, u.unitCode),
      })),
    )
    .execute();
  return new Map(
    DEMO_USERS.filter((u) => u.role === 'operator').map((u) => [u.unitCode, idOf(userIds, u.login)]),
  );
}
