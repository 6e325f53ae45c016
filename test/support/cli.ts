import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './server.ts';

/** Runs the `hisob` command of this checkout and waits for it (PGlite unless args say otherwise). */
export function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', ...env },
    timeout: 300_000,
  });
}

/** Temporary folders for one test file, removed by `remove()` (call it in afterAll). */
export function tempDirs() {
  const dirs: string[] = [];
  return {
    make(): string {
      const d = mkdtempSync(join(tmpdir(), 'hisob-cli-'));
      dirs.push(d);
      return d;
    },
    remove(): void {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
