import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';
import type { ServerProcess } from '../support/server.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-consumers');

/** Pages answer slower on a loaded machine: wait up to 20 s for what the user waits for. */
const WAIT = { timeout: 20_000 };

/** The 15th of the month three months before today (Tashkent), a day of a closed demo period. */
function pastDay(): string {
  const now = new Date(Date.now() + 5 * 3_600_000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 15));
  return d.toISOString().slice(0, 10);
}

describe('consumer search, card and Vitrina in the browser', () => {
  let demo: DemoInBrowser;
  let server: ServerProcess;

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

  /** A legal-entity demo consumer of the signed-in user's district, through the API. */
  const someConsumer = async (page: Page) => {
    const res = await page.request.get(`${server.url}/api/consumers?kind=legal&limit=1&sort=contract`);
    expect(res.status()).toBe(200);
    const item = (await res.json()).items[0] as { id: string; name: string; contracts: string[] };
    return { id: item.id, name: item.name, number: item.contracts[0] ?? '' };
  };

  it('a clerk finds a demo consumer by account number, opens the card and the Vitrina on a past day', async () => {
    const page = await demo.newPage(1280, 900);
    await signIn(page, 'clerk.chilonzor');
    const c = await someConsumer(page);

    await page.getByRole('navigation').getByRole('link', { name: "Iste'molchilar" }).click();
    await page.waitForURL(/\/consumers$/);
    await expect
      .poll(() => page.getByTestId('consumers-table-count').textContent(), WAIT)
      .toMatch(/\/ [1-9]/);
    await page.screenshot({ path: join(SHOTS, 'search-uz.png'), fullPage: true });

    await page.getByTestId('consumer-search').fill(c.number);
    await expect.poll(() => page.getByTestId('consumer-link').allTextContents(), WAIT).toEqual([c.name]);
    await page.screenshot({ path: join(SHOTS, 'search-by-number-uz.png'), fullPage: true });

    await page.getByTestId('consumer-link').click();
    await page.waitForURL(new RegExp(`/consumers/${c.id}$`));
    await expect.poll(() => page.getByTestId('consumer-name').textContent(), WAIT).toBe(c.name);
    await page.screenshot({ path: join(SHOTS, 'card-details-uz.png'), fullPage: true });
    await page.getByRole('tab', { name: "Hisoblagichlar va ko'rsatkichlar" }).click();
    await page.screenshot({ path: join(SHOTS, 'card-meters-uz.png'), fullPage: true });
    await page.getByTestId('tab-money').click();
    await expect.poll(() => page.getByTestId(`balance-${c.number}`).count(), WAIT).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'card-money-uz.png'), fullPage: true });

    await page.getByTestId(`vitrina-${c.number}`).first().click();
    await page.waitForURL(/\/consumers\/vitrina\/\d+$/);
    await expect.poll(() => page.getByTestId('vitrina-balance').count(), WAIT).toBe(1);
    const day = pastDay();
    await page.getByTestId('vitrina-date').fill(day);
    await page.waitForURL(new RegExp(`on=${day}$`));
    const [y, m, d] = day.split('-');
    await expect.poll(() => page.getByTestId('vitrina-day').textContent(), WAIT).toContain(`${d}.${m}.${y}`);
    // The page shows the balance the API computes for that day.
    const contractId = new URL(page.url()).pathname.split('/').pop();
    const api = await (
      await page.request.get(`${server.url}/api/accounts/${contractId}/vitrina?on=${day}`)
    ).json();
    const shown = (await page.getByTestId('vitrina-balance').textContent()) ?? '';
    expect(shown.replace(/\D/g, '')).toBe((api.balance.amount as string).replace(/\D/g, ''));
    expect(
      (await page.getByTestId('vitrina-meters').count()) + (await page.getByText("Hisoblagich yo'q").count()),
    ).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'vitrina-past-uz.png'), fullPage: true });
  });

  it('works at 375 px in Russian: search by name prefix, the card and the Vitrina', async () => {
    const page = await demo.newPage(375, 800);
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Til').selectOption('ru');
    await signIn(page, 'operator.chilonzor');
    const c = await someConsumer(page);
    await page.goto(`${server.url}/consumers?q=${encodeURIComponent(c.name.slice(0, 4))}`);
    await expect.poll(() => page.getByTestId('consumer-link').allTextContents(), WAIT).toContain(c.name);
    await page.screenshot({ path: join(SHOTS, 'search-ru-375.png'), fullPage: true });
    await page.goto(`${server.url}/consumers/${c.id}`);
    await expect.poll(() => page.getByTestId('consumer-name').textContent(), WAIT).toBe(c.name);
    await page.screenshot({ path: join(SHOTS, 'card-ru-375.png'), fullPage: true });
    await page.getByRole('tab', { name: 'Баланс, счета и платежи' }).click();
    await page.getByTestId(`vitrina-${c.number}`).first().click();
    await expect.poll(() => page.getByTestId('vitrina-balance').count(), WAIT).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'vitrina-today-ru-375.png'), fullPage: true });
    // Nothing wider than the phone's screen but the tables' own scroll areas.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
