import { createHash } from 'node:crypto';
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
import { cabinetClient, createCabinetContract } from '../../../test/support/cabinet.ts';
import { TEST_ENGINE } from '../../../test/support/db.ts';
import { openPfx, signDetached } from '../../../web/src/cabinet/pfx-sign.ts';
import { type LocalDate, parseLocalDate } from '../../domain/period.ts';
import { parseReading } from '../../domain/quantity.ts';
import type { Actor } from '../audit/audit.ts';
import {
  createRootCa,
  issuePersonalCertificate,
  type KeyPair,
  trustedRootsPem,
} from '../signature/local-ca.ts';
import { createLocalSigner, verifyDetached } from '../signature/signer.ts';
import { issueStaffCertificate, issueStaffKey } from '../signature/staff-key.ts';
import { recordReading } from './readings.service.ts';

// R3.4: readings district staff entered wait as `submitted` until a user with reading.confirm signs
// a confirmation document with a key naming their own PINFL; then they are accepted, at once.

const PINFL_A = '31234567890123';
const PINFL_B = '41234567890123';
const TODAY = parseLocalDate('2025-06-30');

let t: TestApp;
let f: OrgFixture;
let opA: TestSession; // operator of n1, PINFL A
let opB: TestSession; // another operator of n1, PINFL B
let opS: TestSession; // operator of s1
let inspector: TestSession; // n1, no reading.confirm
let noPinfl: TestSession; // operator of n1 without a PINFL
let keyA: KeyPair;
let keyB: KeyPair;
let actorA: Actor;
let n1: { contractId: bigint; registerIds: bigint[] };
let s1: { contractId: bigint; registerIds: bigint[] };

const db = () => t.database.db;
const call = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A submitted reading entered by operator A. */
async function submitted(registerId: bigint, readOn: string, value: string): Promise<string> {
  const r = await db()
    .transaction()
    .execute((trx) =>
      recordReading(trx, actorA, {
        tenantId: f.tenantId,
        registerId,
        readOn: readOn as LocalDate,
        value: parseReading(value),
        source: 'operator',
        today: TODAY,
        accept: false,
      }),
    );
  return String(r.id);
}

async function readingRow(id: string) {
  return db()
    .selectFrom('reading')
    .select(['status', 'value', 'confirmed_by', 'confirmed_at', 'signature'])
    .where('id', '=', BigInt(id))
    .executeTakeFirstOrThrow();
}

const audits = (action: string) =>
  db()
    .selectFrom('audit_log')
    .select(['actor_id', 'entity_id', 'org_unit_path', 'before', 'after'])
    .where('action', '=', action)
    .orderBy('id')
    .execute();

/** Prepares a confirmation as `s` and returns its id and document bytes. */
async function prepare(s: TestSession, readingIds: string[]): Promise<{ id: string; document: Buffer }> {
  const res = await call(s, 'POST', '/api/readings/confirmations', { readingIds, lang: 'en' });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { id: string; document: string; sha256: string };
  const document = Buffer.from(body.document, 'base64');
  expect(createHash('sha256').update(document).digest('hex')).toBe(body.sha256);
  return { id: body.id, document };
}

const sign = (pair: KeyPair, data: Uint8Array) => createLocalSigner(pair).sign(data);
const postSignature = (s: TestSession, id: string, signature: Uint8Array) =>
  call(s, 'POST', `/api/readings/confirmations/${id}/signature`, { signature: b64(signature) });

