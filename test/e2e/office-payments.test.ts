import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';

// HISOB_E2E_URL=http://localhost:3203 walks an already running `serve --demo` instead of starting
// one (the demo takes minutes to build on a busy machine); the run's receipt and registry numbers
// are unique, so it can be repeated on the same demo.
const EXTERNAL = process.env.HISOB_E2E_URL;
const RUN = Date.now().toString(36).toUpperCase();

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-payments');
const PASSWORD = 'hisob-demo-2025';

/** Polls like expect.poll with room for a loaded machine (a page load, the session, the API). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 200 });

/** Today in Tashkent as 'YYYY-MM-DD' and as the post registry writes it ('DD.MM.YYYY'). */
function tashkentToday(): { iso: string; dotted: string } {
  const iso = new Date(Date.now() + 5 * 3_600_000).toISOString().slice(0, 10);
  return { iso, dotted: `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` };
}

describe('the office payment desk in the browser', () => {
  let demo: DemoInBrowser | undefined;
  let browser: Browser;
  let server: { url: string };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    if (EXTERNAL) {
      server = { url: EXTERNAL };
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    } else {
      demo = await demoInBrowser();
      server = demo.server;
      browser = demo.browser;
    }
  }, 300_000);
  afterAll(async () => {
    if (demo) await demo.close();
    else await browser?.close();
  });

  const signedIn = async (
    login: string,
    lang: 'uz' | 'ru' | 'en' | 'uz-Cyrl',
    width = 1280,
  ): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    if (lang !== 'uz') await page.getByLabel('Til').selectOption(lang);
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.getByTestId('user-name').waitFor({ state: 'attached' });
    return page;
  };

  const DOC = `KO-E2E-${RUN}`;

  it('books a cash payment in Chilonzor, shows it in the list, and an accountant reverses it with a reason', async () => {
    // The district operator at the cash desk.
    const operator = await signedIn('operator.chilonzor', 'uz');
    await operator.goto(`${server.url}/payments`);
    await operator.getByTestId('tab-new').click();
    await operator.waitForURL(/\/payments\/new$/);
    await operator.getByTestId('contract-search').fill('MChJ');
    const hit = operator.getByTestId('contract-hits').getByRole('button').first();
    await poll(() => hit.textContent()).toContain('Chilonzor');
    await hit.click();
    const contract = (await operator.getByTestId('contract-chosen').locator('p').first().textContent()) ?? '';
    expect(contract).not.toBe('');
    await operator.locator('input[name=amount]').fill('12.345');
    await operator.getByTestId('book-submit').click();
    await poll(() => operator.getByText("Musbat summa, ko'pi bilan 2 ta kasr raqam").count()).toBe(1);
    await operator.locator('input[name=amount]').fill('250 000,50');
    await operator.locator('input[name=document]').fill(DOC);
    await operator.locator('textarea[name=note]').fill('Kassa № 2');
    await operator.screenshot({ path: join(SHOTS, 'new-payment-uz.png'), fullPage: true });
    await operator.getByTestId('book-submit').click();
    const result = operator.getByTestId('book-result');
    await poll(() => result.textContent()).toMatch(/To'lov qabul qilindi: № \d+/);
    expect(await result.textContent()).toContain('250\u00a0000,50');
    await operator.screenshot({ path: join(SHOTS, 'booked-uz.png'), fullPage: true });

    await operator.getByRole('button', { name: "Ro'yxatda ko'rish" }).click();
    await operator.waitForURL((u) => u.pathname === '/payments' && u.searchParams.get('q') === DOC);
    const table = operator.getByTestId('payments-table');
    await poll(() => table.locator('tbody tr').count()).toBe(1);
    const row = table.locator('tbody tr').first();
    expect(await row.textContent()).toContain(contract);
    expect(await row.textContent()).toContain('Qabul qilingan');
    await operator.screenshot({ path: join(SHOTS, 'list-operator-uz.png'), fullPage: true });
    // The operator sees the payment and what it covered, but holds no payment.reverse.
    await row.getByRole('button').first().click();
    const detail = operator.getByTestId('payment-detail');
    await poll(() => detail.textContent()).toContain('Kassa № 2');
    expect(await operator.getByTestId('reverse-open').count()).toBe(0);

    // The regional accountant reverses it, in Russian.
    const accountant = await signedIn('accountant.toshkent', 'ru');
    await accountant.goto(`${server.url}/payments?q=${DOC}`);
    const accTable = accountant.getByTestId('payments-table');
    await poll(() => accTable.locator('tbody tr').count()).toBe(1);
    await accTable.locator('tbody tr').first().getByRole('button').first().click();
    await accountant.getByTestId('reverse-open').click();
    const confirm = accountant.getByTestId('reverse-confirm');
    expect(await confirm.isDisabled()).toBe(true); // a reason first
    await accountant.getByLabel('Причина сторно').fill('Ошибка кассира: неверная сумма');
    await accountant.screenshot({ path: join(SHOTS, 'reverse-ru.png') });
    await confirm.click();
    const reversal = accountant.getByTestId('reversal');
    await poll(() => reversal.textContent()).toContain('Ошибка кассира: неверная сумма');
    expect(await reversal.textContent()).toContain('Rahimova Gulnora Sobirovna');
    await accountant.screenshot({ path: join(SHOTS, 'reversed-ru.png') });
    await accountant.getByRole('button', { name: 'Закрыть' }).click();
    await poll(() => accTable.locator('tbody tr').first().textContent()).toContain('Сторнирован');

    // The consumer's payment is reversed in the same table the cabinet reads.
    const api = accountant.request;
    const list = (await (await api.get(`${server.url}/api/payments?q=${DOC}`)).json()) as {
      items: { status: string; reversal: { reason: string } | null }[];
    };
    expect(list.items).toMatchObject([
      { status: 'reversed', reversal: { reason: 'Ошибка кассира: неверная сумма' } },
    ]);
  });

  it('imports a post registry at the company level and shows its unknown account in the unmatched queue, at 375 px', async () => {
    const { dotted } = tashkentToday();
    const registry = [
      `Реестр платежей № 77-${RUN} от ${dotted}, ОПС 100011`,
      'Дата;№ реестра;№ квитанции;Лицевой счет;ФИО плательщика;Сумма',
      `${dotted};77;${RUN};99999999;Ли Вера ${RUN};15000.00`,
      `Итого;;;;;15000.00`,
    ].join('\r\n');
    const admin = await signedIn('admin', 'en', 375);
    await admin.goto(`${server.url}/payments/imports`);
    await admin.getByText('Post registry (CSV, XLSX)').click();
    await admin.locator('input[type=file]').setInputFiles({
      name: 'reestr-77.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(registry, 'utf8'),
    });
    await admin.getByRole('button', { name: 'Import', exact: true }).click();
    const result = admin.getByTestId('import-result');
    await poll(() => result.textContent()).toContain('1 payments: 0 booked, 0 repeats, 1 unmatched');
    await admin.screenshot({ path: join(SHOTS, 'import-en-375.png'), fullPage: true });

    await admin.getByTestId('tab-unmatched').click();
    const queue = admin.getByTestId('unmatched-table');
    await poll(() => queue.textContent()).toContain(`Ли Вера ${RUN}`);
    expect(await queue.textContent()).toContain('15,000.00');
    await admin.screenshot({ path: join(SHOTS, 'unmatched-en-375.png'), fullPage: true });
  });
});
