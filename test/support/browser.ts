import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Browser, chromium, type Page } from 'playwright-core';
import { copyDemo } from './demo-template.ts';
import { type ServerProcess, startServer } from './server.ts';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A `hisob serve --demo` and Debian's chromium to walk it. */
export type DemoInBrowser = {
  server: ServerProcess;
  browser: Browser;
  newPage(width?: number, height?: number): Promise<Page>;
  close(): Promise<void>;
};

/** A copy of the demo data for one server: in `dataDir` (PGlite) or a PostgreSQL database of its own. */
export async function demoCopy(dataDir: string): Promise<{ url: string | null; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const name = adminUrl ? `hisob_child_${randomBytes(6).toString('hex')}` : null;
  await copyDemo({ dataDir, database: name });
  if (!adminUrl || !name) return { url: null, drop: async () => {} };
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Starts the demo (a copy of the demo data loaded once, see demo-template.ts) on PGlite in a temporary folder, or on a throwaway PostgreSQL database in CI's
 * PostgreSQL pass, and launches chromium.
 */
export async function demoInBrowser(): Promise<DemoInBrowser> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hisob-e2e-'));
  const database = await demoCopy(dataDir);
  const server = await startServer(['--demo'], {
    DATA_DIR: dataDir,
    ...(database.url ? { DATABASE_URL: database.url } : {}),
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    server,
    browser,
    newPage: async (width = 1280, height = 800) => {
      const context = await browser.newContext({ viewport: { width, height } });
      return context.newPage();
    },
    close: async () => {
      await browser.close();
      await server.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
