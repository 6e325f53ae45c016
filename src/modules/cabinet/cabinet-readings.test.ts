import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOrgFixture, createTestApp, type OrgFixture, type TestApp } from '../../../test/support/app.ts';
import { createCabinetContract } from '../../../test/support/cabinet.ts';
import { TEST_ENGINE } from '../../../test/support/db.ts';
import type { DB } from '../../db/schema.ts';
import { MAX_ATTACHMENT_BYTES } from './cabinet-readings.service.ts';

let t: TestApp;
let db: Kysely<DB>;
let org: OrgFixture;

// The tests run on 10 June 2025, noon in Tashkent: inside the submission window (1st–25th).
const TODAY = '2025-06-10';
const NOON_IN_TASHKENT = new Date('2025-06-10T07:00:00Z');

type Meter = {
  serial: string;
  digits: number;
  multiplier: bigint;
  installReading: bigint;
  removedOn?: string;
};

/** A legal-entity consumer with one contract and its meters (one register 1.8.0 each); the register ids. */
async function contract(
  number: string,
  inn: string,
  meters: Meter[],
  typeId: bigint | null,
): Promise<bigint[]> {
  const made = await createCabinetContract(db, {
    tenantId: org.tenantId,
    orgUnitId: org.units.n1.id,
    number,
    inn,
    name: `LLC ${number}`,
    startDate: '2024-06-01',
    meters: meters.map((m) => ({ ...m, typeId, installedOn: m.removedOn ? '2024-06-01' : '2025-01-01' })),
  });
  return made.registerIds;
}

/** A reading written directly, as staff entered it in earlier months. */
async function pastReading(
  registerId: bigint,
  readOn: string,
  value: bigint,
  status: 'accepted' | 'rejected',
) {
  await db
    .insertInto('reading')
    .values({
      tenant_id: org.tenantId,
      register_id: registerId,
      read_on: readOn,
      value,
      source: 'operator',
      status,
      confirmed_at: status === 'accepted' ? new Date() : null,
    })
    .execute();
}

type Session = { cookie: string; csrf: string };

/** Signs in with the contract number and a password. */
async function login(number: string, password: string): Promise<Session> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cabinet/login',
    payload: { contract: number, password },
  });
  if (res.statusCode !== 200) throw new Error(`cabinet sign-in of ${number} failed: ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'hisob_cab');
  return { cookie: `hisob_cab=${cookie?.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

const passwordOf = (inn: string) => `Hisoblagich${inn}`;

/** Signs in with the INN and sets the new password first: nothing else opens before that. */
async function signInCabinet(number: string, inn: string): Promise<Session> {
  const s = await login(number, inn);
  const blocked = await get(s, '/api/cabinet/readings');
  expect(blocked.json()).toMatchObject({ error: { code: 'AUTH_PASSWORD_CHANGE_REQUIRED' } });
  const changed = await t.app.inject({
    method: 'POST',
    url: '/api/cabinet/password',
    payload: { current: inn, next: passwordOf(inn) },
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
  });
  expect(changed.statusCode).toBe(204);
  return s;
}

/**
 * Runs `fn` at another (fake) moment with a session signed in then: a session keeps the clock of
 * its sign-in (12 hours at most), so one from another day would have expired.
 */
async function at<T>(iso: string, number: string, inn: string, fn: (s: Session) => Promise<T>): Promise<T> {
  vi.setSystemTime(new Date(iso));
  try {
    return await fn(await login(number, passwordOf(inn)));
  } finally {
    vi.setSystemTime(NOON_IN_TASHKENT);
  }
}

const get = (s: Session, url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie, ...headers } });

type Upload = { name: string; type: string; bytes: Uint8Array };

