import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenarioFile } from './scenario.runner.ts';

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
  it('sets up both spec scenarios through the services', async () => {
    for (const name of ['01-recalculation-penalty.json', '02-reactive-blocks-rollover.json']) {
      const outcome = await runScenarioFile(join(SPEC, name));
      expect(outcome.stderr).toMatch(/set up \d+ tariffs and \d+ accounts/);
    }
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
    const outcome = await runScenarioFile(file(`${code}.json`, scenario));
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
