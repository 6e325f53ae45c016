import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CabinetClient, cabinetClient } from '../../../test/support/cabinet.ts';
import { type ScenarioApp, scenarioApp } from '../../../test/support/scenario-world.ts';
import type { Database } from '../../db/database.ts';
import { parsePeriod } from '../../domain/period.ts';
import type { ScenarioWorld } from '../scenario/scenario.setup.ts';
import { createRootCa, issueSigningCertificate, trustedRootsPem } from './local-ca.ts';
import { signedInvoice } from './signed-documents.service.ts';
import { createLocalSigner } from './signer.ts';

// Spec scenario 01 (billing-rules §11) with consumer 00042 and a second consumer "42" of the same
// supplier, as in the cabinet's billing tests: the supplier signs their invoices and acts.

let database: Database;
let world: ScenarioWorld;
let app: FastifyInstance;
let scn: ScenarioApp;
const dir = mkdtempSync(join(tmpdir(), 'hisob-signature-'));

type Session = CabinetClient;

/** Signs a consumer in with the INN and sets a new password. */
const consumer = (number: string, inn: string): Promise<Session> => cabinetClient(app, number, inn);

const get = (s: Session, url: string) => s.get(url);

/** A multipart/form-data body with the given files. */
function form(files: Record<string, Uint8Array>): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----hisob-test-boundary';
  const parts: Buffer[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.bin"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      Buffer.from(bytes),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Asks the public verification endpoint (no session). */
async function verifyOnline(files: Record<string, Uint8Array>) {
  const res = await app.inject({ method: 'POST', url: '/api/signatures/verify', ...form(files) });
  return res;
}

/** Whether `openssl` is on this machine. */
function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  scn = await scenarioApp();
  ({ database, world, app } = scn);
});

