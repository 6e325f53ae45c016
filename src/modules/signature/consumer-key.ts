import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { issueSigningCertificate, type KeyPair, localRoot } from './local-ca.ts';
import { createPfx } from './pkcs12.ts';
import { describeCertificate, parseCertificate, type SignerCertificate } from './signer.ts';

// Demo and test keys of legal-entity consumers, standing in for their E-IMZO keys: a certificate
// from the local test CA naming the consumer and its INN (OID 1.2.860.3.16.1.1, as E-IMZO puts
// it), handed over as a password-protected `.pfx`. Used by `hisob cabinet-key` and the tests;
// nothing here is reachable over HTTP. See docs/decisions/009-employee-list.md.

type Db = Kysely<DB> | Transaction<DB>;

/** A consumer certificate (5 years) issued by the local root CA, with its private key. */
export async function issueConsumerCertificate(
  db: Db,
  subject: { name: string; inn: string },
): Promise<KeyPair> {
  return issueSigningCertificate(await localRoot(db), subject);
}

/** The shortest password a key file may have. */
export const MIN_KEY_PASSWORD = 6;

/**
 * Issues a key for the consumer of a contract (number as issued; the supplier's code when the
 * number exists at several) and returns it as a `.pfx` under `password`.
 */
export async function issueConsumerKey(
  db: Kysely<DB>,
  input: { contract: string; supplier?: string | undefined; password: string },
): Promise<{ pfx: Uint8Array; certificate: SignerCertificate; account: string; supplier: string }> {
  if (input.password.length < MIN_KEY_PASSWORD)
    throw new AppError('VALIDATION_FAILED', 'The key password is too short', {
      issues: `the password needs at least ${MIN_KEY_PASSWORD} characters`,
    });
  let q = db
    .selectFrom('contract as k')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('tenant as t', 't.id', 'k.tenant_id')
    .select(['k.number', 'c.name', 'c.inn', 't.code'])
    .where('k.number', '=', input.contract);
  if (input.supplier) q = q.where('t.code', '=', input.supplier);
  const found = await q.execute();
  if (found.length > 1)
    throw new AppError('CABINET_SUPPLIER_REQUIRED', 'The contract number exists at several suppliers', {
      suppliers: found.map((f) => f.code).join(', '),
    });
  const contract = found[0];
  if (!contract)
    throw new AppError('UNKNOWN_ACCOUNT', `Unknown contract ${input.contract}`, { account: input.contract });
  if (!contract.inn)
    throw new AppError('VALIDATION_FAILED', 'The consumer has no INN', {
      issues: `the consumer of contract ${contract.number} has no INN`,
    });
  const pair = await issueConsumerCertificate(db, { name: contract.name, inn: contract.inn });
  const pfx = await createPfx(pair, input.password, { friendlyName: `${contract.name} (${contract.inn})` });
  return {
    pfx,
    certificate: describeCertificate(parseCertificate(pair.certificatePem), pair.certificatePem),
    account: contract.number,
    supplier: contract.code,
  };
}
