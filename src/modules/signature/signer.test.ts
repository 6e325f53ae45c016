import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRootCa, issueSigningCertificate } from './local-ca.ts';
import { createLocalSigner, verifyDetached } from './signer.ts';

const root = createRootCa();
const supplier = issueSigningCertificate(root, { name: '«Oʻzbekiston» sotish AJ', inn: '301234567' });
const signer = createLocalSigner(supplier);
const data = new TextEncoder().encode('%PDF-1.7 an invoice');
const roots = [root.certificatePem];

/** Whether `openssl` is on this machine. */
function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'hisob-signer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the local signer and verifyDetached', () => {
  it('signs into a detached CMS that verifies, naming the supplier, its INN and the time', async () => {
    const before = Date.now();
    const p7s = await signer.sign(data);
    const result = await verifyDetached(data, p7s, roots);
    expect(result).toMatchObject({
      valid: true,
      signer: {
        commonName: '«Oʻzbekiston» sotish AJ',
        organization: '«Oʻzbekiston» sotish AJ',
        inn: '301234567',
        serialNumber: signer.certificate().serialNumber,
      },
    });
    expect(result.reason).toBeUndefined();
    const at = Date.parse(result.signedAt ?? '');
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('describes its certificate: name, INN, serial, validity, PEM', () => {
    const c = signer.certificate();
    expect(c).toMatchObject({ commonName: '«Oʻzbekiston» sotish AJ', inn: '301234567' });
    expect(c.serialNumber).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(c.notAfter) - Date.parse(c.notBefore)).toBeGreaterThan(4 * 365 * 86_400_000);
    expect(c.pem).toBe(supplier.certificatePem);
  });

  it('finds a changed byte of the document: digest_mismatch', async () => {
    const p7s = await signer.sign(data);
    const changed = Uint8Array.from(data);
    changed[3] = (changed[3] ?? 0) ^ 1;
    expect(await verifyDetached(changed, p7s, roots)).toEqual({ valid: false, reason: 'digest_mismatch' });
  });

  it('refuses a certificate of another CA: untrusted', async () => {
    const other = createRootCa({ commonName: 'hisob local test CA' });
    const forged = createLocalSigner(
      issueSigningCertificate(other, { name: '«Oʻzbekiston» sotish AJ', inn: '301234567' }),
    );
    expect(await verifyDetached(data, await forged.sign(data), roots)).toEqual({
      valid: false,
      reason: 'untrusted',
    });
    // …which the other CA would accept.
    expect((await verifyDetached(data, await forged.sign(data), [other.certificatePem])).valid).toBe(true);
  });

  it('refuses a signature made with a key other than the certificate’s: bad_signature', async () => {
    const stranger = issueSigningCertificate(root, { name: 'Stranger', inn: null });
    const wrong = createLocalSigner({
      certificatePem: supplier.certificatePem,
      privateKeyPem: stranger.privateKeyPem,
    });
    expect(await verifyDetached(data, await wrong.sign(data), roots)).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a signature made after the certificate expired: expired', async () => {
    const oldRoot = createRootCa({ notBefore: new Date('2019-01-01T00:00:00Z') });
    const old = issueSigningCertificate(
      oldRoot,
      { name: 'Old LLC', inn: '300000001' },
      { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') },
    );
    const oldRoots = [oldRoot.certificatePem];
    const late = createLocalSigner(old);
    expect(await verifyDetached(data, await late.sign(data), oldRoots)).toEqual({
      valid: false,
      reason: 'expired',
    });
    // Signed while it was valid, it still verifies now (no certificate was valid before the root).
    const inTime = createLocalSigner({ ...old, now: () => new Date('2020-06-01T10:00:00Z') });
    expect(await verifyDetached(data, await inTime.sign(data), oldRoots)).toMatchObject({
      valid: true,
      signedAt: '2020-06-01T10:00:00.000Z',
    });
  });

  it('calls a truncated or foreign file malformed', async () => {
    const p7s = await signer.sign(data);
    for (const bad of [p7s.subarray(0, p7s.length - 10), p7s.subarray(0, 40), new Uint8Array(), data]) {
      expect(await verifyDetached(data, bad, roots)).toEqual({ valid: false, reason: 'malformed' });
    }
  });

  it.runIf(hasOpenssl())('is accepted by OpenSSL (cms -verify with the root as CA file)', async () => {
    const p7s = await signer.sign(data);
    writeFileSync(join(dir, 'x.pdf'), data);
    writeFileSync(join(dir, 'x.p7s'), p7s);
    writeFileSync(join(dir, 'root.pem'), root.certificatePem);
    const out = execFileSync(
      'openssl',
      [
        ...['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'x.p7s')],
        ...['-content', join(dir, 'x.pdf'), '-CAfile', join(dir, 'root.pem'), '-purpose', 'any'],
        ...['-out', join(dir, 'out.bin')],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out.toString()).toBe('');
  });
});
