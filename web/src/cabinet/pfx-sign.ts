import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

// Signing in the browser with the consumer's key file (R6 function 7): a PKCS#12 `.pfx` and its
// password are opened here with WebCrypto and pkijs, the PDF's bytes are signed into a detached
// CMS SignedData of the same shape the server's signer makes (src/modules/signature/signer.ts:
// SHA-256, signed attributes contentType, signingTime, messageDigest in DER order, the
// certificate included), and only that signature leaves the page. The key is imported
// non-extractable and never sent anywhere. The cabinet loads this module with a dynamic import()
// so pkijs stays out of the main bundle; the tests run the same file in Node (WebCrypto is
// globalThis.crypto there too). See docs/decisions/009-employee-list.md.

type Subtle = typeof globalThis.crypto.subtle;
/** A WebCrypto key (the type is spelled this way so the file compiles for the browser and for Node). */
type Key = Awaited<ReturnType<Subtle['importKey']>>;

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  inn: '1.2.860.3.16.1.1',
  /** A person's PINFL in E-IMZO personal certificates. */
  pinfl: '1.2.860.3.16.1.2',
} as const;

const CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
};

/** Why a key file could not be used. */
export type PfxProblem = 'malformed' | 'password' | 'unsupported' | 'no_key';

/** A key file that could not be opened, with the reason the page translates. */
export class PfxError extends Error {
  readonly problem: PfxProblem;
  constructor(problem: PfxProblem, message: string) {
    super(message);
    this.name = 'PfxError';
    this.problem = problem;
  }
}

/** What the key file's certificate says about its holder. */
export type PfxHolder = {
  commonName: string;
  organization: string | null;
  inn: string | null;
  /** The person's PINFL (personal certificates), or null. */
  pinfl: string | null;
  serialNumber: string;
  notAfter: string;
};

/** An opened key file: the signing key (not extractable), its certificate and the chain it carries. */
export type PfxIdentity = {
  privateKey: Key;
  algorithm: 'ECDSA' | 'RSA';
  certificate: pkijs.Certificate;
  chain: pkijs.Certificate[];
  holder: PfxHolder;
};

const engine = () => new pkijs.CryptoEngine({ name: 'webcrypto', crypto: globalThis.crypto });

/** A fresh ArrayBuffer holding the bytes (WebCrypto and pkijs want ArrayBuffer, not a view). */
function bufferOf(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The first value of an attribute in a name, as text. */
function nameField(name: pkijs.RelativeDistinguishedNames, oid: string): string | null {
  const tv = name.typesAndValues.find((t) => t.type === oid);
  const block = tv?.value.valueBlock as { value?: unknown } | undefined;
  return typeof block?.value === 'string' ? block.value : null;
}

/** The holder a certificate names. */
export function holderOf(cert: pkijs.Certificate): PfxHolder {
  return {
    commonName: nameField(cert.subject, OID.commonName) ?? '',
    organization: nameField(cert.subject, OID.organization),
    inn: nameField(cert.subject, OID.inn),
    pinfl: nameField(cert.subject, OID.pinfl),
    serialNumber: hex(cert.serialNumber.valueBlock.valueHexView),
    notAfter: cert.notAfter.value.toISOString(),
  };
}

/** The WebCrypto import parameters of a private key, by its PKCS#8 algorithm. */
function importParams(info: pkijs.PrivateKeyInfo): { algorithm: 'ECDSA' | 'RSA'; params: object } {
  const id = info.privateKeyAlgorithm.algorithmId;
  if (id === OID.ecPublicKey) {
    const curveParam = info.privateKeyAlgorithm.algorithmParams;
    const curve = curveParam instanceof asn1js.ObjectIdentifier ? CURVES[curveParam.getValue()] : undefined;
    if (!curve) throw new PfxError('unsupported', 'unsupported elliptic curve');
    return { algorithm: 'ECDSA', params: { name: 'ECDSA', namedCurve: curve } };
  }
  if (id === OID.rsaEncryption)
    return { algorithm: 'RSA', params: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } };
  throw new PfxError('unsupported', `unsupported key algorithm ${id}`);
}

/** The public key bits of a private key (to find its certificate among those in the file). */
async function publicBitsOf(subtle: Subtle, der: ArrayBuffer, params: object): Promise<Uint8Array> {
  const key = await subtle.importKey('pkcs8', der, params as never, true, ['sign']);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...jwk } = await subtle.exportKey('jwk', key);
  const pub = await subtle.importKey('jwk', { ...jwk, key_ops: ['verify'] }, params as never, true, [
    'verify',
  ]);
  const spki = await subtle.exportKey('spki', pub);
  return pkijs.PublicKeyInfo.fromBER(spki).subjectPublicKey.valueBlock.valueHexView;
}

/** Decrypts a shrouded key bag with the password (pkijs keeps its own helper protected). */
async function decryptKeyBag(bag: pkijs.PKCS8ShroudedKeyBag, password: ArrayBuffer): Promise<ArrayBuffer> {
  const encrypted = new pkijs.EncryptedData({
    encryptedContentInfo: new pkijs.EncryptedContentInfo({
      contentType: OID.data,
      contentEncryptionAlgorithm: bag.encryptionAlgorithm,
      encryptedContent: bag.encryptedData,
    }),
  });
  return encrypted.decrypt({ password }, engine());
}

