import { readFile } from 'node:fs/promises';
import { openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { isAppError } from '../../domain/errors.ts';
import { ZScenario } from './scenario.schemas.ts';
import { setUpScenario } from './scenario.setup.ts';

/** How a scenario run ended: exit code and what goes to stdout (JSON only) and stderr. */
export type ScenarioOutcome = { code: 0 | 1 | 2; stdout: string; stderr: string };

/**
 * Runs a scenario file (billing-rules §12) on an empty in-memory database through the real
 * services. Exit 2 for an unreadable file or an invalid set-up, before any event runs.
 */
export async function runScenarioFile(path: string): Promise<ScenarioOutcome> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    return fail(`cannot read ${path} as JSON: ${(e as Error).message}`);
  }
  const parsed = ZScenario.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    return fail(`invalid scenario ${path}: ${issues}`);
  }
  const database = await openDatabase({});
  try {
    await migrate(database.db);
    const world = await setUpScenario(database.db, parsed.data);
    return fail(
      `scenario ${path}: set up ${world.tariffs.size} tariffs and ${world.accounts.size} accounts; ` +
        `running its ${parsed.data.events.length} events needs the billing engine, which is not built yet`,
    );
  } catch (e) {
    if (isAppError(e)) return fail(`invalid set-up in ${path}: ${e.code}: ${e.message}`);
    throw e;
  } finally {
    await database.close();
  }
}

function fail(message: string): ScenarioOutcome {
  return { code: 2, stdout: '', stderr: `${message}\n` };
}
