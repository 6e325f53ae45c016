import * as asn1js from 'asn1js';
import type { Kysely, Transaction } from 'kysely';
import * as pkijs from 'pkijs';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { MIN_KEY_PASSWORD } from './consumer-key.ts';
import { issuePersonalCertificate, type KeyPair, localRoot, PINFL_OID } from './local-ca.ts';
import { createPfx } from './pkcs12.ts';
import { describeCertificate, OID, parseCertificate, type SignerCertificate } from './signer.ts';

// Demo and test keys of staff, standing in for their personal E-IMZO keys: a certificate from the
// local test CA naming the person (CN = full name, O = the supplier) and their PINFL under OID
// 1.2.860.3.16.1.2, as E-IMZO issues personal certificates, handed over as a password-protected
// `.pfx`. Used by `hisob staff-key`, the demo's /fake/keys page (DEMO_FAKES only) and the tests.
// See docs/decisions/013-reading-confirmation.md.

type Db = Kysely<DB> | Transaction<DB>;

/** A personal certificate (5 years) issued by the local root CA, with its private key. */
export async function issueStaffCertificate(
  db: Db,
  subject: { fullName: string; organization: string | null; pinfl: string },
): Promise<KeyPair> {
  return issuePersonalCertificate(await localRoot(db), subject);
}

/**
 * Issues a key for the staff user with this login (the supplier's code, when given, must be the
 * user's) and returns it as a `.pfx` under `password`. The user needs a PINFL.
 */
export async function issueStaffKey(
  db: Kysely<DB>,
  input: { login: string; tenant?: string | undefined; password: string },
): Promise<{ pfx: Uint8Array; certificate: SignerCertificate & { pinfl: string }; login: string }> {
  if (input.password.length < MIN_KEY_PASSWORD)
    throw new AppError('VALIDATION_FAILED', 'The key password is too short', {
      issues: `the password needs at least ${MIN_KEY_PASSWORD} characters`,
    });
  let q = db
    .selectFrom('app_user as u')
    .innerJoin('tenant as t', 't.id', 'u.tenant_id')
    .select(['u.login', 'u.full_name', 'u.pinfl', 't.name as tenant'])
    .where('u.login', '=', input.login.trim().toLowerCase());
  if (input.tenant) q = q.where('t.code', '=', input.tenant);
  const user = await q.executeTakeFirst();
  if (!user)
    throw new AppError('STAFF_KEY_UNKNOWN_USER', `Unknown user ${input.login}`, { login: input.login });
  if (!user.pinfl)
    throw new AppError('READING_CONFIRMER_NO_PINFL', `User ${user.login} has no PINFL`, {
      login: user.login,
    });
  const pair = await issueStaffCertificate(db, {
    fullName: user.full_name,
    organization: user.tenant,
    pinfl: user.pinfl,
  });
  const pfx = await createPfx(pair, input.password, { friendlyName: `${user.full_name} (${user.pinfl})` });
  return {
    pfx,
    certificate: {
      ...describeCertificate(parseCertificate(pair.certificatePem), pair.certificatePem),
      pinfl: user.pinfl,
    },
    login: user.login,
  };
}

const SHORT_NAMES: Record<string, string> = {
  [OID.commonName]: 'CN',
  [OID.organization]: 'O',
  [OID.country]: 'C',
  [OID.inn]: 'INN',
  [PINFL_OID]: 'PINFL',
};

/** A name's attributes as text, "CN=…, O=…, C=UZ, PINFL=…", in the certificate's order. */
function nameText(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => {
      const block = tv.value.valueBlock as { value?: unknown };
      const value = typeof block.value === 'string' ? block.value : '';
      return `${SHORT_NAMES[tv.type] ?? tv.type}=${value.replace(/([,+"\\<>;])/g, '\\$1')}`;
    })
    .join(', ');
}

/** Who signed a detached CMS, as its signer certificate names them; PINFL null when absent. */
export type SignerPerson = {
  subject: string;
  commonName: string;
  serialNumber: string;
  pinfl: string | null;
};

/**
 * The person of a CMS SignedData's (only) signer certificate, read from the signature bytes. Call
 * it on signatures `verifyDetached` found valid: it checks nothing itself. Null if none is found.
 */
export function signerPersonOf(p7s: Uint8Array): SignerPerson | null {
  try {
    const parsed = asn1js.fromBER(p7s);
    if (parsed.offset === -1) return null;
    const signedData = new pkijs.SignedData({
      schema: new pkijs.ContentInfo({ schema: parsed.result }).content,
    });
    const sid = signedData.signerInfos[0]?.sid;
    if (!(sid instanceof pkijs.IssuerAndSerialNumber)) return null;
    const cert = (signedData.certificates ?? []).find(
      (c): c is pkijs.Certificate =>
        c instanceof pkijs.Certificate &&
        c.issuer.isEqual(sid.issuer) &&
        c.serialNumber.isEqual(sid.serialNumber),
    );
    if (!cert) return null;
    const described = describeCertificate(cert, '');
    const pinfl = cert.subject.typesAndValues.find((tv) => tv.type === PINFL_OID);
    const pinflValue = (pinfl?.value.valueBlock as { value?: unknown } | undefined)?.value;
    return {
      subject: nameText(cert.subject),
      commonName: described.commonName,
      serialNumber: described.serialNumber,
      pinfl: typeof pinflValue === 'string' ? pinflValue : null,
    };
  } catch {
    return null;
  }
}
