import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

// Detached CMS (PKCS#7) SignedData, as E-IMZO's client API produces (`create_pkcs7` with
// detached content): SHA-256, signed attributes contentType, signingTime and messageDigest, the
// signer's certificate included. pkijs is the typed ASN.1 model of CMS and X.509; the key
// operations are Node's own (OpenSSL), so no WebCrypto key handles are needed.
// See docs/decisions/004-signatures.md.

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecPublicKey: '1.2.840.10045.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  country: '2.5.4.6',
  /** The legal entity's INN (STIR) in Uzbek E-IMZO certificates. */
  inn: '1.2.860.3.16.1.1',
} as const;

/** What a signer's certificate says about it. */
export type SignerCertificate = {
  commonName: string;
  organization: string | null;
  inn: string | null;
  /** Hex, lower case. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  pem: string;
};

/** An E-IMZO-style signer: signs bytes into a detached CMS SignedData (DER). */
export type Signer = {
  sign(data: Uint8Array): Promise<Uint8Array>;
  certificate(): SignerCertificate;
};

/** Why a signature is not valid. */
export type VerifyReason = 'digest_mismatch' | 'bad_signature' | 'untrusted' | 'expired' | 'malformed';

/** The answer of `verifyDetached`; signer and time are given only for a valid signature. */
export type VerifyResult = {
  valid: boolean;
  reason?: VerifyReason;
  signer?: { commonName: string; organization: string | null; serialNumber: string; inn?: string };
  signedAt?: string;
};

/** DER bytes as PEM with the given label. */
export function toPem(label: string, der: Uint8Array | ArrayBuffer): string {
  const b64 = Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** The DER bytes of the first PEM block with the given label. */
export function fromPem(pem: string, label: string): Uint8Array {
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!m?.[1]) throw new Error(`no ${label} in PEM`);
  return new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

/** Parses one DER structure; refuses trailing bytes. */
function parseDer(der: Uint8Array): asn1js.AsnType {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || parsed.offset !== der.byteLength) throw new Error('not one DER structure');
  return parsed.result;
}

/** Parses a PEM certificate. */
export function parseCertificate(pem: string): pkijs.Certificate {
  return new pkijs.Certificate({ schema: parseDer(fromPem(pem, 'CERTIFICATE')) });
}

/** The public key of a certificate as a Node key. */
export function publicKeyOf(cert: pkijs.Certificate): KeyObject {
  const spki = Buffer.from(cert.subjectPublicKeyInfo.toSchema().toBER());
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

/** The signature algorithm (SHA-256 with the key's algorithm) for a key. */
export function signatureAlgorithmFor(key: KeyObject): pkijs.AlgorithmIdentifier {
  switch (key.asymmetricKeyType) {
    case 'ec':
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });
    case 'rsa':
      return new pkijs.AlgorithmIdentifier({
        algorithmId: OID.sha256WithRsa,
        algorithmParams: new asn1js.Null(),
      });
    default:
      throw new Error(`unsupported key type ${key.asymmetricKeyType}`);
  }
}

/** The first value of an attribute in a name, as text. */
function nameField(name: pkijs.RelativeDistinguishedNames, oid: string): string | null {
  const tv = name.typesAndValues.find((t) => t.type === oid);
  if (!tv) return null;
  const block = tv.value.valueBlock as { value?: unknown };
  return typeof block.value === 'string' ? block.value : null;
}

/** Hex of an INTEGER's content octets. */
function serialHex(serial: asn1js.Integer): string {
  return Buffer.from(serial.valueBlock.valueHexView).toString('hex');
}

/** What a certificate says about its holder. */
export function describeCertificate(cert: pkijs.Certificate, pem: string): SignerCertificate {
  return {
    commonName: nameField(cert.subject, OID.commonName) ?? '',
    organization: nameField(cert.subject, OID.organization),
    inn: nameField(cert.subject, OID.inn),
    serialNumber: serialHex(cert.serialNumber),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    pem,
  };
}

/** An attribute with one value. */
const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });

