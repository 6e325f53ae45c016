import { writeFileSync } from 'node:fs';
import { isAppError } from '../domain/errors.ts';
import { messageOf } from '../http/error-codes.ts';
import { issueStaffKey } from '../modules/signature/staff-key.ts';
import { cliLogger, type GlobalOptions, openMigrated } from './runtime.ts';

export type StaffKeyOptions = GlobalOptions & {
  login: string;
  tenant?: string | undefined;
  out: string;
  password: string;
};

/**
 * `hisob staff-key --login L --out FILE.pfx --password PW`: issues a demo personal signing key for
 * a staff user from the local test CA (certificate with the user's name and PINFL) and writes it
 * as a password-protected PKCS#12 file; the certificate as JSON on stdout. Exit 2 when refused.
 */
export async function runStaffKey(opts: StaffKeyOptions): Promise<number> {
  const log = cliLogger();
  const database = await openMigrated(opts, log);
  try {
    const key = await issueStaffKey(database.db, opts);
    writeFileSync(opts.out, key.pfx, { mode: 0o600 });
    const { pem: _pem, ...certificate } = key.certificate;
    process.stdout.write(`${JSON.stringify({ file: opts.out, login: key.login, certificate })}\n`);
    return 0;
  } catch (e) {
    if (!isAppError(e)) throw e;
    process.stderr.write(`${messageOf(e.code, 'en', e.details, e.message)}\n`);
    return 2;
  } finally {
    await database.close();
  }
}
