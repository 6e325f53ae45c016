import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';
import { type OfficeLanguage, staffPage } from '../support/office.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-documents');

type Summary = { period: string; contracts: number; archived: number; to_do: number };

/**
 * Issue 6 point 5: after the close, the heat district's operator (billing.run) generates the last
 * closed period's documents on the Billing page, follows the job's progress to the end and
 * downloads the print pack; the company's accountant (billing.read) sees every document archived,
 * in Russian, and downloads the pack too.
 */
describe('a closed period’s documents on the Billing page', () => {
  let demo: DemoInBrowser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await demoInBrowser();
  }, 900_000);
  afterAll(async () => {
    await demo?.close();
  });

  const signIn = async (login: string, lang: OfficeLanguage): Promise<Page> =>
    (await staffPage(demo, SHOTS, login, lang, 1280)).page;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const json = async <T>(page: Page, path: string): Promise<T> => {
    const res = await page.request.get(`${demo.server.url}${path}`);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  };

  /** Downloads the print pack from the page and checks it is the unit's invoices in one PDF. */
  const downloadPack = async (page: Page, name: string, invoices: number): Promise<string> => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('print-pack').click(),
    ]);
    const path = join(SHOTS, `${name}.pdf`);
    await download.saveAs(path);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const pack = await PDFDocument.load(bytes);
    expect(pack.getPageCount()).toBeGreaterThanOrEqual(invoices);
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', path, join(SHOTS, `${name}-page`)]);
    return path;
  };

  it('generates the last closed period’s documents, follows the progress, downloads the print pack', async () => {
    const operator = await signIn('heat.operator', 'uz');
    const periods = await json<{ items: { period: string; status: string }[] }>(operator, '/api/periods');
    const last = periods.items.find((p) => p.status === 'closed')?.period;
    if (!last) throw new Error('the demo has no closed period');
    const before = await json<Summary>(operator, `/api/periods/${last}/documents?lang=uz`);
    expect(before.contracts).toBeGreaterThan(0);
    expect(before.archived).toBeLessThan(before.contracts);

    await operator.goto(`${demo.server.url}/billing`);
    const card = operator.getByTestId('period-documents');
    await card.waitFor();
    await expect.poll(() => operator.getByTestId('documents-period').inputValue()).toBe(last);
    await expect
      .poll(() => operator.getByTestId('documents-contracts').textContent())
      .toBe(String(before.contracts));
    await card.scrollIntoViewIfNeeded();
    await shot(operator, '01-documents-before-uz');

    await card.getByRole('button', { name: 'Hujjatlarni tayyorlash' }).click();
    const status = operator.getByTestId('documents-run-status');
    await status.waitFor();
    await shot(operator, '02-documents-progress-uz');
    await expect.poll(() => status.textContent(), { timeout: 240_000, interval: 1000 }).toBe('tugadi');
    await expect.poll(() => operator.getByTestId('documents-toDo').textContent()).toBe('0');
    expect(await operator.getByTestId('documents-archived').textContent()).toBe(String(before.contracts));
    await shot(operator, '03-documents-done-uz');

    const after = await json<Summary>(operator, `/api/periods/${last}/documents?lang=uz`);
    expect(after).toMatchObject({ contracts: before.contracts, archived: before.contracts, to_do: 0 });
    await downloadPack(operator, `print-pack-${last}-operator`, before.contracts);

    // The company's accountant reads it in Russian: all archived, and the same pack to print.
    const accountant = await signIn('heat.accountant', 'ru');
    await accountant.goto(`${demo.server.url}/billing`);
    const ruCard = accountant.getByTestId('period-documents');
    await ruCard.waitFor();
    await expect
      .poll(() => accountant.getByTestId('documents-archived').textContent())
      .toBe(String(before.contracts));
    expect(await ruCard.getByRole('button', { name: 'Сформировать документы' }).count()).toBe(0);
    await expect.poll(() => accountant.getByTestId('documents-run-status').textContent()).toBe('завершён');
    await ruCard.scrollIntoViewIfNeeded();
    await shot(accountant, '04-documents-accountant-ru');
    await downloadPack(accountant, `print-pack-${last}-accountant`, before.contracts);
  }, 420_000);
});
