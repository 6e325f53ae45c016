import { clearDemo, isDatabaseEmpty, loadDemo } from '../demo/demo.ts';
import { cliLogger, type GlobalOptions, openMigrated } from './runtime.ts';

/** `hisob demo`: replaces all data with the demo set; on PostgreSQL only with --force. */
export async function runDemo(
  opts: GlobalOptions & { force?: boolean | undefined; seed: string },
): Promise<void> {
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
    const summary = await loadDemo(database.db, { seed: Number(opts.seed) || 1 });
    process.stdout.write(`${JSON.stringify({ ...summary, seconds: (Date.now() - started) / 1000 })}\n`);
  } finally {
    await database.close();
  }
}