/** POSTs a multipart submission built by the platform's FormData, as a browser would send it. */
async function submit(
  s: Session,
  readings: unknown,
  opts: { file?: Upload; csrf?: boolean; headers?: Record<string, string> } = {},
) {
  const form = new FormData();
  form.append('readings', typeof readings === 'string' ? readings : JSON.stringify(readings));
  if (opts.file)
    form.append(
      'attachment',
      new Blob([Buffer.from(opts.file.bytes)], { type: opts.file.type }),
      opts.file.name,
    );
  const body = new Response(form);
  return t.app.inject({
    method: 'POST',
    url: '/api/cabinet/readings',
    payload: Buffer.from(await body.arrayBuffer()),
    headers: {
      cookie: s.cookie,
      'content-type': body.headers.get('content-type') ?? '',
      ...(opts.csrf === false ? {} : { 'x-csrf-token': s.csrf }),
      ...opts.headers,
    },
  });
}

/** A valid 1×1 PNG, chunk by chunk. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 0x2e, 0x8b, 0x57]))), // filter 0, one green pixel
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A "PDF" of exactly `size` bytes: the magic, then filler. */
function pdfOf(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x20);
  bytes.write('%PDF-1.7\n', 0, 'ascii');
  return bytes;
}

/** Rows that any submission would add. */
async function stored() {
  const r = await db.selectFrom('reading').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const a = await db
    .selectFrom('reading_attachment')
    .select(db.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const audit = await db
    .selectFrom('audit_log')
    .select(db.fn.countAll<string>().as('n'))
    .where('actor_type', '=', 'consumer')
    .where('action', 'not like', 'cabinet.%')
    .executeTakeFirstOrThrow();
  return { readings: Number(r.n), attachments: Number(a.n), audit: Number(audit.n) };
}

let own: bigint[]; // E-1 (6 digits, ×10) and E-2 (5 digits, ×1)
let other: bigint[]; // E-9
let a: Session;
let b: Session;
const png = tinyPng();

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOON_IN_TASHKENT);
  t = await createTestApp();
  db = t.database.db;
  org = await createOrgFixture(db, 'cab-read');
  const type = await db
    .insertInto('meter_type')
    .values({ tenant_id: org.tenantId, code: 'CE301', name: 'CE 301', digits: 6 })
    .returning('id')
    .executeTakeFirstOrThrow();
  own = await contract(
    'R-001',
    '301700101',
    [
      { serial: 'E-1', digits: 6, multiplier: 10n, installReading: 1_000_000n },
      { serial: 'E-2', digits: 5, multiplier: 1n, installReading: 0n },
      { serial: 'E-0', digits: 6, multiplier: 1n, installReading: 0n, removedOn: '2024-12-31' },
    ],
    type.id,
  );
  other = await contract(
    'R-002',
    '301700102',
    [{ serial: 'E-9', digits: 6, multiplier: 1n, installReading: 0n }],
    null,
  );
  const e1 = own[0] ?? 0n;
  await pastReading(e1, '2025-03-31', 1_100_000n, 'accepted');
  await pastReading(e1, '2025-04-30', 1_200_000n, 'accepted');
  await pastReading(e1, '2025-05-15', 1_150_000n, 'rejected');
  await pastReading(e1, '2025-05-31', 1_250_000n, 'accepted');
  await pastReading(other[0] ?? 0n, '2025-05-31', 5_000_000n, 'accepted');
  a = await signInCabinet('R-001', '301700101');
  b = await signInCabinet('R-002', '301700102');
});

afterAll(async () => {
  await t?.close();
  vi.useRealTimers();
});

