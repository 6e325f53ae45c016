import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/db.ts';
import { runScenarioFile } from './scenario.runner.ts';

/** The database of the test pass: in-memory PGlite, or a throwaway PostgreSQL database in CI's second pass. */
const engine = () => openTestDatabase();

/** The project's own scenario files (test/scenarios; files under pending/ are not run). */
const OWN = join(import.meta.dirname, '..', '..', '..', 'test', 'scenarios');
const OWN_FILES = readdirSync(OWN).filter((f) => f.endsWith('.json'));

const dir = mkdtempSync(join(tmpdir(), 'hisob-scenario-'));
const SPEC = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'spec', 'scenarios');

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const base = {
  tariffs: [
    { code: 'T', commodity: 'electricity', unit: 'kWh', versions: [{ from: '2025-01-01', price: '900.00' }] },
  ],
  accounts: [
    {
      account: '00042',
      name: 'Example LLC',
      inn: '301234567',
      category: 'legal',
      tariff: 'T',
      contract_volume: '10000',
      meters: [
        {
          serial: 'M1',
          digits: 6,
          multiplier: 40,
          installed: '2024-12-31',
          registers: { '1.8.0': '1000.00' },
        },
      ],
    },
  ],
  events: [],
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scenario set-up (billing-rules §12)', () => {
  it.each(OWN_FILES)('passes the project scenario file %s', async (name) => {
    const outcome = await runScenarioFile(join(OWN, name), { openDatabase: engine });
    expect(outcome.stderr, name).toBe('');
    expect(outcome.code, name).toBe(0);
  });

  it('passes both spec scenarios exactly', async () => {
    for (const name of ['01-recalculation-penalty.json', '02-reactive-blocks-rollover.json']) {
      const outcome = await runScenarioFile(join(SPEC, name), { openDatabase: engine });
      expect(outcome.stderr, name).toBe('');
      expect(outcome.code, name).toBe(0);
      expect(JSON.parse(outcome.stdout).accounts.length).toBeGreaterThan(0);
    }
  });

  it('exits 1 and names the difference when the result differs from expect', async () => {
    const spec = JSON.parse(readFileSync(join(SPEC, '01-recalculation-penalty.json'), 'utf8'));
    spec.expect.accounts[0].periods[2].lines[3].amount = '191000.01';
    spec.expect.rejected = 1;
    const outcome = await runScenarioFile(file('differs.json', spec), { openDatabase: engine });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('rejected: expected 1, got 0');
    expect(outcome.stderr).toMatch(/00042 2025-03 lines: expected .*191000\.01/);
    expect(JSON.parse(outcome.stdout).accounts[0].balance).toBe('3869135.66');
  });

  it('lists refused events without stopping the run, and prints without expect', async () => {
    const outcome = await runScenarioFile(
      file('refused.json', {
        ...base,
        events: [
          {
            date: '2025-01-20',
            type: 'reading',
            account: '00042',
            meter: 'M1',
            register: '1.8.0',
            value: '1250.00',
          },
          {
            date: '2025-01-21',
            type: 'reading',
            account: '00042',
            meter: 'M1',
            register: '1.8.0',
            value: '1200.00',
          },
          {
            date: '2025-01-22',
            type: 'reading',
            account: 'NOPE',
            meter: 'M1',
            register: '1.8.0',
            value: '1300.00',
          },
          { date: '2025-01-23', type: 'payment', account: '00042', channel: 'bank', id: 'X', amount: '1e3' },
          { date: '2025-01-31', type: 'close', period: '2025-01' },
          { date: '2025-01-31', type: 'close', period: '2025-01' },
        ],
      }),
      { openDatabase: engine },
    );
    expect(outcome.code).toBe(0);
    const result = JSON.parse(outcome.stdout);
    expect(result.rejected.map((r: { event: number }) => r.event)).toEqual([1, 2, 3, 5]);
    expect(result.rejected[3].error).toMatch(/^PERIOD_ALREADY_CLOSED/);
    expect(result.accounts[0].periods[0]).toMatchObject({ period: '2025-01', charges: '9000000.00' });
  });

  it.each([
    [
      'a tariff version not on the 1st',
      { ...base, tariffs: [{ ...base.tariffs[0], versions: [{ from: '2025-01-15', price: '1.00' }] }] },
      'TARIFF_VERSION_NOT_FIRST',
    ],
    ['an unknown tariff', { ...base, accounts: [{ ...base.accounts[0], tariff: 'NOPE' }] }, 'UNKNOWN_TARIFF'],
    [
      'a block tariff with a volume',
      {
        ...base,
        tariffs: [
          {
            ...base.tariffs[0],
            versions: [{ from: '2025-01-01', blocks: [{ upto: '200', price: '600' }, { price: '1000' }] }],
          },
        ],
      },
      'BLOCK_TARIFF_WITH_VOLUME',
    ],
    [
      'a malformed price',
      { ...base, tariffs: [{ ...base.tariffs[0], versions: [{ from: '2025-01-01', price: '9e2' }] }] },
      'INVALID_PRICE',
    ],
    [
      'a reading with three decimals',
      {
        ...base,
        accounts: [
          {
            ...base.accounts[0],
            meters: [{ ...base.accounts[0]?.meters[0], registers: { '1.8.0': '1.001' } }],
          },
        ],
      },
      'INVALID_READING',
    ],
    [
      'two versions from one day',
      {
        ...base,
        tariffs: [
          {
            ...base.tariffs[0],
            versions: [
              { from: '2025-01-01', price: '1' },
              { from: '2025-01-01', price: '2' },
            ],
          },
        ],
      },
      'TARIFF_VERSION_DUPLICATE',
    ],
  ])('stops with exit 2 before any event on %s', async (_name, scenario, code) => {
    const outcome = await runScenarioFile(file(`${code}.json`, scenario), { openDatabase: engine });
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toContain(`invalid set-up`);
    expect(outcome.stderr).toContain(code);
  });

  it('refuses a file that is not JSON or not a scenario', async () => {
    expect((await runScenarioFile(file('broken.json', '{"tariffs": ['))).stderr).toMatch(
      /cannot read .* as JSON/,
    );
    const wrong = await runScenarioFile(
      file('wrong.json', {
        tariffs: [{ code: 'T', versions: [{ from: '2025-01-01', price: '1', blocks: [] }] }],
      }),
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/invalid scenario/);
  });
});
