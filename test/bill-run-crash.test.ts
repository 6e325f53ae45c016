import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { addPeriods, lastDay, periodInTashkent } from '../src/domain/period.ts';
import { demoCopy } from './support/demo-template.ts';
import { BIN } from './support/server.ts';

// A bill run killed with SIGKILL part-way, then run again, must end with exactly the bills and
// lines of a run that was never interrupted. Needs a PostgreSQL server (CI's second pass): a killed
// process cannot leave the embedded database in a state worth testing.
const ADMIN = process.env.TEST_DATABASE_URL;
const dropped: (() => Promise<void>)[] = [];

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** A database of its own holding the demo (a copy of the tests' demo template). */
async function database(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hisob-crash-'));
  const copy = await demoCopy(dir);
  dropped.push(async () => {
    await copy.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  if (!copy.url) throw new Error('TEST_DATABASE_URL is not set');
  return copy.url;
}

function cli(url: string, args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args, '--database-url', url], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 180_000,
  });
}

const lines = (url: string, period: string) =>
  query<{ k: string }>(
    url,
    `select k.number || ' ' || l.seq || ' ' || l.kind || ' ' || coalesce(l.quantity::text, '-') || ' ' || l.amount as k
       from bill_line l join bill b on b.id = l.bill_id join contract k on k.id = b.contract_id
      where b.period = '${period}' order by 1`,
  ).then((rows) => rows.map((r) => r.k));

afterAll(async () => {
  for (const drop of dropped) await drop();
});

describe.skipIf(!ADMIN)('a bill run killed part-way (PostgreSQL)', () => {
  it('loses nothing: the rerun continues the same run and ends as if never interrupted', async () => {
    const period = addPeriods(periodInTashkent(), -1); // the demo's open month
    const run = ['bill-run', '--period', period, '--tenant', 'uzenergo-sotish', '--on', lastDay(period)];
    const [crashed, reference] = [await database(), await database()];

    const whole = cli(reference, run);
    expect(whole.status, whole.stderr).toBe(0);

    // Small chunks, one at a time, so the kill lands between and inside chunks.
    const child = spawn(
      process.execPath,
      [BIN, ...run, '--chunk', '40', '--workers', '1', '--database-url', crashed],
      {
        env: { ...process.env, DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (b: Buffer) => {
        const m = /: (\d+) %/.exec(b.toString());
        if (m && Number(m[1]) >= 30 && child.exitCode === null) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    await exited;
    const [left] = await query<{ status: string; done: number; total: number }>(
      crashed,
      `select status, done, total from bill_run order by id desc limit 1`,
    );
    expect(left?.status).toBe('running');
    expect(left?.done).toBeGreaterThan(0);
    expect(left?.done).toBeLessThan(left?.total ?? 0);

    const rerun = cli(crashed, run);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('continuing an unfinished bill run');
    const runs = await query<{ n: string }>(crashed, `select count(*)::text as n from bill_run`);
    expect(runs[0]?.n).toBe('1');
    expect(await lines(crashed, period)).toEqual(await lines(reference, period));
  }, 300_000);
});