/** Compares byte arrays (DER SET OF order). */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * A signer holding its key and certificate in memory (the local test CA's, or any PEM pair).
 * `now` is the clock of the signingTime attribute (whole seconds, as UTCTime keeps them).
 */
export function createLocalSigner(opts: {
  certificatePem: string;
  privateKeyPem: string;
  now?: () => Date;
}): Signer {
  const cert = parseCertificate(opts.certificatePem);
  const key = createPrivateKey(opts.privateKeyPem);
  const described = describeCertificate(cert, opts.certificatePem);
  const now = opts.now ?? (() => new Date());
  return {
    certificate: () => described,
    async sign(data) {
      const digest = createHash('sha256').update(data).digest();
      const signingTime = new Date(Math.floor(now().getTime() / 1000) * 1000);
      // DER orders a SET OF by encoding; OpenSSL re-encodes the set before checking, so keep DER order.
      const attributes = [
        attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
        attribute(
          OID.signingTime,
          signingTime.getUTCFullYear() < 2050
            ? new asn1js.UTCTime({ valueDate: signingTime })
            : new asn1js.GeneralizedTime({ valueDate: signingTime }),
        ),
        attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: digest })),
      ]
        .map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER()) }))
        .sort((x, y) => compareBytes(x.der, y.der))
        .map((x) => x.a);
      const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
      const toSign = new Uint8Array(signedAttrs.toSchema().toBER());
      toSign[0] = 0x31; // signed over as a SET, carried as [0] IMPLICIT
      const signature = sign('sha256', toSign, key);
      const signerInfo = new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        digestAlgorithm: new pkijs.AlgorithmIdentifier({
          algorithmId: OID.sha256,
          algorithmParams: new asn1js.Null(),
        }),
        signedAttrs,
        signatureAlgorithm: signatureAlgorithmFor(key),
        signature: new asn1js.OctetString({ valueHex: signature }),
      });
      const signedData = new pkijs.SignedData({
        version: 1,
        digestAlgorithms: [
          new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() }),
        ],
        encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
        certificates: [cert],
        signerInfos: [signerInfo],
      });
      const contentInfo = new pkijs.ContentInfo({
        contentType: OID.signedData,
        content: signedData.toSchema(true),
      });
      return new Uint8Array(contentInfo.toSchema().toBER());
    },
  };
}

/** True when `cert` carries a signature made with `issuer`'s key and names it as issuer. */
export function isIssuedBy(cert: pkijs.Certificate, issuer: pkijs.Certificate): boolean {
  if (!cert.issuer.isEqual(issuer.subject)) return false;
  const hash = cert.signatureAlgorithm.algorithmId;
  if (hash !== OID.ecdsaWithSha256 && hash !== OID.sha256WithRsa) return false;
  try {
    return verify('sha256', cert.tbsView, publicKeyOf(issuer), cert.signatureValue.valueBlock.valueHexView);
  } catch {
    return false;
  }
}

/** True when the certificate says it may issue certificates. */
function isCa(cert: pkijs.Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.19');
  return ext?.parsedValue instanceof pkijs.BasicConstraints && ext.parsedValue.cA === true;
}

/** The chain from `leaf` up to one of `roots`, through certificates carried in the signature. */
function chainTo(
  leaf: pkijs.Certificate,
  roots: pkijs.Certificate[],
  carried: pkijs.Certificate[],
): pkijs.Certificate[] | null {
  const chain = [leaf];
  let current = leaf;
  for (let depth = 0; depth < 4; depth++) {
    const root = roots.find((r) => isIssuedBy(current, r));
    if (root) return [...chain, root];
    const next = carried.find((c) => c !== current && isCa(c) && isIssuedBy(current, c));
    if (!next) return null;
    chain.push(next);
    current = next;
  }
  return null;
}

type Parsed = {
  signerInfo: pkijs.SignerInfo;
  signerCert: pkijs.Certificate;
  carried: pkijs.Certificate[];
  messageDigest: Uint8Array;
  signingTime: Date | null;
};

