import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { AppError } from '../domain/errors.ts';

/** The folder of numbered, frozen SQL migrations. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** A migration file: `NNNN_name.sql`. */
export type MigrationFile = { name: string; sql: string; checksum: string };

/** Reads the migration files in order. */
export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

/** Result of a migration run. */
export type MigrateResult = { applied: string[]; alreadyApplied: number };

// A fixed key for the advisory lock that keeps two starting nodes from migrating at once.
const MIGRATION_LOCK_KEY = 4_711_020_251;

/**
 * Applies every migration not yet applied, each in its own transaction, under an advisory lock.
 * An applied file whose text changed since is refused: migrations are frozen.
 */
// biome-ignore lint/suspicious/noExplicitAny: runs before the typed schema exists
export async function migrate(db: Kysely<any>, files = readMigrations()): Promise<MigrateResult> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists schema_migration (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const done = await sql<{
        name: string;
        checksum: string;
      }>`select name, checksum from schema_migration`.execute(conn);
      const known = new Map(done.rows.map((r) => [r.name, r.checksum]));
      const applied: string[] = [];
      for (const file of files) {
        const checksum = known.get(file.name);
        if (checksum !== undefined) {
          if (checksum !== file.checksum) {
            throw new AppError(
              'MIGRATION_CHANGED',
              `Migration ${file.name} was changed after it was applied; add a new migration instead`,
              { migration: file.name },
            );
          }
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await sql.raw(file.sql).execute(trx);
          await sql`insert into schema_migration (name, checksum) values (${file.name}, ${file.checksum})`.execute(
            trx,
          );
        });
        applied.push(file.name);
      }
      return { applied, alreadyApplied: known.size };
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

/** Creates the monthly partitions for a range of months (inclusive); returns how many were new. */
// biome-ignore lint/suspicious/noExplicitAny: works on any schema version that has the function
export async function ensurePartitions(db: Kysely<any>, from: string, to: string): Promise<number> {
  const r = await sql<{
    n: number;
  }>`select hisob_ensure_month_partitions(${from}::date, ${to}::date) as n`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
