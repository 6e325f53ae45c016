import { type Logger, pino } from 'pino';
import { loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';

/** Global CLI options. */
export type GlobalOptions = { databaseUrl?: string | undefined; dataDir?: string | undefined };

/** A logger writing JSON lines to stderr (stdout stays clean for command output). */
export function cliLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'hisob' } }, pino.destination(2));
}

/** Opens and migrates the database the options point at. */
export async function openMigrated(opts: GlobalOptions, log: Logger): Promise<Database> {
  const config = loadConfig({ ...process.env, ...(opts.dataDir ? { DATA_DIR: opts.dataDir } : {}) });
  const database = await openDatabase({ url: opts.databaseUrl, dataDir: config.dataDir });
  const result = await migrate(database.db);
  if (result.applied.length > 0)
    log.info({ applied: result.applied, db: database.location }, 'migrations applied');
  return database;
}
