import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { KeyPair } from './local-ca.ts';
import { fromPem, parseCertificate } from './signer.ts';

// A certificate and its private key as a password-protected PKCS#12 (`.pfx`) file, the form in
// which E-IMZO and Windows hand keys to people: the key in a PBES2 (PBKDF2-SHA-256, AES-256-CBC)
// shrouded key bag, the certificate in a PBES2-encrypted safe, and an HMAC-SHA-256 over the whole
// (RFC 7292), as OpenSSL 3 writes them by default. Built with pkijs on Node's WebCrypto, in
// process, so demo installations need no openssl binary. See docs/decisions/009-employee-list.md.

const OID = {
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
} as const;

/** PBKDF2 iterations of the key and certificate encryption, and of the MAC. */
export const PFX_ITERATIONS = 100_000;

const engine = () => new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: globalThis.crypto });

const bufferOf = (bytes: Uint8Array): ArrayBuffer => {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
};

/** Builds a `.pfx` holding `pair` (PEM certificate and PKCS#8 key) under `password`. */
export async function createPfx(
  pair: KeyPair,
  password: string,
  opts: { friendlyName?: string; iterations?: number } = {},
): Promise<Uint8Array> {
  const crypto = engine();
  const iterations = opts.iterations ?? PFX_ITERATIONS;
  const secret = bufferOf(new TextEncoder().encode(password));
  const certificate = parseCertificate(pair.certificatePem);
  const keyInfo = pkijs.PrivateKeyInfo.fromBER(bufferOf(fromPem(pair.privateKeyPem, 'PRIVATE KEY')));
  // The same localKeyID on both bags ties the key to its certificate, as OpenSSL does.
  const keyId = createHash('sha1')
    .update(certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
    .digest();
  const bagAttributes = [
    new pkijs.Attribute({
      type: OID.localKeyId,
      values: [new asn1js.OctetString({ valueHex: bufferOf(keyId) })],
    }),
    ...(opts.friendlyName
      ? [
          new pkijs.Attribute({
            type: OID.friendlyName,
            values: [new asn1js.BmpString({ value: opts.friendlyName })],
          }),
        ]
      : []),
  ];
  const encryption = {
    password: secret,
    contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as const,
    hmacHashAlgorithm: 'SHA-256',
    iterationCount: iterations,
  };
  const shrouded = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: keyInfo });
  await shrouded.makeInternalValues(encryption, crypto);
  const keySafe = new pkijs.SafeContents({
    safeBags: [new pkijs.SafeBag({ bagId: OID.shroudedKeyBag, bagValue: shrouded, bagAttributes })],
  });
  const certSafe = new pkijs.SafeContents({
    safeBags: [
      new pkijs.SafeBag({
        bagId: OID.certBag,
        bagValue: new pkijs.CertBag({ parsedValue: certificate }),
        bagAttributes,
      }),
    ],
  });
  const authenticatedSafe = new pkijs.AuthenticatedSafe({
    parsedValue: {
      safeContents: [
        { privacyMode: 0, value: keySafe },
        { privacyMode: 1, value: certSafe },
      ],
    },
  });
  await authenticatedSafe.makeInternalValues({ safeContents: [{}, encryption] }, crypto);
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe } });
  await pfx.makeInternalValues(
    { password: secret, iterations, pbkdf2HashAlgorithm: { name: 'SHA-256' }, hmacHashAlgorithm: 'SHA-256' },
    crypto,
  );
  return new Uint8Array(pfx.toSchema().toBER());
}