beforeAll(async () => {
  t = await createTestApp();
  f = await createOrgFixture(db(), 'confirm');
  const users = {
    'op.a': { role: 'operator', unit: f.units.n1.id, pinfl: PINFL_A },
    'op.b': { role: 'operator', unit: f.units.n1.id, pinfl: PINFL_B },
    'op.s': { role: 'operator', unit: f.units.s1.id, pinfl: '51234567890123' },
    'insp.n1': { role: 'inspector', unit: f.units.n1.id, pinfl: '61234567890123' },
    'op.nopinfl': { role: 'operator', unit: f.units.n1.id, pinfl: null },
  } as const;
  for (const [login, u] of Object.entries(users)) {
    const id = await createUser(db(), { tenantId: f.tenantId, login, role: u.role, orgUnitId: u.unit });
    await db().updateTable('app_user').set({ pinfl: u.pinfl }).where('id', '=', id).execute();
    if (login === 'op.a') actorA = { type: 'user', id: String(id), tenantId: f.tenantId };
  }
  opA = await signIn(t.app, 'op.a');
  opB = await signIn(t.app, 'op.b');
  opS = await signIn(t.app, 'op.s');
  inspector = await signIn(t.app, 'insp.n1');
  noPinfl = await signIn(t.app, 'op.nopinfl');
  n1 = await createCabinetContract(db(), {
    tenantId: f.tenantId,
    orgUnitId: f.units.n1.id,
    number: '70001',
    inn: '307000001',
    name: 'Chilonzor Savdo MChJ',
    meters: [{ serial: 'CE-1001' }, { serial: 'CE-1002' }],
  });
  s1 = await createCabinetContract(db(), {
    tenantId: f.tenantId,
    orgUnitId: f.units.s1.id,
    number: '70002',
    inn: '307000002',
    name: 'Janub Agro MChJ',
  });
  keyA = await issueStaffCertificate(db(), {
    fullName: 'User op.a',
    organization: 'Test grid',
    pinfl: PINFL_A,
  });
  keyB = await issueStaffCertificate(db(), {
    fullName: 'User op.b',
    organization: 'Test grid',
    pinfl: PINFL_B,
  });
  // An accepted reading before the submitted ones, for "previous" and "advance".
  await db()
    .transaction()
    .execute((trx) =>
      recordReading(trx, actorA, {
        tenantId: f.tenantId,
        registerId: n1.registerIds[0] ?? 0n,
        readOn: '2025-05-20' as LocalDate,
        value: parseReading('1000.00'),
        source: 'operator',
        today: TODAY,
        accept: true,
      }),
    );
});

afterAll(async () => {
  await t?.close();
});

