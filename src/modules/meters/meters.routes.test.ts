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
import { pgArray } from '../../db/arrays.ts';
import { addDays, type LocalDate, type Period, todayInTashkent } from '../../domain/period.ts';
import { parseReading } from '../../domain/quantity.ts';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { closePeriod } from '../billing/close-period.ts';
import { recordReading } from '../readings/readings.service.ts';

describe(`meters: install, replace, remove, seals (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let admin: TestSession;
  let operator: TestSession;
  let outsider: TestSession;
  let clerk: TestSession;
  let operatorId: bigint;
  let contractN1: bigint;
  let consumerN1: bigint;
  let pointA: bigint; // n1: the meter's life is billed through it
  let pointB: bigint; // n1: refusals and seals
  let pointN2: bigint; // n2: outside the n1 operator's scope
  const types = {} as Record<'ce' | 'zones' | 'old', string>;
  const ids = {} as Record<'a1' | 'b1' | 'c1', string>;

  const db = () => t.database.db;
  const call = (s: TestSession, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload }) });
  const audits = (action: string) =>
    db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  const count = async (table: 'meter' | 'register' | 'reading' | 'meter_seal' | 'audit_log') => {
    const r = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)}`.execute(db());
    return Number(r.rows[0]?.n);
  };
  const snapshot = async () => ({
    meter: await count('meter'),
    register: await count('register'),
    reading: await count('reading'),
    seal: await count('meter_seal'),
    audit: await count('audit_log'),
    removed: (await db().selectFrom('meter').select(['id', 'removed_on']).orderBy('id').execute()).map(
      (m) => `${m.id}:${m.removed_on}`,
    ),
  });
  const accept = (meterId: string, obis: string, readOn: string, value: string) =>
    db()
      .transaction()
      .execute(async (trx) => {
        const g = await trx
          .selectFrom('register')
          .select('id')
          .where('meter_id', '=', BigInt(meterId))
          .where('obis', '=', obis)
          .executeTakeFirstOrThrow();
        await recordReading(trx, SYSTEM_ACTOR, {
          tenantId: f.tenantId,
          registerId: g.id,
          readOn: readOn as LocalDate,
          value: parseReading(value, { allowComma: true }),
          source: 'operator',
          today: todayInTashkent(),
          accept: true,
        });
      });
  const close = (period: string) =>
    db()
      .transaction()
      .execute((trx) =>
        closePeriod(trx, SYSTEM_ACTOR, {
          tenantId: f.tenantId,
          period: period as Period,
          closedOn: addDays(`${period}-28` as LocalDate, 5),
        }),
      );
  const energyLines = (period: string) =>
    db()
      .selectFrom('bill_line as l')
      .innerJoin('bill as b', 'b.id', 'l.bill_id')
      .select(['l.kind', 'l.basis', 'l.obis', 'l.quantity', 'l.amount'])
      .where('b.contract_id', '=', contractN1)
      .where('b.period', '=', period)
      .where('l.kind', '=', 'energy')
      .execute();
  const install = (s: TestSession, point: bigint, body: object) =>
    call(s, 'POST', `/api/metering-points/${point}/meters`, {
      serial: 'X1',
      meterTypeId: types.ce,
      multiplier: '10',
      installedOn: '2025-02-03',
      registers: [{ obis: '1.8.0', value: '100,00' }],
      ...body,
    });

  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(db(), 'mtr');
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'mt-admin',
      role: 'admin',
      orgUnitId: f.units.company.id,
    });
    operatorId = await createUser(db(), {
      tenantId: f.tenantId,
      login: 'mt-op',
      role: 'operator',
      orgUnitId: f.units.n1.id,
    });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'mt-op2',
      role: 'operator',
      orgUnitId: f.units.n2.id,
    });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'mt-clerk',
      role: 'clerk',
      orgUnitId: f.units.n1.id,
    });
    admin = await signIn(t.app, 'mt-admin');
    operator = await signIn(t.app, 'mt-op');
    outsider = await signIn(t.app, 'mt-op2');
    clerk = await signIn(t.app, 'mt-clerk');

    const type = async (code: string, registers: string[], active = true) => {
      const row = await db()
        .insertInto('meter_type')
        .values({
          tenant_id: f.tenantId,
          code,
          name: `Type ${code}`,
          digits: 6,
          registers: sql<string[]>`${pgArray(registers)}::text[]`,
          active,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return String(row.id);
    };
    types.ce = await type('CE', ['1.8.0', '3.8.0']);
    types.zones = await type('Z3', ['1.8.1', '1.8.2']);
    types.old = await type('OLD', ['1.8.0'], false);

    const contracts = await db()
      .selectFrom('contract')
      .select(['id', 'org_unit_id', 'consumer_id'])
      .where('tenant_id', '=', f.tenantId)
      .execute();
    const n1 = contracts.find((k) => k.org_unit_id === f.units.n1.id);
    const n2 = contracts.find((k) => k.org_unit_id === f.units.n2.id);
    if (!n1 || !n2) throw new Error('fixture contracts');
    contractN1 = n1.id;
    consumerN1 = n1.consumer_id;
    const tariff = await db()
      .insertInto('tariff')
      .values({ tenant_id: f.tenantId, code: 'T', name: 'Flat', commodity: 'electricity', unit: 'kWh' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('tariff_version')
      .values({ tariff_id: tariff.id, valid_from: '2025-01-01', pricing: 'flat', price: 9_000_000n })
      .execute();
    await db()
      .insertInto('contract_version')
      .values({ contract_id: n1.id, valid_from: '2025-01-01', tariff_id: tariff.id })
      .execute();
    const point = async (contractId: bigint, code: string) =>
      (
        await db()
          .insertInto('metering_point')
          .values({ tenant_id: f.tenantId, contract_id: contractId, code })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    pointA = await point(n1.id, 'MP-A');
    pointB = await point(n1.id, 'MP-B');
    pointN2 = await point(n2.id, 'MP-N2');
    await close('2025-01');
  }, 120_000);
  afterAll(() => t.close());

  it('installs a meter: digits from its type, installation readings, seals, audited', async () => {
    const res = await install(operator, pointA, {
      serial: 'A1',
      verifiedOn: '2025-01-20',
      nextVerificationOn: '2033-01-20',
      registers: [
        { obis: '1.8.0', value: '100,00' },
        { obis: '3.8.0', value: '0' },
      ],
      seals: [{ number: 'S-100', place: 'terminal_cover' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json();
    ids.a1 = m.id;
    expect(m).toMatchObject({
      meteringPointId: String(pointA),
      serial: 'A1',
      type: { id: types.ce, code: 'CE' },
      digits: 6,
      multiplier: '10',
      installedOn: '2025-02-03',
      removedOn: null,
      verifiedOn: '2025-01-20',
      nextVerificationOn: '2033-01-20',
      registers: [
        { obis: '1.8.0', installReading: '100.000', removalReading: null },
        { obis: '3.8.0', installReading: '0.000', removalReading: null },
      ],
      seals: ['S-100'],
    });
    const [audit] = await audits('meter.install');
    expect(audit).toMatchObject({ actor_type: 'user', actor_id: String(operatorId), entity: 'meter' });
    expect(audit?.entity_id).toBe(m.id);
    expect(audit?.after).toMatchObject({ serial: 'A1', contract: 'MTR-n1', point: 'MP-A' });
    const seal = await db()
      .selectFrom('meter_seal')
      .selectAll()
      .where('number', '=', 'S-100')
      .executeTakeFirst();
    expect(seal).toMatchObject({ place: 'terminal_cover', set_on: '2025-02-03', removed_on: null });
    expect(String(seal?.set_by)).toBe(String(operatorId));
    // The consumer card reads the seals in place from meter_seal.
    const card = await call(operator, 'GET', `/api/consumers/${consumerN1}`);
    const meters = card.json().contracts[0].meteringPoints.flatMap((p: { meters: unknown[] }) => p.meters);
    expect(meters).toEqual([expect.objectContaining({ serial: 'A1', seals: ['S-100'] })]);
  });

  it('refuses an install that breaks a rule and changes nothing', async () => {
    const before = await snapshot();
    const refusals: [TestSession, bigint, object, number, string][] = [
      [operator, pointA, { serial: 'A2' }, 409, 'METER_POINT_OCCUPIED'],
      [operator, pointB, { serial: 'A1' }, 409, 'METER_SERIAL_TAKEN'],
      [operator, pointB, { installedOn: '2025-01-20' }, 409, 'PERIOD_CLOSED'],
      [operator, pointB, { installedOn: addDays(todayInTashkent(), 2) }, 422, 'METER_DATE_IN_FUTURE'],
      [operator, pointB, { installedOn: '2024-12-20' }, 422, 'METER_DATE_BEFORE_CONTRACT'],
      [operator, pointB, { registers: [{ obis: '9.9.9', value: '1' }] }, 400, 'METER_REGISTER_NOT_ALLOWED'],
      [operator, pointB, { registers: [{ obis: '1.8.1', value: '1' }] }, 400, 'METER_REGISTER_NOT_ALLOWED'],
      [operator, pointB, { meterTypeId: types.old }, 409, 'METER_TYPE_INACTIVE'],
      [operator, pointB, { meterTypeId: '999999' }, 400, 'METER_TYPE_UNKNOWN'],
      [operator, pointB, { registers: [{ obis: '1.8.0', value: '1000000' }] }, 422, 'READING_TOO_LARGE'],
      [operator, pointB, { registers: [{ obis: '1.8.0', value: '12,345' }] }, 400, 'INVALID_READING'],
      [operator, pointB, { registers: [] }, 400, 'VALIDATION_FAILED'],
      [operator, pointB, { multiplier: '0' }, 400, 'VALIDATION_FAILED'],
      [operator, pointB, { seals: [{ number: 's-100', place: 'ct_box' }] }, 409, 'SEAL_NUMBER_TAKEN'],
      [
        operator,
        pointB,
        { verifiedOn: '2025-02-01', nextVerificationOn: '2025-01-01' },
        422,
        'METER_VERIFICATION_DATES',
      ],
      [operator, pointN2, {}, 403, 'ORG_UNIT_OUT_OF_SCOPE'],
      [clerk, pointB, {}, 403, 'AUTH_FORBIDDEN'],
      [operator, 999_999n, {}, 404, 'UNKNOWN_METERING_POINT'],
    ];
    for (const [s, point, body, status, code] of refusals) {
      const res = await install(s, point, body);
      expect([res.statusCode, res.json().error?.code], `${JSON.stringify(body)}: ${res.body}`).toEqual([
        status,
        code,
      ]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a replacement that breaks a rule and changes nothing', async () => {
    await accept(ids.a1, '1.8.0', '2025-02-25', '150,00');
    const before = await snapshot();
    const replace = (s: TestSession, body: object) =>
      call(s, 'POST', `/api/meters/${ids.a1}/replace`, {
        on: '2025-03-10',
        removal: [
          { obis: '1.8.0', value: '180,00' },
          { obis: '3.8.0', value: '20,00' },
        ],
        newMeter: {
          serial: 'B1',
          meterTypeId: types.ce,
          multiplier: '20',
          registers: [{ obis: '1.8.0', value: '5' }],
        },
        ...body,
      });
    const refusals: [TestSession, object, number, string][] = [
      [operator, { removal: [{ obis: '1.8.0', value: '180,00' }] }, 422, 'REMOVAL_REGISTERS_MISMATCH'],
      [
        operator,
        {
          removal: [
            { obis: '1.8.0', value: '140,00' },
            { obis: '3.8.0', value: '20,00' },
          ],
        },
        422,
        'READING_BELOW_PREVIOUS',
      ],
      [operator, { on: '2025-02-20' }, 409, 'METER_READINGS_AFTER_REMOVAL'],
      [operator, { on: '2025-02-01' }, 422, 'METER_REMOVAL_DATE'],
      [operator, { on: addDays(todayInTashkent(), 2) }, 422, 'METER_DATE_IN_FUTURE'],
      [
        operator,
        { newMeter: { serial: 'A1', meterTypeId: types.zones, registers: [{ obis: '1.8.0', value: '0' }] } },
        400,
        'METER_REGISTER_NOT_ALLOWED',
      ],
      [outsider, {}, 403, 'ORG_UNIT_OUT_OF_SCOPE'],
    ];
    for (const [s, body, status, code] of refusals) {
      const res = await replace(s, body);
      expect([res.statusCode, res.json().error?.code], `${JSON.stringify(body)}: ${res.body}`).toEqual([
        status,
        code,
      ]);
    }
    const unknown = await call(operator, 'POST', '/api/meters/999999/replace', {
      on: '2025-03-10',
      removal: [{ obis: '1.8.0', value: '1' }],
      newMeter: { serial: 'B9', meterTypeId: types.ce, registers: [{ obis: '1.8.0', value: '0' }] },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('UNKNOWN_METER');
    expect(await snapshot()).toEqual(before);
  });

  it('replaces a meter; the bill sums the old meter to its removal and the new one from its installation', async () => {
    await close('2025-02');
    expect(await energyLines('2025-02')).toEqual([
      expect.objectContaining({ basis: 'actual', obis: '1.8.0', quantity: expect.anything() }),
    ]);
    expect(String((await energyLines('2025-02'))[0]?.quantity)).toBe('500000'); // (150 − 100) × 10

    const res = await call(operator, 'POST', `/api/meters/${ids.a1}/replace`, {
      on: '2025-03-10',
      removal: [
        { obis: '1.8.0', value: '180,00' },
        { obis: '3.8.0', value: '20,00' },
      ],
      newMeter: {
        serial: 'B1',
        meterTypeId: types.ce,
        multiplier: '20',
        registers: [{ obis: '1.8.0', value: '5,00' }],
        seals: [{ number: 'S-200', place: 'terminal_cover' }],
      },
      reason: 'Qiyoslash muddati o‘tgan',
    });
    expect(res.statusCode, res.body).toBe(201);
    const { removed, installed } = res.json();
    ids.b1 = installed.id;
    expect(removed).toMatchObject({
      serial: 'A1',
      removedOn: '2025-03-10',
      registers: [
        { obis: '1.8.0', removalReading: '180.000' },
        { obis: '3.8.0', removalReading: '20.000' },
      ],
      seals: [],
    });
    expect(installed).toMatchObject({
      serial: 'B1',
      meteringPointId: String(pointA),
      installedOn: '2025-03-10',
      multiplier: '20',
      registers: [{ obis: '1.8.0', installReading: '5.000' }],
      seals: ['S-200'],
    });
    // The removal readings are actual readings of the old meter, accepted.
    const removal = await db()
      .selectFrom('reading as r')
      .innerJoin('register as g', 'g.id', 'r.register_id')
      .select(['g.obis', 'r.value', 'r.status', 'r.read_on'])
      .where('g.meter_id', '=', BigInt(ids.a1))
      .where('r.read_on', '=', '2025-03-10')
      .orderBy('g.obis')
      .execute();
    expect(removal.map((r) => [r.obis, String(r.value), r.status])).toEqual([
      ['1.8.0', '180000', 'accepted'],
      ['3.8.0', '20000', 'accepted'],
    ]);
    // The old meter's seal went with it.
    const seals = await call(operator, 'GET', `/api/meters/${ids.a1}/seals`);
    expect(seals.json().items).toEqual([
      expect.objectContaining({
        number: 'S-100',
        removedOn: '2025-03-10',
        removedWithMeter: true,
        reason: null,
      }),
    ]);
    const [audit] = await audits('meter.replace');
    expect(audit).toMatchObject({ actor_id: String(operatorId), entity_id: ids.a1 });
    expect(audit?.before).toMatchObject({ serial: 'A1', removedOn: null });
    expect(audit?.after).toMatchObject({
      removed: { serial: 'A1', removedOn: '2025-03-10' },
      installed: { serial: 'B1' },
      reason: 'Qiyoslash muddati o‘tgan',
    });

    await accept(ids.b1, '1.8.0', '2025-03-25', '9,00');
    await close('2025-03');
    const lines = await energyLines('2025-03');
    // One line for 1.8.0: (180 − 150) × 10 + (9 − 5) × 20 = 300 + 80 kWh at 900.00.
    expect(lines.map((l) => [l.basis, l.obis, String(l.quantity), String(l.amount)])).toEqual([
      ['actual', '1.8.0', '380000', '34200000'],
    ]);
  });

  it('removes a meter with its removal readings; the next bill ends at them', async () => {
    const res = await call(operator, 'POST', `/api/meters/${ids.b1}/remove`, {
      removedOn: '2025-04-20',
      removal: [{ obis: '1.8.0', value: '12,00' }],
      reason: 'Shartnoma tugadi',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      serial: 'B1',
      removedOn: '2025-04-20',
      registers: [{ obis: '1.8.0', removalReading: '12.000' }],
      seals: [],
    });
    const [audit] = await audits('meter.remove');
    expect(audit?.before).toMatchObject({ serial: 'B1', removedOn: null, seals: ['S-200'] });
    expect(audit?.after).toMatchObject({ removedOn: '2025-04-20', reason: 'Shartnoma tugadi' });
    await close('2025-04');
    expect((await energyLines('2025-04')).map((l) => String(l.quantity))).toEqual(['60000']); // (12 − 9) × 20

    const again = await call(operator, 'POST', `/api/meters/${ids.b1}/remove`, {
      removedOn: '2025-04-21',
      removal: [{ obis: '1.8.0', value: '12,00' }],
    });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'METER_ALREADY_REMOVED']);
    const sealOnRemoved = await call(operator, 'POST', `/api/meters/${ids.b1}/seals`, {
      number: 'S-300',
      place: 'other',
    });
    expect([sealOnRemoved.statusCode, sealOnRemoved.json().error.code]).toEqual([
      409,
      'METER_ALREADY_REMOVED',
    ]);
    // The point is free again: a meter goes in from the removal day on, not before.
    const early = await install(operator, pointA, { serial: 'A3', installedOn: '2025-04-19' });
    expect([early.statusCode, early.json().error.code]).toEqual([409, 'METER_DATE_OVERLAP']);
  });

  it('sets and removes seals with history; numbers are unique among seals in place', async () => {
    const c1 = await install(admin, pointB, { serial: 'C1', installedOn: '2025-05-02' });
    expect(c1.statusCode, c1.body).toBe(201);
    ids.c1 = c1.json().id;
    const set = await call(operator, 'POST', `/api/meters/${ids.c1}/seals`, {
      number: 'SX-1',
      place: 'ct_box',
      setOn: '2025-05-03',
    });
    expect(set.statusCode, set.body).toBe(201);
    const seal = set.json();
    expect(seal).toMatchObject({
      number: 'SX-1',
      place: 'ct_box',
      setOn: '2025-05-03',
      setBy: 'User mt-op',
      removedOn: null,
      removedWithMeter: false,
    });
    const refusals: [TestSession, object, number, string][] = [
      [operator, { number: 'sx-1', place: 'terminal_cover' }, 409, 'SEAL_NUMBER_TAKEN'],
      [operator, { number: 'SX-2', place: 'terminal_cover', setOn: '2025-05-01' }, 422, 'SEAL_DATE'],
      [operator, { number: 'SX-2', place: 'under_the_bed' }, 400, 'VALIDATION_FAILED'],
      [operator, { number: '', place: 'terminal_cover' }, 400, 'VALIDATION_FAILED'],
      [outsider, { number: 'SX-2', place: 'terminal_cover' }, 403, 'ORG_UNIT_OUT_OF_SCOPE'],
    ];
    for (const [s, body, status, code] of refusals) {
      const res = await call(s, 'POST', `/api/meters/${ids.c1}/seals`, body);
      expect([res.statusCode, res.json().error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    const noReason = await call(operator, 'POST', `/api/meter-seals/${seal.id}/remove`, {});
    expect(noReason.statusCode).toBe(400);
    const foreign = await call(outsider, 'POST', `/api/meter-seals/${seal.id}/remove`, { reason: 'x' });
    expect(foreign.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
    const early = await call(operator, 'POST', `/api/meter-seals/${seal.id}/remove`, {
      removedOn: '2025-05-02',
      reason: 'Tekshiruv',
    });
    expect([early.statusCode, early.json().error.code]).toEqual([422, 'SEAL_DATE']);

    const removed = await call(operator, 'POST', `/api/meter-seals/${seal.id}/remove`, {
      removedOn: '2025-06-01',
      reason: 'Nazorat tekshiruvi uchun olindi',
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({
      removedOn: '2025-06-01',
      removedBy: 'User mt-op',
      reason: 'Nazorat tekshiruvi uchun olindi',
    });
    const twice = await call(operator, 'POST', `/api/meter-seals/${seal.id}/remove`, { reason: 'x' });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'SEAL_ALREADY_REMOVED']);
    // The number is free again once the seal is off.
    const reused = await call(operator, 'POST', `/api/meters/${ids.c1}/seals`, {
      number: 'sx-1',
      place: 'terminal_cover',
    });
    expect(reused.statusCode, reused.body).toBe(201);
    const history = await call(clerk, 'GET', `/api/meters/${ids.c1}/seals`);
    expect(history.statusCode).toBe(200);
    expect(
      history.json().items.map((s: { number: string; removedOn: string | null }) => [s.number, s.removedOn]),
    ).toEqual([
      ['sx-1', null],
      ['SX-1', '2025-06-01'],
    ]);
    expect((await call(outsider, 'GET', `/api/meters/${ids.c1}/seals`)).statusCode).toBe(403);
    expect((await call(operator, 'GET', '/api/meters/999999/seals')).statusCode).toBe(404);
    expect((await call(operator, 'POST', '/api/meter-seals/999999/remove', { reason: 'x' })).statusCode).toBe(
      404,
    );

    const setAudit = await audits('meter_seal.set');
    expect(setAudit.map((a) => a.entity_id)).toEqual([seal.id, reused.json().id]);
    const [removeAudit] = await audits('meter_seal.remove');
    expect(removeAudit?.before).toMatchObject({ number: 'SX-1', removedOn: null, serial: 'C1' });
    expect(removeAudit?.after).toMatchObject({
      removedOn: '2025-06-01',
      reason: 'Nazorat tekshiruvi uchun olindi',
    });
  });

  it('changes verification dates of a meter in service, audited', async () => {
    const bad = await call(operator, 'PATCH', `/api/meters/${ids.c1}`, {
      verifiedOn: '2025-05-01',
      nextVerificationOn: '2025-04-01',
    });
    expect([bad.statusCode, bad.json().error.code]).toEqual([422, 'METER_VERIFICATION_DATES']);
    const empty = await call(operator, 'PATCH', `/api/meters/${ids.c1}`, {});
    expect(empty.statusCode).toBe(400);
    const res = await call(operator, 'PATCH', `/api/meters/${ids.c1}`, {
      verifiedOn: '2025-05-01',
      nextVerificationOn: '2033-05-01',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ verifiedOn: '2025-05-01', nextVerificationOn: '2033-05-01' });
    const cleared = await call(operator, 'PATCH', `/api/meters/${ids.c1}`, { nextVerificationOn: null });
    expect(cleared.json()).toMatchObject({ verifiedOn: '2025-05-01', nextVerificationOn: null });
    const [audit] = await audits('meter.verification');
    expect(audit?.before).toMatchObject({ serial: 'C1', verified_on: null, next_verification_on: null });
    expect(audit?.after).toMatchObject({ verified_on: '2025-05-01', next_verification_on: '2033-05-01' });
    const removed = await call(operator, 'PATCH', `/api/meters/${ids.a1}`, { verifiedOn: '2025-01-01' });
    expect([removed.statusCode, removed.json().error.code]).toEqual([409, 'METER_ALREADY_REMOVED']);
    const foreign = await call(outsider, 'PATCH', `/api/meters/${ids.c1}`, { verifiedOn: '2025-01-01' });
    expect(foreign.statusCode).toBe(403);
  });
});
