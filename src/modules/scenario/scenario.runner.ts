import { readFile } from 'node:fs/promises';
import { type Database, openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { isAppError } from '../../domain/errors.ts';
import { orderEvents, runEvent, type ScenarioEvent } from './scenario.events.ts';
import { buildOutput, compareWithExpect } from './scenario.output.ts';
import { ZScenario } from './scenario.schemas.ts';
import { type ScenarioWorld, setUpScenario } from './scenario.setup.ts';

/** How a scenario run ended: exit code and what goes to stdout (JSON only) and stderr. */
export type ScenarioOutcome = { code: 0 | 1 | 2; stdout: string; stderr: string };

/**
 * Runs a scenario file (billing-rules §12) on an empty in-memory database through the real
 * services. Exit 2 for an unreadable file or an invalid set-up, before any event runs.
 */
export async function runScenarioFile(
  path: string,
  opts: { openDatabase?: () => Promise<Database> } = {},
): Promise<ScenarioOutcome> {
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
  // The tests pass a throwaway PostgreSQL database here to run every scenario on both engines.
  const database = await (opts.openDatabase ?? (() => openDatabase({})))();
  try {
    await migrate(database.db);
    let world: ScenarioWorld;
    try {
      world = await setUpScenario(database.db, parsed.data);
    } catch (e) {
      if (isAppError(e)) return fail(`invalid set-up in ${path}: ${e.code}: ${e.message}`);
      throw e;
    }
    const rejected: { event: number; error: string }[] = [];
    const warnings: { account: string; period: string; code: string }[] = [];
    for (const { event, index } of orderEvents(parsed.data.events as ScenarioEvent[])) {
      try {
        for (const w of await runEvent(database.db, world, event))
          warnings.push({ account: w.account, period: w.period, code: w.code });
      } catch (e) {
        if (!isAppError(e)) throw e;
        rejected.push({ event: index, error: `${e.code}: ${e.message}` });
      }
    }
    const accounts = await buildOutput(database.db, world);
    const result = { accounts, rejected, warnings };
    const stdout = `${JSON.stringify(result, null, 2)}\n`;
    if (parsed.data.expect === undefined) return { code: 0, stdout, stderr: '' };
    const diffs = compareWithExpect(result, parsed.data.expect);
    return diffs.length === 0
      ? { code: 0, stdout, stderr: '' }
      : { code: 1, stdout, stderr: `${diffs.map((d) => `differs: ${d}`).join('\n')}\n` };
  } finally {
    await database.close();
  }
}

function fail(message: string): ScenarioOutcome {
  return { code: 2, stdout: '', stderr: `${message}\n` };
}
