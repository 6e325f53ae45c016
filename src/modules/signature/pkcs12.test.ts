import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPfx, type PfxError, signDetached } from '../../../web/src/cabinet/pfx-sign.ts';
import { createRootCa, issueSigningCertificate } from './local-ca.ts';
import { createPfx } from './pkcs12.ts';
import { verifyDetached } from './signer.ts';

// The consumer's key file and the browser's signing (R6 function 7), run in Node through the very
// module the cabinet page loads (web/src/cabinet/pfx-sign.ts): WebCrypto is globalThis.crypto in
// both. OpenSSL, when installed, checks that both sides speak standard PKCS#12 and CMS.

const root = createRootCa();
const consumer = issueSigningCertificate(root, { name: 'Issiqlik MChJ', inn: '305030222' });
const dir = mkdtempSync(join(tmpdir(), 'hisob-pfx-'));
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const PDF = new TextEncoder().encode('%PDF-1.3 employee list per procedure No. 1031');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const problemOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'opened',
    (e: PfxError) => e.problem,
  );

describe('a consumer key file (PKCS#12) and signing with it in the browser', () => {
  it('opens the file the local CA makes and signs a detached CMS the server accepts, with the INN', async () => {
    const pfx = await createPfx(consumer, 'parol-2026', { friendlyName: 'Issiqlik MChJ' });
    const identity = await openPfx(pfx, 'parol-2026');
    expect(identity.holder).toMatchObject({ commonName: 'Issiqlik MChJ', inn: '305030222' });
    expect(identity.algorithm).toBe('ECDSA');
    // The certificate is valid from now on; the signing time keeps whole seconds.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 1700);
    const p7s = await signDetached(identity, PDF, { now: at });
    const result = await verifyDetached(PDF, p7s, [root.certificatePem], { now: at });
    expect(result).toMatchObject({
      valid: true,
      signer: { commonName: 'Issiqlik MChJ', inn: '305030222' },
      signedAt: new Date(at.getTime() - 700).toISOString(),
    });
    const changed = Uint8Array.from(PDF, (b, i) => (i === 5 ? b ^ 1 : b));
    expect(await verifyDetached(changed, p7s, [root.certificatePem], { now: at })).toEqual({
      valid: false,
      reason: 'digest_mismatch',
    });
  });

  it('keeps the key inside: the imported signing key cannot be exported', async () => {
    const identity = await openPfx(await createPfx(consumer, 'parol-2026'), 'parol-2026');
    expect(identity.privateKey.extractable).toBe(false);
    await expect(globalThis.crypto.subtle.exportKey('pkcs8', identity.privateKey)).rejects.toThrow();
  });

  it('says why a file cannot be used: wrong password, not a key file', async () => {
    const pfx = await createPfx(consumer, 'parol-2026');
    expect(await problemOf(openPfx(pfx, 'parol-2025'))).toBe('password');
    expect(await problemOf(openPfx(PDF, 'parol-2026'))).toBe('malformed');
    expect(await problemOf(openPfx(pfx.subarray(0, 200), 'parol-2026'))).toBe('malformed');
  });

  it.skipIf(!hasOpenssl)(
    'writes files OpenSSL reads, and reads and signs with keys OpenSSL writes',
    async () => {
      const ours = join(dir, 'ours.pfx');
      writeFileSync(ours, await createPfx(consumer, 'parol-2026'));
      const info = execFileSync('openssl', ['pkcs12', '-in', ours, '-passin', 'pass:parol-2026', '-nokeys'], {
        encoding: 'utf8',
      });
      expect(info).toContain('1.2.860.3.16.1.1 = 305030222');

      // An RSA key exported by OpenSSL 3 (PBES2/AES, the default), signed with in the "browser".
      const rsa = issueRsa();
      const theirs = join(dir, 'theirs.pfx');
      execFileSync('openssl', [
        'pkcs12',
        '-export',
        '-in',
        rsa.cert,
        '-inkey',
        rsa.key,
        '-out',
        theirs,
        '-passout',
        'pass:boshqa-parol',
      ]);
      const identity = await openPfx(readFileSync(theirs), 'boshqa-parol');
      expect(identity.algorithm).toBe('RSA');
      const p7s = await signDetached(identity, PDF);
      expect(await verifyDetached(PDF, p7s, [readFileSync(rsa.cert, 'utf8')])).toMatchObject({ valid: true });
      // And OpenSSL checks the browser's signature over the document.
      writeFileSync(join(dir, 'doc.pdf'), PDF);
      writeFileSync(
        join(dir, 'doc.pdf.p7s'),
        await signDetached(await openPfx(readFileSync(ours), 'parol-2026'), PDF),
      );
      writeFileSync(join(dir, 'root.pem'), root.certificatePem);
      const check = spawnSync('openssl', [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(dir, 'doc.pdf.p7s'),
        '-content',
        join(dir, 'doc.pdf'),
        '-CAfile',
        join(dir, 'root.pem'),
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ]);
      expect(check.status, check.stderr.toString()).toBe(0);
    },
  );
});

/** A self-signed RSA certificate and key made by OpenSSL, as PEM files. */
function issueRsa(): { cert: string; key: string } {
  const cert = join(dir, 'rsa-cert.pem');
  const key = join(dir, 'rsa-key.pem');
  execFileSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-subj',
    '/CN=RSA consumer',
    '-days',
    '2',
  ]);
  return { cert, key };
}
