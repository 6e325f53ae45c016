import { writeFileSync } from 'node:fs';
import { isAppError } from '../domain/errors.ts';
import { messageOf } from '../http/error-codes.ts';
import { issueConsumerKey } from '../modules/signature/consumer-key.ts';
import { cliLogger, type GlobalOptions, openMigrated } from './runtime.ts';

export type CabinetKeyOptions = GlobalOptions & {
  contract: string;
  supplier?: string | undefined;
  out: string;
  password: string;
};

/**
 * `hisob cabinet-key --contract N --out FILE.pfx --password PW`: issues a demo signing key for the
 * consumer of a contract from the local test CA (certificate with the consumer's INN) and writes
 * it as a password-protected PKCS#12 file; the certificate as JSON on stdout. Exit 2 when refused.
 */
export async function runCabinetKey(opts: CabinetKeyOptions): Promise<number> {
  const log = cliLogger();
  const database = await openMigrated(opts, log);
  try {
    const key = await issueConsumerKey(database.db, opts);
    writeFileSync(opts.out, key.pfx, { mode: 0o600 });
    const { pem: _pem, ...certificate } = key.certificate;
    process.stdout.write(
      `${JSON.stringify({ file: opts.out, account: key.account, supplier: key.supplier, certificate })}\n`,
    );
    return 0;
  } catch (e) {
    if (!isAppError(e)) throw e;
    process.stderr.write(`${messageOf(e.code, 'en', e.details, e.message)}\n`);
    return 2;
  } finally {
    await database.close();
  }
}
