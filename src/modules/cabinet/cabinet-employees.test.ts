import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestSession } from '../../../test/support/app.ts';
import { type CabinetClient, cabinetClient } from '../../../test/support/cabinet.ts';
import { OTHER, type ScenarioApp, scenarioApp } from '../../../test/support/scenario-world.ts';
import { openPfx, signDetached } from '../../../web/src/cabinet/pfx-sign.ts';
import type { DB } from '../../db/schema.ts';
import { issueConsumerCertificate, issueConsumerKey } from '../signature/consumer-key.ts';
import { createRootCa, issueSigningCertificate, type KeyPair } from '../signature/local-ca.ts';
import { createPfx } from '../signature/pkcs12.ts';
import { createLocalSigner } from '../signature/signer.ts';

// R6 function 7: consumer 00042 (spec scenario 01, INN 301234567) sends its employee list per
// procedure No. 1031, signed; the district unit confirms receipt. Consumer "42" (INN 309999999)
// of the same district, and staff of another district, must not reach it.

const INN_A = '301234567';
let scn: ScenarioApp;
let app: FastifyInstance;
let db: Kysely<DB>;
let a: CabinetClient;
let b: CabinetClient;
let staff: TestSession;
let otherDistrict: TestSession;
let keyA: KeyPair;

const ROWS = [
  {
    fullName: '  Karimov Aziz Baxtiyorovich ',
    position: 'Bosh muhandis',
    pinfl: '3123 4567 8901 23',
    passport: 'aa1234567',
    phone: '+998 (90) 123-45-67',
  },
  { fullName: 'Qodirova Malika', position: 'Hisobchi', pinfl: '41234567890123' },
  { fullName: 'Тошпўлатов Жасур', position: 'Электромонтёр', pinfl: '51234567890123', passport: 'AB7654321' },
];

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const count = async (table: 'employee_list' | 'employee_list_row') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const audits = (action: string) =>
  db
    .selectFrom('audit_log')
    .select(['actor_type', 'actor_id', 'entity_id', 'org_unit_path', 'before', 'after'])
    .where('action', '=', action)
    .orderBy('id')
    .execute();
const asStaff = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });

/** A draft of A's: its id and PDF bytes. */
async function draft(rows: object[] = ROWS): Promise<{ id: string; pdf: Buffer }> {
  const made = await a.post('/api/cabinet/employee-lists', { rows });
  expect(made.statusCode, made.body).toBe(201);
  const id = made.json().id as string;
  const pdf = await a.get(`/api/cabinet/employee-lists/${id}/pdf`);
  return { id, pdf: pdf.rawPayload };
}

const sign = (pair: KeyPair, data: Uint8Array) => createLocalSigner(pair).sign(data);

