import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DemoInBrowser } from './browser.ts';

/** The password of every demo staff user. */
export const STAFF_PASSWORD = 'hisob-demo-2025';

/** Pages answer slower on a loaded machine: wait up to 20 s for what the user waits for. */
export const WAIT = { timeout: 20_000 };

/** The office's languages, as the language pickers name them. */
export type OfficeLanguage = 'uz' | 'uz-Cyrl' | 'ru' | 'en';

/** A signed-in staff page of the demo, with the calls a browser test makes beside the clicks. */
export type StaffPage = {
  page: Page;
  /** GET of an API path as this user; fails the test on anything but 200. */
  json<T>(path: string): Promise<T>;
  /** A state-changing API call as this user (with the session's CSRF token): status and body. */
  call(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ApiAnswer>;
  /** The paths the navigation offers this user. */
  menu(): Promise<string[]>;
  /** A full-page screenshot under the test's artifacts folder. */
  shot(name: string): Promise<void>;
};

/** What an API call answered. */
export type ApiAnswer = { status: number; code: string | null; body: unknown };

/** The folder of a browser test's screenshots, artifacts/e2e/<name>, created. */
export function shotsDir(name: string): string {
  const dir = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Signs `login` in to the office of `demo` in `lang` on a new page `width` px wide. */
export async function staffPage(
  demo: DemoInBrowser,
  shots: string,
  login: string,
  lang: OfficeLanguage = 'uz',
  width = 1280,
): Promise<StaffPage> {
  const page = await demo.newPage(width, 900);
  const url = demo.server.url;
  await page.goto(`${url}/login`);
  if (lang !== 'uz') await page.getByLabel('Til').selectOption(lang);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(STAFF_PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.getByTestId('user-name').waitFor({ state: 'attached', ...WAIT });
  let csrf = '';
  return {
    page,
    json: async <T>(path: string) => {
      const res = await page.request.get(`${url}${path}`);
      expect(res.status(), `${login} GET ${path}: ${await res.text()}`).toBe(200);
      return (await res.json()) as T;
    },
    call: async (method, path, body) => {
      if (!csrf) {
        const me = await page.request.get(`${url}/api/auth/me`);
        csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
      }
      const res = await page.request.fetch(`${url}${path}`, {
        method,
        headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' },
        data: body === undefined ? '{}' : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      const code = (parsed as { error?: { code?: string } } | null)?.error?.code ?? null;
      return { status: res.status(), code, body: parsed };
    },
    menu: async () => {
      const links = page.getByRole('navigation').getByRole('link');
      await links.first().waitFor(WAIT);
      const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      return [...new Set(hrefs)];
    },
    shot: async (name) => {
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    },
  };
}

/**
 * Files an application in the cabinet of contract `contract` (first sign-in with the INN, the
 * forced new password, then the application), as a consumer does; returns its number.
 */
export async function fileCabinetApplication(
  url: string,
  account: { contract: string; inn: string },
  application: Record<string, unknown>,
): Promise<string> {
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const login = await post('/api/cabinet/login', { contract: account.contract, password: account.inn });
  expect(login.status, await login.clone().text()).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  const auth = { cookie, 'x-csrf-token': csrf };
  const changed = await post(
    '/api/cabinet/password',
    { current: account.inn, next: 'Kabinet-2025-parol' },
    auth,
  );
  expect(changed.status, await changed.text()).toBe(204);
  const filed = await post('/api/cabinet/applications', application, auth);
  expect(filed.status, await filed.clone().text()).toBe(201);
  return ((await filed.json()) as { number: string }).number;
}

/** A working day (not a Sunday) `n` or more days after today in Tashkent. */
export function workingDayAfter(n: number): string {
  const day = new Date(Date.now() + 5 * 3_600_000 + n * 86_400_000);
  if (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}
