import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';
import type { ServerProcess } from '../support/server.ts';

// The office inbox (issue 6 point 6) walked in the browser on the demo: a heat consumer files an
// application in the cabinet, the heat supplier's district operator assigns it, schedules the
// visit on a working day and resolves it, and the consumer sees each step in the cabinet; then a
// change of requisites is approved onto the consumer card and a password recovery refused, at 375 px.

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-inbox');
const STAFF_PASSWORD = 'hisob-demo-2025';
const CONTRACT = '00014';
const INN = '305030222';
const NEW_PASSWORD = 'Kabinet2026parol';

/** A working day (not a Sunday) `n` or more days after today in Tashkent. */
function workingDay(n: number): string {
  const day = new Date(Date.now() + 5 * 3_600_000 + n * 86_400_000);
  if (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

describe('the office inbox in the browser', () => {
  let demo: DemoInBrowser;
  let server: ServerProcess;
  let number = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await demoInBrowser();
    server = demo.server;
  }, 300_000);
  afterAll(async () => {
    await demo?.close();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  const office = async (lang: 'uz' | 'ru' | 'en', width = 1280): Promise<Page> => {
    const page = await demo.newPage(width, 900);
    await page.goto(`${server.url}/login`);
    if (lang !== 'uz') await page.getByLabel('Til').selectOption(lang);
    await page.locator('input[name=login]').fill('heat.operator');
    await page.locator('input[name=password]').fill(STAFF_PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    return page;
  };

  /** Opens the drawer of the application with `number` from the inbox table. */
  const openApplication = async (page: Page, table: string, label: RegExp) => {
    await page.getByTestId(`${table}-search`).fill(number);
    const row = page.getByTestId(table).locator('tbody tr');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.first().getByRole('button', { name: label }).click();
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain(number);
  };

  it('a consumer files in the cabinet; heat.operator assigns, schedules and resolves it; the consumer sees each step', async () => {
    // The consumer: first sign-in with the INN, the forced new password, then an application.
    const cabinet = await demo.newPage(1280, 900);
    await cabinet.goto(`${server.url}/cabinet/login`);
    await cabinet.locator('input[name=contract]').fill(CONTRACT);
    await cabinet.locator('input[name=password]').fill(INN);
    await cabinet.locator('button[type=submit]').click();
    await cabinet.locator('input[name=current]').fill(INN);
    await cabinet.locator('input[name=next]').fill(NEW_PASSWORD);
    await cabinet.locator('input[name=repeat]').fill(NEW_PASSWORD);
    await cabinet.locator('button[type=submit]').click();
    await cabinet.getByRole('navigation').getByRole('link', { name: 'Arizalar' }).click();
    await cabinet.locator('select[name=type]').selectOption('heating_inspection');
    await cabinet.locator('textarea[name=text]').fill('Isitish tizimini mavsumdan oldin tekshiring');
    await cabinet.locator('select[name=desiredDate]').selectOption(workingDay(3));
    await cabinet.getByRole('button', { name: 'Yuborish' }).click();
    await expect.poll(() => cabinet.getByTestId('application-filed').textContent()).toMatch(/A-\d{4}-\d{6}/);
    number =
      /A-\d{4}-\d{6}/.exec((await cabinet.getByTestId('application-filed').textContent()) ?? '')?.[0] ?? '';
    expect(number).not.toBe('');

    // The district operator, in Russian: the new application is in the open ones.
    const page = await office('ru');
    await page.goto(`${server.url}/inbox`);
    await expect.poll(() => page.getByTestId('applications-table').textContent()).toContain(number);
    expect(await page.getByTestId('applications-table').textContent()).toContain('Подана');
    await shot(page, '01-inbox-ru');
    await openApplication(page, 'applications-table', new RegExp(`Открыть заявку ${number}`));
    const detail = page.getByTestId('application-detail');
    expect(await detail.textContent()).toContain('Isitish tizimini mavsumdan oldin tekshiring');

    // Assign to himself.
    const me = await page
      .getByTestId('assignee-select')
      .locator('option', { hasText: 'Yusupov Behzod Anvarovich' })
      .getAttribute('value');
    await page.getByTestId('assignee-select').selectOption(me ?? '');
    await page.getByTestId('assign').click();
    await expect
      .poll(() => page.getByTestId('detail-assignee').textContent())
      .toBe('Yusupov Behzod Anvarovich');

    // Schedule the visit: the working days offered, the consumer's wish chosen first.
    const options = await page.getByTestId('visit-date').locator('option').allTextContents();
    expect(options.some((o) => o.startsWith('воскресенье'))).toBe(false);
    expect(await page.getByTestId('visit-date').inputValue()).toBe(workingDay(3));
    const visit = workingDay(4);
    await page.getByTestId('visit-date').selectOption(visit);
    await page.locator('textarea[name=note]').fill('Инспектор Рахимов придёт с 9 до 12');
    await page.getByTestId('schedule').click();
    await expect.poll(() => page.getByTestId('detail-status').textContent()).toBe('Назначен выезд');
    await shot(page, '02-scheduled-ru');

    // The consumer sees the visit and the note.
    await cabinet.reload();
    const card = cabinet.getByTestId('application').first();
    await expect
      .poll(() => card.getByTestId('application-status').textContent())
      .toBe('Tashrif rejalashtirildi');
    expect(await card.textContent()).toContain('Инспектор Рахимов придёт с 9 до 12');
    expect(await card.textContent()).toContain(
      `${visit.slice(8, 10)}.${visit.slice(5, 7)}.${visit.slice(0, 4)}`,
    );
    await shot(cabinet, '03-cabinet-scheduled-uz');

    // Refusing needs a reason; resolving with a comment closes it.
    expect(await page.getByTestId('reject').isDisabled()).toBe(true);
    await page.locator('textarea[name=note]').fill('Тизим текширилди, камчилик йўқ');
    await page.getByTestId('resolve').click();
    await expect.poll(() => page.getByTestId('detail-status').textContent()).toBe('Выполнена');
    expect(await page.getByTestId('resolve').count()).toBe(0);
    await shot(page, '04-resolved-ru');
    await page.getByRole('button', { name: 'Закрыть' }).click();
    // Done ones leave the open list.
    await expect.poll(() => page.getByTestId('applications-table-empty').count()).toBe(1);

    await cabinet.reload();
    await expect
      .poll(() => cabinet.getByTestId('application').first().getByTestId('application-status').textContent())
      .toBe('Bajarildi');
    expect(await cabinet.getByTestId('application').first().textContent()).toContain(
      'Тизим текширилди, камчилик йўқ',
    );
    await shot(cabinet, '05-cabinet-done-uz');
  });

  it('approves a change of requisites onto the card and refuses a password recovery, at 375 px in English', async () => {
    // The consumer asks for new bank requisites (through the cabinet API, signed in as above).
    const login = await fetch(`${server.url}/api/cabinet/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contract: CONTRACT, password: NEW_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const filed = await fetch(`${server.url}/api/cabinet/applications`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'requisites_change',
        text: 'Bank almashdi',
        requisites: { bankMfo: '00873', bankAccount: '20208000900123456014' },
      }),
    });
    expect(filed.status).toBe(201);
    number = ((await filed.json()) as { number: string }).number;
    await fetch(`${server.url}/api/cabinet/recovery`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contract: CONTRACT, inn: INN, contact: '+998 71 200 00 14, bosh hisobchi' }),
    });

    const page = await office('en', 375);
    await page.goto(`${server.url}/inbox/requisites`);
    await openApplication(page, 'requisites-table', new RegExp(`Open application ${number}`));
    const compare = page.getByTestId('requisites-compare');
    await expect.poll(() => compare.textContent()).toContain('20208000900123456014');
    expect(await compare.textContent()).toContain('On the card now');
    await shot(page, '06-requisites-en-375');
    await page.getByTestId('approve').click();
    await expect.poll(() => page.getByTestId('detail-status').textContent()).toBe('Done');
    await expect
      .poll(() => page.getByTestId('requisites-applied').textContent())
      .toContain('Yusupov Behzod Anvarovich');
    expect(await compare.textContent()).toContain('Before');
    await shot(page, '07-requisites-applied-en-375');

    // The card now carries the new requisites, as the cabinet shows them.
    const account = (await (
      await fetch(`${server.url}/api/cabinet/account`, { headers: { cookie } })
    ).json()) as { consumer: { bankMfo: string; bankAccount: string } };
    expect(account.consumer).toMatchObject({ bankMfo: '00873', bankAccount: '20208000900123456014' });

    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('tab-lists').click();
    await page.waitForURL(/\/inbox\/employee-lists$/);
    await shot(page, '08-employee-lists-en-375');
    await page.getByTestId('tab-recoveries').click();
    const recoveries = page.getByTestId('recoveries-table');
    await expect.poll(() => recoveries.textContent()).toContain('bosh hisobchi');
    await shot(page, '09-recoveries-en-375');
    await recoveries.locator('tbody tr').first().getByRole('button', { name: 'Refuse' }).click();
    await page.getByLabel('Note').fill('Could not reach the chief accountant');
    await page.getByRole('dialog').getByRole('button', { name: 'Refuse' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`${CONTRACT}: request refused`);
    // The cabinet still opens with the consumer's own password.
    const again = await fetch(`${server.url}/api/cabinet/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contract: CONTRACT, password: NEW_PASSWORD }),
    });
    expect(again.status).toBe(200);
  });
});
