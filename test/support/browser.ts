import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { demoCopy } from './demo-template.ts';
import { type ServerProcess, startServer } from './server.ts';

export { demoCopy };

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