describe(`signed confirmation of staff-entered readings (R3.4, ${TEST_ENGINE})`, () => {
  let r1: string;
  let r2: string;
  let rS: string;

  it('lists the submitted readings of the caller’s districts with previous reading and advance', async () => {
    r1 = await submitted(n1.registerIds[0] ?? 0n, '2025-06-20', '1250.50');
    r2 = await submitted(n1.registerIds[1] ?? 0n, '2025-06-21', '300.00');
    rS = await submitted(s1.registerIds[0] ?? 0n, '2025-06-20', '42.00');

    const res = await call(opA, 'GET', '/api/readings/confirmations/pending?sort=readOn&dir=asc');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: { id: string }[]; total: number };
    expect(page.total).toBe(2);
    expect(page.items[0]).toMatchObject({
      id: r1,
      readOn: '2025-06-20',
      value: '1250.50',
      previous: { readOn: '2025-05-20', value: '1000.00' },
      advance: '250.50',
      source: 'operator',
      contract: { number: '70001' },
      consumer: 'Chilonzor Savdo MChJ',
      meter: 'CE-1001',
      obis: '1.8.0',
      enteredBy: 'User op.a',
    });
    expect(page.items[1]).toMatchObject({ id: r2, previous: null, advance: '300.00' });

    const filtered = await call(opA, 'GET', '/api/readings/confirmations/pending?q=ce-1002&period=2025-06');
    expect((filtered.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([r2]);
    const otherPeriod = await call(opA, 'GET', '/api/readings/confirmations/pending?period=2025-05');
    expect(otherPeriod.json()).toMatchObject({ total: 0 });
    const byUnit = await call(opA, 'GET', `/api/readings/confirmations/pending?orgUnitId=${f.units.s1.id}`);
    expect(byUnit.json()).toMatchObject({ total: 0 });
    const south = await call(opS, 'GET', '/api/readings/confirmations/pending');
    expect((south.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([rS]);

    const xlsx = await call(opA, 'GET', '/api/readings/confirmations/pending?format=xlsx&lang=ru');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const sheet = await readXlsxFile(xlsx.rawPayload);
    const rows = Array.isArray(sheet[0]) ? sheet : (sheet as unknown as { data: unknown[][] }[])[0]?.data;
    expect(rows?.[0]).toContain('Договор');
    expect(rows).toHaveLength(3);

    const denied = await call(inspector, 'GET', '/api/readings/confirmations/pending');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('AUTH_FORBIDDEN');
  });

  it('refuses to prepare a confirmation for bad, unknown, foreign or accepted readings, or without a PINFL', async () => {
    const before = await db().selectFrom('reading_confirmation').select('id').execute();
    const empty = await call(opA, 'POST', '/api/readings/confirmations', { readingIds: [] });
    expect(empty.statusCode).toBe(400);
    const twice = await call(opA, 'POST', '/api/readings/confirmations', { readingIds: [r1, r1] });
    expect(twice.statusCode).toBe(400);
    const unknown = await call(opA, 'POST', '/api/readings/confirmations', { readingIds: [r1, '999999'] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({
      code: 'READING_CONFIRMATION_UNKNOWN_READING',
      details: { readingId: '999999' },
    });
    const foreign = await call(opA, 'POST', '/api/readings/confirmations', { readingIds: [r1, rS] });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
    const accepted = await db()
      .selectFrom('reading')
      .select('id')
      .where('status', '=', 'accepted')
      .executeTakeFirstOrThrow();
    const notSubmitted = await call(opA, 'POST', '/api/readings/confirmations', {
      readingIds: [String(accepted.id)],
    });
    expect(notSubmitted.statusCode).toBe(409);
    expect(notSubmitted.json().error).toMatchObject({
      code: 'READING_CONFIRMATION_NOT_SUBMITTED',
      details: { status: 'accepted' },
    });
    const withoutPinfl = await call(noPinfl, 'POST', '/api/readings/confirmations', { readingIds: [r1] });
    expect(withoutPinfl.statusCode).toBe(422);
    expect(withoutPinfl.json().error.code).toBe('READING_CONFIRMER_NO_PINFL');
    expect(withoutPinfl.json().error.message).toMatch(/PINFL/);
    const noPermission = await call(inspector, 'POST', '/api/readings/confirmations', { readingIds: [r1] });
    expect(noPermission.statusCode).toBe(403);
    expect(await db().selectFrom('reading_confirmation').select('id').execute()).toEqual(before);
  });

  it('renders a deterministic text document listing each reading and the confirming user', async () => {
    const { id, document } = await prepare(opA, [r2, r1]);
    const text = document.toString('utf8');
    expect(text).toContain(`Confirmation of meter readings entered by staff № ${id}`);
    expect(text).toContain(`Confirmed by: User op.a (op.a), PINFL ${PINFL_A}`);
    expect(text).toContain('Supplier: Test grid confirm, INN 301000001');
    expect(text).toContain('Number of readings: 2');
    // Sorted by contract, meter, register, date — not in the order asked.
    expect(text).toContain(
      `1 | ${r1} | 70001 | Chilonzor Savdo MChJ | CE-1001 | 1.8.0 | 2025-06-20 | 1250.50 | User op.a\n` +
        `2 | ${r2} | 70001 | Chilonzor Savdo MChJ | CE-1002 | 1.8.0 | 2025-06-21 | 300.00 | User op.a\n`,
    );
    const view = await call(opA, 'GET', `/api/readings/confirmations/${id}`);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      id,
      status: 'draft',
      readingCount: 2,
      signer: null,
      document: b64(document),
    });
    const file = await call(opA, 'GET', `/api/readings/confirmations/${id}/document`);
    expect(file.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(file.rawPayload.equals(document)).toBe(true);
    const p7s = await call(opA, 'GET', `/api/readings/confirmations/${id}/p7s`);
    expect(p7s.statusCode).toBe(409);
    expect(p7s.json().error.code).toBe('READING_CONFIRMATION_NOT_SIGNED');
  });

  it('refuses wrong keys, other CAs, tampered documents, other users and unknown ids, changing nothing', async () => {
    const { id, document } = await prepare(opA, [r1, r2]);
    const refused = async (
      s: TestSession,
      signature: Uint8Array,
      status: number,
      code: string,
      confId = id,
    ) => {
      const res = await postSignature(s, confId, signature);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
      return res.json().error;
    };
    // Another person's key (a valid certificate of the trusted CA with PINFL B).
    const wrongPerson = await refused(
      opA,
      await sign(keyB, document),
      422,
      'READING_CONFIRMATION_SIGNER_PINFL',
    );
    expect(wrongPerson.details).toEqual({ signerPinfl: PINFL_B });
    // The right PINFL, but a certificate of another CA.
    const rogueRoot = createRootCa({ commonName: 'Rogue CA' });
    const rogue = issuePersonalCertificate(rogueRoot, {
      fullName: 'User op.a',
      organization: null,
      pinfl: PINFL_A,
    });
    const untrusted = await refused(
      opA,
      await sign(rogue, document),
      422,
      'READING_CONFIRMATION_SIGNATURE_INVALID',
    );
    expect(untrusted.details).toEqual({ reason: 'untrusted' });
    // A signature over other bytes (the document with one value changed).
    const tampered = Buffer.from(document.toString('utf8').replace('1250.50', '1205.50'));
    await refused(opA, await sign(keyA, tampered), 422, 'READING_CONFIRMATION_SIGNATURE_MISMATCH');
    await refused(
      opA,
      new TextEncoder().encode('not a signature at all'),
      422,
      'READING_CONFIRMATION_SIGNATURE_INVALID',
    );
    // Only the user who prepared it may sign it, even with their own valid key.
    await refused(opB, await sign(keyB, document), 403, 'READING_CONFIRMATION_NOT_AUTHOR');
    // Out of scope: another district's operator does not see it; unknown ids; no permission.
    await refused(opS, await sign(keyA, document), 404, 'UNKNOWN_READING_CONFIRMATION');
    await refused(opA, await sign(keyA, document), 404, 'UNKNOWN_READING_CONFIRMATION', '987654');
    await refused(inspector, await sign(keyA, document), 403, 'AUTH_FORBIDDEN');
    const noAuthor = await call(opS, 'GET', `/api/readings/confirmations/${id}`);
    expect(noAuthor.statusCode).toBe(404);

    for (const r of [r1, r2])
      expect(await readingRow(r)).toMatchObject({ status: 'submitted', signature: null });
    expect(await audits('reading.confirm')).toHaveLength(0);
    expect(await audits('reading_confirmation.sign')).toHaveLength(0);
  });

  it('accepts the readings when signed in the browser with the user’s key file, once, and audits each', async () => {
    const { id, document } = await prepare(opA, [r1, r2]);
    // The browser's path: the .pfx opened and the document signed with WebCrypto.
    const key = await issueStaffKey(db(), { login: 'op.a', password: 'secret-123' });
    expect(key.certificate).toMatchObject({ commonName: 'User op.a', pinfl: PINFL_A });
    const identity = await openPfx(key.pfx, 'secret-123');
    expect(identity.holder).toMatchObject({ commonName: 'User op.a', pinfl: PINFL_A });
    const signature = await signDetached(identity, document);

    const res = await postSignature(opA, id, signature);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({
      id,
      status: 'signed',
      readingCount: 2,
      signer: { commonName: 'User op.a', pinfl: PINFL_A, serialNumber: key.certificate.serialNumber },
      readings: [
        { id: r1, status: 'accepted', value: '1250.50' },
        { id: r2, status: 'accepted', value: '300.00' },
      ],
    });
    expect(view.signer.subject).toContain(`PINFL=${PINFL_A}`);
    for (const r of [r1, r2]) {
      const row = await readingRow(r);
      expect(row).toMatchObject({ status: 'accepted', signature: `reading_confirmation:${id}` });
      expect(String(row.confirmed_by)).toBe(actorA.id);
      expect(row.confirmed_at).not.toBeNull();
    }
    const perReading = await audits('reading.confirm');
    expect(perReading.map((a) => a.entity_id).sort()).toEqual([r1, r2].sort());
    expect(perReading[0]).toMatchObject({
      actor_id: actorA.id,
      org_unit_path: f.units.n1.path,
      before: { status: 'submitted' },
      after: { status: 'accepted', signature: `reading_confirmation:${id}` },
    });
    const signed = await audits('reading_confirmation.sign');
    expect(signed).toHaveLength(1);
    expect(signed[0]).toMatchObject({
      actor_id: actorA.id,
      entity_id: id,
      after: { signer: { pinfl: PINFL_A, serial_number: key.certificate.serialNumber } },
    });

    // The same signature again: the same answer, nothing written twice.
    const again = await postSignature(opA, id, signature);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'signed', confirmedAt: view.confirmedAt });
    expect(await audits('reading.confirm')).toHaveLength(2);
    expect(await audits('reading_confirmation.sign')).toHaveLength(1);
    // Another valid signature of the same user over the same document: already signed.
    const other = await postSignature(opA, id, await sign(keyA, document));
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('READING_CONFIRMATION_SIGNED');

    // The .p7s and the document verify together against the trusted root.
    const p7s = await call(opA, 'GET', `/api/readings/confirmations/${id}/p7s`);
    expect(p7s.headers['content-type']).toBe('application/pkcs7-signature');
    const check = await verifyDetached(document, p7s.rawPayload, await trustedRootsPem(db()));
    expect(check).toMatchObject({ valid: true, signer: { commonName: 'User op.a' } });
    // Another operator of the district sees it (reading.read there) but the queue no longer has them.
    const list = await call(opB, 'GET', '/api/readings/confirmations?status=signed');
    expect(list.json()).toMatchObject({ total: 1, items: [{ id, status: 'signed', readingCount: 2 }] });
    const pending = await call(opA, 'GET', '/api/readings/confirmations/pending');
    expect(pending.json()).toMatchObject({ total: 0 });
  });

  it('confirms nothing when a covered reading changed after the document was prepared', async () => {
    const a = await submitted(n1.registerIds[0] ?? 0n, '2025-06-25', '1300.00');
    const b = await submitted(n1.registerIds[1] ?? 0n, '2025-06-25', '350.00');
    const { id, document } = await prepare(opA, [a, b]);
    // Someone corrects reading b before the confirmation is signed.
    await db()
      .updateTable('reading')
      .set({ value: parseReading('355.00') })
      .where('id', '=', BigInt(b))
      .execute();
    const res = await postSignature(opA, id, await sign(keyA, document));
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'READING_CONFIRMATION_STALE',
      details: { readingId: b, status: 'submitted' },
    });
    expect(await readingRow(a)).toMatchObject({ status: 'submitted', confirmed_at: null });
    const c = await call(opA, 'GET', `/api/readings/confirmations/${id}`);
    expect(c.json()).toMatchObject({ status: 'draft', signer: null });
    // A fresh document with the corrected value can be signed.
    const fresh = await prepare(opA, [a, b]);
    const ok = await postSignature(opA, fresh.id, await sign(keyA, fresh.document));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await readingRow(b)).toMatchObject({ status: 'accepted', value: parseReading('355.00') });
    // The old draft now covers accepted readings.
    const stale = await postSignature(opA, id, await sign(keyA, document));
    expect(stale.json().error).toMatchObject({
      code: 'READING_CONFIRMATION_STALE',
      details: { status: 'accepted' },
    });
  });

  it('shows the consumer who confirmed a reading, when, and that it was signed', async () => {
    const cabinet = await cabinetClient(t.app, '70001', '307000001');
    const res = await cabinet.get('/api/cabinet/readings');
    expect(res.statusCode, res.body).toBe(200);
    const confirmations = res.json().confirmations as {
      readingId: string;
      by: string | null;
      at: string;
      signed: boolean;
    }[];
    expect(confirmations.find((c) => c.readingId === r1)).toMatchObject({ by: 'User op.a', signed: true });
    // The reading accepted at entry (2025-05-20) is confirmed, but not by anyone's signature.
    expect(confirmations.filter((c) => !c.signed)).toHaveLength(1);
    expect(confirmations.find((c) => !c.signed)).toMatchObject({ by: null });
    // Submitted readings are not confirmed.
    const open = await submitted(n1.registerIds[0] ?? 0n, '2025-06-28', '1400.00');
    const again = (await cabinet.get('/api/cabinet/readings')).json().confirmations as {
      readingId: string;
    }[];
    expect(again.some((c) => c.readingId === open)).toBe(false);
    expect(again).toHaveLength(confirmations.length);
  });
});
