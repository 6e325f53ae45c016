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
import { addPeriods, firstDay, periodOf, todayInTashkent } from '../../domain/period.ts';
import { versionFor } from '../../domain/tariff-pricing.ts';
import { loadVersions } from '../tariffs/tariffs.service.ts';

type Version = {
  id: string;
  validFrom: string;
  pricing: string;
  price: string | null;
  zones: { obis: string; price: string }[];
  blocks: { upto: string | null; price: string }[];
  reactivePrice: string | null;
  current: boolean;
  state: 'closed' | 'billed' | 'editable';
  createdBy: string | null;
};
type Detail = { tariff: { id: string; code: string }; openPeriod: string; versions: Version[] };

describe(`tariff versions in the reference editor (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let admin: TestSession;
  let operator: TestSession;
  let analyst: TestSession;
  let tariffId: bigint;
  let contractId: bigint;
  let adminId: bigint;

  const db = () => t.database.db;
  const current = periodOf(todayInTashkent());
  const next = addPeriods(current, 1);
  const later = addPeriods(current, 2);
  const call = (
    s: TestSession,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload }) });
  const detail = async () =>
    (await call(admin, 'GET', `/api/reference/tariffs/${tariffId}`)).json() as Detail;
  const flat = (validFrom: string, price: string) => ({
    validFrom,
    pricing: 'flat',
    price,
    reactivePrice: '95',
  });
  const audits = (action: string) =>
    db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(db(), 'reftar');
    adminId = await createUser(db(), {
      tenantId: f.tenantId,
      login: 'rt-admin',
      role: 'admin',
      orgUnitId: f.units.company.id,
    });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'rt-op',
      role: 'operator',
      orgUnitId: f.units.n1.id,
    });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'rt-analyst',
      role: 'analyst',
      orgUnitId: f.units.company.id,
    });
    admin = await signIn(t.app, 'rt-admin');
    operator = await signIn(t.app, 'rt-op');
    analyst = await signIn(t.app, 'rt-analyst');
    // Two months closed: the current month is the open period.
    await db()
      .insertInto('billing_period')
      .values(
        [addPeriods(current, -2), addPeriods(current, -1)].map((period) => ({
          tenant_id: f.tenantId,
          period,
          status: 'closed',
          closed_at: new Date(),
        })),
      )
      .execute();
    const tariff = await db()
      .insertInto('tariff')
      .values({
        tenant_id: f.tenantId,
        code: 'E-LEGAL',
        name: 'Yuridik',
        commodity: 'electricity',
        unit: 'kWh',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    tariffId = tariff.id;
    await db()
      .insertInto('tariff_version')
      .values({
        tariff_id: tariffId,
        valid_from: firstDay(addPeriods(current, -2)),
        pricing: 'flat',
        price: 9_000_000n,
      })
      .execute();
    const contract = await db()
      .selectFrom('contract')
      .select('id')
      .where('org_unit_id', '=', f.units.n1.id)
      .executeTakeFirstOrThrow();
    contractId = contract.id;
    await db()
      .insertInto('contract_version')
      .values({ contract_id: contractId, valid_from: '2020-01-01', tariff_id: tariffId })
      .execute();
  });
  afterAll(() => t.close());

  it('lists the supplier’s tariffs with the version in force, for readers without reference.write', async () => {
    const res = await call(analyst, 'GET', '/api/reference/tariffs');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        code: 'E-LEGAL',
        versionCount: 1,
        currentFrom: firstDay(addPeriods(current, -2)),
        active: true,
      }),
    ]);
    const one = (await call(operator, 'GET', `/api/reference/tariffs/${tariffId}`)).json() as Detail;
    expect(one.openPeriod).toBe(current);
    expect(one.versions).toEqual([
      expect.objectContaining({ price: '900.00', current: true, state: 'closed', pricing: 'flat' }),
    ]);
  });

  it('adds a version from next month with exact prices, audited, and the billing engine prices with it', async () => {
    const res = await call(
      admin,
      'POST',
      `/api/reference/tariffs/${tariffId}/versions`,
      flat(firstDay(next), '1035.5'),
    );
    expect(res.statusCode).toBe(201);
    const added = (res.json() as Detail).versions.find((v) => v.validFrom === firstDay(next));
    expect(added).toMatchObject({
      price: '1035.50',
      reactivePrice: '95.00',
      state: 'editable',
      current: false,
      createdBy: 'User rt-admin',
    });
    const row = await db()
      .selectFrom('tariff_version')
      .selectAll()
      .where('id', '=', BigInt(added?.id ?? '0'))
      .executeTakeFirstOrThrow();
    expect(row.price).toBe(10_355_000n); // 1/10000 so'm
    expect(row.created_by).toBe(adminId);
    const [audit] = await audits('tariff.version_add');
    expect(audit).toMatchObject({ entity: 'tariff', entity_id: String(tariffId), actor_id: String(adminId) });
    expect(audit?.before).toBeNull();
    expect(audit?.after).toMatchObject({ code: 'E-LEGAL', validFrom: firstDay(next), price: '1035.50' });
    const versions = await db()
      .transaction()
      .execute((trx) => loadVersions(trx, tariffId));
    const inForce = versionFor(versions, next).pricing;
    expect(inForce).toEqual({ kind: 'flat', price: 10_355_000n });
  });

  it('refuses a start that is not the 1st, bad prices and bad pricing forms with 400 and a translated message', async () => {
    const ru = { ...admin.headers, cookie: `${admin.cookie}; hisob_lang=ru` };
    const url = `/api/reference/tariffs/${tariffId}/versions`;
    const notFirst = await t.app.inject({
      method: 'POST',
      url,
      headers: ru,
      payload: flat(`${later}-15`, '1100'),
    });
    expect(notFirst.statusCode).toBe(400);
    expect(notFirst.json().error).toMatchObject({
      code: 'TARIFF_VERSION_NOT_FIRST',
      message: 'Версия тарифа начинается с 1-го числа месяца',
    });
    const cases: [object, string][] = [
      [flat(firstDay(later), '12.34567'), 'INVALID_PRICE'],
      [flat(firstDay(later), '-5'), 'INVALID_PRICE'],
      [flat(firstDay(later), '1e3'), 'INVALID_PRICE'],
      [{ validFrom: firstDay(later), pricing: 'zones', zones: [] }, 'TARIFF_PRICING_INVALID'],
      [{ validFrom: firstDay(later), pricing: 'flat' }, 'TARIFF_PRICING_INVALID'],
      [
        {
          validFrom: firstDay(later),
          pricing: 'blocks',
          blocks: [
            { upto: '200', price: '600' },
            { upto: '100', price: '1000' },
          ],
        },
        'TARIFF_BLOCKS_INVALID',
      ],
      [{ validFrom: '2026-02-30', pricing: 'flat', price: '1' }, 'INVALID_DATE'],
      [{ validFrom: firstDay(later), pricing: 'stairs', price: '1' }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const res = await call(admin, 'POST', url, body);
      expect(res.statusCode, `${JSON.stringify(body)}`).toBe(400);
      expect(res.json().error.code).toBe(code);
    }
    expect((await detail()).versions).toHaveLength(2);
  });

  it('refuses a version reaching into a closed period and a second version from the same month (409)', async () => {
    const closed = await call(
      admin,
      'POST',
      `/api/reference/tariffs/${tariffId}/versions`,
      flat(firstDay(addPeriods(current, -1)), '1000'),
    );
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error).toMatchObject({ code: 'TARIFF_VERSION_IN_CLOSED_PERIOD' });
    const twice = await call(
      admin,
      'POST',
      `/api/reference/tariffs/${tariffId}/versions`,
      flat(firstDay(next), '1000'),
    );
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('TARIFF_VERSION_DUPLICATE');
    const old = (await detail()).versions[0];
    const edit = await call(admin, 'PUT', `/api/reference/tariffs/${tariffId}/versions/${old?.id}`, {
      ...flat(old?.validFrom ?? '', '1'),
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('TARIFF_VERSION_IN_CLOSED_PERIOD');
    expect(
      (await call(admin, 'DELETE', `/api/reference/tariffs/${tariffId}/versions/${old?.id}`)).statusCode,
    ).toBe(409);
    expect((await detail()).versions.map((v) => v.price)).toEqual(['900.00', '1035.50']);
  });

  it('forbids changes without reference.write at the company (operator, analyst)', async () => {
    for (const s of [operator, analyst]) {
      const res = await call(
        s,
        'POST',
        `/api/reference/tariffs/${tariffId}/versions`,
        flat(firstDay(later), '1200'),
      );
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('AUTH_FORBIDDEN');
    }
    expect((await detail()).versions).toHaveLength(2);
  });

  it('never changes or removes a version a bill used, but still edits a later one', async () => {
    const add = await call(
      admin,
      'POST',
      `/api/reference/tariffs/${tariffId}/versions`,
      flat(firstDay(current), '950'),
    );
    expect(add.statusCode).toBe(201);
    const openVersion = (add.json() as Detail).versions.find((v) => v.validFrom === firstDay(current));
    expect(openVersion?.state).toBe('editable');
    expect(openVersion?.current).toBe(true);
    // A bill run of the open month prices the contract with it.
    const bill = await db()
      .insertInto('bill')
      .values({ tenant_id: f.tenantId, contract_id: contractId, period: current })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('bill_line')
      .values({
        bill_id: bill.id,
        seq: 1,
        kind: 'energy',
        basis: 'actual',
        obis: '1.8.0',
        quantity: 1_000_000n,
        price: 9_500_000n,
        amount: 95_000_000n,
      })
      .execute();
    const states = (await detail()).versions.map((v) => [v.validFrom, v.state]);
    expect(states).toEqual([
      [firstDay(addPeriods(current, -2)), 'closed'],
      [firstDay(current), 'billed'],
      [firstDay(next), 'editable'],
    ]);
    const url = `/api/reference/tariffs/${tariffId}/versions/${openVersion?.id}`;
    const edit = await call(admin, 'PUT', url, flat(firstDay(current), '990'));
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error).toMatchObject({ code: 'TARIFF_VERSION_USED', details: { period: current } });
    expect((await call(admin, 'DELETE', url)).json().error.code).toBe('TARIFF_VERSION_USED');
    // Moving next month's version into the billed month would reprice the bill too.
    const nextVersion = (await detail()).versions.find((v) => v.validFrom === firstDay(next));
    const nextUrl = `/api/reference/tariffs/${tariffId}/versions/${nextVersion?.id}`;
    const intoBilled = await call(admin, 'PUT', nextUrl, flat(firstDay(current), '990'));
    expect(intoBilled.statusCode).toBe(409);
    expect((await detail()).versions.map((v) => v.price)).toEqual(['900.00', '950.00', '1035.50']);

    const change = await call(admin, 'PUT', nextUrl, {
      validFrom: firstDay(later),
      pricing: 'zones',
      zones: [
        { obis: '1.8.1', price: '1100' },
        { obis: '1.8.2', price: '550.125' },
      ],
    });
    expect(change.statusCode).toBe(200);
    expect((change.json() as Detail).versions[2]).toMatchObject({
      validFrom: firstDay(later),
      pricing: 'zones',
      price: null,
      reactivePrice: null,
      zones: [
        { obis: '1.8.1', price: '1100.00' },
        { obis: '1.8.2', price: '550.125' },
      ],
    });
    const [changed] = await audits('tariff.version_change');
    expect(changed?.before).toMatchObject({ validFrom: firstDay(next), price: '1035.50' });
    expect(changed?.after).toMatchObject({ validFrom: firstDay(later), pricing: 'zones' });

    const removed = await call(admin, 'DELETE', nextUrl);
    expect(removed.statusCode).toBe(200);
    expect((removed.json() as Detail).versions).toHaveLength(2);
    const [gone] = await audits('tariff.version_remove');
    expect(gone?.before).toMatchObject({ validFrom: firstDay(later), pricing: 'zones' });
    expect(
      await db()
        .selectFrom('tariff_zone_price')
        .selectAll()
        .where('tariff_version_id', '=', BigInt(nextVersion?.id ?? '0'))
        .execute(),
    ).toEqual([]);
  });

  it('creates a household block tariff and refuses zones for heat and a taken code', async () => {
    const res = await call(admin, 'POST', '/api/reference/tariffs', {
      code: 'E-HOUSE-2',
      name: 'Aholi, bloklar',
      commodity: 'electricity',
      version: {
        validFrom: firstDay(next),
        pricing: 'blocks',
        blocks: [
          { upto: '200', price: '600' },
          { upto: '1000.5', price: '1000' },
          { upto: null, price: '1500.0001' },
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    expect((res.json() as Detail).versions[0]?.blocks).toEqual([
      { upto: '200.000', price: '600.00' },
      { upto: '1000.500', price: '1000.00' },
      { upto: null, price: '1500.0001' },
    ]);
    expect(await audits('tariff.create')).toHaveLength(1);
    const heat = await call(admin, 'POST', '/api/reference/tariffs', {
      code: 'H-ZONE',
      name: 'Issiqlik',
      commodity: 'heat',
      version: { validFrom: firstDay(next), pricing: 'zones', zones: [{ obis: '1.8.1', price: '1' }] },
    });
    expect(heat.json().error.code).toBe('TARIFF_UNIT_MISMATCH');
    const taken = await call(admin, 'POST', '/api/reference/tariffs', {
      code: 'E-LEGAL',
      name: 'Again',
      commodity: 'electricity',
      version: flat(firstDay(next), '1'),
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('REFERENCE_CODE_TAKEN');
    expect(
      await db().selectFrom('tariff').select('code').where('tenant_id', '=', f.tenantId).execute(),
    ).toHaveLength(2);
  });

  it('renames a tariff at the current revision only', async () => {
    const url = `/api/reference/tariffs/${tariffId}`;
    const ok = await call(admin, 'PATCH', url, { revision: 1, name: 'Yuridik shaxslar' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().tariff).toMatchObject({ name: 'Yuridik shaxslar', revision: 2 });
    const stale = await call(admin, 'PATCH', url, { revision: 1, name: 'Boshqa' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('REFERENCE_STALE');
    const [audit] = await audits('tariff.change');
    expect(audit?.before).toMatchObject({ name: 'Yuridik', revision: 1 });
    expect(audit?.after).toMatchObject({ name: 'Yuridik shaxslar', revision: 2 });
  });
});
