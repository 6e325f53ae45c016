import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { PGliteDialect } from '../../src/db/pglite-dialect.ts';
import type { DB } from '../../src/db/schema.ts';
import { createFromTemplate, dropOtherTemplates, once } from './demo-template.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** A hash of the migrations, the PGlite version and today (migrations make partitions from today). */
function migrationsKey(): string {
  const h = createHash('sha256');
  const dir = join(ROOT, 'src', 'db', 'migrations');
  for (const name of readdirSync(dir).sort()) h.update(name).update(readFileSync(join(dir, name)));
  h.update(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  h.update(new Date().toISOString().slice(0, 10));
  return h.digest('hex').slice(0, 16);
}

/**
 * A migrated database to start from, made once per migrations version and day across all test
 * processes: a PGlite `dumpDataDir` tarball, or a PostgreSQL template database. Starting PGlite from
 * the tarball skips its initdb and the migrations, several times faster than both.
 */
async function migratedTemplate(adminUrl: string | undefined): Promise<{ dump: string; template: string }> {
  const key = migrationsKey();
  const dir = join(tmpdir(), `hisob-migrated-${adminUrl ? 'pg' : 'pglite'}-${key}`);
  const template = `hisob_migrated_tpl_${key}`;
  const dump = join(dir, 'migrated.tar.gz');
  await once(dir, async () => {
    await dropOtherTemplates(adminUrl, dir, template);
    if (adminUrl) {
      await adminQuery(adminUrl, `drop database if exists ${template} with (force)`);
      await adminQuery(adminUrl, `create database ${template}`);
      const url = new URL(adminUrl);
      url.pathname = `/${template}`;
      const database = await openDatabase({ url: url.toString(), poolSize: 1 });
      try {
        await migrate(database.db);
      } finally {
        await database.close();
      }
      return;
    }
    const client = new PGlite();
    const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
    try {
      await migrate(db);
      const tarball = await client.dumpDataDir('gzip');
      writeFileSync(dump, Buffer.from(await tarball.arrayBuffer()));
    } finally {
      await db.destroy();
    }
  });
  return { dump, template };
}

/**
 * A fresh, migrated database for one test file: PGlite in memory, or — when TEST_DATABASE_URL
 * points at a PostgreSQL server — a throwaway database created on it and dropped on close. Both
 * start from a copy of one migrated database (`migrated: false` gives an empty one).
 */
export async function openTestDatabase(opts: { migrated?: boolean } = {}): Promise<Database> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  let database: Database;
  let drop: (() => Promise<void>) | undefined;
  const migrated = opts.migrated !== false;
  const from = migrated ? await migratedTemplate(adminUrl) : null;
  if (adminUrl) {
    const name = `hisob_test_${randomBytes(6).toString('hex')}`;
    if (from) await createFromTemplate(adminUrl, name, from.template);
    else await adminQuery(adminUrl, `create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    database = await openDatabase({ url: url.toString(), poolSize: 4 });
    drop = () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  } else {
    database = await openDatabase(from ? { loadDataDir: new Blob([readFileSync(from.dump)]) } : {});
  }
  return {
    ...database,
    close: async () => {
      await database.close();
      await drop?.();
    },
  };
}

/** The engine the tests run on. */
export const TEST_ENGINE: 'pglite' | 'postgres' = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * In CI's PostgreSQL pass, an empty throwaway database on the server for a child process
 * (`hisob serve`, the CLI) to use through DATABASE_URL; in the PGlite pass, none (url null).
 */
export async function throwawayDatabase(): Promise<{ url: string | null; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return { url: null, drop: async () => {} };
  const name = `hisob_child_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

/**
 * A migrated database for a child process (the CLI, `hisob serve`): a PGlite folder in `dataDir`
 * started from the migrated template, or in CI's PostgreSQL pass a database of its own copied from
 * it (url set). Skips the child's own initdb and migrations.
 */
export async function migratedCopy(dataDir: string): Promise<{ url: string | null; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const from = await migratedTemplate(adminUrl);
  if (!adminUrl) {
    const database = await openDatabase({ dataDir, loadDataDir: new Blob([readFileSync(from.dump)]) });
    await database.close();
    return { url: null, drop: async () => {} };
  }
  const name = `hisob_child_${randomBytes(6).toString('hex')}`;
  await createFromTemplate(adminUrl, name, from.template);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}
