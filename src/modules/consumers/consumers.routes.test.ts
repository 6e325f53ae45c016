import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgFixture,
  createTestApp,
  createUser,
  type OrgFixture,
  signIn,
  type TestApp,
  type TestSession,
} from '../../../test/support/app.ts';
import { TEST_ENGINE } from '../../../test/support/db.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';
import { todayInTashkent } from '../../domain/period.ts';

// Demo-like rows: a household with an account number that has leading zeros, a legal entity with
// an INN, a household in another region; meters, readings, bills, payments and applications.

type Ids = { consumer: bigint; contract: bigint };

describe(`consumer search, card and Vitrina (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let admin: TestSession;
  let operator: TestSession;
  let clerk: TestSession;
  let regional: TestSession;
  const db = () => t.database.db;
  const c: Record<'madina' | 'bahor' | 'sardor' | 'north2', Ids> = {} as never;
  let tariffId: bigint;

  // The bills and payments of Madina's account, in tiyin.
  const JAN = 123_456_789n; // 1 234 567.89
  const FEB = 98_765_432n; // 987 654.32
  const FEB_PENALTY = 123_457n; // 1 234.57
  const MAR = 50_000_001n; // 500 000.01
  const PAID_FEB_10 = 100_000_000n; // 1 000 000.00, bank
  const PAID_MAR_05 = 20_000_000n; // 200 000.00, cash, reversed on 20 March
  const PAID_MAR_15 = 30_000_050n; // 300 000.50, payme
  const PAID_APR_02 = 5_000_000n; // 50 000.00, click

  const get = (s: TestSession, url: string) => t.app.inject({ method: 'GET', url, headers: s.headers });

  async function account(o: {
    unit: bigint;
    kind: 'legal' | 'household';
    name: string;
    number: string;
    inn?: string;
    pinfl?: string;
    phone?: string;
  }): Promise<Ids> {
    const consumer = await db()
      .insertInto('consumer')
      .values({
        tenant_id: f.tenantId,
        org_unit_id: o.unit,
        kind: o.kind,
        name: o.name,
        inn: o.inn ?? null,
        pinfl: o.pinfl ?? null,
        phone: o.phone ?? null,
        legal_address: 'Toshkent sh., Chilonzor t., 7-kvartal, 12-uy',
        bank_mfo: o.kind === 'legal' ? '00014' : null,
        bank_account: o.kind === 'legal' ? '20208000900100200300' : null,
        oked: o.kind === 'legal' ? '47110' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const contract = await db()
      .insertInto('contract')
      .values({
        tenant_id: f.tenantId,
        consumer_id: consumer.id,
        org_unit_id: o.unit,
        number: o.number,
        commodity: 'electricity',
        start_date: '2025-01-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { consumer: consumer.id, contract: contract.id };
  }

  async function meter(contractId: bigint, serial: string, o: { installed: string; removed?: string }) {
    const point = await db()
      .insertInto('metering_point')
      .values({ tenant_id: f.tenantId, contract_id: contractId, code: `MP-${serial}`, name: 'Xonadon' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const type = await db()
      .selectFrom('meter_type')
      .select('id')
      .where('tenant_id', '=', f.tenantId)
      .executeTakeFirstOrThrow();
    const m = await db()
      .insertInto('meter')
      .values({
        tenant_id: f.tenantId,
        metering_point_id: point.id,
        meter_type_id: type.id,
        serial,
        digits: 6,
        multiplier: 40n,
        installed_on: o.installed,
        removed_on: o.removed ?? null,
        verified_on: '2024-12-20',
        next_verification_on: '2032-12-20',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('meter_seal')
      .values(
        [1, 2].map((n) => ({
          tenant_id: f.tenantId,
          meter_id: m.id,
          number: `S-${serial}-${n}`,
          place: 'terminal_cover',
          set_on: o.installed,
          removed_on: o.removed ?? null,
          removed_with_meter: o.removed !== undefined,
        })),
      )
      .execute();
    const g = await db()
      .insertInto('register')
      .values({ meter_id: m.id, obis: '1.8.0', install_reading: 100_000n })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { meterId: m.id, registerId: g.id };
  }

  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(db(), 'grid');
    const u = f.units;
    await createUser(db(), { tenantId: f.tenantId, login: 'admin', role: 'admin', orgUnitId: u.company.id });
    await createUser(db(), { tenantId: f.tenantId, login: 'operator', role: 'operator', orgUnitId: u.n1.id });
    await createUser(db(), { tenantId: f.tenantId, login: 'clerk', role: 'clerk', orgUnitId: u.n1.id });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'regional',
      role: 'accountant',
      orgUnitId: u.north.id,
    });
    admin = await signIn(t.app, 'admin');
    operator = await signIn(t.app, 'operator');
    clerk = await signIn(t.app, 'clerk');
    regional = await signIn(t.app, 'regional');

    await db()
      .insertInto('meter_type')
      .values({ tenant_id: f.tenantId, code: 'CE102', name: 'CE102 M', digits: 6, remote_switch: true })
      .execute();
    const tariff = await db()
      .insertInto('tariff')
      .values({
        tenant_id: f.tenantId,
        code: 'E-HOUSE',
        name: 'Aholi',
        commodity: 'electricity',
        unit: 'kWh',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    tariffId = tariff.id;

    c.madina = await account({
      unit: u.n1.id,
      kind: 'household',
      name: 'Aliyeva Madina Rustamovna',
      number: '0101000007',
      pinfl: '41234567890123',
      phone: '+998901234567',
    });
    c.bahor = await account({
      unit: u.n1.id,
      kind: 'legal',
      name: '"Bahor" MChJ',
      number: '100001',
      inn: '302000146',
    });
    c.sardor = await account({
      unit: u.s1.id,
      kind: 'household',
      name: 'Aliyev Sardor',
      number: '0301000001',
      phone: '+998711112233',
    });
    c.north2 = await account({
      unit: u.n2.id,
      kind: 'household',
      name: 'Zokirov Anvar',
      number: '0201000001',
    });

    await db()
      .insertInto('contract_version')
      .values([
        {
          contract_id: c.madina.contract,
          valid_from: '2025-01-01',
          tariff_id: tariffId,
          default_volume: 10_000_000n,
          estimation: 'average_daily',
        },
        {
          contract_id: c.madina.contract,
          valid_from: '2025-03-01',
          tariff_id: tariffId,
          default_volume: 12_000_000n,
          contracted_load: 15_500n,
          special_supply: true,
          estimation: 'contract',
          tan_phi_norm: '0.5',
        },
      ])
      .execute();
    await db()
      .insertInto('contract_volume')
      .values([
        { contract_id: c.madina.contract, period: '2025-06', volume: 8_000_000n },
        { contract_id: c.madina.contract, period: '2025-07', volume: 9_000_000n },
      ])
      .execute();

    await meter(c.madina.contract, 'CE10000021', { installed: '2024-06-01', removed: '2024-12-31' });
    const m1 = await meter(c.madina.contract, 'CE10000049', { installed: '2025-01-01' });
    await db().updateTable('meter').set({ switch_state: 'off' }).where('id', '=', m1.meterId).execute();
    await meter(c.bahor.contract, 'SKS10000056', { installed: '2025-01-01' });
    const reading = (read_on: string, value: bigint, accepted = true) => ({
      tenant_id: f.tenantId,
      register_id: m1.registerId,
      read_on,
      value,
      source: 'operator',
      status: accepted ? 'accepted' : 'submitted',
      confirmed_at: accepted ? new Date(`${read_on}T12:00:00Z`) : null,
    });
    await db()
      .insertInto('reading')
      .values([
        reading('2025-01-25', 200_000n),
        reading('2025-02-25', 300_000n),
        reading('2025-03-25', 400_000n),
        reading('2025-03-26', 410_000n, false),
      ])
      .execute();

    const bill = async (period: string, lines: { kind: string; amount: bigint }[], number: string | null) => {
      const total = lines.reduce((a, l) => a + l.amount, 0n);
      const b = await db()
        .insertInto('bill')
        .values({
          tenant_id: f.tenantId,
          contract_id: c.madina.contract,
          period,
          number,
          issued_on: number ? `${period}-28` : null,
          total,
          vat: (total * 12n) / 112n,
          billed_at: new Date(`${period}-28T12:00:00Z`),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('bill_line')
        .values(
          lines.map((l, i) => ({
            bill_id: b.id,
            seq: i + 1,
            kind: l.kind,
            quantity: l.kind === 'penalty' ? null : 1_000_000n,
            amount: l.amount,
          })),
        )
        .execute();
    };
    await bill('2025-01', [{ kind: 'energy', amount: JAN }], 'E-2025-01-7');
    await bill(
      '2025-02',
      [
        { kind: 'energy', amount: FEB },
        { kind: 'penalty', amount: FEB_PENALTY },
      ],
      'E-2025-02-7',
    );
    await bill('2025-03', [{ kind: 'energy', amount: MAR }], 'E-2025-03-7');
    const pay = (
      channel: string,
      id: string,
      amount: bigint,
      paid_on: string,
      reversed_on: string | null = null,
    ) => ({
      tenant_id: f.tenantId,
      contract_id: c.madina.contract,
      channel,
      external_id: id,
      amount,
      paid_on,
      status: reversed_on ? 'reversed' : 'booked',
      reversed_on,
      reversal_reason: reversed_on ? 'wrong account' : null,
    });
    await db()
      .insertInto('payment')
      .values([
        pay('bank', 'B-1', PAID_FEB_10, '2025-02-10'),
        pay('cash', 'K-1', PAID_MAR_05, '2025-03-05', '2025-03-20'),
        pay('payme', 'P-1', PAID_MAR_15, '2025-03-15'),
        pay('click', 'C-1', PAID_APR_02, '2025-04-02'),
      ])
      .execute();

    const application = async (number: string, created: string, events: [string, string][]) => {
      const a = await db()
        .insertInto('application')
        .values({
          tenant_id: f.tenantId,
          contract_id: c.madina.contract,
          org_unit_id: f.units.n1.id,
          number,
          type: 'meter_inspection',
          text: 'Hisoblagichni tekshiring',
          status: events.at(-1)?.[0] ?? 'submitted',
          created_at: new Date(created),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('application_event')
        .values(
          events.map(([status, at]) => ({
            application_id: a.id,
            status,
            at: new Date(at),
            actor_type: 'user',
          })),
        )
        .execute();
    };
    await application('Z-2025-000001', '2025-03-10T09:00:00+05:00', [
      ['submitted', '2025-03-10T09:00:00+05:00'],
      ['accepted', '2025-03-12T10:00:00+05:00'],
      ['done', '2025-03-18T16:00:00+05:00'],
    ]);
    await application('Z-2025-000002', '2025-03-25T09:00:00+05:00', [
      ['submitted', '2025-03-25T09:00:00+05:00'],
    ]);
  });

  afterAll(async () => {
    await t?.close();
  });

  const names = async (s: TestSession, query: string) => {
    const res = await get(s, `/api/consumers?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as { name: string }[]).map((i) => i.name);
  };

  describe('search', () => {
    it('finds an account number exactly as issued: leading zeros count', async () => {
      const res = await get(admin, '/api/consumers?q=0101000007');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        total: 1,
        items: [
          {
            id: String(c.madina.consumer),
            kind: 'household',
            name: 'Aliyeva Madina Rustamovna',
            phone: '+998901234567',
            orgUnit: { id: String(f.units.n1.id), name: 'Unit grid-N1' },
            contracts: ['0101000007'],
          },
        ],
      });
      expect(await names(admin, 'q=101000007')).toEqual([]);
    });

    it('finds by INN, PINFL, phone in any common spelling and meter serial in any case', async () => {
      expect(await names(admin, 'q=302000146')).toEqual(['"Bahor" MChJ']);
      expect(await names(admin, 'q=41234567890123')).toEqual(['Aliyeva Madina Rustamovna']);
      for (const phone of ['+998901234567', '998901234567', '901234567', '90 123-45-67', '(90) 123 45 67'])
        expect(await names(admin, `q=${encodeURIComponent(phone)}`), phone).toEqual([
          'Aliyeva Madina Rustamovna',
        ]);
      expect(await names(admin, 'q=ce10000049')).toEqual(['Aliyeva Madina Rustamovna']);
      // A removed meter still leads to its consumer.
      expect(await names(admin, 'q=CE10000021')).toEqual(['Aliyeva Madina Rustamovna']);
      expect(await names(admin, 'q=SKS10000056')).toEqual(['"Bahor" MChJ']);
    });

    it('finds a name by its prefix, case aside, and nothing by the middle of a name', async () => {
      expect(await names(admin, 'q=aliyev')).toEqual(['Aliyev Sardor', 'Aliyeva Madina Rustamovna']);
      expect(await names(admin, `q=${encodeURIComponent('ALIYEVA MAD')}`)).toEqual([
        'Aliyeva Madina Rustamovna',
      ]);
      expect(await names(admin, 'q=Madina')).toEqual([]);
      expect(await names(admin, `q=${encodeURIComponent('"bah')}`)).toEqual(['"Bahor" MChJ']);
      // LIKE wildcards are plain characters.
      expect(await names(admin, 'q=%25')).toEqual([]);
      expect(await names(admin, 'q=_')).toEqual([]);
    });

    it('shows a district operator only its district and a region user its region', async () => {
      expect(await names(operator, 'q=aliyev')).toEqual(['Aliyeva Madina Rustamovna']);
      expect(await names(operator, 'q=0301000001')).toEqual([]);
      expect(await names(operator, '')).toEqual([
        '"Bahor" MChJ',
        'Aliyeva Madina Rustamovna',
        'Consumer n1 grid',
      ]);
      expect(await names(regional, 'sort=orgUnit')).toEqual([
        '"Bahor" MChJ',
        'Aliyeva Madina Rustamovna',
        'Consumer n1 grid',
        'Consumer n2 grid',
        'Zokirov Anvar',
      ]);
    });

    it('filters by kind and by an org unit inside the scope; one outside is refused', async () => {
      expect(await names(admin, 'kind=legal')).toEqual([
        '"Bahor" MChJ',
        'Consumer n1 grid',
        'Consumer n2 grid',
        'Consumer s1 grid',
      ]);
      expect(await names(admin, `orgUnitId=${f.units.south.id}`)).toEqual([
        'Aliyev Sardor',
        'Consumer s1 grid',
      ]);
      expect(await names(admin, `orgUnitId=${f.units.south.id}&kind=household&q=ali`)).toEqual([
        'Aliyev Sardor',
      ]);
      const outside = await get(operator, `/api/consumers?orgUnitId=${f.units.s1.id}`);
      expect(outside.statusCode).toBe(403);
      expect(outside.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
      const unknown = await get(admin, '/api/consumers?orgUnitId=999999');
      expect(unknown.statusCode).toBe(404);
      const bad = await get(admin, '/api/consumers?kind=alien&sort=inn');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('pages and sorts by name, contract and org unit', async () => {
      const all = await get(admin, '/api/consumers?limit=3&offset=0');
      expect(all.json().total).toBe(7);
      expect(await names(admin, 'limit=3&offset=0')).toEqual([
        '"Bahor" MChJ',
        'Aliyev Sardor',
        'Aliyeva Madina Rustamovna',
      ]);
      expect(await names(admin, 'limit=3&offset=3')).toEqual([
        'Consumer n1 grid',
        'Consumer n2 grid',
        'Consumer s1 grid',
      ]);
      expect(await names(admin, 'limit=2&dir=desc')).toEqual(['Zokirov Anvar', 'Consumer s1 grid']);
      const byContract = await get(admin, '/api/consumers?sort=contract');
      expect((byContract.json().items as { contracts: string[] }[]).map((i) => i.contracts[0])).toEqual([
        '0101000007',
        '0201000001',
        '0301000001',
        '100001',
        'GRID-n1',
        'GRID-n2',
        'GRID-s1',
      ]);
      const desc = await get(admin, '/api/consumers?sort=contract&dir=desc&limit=2&offset=1');
      expect((desc.json().items as { contracts: string[] }[]).map((i) => i.contracts[0])).toEqual([
        'GRID-n2',
        'GRID-n1',
      ]);
      expect(await names(admin, 'sort=orgUnit&dir=desc&limit=3')).toEqual([
        'Consumer s1 grid',
        'Aliyev Sardor',
        'Zokirov Anvar',
      ]);
      expect(await names(admin, 'sort=orgUnit&limit=2&offset=3')).toEqual([
        'Consumer n2 grid',
        'Zokirov Anvar',
      ]);
    });

    it('exports the whole filtered list as XLSX with headers in the asked language', async () => {
      const res = await get(operator, '/api/consumers?format=xlsx&lang=ru&sort=contract&limit=1');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const [sheet] = await readXlsxFile(res.rawPayload);
      expect(sheet?.sheet).toBe('Потребители');
      const rows = sheet?.data ?? [];
      expect(rows[0]).toEqual([
        'Договоры',
        'Наименование',
        'Вид',
        'ИНН',
        'ПИНФЛ',
        'Телефон',
        'Адрес',
        'Подразделение',
      ]);
      expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
        ['0101000007', 'Aliyeva Madina Rustamovna', 'Население', null],
        ['100001', '"Bahor" MChJ', 'Юридическое лицо', '302000146'],
        ['GRID-n1', 'Consumer n1 grid', 'Юридическое лицо', String(300_000_000 + Number(f.units.n1.id))],
      ]);
    });

    it('refuses the search without the permission and without a session', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/consumers' })).statusCode).toBe(401);
    });
  });

  describe('card', () => {
    it('shows requisites, contract terms and history, meters with the last accepted readings, balance, bills and payments', async () => {
      const res = await get(clerk, `/api/consumers/${c.madina.consumer}`);
      expect(res.statusCode, res.body).toBe(200);
      const card = res.json();
      expect(card).toMatchObject({
        id: String(c.madina.consumer),
        name: 'Aliyeva Madina Rustamovna',
        kind: 'household',
        pinfl: '41234567890123',
        phone: '+998901234567',
        legalAddress: 'Toshkent sh., Chilonzor t., 7-kvartal, 12-uy',
        bank: { mfo: null, account: null },
        orgUnit: { id: String(f.units.n1.id), name: 'Unit grid-N1' },
      });
      expect(card.contracts).toHaveLength(1);
      const k = card.contracts[0];
      expect(k).toMatchObject({
        id: String(c.madina.contract),
        number: '0101000007',
        supplier: { code: 'grid' },
        startDate: '2025-01-01',
        endDate: null,
        terms: {
          validFrom: '2025-03-01',
          tariff: { code: 'E-HOUSE', unit: 'kWh' },
          contractVolume: '12000.000',
          contractedLoad: '15.500',
          specialSupply: true,
          estimation: 'contract',
          tanPhiNorm: '0.5000',
        },
        volumes: [
          { period: '2025-06', volume: '8000.000' },
          { period: '2025-07', volume: '9000.000' },
        ],
      });
      expect(k.history.map((v: { validFrom: string }) => v.validFrom)).toEqual(['2025-03-01', '2025-01-01']);
      const meters = k.meteringPoints.flatMap((p: { meters: unknown[] }) => p.meters);
      expect(meters).toHaveLength(2);
      const m1 = meters.find((m: { serial: string }) => m.serial === 'CE10000049');
      expect(m1).toMatchObject({
        type: { code: 'CE102', name: 'CE102 M' },
        digits: 6,
        multiplier: '40',
        installedOn: '2025-01-01',
        removedOn: null,
        seals: ['S-CE10000049-1', 'S-CE10000049-2'],
        verifiedOn: '2024-12-20',
        nextVerificationOn: '2032-12-20',
        remoteSwitch: true,
        switchState: 'off',
        registers: [
          {
            obis: '1.8.0',
            installReading: '100.000',
            lastReading: { readOn: '2025-03-25', value: '400.000', source: 'operator' },
          },
        ],
      });
      expect(meters.find((m: { serial: string }) => m.serial === 'CE10000021').removedOn).toBe('2024-12-31');
      // Balance now = every charge − every payment (the reversed one counts nothing).
      const balance = JAN + FEB + FEB_PENALTY + MAR - PAID_FEB_10 - PAID_MAR_15 - PAID_APR_02;
      expect(k.balance).toBe(formatMoney(tiyin(balance)));
      expect(k.balance).toBe('1373456.29');
      expect(k.bills.map((b: { period: string; total: string }) => [b.period, b.total])).toEqual([
        ['2025-03', '500000.01'],
        ['2025-02', '988888.89'],
        ['2025-01', '1234567.89'],
      ]);
      expect(k.payments.map((p: { paidOn: string; status: string }) => [p.paidOn, p.status])).toEqual([
        ['2025-04-02', 'booked'],
        ['2025-03-15', 'booked'],
        ['2025-03-05', 'reversed'],
        ['2025-02-10', 'booked'],
      ]);
    });

    it('answers 404 for an unknown consumer and 403 for one of another district', async () => {
      const unknown = await get(operator, '/api/consumers/99999999');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('UNKNOWN_CONSUMER');
      const other = await get(operator, `/api/consumers/${c.sardor.consumer}`);
      expect(other.statusCode).toBe(403);
      expect(other.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
      const neighbour = await get(operator, `/api/consumers/${c.north2.consumer}`);
      expect(neighbour.statusCode).toBe(403);
      expect((await get(regional, `/api/consumers/${c.north2.consumer}`)).statusCode).toBe(200);
    });
  });

  describe('Vitrina', () => {
    const vitrina = (s: TestSession, contract: bigint, on?: string) =>
      get(s, `/api/accounts/${contract}/vitrina${on ? `?on=${on}` : ''}`);

    it('shows the account on a past day: balance to the tiyin, bills and payments by then, readings by then, applications open then', async () => {
      const res = await vitrina(operator, c.madina.contract, '2025-03-17');
      expect(res.statusCode, res.body).toBe(200);
      const v = res.json();
      // By hand: charges of January and February, less the February payment, is the opening of
      // March; then the payments of 5 and 15 March (the reversal of 20 March is still to come).
      const opening = JAN + FEB + FEB_PENALTY - PAID_FEB_10;
      const expected = opening - PAID_MAR_05 - PAID_MAR_15;
      expect(v.balance).toEqual({
        amount: formatMoney(tiyin(expected)),
        state: 'debt',
        monthOpening: formatMoney(tiyin(opening)),
        monthPayments: formatMoney(tiyin(PAID_MAR_05 + PAID_MAR_15)),
        monthCharges: '500000.01',
      });
      expect(v.balance.amount).toBe('723456.28');
      expect(v).toMatchObject({
        on: '2025-03-17',
        today: false,
        account: { number: '0101000007', status: 'active', tariff: { code: 'E-HOUSE' } },
        consumer: { name: 'Aliyeva Madina Rustamovna' },
        claims: [],
        switchState: 'off',
      });
      expect(v.bills.map((b: { period: string }) => b.period)).toEqual(['2025-02', '2025-01']);
      expect(v.payments.map((p: { paidOn: string; status: string }) => [p.paidOn, p.status])).toEqual([
        ['2025-03-15', 'booked'],
        ['2025-03-05', 'booked'],
        ['2025-02-10', 'booked'],
      ]);
      expect(v.meters).toHaveLength(1);
      expect(v.meters[0]).toMatchObject({
        serial: 'CE10000049',
        registers: [{ obis: '1.8.0', lastReading: { readOn: '2025-02-25', value: '300.000' } }],
      });
      expect(v.applications).toMatchObject([{ number: 'Z-2025-000001', status: 'accepted' }]);
    });

    it('counts a reversal on its day and the month’s charges on its last day', async () => {
      const after = (await vitrina(operator, c.madina.contract, '2025-03-20')).json();
      const opening = JAN + FEB + FEB_PENALTY - PAID_FEB_10;
      expect(after.balance.amount).toBe(formatMoney(tiyin(opening - PAID_MAR_15)));
      expect(after.payments[1]).toMatchObject({
        paidOn: '2025-03-05',
        status: 'reversed',
        reversedOn: '2025-03-20',
      });
      expect(after.applications).toEqual([]);
      const monthEnd = (await vitrina(operator, c.madina.contract, '2025-03-31')).json();
      expect(monthEnd.balance.amount).toBe(formatMoney(tiyin(opening - PAID_MAR_15 + MAR)));
      expect(monthEnd.balance.amount).toBe('1423456.29');
      expect(monthEnd.bills.map((b: { period: string }) => b.period)).toEqual([
        '2025-03',
        '2025-02',
        '2025-01',
      ]);
      expect(monthEnd.meters[0].registers[0].lastReading).toMatchObject({
        readOn: '2025-03-25',
        value: '400.000',
      });
      expect(monthEnd.applications).toMatchObject([{ number: 'Z-2025-000002', status: 'submitted' }]);
      const before = (await vitrina(operator, c.madina.contract, '2024-12-31')).json();
      expect(before).toMatchObject({
        account: { status: 'not_started', tariff: null },
        bills: [],
        payments: [],
      });
      expect(before.balance.amount).toBe('0.00');
      expect(before.meters.map((m: { serial: string }) => m.serial)).toEqual(['CE10000021']);
    });

    it('defaults to today and then agrees with the card’s balance', async () => {
      const res = await vitrina(clerk, c.madina.contract);
      expect(res.statusCode).toBe(200);
      const v = res.json();
      expect(v).toMatchObject({ on: todayInTashkent(), today: true });
      const card = (await get(clerk, `/api/consumers/${c.madina.consumer}`)).json();
      expect(v.balance.amount).toBe(card.contracts[0].balance);
      expect(v.payments).toHaveLength(4);
      expect(v.bills).toHaveLength(3);
    });

    it('refuses a future day, a malformed day, an unknown account and one outside the scope', async () => {
      const future = await vitrina(operator, c.madina.contract, '2199-01-01');
      expect(future.statusCode).toBe(400);
      expect(future.json().error.code).toBe('VITRINA_DATE_IN_FUTURE');
      const bad = await vitrina(operator, c.madina.contract, '2025-02-30');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('INVALID_DATE');
      const unknown = await vitrina(operator, 99999999n, '2025-03-17');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('UNKNOWN_ACCOUNT');
      const other = await vitrina(operator, c.sardor.contract, '2025-03-17');
      expect(other.statusCode).toBe(403);
      expect(other.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
      expect((await vitrina(admin, c.sardor.contract, '2025-03-17')).statusCode).toBe(200);
    });
  });
});
