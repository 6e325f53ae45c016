import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import * as asn1js from 'asn1js';
import type { Kysely, Transaction } from 'kysely';
import * as pkijs from 'pkijs';
import type { DB } from '../../db/schema.ts';
import {
  createLocalSigner,
  OID,
  parseCertificate,
  type Signer,
  signatureAlgorithmFor,
  toPem,
} from './signer.ts';

// The local test certificate authority of demo installations and tests: a root "hisob local test
// CA" and, per supplier, a signing certificate naming the supplier and its INN, all ECDSA P-256.
// Created on first use and kept in `signing_key` (migration 0006). A real deployment signs with
// the supplier's E-IMZO key instead (docs/decisions/004-signatures.md).

/** A certificate with its private key, both PEM. */
export type KeyPair = { certificatePem: string; privateKeyPem: string };

/** The root's subject. */
export const LOCAL_ROOT_NAME = 'hisob local test CA';

/** A person's PINFL (JShShIR) in Uzbek E-IMZO personal certificates. */
export const PINFL_OID = '1.2.860.3.16.1.2';

type NameSpec = {
  commonName: string;
  organization?: string | null;
  inn?: string | null;
  pinfl?: string | null;
};

const utf8 = (value: string) => new asn1js.Utf8String({ value });

function nameOf(spec: NameSpec): pkijs.RelativeDistinguishedNames {
  const typesAndValues = [
    new pkijs.AttributeTypeAndValue({
      type: OID.country,
      value: new asn1js.PrintableString({ value: 'UZ' }),
    }),
    ...(spec.organization
      ? [new pkijs.AttributeTypeAndValue({ type: OID.organization, value: utf8(spec.organization) })]
      : []),
    new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: utf8(spec.commonName) }),
    ...(spec.inn ? [new pkijs.AttributeTypeAndValue({ type: OID.inn, value: utf8(spec.inn) })] : []),
    ...(spec.pinfl ? [new pkijs.AttributeTypeAndValue({ type: PINFL_OID, value: utf8(spec.pinfl) })] : []),
  ];
  return new pkijs.RelativeDistinguishedNames({ typesAndValues });
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
const timeOf = (d: Date) => new pkijs.Time({ type: d.getUTCFullYear() < 2050 ? 0 : 1, value: d });

/** A positive 128-bit serial number. */
function randomSerial(): asn1js.Integer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return new asn1js.Integer({ valueHex: bytes });
}

function extension(extnID: string, critical: boolean, value: { toBER(): ArrayBuffer }): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER() });
}

/** Key usage bits as a DER BIT STRING (bit 0 = digitalSignature is the first byte's top bit). */
function keyUsage(byte: number): asn1js.BitString {
  let unused = 0;
  while (unused < 7 && (byte & (1 << unused)) === 0) unused++;
  return new asn1js.BitString({ valueHex: new Uint8Array([byte]), unusedBits: unused });
}

function keyIdOf(cert: pkijs.Certificate): Uint8Array {
  return createHash('sha1')
    .update(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
    .digest();
}

function newKeys(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** Builds and signs a certificate; returns it as PEM. */
function buildCertificate(input: {
  subject: pkijs.RelativeDistinguishedNames;
  issuer: pkijs.Certificate | null;
  publicKey: KeyObject;
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
}): string {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = randomSerial();
  cert.subject = input.subject;
  cert.issuer = input.issuer ? input.issuer.subject : input.subject;
  cert.notBefore = timeOf(input.notBefore);
  cert.notAfter = timeOf(input.notAfter);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(
    input.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const ownId = keyIdOf(cert);
  const issuerId = input.issuer ? keyIdOf(input.issuer) : ownId;
  cert.extensions = [
    extension(
      '2.5.29.19',
      true,
      new pkijs.BasicConstraints(input.ca ? { cA: true, pathLenConstraint: 0 } : {}).toSchema(),
    ),
    // keyCertSign + cRLSign for the root; digitalSignature + nonRepudiation for a signer.
    extension('2.5.29.15', true, keyUsage(input.ca ? 0x06 : 0xc0)),
    extension('2.5.29.14', false, new asn1js.OctetString({ valueHex: ownId })),
    extension(
      '2.5.29.35',
      false,
      new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: issuerId }),
      }).toSchema(),
    ),
  ];
  const algorithm = signatureAlgorithmFor(input.signingKey);
  cert.signature = algorithm;
  cert.signatureAlgorithm = algorithm;
  cert.tbsView = new Uint8Array(cert.encodeTBS().toBER());
  cert.signatureValue = new asn1js.BitString({ valueHex: sign('sha256', cert.tbsView, input.signingKey) });
  return toPem('CERTIFICATE', cert.toSchema().toBER());
}

const privatePem = (key: KeyObject) => String(key.export({ type: 'pkcs8', format: 'pem' }));

const addYears = (d: Date, years: number) => {
  const r = new Date(d);
  r.setUTCFullYear(r.getUTCFullYear() + years);
  return r;
};

