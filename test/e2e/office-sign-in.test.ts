import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';
import type { ServerProcess } from '../support/server.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e');

describe('staff sign-in in the browser', () => {
  let demo: DemoInBrowser;
  let server: ServerProcess;

  // The server runs on PGlite, or on a throwaway PostgreSQL database in CI's PostgreSQL pass.
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await demoInBrowser();
    server = demo.server;
  }, 300_000);
  afterAll(async () => {
    await demo?.close();
  });

  const newPage = (width = 1280): Promise<Page> => demo.newPage(width, 800);

  const signIn = async (page: Page, login: string, password: string) => {
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill(password);
    await page.locator('button[type=submit]').click();
  };

  it('signs in, switches language (the API answers in it too), shows role-based navigation, signs out', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login$/);
    expect(await page.locator('html').getAttribute('lang')).toBe('uz');
    await expect.poll(() => page.getByRole('heading', { name: 'Xodimlar uchun kirish' }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'login-uz.png') });

    await signIn(page, 'operator.chilonzor', 'wrong-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe("Login yoki parol noto'g'ri");
    await page.screenshot({ path: join(SHOTS, 'login-error-uz.png') });

    await page.getByLabel('Til').selectOption('ru');
    await expect.poll(() => page.getByRole('heading', { name: 'Вход для сотрудников' }).count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await signIn(page, 'operator.chilonzor', 'still-wrong');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Неверный логин или пароль');

    await signIn(page, 'operator.chilonzor', 'hisob-demo-2025');
    await expect
      .poll(() => page.getByRole('heading', { level: 2 }).first().textContent())
      .toMatch(/^Добро пожаловать, /);
    await expect.poll(() => page.getByTestId('server-ok').count()).toBe(1);
    const nav = page.getByRole('navigation');
    expect(await nav.getByRole('link', { name: 'Потребители' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Журнал аудита' }).count()).toBe(0); // operators have no audit.read
    await page.screenshot({ path: join(SHOTS, 'home-operator-ru.png') });

    await nav.getByRole('link', { name: 'Показания' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Показания' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.waitForURL(/\/login$/);
    const me = await page.request.get(`${server.url}/api/auth/me`);
    expect(me.status()).toBe(401);
  });

  it('works at 375 px with the menu behind a button, in Uzbek Cyrillic and English', async () => {
    const page = await newPage(375);
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Til').selectOption('uz-Cyrl');
    await expect.poll(() => page.getByRole('heading', { name: 'Ходимлар учун кириш' }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'login-uz-cyrl-375.png') });
    await signIn(page, 'admin', 'hisob-demo-2025');
    await expect
      .poll(() => page.getByRole('heading', { level: 2 }).first().textContent())
      .toMatch(/^Хуш келибсиз, /);
    await page.getByRole('button', { name: 'Меню' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Аудит журнали' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'home-admin-uz-cyrl-375.png') });
    await page.getByLabel('Тил').selectOption('en');
    await expect.poll(() => page.getByRole('link', { name: 'Audit log' }).count()).toBe(1);
    await page.goto(`${server.url}/no/such/page`);
    await expect.poll(() => page.getByRole('heading', { name: 'Page not found' }).count()).toBe(1);
  });

  it('makes a new user replace the given password before anything else', async () => {
    const page = await newPage();
    const api = page.request;
    const admin = await api.post(`${server.url}/api/auth/login`, {
      data: { login: 'admin', password: 'hisob-demo-2025' },
    });
    const { csrfToken } = (await admin.json()) as { csrfToken: string };
    const units = (await (await api.get(`${server.url}/api/org-units`)).json()) as {
      items: { id: string; code: string }[];
    };
    const chilonzor = units.items.find((u) => u.code === 'TSH-CHL');
    const created = await api.post(`${server.url}/api/users`, {
      headers: { 'x-csrf-token': csrfToken },
      data: {
        login: 'new.clerk',
        fullName: 'Yangi Xodim',
        password: 'given-pass-2025',
        roles: [{ role: 'clerk', orgUnitId: chilonzor?.id }],
      },
    });
    expect(created.status()).toBe(201);
    await api.post(`${server.url}/api/auth/logout`, { headers: { 'x-csrf-token': csrfToken } });

    await page.goto(`${server.url}/login`);
    await signIn(page, 'new.clerk', 'given-pass-2025');
    await expect.poll(() => page.getByRole('heading', { name: "Parolni o'zgartirish" }).count()).toBe(1);
    await page.locator('input[name=current]').fill('given-pass-2025');
    await page.locator('input[name=next]').fill('my-own-pass-2025');
    await page.locator('input[name=repeat]').fill('my-own-pass-2026');
    await page.locator('button[type=submit]').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Parollar mos emas');
    await page.locator('input[name=next]').fill('short');
    await page.locator('input[name=repeat]').fill('short');
    await page.locator('button[type=submit]').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/kamida 10 belgi/);
    await page.screenshot({ path: join(SHOTS, 'password-change-uz.png') });
    await page.locator('input[name=next]').fill('my-own-pass-2025');
    await page.locator('input[name=repeat]').fill('my-own-pass-2025');
    await page.locator('button[type=submit]').click();
    await expect
      .poll(() => page.getByRole('heading', { level: 2 }).first().textContent())
      .toBe('Xush kelibsiz, Yangi Xodim');
  });
});