/** Reads a detached SignedData with one signer, SHA-256 and signed attributes; throws if it is not one. */
function parseDetached(p7s: Uint8Array): Parsed {
  const contentInfo = new pkijs.ContentInfo({ schema: parseDer(p7s) });
  if (contentInfo.contentType !== OID.signedData) throw new Error('not SignedData');
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  if (signedData.encapContentInfo.eContent) throw new Error('not detached');
  const [signerInfo, ...more] = signedData.signerInfos;
  if (!signerInfo || more.length > 0) throw new Error('not one signer');
  if (signerInfo.digestAlgorithm.algorithmId !== OID.sha256) throw new Error('not SHA-256');
  const attrs = signerInfo.signedAttrs?.attributes ?? [];
  const one = (oid: string) => {
    const found = attrs.filter((a) => a.type === oid);
    if (found.length > 1 || (found[0] && found[0].values.length !== 1)) throw new Error(`repeated ${oid}`);
    return found[0]?.values[0];
  };
  const digest = one(OID.messageDigest);
  if (!(digest instanceof asn1js.OctetString)) throw new Error('no messageDigest');
  const contentType = one(OID.contentType);
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.getValue() !== OID.data)
    throw new Error('no contentType');
  const time = one(OID.signingTime);
  const signingTime =
    time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime ? time.toDate() : null;
  const carried = (signedData.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const sid = signerInfo.sid;
  if (!(sid instanceof pkijs.IssuerAndSerialNumber)) throw new Error('signer not by issuer and serial');
  const signerCert = carried.find(
    (c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber),
  );
  if (!signerCert) throw new Error('signer certificate missing');
  return { signerInfo, signerCert, carried, messageDigest: digest.valueBlock.valueHexView, signingTime };
}

/** Parses PEM roots, skipping none: a bad trusted root is a configuration error. */
function parseRoots(pems: string[]): pkijs.Certificate[] {
  return pems.map(parseCertificate);
}

/**
 * Verifies a detached CMS signature of `data` against trusted root certificates. Checks in order:
 * structure (malformed), the messageDigest (digest_mismatch), the signature over the signed
 * attributes (bad_signature), a chain to a trusted root (untrusted), and that every certificate of
 * the chain was valid at the signing time, which may not lie in the future (expired).
 */
export async function verifyDetached(
  data: Uint8Array,
  p7s: Uint8Array,
  trustedRootsPem: string[],
  opts: { now?: Date } = {},
): Promise<VerifyResult> {
  const roots = parseRoots(trustedRootsPem);
  let parsed: Parsed;
  try {
    parsed = parseDetached(p7s);
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  const { signerInfo, signerCert, carried, messageDigest, signingTime } = parsed;
  const digest = createHash('sha256').update(data).digest();
  if (!digest.equals(messageDigest)) return { valid: false, reason: 'digest_mismatch' };

  const algorithm = signerInfo.signatureAlgorithm.algorithmId;
  const known = [OID.ecdsaWithSha256, OID.ecPublicKey, OID.sha256WithRsa, OID.rsaEncryption] as string[];
  if (!known.includes(algorithm)) return { valid: false, reason: 'malformed' };
  const signedAttrs = signerInfo.signedAttrs;
  if (!signedAttrs) return { valid: false, reason: 'malformed' };
  let signatureOk = false;
  try {
    signatureOk = verify(
      'sha256',
      new Uint8Array(signedAttrs.encodedValue),
      publicKeyOf(signerCert),
      signerInfo.signature.valueBlock.valueHexView,
    );
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) return { valid: false, reason: 'bad_signature' };

  const chain = chainTo(signerCert, roots, carried);
  if (!chain) return { valid: false, reason: 'untrusted' };

  const now = opts.now ?? new Date();
  const at = signingTime ?? now;
  if (at.getTime() > now.getTime() + 5 * 60_000) return { valid: false, reason: 'malformed' };
  for (const c of chain) {
    if (at < c.notBefore.value || at > c.notAfter.value) return { valid: false, reason: 'expired' };
  }
  const who = describeCertificate(signerCert, '');
  return {
    valid: true,
    signer: {
      commonName: who.commonName,
      organization: who.organization,
      serialNumber: who.serialNumber,
      ...(who.inn ? { inn: who.inn } : {}),
    },
    signedAt: at.toISOString(),
  };
}