/** A new self-signed root CA (20 years unless told). */
export function createRootCa(opts: { commonName?: string; notBefore?: Date; notAfter?: Date } = {}): KeyPair {
  const keys = newKeys();
  const notBefore = opts.notBefore ?? new Date();
  const certificatePem = buildCertificate({
    subject: nameOf({ commonName: opts.commonName ?? LOCAL_ROOT_NAME, organization: 'hisob' }),
    issuer: null,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    notBefore,
    notAfter: opts.notAfter ?? addYears(notBefore, 20),
    ca: true,
  });
  return { certificatePem, privateKeyPem: privatePem(keys.privateKey) };
}

/** A new signing certificate issued by `root` for a supplier (5 years unless told). */
export function issueSigningCertificate(
  root: KeyPair,
  subject: { name: string; inn: string | null },
  opts: { notBefore?: Date; notAfter?: Date } = {},
): KeyPair {
  const keys = newKeys();
  const notBefore = opts.notBefore ?? new Date();
  const certificatePem = buildCertificate({
    subject: nameOf({ commonName: subject.name, organization: subject.name, inn: subject.inn }),
    issuer: parseCertificate(root.certificatePem),
    publicKey: keys.publicKey,
    signingKey: createPrivateKey(root.privateKeyPem),
    notBefore,
    notAfter: opts.notAfter ?? addYears(notBefore, 5),
    ca: false,
  });
  return { certificatePem, privateKeyPem: privatePem(keys.privateKey) };
}

/**
 * A personal signing certificate issued by `root` (5 years unless told): `C=UZ, O=<organization>,
 * CN=<full name>, 1.2.860.3.16.1.2=<PINFL>`, as E-IMZO issues them to people.
 */
export function issuePersonalCertificate(
  root: KeyPair,
  subject: { fullName: string; organization: string | null; pinfl: string },
  opts: { notBefore?: Date; notAfter?: Date } = {},
): KeyPair {
  const keys = newKeys();
  const notBefore = opts.notBefore ?? new Date();
  const certificatePem = buildCertificate({
    subject: nameOf({
      commonName: subject.fullName,
      organization: subject.organization,
      pinfl: subject.pinfl,
    }),
    issuer: parseCertificate(root.certificatePem),
    publicKey: keys.publicKey,
    signingKey: createPrivateKey(root.privateKeyPem),
    notBefore,
    notAfter: opts.notAfter ?? addYears(notBefore, 5),
    ca: false,
  });
  return { certificatePem, privateKeyPem: privatePem(keys.privateKey) };
}

type Db = Kysely<DB> | Transaction<DB>;

/** The stored key of a kind for a tenant (null = the root), or undefined. */
async function storedKey(db: Db, tenantId: bigint | null, kind: 'root' | 'supplier') {
  return db
    .selectFrom('signing_key')
    .select(['id', 'certificate_pem', 'private_key_pem'])
    .where('kind', '=', kind)
    .where('tenant_id', tenantId === null ? 'is' : '=', tenantId)
    .executeTakeFirst();
}

/**
 * Stores a key created here unless another request stored one first, and returns the stored one:
 * concurrent first uses end with one row each.
 */
async function keepFirst(db: Db, tenantId: bigint | null, kind: 'root' | 'supplier', pair: KeyPair) {
  await db
    .insertInto('signing_key')
    .values({
      tenant_id: tenantId,
      kind,
      certificate_pem: pair.certificatePem,
      private_key_pem: pair.privateKeyPem,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await storedKey(db, tenantId, kind);
  if (!row) throw new Error(`signing_key ${kind} vanished`);
  return row;
}

/** The local root CA, created on first use. */
export async function localRoot(db: Db): Promise<KeyPair> {
  const row = (await storedKey(db, null, 'root')) ?? (await keepFirst(db, null, 'root', createRootCa()));
  return { certificatePem: row.certificate_pem, privateKeyPem: row.private_key_pem };
}

/** The roots a signature must chain to: the local root CA. */
export async function trustedRootsPem(db: Db): Promise<string[]> {
  return [(await localRoot(db)).certificatePem];
}

/** The signer of a supplier (its key and certificate created on first use) and the key's id. */
export async function supplierSigner(db: Db, tenantId: bigint): Promise<{ signer: Signer; keyId: bigint }> {
  let row = await storedKey(db, tenantId, 'supplier');
  if (!row) {
    const root = await localRoot(db);
    const tenant = await db
      .selectFrom('tenant')
      .select(['name', 'inn'])
      .where('id', '=', tenantId)
      .executeTakeFirstOrThrow();
    row = await keepFirst(db, tenantId, 'supplier', issueSigningCertificate(root, tenant));
  }
  return {
    signer: createLocalSigner({ certificatePem: row.certificate_pem, privateKeyPem: row.private_key_pem }),
    keyId: row.id,
  };
}
