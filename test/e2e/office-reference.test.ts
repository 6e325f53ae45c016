import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addPeriods, firstDay, periodOf, todayInTashkent } from '../../src/domain/period.ts';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';

/** The demo runs on a busy machine in CI too: give the page time to answer. */
const WAIT = { timeout: 20_000 };

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-reference');

/** Month-days that are holidays in the demo calendar, so the new day is not one already. */
const DEMO_HOLIDAYS = ['01-01', '03-08', '03-21', '05-09', '09-01', '10-01', '12-08', '12-31', '01-02'];

describe('reference data in the browser', () => {
  let demo: DemoInBrowser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await demoInBrowser();
    // A loaded machine builds the demo template slowly (once per source version and day).
  }, 900_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('lets the administrator add a tariff version from next month and a holiday, in Uzbek and Russian', async () => {
    const today = todayInTashkent();
    const next = firstDay(addPeriods(periodOf(today), 1));
    let day = addDays(today, 10);
    while (DEMO_HOLIDAYS.includes(day.slice(5))) day = addDays(day, 1);

    const page = await demo.newPage(1280, 900);
    await page.goto(`${demo.server.url}/login`);
    await page.locator('input[name=login]').fill('admin');
    await page.locator('input[name=password]').fill('hisob-demo-2025');
    await page.locator('button[type=submit]').click();
    await page.getByRole('navigation').getByRole('link', { name: "Ma'lumotnomalar" }).click();
    await expect.poll(() => page.getByRole('heading', { name: "Ma'lumotnomalar" }).count(), WAIT).toBe(1);

    // Tariffs: E-LEGAL's versions, then a new one from next month.
    await page.getByTestId('tariff-E-LEGAL').click();
    await expect.poll(() => page.getByTestId('version-list').locator('tbody tr').count(), WAIT).toBe(2);
    await page.getByTestId('add-version').click();
    await page.getByTestId('version-month').selectOption(next.slice(0, 7));
    await page.getByTestId('version-price').fill('1 100,50');
    await page.getByLabel(/Reaktiv energiya/).fill('110');
    await page.getByTestId('version-save').click();
    await expect
      .poll(() => page.getByTestId('reference-done').textContent(), WAIT)
      .toBe('Tarif versiyasi saqlandi');
    const row = page.getByTestId(`version-${next}`);
    await expect.poll(() => row.textContent(), WAIT).toContain('1\u00a0100,50');
    await expect.poll(() => row.textContent(), WAIT).toContain("O'zgartirish mumkin");
    await page.screenshot({ path: join(SHOTS, 'tariff-version-uz.png'), fullPage: true });

    // The same month again is refused with the API's message in the chosen language.
    await page.getByTestId('language').selectOption('ru');
    await page.getByTestId('add-version').click();
    await page.getByTestId('version-month').selectOption(next.slice(0, 7));
    await page.getByTestId('version-price').fill('1200');
    await page.getByTestId('version-save').click();
    await expect
      .poll(() => page.getByTestId('version-error').textContent(), WAIT)
      .toBe('Версия тарифа с этой даты уже есть');
    await page.screenshot({ path: join(SHOTS, 'tariff-version-duplicate-ru.png') });
    await page.getByRole('button', { name: 'Отмена' }).click();

    // A new tariff with its first version: a taken code is refused beside the field, then created.
    await page.getByTestId('add-tariff').click();
    await page.getByTestId('tariff-code').fill('E-LEGAL');
    await page.getByTestId('tariff-name').fill('Юридические лица, с нового месяца');
    await page.getByTestId('version-month').selectOption(next.slice(0, 7));
    await page.getByTestId('version-price').fill('1 250,75');
    await page.getByTestId('version-save').click();
    const codeField = page.getByRole('dialog').getByText('Код «E-LEGAL» уже есть в справочнике');
    await expect.poll(() => codeField.count(), WAIT).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'tariff-new-code-taken-ru.png') });
    await page.getByTestId('tariff-code').fill('E-LEGAL-2');
    await page.getByTestId('version-save').click();
    await expect
      .poll(() => page.getByTestId('reference-done').textContent(), WAIT)
      .toBe('Тариф E-LEGAL-2 создан с первой версией');
    await expect.poll(() => page.getByTestId('tariff-E-LEGAL-2').count(), WAIT).toBe(1);
    await expect.poll(() => page.getByRole('dialog').count(), WAIT).toBe(0);
    await expect
      .poll(() => page.getByTestId(`version-${next}`).textContent(), WAIT)
      .toContain('1\u00a0250,75');
    await page.screenshot({ path: join(SHOTS, 'tariff-new-ru.png'), fullPage: true });

    // Holidays: a new day off, listed in its year.
    await page.getByTestId('tab-holidays').click();
    await page.getByTestId('holiday-day').fill(day);
    await page.getByTestId('holiday-name').fill('Дополнительный выходной');
    await page.getByTestId('holiday-add').click();
    await expect
      .poll(() => page.getByTestId('reference-done').textContent(), WAIT)
      .toMatch(/добавлен в календарь/);
    await expect
      .poll(() => page.getByTestId(`holiday-${day}`).textContent(), WAIT)
      .toContain('Дополнительный выходной');
    await page.screenshot({ path: join(SHOTS, 'holidays-ru.png'), fullPage: true });

    // The API recorded the change with its before and after.
    const history = await page.request.get(
      `${demo.server.url}/api/reference/history?entity=holiday&id=${day}`,
    );
    expect((await history.json()).items[0]).toMatchObject({ action: 'holiday.add', after: { day } });

    const narrow = await demo.newPage(375, 800);
    await narrow.context().addCookies(await page.context().cookies());
    await narrow.goto(`${demo.server.url}/reference/holidays`);
    await expect.poll(() => narrow.getByTestId(`holiday-${day}`).count(), WAIT).toBe(1);
    await narrow.screenshot({ path: join(SHOTS, 'holidays-375.png'), fullPage: true });
  });
});