beforeAll(async () => {
  scn = await scenarioApp();
  ({ app } = scn);
  db = scn.database.db;
  const company = await db
    .selectFrom('org_unit')
    .select('id')
    .where('code', '=', 'SCN')
    .executeTakeFirstOrThrow();
  const district2 = await db
    .insertInto('org_unit')
    .values({
      tenant_id: scn.world.tenantId,
      kind: 'district',
      code: 'SCN-2',
      name: 'Second district',
      parent_id: company.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const unit = { tenantId: scn.world.tenantId };
  await createUser(db, { ...unit, login: 'op.scn1', role: 'operator', orgUnitId: scn.world.districtId });
  await createUser(db, { ...unit, login: 'op.scn2', role: 'operator', orgUnitId: district2.id });
  staff = await signIn(app, 'op.scn1');
  otherDistrict = await signIn(app, 'op.scn2');
  a = await cabinetClient(app, '00042', INN_A);
  b = await cabinetClient(app, OTHER.account, OTHER.inn);
  keyA = await issueConsumerCertificate(db, { name: 'Example LLC', inn: INN_A });
});

afterAll(async () => {
  await scn?.close();
});

describe('the employee list per procedure No. 1031 (R6 function 7)', () => {
  it('refuses a list with bad rows, naming row, field and reason, and stores nothing', async () => {
    const bad = await a.post('/api/cabinet/employee-lists', {
      rows: [
        ROWS[0],
        { fullName: 'Al', position: 'Qorovul', pinfl: '123', passport: 'A1234567' },
        { ...ROWS[1], pinfl: '3123456789 0123', phone: '90 123' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'EMPLOYEE_LIST_INVALID',
      details: {
        count: 5,
        errors: [
          { row: 2, field: 'fullName', code: 'too_short' },
          { row: 2, field: 'pinfl', code: 'format' },
          { row: 2, field: 'passport', code: 'format' },
          { row: 3, field: 'pinfl', code: 'duplicate' },
          { row: 3, field: 'phone', code: 'format' },
        ],
      },
    });
    const empty = await a.post('/api/cabinet/employee-lists', { rows: [] }, { 'accept-language': 'ru' });
    expect(empty.json().error).toMatchObject({
      code: 'EMPLOYEE_LIST_INVALID',
      details: { errors: [{ row: 0, field: 'list', code: 'empty' }] },
    });
    expect(empty.json().error.message).toMatch(/ничего не сохранено/);
    const tooMany = Array.from({ length: 2001 }, (_, i) => ({
      ...ROWS[1],
      pinfl: String(41234567000000 + i),
    }));
    expect(
      (await a.post('/api/cabinet/employee-lists', { rows: tooMany })).json().error.details.errors,
    ).toEqual([{ row: 0, field: 'list', code: 'too_many' }]);
    const unknownField = await a.post('/api/cabinet/employee-lists', { rows: [{ ...ROWS[1], salary: '1' }] });
    expect(unknownField.json().error.code).toBe('VALIDATION_FAILED');
    expect(await count('employee_list')).toBe(0);
    expect(await count('employee_list_row')).toBe(0);
    expect(await audits('employee_list.create')).toEqual([]);
  });

  it('makes a draft: rows cleaned, the PDF rendered once and stored, audited', async () => {
    const made = await a.post('/api/cabinet/employee-lists', { rows: ROWS, lang: 'uz-Cyrl' });
    expect(made.statusCode, made.body).toBe(201);
    const list = made.json();
    expect(list).toMatchObject({
      account: '00042',
      consumer: { inn: INN_A },
      status: 'draft',
      rowCount: 3,
      lang: 'uz-Cyrl',
      signer: null,
      signedAt: null,
      receivedAt: null,
    });
    const pdf = await a.get(`/api/cabinet/employee-lists/${list.id}/pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(list.document.sha256);
    expect(pdf.rawPayload.length).toBe(list.document.size);
    const again = await a.get(`/api/cabinet/employee-lists/${list.id}/pdf`);
    expect(again.rawPayload.equals(pdf.rawPayload)).toBe(true);
    const one = (await a.get(`/api/cabinet/employee-lists/${list.id}`)).json();
    expect(one.rows).toEqual([
      {
        fullName: 'Karimov Aziz Baxtiyorovich',
        position: 'Bosh muhandis',
        pinfl: '31234567890123',
        passport: 'AA1234567',
        phone: '+998901234567',
      },
      {
        fullName: 'Qodirova Malika',
        position: 'Hisobchi',
        pinfl: '41234567890123',
        passport: null,
        phone: null,
      },
      {
        fullName: 'Тошпўлатов Жасур',
        position: 'Электромонтёр',
        pinfl: '51234567890123',
        passport: 'AB7654321',
        phone: null,
      },
    ]);
    const signature = await a.get(`/api/cabinet/employee-lists/${list.id}/signature`);
    expect(signature.json().error.code).toBe('EMPLOYEE_LIST_STATUS');
    expect(await audits('employee_list.create')).toMatchObject([
      {
        actor_type: 'consumer',
        actor_id: '00042',
        entity_id: list.id,
        after: { status: 'draft', row_count: 3 },
      },
    ]);
  });

  it('refuses a signature by another INN, an untrusted key, over another document, or not a signature', async () => {
    const { id, pdf } = await draft();
    const post = (signature: string) => a.post(`/api/cabinet/employee-lists/${id}/signature`, { signature });
    const otherInn = await issueConsumerCertificate(db, { name: 'Other LLC', inn: OTHER.inn });
    const byOther = await post(b64(await sign(otherInn, pdf)));
    expect(byOther.statusCode).toBe(422);
    expect(byOther.json().error).toMatchObject({
      code: 'EMPLOYEE_LIST_SIGNER_INN',
      details: { signerInn: OTHER.inn, inn: INN_A },
    });
    // The right name and INN, but a self-made CA nobody trusts.
    const rogueRoot = createRootCa({ commonName: 'hisob local test CA' });
    const rogue = issueSigningCertificate(rogueRoot, { name: 'Example LLC', inn: INN_A });
    expect((await post(b64(await sign(rogue, pdf)))).json().error).toMatchObject({
      code: 'EMPLOYEE_LIST_SIGNATURE_INVALID',
      details: { reason: 'untrusted' },
    });
    // The consumer's own key over a document changed after it was rendered.
    const tampered = Buffer.from(pdf);
    const at = tampered.length - 20;
    tampered.writeUInt8(tampered.readUInt8(at) ^ 1, at);
    const overTampered = await post(b64(await sign(keyA, tampered)));
    expect(overTampered.statusCode).toBe(422);
    expect(overTampered.json().error.code).toBe('EMPLOYEE_LIST_SIGNATURE_MISMATCH');
    // A signature of a different (older) draft's document is not this one's either.
    const older = await draft(ROWS.slice(1, 2));
    expect((await post(b64(await sign(keyA, older.pdf)))).json().error.code).toBe(
      'EMPLOYEE_LIST_SIGNATURE_MISMATCH',
    );
    for (const junk of [b64(pdf.subarray(0, 64)), 'not base64 at all!']) {
      expect((await post(junk)).json().error, junk.slice(0, 10)).toMatchObject({
        code: 'EMPLOYEE_LIST_SIGNATURE_INVALID',
        details: { reason: 'malformed' },
      });
    }
    const still = (await a.get(`/api/cabinet/employee-lists/${id}`)).json();
    expect(still).toMatchObject({ status: 'draft', signer: null, signedAt: null, submittedAt: null });
    expect(await audits('employee_list.submit')).toEqual([]);
  });

  it('takes the consumer’s own signature made in the “browser” with its .pfx: submitted, signer stored, audited', async () => {
    const { id, pdf } = await draft();
    const pfx = await createPfx(keyA, 'kalit-parol');
    const identity = await openPfx(pfx, 'kalit-parol');
    const p7s = await signDetached(identity, pdf);
    // PEM is taken as well as base64 DER.
    const pem = `-----BEGIN PKCS7-----\n${b64(p7s).replace(/.{64}/g, '$&\n')}\n-----END PKCS7-----\n`;
    const signed = await a.post(`/api/cabinet/employee-lists/${id}/signature`, { signature: pem });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({
      status: 'submitted',
      signer: { commonName: 'Example LLC', inn: INN_A },
      receivedAt: null,
    });
    expect(Date.parse(signed.json().signedAt)).toBeLessThanOrEqual(Date.parse(signed.json().submittedAt));
    const stored = await a.get(`/api/cabinet/employee-lists/${id}/signature`);
    expect(stored.headers['content-type']).toBe('application/pkcs7-signature');
    expect(stored.rawPayload.equals(Buffer.from(p7s))).toBe(true);
    const twice = await a.post(`/api/cabinet/employee-lists/${id}/signature`, { signature: b64(p7s) });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatchObject({
      code: 'EMPLOYEE_LIST_STATUS',
      details: { status: 'submitted' },
    });
    expect(await audits('employee_list.submit')).toMatchObject([
      {
        actor_type: 'consumer',
        actor_id: '00042',
        entity_id: id,
        before: { status: 'draft' },
        after: { status: 'submitted', signer: { inn: INN_A } },
      },
    ]);
  });

  it('lets staff of the district confirm receipt, and no one else see or touch the list', async () => {
    const { id, pdf } = await draft();
    const p7s = await sign(keyA, pdf);
    // Receipt of a draft is refused.
    expect((await asStaff(staff, 'POST', `/api/employee-lists/${id}/receipt`, {})).json().error.code).toBe(
      'EMPLOYEE_LIST_STATUS',
    );
    expect(
      (await a.post(`/api/cabinet/employee-lists/${id}/signature`, { signature: b64(p7s) })).statusCode,
    ).toBe(200);

    // Another district: not in its list, 404 for the list, its files and the receipt.
    const foreign = await asStaff(otherDistrict, 'GET', '/api/employee-lists');
    expect(foreign.statusCode).toBe(200);
    expect(foreign.json().items).toEqual([]);
    for (const url of [`/api/employee-lists/${id}`, `/api/employee-lists/${id}/pdf`]) {
      expect((await asStaff(otherDistrict, 'GET', url)).statusCode, url).toBe(404);
    }
    const refused = await asStaff(otherDistrict, 'POST', `/api/employee-lists/${id}/receipt`, {});
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('UNKNOWN_EMPLOYEE_LIST');
    // Another consumer of the same district: 404 as if it did not exist.
    expect((await b.get(`/api/cabinet/employee-lists/${id}`)).statusCode).toBe(404);
    expect(
      (await b.post(`/api/cabinet/employee-lists/${id}/signature`, { signature: b64(p7s) })).statusCode,
    ).toBe(404);

    // The district: the submitted list, its PDF and signature, then the receipt.
    const inbox = await asStaff(staff, 'GET', '/api/employee-lists?status=submitted');
    expect(inbox.json().items.map((l: { id: string }) => l.id)).toContain(id);
    const staffPdf = await asStaff(staff, 'GET', `/api/employee-lists/${id}/pdf`);
    expect(staffPdf.rawPayload.equals(pdf)).toBe(true);
    const staffP7s = await asStaff(staff, 'GET', `/api/employee-lists/${id}/signature`);
    expect(staffP7s.rawPayload.equals(Buffer.from(p7s))).toBe(true);
    expect(staffP7s.headers['content-disposition']).toMatch(
      /attachment; filename="employee-list-00042-\d+\.pdf\.p7s"/,
    );
    const received = await asStaff(staff, 'POST', `/api/employee-lists/${id}/receipt`, {});
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({ status: 'received', receivedBy: 'User op.scn1' });
    expect((await asStaff(staff, 'POST', `/api/employee-lists/${id}/receipt`, {})).statusCode).toBe(409);
    const [receipt] = await audits('employee_list.receive');
    expect(receipt).toMatchObject({
      actor_type: 'user',
      entity_id: id,
      before: { status: 'submitted' },
      after: { status: 'received', received_by: 'User op.scn1' },
    });
    expect(receipt?.org_unit_path).toBeTruthy();

    // The consumer sees who received it and when, and a notification.
    const mine = (await a.get('/api/cabinet/employee-lists')).json();
    const shown = mine.items.find((l: { id: string }) => l.id === id);
    expect(shown).toMatchObject({ status: 'received', receivedBy: 'User op.scn1' });
    expect(Date.parse(shown.receivedAt)).toBeGreaterThan(0);
    const notices = (await a.get('/api/cabinet/notifications')).json();
    expect(notices.items).toContainEqual(
      expect.objectContaining({ kind: 'employee_list', number: id, status: 'received', unread: true }),
    );
    expect((await b.get('/api/cabinet/notifications')).json().items).not.toContainEqual(
      expect.objectContaining({ kind: 'employee_list' }),
    );
    expect((await b.get('/api/cabinet/employee-lists')).json().items).toEqual([]);
  });

  it('answers nothing without a session', async () => {
    for (const url of ['/api/cabinet/employee-lists', '/api/employee-lists']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
  });
});

describe('hisob cabinet-key', () => {
  it('issues a .pfx for a contract’s consumer that signs lists the cabinet accepts', async () => {
    const key = await issueConsumerKey(db, { contract: '00042', password: 'demo-parol' });
    expect(key).toMatchObject({ account: '00042', certificate: { inn: INN_A, commonName: 'Example LLC' } });
    const identity = await openPfx(key.pfx, 'demo-parol');
    const { id, pdf } = await draft(ROWS.slice(2));
    const signature = b64(await signDetached(identity, pdf));
    expect((await a.post(`/api/cabinet/employee-lists/${id}/signature`, { signature })).statusCode).toBe(200);
  });

  it('refuses an unknown contract and a short password', async () => {
    await expect(issueConsumerKey(db, { contract: '99999', password: 'demo-parol' })).rejects.toMatchObject({
      code: 'UNKNOWN_ACCOUNT',
    });
    await expect(issueConsumerKey(db, { contract: '00042', password: '12345' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
