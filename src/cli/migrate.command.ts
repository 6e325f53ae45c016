import { ensurePartitions } from '../db/migrate.ts';
import { addPeriods, firstDay, periodInTashkent } from '../domain/period.ts';
import { cliLogger, type GlobalOptions, openMigrated } from './runtime.ts';

/** `hisob migrate`: applies pending migrations and creates the coming months' partitions. */
export async function runMigrate(opts: GlobalOptions): Promise<void> {
  const log = cliLogger();
  const database = await openMigrated(opts, log);
  try {
    const now = periodInTashkent();
    const created = await ensurePartitions(
      database.db,
      firstDay(addPeriods(now, -13)),
      firstDay(addPeriods(now, 3)),
    );
    log.info({ db: database.location, partitionsCreated: created }, 'database is up to date');
  } finally {
    await database.close();
  }
}
