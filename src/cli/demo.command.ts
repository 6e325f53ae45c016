import { clearDemo, isDatabaseEmpty, loadDemo } from '../demo/demo.ts';
import { cliLogger, type GlobalOptions, openMigrated } from './runtime.ts';

/** `hisob demo`: replaces all data with the demo set; on PostgreSQL only with --force. */
export async function runDemo(
  opts: GlobalOptions & { force?: boolean | undefined; seed: string; consumers: string },
): Promise<void> {
  const consumers = Number(opts.consumers);
  if (!Number.isInteger(consumers) || consumers < 30 || consumers > 200_000) {
    process.stderr.write(`--consumers must be a whole number from 30 to 200000, not ${opts.consumers}\n`);
    process.exitCode = 2;
    return;
  }
  const log = cliLogger();
  const database = await openMigrated(opts, log);
  try {
    if (database.kind === 'postgres' && !opts.force && !(await isDatabaseEmpty(database.db))) {
      process.stderr.write(
        `Refusing to replace the data in ${database.location}: add --force to delete it and load the demo.\n`,
      );
      process.exitCode = 2;
      return;
    }
    await clearDemo(database.db);
    const started = Date.now();
    const summary = await loadDemo(database.db, { seed: Number(opts.seed) || 1, ...demoSize(consumers) });
    process.stdout.write(`${JSON.stringify({ ...summary, seconds: (Date.now() - started) / 1000 })}\n`);
  } finally {
    await database.close();
  }
}

/**
 * How `consumers` split like the standard demo's 2,060: 1,600 electricity households, 400
 * electricity legal entities and 60 heat legal entities.
 */
export function demoSize(consumers: number): { households: number; legal: number; heatLegal: number } {
  const heatLegal = Math.max(1, Math.round((consumers * 60) / 2060));
  const legal = Math.max(1, Math.round((consumers * 400) / 2060));
  return { households: consumers - legal - heatLegal, legal, heatLegal };
}
