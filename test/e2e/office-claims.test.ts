import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';
import { shotsDir, staffPage, WAIT } from '../support/office.ts';

// R11 in the browser: the Toshkent lawyer (in Russian) opens the debtor list of the Chilonzor
// district, opens a warning letter for a debtor without an open claim, downloads its PDF and marks
// it sent; the Chilonzor clerk then sees the letter on the account's Vitrina (R14).

const SHOTS = shotsDir('office-claims');

type Unit = { id: string; code: string };

describe('claims in the office', () => {
  let demo: DemoInBrowser;

  beforeAll(async () => {
    demo = await demoInBrowser();
    // A loaded machine builds the demo template slowly (once per source version and day).
  }, 900_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('lawyer: debtors → new warning letter → PDF → sent; the clerk sees it on the Vitrina', async () => {
    const url = demo.server.url;
    const lawyer = await staffPage(demo, SHOTS, 'lawyer.toshkent', 'ru', 1400);
    const page = lawyer.page;
    expect(await lawyer.menu()).toContain('/claims');

    // 1. The debtor list from the navigation; the demo's claims are there too.
    await page.getByRole('link', { name: 'Претензии и иски' }).click();
    await page.waitForURL(/\/claims$/);
    const rows = page.getByTestId('debtors-table').locator('tbody tr');
    await expect.poll(() => rows.count(), WAIT).toBeGreaterThan(0);
    await lawyer.shot('01-debtors-ru');

    // 2. Chilonzor's debtors without an open claim.
    const units = await lawyer.json<{ items: Unit[] }>('/api/org-units');
    const chilonzor = units.items.find((u) => u.code === 'TSH-CHL');
    if (!chilonzor) throw new Error('no Chilonzor unit');
    await page.getByLabel('Подразделение').selectOption(chilonzor.id);
    await page.getByTestId('debtors-has-claim').selectOption('false');
    // The table shows what the API answers for the same filters, largest debt first.
    const listed = await lawyer.json<{
      items: { contract: string; contractId: string; openClaims: number }[];
    }>(
      `/api/claims/debtors?orgUnitId=${chilonzor.id}&hasOpenClaim=false&minDays=30&sort=debt&dir=desc&limit=5`,
    );
    const debtor = listed.items[0];
    if (!debtor) throw new Error('no debtor without a claim in Chilonzor');
    expect(debtor.openClaims).toBe(0);
    const contract = debtor.contract;
    await expect
      .poll(async () => ((await rows.first().locator('td').first().textContent()) ?? '').trim(), WAIT)
      .toBe(contract);

    // 3. The debtors as XLSX.
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Выгрузить в XLSX' }).click(),
    ]);
    expect(
      readFileSync(await xlsx.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    // 4. A warning letter for that debtor: the form opens the new claim's card.
    await page.getByTestId(`new-claim-${contract}`).click();
    await page.getByTestId('new-claim-form').waitFor(WAIT);
    expect(await page.getByTestId('new-claim-kind').inputValue()).toBe('warning_letter');
    await lawyer.shot('02-new-claim-ru');
    await page.getByTestId('new-claim-submit').click();
    await page.waitForURL(/\/claims\/\d+$/, WAIT);
    const claimId = /\/claims\/(\d+)$/.exec(page.url())?.[1] ?? '';
    const status = page.getByTestId('claim-status');
    await expect.poll(() => status.getAttribute('data-status'), WAIT).toBe('draft');
    const number = ((await page.getByTestId('claim-number').textContent()) ?? '')
      .replace(/^.*№\s*/, '')
      .trim();
    expect(number).toMatch(/^OGH-\d{4}-\d{5}$/);
    await lawyer.shot('03-claim-draft-ru');

    // 5. The printable letter.
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('claim-pdf').click()]);
    const pdfPath = join(SHOTS, 'warning-letter.pdf');
    await pdf.saveAs(pdfPath);
    expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain(number);
    expect(text).toContain('ПРЕДУПРЕЖДЕНИЕ');
    expect(text).toContain(contract);

    // 6. Sent today: the status moves and the answer is due in ten days.
    expect(await page.getByTestId('claim-move-status').inputValue()).toBe('sent');
    await page.getByLabel('Комментарий').fill('Отправлено почтой');
    await page.getByTestId('claim-move-submit').click();
    await expect.poll(() => status.getAttribute('data-status'), WAIT).toBe('sent');
    await page.getByTestId('claim-move-done').waitFor(WAIT);
    expect(await page.getByTestId('claim-timeline').textContent()).toContain('Отправлено почтой');
    await lawyer.shot('04-claim-sent-ru');
    const claim = await lawyer.json<{ contract: { id: string }; status: string; dueOn: string | null }>(
      `/api/claims/${claimId}`,
    );
    expect(claim.status).toBe('sent');
    expect(claim.dueOn).not.toBeNull();

    // 7. The clerk of the district sees the letter on the account's Vitrina.
    const clerk = await staffPage(demo, SHOTS, 'clerk.chilonzor', 'uz');
    await clerk.page.goto(`${url}/consumers/vitrina/${claim.contract.id}`);
    const table = clerk.page.getByTestId('vitrina-claims');
    await table.waitFor(WAIT);
    const row = table.locator('tbody tr', { hasText: number });
    await expect.poll(() => row.count(), WAIT).toBe(1);
    expect(await row.textContent()).toContain('Yuborilgan');
    await clerk.shot('05-clerk-vitrina-uz');
    // The clerk reads the Vitrina but has no claims page and cannot open a claim.
    expect(await clerk.menu()).not.toContain('/claims');
    const refused = await clerk.call('POST', `/api/claims/${claimId}/status`, { status: 'paid' });
    expect(refused.status).toBe(403);
  }, 300_000);
});
