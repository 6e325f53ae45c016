import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { runCli, tempDirs } from './support/cli.ts';
import { TEST_ENGINE } from './support/db.ts';
import { demoCopy } from './support/demo-template.ts';
import { startServer } from './support/server.ts';

const dirs = tempDirs();
afterAll(() => dirs.remove());

describe('hisob demo', () => {
  it('replaces all data with the demo set, again and again', async () => {
    // Over a copy of an earlier load (the tests' demo template, itself a `demo --force`): on
    // PostgreSQL (CI's second pass) a database of its own, where a load over data needs --force.
    const dir = dirs.make();
    const database = await demoCopy(dir);
    try {
      const target = database.url ? ['--database-url', database.url] : ['--data-dir', dir];
      if (database.url) {
        const refused = runCli(['demo', ...target]);
        expect(refused.status).toBe(2);
        expect(refused.stderr).toMatch(/--force/);
      }
      const bad = runCli(['demo', ...target, '--force', '--consumers', '5']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/--consumers must be a whole number from 30/);
      // The template is the full demo (2,060 consumers); replacing it with a smaller one shows
      // that nothing of the old data is left, and loads in a fraction of the time.
      const r = runCli(['demo', ...target, ...(database.url ? ['--force'] : []), '--consumers', '120']);
      expect(r.status, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout);
      expect(summary).toMatchObject({
        tenants: 2,
        consumers: 120,
        contracts: 120,
        users: 23,
        closedPeriods: 22,
      });
      const opened = await openDatabase(database.url ? { url: database.url } : { dataDir: dir });
      try {
        const counts = await sql<{ consumers: string; claims: string; tenants: string }>`
          select (select count(*) from consumer)::text as consumers, (select count(*) from claim)::text as claims,
                 (select count(*) from tenant)::text as tenants`.execute(opened.db);
        expect(counts.rows[0]).toMatchObject({ consumers: '120', tenants: '2' });
        expect(Number(counts.rows[0]?.claims)).toBeLessThanOrEqual(8);
      } finally {
        await opened.close();
      }
    } finally {
      await database.drop();
    }
  }, 300_000);

  // The embedded database's folder, lock and first start; PostgreSQL's start is the browser test's.
  it.skipIf(TEST_ENGINE === 'postgres')(
    'starts with demo data on first start, reuses it after a graceful restart, and locks the folder',
    async () => {
      const dir = dirs.make();
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
