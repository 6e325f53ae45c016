import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { openPfx } from '../web/src/cabinet/pfx-sign.ts';
import { createOrgFixture, createUser } from './support/app.ts';
import { runCli, tempDirs } from './support/cli.ts';
import { migratedCopy } from './support/db.ts';

// The CLI's quick commands. Loading the demo and billing it through the CLI are in
// cli-demo.test.ts and cli-bill-run.test.ts, so that the slow parts run side by side.
const dirs = tempDirs();
afterAll(() => dirs.remove());

describe('the hisob command', () => {
  it('prints help for the program and for each command', { timeout: 180_000 }, () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    for (const cmd of ['serve', 'migrate', 'demo', 'scenario', 'bill-run'])
      expect(help.stdout).toContain(cmd);
    for (const cmd of [['serve'], ['migrate'], ['demo'], ['scenario', 'run'], ['bill-run']]) {
      const r = runCli([...cmd, '--help']);
      expect(r.status, cmd.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: hisob/);
    }
  });

  it('runs a scenario file: JSON only on stdout, exit 0 when it matches expect, 2 for a missing file', () => {
    const spec = join(
      import.meta.dirname,
      '..',
      '..',
      'shared',
      'spec',
      'scenarios',
      '01-recalculation-penalty.json',
    );
    const r = runCli(['scenario', 'run', spec]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).accounts[0]).toMatchObject({ account: '00042', balance: '3869135.66' });
    const missing = runCli(['scenario', 'run', 'nothing.json']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read nothing.json/);
  });

  it('migrates an embedded database folder and is idempotent', { timeout: 180_000 }, () => {
    const dir = dirs.make();
    expect(runCli(['migrate', '--data-dir', dir]).status).toBe(0);
    const again = runCli(['migrate', '--data-dir', dir]);
    expect(again.status).toBe(0);
    expect(again.stderr).not.toContain('migrations applied');
  });
});

describe('hisob staff-key', () => {
  it('writes a personal key (.pfx with the user’s PINFL) for a staff user, and refuses an unknown login', async () => {
    const dir = dirs.make();
    const database = await migratedCopy(dir);
    try {
      const target = database.url ? ['--database-url', database.url] : ['--data-dir', dir];
      const opened = await openDatabase(database.url ? { url: database.url } : { dataDir: dir });
      try {
        const f = await createOrgFixture(opened.db, 'cli-staff');
        const id = await createUser(opened.db, {
          tenantId: f.tenantId,
          login: 'operator.cli',
          role: 'operator',
          orgUnitId: f.units.n1.id,
        });
        await opened.db
          .updateTable('app_user')
          .set({ pinfl: '30101852600099' })
          .where('id', '=', id)
          .execute();
      } finally {
        await opened.close();
      }
      const out = join(dirs.make(), 'operator.pfx');
      const args = ['--out', out, '--password', 'secret-123'];
      const r = runCli(['staff-key', ...target, '--login', 'operator.cli', '--tenant', 'cli-staff', ...args]);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        file: out,
        login: 'operator.cli',
        certificate: { commonName: 'User operator.cli', pinfl: '30101852600099' },
      });
      const identity = await openPfx(new Uint8Array(readFileSync(out)), 'secret-123');
      expect(identity.holder).toMatchObject({ commonName: 'User operator.cli', pinfl: '30101852600099' });
      const unknown = runCli(['staff-key', ...target, '--login', 'nobody.here', ...args]);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(/no staff user with login nobody.here/);
    } finally {
      await database.drop();
    }
  }, 120_000);
});
