import { afterAll, describe, expect, it } from 'vitest';
import { addPeriods, lastDay, periodInTashkent } from '../src/domain/period.ts';
import { runCli, tempDirs } from './support/cli.ts';
import { demoCopy } from './support/demo-template.ts';

const dirs = tempDirs();
afterAll(() => dirs.remove());

describe('hisob bill-run', () => {
  it('bills a district, then the rest of the supplier, and closes the period', async () => {
    const dir = dirs.make();
    const database = await demoCopy(dir);
    const target = database.url ? ['--database-url', database.url] : ['--data-dir', dir];
    const first = addPeriods(periodInTashkent(), -1); // the demo's open month (the year before is closed)
    const on = lastDay(first);
    const base = ['bill-run', ...target, '--period', first, '--on', on];
    const ambiguous = runCli(base);
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toMatch(/--tenant/);

    const district = runCli([...base, '--tenant', 'uzenergo-sotish', '--org', 'TSH-CHL']);
    expect(district.status, district.stderr).toBe(0);
    const d = JSON.parse(district.stdout) as { run: { status: string; billed: number; total: number } };
    expect(d.run.status).toBe('done');
    expect(d.run.billed).toBeGreaterThan(100);
    expect(d.run.billed).toBe(d.run.total);
    expect(district.stderr).toMatch(/100 %/);

    const rest = runCli([...base, '--tenant', 'uzenergo-sotish', '--close']);
    expect(rest.status, rest.stderr).toBe(0);
    const r = JSON.parse(rest.stdout) as { run: { billed: number }; closed: { bills: number } };
    expect(r.run.billed).toBeGreaterThan(d.run.billed);
    expect(r.closed.bills).toBeGreaterThan(r.run.billed);

    const again = runCli([...base, '--tenant', 'uzenergo-sotish']);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/PERIOD_ALREADY_CLOSED/);
    await database.drop();
  }, 300_000);
});
