import { readSheet } from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
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
import { type LocalDate, parseLocalDate } from '../../domain/period.ts';
import { parsePrice } from '../../domain/price.ts';
import { parseReading } from '../../domain/quantity.ts';
import { createAccount } from '../accounts/accounts.service.ts';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { createTariff } from '../tariffs/tariffs.service.ts';
import { recordReading } from './readings.service.ts';

const BOUNDARY = '----hisob-readings-boundary';

/** A multipart/form-data body with one file `file`. */
function form(file: { name: string; bytes: Uint8Array }) {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.from(file.bytes),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

type Row = {
  id: string;
  readOn: string;
  value: string;
  source: string;
  status: string;
  veeCode: string | null;
  note: string | null;
  contract: { id: string; number: string };
  consumerName: string;
  orgUnit: { id: string; name: string };
  meterSerial: string;
  obis: string;
  previous: { readOn: string; value: string; installation: boolean } | null;
  advance: string | null;
  enteredBy: string | null;
  enteredAt: string;
};

describe(`staff readings: entry, VEE queue, import (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let opN1: TestSession;
  let opN2: TestSession;
  let inspN1: TestSession;
  let regionN: TestSession;
  let tariffId: bigint;
  /** Register ids by meter serial. */
  const registers: Record<string, string> = {};

  const db = () => t.database.db;

  /** An account in `unit` with one meter `serial` (1.8.0 and 1.8.1), read monthly Jan–Apr 2025 (+100.00 a month). */
  const account = async (unit: bigint, number: string, serial: string) => {
    await db()
      .transaction()
      .execute(async (trx) => {
        const created = await createAccount(trx, SYSTEM_ACTOR, {
          tenantId: f.tenantId,
          orgUnitId: unit,
          number,
          name: `Consumer ${number}`,
          kind: 'legal',
          inn: `3010${number}`,
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
              serial,
              digits: 6,
              multiplier: 1n,
              installedOn: parseLocalDate('2024-12-31'),
              registers: [
                { obis: '1.8.0', installReading: parseReading('1000.00') },
                { obis: '1.8.1', installReading: parseReading('500.00') },
              ],
            },
          ],
        });
        const regs = await trx
          .selectFrom('register')
          .select(['id', 'obis'])
          .where('meter_id', '=', created.meterIds[0] ?? 0n)
          .execute();
        for (const g of regs) {
          registers[g.obis === '1.8.0' ? serial : `${serial}/${g.obis}`] = String(g.id);
          const start = g.obis === '1.8.0' ? 1000 : 500;
          for (const [i, month] of ['01', '02', '03', '04'].entries()) {
            await recordReading(trx, SYSTEM_ACTOR, {
              tenantId: f.tenantId,
              registerId: g.id,
              readOn: `2025-${month}-25` as LocalDate,
              value: parseReading(`${start + 100 * (i + 1)}.00`),
              source: 'operator',
              today: parseLocalDate('2025-04-30'),
              accept: true,
            });
          }
        }
      });
  };

  const post = (s: TestSession, url: string, payload: unknown, lang?: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...s.headers, ...(lang ? { cookie: `${s.cookie}; hisob_lang=${lang}` } : {}) },
      payload: payload as object,
    });
  const get = (s: TestSession, url: string) => t.app.inject({ method: 'GET', url, headers: s.headers });
  const enter = (s: TestSession, serial: string, readOn: string, value: string) =>
    post(s, '/api/readings', { registerId: registers[serial], readOn, value });
  const importFile = (s: TestSession, name: string, bytes: Uint8Array, lang = 'uz') =>
    t.app.inject({
      method: 'POST',
      url: '/api/readings/imports',
      headers: {
        ...s.headers,
        cookie: `${s.cookie}; hisob_lang=${lang}`,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      },
      payload: form({ name, bytes }),
    });
  const readingCount = async () =>
    Number(
      (
        await db()
          .selectFrom('reading')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audits = (action: string, entityId: string) =>
    db()
      .selectFrom('audit_log')
      .select(['before', 'after', 'actor_id', 'org_unit_path'])
      .where('action', '=', action)
      .where('entity_id', '=', entityId)
      .execute();

  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(db(), 'rdg');
    tariffId = await db()
      .transaction()
      .execute((trx) =>
        createTariff(trx, SYSTEM_ACTOR, {
          tenantId: f.tenantId,
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
        }),
      );
    await account(f.units.n1.id, '00101', 'MA-101');
    await account(f.units.n1.id, '00102', 'MB-102');
    await account(f.units.n1.id, '00103', 'MC-103');
    await account(f.units.n1.id, '00104', 'MD-104');
    await account(f.units.n1.id, '00105', 'ME-105');
    await account(f.units.n2.id, '00201', 'MN-201');
    for (const [login, role, unit] of [
      ['op.n1', 'operator', f.units.n1.id],
      ['op.n2', 'operator', f.units.n2.id],
      ['insp.n1', 'inspector', f.units.n1.id],
      ['analyst.north', 'analyst', f.units.north.id],
    ] as const)
      await createUser(db(), { tenantId: f.tenantId, login, role, orgUnitId: unit });
    opN1 = await signIn(t.app, 'op.n1');
    opN2 = await signIn(t.app, 'op.n2');
    inspN1 = await signIn(t.app, 'insp.n1');
    regionN = await signIn(t.app, 'analyst.north');
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('records an operator’s reading as submitted, waiting for the signed confirmation, and audits it', async () => {
    const res = await enter(opN1, 'MA-101', '2025-05-25', '001470,50');
    expect(res.statusCode).toBe(201);
    const row = res.json() as Row;
    expect(row).toMatchObject({
      readOn: '2025-05-25',
      value: '1470.50',
      source: 'operator',
      status: 'submitted',
      veeCode: null,
      contract: { number: '00101' },
      consumerName: 'Consumer 00101',
      orgUnit: { id: String(f.units.n1.id) },
      meterSerial: 'MA-101',
      obis: '1.8.0',
      previous: { readOn: '2025-04-25', value: '1400.00', installation: false },
      advance: '70.50',
      enteredBy: 'User op.n1',
    });
    const [audit] = await audits('reading.create', row.id);
    expect(audit?.after).toMatchObject({ status: 'submitted', source: 'operator', accepted: false });
    expect(audit?.org_unit_path).toBe(f.units.n1.path);
  });

  it('marks an inspector’s reading as a control reading', async () => {
    const res = await enter(inspN1, 'MA-101/1.8.1', '2025-05-24', '960.00');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ source: 'inspector', status: 'submitted', obis: '1.8.1' });
  });

  it('sends a reading that fails VEE to the queue as suspect with its code', async () => {
    const spike = await enter(opN1, 'MB-102', '2025-05-25', '3400.00');
    expect(spike.statusCode).toBe(201);
    expect(spike.json()).toMatchObject({ status: 'suspect', veeCode: 'spike', advance: '2000.00' });
    const zero = await enter(opN1, 'MB-102/1.8.1', '2025-05-25', '900.00');
    expect(zero.json()).toMatchObject({ status: 'suspect', veeCode: 'zero' });
    const duplicate = await enter(opN1, 'MA-101', '2025-05-25', '1480.00');
    expect(duplicate.json()).toMatchObject({ status: 'suspect', veeCode: 'duplicate' });
  });

  it('refuses bad values, readings below the previous one and in the future, storing none', async () => {
    const before = await readingCount();
    const bad = await enter(opN1, 'MC-103', '2025-05-25', '12.345');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_READING');
    const below = await enter(opN1, 'MC-103', '2025-05-25', '1399.99');
    expect(below.statusCode).toBe(422);
    expect(below.json().error.code).toBe('READING_BELOW_PREVIOUS');
    const future = await enter(opN1, 'MC-103', '2099-01-01', '1500.00');
    expect(future.json().error.code).toBe('READING_IN_FUTURE');
    const unknown = await post(opN1, '/api/readings', {
      registerId: '999999',
      readOn: '2025-05-25',
      value: '1',
    });
    expect(unknown.statusCode).toBe(404);
    expect(await readingCount()).toBe(before);
  });

  it('keeps each district to its own readings: 403 on another’s register, no rows of it in lists', async () => {
    const res = await enter(opN2, 'MA-101', '2025-05-26', '1500.00');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');

    const n2 = (await get(opN2, '/api/readings?limit=500')).json() as { items: Row[]; total: number };
    expect(n2.total).toBe(8); // MN-201's history only
    expect(n2.items.every((r) => r.contract.number === '00201')).toBe(true);
    expect((await get(opN2, '/api/readings/registers?q=00101')).json()).toEqual({ items: [] });
    expect((await get(opN2, `/api/readings?orgUnitId=${f.units.n1.id}`)).statusCode).toBe(403);

    const [suspect] = ((await get(opN1, '/api/readings?status=suspect')).json() as { items: Row[] }).items;
    const accept = await post(opN2, `/api/readings/${suspect?.id}/accept`, {});
    expect(accept.statusCode).toBe(403);

    // A region user sees both of its districts.
    const region = (await get(regionN, '/api/readings?limit=1')).json() as { total: number };
    expect(region.total).toBeGreaterThan(n2.total);
  });

  it('finds meters by contract number or serial with each register’s last accepted reading', async () => {
    const byNumber = (await get(opN1, '/api/readings/registers?q=00101')).json();
    expect(byNumber.items).toHaveLength(1);
    expect(byNumber.items[0]).toMatchObject({
      serial: 'MA-101',
      contract: { number: '00101' },
      registers: [
        {
          obis: '1.8.0',
          last: { readOn: '2025-04-25', value: '1400.00' },
          pending: { status: 'suspect', value: '1480.00' },
        },
        { obis: '1.8.1', last: { readOn: '2025-04-25', value: '900.00' }, pending: { status: 'submitted' } },
      ],
    });
    const bySerial = (await get(opN1, '/api/readings/registers?q=mb-1')).json();
    expect(bySerial.items.map((m: { serial: string }) => m.serial)).toEqual(['MB-102']);
  });

  it('lists with filters and sorting', async () => {
    const queue = (
      await get(opN1, '/api/readings?status=suspect,submitted&sort=contract&dir=asc')
    ).json() as {
      items: Row[];
      total: number;
    };
    expect(queue.total).toBe(5);
    expect(queue.items.map((r) => r.contract.number)).toEqual(['00101', '00101', '00101', '00102', '00102']);
    const may = (await get(opN1, '/api/readings?period=2025-05&source=inspector')).json() as {
      total: number;
    };
    expect(may.total).toBe(1);
    const q = (await get(opN1, '/api/readings?q=MB-102&period=2025-04')).json() as { items: Row[] };
    expect(q.items.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(q.items[0]?.previous).toMatchObject({ readOn: '2025-03-25' });
    const sorted = (await get(opN1, '/api/readings?q=MB-102&sort=readOn&dir=desc&limit=2')).json() as {
      items: Row[];
    };
    expect(sorted.items.map((r) => r.readOn)).toEqual(['2025-05-25', '2025-05-25']);
    expect((await get(opN1, '/api/readings?status=bogus')).statusCode).toBe(400);
  });

  it('accepts a checked suspect reading into confirmation with a note, audited before and after', async () => {
    const [zero] = (
      (await get(opN1, '/api/readings?status=suspect&q=MB-102')).json() as { items: Row[] }
    ).items.filter((r) => r.veeCode === 'zero');
    const res = await post(opN1, `/api/readings/${zero?.id}/accept`, { note: 'Office closed for the month' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'submitted',
      veeCode: 'zero',
      note: 'Office closed for the month',
    });
    const [audit] = await audits('reading.accept', zero?.id ?? '');
    expect(audit?.before).toMatchObject({ status: 'suspect' });
    expect(audit?.after).toMatchObject({ status: 'submitted', note: 'Office closed for the month' });

    const again = await post(opN1, `/api/readings/${zero?.id}/accept`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('READING_STATUS_CONFLICT');
  });

  it('rejects a reading with a reason; a rejected one cannot be acted on again', async () => {
    const [dup] = ((await get(opN1, '/api/readings?status=suspect&q=MA-101')).json() as { items: Row[] })
      .items;
    expect(dup?.veeCode).toBe('duplicate');
    expect((await post(opN1, `/api/readings/${dup?.id}/reject`, {})).statusCode).toBe(400);
    const res = await post(opN1, `/api/readings/${dup?.id}/reject`, { reason: 'Entered twice' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', note: 'Entered twice', advance: null });
    const [audit] = await audits('reading.reject', dup?.id ?? '');
    expect(audit?.before).toMatchObject({ status: 'suspect', vee_code: 'duplicate' });
    expect(audit?.after).toMatchObject({ status: 'rejected', note: 'Entered twice' });
    for (const action of ['reject', 'accept', 'correct'])
      expect(
        (await post(opN1, `/api/readings/${dup?.id}/${action}`, { reason: 'x', value: '1500' })).statusCode,
      ).toBe(409);
    expect((await post(opN1, '/api/readings/987654321/reject', { reason: 'x' })).statusCode).toBe(404);
  });

  it('corrects a spike: the wrong reading rejected and the right one recorded in one transaction', async () => {
    const [spike] = ((await get(opN1, '/api/readings?status=suspect&q=MB-102')).json() as { items: Row[] })
      .items;
    expect(spike?.veeCode).toBe('spike');
    const before = await readingCount();

    // A correction that fails its own checks changes nothing.
    const wrong = await post(opN1, `/api/readings/${spike?.id}/correct`, { value: '1300', reason: 'Typo' });
    expect(wrong.statusCode).toBe(422);
    expect(await readingCount()).toBe(before);
    const still = (await get(opN1, `/api/readings?status=suspect&q=MB-102`)).json() as { items: Row[] };
    expect(still.items.map((r) => r.id)).toContain(spike?.id);

    const res = await post(opN1, `/api/readings/${spike?.id}/correct`, {
      value: '1 500,00',
      reason: 'Typo: 3400',
    });
    expect(res.statusCode).toBe(200);
    const { rejected, corrected } = res.json() as { rejected: Row; corrected: Row };
    expect(rejected).toMatchObject({ id: spike?.id, status: 'rejected', note: 'Typo: 3400' });
    expect(corrected).toMatchObject({
      readOn: '2025-05-25',
      value: '1500.00',
      status: 'submitted',
      veeCode: null,
      source: 'operator',
      note: 'Typo: 3400',
      advance: '100.00',
    });
    expect(await readingCount()).toBe(before + 1);
    const [audit] = await audits('reading.correct', spike?.id ?? '');
    expect(audit?.after).toMatchObject({
      status: 'rejected',
      corrected_by: corrected.id,
      corrected_value: '1500000',
    });
    expect(await audits('reading.create', corrected.id)).toHaveLength(1);
  });

  it('refuses entry and queue actions in a closed period', async () => {
    const gap = await enter(opN1, 'MD-104', '2025-07-10', '1500.00');
    expect(gap.json()).toMatchObject({ status: 'suspect', veeCode: 'gap' });
    await db()
      .insertInto('billing_period')
      .values({ tenant_id: f.tenantId, period: '2025-07', status: 'closed', closed_at: new Date() })
      .execute();
    const id = (gap.json() as Row).id;
    for (const [action, body] of [
      ['accept', {}],
      ['reject', { reason: 'x' }],
      ['correct', { value: '1450', reason: 'x' }],
    ] as const) {
      const res = await post(opN1, `/api/readings/${id}/${action}`, body);
      expect(res.statusCode, action).toBe(409);
      expect(res.json().error.code).toBe('PERIOD_CLOSED');
    }
    const entry = await enter(opN1, 'MD-104/1.8.1', '2025-07-11', '950.00');
    expect(entry.json().error.code).toBe('PERIOD_CLOSED');
    const [row] = ((await get(opN1, `/api/readings?q=MD-104&period=2025-07`)).json() as { items: Row[] })
      .items;
    expect(row?.status).toBe('suspect');
  });

  it('imports a good CSV (Russian headers) with VEE: counts of submitted and suspect, one audit row', async () => {
    const csv = [
      'Показания за май 2025',
      'Номер договора;Заводской номер счетчика;Регистр;Дата;Показание',
      '00103;MC-103;1.8.0;25.05.2025;1 490,00',
      '00103;MC-103;1.8.1;25.05.2025;990,5',
      '00105;ME-105;;25.05.2025;9400.00',
    ].join('\r\n');
    const before = await readingCount();
    const res = await importFile(opN1, 'may.csv', new TextEncoder().encode(csv));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ fileName: 'may.csv', format: 'csv', rows: 3, submitted: 2, suspect: 1 });
    expect(await readingCount()).toBe(before + 3);
    const rows = (await get(opN1, '/api/readings?source=import&sort=contract')).json() as { items: Row[] };
    expect(rows.items.map((r) => [r.meterSerial, r.obis, r.value, r.status, r.veeCode])).toEqual([
      ['MC-103', '1.8.0', '1490.00', 'submitted', null],
      ['MC-103', '1.8.1', '990.50', 'submitted', null],
      ['ME-105', '1.8.0', '9400.00', 'suspect', 'spike'],
    ]);
    const audit = await db()
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'reading.import')
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ file_name: 'may.csv', rows: 3, submitted: 2, suspect: 1 });
  });

  it('imports a good XLSX with English headers, date cells and numbers', async () => {
    const bytes = await writeXlsxFile([
      [
        { value: 'Contract', type: String },
        { value: 'Meter serial', type: String },
        { value: 'Reading date', type: String },
        { value: 'Reading', type: String },
      ],
      [
        { value: '00105', type: String },
        { value: 'ME-105', type: String },
        { value: new Date('2025-09-25T00:00:00Z'), type: Date, format: 'dd.mm.yyyy' },
        { value: 9500.25, type: Number },
      ],
    ]).toBuffer();
    const res = await importFile(opN1, 'september.xlsx', bytes);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ format: 'xlsx', rows: 1 });
    const [row] = ((await get(opN1, '/api/readings?q=ME-105&period=2025-09')).json() as { items: Row[] })
      .items;
    expect(row).toMatchObject({ value: '9500.25', source: 'import', readOn: '2025-09-25' });
  });

  it('refuses a bad file naming every bad row in the user’s language and stores nothing', async () => {
    const csv = [
      'Shartnoma;Hisoblagich;Registr;Sana;Ko‘rsatkich',
      '00103;MC-103;1.8.0;26.10.2025;1900,00', // good
      '99999;MC-103;1.8.0;26.10.2025;1900,00', // unknown contract
      '00103;XX-1;1.8.0;26.10.2025;1900,00', // unknown meter
      '00103;MC-103;3.8.0;26.10.2025;1900,00', // no such register
      '00103;MC-103;1.8.1;31.02.2025;1400,00', // no such date
      '00105;ME-105;1.8.0;26.10.2025;12,345', // three decimals
      '00105;ME-105;1.8.1;26.10.2025;100,00', // below the previous reading
      '00201;MN-201;1.8.0;26.10.2025;1500,00', // another district
      '00103;MC-103;1.8.0;26.10.2025;1950,00', // same register and date as row 2
      ';MC-103;1.8.0;26.10.2025;', // empty cells
    ].join('\n');
    const before = await readingCount();
    const res = await importFile(opN1, 'bad.csv', new TextEncoder().encode(csv), 'ru');
    expect(res.statusCode).toBe(400);
    const error = res.json().error as {
      code: string;
      message: string;
      details: { count: number; problems: { row: number; field: string; code: string; message: string }[] };
    };
    expect(error.code).toBe('READING_IMPORT_INVALID');
    expect(error.message).toBe('В файле ошибок: 10; ничего не сохранено');
    expect(error.details.problems.map((p) => [p.row, p.field, p.code])).toEqual([
      [3, 'contract', 'UNKNOWN_ACCOUNT'],
      [4, 'meter', 'METER_NOT_FOUND'],
      [5, 'register', 'READING_IMPORT_NO_REGISTER'],
      [6, 'date', 'INVALID_DATE'],
      [7, 'value', 'INVALID_READING'],
      [8, 'value', 'READING_BELOW_PREVIOUS'],
      [9, 'contract', 'ORG_UNIT_OUT_OF_SCOPE'],
      [10, 'date', 'READING_IMPORT_DUPLICATE_ROW'],
      [11, 'contract', 'READING_IMPORT_EMPTY_CELL'],
      [11, 'value', 'READING_IMPORT_EMPTY_CELL'],
    ]);
    const messages = Object.fromEntries(
      error.details.problems.map((p) => [`${p.row}/${p.field}`, p.message]),
    );
    expect(messages['3/contract']).toBe('Лицевой счёт не найден: 99999');
    expect(messages['5/register']).toBe('У счётчика MC-103 нет регистра 3.8.0');
    expect(messages['10/date']).toBe('Тот же регистр и дата, что в строке 2');
    expect(await readingCount()).toBe(before);
    expect(
      await db().selectFrom('audit_log').select('id').where('action', '=', 'reading.import').execute(),
    ).toHaveLength(2);

    const headless = await importFile(opN1, 'x.csv', new TextEncoder().encode('a;b;c\n1;2;3\n'), 'en');
    expect(headless.json().error.details.problems[0]).toMatchObject({
      code: 'READING_IMPORT_MISSING_COLUMN',
      message: 'The header row has no "Contract" column',
    });
    const binary = await importFile(opN1, 'x.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 1, 2, 3]));
    expect(binary.json().error.code).toBe('READING_IMPORT_FORMAT');
  });

  it('exports the filtered list as XLSX with headers in the asked language', async () => {
    const ru = await get(opN1, '/api/readings?format=xlsx&lang=ru&source=import&sort=contract');
    expect(ru.statusCode).toBe(200);
    expect(ru.headers['content-type']).toMatch(/spreadsheetml/);
    const sheet = await readSheet(ru.rawPayload);
    expect(sheet[0]?.slice(0, 7)).toEqual([
      'Дата',
      'Договор',
      'Потребитель',
      'Подразделение',
      'Счётчик',
      'Регистр',
      'Показание',
    ]);
    expect(sheet).toHaveLength(5); // the header and the four imported readings
    expect(sheet[1]?.[1]).toBe('00103');
    expect(sheet[1]?.[10]).toBe('Ждёт подтверждения');
    const en = await readSheet((await get(opN1, '/api/readings?format=xlsx&lang=en&q=ME-105')).rawPayload);
    expect(en[0]?.slice(0, 2)).toEqual(['Date', 'Contract']);
    expect(en.slice(1).every((r) => r[1] === '00105')).toBe(true);
  });
});
