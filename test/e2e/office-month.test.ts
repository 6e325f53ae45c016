import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-month');
const PASSWORD = 'hisob-demo-2025';
const KEY_PASSWORD = 'kalit-oy-2025';

type Unread = { contractId: string; contract: string; meters: number };
type Hit = {
  serial: string;
  registers: { registerId: string; obis: string; last: { readOn: string; value: string } | null }[];
};
type Invoice = {
  lines: { kind: string; quantity: string | null; amount: string }[];
  totals: { amount: string };
};

/** "383518.07" + 100.00 → "383618,07", as an operator types it. */
function plusHundred(value: string): string {
  const [whole = '0', frac = '00'] = value.split('.');
  return `${BigInt(whole) + 100n},${frac.padEnd(2, '0')}`;
}

/**
 * Issue 6 point 8: a district's month walked in the browser by the roles that do it, on the demo's
 * heat supplier. The operator finds an account without a reading of the open period, enters it,
 * confirms it with a signature (R3.4), runs the bill run and watches it finish; the accountant of
 * the company closes the period; the account's invoice now bills exactly the entered consumption;
 * the operator books the consumer's payment at the cash desk.
 */
describe('a district month in the office, role by role', () => {
  let demo: DemoInBrowser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await demoInBrowser();
  }, 300_000);
  afterAll(async () => {
    await demo?.close();
  });

  const signIn = async (login: string, lang: string, width = 1280): Promise<Page> => {
    const page = await demo.newPage(width, 900);
    await page.goto(`${demo.server.url}/login`);
    if (lang !== 'uz') await page.getByLabel('Til').selectOption(lang);
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.getByTestId('user-name').waitFor({ state: 'attached' });
    return page;
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const json = async <T>(page: Page, path: string): Promise<T> => {
    const res = await page.request.get(`${demo.server.url}${path}`);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  };

  it('enters → confirms with a signature → bills → closes → takes the payment', async () => {
    const operator = await signIn('heat.operator', 'uz');
    const { open } = await json<{ open: string }>(operator, '/api/periods');

    // 1. Billing shows what the run would meet: accounts without a reading of the open period.
    await operator.goto(`${demo.server.url}/billing`);
    const without = operator.getByTestId('readiness-withoutReading');
    await expect.poll(() => without.textContent()).toMatch(/^[1-9][0-9]*$/);
    const withReadingBefore = Number(await operator.getByTestId('readiness-withReading').textContent());
    await operator.getByTestId('show-unread').click();
    const unreadTable = operator.getByTestId('unread');
    await expect.poll(() => unreadTable.locator('tbody tr').count()).toBeGreaterThan(0);
    await shot(operator, '01-billing-readiness-uz');

    // An account with a meter that has a reading to continue from.
    const unread = await json<{ items: Unread[] }>(operator, `/api/periods/${open}/unread?limit=100`);
    let chosen: { account: Unread; registerId: string; value: string } | undefined;
    for (const account of unread.items.filter((a) => a.meters > 0)) {
      const hits = await json<{ items: Hit[] }>(operator, `/api/readings/registers?q=${account.contract}`);
      const register = hits.items[0]?.registers.find((r) => r.obis === '1.8.0' && r.last);
      if (register?.last) {
        chosen = { account, registerId: register.registerId, value: plusHundred(register.last.value) };
        break;
      }
    }
    if (!chosen) throw new Error(`no unread account with a meter in ${open}`);

    // 2. Its reading, entered from the link: dated the period's last day, 100.00 Gcal more.
    await unreadTable.getByRole('link', { name: chosen.account.contract, exact: true }).click();
    await operator.waitForURL(/\/readings\?/);
    const input = operator.locator(`input[name=reading-${chosen.registerId}]`);
    await input.waitFor();
    await input.fill(chosen.value);
    await operator.getByRole('button', { name: 'Saqlash' }).click();
    const status = operator.getByTestId('outcome-1.8.0').getByTestId('reading-status');
    await expect.poll(() => status.textContent()).toMatch(/^(Tasdiq kutilmoqda|Shubhali)$/);
    await shot(operator, '02-reading-entered-uz');
    if ((await status.textContent()) === 'Shubhali') {
      // Held by VEE (a long gap since the last reading): the operator has checked it and accepts it.
      await operator.getByTestId('tab-queue').click();
      const row = operator
        .getByTestId('readings-queue')
        .locator('tbody tr', { hasText: chosen.account.contract });
      await row.getByRole('button', { name: 'Qabul qilish' }).click();
      await operator.getByRole('dialog').getByRole('button', { name: 'Qabul qilish' }).click();
      await expect.poll(() => operator.getByTestId('queue-done').count()).toBe(1);
    }

    // 3. The operator's personal key from the demo's test CA, and the signed confirmation.
    const keys = await demo.newPage(1280, 900);
    await keys.goto(`${demo.server.url}/fake/keys`);
    const staffForm = keys.getByRole('form', { name: 'Staff key' });
    await staffForm.locator('input[name=login]').fill('heat.operator');
    await staffForm.locator('input[name=password]').fill(KEY_PASSWORD);
    const [download] = await Promise.all([
      keys.waitForEvent('download'),
      staffForm.getByRole('button', { name: 'Issue the staff key' }).click(),
    ]);
    const keyPath = join(mkdtempSync(join(tmpdir(), 'hisob-month-')), 'heat.operator.pfx');
    await download.saveAs(keyPath);

    await operator.goto(`${demo.server.url}/readings/confirm`);
    const pending = operator
      .getByTestId('pending-table')
      .locator('tbody tr', { hasText: chosen.account.contract });
    await expect.poll(() => pending.count(), { timeout: 15_000 }).toBe(1);
    await pending.getByRole('checkbox', { name: 'Qatorni belgilash' }).check();
    await operator.getByRole('button', { name: 'Imzolash va tasdiqlash' }).click();
    const dialog = operator.getByRole('dialog');
    await expect
      .poll(() => dialog.getByTestId('confirm-document').textContent(), { timeout: 15_000 })
      .toContain(chosen.account.contract);
    await dialog.locator('input[type=file]').setInputFiles(keyPath);
    await dialog.locator('input[name=keyPassword]').fill(KEY_PASSWORD);
    await dialog.getByRole('button', { name: 'Imzolash', exact: true }).click();
    await expect
      .poll(() => dialog.getByTestId('confirm-done').textContent())
      .toMatch(/1 ta ko'rsatkich tasdiqlandi/);
    await shot(operator, '03-confirmed-uz');
    await dialog.getByRole('button', { name: 'Yopish' }).click();

    // 4. The bill run of the district, followed live to the end.
    await operator.goto(`${demo.server.url}/billing`);
    await expect
      .poll(() => operator.getByTestId('readiness-withReading').textContent())
      .toBe(String(withReadingBefore + 1));
    await operator.getByRole('button', { name: 'Hisob-kitobni boshlash' }).click();
    const runs = operator.getByTestId('bill-runs');
    await expect
      .poll(() => runs.locator('tbody tr').first().textContent(), { timeout: 120_000 })
      .toMatch(/tugadi/);
    await expect
      .poll(() => operator.getByTestId('readiness-billed').textContent())
      .toBe(await operator.getByTestId('readiness-accounts').textContent());
    await shot(operator, '04-bill-run-done-uz');

    // 5. The company's accountant closes the period (in Russian).
    const accountant = await signIn('heat.accountant', 'ru');
    await accountant.goto(`${demo.server.url}/billing`);
    await accountant.getByRole('button', { name: 'Закрыть период' }).click();
    await accountant.getByRole('dialog').getByRole('button', { name: 'Да, закрыть' }).click();
    await expect
      .poll(() => accountant.getByRole('status').textContent(), { timeout: 60_000 })
      .toMatch(/закрыт/);
    await expect
      .poll(() => accountant.getByTestId('periods').locator('tbody tr').nth(1).textContent())
      .toMatch(/закрыт/);
    await shot(accountant, '05-period-closed-ru');

    // The invoice of the closed period bills exactly the 100.00 Gcal entered.
    const invoice = await json<Invoice>(
      accountant,
      `/api/accounts/${chosen.account.contractId}/invoices/${open}`,
    );
    const energy = invoice.lines.filter((l) => l.kind === 'energy');
    expect(energy.map((l) => l.quantity)).toEqual(['100.000']);

    // 6. The consumer pays the invoice at the district's cash desk.
    await operator.goto(`${demo.server.url}/payments`);
    await operator.getByTestId('tab-new').click();
    await operator.getByTestId('contract-search').fill(chosen.account.contract);
    const hit = operator
      .getByTestId('contract-hits')
      .getByRole('button', { name: new RegExp(chosen.account.contract) });
    await hit.first().click();
    await operator.locator('input[name=amount]').fill(invoice.totals.amount);
    await operator.locator('input[name=document]').fill(`KO-${open}-${chosen.account.contract}`);
    await operator.getByTestId('book-submit').click();
    await expect.poll(() => operator.getByTestId('book-result').count(), { timeout: 15_000 }).toBe(1);
    await shot(operator, '06-payment-booked-uz');
    const list = await json<{ items: { contract: { number: string } | null; amount: string }[] }>(
      operator,
      `/api/payments?q=KO-${open}-${chosen.account.contract}`,
    );
    expect(list.items).toEqual([
      expect.objectContaining({
        contract: expect.objectContaining({ number: chosen.account.contract }),
        amount: invoice.totals.amount,
      }),
    ]);
  }, 600_000);
});
