import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';
import type { ServerProcess } from '../support/server.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-consumer-edit');

/** Pages answer slower on a loaded machine: wait up to 20 s for what the user waits for. */
const WAIT = { timeout: 20_000 };

/** Digits that differ from run to run (the demo's numbers and INNs are fixed). */
function digits(n: number): string {
  return String(Date.now() * 1000 + Math.floor(Math.random() * 1000))
    .slice(-n)
    .padStart(n, '0');
}

/** Selects the option of a native select whose text contains `text`. */
async function selectByText(select: Locator, text: string): Promise<void> {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  expect(value, text).toBeTruthy();
  await select.selectOption(value ?? '');
}

/** A full-page screenshot from the top (the sticky header then stays at the top of the picture). */
async function shot(page: Page, file: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SHOTS, file), fullPage: true });
}

type Card = {
  id: string;
  phone: string | null;
  contracts: {
    number: string;
    history: { validFrom: string; tariff: { code: string } }[];
    volumes: { period: string; volume: string }[];
  }[];
};

describe('a district operator creates and edits a consumer in the browser', () => {
  let demo: DemoInBrowser;
  let server: ServerProcess;
  const inn = `309${digits(6)}`;
  const number = `09${digits(7)}`;
  const name = `"Bunyodkor Savdo ${digits(4)}" MChJ`;
  let cardUrl = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await demoInBrowser();
    server = demo.server;
  }, 300_000);
  afterAll(async () => {
    await demo?.close();
  });

  const signIn = async (page: Page, login: string) => {
    await page.goto(`${server.url}/login`);
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill('hisob-demo-2025');
    await page.locator('button[type=submit]').click();
    await expect.poll(() => page.getByTestId('user-name').count(), WAIT).toBe(1);
  };
  const card = async (page: Page): Promise<Card> => {
    const id = new URL(page.url()).pathname.split('/').pop();
    return (await (await page.request.get(`${server.url}/api/consumers/${id}`)).json()) as Card;
  };

  it('creates a legal entity with a contract, finds it by INN, edits the phone, adds terms and volumes (uz)', async () => {
    const page = await demo.newPage(1280, 900);
    await signIn(page, 'operator.chilonzor');
    await page.getByRole('navigation').getByRole('link', { name: "Iste'molchilar" }).click();
    await page.getByTestId('new-consumer').click();
    await page.waitForURL(/\/consumers\/new$/);
    const form = page.getByTestId('new-consumer-form');
    await expect.poll(() => form.getByTestId('field-number').count(), WAIT).toBe(1);

    await form.getByTestId('field-name').fill(name);
    await form.getByTestId('field-inn').fill('30912');
    await form.getByTestId('field-oked').fill('47190');
    await form
      .getByTestId('field-legalAddress')
      .fill('Toshkent sh., Chilonzor t., Bunyodkor shoh ko‘chasi 7');
    await form.getByTestId('field-phone').fill('71 200 10 20');
    await form.getByTestId('field-email').fill('buxgalteriya@bunyodkor-savdo.uz');
    await form.getByTestId('field-bankMfo').selectOption('00873');
    await form.getByTestId('field-bankAccount').fill('20208000400123456789');
    await form.getByTestId('field-number').fill(number);
    await selectByText(form.getByTestId('field-tariffId'), '(E-LEGAL)');
    await form.getByTestId('field-defaultVolume').fill('12 000');
    await form.getByTestId('field-contractedLoad').fill('48,5');

    // A short INN: the API refuses it, and the form shows it on the INN field.
    await page.getByTestId('save-consumer').click();
    await expect.poll(() => page.getByTestId('form-error').count(), WAIT).toBe(1);
    await expect.poll(() => form.getByText('STIR — 9 ta raqam').count(), WAIT).toBe(1);
    expect(await form.getByTestId('field-inn').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'new-consumer-error-uz.png');

    await form.getByTestId('field-inn').fill(inn);
    await shot(page, 'new-consumer-uz.png');
    await page.getByTestId('save-consumer').click();
    await page.waitForURL(/\/consumers\/\d+$/, WAIT);
    await expect.poll(() => page.getByTestId('consumer-name').textContent(), WAIT).toBe(name);
    cardUrl = new URL(page.url()).pathname;

    // Found by its INN in the search.
    await page.getByRole('link', { name: /Qidiruvga qaytish/ }).click();
    await page.getByTestId('consumer-search').fill(inn);
    await expect.poll(() => page.getByTestId('consumer-link').allTextContents(), WAIT).toEqual([name]);
    await shot(page, 'search-by-inn-uz.png');
    await page.getByTestId('consumer-link').click();
    await page.waitForURL(new RegExp(`${cardUrl}$`));

    // The phone, typed as people say it.
    await page.getByTestId('edit-requisites').click();
    const requisites = page.getByTestId('requisites-form');
    await requisites.getByTestId('field-phone').fill('+998 71 200 30 40');
    await page.getByTestId('requisites-form-save').click();
    await expect.poll(() => page.getByTestId('requisites-form').count(), WAIT).toBe(0);
    await expect.poll(() => page.getByText('+998712003040').count(), WAIT).toBe(1);
    expect((await card(page)).phone).toBe('+998712003040');
    await shot(page, 'card-requisites-uz.png');

    // New terms from next month with another tariff.
    await page.getByRole('tab', { name: 'Shartnomalar' }).click();
    await page.getByTestId(`new-terms-${number}`).click();
    const terms = page.getByTestId('terms-form');
    await selectByText(terms.getByTestId('field-tariffId'), '(E-ZONE)');
    await terms.getByTestId('field-defaultVolume').fill('15000');
    await shot(page, 'new-terms-uz.png');
    await page.getByTestId('terms-form-save').click();
    await expect.poll(() => page.getByTestId('terms-form').count(), WAIT).toBe(0);
    await expect
      .poll(async () => (await card(page)).contracts[0]?.history.map((v) => v.tariff.code), WAIT)
      .toEqual(['E-ZONE', 'E-LEGAL']);
    const next = (await card(page)).contracts[0]?.history[0]?.validFrom ?? '';
    const today = new Date(Date.now() + 5 * 3_600_000);
    const nextMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1));
    expect(next).toBe(nextMonth.toISOString().slice(0, 10));
    expect(await page.getByTestId(`history-${number}`).locator('tbody tr').count()).toBe(2);

    // Monthly volumes: every month the grid lets change.
    await page.getByTestId(`volumes-${number}`).click();
    const grid = page.getByTestId('volumes-form');
    const open = grid.locator('input[data-testid^="volume-"]:not([disabled])');
    // The grid renders after the dialog opens: wait for it before counting the months.
    await expect.poll(() => open.count(), WAIT).toBeGreaterThan(0);
    const months = await open.count();
    for (let i = 0; i < months; i++) await open.nth(i).fill(String(11_000 + i * 500));
    await shot(page, 'volumes-uz.png');
    await page.getByTestId('volumes-form-save').click();
    await expect.poll(() => page.getByTestId('volumes-form').count(), WAIT).toBe(0);
    await expect.poll(async () => (await card(page)).contracts[0]?.volumes.length, WAIT).toBe(months);
    expect((await card(page)).contracts[0]?.volumes[0]?.volume).toBe('11000.000');
    await shot(page, 'card-contract-uz.png');

    // A metering point for the meters to be installed on.
    await page.getByRole('tab', { name: "Hisoblagichlar va ko'rsatkichlar" }).click();
    await page.getByTestId(`add-point-${number}`).click();
    const point = page.getByTestId('point-form');
    await point.getByTestId('field-pointName').fill('TP-10/0,4 kV');
    await page.getByTestId('point-form-save').click();
    await expect.poll(() => page.getByText(`${number}-1 · TP-10/0,4 kV`).count(), WAIT).toBe(1);
    await shot(page, 'card-meters-uz.png');
  });

  it('shows the card, the editors and a refused field in Russian', async () => {
    const page = await demo.newPage(1280, 900);
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Til').selectOption('ru');
    await signIn(page, 'operator.chilonzor');
    await page.goto(`${server.url}${cardUrl}`);
    await expect.poll(() => page.getByTestId('consumer-name').textContent(), WAIT).toBe(name);
    await page.getByRole('tab', { name: 'Договоры' }).click();
    await expect.poll(() => page.getByTestId(`history-${number}`).count(), WAIT).toBe(1);
    await shot(page, 'card-contract-ru.png');

    // Terms from a month that already has terms: refused, shown on the month.
    await page.getByTestId(`new-terms-${number}`).click();
    const terms = page.getByTestId('terms-form');
    await page.getByTestId('terms-form-save').click();
    await expect.poll(() => terms.getByText(/Условия договора с .* уже есть/).count(), WAIT).toBe(1);
    await shot(page, 'terms-refused-ru.png');
    await page.keyboard.press('Escape');

    await page.getByTestId(`volumes-${number}`).click();
    await expect.poll(() => page.getByTestId('volumes-form').count(), WAIT).toBe(1);
    await shot(page, 'volumes-ru.png');
    await page.keyboard.press('Escape');

    await page.goto(`${server.url}/consumers/new`);
    const form = page.getByTestId('new-consumer-form');
    await expect.poll(() => form.getByTestId('field-number').count(), WAIT).toBe(1);
    await form.getByTestId('field-name').fill('ООО «Тест»');
    await form.getByTestId('field-inn').fill(inn);
    await form.getByTestId('field-number').fill(number);
    await selectByText(form.getByTestId('field-tariffId'), '(E-LEGAL)');
    await page.getByTestId('save-consumer').click();
    // The number is taken: the message is on the number field.
    await expect.poll(() => form.getByText(/Договор с таким номером уже есть/).count(), WAIT).toBe(1);
    await shot(page, 'new-consumer-refused-ru.png');
  });
});