describe(`cabinet meter readings (R6 function 2, R3.1) on ${TEST_ENGINE}`, () => {
  it("lists the contract's meters in service only, with history and consumption", async () => {
    const res = await get(a, '/api/cabinet/readings');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.dataAsOf).toBe(NOON_IN_TASHKENT.toISOString());
    expect(body.window).toEqual({ period: '2025-06', open: true, closesOn: '2025-06-25' });
    expect(body.meters.map((m: { serial: string }) => m.serial)).toEqual(['E-1', 'E-2']);
    expect(body.meters[0]).toEqual({
      meterId: expect.any(String),
      serial: 'E-1',
      pointCode: 'MP-R-001',
      type: 'CE 301',
      digits: 6,
      multiplier: '10',
      registers: [
        {
          registerId: String(own[0]),
          obis: '1.8.0',
          last: { readOn: '2025-05-31', value: '1250.00' },
          history: [
            { readOn: '2025-05-31', value: '1250.00', consumption: '500.000', status: 'accepted' },
            { readOn: '2025-05-15', value: '1150.00', consumption: null, status: 'rejected' },
            { readOn: '2025-04-30', value: '1200.00', consumption: '1000.000', status: 'accepted' },
            { readOn: '2025-03-31', value: '1100.00', consumption: '1000.000', status: 'accepted' },
          ].map((h) => ({ id: expect.any(String), source: 'operator', attachment: null, ...h })),
        },
      ],
    });
    expect(body.meters[1].registers[0]).toMatchObject({
      registerId: String(own[1]),
      last: null,
      history: [],
    });
    // The other consumer's register is nowhere in the answer.
    expect(res.body).not.toContain(`"registerId":"${other[0]}"`);
    const theirs = (await get(b, '/api/cabinet/readings')).json();
    expect(theirs.meters.map((m: { serial: string }) => m.serial)).toEqual(['E-9']);
  });

  it('refuses a reading below the previous one and stores nothing of the submission', async () => {
    const before = await stored();
    // E-2's reading is valid and checked first: it must be rolled back with the refused one.
    const res = await submit(
      a,
      [
        { registerId: String(own[1]), value: '000100,00' },
        { registerId: String(own[0]), value: '001249,99' },
      ],
      { file: { name: 'meter.png', type: 'image/png', bytes: png }, headers: { 'accept-language': 'ru' } },
    );
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error: {
        code: 'READING_BELOW_PREVIOUS',
        message: 'Показание меньше предыдущего (и это не переход через ноль)',
        details: { registerId: String(own[0]) },
      },
    });
    expect(await stored()).toEqual(before);
  });

  it('refuses a value that is not XXXXXX,XX', async () => {
    const before = await stored();
    for (const value of ['12,345', '12.3.4', '-5', '1 250,00', '']) {
      const res = await submit(a, [{ registerId: String(own[0]), value }]);
      expect(res.statusCode, value).toBe(400);
      expect(res.json(), value).toMatchObject({ error: { code: 'INVALID_READING' } });
    }
    const twice = await submit(a, [
      { registerId: String(own[0]), value: '1300' },
      { registerId: String(own[0]), value: '1301' },
    ]);
    expect(twice.statusCode).toBe(400);
    expect(twice.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/cabinet/readings',
      payload: { readings: [{ registerId: String(own[0]), value: '1300' }] },
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrf },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    for (const readings of ['not json', '[]', '[{"registerId":"x1","value":"1"}]', '{}']) {
      const res = await submit(a, readings);
      expect(res.statusCode, readings).toBe(400);
      expect(res.json(), readings).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await stored()).toEqual(before);
  });

  it("answers another consumer's register like an unknown one, and stores nothing", async () => {
    const before = await stored();
    for (const registerId of [String(other[0]), '999999999', String(own[2])]) {
      const res = await submit(a, [
        { registerId: String(own[1]), value: '100' },
        { registerId, value: '6000,00' },
      ]);
      expect(res.statusCode, registerId).toBe(404);
      expect(res.json(), registerId).toMatchObject({
        error: { code: 'UNKNOWN_REGISTER', details: { registerId } },
      });
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses a file over 10 MB with 413, in the language of the request', async () => {
    const before = await stored();
    const res = await submit(a, [{ registerId: String(own[0]), value: '1300,00' }], {
      file: { name: 'scan.pdf', type: 'application/pdf', bytes: pdfOf(MAX_ATTACHMENT_BYTES + 1) },
      headers: { 'accept-language': 'ru' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      error: { code: 'ATTACHMENT_TOO_LARGE', message: 'Файл слишком большой: не более 10 МБ' },
    });
    expect(await stored()).toEqual(before);
  });

  it('recognises the file by its content: a program or a text is refused with 415', async () => {
    const before = await stored();
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(200)]);
    for (const file of [
      { name: 'photo.png', type: 'image/png', bytes: exe },
      { name: 'setup.exe', type: 'application/octet-stream', bytes: exe },
      { name: 'reading.txt', type: 'text/plain', bytes: Buffer.from('1300,00') },
      { name: 'empty.pdf', type: 'application/pdf', bytes: Buffer.alloc(0) },
    ]) {
      const res = await submit(a, [{ registerId: String(own[0]), value: '1300,00' }], {
        file,
        headers: { 'accept-language': 'en' },
      });
      expect(res.statusCode, file.name).toBe(415);
      expect(res.json(), file.name).toMatchObject({
        error: { code: 'ATTACHMENT_TYPE', message: 'Attach a photo (JPEG, PNG) or PDF' },
      });
    }
    expect(await stored()).toEqual(before);
  });

  it('closes the window after the 25th in Tashkent', async () => {
    const before = await stored();
    // 25 June, 23:30 in Tashkent: still open; half an hour later, the 26th: closed.
    const lastMinutes = await at('2025-06-25T18:30:00Z', 'R-001', '301700101', (s) =>
      get(s, '/api/cabinet/readings'),
    );
    expect(lastMinutes.json().window).toEqual({ period: '2025-06', open: true, closesOn: '2025-06-25' });
    const [listed, res] = await at('2025-06-25T19:00:00Z', 'R-001', '301700101', async (s) => [
      await get(s, '/api/cabinet/readings'),
      await submit(s, [{ registerId: String(own[0]), value: '1300,00' }], {
        file: { name: 'meter.png', type: 'image/png', bytes: png },
        headers: { 'accept-language': 'ru' },
      }),
    ]);
    expect(listed.json().window).toEqual({ period: '2025-06', open: false, closesOn: '2025-06-25' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: {
        code: 'READING_WINDOW_CLOSED',
        message: 'Показания за 2025-06 принимались до 2025-06-25; приём закрыт',
      },
    });
    expect(await stored()).toEqual(before);
  });

  it('requires the CSRF header', async () => {
    const before = await stored();
    const res = await submit(a, [{ registerId: String(own[0]), value: '1300,00' }], { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'CSRF_INVALID' } });
    expect(await stored()).toEqual(before);
  });

  let attachmentId: string;

  it('stores a valid submission with its photo, audited, and lists it with the attachment', async () => {
    const before = await stored();
    const res = await submit(
      a,
      [
        { registerId: String(own[0]), value: '001300,50' },
        { registerId: String(own[1]), value: '42.5' },
      ],
      { file: { name: 'счётчик июнь.png', type: 'image/png', bytes: png } },
    );
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      readings: [
        {
          registerId: String(own[0]),
          id: expect.any(String),
          readOn: TODAY,
          value: '1300.50',
          consumption: '505.000',
        },
        {
          registerId: String(own[1]),
          id: expect.any(String),
          readOn: TODAY,
          value: '42.50',
          consumption: '42.500',
        },
      ],
      attachment: { id: expect.any(String), fileName: 'счётчик июнь.png', size: png.length },
    });
    attachmentId = body.attachment.id;
    expect(await stored()).toEqual({
      readings: before.readings + 2,
      attachments: before.attachments + 1,
      audit: before.audit + 3,
    });

    const rows = await db
      .selectFrom('reading')
      .select(['id', 'read_on', 'value', 'source', 'status', 'attachment_id'])
      .where('register_id', 'in', own)
      .where('read_on', '=', TODAY)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      {
        id: BigInt(body.readings[0].id),
        read_on: TODAY,
        value: 1_300_500n,
        source: 'cabinet',
        status: 'accepted',
        attachment_id: BigInt(attachmentId),
      },
      {
        id: BigInt(body.readings[1].id),
        read_on: TODAY,
        value: 42_500n,
        source: 'cabinet',
        status: 'accepted',
        attachment_id: BigInt(attachmentId),
      },
    ]);
    const file = await db
      .selectFrom('reading_attachment')
      .select(['media_type', 'size', 'sha256'])
      .where('id', '=', BigInt(attachmentId))
      .executeTakeFirstOrThrow();
    expect(file).toEqual({
      media_type: 'image/png',
      size: png.length,
      sha256: createHash('sha256').update(png).digest('hex'),
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_type', 'actor_id', 'entity_id'])
      .where('action', 'in', ['reading.create', 'reading_attachment.create'])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'reading.create', actor_type: 'consumer', actor_id: 'R-001', entity_id: body.readings[0].id },
      { action: 'reading.create', actor_type: 'consumer', actor_id: 'R-001', entity_id: body.readings[1].id },
      {
        action: 'reading_attachment.create',
        actor_type: 'consumer',
        actor_id: 'R-001',
        entity_id: attachmentId,
      },
    ]);

    const listed = (await get(a, '/api/cabinet/readings')).json();
    const e1 = listed.meters[0].registers[0];
    expect(e1.last).toEqual({ readOn: TODAY, value: '1300.50' });
    expect(e1.history[0]).toEqual({
      id: body.readings[0].id,
      readOn: TODAY,
      value: '1300.50',
      consumption: '505.000',
      source: 'cabinet',
      status: 'accepted',
      attachment: { id: attachmentId, fileName: 'счётчик июнь.png', size: png.length },
    });
    expect(e1.history).toHaveLength(5);
    expect(listed.meters[1].registers[0].history[0]).toMatchObject({ value: '42.50', consumption: '42.500' });
  });

  it('lets the owner download the attachment and answers 404 to anyone else', async () => {
    const res = await get(a, `/api/cabinet/readings/attachments/${attachmentId}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="_______ ____.png"; filename*=UTF-8''${encodeURIComponent('счётчик июнь.png')}`,
    );
    expect(Buffer.compare(res.rawPayload, png)).toBe(0);

    for (const url of [
      `/api/cabinet/readings/attachments/${attachmentId}`,
      '/api/cabinet/readings/attachments/987654',
    ]) {
      const refused = await get(b, url);
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/cabinet/readings/attachments/${attachmentId}` }))
        .statusCode,
    ).toBe(401);
  });

  it('refuses a second submission for the same register on the same day', async () => {
    const before = await stored();
    const res = await submit(a, [{ registerId: String(own[1]), value: '50' }]);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: { code: 'READING_ALREADY_SUBMITTED', details: { registerId: String(own[1]), readOn: TODAY } },
    });
    expect(await stored()).toEqual(before);
  });

  it('takes a file of exactly 10 MB, and a submission without a file', async () => {
    const pdf = pdfOf(MAX_ATTACHMENT_BYTES);
    const res = await submit(b, [{ registerId: String(other[0]), value: '5100' }], {
      file: { name: 'akt.pdf', type: 'application/octet-stream', bytes: pdf },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().attachment).toMatchObject({ fileName: 'akt.pdf', size: MAX_ATTACHMENT_BYTES });
    const download = await get(b, `/api/cabinet/readings/attachments/${res.json().attachment.id}`);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe('attachment; filename="akt.pdf"');
    expect(download.rawPayload.length).toBe(MAX_ATTACHMENT_BYTES);

    // Next day, no file: the attachment is optional.
    const plain = await at('2025-06-11T07:00:00Z', 'R-002', '301700102', (s) =>
      submit(s, [{ registerId: String(other[0]), value: '5200,5' }]),
    );
    expect(plain.statusCode).toBe(201);
    expect(plain.json()).toEqual({
      readings: [
        {
          registerId: String(other[0]),
          id: expect.any(String),
          readOn: '2025-06-11',
          value: '5200.50',
          consumption: '100.500',
        },
      ],
      attachment: null,
    });
    const count = await sql<{
      n: string;
    }>`select count(*) as n from reading where register_id = ${other[0]}`.execute(db);
    expect(Number(count.rows[0]?.n)).toBe(3);
  });
});