afterAll(async () => {
  await scn?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('documents signed by the supplier (R6 function 9)', () => {
  let a: Session;
  let pdf: Buffer;
  let p7s: Buffer;

  beforeAll(async () => {
    a = await consumer('00042', '301234567');
    const res = await get(a, '/api/cabinet/invoices/2025-03?format=pdf&lang=ru');
    expect(res.statusCode, res.body).toBe(200);
    pdf = res.rawPayload;
    const sig = await get(a, '/api/cabinet/invoices/2025-03/signature?lang=ru');
    expect(sig.statusCode, sig.body).toBe(200);
    p7s = sig.rawPayload;
  });

  it('offers the invoice’s .p7s beside its PDF', async () => {
    const sig = await get(a, '/api/cabinet/invoices/2025-03/signature?lang=ru');
    expect(sig.headers['content-type']).toBe('application/pkcs7-signature');
    expect(sig.headers['content-disposition']).toBe('attachment; filename="invoice-00042-2025-03.pdf.p7s"');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(p7s[0]).toBe(0x30); // DER SEQUENCE
  });

  it('verifies the cabinet’s signature: valid, signed by the supplier with its INN', async () => {
    const tenant = await database.db
      .selectFrom('tenant')
      .select(['name', 'inn'])
      .where('id', '=', world.tenantId)
      .executeTakeFirstOrThrow();
    const res = await verifyOnline({ document: pdf, signature: p7s });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      valid: true,
      signer: { commonName: tenant.name, organization: tenant.name },
      document: { sha256: (await signedInvoice(database.db, invoiceInput('00042'))).sha256 },
    });
    expect(body.signer.inn).toBe(tenant.inn ?? undefined);
    expect(body.reason).toBeUndefined();
    expect(Date.parse(body.signedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('gives the same PDF and the same signature every time', async () => {
    const again = await get(a, '/api/cabinet/invoices/2025-03?format=pdf&lang=ru');
    const sigAgain = await get(a, '/api/cabinet/invoices/2025-03/signature?lang=ru');
    expect(Buffer.compare(again.rawPayload, pdf)).toBe(0);
    expect(Buffer.compare(sigAgain.rawPayload, p7s)).toBe(0);
    const rows = await database.db
      .selectFrom('signed_document')
      .select(['kind', 'key', 'lang'])
      .where('contract_id', '=', contractOf('00042'))
      .execute();
    expect(rows).toEqual([{ kind: 'invoice', key: '2025-03', lang: 'ru' }]);
  });

  it('says digest_mismatch when one byte of the PDF changed', async () => {
    const changed = Buffer.from(pdf);
    changed[100] = (changed[100] ?? 0) ^ 0x01;
    const res = await verifyOnline({ document: changed, signature: p7s });
    expect(res.json()).toMatchObject({ valid: false, reason: 'digest_mismatch' });
    expect(res.json().signer).toBeUndefined();
  });

  it('says untrusted for a signature by a certificate of another CA, even naming the supplier', async () => {
    const tenant = await database.db
      .selectFrom('tenant')
      .select(['name', 'inn'])
      .where('id', '=', world.tenantId)
      .executeTakeFirstOrThrow();
    const forger = createLocalSigner(issueSigningCertificate(createRootCa(), tenant));
    const res = await verifyOnline({ document: pdf, signature: await forger.sign(pdf) });
    expect(res.json()).toMatchObject({ valid: false, reason: 'untrusted' });
  });

  it('answers a truncated .p7s with valid: false, malformed (200: the question was answered)', async () => {
    const res = await verifyOnline({ document: pdf, signature: p7s.subarray(0, p7s.length - 7) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ valid: false, reason: 'malformed' });
  });

  it('refuses a request without both files (400) or not multipart (415)', async () => {
    const one = await verifyOnline({ document: pdf });
    expect(one.statusCode).toBe(400);
    expect(one.json()).toMatchObject({ error: { code: 'SIGNATURE_FILES_REQUIRED' } });
    const json = await app.inject({
      method: 'POST',
      url: '/api/signatures/verify',
      payload: { document: 'x' },
    });
    expect(json.statusCode).toBe(415);
  });

  it.runIf(hasOpenssl())('is accepted by OpenSSL against the local root', async () => {
    writeFileSync(join(dir, 'x.pdf'), pdf);
    writeFileSync(join(dir, 'x.p7s'), p7s);
    writeFileSync(join(dir, 'root.pem'), (await trustedRootsPem(database.db)).join(''));
    const args = [
      ...['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'x.p7s')],
      ...['-content', join(dir, 'x.pdf'), '-CAfile', join(dir, 'root.pem'), '-purpose', 'any'],
      ...['-out', join(dir, 'out.pdf')],
    ];
    execFileSync('openssl', args, { stdio: 'pipe' });
    // …and refused once the PDF changed.
    const changed = Buffer.from(pdf);
    changed[100] = (changed[100] ?? 0) ^ 0x01;
    writeFileSync(join(dir, 'x.pdf'), changed);
    expect(() => execFileSync('openssl', args, { stdio: 'pipe' })).toThrow();
  });

  it('signs the reconciliation act too, and its .p7s verifies', async () => {
    const actPdf = await get(a, '/api/cabinet/acts?from=2025-01&to=2025-04&format=pdf&lang=en');
    expect(actPdf.statusCode, actPdf.body).toBe(200);
    expect(actPdf.headers['content-disposition']).toBe('inline; filename="act-00042-2025-01-2025-04.pdf"');
    const sig = await get(a, '/api/cabinet/acts/signature?from=2025-01&to=2025-04&lang=en');
    expect(sig.headers['content-type']).toBe('application/pkcs7-signature');
    expect(sig.headers['content-disposition']).toBe(
      'attachment; filename="act-00042-2025-01-2025-04.pdf.p7s"',
    );
    const res = await verifyOnline({ document: actPdf.rawPayload, signature: sig.rawPayload });
    expect(res.json()).toMatchObject({ valid: true });
    // The act's signature is not the invoice's.
    expect((await verifyOnline({ document: pdf, signature: sig.rawPayload })).json()).toMatchObject({
      valid: false,
      reason: 'digest_mismatch',
    });
  });

  it('signs nothing for an open period', async () => {
    const res = await get(a, '/api/cabinet/invoices/2025-05/signature');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'PERIOD_NOT_CLOSED' } });
    const act = await get(a, '/api/cabinet/acts/signature?from=2025-01&to=2025-05');
    expect(act.statusCode).toBe(409);
  });

  it('gives consumer B their own signed invoice, never A’s', async () => {
    const b = await consumer('42', '309999999');
    const bPdf = (await get(b, '/api/cabinet/invoices/2025-03?format=pdf&lang=ru')).rawPayload;
    const bSig = (await get(b, '/api/cabinet/invoices/2025-03/signature?lang=ru')).rawPayload;
    expect(Buffer.compare(bSig, p7s)).not.toBe(0);
    expect(Buffer.compare(bPdf, pdf)).not.toBe(0);
    expect((await verifyOnline({ document: bPdf, signature: bSig })).json()).toMatchObject({ valid: true });
    expect((await verifyOnline({ document: pdf, signature: bSig })).json()).toMatchObject({
      valid: false,
      reason: 'digest_mismatch',
    });
    const sig = await get(b, '/api/cabinet/invoices/2025-03/signature?lang=ru');
    expect(sig.headers['content-disposition']).toBe('attachment; filename="invoice-42-2025-03.pdf.p7s"');
  });

  it('archives concurrent first requests once, with one audit row, under one supplier key', async () => {
    const input = { ...invoiceInput('00042'), lang: 'uz-Cyrl' as const };
    const [x, y, z] = await Promise.all([
      signedInvoice(database.db, input),
      signedInvoice(database.db, input),
      signedInvoice(database.db, input),
    ]);
    expect(Buffer.compare(x.p7s, y.p7s)).toBe(0);
    expect(Buffer.compare(x.pdf, z.pdf)).toBe(0);
    const rows = await database.db
      .selectFrom('signed_document')
      .select('id')
      .where('contract_id', '=', input.contractId)
      .where('lang', '=', 'uz-Cyrl')
      .execute();
    expect(rows).toHaveLength(1);
    const audits = await database.db
      .selectFrom('audit_log')
      .select(['entity_id', 'actor_type'])
      .where('action', '=', 'document.sign')
      .where('entity_id', '=', String(rows[0]?.id))
      .execute();
    expect(audits).toEqual([{ entity_id: String(rows[0]?.id), actor_type: 'system' }]);
    const consumerAudit = await database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id'])
      .where('action', '=', 'document.sign')
      .where('actor_type', '=', 'consumer')
      .execute();
    expect(consumerAudit.length).toBeGreaterThanOrEqual(2);
    const keys = await database.db
      .selectFrom('signing_key')
      .select(['kind', 'tenant_id'])
      .orderBy('kind')
      .execute();
    expect(keys).toEqual([
      { kind: 'root', tenant_id: null },
      { kind: 'supplier', tenant_id: world.tenantId },
    ]);
  });
});

function contractOf(account: string): bigint {
  const found = world.accounts.get(account);
  if (!found) throw new Error(`no account ${account}`);
  return found.contractId;
}

function invoiceInput(account: string) {
  return {
    tenantId: world.tenantId,
    contractId: contractOf(account),
    period: parsePeriod('2025-03'),
    lang: 'ru' as const,
  };
}
