import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';

/** The demo runs on a busy machine in CI too: give the page time to answer. */
const WAIT = { timeout: 20_000 };

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-admin');

const LOGIN = 'operator.yunusobod2';
const DEMO_PASSWORD = 'hisob-demo-2025';

describe('staff administration in the browser', () => {
  let demo: DemoInBrowser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await demoInBrowser();
  }, 300_000);
  afterAll(async () => {
    await demo?.close();
  });

  const signIn = async (page: Page, login: string, password: string) => {
    await page.goto(`${demo.server.url}/login`);
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill(password);
    await page.locator('button[type=submit]').click();
  };

  it('creates a district operator who must change the password and sees only that district, blocks it, adds a district', async () => {
    const admin = await demo.newPage(1280, 900);
    admin.on('dialog', (d) => void d.accept());
    await signIn(admin, 'admin', DEMO_PASSWORD);
    await admin.getByRole('navigation').getByRole('link', { name: 'Boshqaruv' }).click();
    await expect.poll(() => admin.getByTestId('users').locator('tbody tr').count(), WAIT).toBeGreaterThan(10);
    const units = (await (await admin.request.get(`${demo.server.url}/api/org-units`)).json()) as {
      items: { id: string; code: string; name: string }[];
    };
    const yunusobod = units.items.find((u) => u.code === 'TSH-YUN');
    expect(yunusobod).toBeDefined();

    // A new operator for the Yunusobod district: the form says what is wrong beside each field.
    await admin.getByTestId('user-new').click();
    await admin.getByTestId('user-login').fill('ab');
    await admin.getByTestId('user-pinfl').fill('123');
    await admin.getByTestId('user-save').click();
    const drawer = admin.getByRole('dialog');
    await expect.poll(() => drawer.getByText(/^Login: 3–64/).count(), WAIT).toBe(1);
    await expect.poll(() => drawer.getByText(/^JShShIR — 14 ta raqam/).count()).toBe(1);
    await expect.poll(() => drawer.getByText(/^Kamida bitta rol/).count()).toBe(1);
    await admin.getByTestId('user-login').fill(LOGIN);
    await admin.getByTestId('user-fullname').fill('Abdullayev Bobur Karimovich');
    await admin.getByTestId('user-pinfl').fill('30101852600011'); // the demo admin's own PINFL
    await admin.getByTestId('role-0-role').selectOption('operator');
    await admin.getByTestId('role-0-unit').selectOption(yunusobod?.id ?? '');
    await admin.getByTestId('user-save').click();
    await expect
      .poll(() => drawer.getByText('30101852600011 JShShIR boshqa xodimga biriktirilgan').count(), WAIT)
      .toBe(1);
    await admin.screenshot({ path: join(SHOTS, 'new-user-pinfl-taken-uz.png') });
    await admin.getByTestId('user-pinfl').fill('31508901234567');
    await admin.getByTestId('user-save').click();
    await expect.poll(() => admin.getByTestId('temp-password').count(), WAIT).toBe(1);
    const temporary = (await admin.getByTestId('temp-password').textContent())?.trim() ?? '';
    expect(temporary).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
    await admin.screenshot({ path: join(SHOTS, 'new-user-temporary-password-uz.png') });
    await admin.getByTestId('temp-password-done').click();
    await expect.poll(() => admin.getByTestId(`user-${LOGIN}`).count(), WAIT).toBe(1);

    // The new operator signs in with the temporary password and must replace it first.
    const op = await demo.newPage(1280, 900);
    await signIn(op, LOGIN, temporary);
    await expect.poll(() => op.getByRole('heading', { name: "Parolni o'zgartirish" }).count(), WAIT).toBe(1);
    await op.locator('input[name=current]').fill(temporary);
    await op.locator('input[name=next]').fill('yunusobod-pass-2025');
    await op.locator('input[name=repeat]').fill('yunusobod-pass-2025');
    await op.locator('button[type=submit]').click();
    await expect
      .poll(() => op.getByRole('heading', { level: 2 }).first().textContent(), WAIT)
      .toBe('Xush kelibsiz, Abdullayev Bobur Karimovich');
    await op.getByRole('navigation').getByRole('link', { name: "Iste'molchilar" }).click();
    await expect.poll(() => op.getByTestId('consumer-link').count(), WAIT).toBeGreaterThan(0);
    const rows = await op.getByRole('row').allTextContents();
    expect(rows.slice(1).every((r) => r.includes('Yunusobod tuman ETK'))).toBe(true);
    const mine = (await (await op.request.get(`${demo.server.url}/api/consumers?limit=500`)).json()) as {
      total: number;
      items: { orgUnit: { name: string } }[];
    };
    expect(mine.total).toBeGreaterThan(0);
    expect(new Set(mine.items.map((c) => c.orgUnit.name))).toEqual(new Set(['Yunusobod tuman ETK']));
    await op.screenshot({ path: join(SHOTS, 'operator-consumers-uz.png') });

    // In Russian, the admin finds the operator by unit and blocks it: its session ends at once.
    await admin.getByTestId('language').selectOption('ru');
    await admin.getByLabel('Подразделение').selectOption(yunusobod?.id ?? '');
    await expect.poll(() => admin.getByTestId('users-count').textContent(), WAIT).toMatch(/ 4$/);
    await admin.getByTestId(`user-${LOGIN}`).click();
    await expect
      .poll(() => admin.getByRole('dialog').getByText(`Пользователь: ${LOGIN}`).count(), WAIT)
      .toBe(1);
    await admin.getByTestId('user-block').click();
    await expect
      .poll(() => admin.getByTestId('user-done').textContent(), WAIT)
      .toBe(`«${LOGIN}» заблокирован`);
    await expect
      .poll(() => admin.getByRole('dialog').getByTestId('user-status').textContent())
      .toBe('Заблокирован');
    await admin.screenshot({ path: join(SHOTS, 'user-blocked-ru.png') });
    expect((await op.request.get(`${demo.server.url}/api/auth/me`)).status()).toBe(401);
    await op.reload();
    await op.waitForURL(/\/login$/, WAIT);
    await op.locator('input[name=login]').fill(LOGIN);
    await op.locator('input[name=password]').fill('yunusobod-pass-2025');
    await op.locator('button[type=submit]').click();
    await expect
      .poll(() => op.getByRole('alert').textContent(), WAIT)
      .toBe('Foydalanuvchi bloklangan: administratorga murojaat qiling');
    await admin.keyboard.press('Escape');

    // The admin adds a district under the Tashkent region; a taken code is refused beside the field.
    await admin.getByTestId('tab-units').click();
    await admin.getByTestId('unit-add-TSH').click();
    await admin.getByTestId('unit-name').fill('Sergeli tuman ETK');
    await admin.getByTestId('unit-code').fill('tsh-chl');
    await admin.getByTestId('unit-save').click();
    await expect
      .poll(
        () => admin.getByRole('dialog').getByText('Код «tsh-chl» уже есть у другого подразделения').count(),
        WAIT,
      )
      .toBe(1);
    await admin.screenshot({ path: join(SHOTS, 'unit-code-taken-ru.png') });
    await admin.getByTestId('unit-code').fill('TSH-SRG');
    await admin.getByTestId('unit-save').click();
    await expect
      .poll(() => admin.getByTestId('unit-done').textContent(), WAIT)
      .toBe('«Sergeli tuman ETK» добавлено');
    await expect.poll(() => admin.getByTestId('unit-TSH-SRG').textContent()).toContain('район');
    await expect.poll(() => admin.getByRole('dialog').count()).toBe(0);
    await admin.screenshot({ path: join(SHOTS, 'units-ru.png'), fullPage: true });

    // It is at once a choice of the unit filters: the consumers' and the users'.
    await admin.getByRole('navigation').getByRole('link', { name: 'Потребители' }).click();
    await expect.poll(() => admin.getByRole('heading', { name: 'Потребители' }).count(), WAIT).toBe(1);
    const filter = admin.getByLabel('Подразделение');
    await expect.poll(() => filter.locator('option', { hasText: 'Sergeli tuman ETK' }).count(), WAIT).toBe(1);
    await admin.getByRole('navigation').getByRole('link', { name: 'Администрирование' }).click();
    await expect.poll(() => admin.getByTestId('users-search').count(), WAIT).toBe(1);
    await expect.poll(() => admin.getByTestId('users-count').textContent(), WAIT).toBe('1–19 из 19');
    await expect
      .poll(
        () => admin.getByLabel('Подразделение').locator('option', { hasText: 'Sergeli tuman ETK' }).count(),
        WAIT,
      )
      .toBe(1);
    await admin.screenshot({ path: join(SHOTS, 'users-ru.png'), fullPage: true });

    // The audit trail holds the changes with who and what.
    const audit = (await (
      await admin.request.get(`${demo.server.url}/api/audit?actionPrefix=user.`)
    ).json()) as {
      items: { action: string }[];
    };
    expect(audit.items.map((a) => a.action)).toEqual(expect.arrayContaining(['user.create', 'user.block']));

    const narrow = await demo.newPage(375, 800);
    await narrow.context().addCookies(await admin.context().cookies());
    await narrow.goto(`${demo.server.url}/admin`);
    await expect.poll(() => narrow.getByTestId(`user-${LOGIN}`).count(), WAIT).toBe(1);
    await narrow.screenshot({ path: join(SHOTS, 'users-375.png'), fullPage: true });
  });
});
