import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

/**
 * A fresh, migrated database for one test file: PGlite in memory, or — when TEST_DATABASE_URL
 * points at a PostgreSQL server — a throwaway database created on it and dropped on close.
 */
export async function openTestDatabase(opts: { migrated?: boolean } = {}): Promise<Database> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  let database: Database;
  let drop: (() => Promise<void>) | undefined;
  if (adminUrl) {
    const name = `hisob_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(adminUrl, `create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    database = await openDatabase({ url: url.toString(), poolSize: 4 });
    drop = () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  } else {
    database = await openDatabase({});
  }
  if (opts.migrated !== false) await migrate(database.db);
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
