import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';
import { type OfficeLanguage, staffPage } from '../support/office.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-accounting');
/** The demo heat supplier's INN (src/demo/demo.ts, "Toshissiqquvvat AJ"). */
const HEAT_SELLER_INN = '201122334';

type Periods = { items: { period: string; status: string }[] };

/**
 * The accounting area in the browser (R12, R15, decision 016): the heat supplier's accountant
 * opens Accounting, sees the ledger turnover of the last closed period and downloads it as XLSX,
 * generates that period's e-invoices following the run to the end, and downloads one signed
 * e-invoice whose JSON names the seller's INN.
 */
describe('the accounting area in the office', () => {
  let demo: DemoInBrowser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // Loading the demo (when no copy of this code's demo is cached yet) now takes minutes.
    demo = await demoInBrowser();
  }, 900_000);
  afterAll(async () => {
    await demo?.close();
  });

  const signIn = async (login: string, lang: OfficeLanguage): Promise<Page> =>
    (await staffPage(demo, SHOTS, login, lang, 1400)).page;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('turnover → XLSX → e-invoices generated with progress → one JSON downloaded', async () => {
    const page = await signIn('heat.accountant', 'uz');
    const periods = (await (await page.request.get(`${demo.server.url}/api/periods`)).json()) as Periods;
    const lastClosed = periods.items
      .filter((p) => p.status === 'closed')
      .map((p) => p.period)
      .sort()
      .at(-1);
    if (!lastClosed) throw new Error('the demo has no closed period');

    // 1. Accounting from the navigation; the last closed period is chosen; the ledger has turnover.
    await page.getByRole('link', { name: 'Buxgalteriya' }).click();
    await page.waitForURL(/\/accounting$/);
    expect(await page.getByTestId('accounting-period').inputValue()).toBe(lastClosed);
    const synthetic = page.getByTestId('turnover-synthetic');
    await expect.poll(() => synthetic.locator('tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await synthetic.locator('tbody tr[data-account="4010"]').count()).toBe(1);
    expect(await page.getByTestId('turnover-analytic').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('turnover-total').textContent()).toMatch(/\d/);
    await shot(page, '01-turnover-uz');

    // 2. The XLSX download.
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('turnover-xlsx').click(),
    ]);
    expect(xlsx.suggestedFilename()).toBe(`turnover-${lastClosed}-${await homeUnit(page)}.xlsx`);
    const xlsxPath = await xlsx.path();
    expect(readFileSync(xlsxPath).subarray(0, 2).toString()).toBe('PK');

    // 3. The e-invoices of the period, generated and followed to the end.
    await page.getByTestId('tab-einvoices').click();
    await page.waitForURL(/\/accounting\/einvoices$/);
    await page.getByTestId('einvoice-generate').click();
    const status = page.getByTestId('einvoice-run-status');
    await expect
      .poll(() => status.getAttribute('data-status'), { timeout: 180_000, interval: 500 })
      .toBe('done');
    const progress = (await page.getByTestId('einvoice-progress').textContent()) ?? '';
    const [, done, total] = /(\d+) \/ (\d+)/.exec(progress) ?? [];
    expect(Number(total)).toBeGreaterThan(0);
    expect(done).toBe(total);
    const rows = page.getByTestId('einvoices').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(Number(total));
    await shot(page, '02-einvoices-uz');

    // 4. One e-invoice's signed JSON names the seller.
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      rows.first().getByTestId('einvoice-json').click(),
    ]);
    expect(json.suggestedFilename()).toMatch(/^esf-.+\.json$/);
    const esf = JSON.parse(readFileSync(await json.path(), 'utf8')) as { SellerTin: string };
    expect(esf.SellerTin).toBe(HEAT_SELLER_INN);
    const [p7s] = await Promise.all([
      page.waitForEvent('download'),
      rows.first().getByTestId('einvoice-p7s').click(),
    ]);
    expect(p7s.suggestedFilename()).toMatch(/\.json\.p7s$/);

    // 4a. All of them in one ZIP: a JSON and its signature per e-invoice.
    const [zip] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('einvoice-zip').click(),
    ]);
    expect(zip.suggestedFilename()).toBe(`esf-${lastClosed}.zip`);
    const files = Object.keys(unzipSync(new Uint8Array(readFileSync(await zip.path()))));
    expect(files).toHaveLength(2 * Number(total));
    expect(files.filter((f) => f.endsWith('.json.p7s'))).toHaveLength(Number(total));

    // 5. The same in Russian.
    const ru = await signIn('heat.accountant', 'ru');
    await ru.getByRole('link', { name: 'Бухгалтерия' }).click();
    await expect
      .poll(() => ru.getByTestId('turnover-synthetic').locator('tbody tr').count())
      .toBeGreaterThan(0);
    await shot(ru, '03-turnover-ru');
    await ru.getByTestId('tab-einvoices').click();
    await expect.poll(() => ru.getByTestId('einvoices').locator('tbody tr').count()).toBe(Number(total));
    // The run the other accountant started is listed after a new sign-in, done.
    const runs = ru.getByTestId('einvoice-runs').locator('tbody tr');
    expect(await runs.count()).toBe(1);
    expect(await runs.first().getAttribute('data-status')).toBe('done');
    expect(await runs.first().textContent()).toContain('Готово');
    await shot(ru, '04-einvoices-ru');
  }, 300_000);
});

/** The signed-in user's own org unit id (the turnover's default unit). */
async function homeUnit(page: Page): Promise<string> {
  const me = (await (await page.request.get(new URL('/api/auth/me', page.url()).toString())).json()) as {
    user: { orgUnit: { id: string } };
  };
  return me.user.orgUnit.id;
}
