import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { orderEvents, runEvent, type ScenarioEvent } from '../../src/modules/scenario/scenario.events.ts';
import { ZScenario } from '../../src/modules/scenario/scenario.schemas.ts';
import { type ScenarioWorld, setUpScenario } from '../../src/modules/scenario/scenario.setup.ts';
import { buildApp } from '../../src/server.ts';
import { openTestDatabase } from './db.ts';

/** The spec's scenario 01 (billing-rules §11): account 00042, INN 301234567, meter M1. */
export const SCENARIO_01 = join(
  import.meta.dirname,
  ...['..', '..', '..', 'shared', 'spec', 'scenarios', '01-recalculation-penalty.json'],
);

/** A second consumer of the same supplier: a copy of 00042's contract, without payments. */
export const OTHER = { account: '42', name: 'Other LLC', inn: '309999999', serial: 'X9' } as const;

/** Scenario 01 run through the real services, with OTHER beside it, and an app over that database. */
export type ScenarioApp = {
  database: Database;
  world: ScenarioWorld;
  app: FastifyInstance;
  contractOf(account: string): bigint;
  close(): Promise<void>;
};

/**
 * Builds scenario 01's world (events that the rules refuse are skipped, as the runner lists them)
 * with a second consumer, and an app on it. `withOther: false` leaves the scenario as it is;
 * `env` adds configuration (provider keys, say) to the app's.
 */
export async function scenarioApp(
  opts: { withOther?: boolean; env?: Record<string, string> } = {},
): Promise<ScenarioApp> {
  const database = await openTestDatabase();
  const spec = JSON.parse(readFileSync(SCENARIO_01, 'utf8')) as {
    accounts: { account: string; name: string; inn: string; meters: { serial: string }[] }[];
    events: ScenarioEvent[];
  };
  const first = spec.accounts[0];
  if (!first) throw new Error('scenario 01 has no account');
  if (opts.withOther !== false) {
    const meters = first.meters.map((m) => ({ ...m, serial: OTHER.serial }));
    spec.accounts.push({ ...first, account: OTHER.account, name: OTHER.name, inn: OTHER.inn, meters });
  }
  const scenario = ZScenario.parse(spec);
  const world = await setUpScenario(database.db, scenario);
  for (const { event } of orderEvents(scenario.events as ScenarioEvent[])) {
    try {
      await runEvent(database.db, world, event);
    } catch (e) {
      if (!isAppError(e)) throw e;
    }
  }
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent', ...opts.env }),
    database,
    logger: false,
  });
  await app.ready();
  return {
    database,
    world,
    app,
    contractOf: (account) => {
      const a = world.accounts.get(account);
      if (!a) throw new Error(`no account ${account}`);
      return a.contractId;
    },
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
