import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

/** Which engine a database runs on. */
export type EngineKind = 'pglite' | 'postgres';

/** An open database: the typed query builder plus what the app needs to know about the engine. */
export type Database = {
  readonly db: Kysely<DB>;
  readonly kind: EngineKind;
  /** Where it lives: the PGlite folder ('memory' when in-process only) or the URL without password. */
  readonly location: string;
  close(): Promise<void>;
};

/** Options for openDatabase: a PostgreSQL URL, else PGlite in `dataDir` (or in memory). */
export type OpenDatabaseOptions = {
  url?: string | undefined;
  dataDir?: string | undefined;
  /** PGlite in memory started from a `dumpDataDir()` tarball instead of an empty cluster (tests). */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
};

const OID_INT8 = 20;
const OID_DATE = 1082;
const OID_INT8_ARRAY = 1016;

/** Opens PostgreSQL when `url` is given, else an embedded PGlite database. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10);
  return openPglite(options.dataDir, options.loadDataDir);
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  // Both engines hand bigint columns over as JS bigint and dates as 'YYYY-MM-DD' strings.
  const client = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: {
      [OID_INT8]: (v: string) => BigInt(v),
      [OID_DATE]: (v: string) => v,
    },
  });
  await client.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: 'pglite',
    location: dataDir ?? 'memory',
    close: async () => {
      await db.destroy();
      unlock();
    },
  };
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A pid file refuses the second opener while the first is alive; a stale file is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'hisob.pid');
  let holder: number | undefined;
  try {
    holder = Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    holder = undefined;
  }
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(`The database in ${dataDir} is in use by process ${holder}; stop it first`);
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === OID_INT8) return (v: string) => BigInt(v);
      if (oid === OID_DATE) return (v: string) => v;
      if (oid === OID_INT8_ARRAY) {
        const parseArray = (pg.types.getTypeParser as (oid: number) => (v: string) => unknown)(1009); // text[]
        return (v: string) => (parseArray(v) as string[]).map((x) => BigInt(x));
      }
      // biome-ignore lint/suspicious/noExplicitAny: pg's overloads do not accept a union format
      return pg.types.getTypeParser(oid, format as any);
    },
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    location: redactUrl(url),
    close: () => db.destroy(),
  };
}

/** The URL with its password replaced, for logs and /ready. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}
