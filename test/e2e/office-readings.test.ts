import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-readings');

type Hit = {
  serial: string;
  contract: { number: string };
  registers: { registerId: string; obis: string; last: { readOn: string; value: string } | null }[];
};
type Row = { readOn: string; value: string; advance: string | null };

/** Hundredths of a reading "32344.29" → 3234429. */
const cents = (v: string) => Math.round(Number(v) * 100);
/** 3234429 → "32344,29", as people type it. */
const typed = (c: number) => `${Math.floor(c / 100)},${String(c % 100).padStart(2, '0')}`;
const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;

describe('office readings in the browser', () => {
  let demo: DemoInBrowser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await demoInBrowser();
  }, 300_000);
  afterAll(async () => {
    await demo?.close();
  });

  const signIn = async (page: Page) => {
    await page.goto(`${demo.server.url}/login`);
    await page.locator('input[name=login]').fill('operator.chilonzor');
    await page.locator('input[name=password]').fill('hisob-demo-2025');
    await page.locator('button[type=submit]').click();
    await page.waitForURL(`${demo.server.url}/`);
  };

  /** A usual advance for the register (its last month's, per day, over the days since), and today. */
  const usualNext = async (page: Page, hit: Hit) => {
    const register = hit.registers[0];
    const last = register?.last;
    if (!register || !last) throw new Error(`meter ${hit.serial} has no reading`);
    const history = (await (
      await page.request.get(`${demo.server.url}/api/readings?q=${hit.serial}&sort=readOn&dir=desc&limit=2`)
    ).json()) as { items: Row[] };
    const [latest, before] = history.items;
    if (!latest?.advance || !before) throw new Error(`meter ${hit.serial} has too little history`);
    const today = new Date(Date.now() + 5 * 3_600_000).toISOString().slice(0, 10);
    const perDay = cents(latest.advance) / days(before.readOn, latest.readOn);
    return {
      register,
      last: cents(last.value),
      usual: Math.max(100, Math.round(perDay * days(last.readOn, today))),
    };
  };

  it('enters a reading that waits for confirmation, and a spike that goes to the queue and is corrected', async () => {
    const page = await demo.newPage(1280, 900);
    await signIn(page);
    const found = (await (
      await page.request.get(`${demo.server.url}/api/readings/registers?q=01010000`)
    ).json()) as { items: Hit[] };
    const [a, b] = found.items.filter((m) => m.registers.length === 1 && m.registers[0]?.last);
    if (!a || !b) throw new Error('no Chilonzor household meters in the demo');
    const normal = await usualNext(page, a);
    const spiky = await usualNext(page, b);

    await page.goto(`${demo.server.url}/readings`);
    await expect.poll(() => page.getByRole('heading', { name: "Ko'rsatkichlar" }).count()).toBe(1);
    expect(await page.getByTestId('confirm-link').getAttribute('href')).toBe('/readings/confirm');

    // A usual reading: stored, awaiting the signed confirmation.
    await page.locator('input[name=meter-search]').fill(a.contract.number);
    await page.getByRole('button', { name: 'Topish' }).click();
    await page
      .locator(`input[name=reading-${normal.register.registerId}]`)
      .fill(typed(normal.last + normal.usual));
    await page.getByRole('button', { name: 'Saqlash' }).click();
    const outcome = page.getByTestId('outcome-1.8.0');
    await expect.poll(() => outcome.textContent()).toMatch(/tasdiqlash kutilmoqda/);
    expect(await outcome.getByTestId('reading-status').textContent()).toBe('Tasdiq kutilmoqda');
    await page.screenshot({ path: join(SHOTS, 'entry-submitted-uz.png'), fullPage: true });

    // Ten times the usual: stored as suspect (spike), into the queue.
    await page.locator('input[name=meter-search]').fill(b.contract.number);
    await page.getByRole('button', { name: 'Topish' }).click();
    await page
      .locator(`input[name=reading-${spiky.register.registerId}]`)
      .fill(typed(spiky.last + spiky.usual * 10));
    await page.getByRole('button', { name: 'Saqlash' }).click();
    await expect
      .poll(() => page.getByTestId('outcome-1.8.0').getByTestId('reading-vee').textContent())
      .toBe('Keskin oshish');
    expect(await page.getByTestId('outcome-1.8.0').getByTestId('reading-status').textContent()).toBe(
      'Shubhali',
    );
    await page.screenshot({ path: join(SHOTS, 'entry-suspect-uz.png'), fullPage: true });

    // Both in the queue.
    await page.getByTestId('tab-queue').click();
    const queue = page.getByTestId('readings-queue');
    const rowOf = (number: string) => queue.locator('tbody tr', { hasText: number });
    await expect
      .poll(() => rowOf(a.contract.number).getByTestId('reading-status').textContent())
      .toBe('Tasdiq kutilmoqda');
    expect(await rowOf(b.contract.number).getByTestId('reading-status').textContent()).toBe('Shubhali');
    await page.screenshot({ path: join(SHOTS, 'queue-uz.png'), fullPage: true });

    // The spike corrected: the wrong value rejected, the right one waiting for confirmation.
    await rowOf(b.contract.number).getByRole('button', { name: 'Tuzatish' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[name=corrected-value]').fill(typed(spiky.last + spiky.usual));
    await dialog.locator('textarea[name=reason]').fill('Bir xona ortiqcha yozilgan');
    await page.screenshot({ path: join(SHOTS, 'queue-correct-dialog-uz.png') });
    await dialog.getByRole('button', { name: 'Tuzatish' }).click();
    await expect.poll(() => page.getByTestId('queue-done').count()).toBe(1);
    await expect
      .poll(() => rowOf(b.contract.number).getByTestId('reading-status').allTextContents())
      .toEqual(['Tasdiq kutilmoqda']);
    await page.screenshot({ path: join(SHOTS, 'queue-corrected-uz.png'), fullPage: true });

    // The same queue at 375 px in Russian, and the rejected reading in the full list.
    const phone = await demo.newPage(375, 800);
    await signIn(phone);
    await phone.getByLabel('Til').selectOption('ru');
    await phone.goto(`${demo.server.url}/readings?tab=all`);
    await phone.getByLabel('Статус').selectOption('rejected');
    const all = phone.getByTestId('readings-all');
    await expect.poll(() => all.locator('tbody tr', { hasText: b.contract.number }).count()).toBe(1);
    expect(await all.getByTestId('reading-status').first().textContent()).toBe('Отклонено');
    await phone.screenshot({ path: join(SHOTS, 'all-rejected-ru-375.png'), fullPage: true });
    await phone.goto(`${demo.server.url}/readings?tab=queue`);
    const phoneQueue = phone.getByTestId('readings-queue');
    await expect.poll(() => phoneQueue.locator('tbody tr', { hasText: a.contract.number }).count()).toBe(1);
    expect(await phoneQueue.locator('tbody tr', { hasText: b.contract.number }).count()).toBe(1);
    await phone.screenshot({ path: join(SHOTS, 'queue-ru-375.png'), fullPage: true });
  }, 240_000);
});
