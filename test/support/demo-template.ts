import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { BIN } from './server.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/** A hash of everything that shapes the demo data: the server's code and today's date. */
function demoKey(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.endsWith('.test.ts')) h.update(p.slice(ROOT.length)).update(readFileSync(p));
    }
  };
  walk(join(ROOT, 'src'));
  h.update(new Date().toISOString().slice(0, 10));
  return h.digest('hex').slice(0, 16);
}

/**
 * Runs `build` once across all test processes for `key`: the first to take the lock builds, the
 * others wait for its `ready` mark (a builder that died leaves the lock; after 10 minutes it is
 * taken over).
 */
export async function once(dir: string, build: () => Promise<void>): Promise<void> {
  const ready = join(dir, 'ready');
  const lock = join(dir, 'lock');
  mkdirSync(dir, { recursive: true });
  for (const started = Date.now(); ; ) {
    if (existsSync(ready)) return;
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > 900_000) throw new Error(`demo template ${dir} not built in time`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (!existsSync(ready)) {
        await build();
        writeFileSync(ready, new Date().toISOString());
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Runs one statement on a PostgreSQL server. */
export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** `create database name template template`, retried while someone else is connected to the template. */
export async function createFromTemplate(adminUrl: string, name: string, template: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(adminUrl, `create database ${name} template ${template}`);
      return;
    } catch (e) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 250 + Math.random() * 500));
    }
  }
}

/** Templates of older code versions or days (older than an hour, so a parallel run keeps its own). */
export async function dropOtherTemplates(
  adminUrl: string | undefined,
  dir: string,
  template: string,
): Promise<void> {
  const prefix = dir.slice(0, dir.lastIndexOf('-') + 1);
  const dbPrefix = template.slice(0, template.lastIndexOf('_') + 1);
  for (const name of readdirSync(tmpdir())) {
    const p = join(tmpdir(), name);
    if (!p.startsWith(prefix) || p === dir) continue;
    if (Date.now() - statSync(p).mtimeMs > 3_600_000) rmSync(p, { recursive: true, force: true });
  }
  if (!adminUrl) return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const old = await client.query<{ datname: string }>(
      `select datname from pg_database where starts_with(datname, $2) and datname <> $1`,
      [template, dbPrefix],
    );
    for (const r of old.rows) {
      // Only the templates whose folder (their ready mark) is gone: a parallel run keeps its own.
      if (existsSync(`${prefix}${r.datname.slice(dbPrefix.length)}`)) continue;
      await client.query(`drop database if exists ${r.datname} with (force)`);
    }
  } finally {
    await client.end();
  }
}

/**
 * The demo data, loaded once per code version and day and copied for each browser test: a PGlite
 * folder copied into `dataDir`, or — in CI's PostgreSQL pass (TEST_DATABASE_URL) — a template
 * database that `create database … template` copies into `database`. Loading the demo takes
 * half a minute; a copy, a second.
 */
export async function copyDemo(target: { dataDir: string; database: string | null }): Promise<void> {
  const key = demoKey();
  const adminUrl = process.env.TEST_DATABASE_URL;
  const dir = join(tmpdir(), `hisob-demo-template-${adminUrl ? 'pg' : 'pglite'}-${key}`);
  const template = `hisob_demo_tpl_${key}`;
  await once(dir, async () => {
    await dropOtherTemplates(adminUrl, dir, template);
    const env = { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', DATA_DIR: join(dir, 'data') };
    if (adminUrl) {
      await adminQuery(adminUrl, `drop database if exists ${template} with (force)`);
      await adminQuery(adminUrl, `create database ${template}`);
      env.DATABASE_URL = withDatabase(adminUrl, template);
    }
    await run(process.execPath, [BIN, 'demo', '--force'], { env, cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  });
  if (adminUrl && target.database) {
    await createFromTemplate(adminUrl, target.database, template);
    return;
  }
  cpSync(join(dir, 'data'), target.dataDir, { recursive: true });
}

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
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}