/** Maps a failure inside pkijs or WebCrypto onto a reason the page can show. */
function problemOf(e: unknown): PfxError {
  if (e instanceof PfxError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (
    /integrity|OperationError|decrypt|bad decrypt/i.test(message) ||
    (e as { name?: string })?.name === 'OperationError'
  )
    return new PfxError('password', message);
  if (/Unknown|Unsupported|not supported|contentEncryptionAlgorithm/i.test(message))
    return new PfxError('unsupported', message);
  return new PfxError('malformed', message);
}

/**
 * Opens a PKCS#12 file with its password: checks its MAC, decrypts the key (PBES2, as OpenSSL 3,
 * Windows and the local test CA write them) and finds the certificate of that key. Legacy
 * RC2/3DES-encrypted files are refused as `unsupported`.
 */
export async function openPfx(file: Uint8Array, passwordText: string): Promise<PfxIdentity> {
  const crypto = engine();
  const subtle = globalThis.crypto.subtle;
  const password = bufferOf(new TextEncoder().encode(passwordText));
  let pfx: pkijs.PFX;
  try {
    const parsed = asn1js.fromBER(bufferOf(file));
    if (parsed.offset === -1) throw new Error('not DER');
    pfx = new pkijs.PFX({ schema: parsed.result });
  } catch (e) {
    throw new PfxError('malformed', e instanceof Error ? e.message : String(e));
  }
  try {
    await pfx.parseInternalValues({ password, checkIntegrity: pfx.macData !== undefined }, crypto);
    const safe = pfx.parsedValue?.authenticatedSafe;
    if (!safe) throw new PfxError('malformed', 'no authenticated safe');
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password })) }, crypto);
    const bags = (safe.parsedValue.safeContents as { value: pkijs.SafeContents }[]).flatMap(
      (c) => c.value.safeBags,
    );
    const certificates = bags.flatMap((b) =>
      b.bagId === OID.certBag &&
      b.bagValue instanceof pkijs.CertBag &&
      b.bagValue.parsedValue instanceof pkijs.Certificate
        ? [b.bagValue.parsedValue]
        : [],
    );
    const keyBag = bags.find((b) => b.bagId === OID.shroudedKeyBag || b.bagId === OID.keyBag);
    if (!keyBag) throw new PfxError('no_key', 'the file holds no private key');
    const keyDer =
      keyBag.bagValue instanceof pkijs.PKCS8ShroudedKeyBag
        ? await decryptKeyBag(keyBag.bagValue, password)
        : bufferOf(new Uint8Array((keyBag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER()));
    const info = pkijs.PrivateKeyInfo.fromBER(keyDer);
    const { algorithm, params } = importParams(info);
    const bits = await publicBitsOf(subtle, keyDer, params);
    const certificate = certificates.find((c) =>
      sameBytes(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView, bits),
    );
    if (!certificate) throw new PfxError('no_key', 'no certificate for the private key');
    const privateKey = await subtle.importKey('pkcs8', keyDer, params as never, false, ['sign']);
    return {
      privateKey,
      algorithm,
      certificate,
      chain: certificates.filter((c) => c !== certificate),
      holder: holderOf(certificate),
    };
  } catch (e) {
    throw problemOf(e);
  }
}

/** An unsigned big-endian integer without leading zeros, with a 0 byte when the top bit is set. */
function derUnsigned(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  if ((trimmed[0] ?? 0) < 0x80) return trimmed;
  const padded = new Uint8Array(trimmed.length + 1);
  padded.set(trimmed, 1);
  return padded;
}

/** WebCrypto's ECDSA signature (r ‖ s) as the DER Ecdsa-Sig-Value that CMS carries. */
function ecdsaToDer(raw: Uint8Array): ArrayBuffer {
  const half = raw.length / 2;
  const r = new asn1js.Integer({ valueHex: bufferOf(derUnsigned(raw.subarray(0, half))) });
  const s = new asn1js.Integer({ valueHex: bufferOf(derUnsigned(raw.subarray(half))) });
  return new asn1js.Sequence({ value: [r, s] }).toBER();
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Signs `data` into a detached CMS SignedData (DER) with an opened key file. `now` is the clock of
 * the signingTime attribute (whole seconds).
 */
export async function signDetached(
  identity: PfxIdentity,
  data: Uint8Array,
  opts: { now?: Date } = {},
): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const digest = await subtle.digest('SHA-256', bufferOf(data));
  const at = new Date(Math.floor((opts.now ?? new Date()).getTime() / 1000) * 1000);
  const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });
  // DER orders a SET OF by encoding; OpenSSL re-encodes the set before checking, so keep DER order.
  const attributes = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(
      OID.signingTime,
      at.getUTCFullYear() < 2050
        ? new asn1js.UTCTime({ valueDate: at })
        : new asn1js.GeneralizedTime({ valueDate: at }),
    ),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: digest })),
  ]
    .map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER()) }))
    .sort((x, y) => compareBytes(x.der, y.der))
    .map((x) => x.a);
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  const toSign = new Uint8Array(signedAttrs.toSchema().toBER());
  toSign[0] = 0x31; // signed over as a SET, carried as [0] IMPLICIT
  const ecdsa = identity.algorithm === 'ECDSA';
  const raw = new Uint8Array(
    await subtle.sign(
      ecdsa ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' },
      identity.privateKey,
      toSign,
    ),
  );
  const cert = identity.certificate;
  const sha256 = () =>
    new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: sha256(),
    signedAttrs,
    signatureAlgorithm: ecdsa
      ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 })
      : new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: ecdsa ? ecdsaToDer(raw) : bufferOf(raw) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [cert, ...identity.chain],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signedData.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER());
}
