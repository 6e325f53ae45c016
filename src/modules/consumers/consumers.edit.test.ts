import { sql } from 'kysely';
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
import type { LocalDate, Period } from '../../domain/period.ts';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { createBillRun, executeBillRun } from '../billing/bill-run.service.ts';

// Periods up to 2026-05 are closed; 2026-06 is open. New contracts start in June.
const OPEN = '2026-06' as Period;

type Card = {
  id: string;
  name: string;
  inn: string | null;
  phone: string | null;
  contracts: {
    id: string;
    number: string;
    startDate: string;
    endDate: string | null;
    terms: { tariff: { code: string }; contractVolume: string | null } | null;
    history: { validFrom: string; tariff: { code: string }; addedBy: string | null }[];
    volumes: { period: string; volume: string }[];
    meteringPoints: { code: string; name: string | null }[];
  }[];
};

describe(`editing consumers and contracts (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let operator: TestSession;
  let clerk: TestSession;
  let operatorId: bigint;
  const tariffs: Record<'legal' | 'other' | 'blocks' | 'heat' | 'old', string> = {} as never;
  let categoryId: string;
  /** The fixture's contract in n1, started 2025-01-01: its past periods are closed. */
  let oldContract: string;
  let outsideConsumer: string;
  const db = () => t.database.db;

  const send = (s: TestSession, method: 'POST' | 'PATCH' | 'PUT' | 'GET', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload }) });
  const count = async (
    table: 'consumer' | 'contract' | 'contract_version' | 'contract_volume' | 'audit_log',
  ) =>
    Number((await db().selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  async function tariff(code: string, o: { commodity?: string; pricing?: string; active?: boolean } = {}) {
    const row = await db()
      .insertInto('tariff')
      .values({
        tenant_id: f.tenantId,
        code,
        name: `Tariff ${code}`,
        commodity: o.commodity ?? 'electricity',
        unit: o.commodity === 'heat' ? 'Gcal' : 'kWh',
        active: o.active ?? true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const v = await db()
      .insertInto('tariff_version')
      .values({
        tariff_id: row.id,
        valid_from: '2025-01-01',
        pricing: o.pricing ?? 'flat',
        price: o.pricing === 'blocks' ? null : 9_000_000n, // 900.0000 so'm per kWh
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (o.pricing === 'blocks')
      await db()
        .insertInto('tariff_block')
        .values([
          { tariff_version_id: v.id, seq: 1, upto: 200_000n, price: 4_500_000n },
          { tariff_version_id: v.id, seq: 2, upto: null, price: 9_000_000n },
        ])
        .execute();
    return String(row.id);
  }

  /** A legal entity with a contract as the office form sends it. */
  const legal = (over: Record<string, unknown> = {}, contract: Record<string, unknown> = {}) => ({
    kind: 'legal',
    name: '"Chilonzor Non" MChJ',
    inn: '305123456',
    oked: '10710',
    legalAddress: 'Toshkent sh., Chilonzor t., Bunyodkor ko‘chasi 12',
    phone: '+998712345678',
    email: 'info@chilonzor-non.uz',
    bankMfo: '00014',
    bankAccount: '20208000900100200300',
    categoryId,
    ...over,
    contract: {
      number: '00042',
      orgUnitId: String(f.units.n1.id),
      startDate: '2026-06-01',
      tariffId: tariffs.legal,
      defaultVolume: '1000',
      contractedLoad: '25.5',
      estimation: 'contract',
      ...contract,
    },
  });

  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(db(), 'edit');
    operatorId = await createUser(db(), {
      tenantId: f.tenantId,
      login: 'operator',
      role: 'operator',
      orgUnitId: f.units.n1.id,
    });
    await createUser(db(), { tenantId: f.tenantId, login: 'clerk', role: 'clerk', orgUnitId: f.units.n1.id });
    operator = await signIn(t.app, 'operator');
    clerk = await signIn(t.app, 'clerk');
    tariffs.legal = await tariff('E-LEGAL');
    tariffs.other = await tariff('E-NEW');
    tariffs.blocks = await tariff('E-HOUSE', { pricing: 'blocks' });
    tariffs.heat = await tariff('H-LEGAL', { commodity: 'heat' });
    tariffs.old = await tariff('E-OLD', { active: false });
    await db()
      .insertInto('bank')
      .values({ tenant_id: f.tenantId, mfo: '00014', name: 'Milliy bank' })
      .execute();
    const cat = await db()
      .insertInto('consumer_category')
      .values({ tenant_id: f.tenantId, code: 'COMMERCE', name: 'Savdo', kind: 'legal' })
      .returning('id')
      .executeTakeFirstOrThrow();
    categoryId = String(cat.id);
    await db()
      .insertInto('billing_period')
      .values(
        ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'].map((period) => ({
          tenant_id: f.tenantId,
          period,
          status: 'closed',
          closed_at: new Date('2026-06-01T00:00:00Z'),
        })),
      )
      .execute();
    const old = await db()
      .selectFrom('contract')
      .select(['id', 'consumer_id'])
      .where('org_unit_id', '=', f.units.n1.id)
      .executeTakeFirstOrThrow();
    oldContract = String(old.id);
    await db()
      .insertInto('contract_version')
      .values({ contract_id: old.id, valid_from: '2025-01-01', tariff_id: BigInt(tariffs.legal) })
      .execute();
    const outside = await db()
      .selectFrom('consumer')
      .select('id')
      .where('org_unit_id', '=', f.units.s1.id)
      .executeTakeFirstOrThrow();
    outsideConsumer = String(outside.id);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  let created: Card;

  it('creates a legal entity with its first contract, audited, and the search finds it', async () => {
    const res = await send(operator, 'POST', '/api/consumers', legal());
    expect(res.statusCode, res.body).toBe(201);
    created = res.json() as Card;
    expect(created).toMatchObject({ name: '"Chilonzor Non" MChJ', inn: '305123456', phone: '+998712345678' });
    expect(created.contracts).toHaveLength(1);
    expect(created.contracts[0]).toMatchObject({
      number: '00042',
      startDate: '2026-06-01',
      endDate: null,
      history: [{ validFrom: '2026-06-01', tariff: { code: 'E-LEGAL' }, addedBy: 'User operator' }],
    });

    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'entity', 'actor_id', 'after'])
      .where('action', 'in', ['consumer.create', 'contract.create'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['consumer.create', 'contract.create']);
    expect(audit.every((a) => a.actor_id === String(operatorId))).toBe(true);
    expect(audit[0]?.after).toMatchObject({ kind: 'legal', inn: '305123456', bankMfo: '00014' });
    expect(audit[1]?.after).toMatchObject({
      number: '00042',
      startDate: '2026-06-01',
      terms: { tariff: 'E-LEGAL', defaultVolume: '1000.000', contractedLoad: '25.500' },
    });

    for (const q of ['305123456', '00042', '"chilonzor non']) {
      const found = await send(operator, 'GET', `/api/consumers?q=${encodeURIComponent(q)}`);
      expect(found.statusCode).toBe(200);
      expect(
        found.json().items.map((r: { id: string }) => r.id),
        q,
      ).toContain(created.id);
    }
    // Leading zeros count: "42" is another number.
    const byNumber = await send(operator, 'GET', '/api/consumers?q=42');
    expect(byNumber.json().items.map((r: { id: string }) => r.id)).not.toContain(created.id);
  });

  it('creates a household with a PINFL and no INN', async () => {
    const res = await send(operator, 'POST', '/api/consumers', {
      kind: 'household',
      name: 'Karimova Madina',
      pinfl: '42512199001234',
      legalAddress: 'Chilonzor 7-kvartal, 12-uy, 5-xonadon',
      phone: '+998901234567',
      contract: {
        number: '0101000777',
        orgUnitId: String(f.units.n1.id),
        startDate: '2026-06-15',
        tariffId: tariffs.blocks,
        estimation: 'average_daily',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'household', inn: null, pinfl: '42512199001234' });
  });

  it('refuses bad input, taken numbers, other districts and closed periods — and keeps nothing of them', async () => {
    const before = {
      consumers: await count('consumer'),
      contracts: await count('contract'),
      audit: await count('audit_log'),
    };
    const cases: [string, object, number, string, string?][] = [
      ['bad INN', legal({ inn: '12345' }), 400, 'VALIDATION_FAILED'],
      ['bad phone', legal({ phone: '90 123 45 67' }), 400, 'VALIDATION_FAILED'],
      ['number taken', legal({ inn: '305123457' }), 409, 'CONTRACT_NUMBER_TAKEN', 'number'],
      ['legal without INN', legal({ inn: null }, { number: '00043' }), 400, 'CONSUMER_INN_REQUIRED', 'inn'],
      [
        'other district',
        legal({}, { number: '00044', orgUnitId: String(f.units.s1.id) }),
        403,
        'ORG_UNIT_OUT_OF_SCOPE',
        'orgUnitId',
      ],
      [
        'a region',
        legal({}, { number: '00045', orgUnitId: String(f.units.north.id) }),
        400,
        'CONTRACT_UNIT_NOT_DISTRICT',
        'orgUnitId',
      ],
      [
        'closed period',
        legal({}, { number: '00046', startDate: '2026-05-20' }),
        409,
        'CONTRACT_CHANGE_IN_CLOSED_PERIOD',
        'startDate',
      ],
      [
        'no such day',
        legal({}, { number: '00047', startDate: '2026-06-31' }),
        400,
        'INVALID_DATE',
        'startDate',
      ],
      [
        'inactive tariff',
        legal({}, { number: '00048', tariffId: tariffs.old }),
        400,
        'CONTRACT_TARIFF_INACTIVE',
        'tariffId',
      ],
      [
        'heat tariff',
        legal({}, { number: '00049', tariffId: tariffs.heat }),
        400,
        'CONTRACT_TARIFF_COMMODITY',
        'tariffId',
      ],
      [
        'heat contract',
        legal({}, { number: '00050', commodity: 'heat' }),
        400,
        'CONTRACT_COMMODITY_MISMATCH',
        'commodity',
      ],
      [
        'blocks with a volume',
        legal({}, { number: '00051', tariffId: tariffs.blocks }),
        400,
        'BLOCK_TARIFF_WITH_VOLUME',
        'defaultVolume',
      ],
      [
        'unknown bank',
        legal({ bankMfo: '99999' }, { number: '00052' }),
        400,
        'CONSUMER_BANK_UNKNOWN',
        'bankMfo',
      ],
      [
        'MFO without account',
        legal({ bankAccount: null }, { number: '00053' }),
        400,
        'CONSUMER_BANK_INCOMPLETE',
        'bankAccount',
      ],
      [
        'unknown tariff',
        legal({}, { number: '00054', tariffId: '999999' }),
        400,
        'UNKNOWN_TARIFF',
        'tariffId',
      ],
    ];
    for (const [what, body, status, code, field] of cases) {
      const res = await send(operator, 'POST', '/api/consumers', body);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.json().error.code, what).toBe(code);
      if (field) expect(res.json().error.details.field, what).toBe(field);
    }
    const inn = await send(operator, 'POST', '/api/consumers', legal({ inn: '12345' }));
    expect(inn.json().error.details.fields).toEqual([expect.stringMatching(/^\/inn /)]);
    const denied = await send(clerk, 'POST', '/api/consumers', legal({}, { number: '00055' }));
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('AUTH_FORBIDDEN');
    // A refusal after the consumer row was written (the number) leaves no consumer behind.
    expect({
      consumers: await count('consumer'),
      contracts: await count('contract'),
      audit: await count('audit_log'),
    }).toEqual(before);
  });

  it('changes requisites, audits only what changed, and refuses what cannot stand', async () => {
    const url = `/api/consumers/${created.id}`;
    const res = await send(operator, 'PATCH', url, {
      phone: '+998712000001',
      email: null,
      postalAddress: 'a/ya 15',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ phone: '+998712000001', email: null, postalAddress: 'a/ya 15' });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['before', 'after', 'entity_id'])
      .where('action', '=', 'consumer.change')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({
      entity_id: created.id,
      before: { phone: '+998712345678', email: 'info@chilonzor-non.uz', postalAddress: null },
      after: { phone: '+998712000001', email: null, postalAddress: 'a/ya 15' },
    });
    // The same values again change nothing and write no audit row.
    const audits = await count('audit_log');
    expect((await send(operator, 'PATCH', url, { phone: '+998712000001' })).statusCode).toBe(200);
    expect(await count('audit_log')).toBe(audits);

    const refusals: [object, number, string][] = [
      [{}, 400, 'CONSUMER_NOTHING_TO_CHANGE'],
      [{ inn: null }, 400, 'CONSUMER_INN_REQUIRED'],
      [{ inn: '1234567890' }, 400, 'VALIDATION_FAILED'],
      [{ bankAccount: null }, 400, 'CONSUMER_BANK_INCOMPLETE'],
      [{ kind: 'household' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of refusals) {
      const r = await send(operator, 'PATCH', url, body);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json().error.code).toBe(code);
    }
    const outside = await send(operator, 'PATCH', `/api/consumers/${outsideConsumer}`, {
      phone: '+998712000002',
    });
    expect([outside.statusCode, outside.json().error.code]).toEqual([403, 'ORG_UNIT_OUT_OF_SCOPE']);
    const unknown = await send(operator, 'PATCH', '/api/consumers/999999', { phone: '+998712000002' });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'UNKNOWN_CONSUMER']);
    expect(await count('audit_log')).toBe(audits);
  });

  it('adds another contract to the consumer', async () => {
    const res = await send(operator, 'POST', `/api/consumers/${created.id}/contracts`, {
      number: '00042-2',
      orgUnitId: String(f.units.n1.id),
      startDate: '2026-07-01',
      tariffId: tariffs.other,
      defaultVolume: '500',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as Card).contracts.map((k) => k.number)).toEqual(['00042', '00042-2']);
    const taken = await send(operator, 'POST', `/api/consumers/${created.id}/contracts`, {
      number: '00042',
      orgUnitId: String(f.units.n1.id),
      startDate: '2026-07-01',
      tariffId: tariffs.other,
    });
    expect([taken.statusCode, taken.json().error.code]).toEqual([409, 'CONTRACT_NUMBER_TAKEN']);
  });

  it('adds terms from a month, keeps the history, and refuses closed periods and bad dates', async () => {
    const contract = created.contracts[0]?.id;
    const url = `/api/contracts/${contract}/versions`;
    const res = await send(operator, 'POST', url, {
      validFrom: '2026-08-01',
      tariffId: tariffs.other,
      defaultVolume: '1500',
      specialSupply: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const k = (res.json() as Card).contracts.find((x) => x.id === contract);
    expect(k?.history.map((v) => [v.validFrom, v.tariff.code])).toEqual([
      ['2026-08-01', 'E-NEW'],
      ['2026-06-01', 'E-LEGAL'],
    ]);
    const audit = await db()
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'contract.version_add')
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({
      validFrom: '2026-06-01',
      tariff: 'E-LEGAL',
      defaultVolume: '1000.000',
    });
    expect(audit.after).toMatchObject({ validFrom: '2026-08-01', tariff: 'E-NEW', specialSupply: true });

    const versions = await count('contract_version');
    const refusals: [string, object, number, string][] = [
      [url, { validFrom: '2026-08-01', tariffId: tariffs.other }, 409, 'CONTRACT_VERSION_EXISTS'],
      [url, { validFrom: '2026-09-15', tariffId: tariffs.other }, 400, 'CONTRACT_VERSION_NOT_FIRST'],
      [url, { validFrom: '2026-05-01', tariffId: tariffs.other }, 400, 'CONTRACT_VERSION_BEFORE_START'],
      [
        url,
        { validFrom: '2026-09-01', tariffId: tariffs.blocks, defaultVolume: '100' },
        400,
        'BLOCK_TARIFF_WITH_VOLUME',
      ],
      [url, { validFrom: '2026-09-01', tariffId: tariffs.old }, 400, 'CONTRACT_TARIFF_INACTIVE'],
      [
        url,
        { validFrom: '2026-09-01', tariffId: tariffs.other, defaultVolume: '-1' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        `/api/contracts/${oldContract}/versions`,
        { validFrom: '2026-05-01', tariffId: tariffs.other },
        409,
        'CONTRACT_CHANGE_IN_CLOSED_PERIOD',
      ],
      [
        '/api/contracts/999999/versions',
        { validFrom: '2026-09-01', tariffId: tariffs.other },
        404,
        'UNKNOWN_CONTRACT',
      ],
    ];
    for (const [u, body, status, code] of refusals) {
      const r = await send(operator, 'POST', u, body);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json().error.code).toBe(code);
    }
    const closed = await send(operator, 'POST', `/api/contracts/${oldContract}/versions`, {
      validFrom: '2026-05-01',
      tariffId: tariffs.other,
    });
    expect(closed.json().error.details).toMatchObject({
      period: '2026-05',
      closed: '2026-05',
      open: '2026-06',
    });
    expect(await count('contract_version')).toBe(versions);
  });

  it('sets the monthly volumes of a year, only inside the contract and open periods, all or nothing', async () => {
    const contract = created.contracts[0]?.id;
    const url = `/api/contracts/${contract}/volumes`;
    const res = await send(operator, 'PUT', url, {
      year: 2026,
      volumes: { '2026-06': '1200', '2026-07': '1300.5', '2026-12': '900' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const k = (res.json() as Card).contracts.find((x) => x.id === contract);
    expect(k?.volumes).toEqual([
      { period: '2026-06', volume: '1200.000' },
      { period: '2026-07', volume: '1300.500' },
      { period: '2026-12', volume: '900.000' },
    ]);
    // December left out is cleared; July changes; June stays.
    const again = await send(operator, 'PUT', url, {
      year: 2026,
      volumes: { '2026-06': '1200', '2026-07': '1400' },
    });
    expect(again.statusCode, again.body).toBe(200);
    const audit = await db()
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'contract.volumes')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.before).toEqual({ '2026-07': '1300.500', '2026-12': '900.000' });
    expect(audit.after).toEqual({ number: '00042', year: 2026, '2026-07': '1400.000', '2026-12': null });

    const volumes = await count('contract_volume');
    const outside = await send(operator, 'PUT', url, {
      year: 2026,
      volumes: { '2026-05': '1', '2026-06': '5' },
    });
    expect([outside.statusCode, outside.json().error.code]).toEqual([400, 'CONTRACT_VOLUME_OUTSIDE']);
    const otherYear = await send(operator, 'PUT', url, { year: 2026, volumes: { '2027-01': '1' } });
    expect(otherYear.json().error.code).toBe('CONTRACT_VOLUME_OUTSIDE');
    // The old contract: a closed month refuses the whole request, the open month included.
    const closed = await send(operator, 'PUT', `/api/contracts/${oldContract}/volumes`, {
      year: 2026,
      volumes: { '2026-06': '700', '2026-05': '800' },
    });
    expect([closed.statusCode, closed.json().error.code]).toEqual([409, 'CONTRACT_CHANGE_IN_CLOSED_PERIOD']);
    expect(closed.json().error.details.field).toBe('2026-05');
    expect(await count('contract_volume')).toBe(volumes);
  });

  it('ends a contract on a day, also with a debt, never inside a closed period', async () => {
    const contract = created.contracts.find((k) => k.number === '00042')?.id;
    await db()
      .insertInto('bill')
      .values({
        tenant_id: f.tenantId,
        contract_id: BigInt(oldContract),
        period: '2026-05',
        total: 1_000_000n,
      })
      .execute();
    const closed = await send(operator, 'POST', `/api/contracts/${oldContract}/terminate`, {
      endDate: '2026-04-30',
    });
    expect([closed.statusCode, closed.json().error.code]).toEqual([409, 'CONTRACT_CHANGE_IN_CLOSED_PERIOD']);
    const withDebt = await send(operator, 'POST', `/api/contracts/${oldContract}/terminate`, {
      endDate: '2026-06-30',
      reason: 'Bino sotildi',
    });
    expect(withDebt.statusCode, withDebt.body).toBe(200);
    const early = await send(operator, 'POST', `/api/contracts/${contract}/terminate`, {
      endDate: '2026-05-31',
    });
    expect([early.statusCode, early.json().error.code]).toEqual([400, 'CONTRACT_END_BEFORE_START']);
    const audit = await db()
      .selectFrom('audit_log')
      .select(['before', 'after', 'entity_id'])
      .where('action', '=', 'contract.terminate')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({
      entity_id: oldContract,
      before: { endDate: null, status: 'active' },
      after: { number: expect.any(String), endDate: '2026-06-30', reason: 'Bino sotildi' },
    });
    // After its end nothing changes: no new terms.
    const later = await send(operator, 'POST', `/api/contracts/${oldContract}/versions`, {
      validFrom: '2026-07-01',
      tariffId: tariffs.other,
    });
    expect([later.statusCode, later.json().error.code]).toEqual([409, 'CONTRACT_ENDED']);
  });

  it('adds metering points with codes unique in the supplier', async () => {
    const contract = created.contracts[0]?.id;
    const url = `/api/contracts/${contract}/metering-points`;
    const res = await send(operator, 'POST', url, {
      code: 'MP-00042-1',
      name: 'TP-10/0,4 kV',
      address: 'Sex 2',
    });
    expect(res.statusCode, res.body).toBe(201);
    const k = (res.json() as Card).contracts.find((x) => x.id === contract);
    expect(k?.meteringPoints).toEqual([
      expect.objectContaining({ code: 'MP-00042-1', name: 'TP-10/0,4 kV' }),
    ]);
    const taken = await send(operator, 'POST', url, { code: 'MP-00042-1' });
    expect([taken.statusCode, taken.json().error.code]).toEqual([409, 'METERING_POINT_CODE_TAKEN']);
    const bad = await send(operator, 'POST', url, { code: 'MP 1' });
    expect(bad.statusCode).toBe(400);
    const audit = await db()
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'metering_point.create')
      .executeTakeFirstOrThrow();
    expect(audit.after).toEqual({
      contract: '00042',
      code: 'MP-00042-1',
      name: 'TP-10/0,4 kV',
      address: 'Sex 2',
    });
  });

  it('offers the districts in scope, active tariffs, categories and banks', async () => {
    const res = await send(operator, 'GET', '/api/consumers/options');
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json();
    expect(o).toMatchObject({ commodity: 'electricity', lastClosed: '2026-05', openPeriod: '2026-06' });
    expect(o.districts).toEqual([{ id: String(f.units.n1.id), name: 'Unit edit-N1' }]);
    expect(o.tariffs.map((x: { code: string }) => x.code)).toEqual([
      'E-HOUSE',
      'E-LEGAL',
      'E-NEW',
      'H-LEGAL',
    ]);
    expect(o.tariffs.find((x: { code: string }) => x.code === 'E-HOUSE')).toMatchObject({ blocks: true });
    expect(o.banks).toEqual([{ mfo: '00014', name: 'Milliy bank' }]);
    expect((await send(clerk, 'GET', '/api/consumers/options')).statusCode).toBe(403);
  });

  it('bills the new contract in a bill run of the open period, and then refuses changes to that period', async () => {
    const contract = created.contracts[0]?.id ?? '';
    const on = '2026-06-30' as LocalDate;
    // A meter on the new metering point (the meter service installs it in the office).
    const point = await db()
      .selectFrom('metering_point')
      .select('id')
      .where('code', '=', 'MP-00042-1')
      .executeTakeFirstOrThrow();
    const meter = await db()
      .insertInto('meter')
      .values({
        tenant_id: f.tenantId,
        metering_point_id: point.id,
        serial: 'EDIT-0001',
        digits: 6,
        installed_on: '2026-06-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('register')
      .values({ meter_id: meter.id, obis: '1.8.0', install_reading: 0n })
      .execute();
    const run = await createBillRun(db(), SYSTEM_ACTOR, {
      tenantId: f.tenantId,
      period: OPEN,
      orgUnitId: f.units.n1.id,
      on,
    });
    await executeBillRun(db(), SYSTEM_ACTOR, run, { on });
    const lines = await db()
      .selectFrom('bill as b')
      .innerJoin('bill_line as l', 'l.bill_id', 'b.id')
      .select(['l.kind', 'l.basis', 'l.quantity', 'l.amount'])
      .where('b.contract_id', '=', BigInt(contract))
      .where('b.period', '=', OPEN)
      .execute();
    // No reading: the June volume (1200 kWh) at 900.00 so'm.
    expect(lines).toEqual([
      { kind: 'energy', basis: 'estimated', quantity: 1_200_000n, amount: 108_000_000n },
    ]);

    const volumes = await send(operator, 'PUT', `/api/contracts/${contract}/volumes`, {
      year: 2026,
      volumes: { '2026-06': '1', '2026-07': '1400' },
    });
    expect([volumes.statusCode, volumes.json().error.code]).toEqual([409, 'CONTRACT_PERIOD_BILLED']);
    // The old contract (ending 30 June) is billed for June too: no new terms from June.
    const terms = await send(operator, 'POST', `/api/contracts/${oldContract}/versions`, {
      validFrom: '2026-06-01',
      tariffId: tariffs.other,
    });
    expect([terms.statusCode, terms.json().error.code]).toEqual([409, 'CONTRACT_PERIOD_BILLED']);
  });
});
