import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { addPeriods, lastDay, periodInTashkent } from '../src/domain/period.ts';
import { openPfx } from '../web/src/cabinet/pfx-sign.ts';
import { createOrgFixture, createUser } from './support/app.ts';
import { TEST_ENGINE, throwawayDatabase } from './support/db.ts';
import { demoCopy } from './support/demo-template.ts';
import { BIN, startServer } from './support/server.ts';

const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hisob-cli-'));
  dirs.push(d);
  return d;
}

function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', ...env },
    timeout: 300_000,
  });
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

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
    const dir = tempDir();
    expect(runCli(['migrate', '--data-dir', dir]).status).toBe(0);
    const again = runCli(['migrate', '--data-dir', dir]);
    expect(again.status).toBe(0);
    expect(again.stderr).not.toContain('migrations applied');
  });

  it('replaces all data with the demo set, again and again', async () => {
    // Over a copy of an earlier load (the tests' demo template, itself a `demo --force`): on
    // PostgreSQL (CI's second pass) a database of its own, where a load over data needs --force.
    const dir = tempDir();
    const database = await demoCopy(dir);
    try {
      const target = database.url ? ['--database-url', database.url] : ['--data-dir', dir];
      if (database.url) {
        const refused = runCli(['demo', ...target]);
        expect(refused.status).toBe(2);
        expect(refused.stderr).toMatch(/--force/);
      }
      const r = runCli(['demo', ...target, ...(database.url ? ['--force'] : [])]);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        tenants: 2,
        consumers: 2060,
        users: 23,
        closedPeriods: 22,
      });
    } finally {
      await database.drop();
    }
  }, 300_000);

  it('bills a district, then the rest of the supplier, and closes the period', async () => {
    const dir = tempDir();
    const database = await demoCopy(dir);
    const target = database.url ? ['--database-url', database.url] : ['--data-dir', dir];
    const first = addPeriods(periodInTashkent(), -1); // the demo's open month (the year before is closed)
    const on = lastDay(first);
    const base = ['bill-run', ...target, '--period', first, '--on', on];
    const ambiguous = runCli(base);
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toMatch(/--tenant/);

    const district = runCli([...base, '--tenant', 'uzenergo-sotish', '--org', 'TSH-CHL']);
    expect(district.status, district.stderr).toBe(0);
    const d = JSON.parse(district.stdout) as { run: { status: string; billed: number; total: number } };
    expect(d.run.status).toBe('done');
    expect(d.run.billed).toBeGreaterThan(100);
    expect(d.run.billed).toBe(d.run.total);
    expect(district.stderr).toMatch(/100 %/);

    const rest = runCli([...base, '--tenant', 'uzenergo-sotish', '--close']);
    expect(rest.status, rest.stderr).toBe(0);
    const r = JSON.parse(rest.stdout) as { run: { billed: number }; closed: { bills: number } };
    expect(r.run.billed).toBeGreaterThan(d.run.billed);
    expect(r.closed.bills).toBeGreaterThan(r.run.billed);

    const again = runCli([...base, '--tenant', 'uzenergo-sotish']);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/PERIOD_ALREADY_CLOSED/);
    await database.drop();
  }, 300_000);

  // The embedded database's folder, lock and first start; PostgreSQL's start is the browser test's.
  it.skipIf(TEST_ENGINE === 'postgres')(
    'starts with demo data on first start, reuses it after a graceful restart, and locks the folder',
    async () => {
      const dir = tempDir();
      const first = await startServer(['--demo'], { DATA_DIR: dir });
      try {
        expect(first.log()).toContain('demo data loaded');
        const ready = await fetch(`${first.url}/ready`);
        expect(await ready.json()).toMatchObject({ status: 'ok', db: 'pglite' });
        const login = await fetch(`${first.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login: 'operator.chilonzor', password: 'hisob-demo-2025' }),
        });
        expect(login.status).toBe(200);
        const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
        const consumers = await fetch(`${first.url}/api/consumers?limit=1`, { headers: { cookie } });
        expect(((await consumers.json()) as { total: number }).total).toBeGreaterThan(100);

        const second = runCli(['migrate', '--data-dir', dir]);
        expect(second.status).not.toBe(0);
        expect(second.stderr).toMatch(/in use by process/);
      } finally {
        await first.stop();
      }
      expect(await first.exited).toBe(0);
      expect(first.log()).toContain('"msg":"stopped"');

      const restarted = await startServer(['--demo'], { DATA_DIR: dir });
      try {
        expect(restarted.log()).not.toContain('demo data loaded');
        const res = await fetch(`${restarted.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login: 'admin', password: 'hisob-demo-2025' }),
        });
        expect(res.status).toBe(200);
      } finally {
        await restarted.stop();
      }
      expect(await restarted.exited).toBe(0);
    },
    300_000,
  );
});

describe('hisob staff-key', () => {
  it('writes a personal key (.pfx with the user’s PINFL) for a staff user, and refuses an unknown login', async () => {
    const database = await throwawayDatabase();
    try {
      const dir = tempDir();
      const target = database.url ? ['--database-url', database.url] : ['--data-dir', dir];
      expect(runCli(['migrate', ...target]).status).toBe(0);
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
      const out = join(tempDir(), 'operator.pfx');
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
