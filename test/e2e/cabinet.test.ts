import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';
import type { ServerProcess } from '../support/server.ts';

// The consumers' cabinet (R6) walked in the browser on the demo data, as a legal entity would:
// sign-in with the contract number and the INN, the forced new password, every page, readings
// with their failure paths, lockout and the idle sign-out.

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'cabinet');
const NEW_PASSWORD = 'Kabinet2026parol';

type Legal = { contract: string; inn: string; name: string };

/** PNG of 1×1 pixel. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('the consumers’ cabinet in the browser', () => {
  let demo: DemoInBrowser;
  let server: ServerProcess;
  let legal: Legal[] = [];
  let staff = { cookie: '', csrf: '' };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await demoInBrowser();
    server = demo.server;
    // Demo legal entities of the heat supplier, as staff see them: contract number and INN.
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'heat.admin', password: 'hisob-demo-2025' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    staff = { cookie, csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
    const found = (await (
      await fetch(`${server.url}/api/consumers?limit=200`, { headers: { cookie } })
    ).json()) as { items: { kind: string; name: string; inn: string | null; contracts: string[] }[] };
    legal = found.items
      .filter((c) => c.kind !== 'household' && c.contracts.length === 1 && c.inn)
      .map((c) => ({ contract: c.contracts[0] ?? '', inn: c.inn ?? '', name: c.name }));
    expect(legal.length).toBeGreaterThanOrEqual(7);
  }, 300_000);

  afterAll(async () => {
    await demo?.close();
  });

  const newPage = (width = 1280): Promise<Page> => demo.newPage(width, 900);

  const signIn = async (page: Page, contract: string, password: string) => {
    await page.locator('input[name=contract]').fill(contract);
    await page.locator('input[name=password]').fill(password);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/cabinet/login')),
      page.locator('button[type=submit]').click(),
    ]);
  };

  const setPassword = async (page: Page, current: string, next: string, repeat = next) => {
    await page.locator('input[name=current]').fill(current);
    await page.locator('input[name=next]').fill(next);
    await page.locator('input[name=repeat]').fill(repeat);
    await page.locator('button[type=submit]').click();
  };

  const heading = (page: Page, name: string) =>
    expect.poll(() => page.getByRole('heading', { name, level: 2 }).count(), { timeout: 15_000 }).toBe(1);

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('signs in with the contract number and INN, forces a new password, and opens every page', async () => {
    const a = legal[0] as Legal;
    const page = await newPage();
    await page.goto(`${server.url}/cabinet`);
    await page.waitForURL(/\/cabinet\/login$/);
    await expect
      .poll(() => page.getByRole('heading', { name: "Iste'molchi kabinetiga kirish" }).count())
      .toBe(1);
    await shot(page, '01-login-uz');

    // Wrong password, and the number without its leading zeros: both refused alike.
    await signIn(page, a.contract, 'wrong-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe("Login yoki parol noto'g'ri");
    await signIn(page, a.contract.replace(/^0+/, ''), a.inn);
    await expect.poll(() => page.getByRole('alert').textContent()).toBe("Login yoki parol noto'g'ri");
    await shot(page, '02-login-error-uz');

    await signIn(page, a.contract, a.inn);
    await expect.poll(() => page.getByRole('heading', { name: "Parolni o'zgartirish" }).count()).toBe(1);
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect((await page.request.get(`${server.url}/api/cabinet/account`)).status()).toBe(403);
    await setPassword(page, a.inn, 'short1');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/10/);
    await shot(page, '03-first-password-uz');
    await setPassword(page, a.inn, NEW_PASSWORD);

    await heading(page, 'Joriy holat');
    await expect
      .poll(() => page.getByTestId('data-as-of').textContent())
      .toMatch(/^Ma'lumotlar \d\d\.\d\d\.\d{4} \d\d:\d\d holatiga$/);
    expect(await page.getByTestId('balance').textContent()).toMatch(/so'm/);
    expect(await page.getByTestId('consumer-name').textContent()).toContain(a.contract);
    await shot(page, '04-summary-uz');

    const nav = page.getByRole('navigation');
    const pages: [string, string][] = [
      ["Iste'molchi va shartnoma", '05-account-uz'],
      ["Hisoblagich ko'rsatkichlari", '06-readings-uz'],
      ['Hisob-kitoblar, 12 oy', '07-settlements-uz'],
      ["To'lovlar", '08-payments-uz'],
      ["Iste'mol", '09-consumption-uz'],
      ['Hisob-fakturalar va dalolatnomalar', '10-documents-uz'],
    ];
    for (const [name, file] of pages) {
      await nav.getByRole('link', { name, exact: true }).click();
      await heading(page, name);
      await shot(page, file);
    }
    expect(await page.getByText(a.inn).count()).toBe(0); // documents page: no requisites leak
    await nav.getByRole('link', { name: "Iste'molchi va shartnoma" }).click();
    await expect.poll(() => page.getByText(a.inn, { exact: true }).count()).toBe(1);
    const contract = await page.request.get(
      `${server.url}${await page.getByTestId('contract-pdf').getAttribute('href')}`,
    );
    expect(contract.headers()['content-type']).toBe('application/pdf');

    // Settlements in Russian: 12 months, money as "1 234,56 сум".
    await nav.getByRole('link', { name: 'Hisob-kitoblar, 12 oy' }).click();
    await page.getByLabel('Til').selectOption('ru');
    await heading(page, 'Расчёты за 12 месяцев');
    const rows = page.getByTestId('settlements').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(12);
    expect(await rows.first().textContent()).toMatch(/\d{1,3}(\u00a0\d{3})*,\d\d\u00a0сум/);
    expect(await page.getByRole('img', { name: 'Начисления и оплаты по месяцам' }).count()).toBe(1);
    await shot(page, '11-settlements-ru');

    // Documents: each issued invoice opens as a PDF; so does the act.
    await nav.getByRole('link', { name: 'Счета-фактуры и акты' }).click();
    await heading(page, 'Счета-фактуры и акты');
    const link = page.getByTestId('invoices').getByRole('link', { name: 'Открыть' }).first();
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/cabinet\/invoices\/\d{4}-\d\d\?format=pdf&lang=ru$/);
    const pdf = await page.request.get(`${server.url}${href}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const act = await page.request.get(
      `${server.url}${await page.getByTestId('act-pdf').getAttribute('href')}`,
    );
    expect(act.headers()['content-type']).toBe('application/pdf');

    // The invoice is signed by the supplier: its .p7s verifies, and fails once the PDF is changed.
    const p7sHref = await page.getByTestId('invoice-p7s').first().getAttribute('href');
    const p7s = await page.request.get(`${server.url}${p7sHref}`);
    expect(p7s.headers()['content-type']).toBe('application/pkcs7-signature');
    const pdfBytes = await pdf.body();
    const verify = async (document: Buffer) => {
      const files = page.locator('input[type=file]');
      await files
        .nth(0)
        .setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: document });
      await files.nth(1).setInputFiles({
        name: 'invoice.pdf.p7s',
        mimeType: 'application/pkcs7-signature',
        buffer: await p7s.body(),
      });
      await page.getByRole('button', { name: 'Проверить', exact: true }).click();
      return page.getByTestId('verify-result');
    };
    await expect
      .poll(async () => (await verify(pdfBytes)).textContent())
      .toMatch(/^Подпись верна: подписано .+, \d{9} /);
    await shot(page, '11b-signature-valid-ru');
    const changed = Buffer.from(pdfBytes);
    changed[changed.length - 10] = (changed[changed.length - 10] ?? 0) ^ 1;
    await expect
      .poll(async () => (await verify(changed)).textContent())
      .toBe('Подпись недействительна: документ изменён после подписания.');

    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/cabinet\/login$/);
    expect((await page.request.get(`${server.url}/api/cabinet/me`)).status()).toBe(401);
    await page.getByLabel('Язык').selectOption('uz');
  });

  it('takes readings at 375 px and refuses a bad format, a lower reading and an oversized file', async () => {
    const b = legal[1] as Legal;
    const page = await newPage(375);
    await page.goto(`${server.url}/cabinet/login`);
    await signIn(page, b.contract, b.inn);
    await setPassword(page, b.inn, NEW_PASSWORD);
    await heading(page, 'Joriy holat');
    await page.getByRole('button', { name: 'Menyu' }).click();
    await page.getByRole('link', { name: "Hisoblagich ko'rsatkichlari" }).click();
    await heading(page, "Hisoblagich ko'rsatkichlari");
    const list = (await (await page.request.get(`${server.url}/api/cabinet/readings`)).json()) as {
      window: { open: boolean };
      meters: { registers: { registerId: string; last: { value: string } | null }[] }[];
    };
    const register = list.meters[0]?.registers[0];
    if (!register) throw new Error('the demo consumer has no register');
    const input = page.locator(`input[name=reading-${register.registerId}]`);
    if (!list.window.open) {
      // After the 25th the form is closed until the 1st.
      await expect.poll(() => page.getByTestId('window-closed').count()).toBe(1);
      expect(await input.isDisabled()).toBe(true);
      await shot(page, '12-readings-closed-375');
      return;
    }
    const last = Number(register.last?.value ?? '0');
    const error = page.getByTestId('reading-error');
    const submit = page.getByRole('button', { name: "Ko'rsatkichlarni yuborish" });

    await input.fill('12,345');
    await submit.click();
    await expect.poll(() => error.textContent()).toMatch(/XXXXXX,XX/);

    await input.fill((last - 1).toFixed(2).replace('.', ','));
    await submit.click();
    await expect.poll(() => error.textContent()).toMatch(/oldingi/i);

    const next = (last + 12.5).toFixed(2).replace('.', ',');
    await input.fill(next);
    const file = page.locator('input[type=file]');
    await file.setInputFiles({
      name: 'big.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0x25),
    });
    await submit.click();
    await expect.poll(() => error.textContent()).toMatch(/10 MB/);
    await shot(page, '12-readings-error-375');

    await file.setInputFiles({ name: 'meter.png', mimeType: 'image/png', buffer: PNG });
    await submit.click();
    await expect.poll(() => page.getByTestId('reading-done').count()).toBe(1);
    const history = page.locator('table[data-testid^=history-]').first();
    await expect
      .poll(() => history.locator('tbody tr').first().textContent())
      .toContain(next.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0'));
    expect(await history.locator('tbody tr').first().getByRole('link', { name: 'rasm' }).count()).toBe(1);
    await shot(page, '13-readings-done-375');
  });

  it('locks the cabinet after 5 wrong passwords, even against the right one', async () => {
    const c = legal[2] as Legal;
    const page = await newPage();
    await page.goto(`${server.url}/cabinet/login`);
    for (let i = 0; i < 4; i++) {
      await signIn(page, c.contract, `wrong-${i}`);
      await expect.poll(() => page.getByRole('alert').textContent()).toBe("Login yoki parol noto'g'ri");
    }
    await signIn(page, c.contract, 'wrong-4');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/bloklandi/);
    await signIn(page, c.contract, c.inn);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/15 daqiqaga bloklandi/);
    await shot(page, '14-locked-uz');

    // Recovery: a request the district confirms restores the INN as the password.
    await page.getByRole('link', { name: 'Parolni unutdingizmi?' }).click();
    await page.locator('input[name=contract]').fill(c.contract);
    await page.locator('input[name=inn]').fill(c.inn);
    await page.locator('input[name=contact]').fill('+998712000000, bosh hisobchi');
    await page.getByRole('button', { name: "So'rovni yuborish" }).click();
    await expect.poll(() => page.getByTestId('recovery-sent').count()).toBe(1);
    await shot(page, '14b-recovery-sent-uz');
    const inbox = (await (
      await fetch(`${server.url}/api/cabinet-recoveries?status=requested`, {
        headers: { cookie: staff.cookie },
      })
    ).json()) as { items: { id: string; account: string }[] };
    const request = inbox.items.find((r) => r.account === c.contract);
    if (!request) throw new Error('the recovery request did not reach staff');
    const decided = await fetch(`${server.url}/api/cabinet-recoveries/${request.id}/decision`, {
      method: 'POST',
      headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ confirm: true }),
    });
    expect(decided.status).toBe(204);
    await page.getByRole('link', { name: 'Kirish sahifasiga qaytish' }).click();
    await signIn(page, c.contract, c.inn);
    await expect.poll(() => page.getByRole('heading', { name: "Parolni o'zgartirish" }).count()).toBe(1);
  });

  it('warns a minute before the idle sign-out, keeps the session on request, then signs out', async () => {
    const d = legal[3] as Legal;
    const page = await newPage();
    await page.clock.install();
    await page.goto(`${server.url}/cabinet/login`);
    await page.getByLabel('Til').selectOption('en');
    // With the keyboard only, finding the fields by their labels: type, Tab, type, Enter.
    await page.getByLabel('Contract number').focus();
    await page.keyboard.type(d.contract);
    await page.keyboard.press('Tab');
    await page.keyboard.type(d.inn);
    await page.keyboard.press('Enter');
    await page.getByLabel('Current password').waitFor();
    await page.getByLabel('Current password').focus();
    await page.keyboard.type(d.inn);
    await page.keyboard.press('Tab');
    await page.keyboard.type(NEW_PASSWORD);
    await page.keyboard.press('Tab');
    await page.keyboard.type(NEW_PASSWORD);
    await page.keyboard.press('Enter');
    await heading(page, 'Current account');
    // Idle time is measured from now, however long a loaded machine took to get here: stop the
    // page's clock, jump 9 min 5 s, and let it run again (dialogs need their transitions).
    const idleFor = async (duration: string) => {
      // A moment ahead of the page's now, which keeps running until the pause takes hold.
      await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 2000);
      await page.clock.fastForward(duration);
      await page.clock.resume();
    };
    await idleFor('09:05');
    await expect.poll(() => page.getByTestId('idle-warning').isVisible()).toBe(true);
    await shot(page, '15-idle-warning-en');
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await expect.poll(() => page.getByTestId('idle-warning').count()).toBe(0);
    await idleFor('09:05');
    await expect.poll(() => page.getByTestId('idle-warning').isVisible()).toBe(true);
    await page.clock.fastForward('01:00');
    await page.waitForURL(/\/cabinet\/login$/);
    await expect
      .poll(() => page.getByTestId('idle-ended').textContent())
      .toBe('You were signed out after 10 minutes without activity.');
    await shot(page, '16-idle-ended-en');
    expect((await page.request.get(`${server.url}/api/cabinet/me`)).status()).toBe(401);
  });

  it('files applications in Uzbek Cyrillic, shows what the district confirmed and prints the form', async () => {
    const e = legal[4] as Legal;
    const page = await newPage();
    await page.goto(`${server.url}/cabinet/login`);
    await page.getByLabel('Til').selectOption('uz-Cyrl');
    await signIn(page, e.contract, e.inn);
    await setPassword(page, e.inn, NEW_PASSWORD);
    await heading(page, 'Жорий ҳолат');
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'Аризалар' }).click();
    await heading(page, 'Аризалар');
    // A visit needs its date: refused without one, in the page's language.
    await page.locator('textarea[name=text]').fill('Пломба шикастланган');
    await page.getByRole('button', { name: 'Юбориш' }).click();
    await expect
      .poll(() => page.getByTestId('application-error').textContent())
      .toBe('Ташрифнинг исталган санаси ва вақтини танланг');
    const day = new Date(Date.now() + 5 * 3_600_000 + 2 * 86_400_000);
    if (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
    // The days offered are written in the page's language, with their weekday.
    const options = await page.locator('select[name=desiredDate] option').allTextContents();
    expect(options[1]).toMatch(/^(Душанба|Сешанба|Чоршанба|Пайшанба|Жума|Шанба), \d\d\.\d\d\.\d{4}$/);
    expect(options.some((o) => o.startsWith('Якшанба'))).toBe(false);
    await page.locator('select[name=desiredDate]').selectOption(day.toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Юбориш' }).click();
    await expect.poll(() => page.getByTestId('application-filed').textContent()).toMatch(/A-\d{4}-\d{6}/);
    await expect.poll(() => page.getByTestId('application').count()).toBe(1);
    await shot(page, '17-application-filed-uz-cyrl');

    // The year's bills and payments are unread at first; opening the notifications reads them.
    await expect.poll(() => page.getByTestId('unread').count()).toBe(1);
    await nav.getByRole('link', { name: /^Билдиришномалар/ }).click();
    await heading(page, 'Билдиришномалар');
    await expect.poll(() => page.getByTestId('unread').count()).toBe(0);

    // The district accepts and schedules the visit; the consumer sees who and when.
    const [filed] = (await (await page.request.get(`${server.url}/api/cabinet/applications`)).json())
      .items as {
      id: string;
      number: string;
    }[];
    if (!filed) throw new Error('no application');
    for (const body of [
      { status: 'accepted', note: 'Назоратчи тайинланди' },
      { status: 'scheduled', visitDate: day.toISOString().slice(0, 10) },
    ]) {
      const res = await fetch(`${server.url}/api/applications/${filed.id}/status`, {
        method: 'POST',
        headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    }
    await nav.getByRole('link', { name: 'Аризалар' }).click();
    await heading(page, 'Аризалар');
    await page.reload();
    await expect.poll(() => page.getByTestId('unread').textContent()).toBe('2');
    await nav.getByRole('link', { name: /^Билдиришномалар/ }).click();
    await heading(page, 'Билдиришномалар');
    await expect
      .poll(() => page.getByTestId('notification').first().textContent())
      .toContain('Ташриф режалаштирилди');
    await expect.poll(() => page.getByTestId('unread').count()).toBe(0);
    await shot(page, '18a-notifications-uz-cyrl');
    await nav.getByRole('link', { name: 'Туман тасдиқлаган' }).click();
    await heading(page, 'Туман тасдиқлаган');
    await expect.poll(() => page.getByTestId('confirmation').count()).toBe(2);
    expect(await page.getByTestId('confirmation').first().textContent()).toContain('Ташриф режалаштирилди');
    await shot(page, '18-confirmations-uz-cyrl');

    await nav.getByRole('link', { name: 'Аризалар' }).click();
    await expect
      .poll(() => page.getByTestId('application-status').textContent())
      .toBe('Ташриф режалаштирилди');
    const href = await page.getByRole('link', { name: 'Аризани чоп этиш (PDF)' }).getAttribute('href');
    const pdf = await page.request.get(`${server.url}${href}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    // A volume change order on its own page.
    await nav.getByRole('link', { name: 'Шартнома ҳажми' }).click();
    await heading(page, 'Шартнома ҳажми');
    await page.locator('input[name=volume-0]').fill('250,5');
    await page.locator('textarea[name=text]').fill('Янги цех');
    await page.getByRole('button', { name: 'Юбориш' }).click();
    await expect.poll(() => page.getByTestId('application').count()).toBe(1);
    expect(await page.getByTestId('application').textContent()).toContain('250,5');
    await shot(page, '19-volume-uz-cyrl');

    // A change of requisites (function 10): nothing given is refused; a bad MFO too; then filed.
    await nav.getByRole('link', { name: 'Реквизитларни ўзгартириш' }).click();
    await heading(page, 'Реквизитларни ўзгартириш');
    await page.locator('textarea[name=text]').fill('Банк алмашди');
    await page.getByRole('button', { name: 'Юбориш' }).click();
    await expect
      .poll(() => page.getByTestId('application-error').textContent())
      .toBe('Камида битта янги реквизитни кўрсатинг');
    await page.locator('input[name=bankMfo]').fill('0044');
    await page.getByRole('button', { name: 'Юбориш' }).click();
    await expect
      .poll(() => page.getByTestId('application-error').textContent())
      .toBe('«Банк (МФО)» нотўғри: 5 та рақам');
    await page.locator('input[name=bankMfo]').fill('00440');
    await page.locator('input[name=bankAccount]').fill('20208000900123456001');
    await page.getByRole('button', { name: 'Юбориш' }).click();
    await expect.poll(() => page.getByTestId('application').count()).toBe(1);
    expect(await page.getByTestId('application').textContent()).toContain('20208000900123456001');
    await shot(page, '19b-requisites-uz-cyrl');
  });

  it('pays online through the (test) Payme checkout: declined card, then paid, balance and receipt', async () => {
    const f = legal[5] as Legal;
    const page = await newPage(375);
    await page.goto(`${server.url}/cabinet`);
    await signIn(page, f.contract, f.inn);
    await setPassword(page, f.inn, NEW_PASSWORD);
    await heading(page, 'Joriy holat');
    const balance = async () => {
      const res = await page.request.get(`${server.url}/api/cabinet/summary`);
      return BigInt(((await res.json()) as { balance: string }).balance.replace('.', ''));
    };
    const before = await balance();

    await page.getByTestId('pay').click();
    await heading(page, "Onlayn to'lash");
    const amount = page.getByLabel("To'lov summasi");
    await amount.fill('12,345');
    await page.getByRole('button', { name: "To'lovga o'tish" }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/ikki xona/);
    await amount.fill('150000,50');
    await shot(page, '20-pay-uz-375');
    await page.getByRole('button', { name: "To'lovga o'tish" }).click();

    // The provider's page: a declined card first, then a good one.
    await page.waitForURL(/\/fake\/payme\//);
    await shot(page, '20b-checkout-uz');
    await expect.poll(() => page.getByText(/^150\s000,50 so'm$/).count()).toBe(1);
    await page.getByLabel('Karta raqami').fill('8600 0000 0000 0000');
    await page.getByLabel('Amal qilish muddati (OO/YY)').fill('12/39');
    await page.getByRole('button', { name: "To'lash" }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('rad etildi');
    await shot(page, '21-checkout-declined-uz');
    await page.getByLabel('Karta raqami').fill('8600 1234 5678 9012');
    await page.getByLabel('Amal qilish muddati (OO/YY)').fill('12/39');
    await page.getByRole('button', { name: "To'lash" }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('muvaffaqiyatli');
    await page.getByTestId('back').click();

    // Back in the cabinet: paid, a receipt, and the debt lower by exactly the amount.
    await page.waitForURL(/\/cabinet\/pay\/\d+$/);
    await expect.poll(() => page.getByTestId('pay-result').getAttribute('data-status')).toBe('paid');
    await shot(page, '22-paid-uz-375');
    const receipt = await page.request.get(
      `${server.url}${await page.getByTestId('receipt').getAttribute('href')}`,
    );
    expect(receipt.headers()['content-type']).toBe('application/pdf');
    expect(before - (await balance())).toBe(15_000_050n);
    await page.getByRole('link', { name: "Umumiy ma'lumotga" }).click();
    await heading(page, 'Joriy holat');
    await page.goto(`${server.url}/cabinet/payments`);
    await expect
      .poll(() => page.getByTestId('payments').locator('tbody tr').first().textContent())
      .toContain('Payme');
    await shot(page, '23-payments-uz-375');
  });

  it('sends the employee list signed with the company key, in Russian; the district confirms receipt', async () => {
    const g = legal[6] as Legal;
    // The company's key, from the demo's test certification authority (in place of E-IMZO's CA).
    const issued = await fetch(`${server.url}/fake/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ contract: g.contract, password: 'kalit-parol' }).toString(),
    });
    expect(issued.headers.get('content-type')).toBe('application/x-pkcs12');
    const pfx = Buffer.from(await issued.arrayBuffer());

    const page = await newPage();
    await page.goto(`${server.url}/cabinet`);
    await signIn(page, g.contract, g.inn);
    await setPassword(page, g.inn, NEW_PASSWORD);
    await heading(page, 'Joriy holat');
    await page.getByLabel('Til').selectOption('ru');
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'Список работников' }).click();
    await heading(page, 'Список работников (по порядку № 1031)');

    // A bad PINFL is refused with the row and field named; nothing is stored.
    await page.locator('input[name=fullName-1]').fill('Каримов Азиз Бахтиёрович');
    await page.locator('input[name=position-1]').fill('Главный энергетик');
    await page.locator('input[name=pinfl-1]').fill('1234');
    await page.getByRole('button', { name: 'Сформировать документ для подписи' }).click();
    await expect.poll(() => page.getByText('неверный формат').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('employee-list').count()).toBe(0);
    await page.locator('input[name=pinfl-1]').fill('31507851234567');
    await page.getByRole('button', { name: 'Добавить работника' }).click();
    await page.locator('input[name=fullName-2]').fill('Юсупова Малика');
    await page.locator('input[name=position-2]').fill('Электромонтёр');
    await page.locator('input[name=pinfl-2]').fill('41203901234568');
    await page.locator('input[name=phone-2]').fill('+998901234567');
    await shot(page, '24-employees-ru');
    await page.getByRole('button', { name: 'Сформировать документ для подписи' }).click();
    const card = page.getByTestId('employee-list');
    await expect.poll(() => card.getByTestId('employee-list-status').textContent()).toBe('Не подписан');

    // Signing in the browser: a wrong key password first, then the right one.
    const keyFile = card.locator('input[type=file]');
    await keyFile.setInputFiles({ name: `${g.contract}.pfx`, mimeType: 'application/x-pkcs12', buffer: pfx });
    await card.getByLabel('Пароль ключа').fill('not-the-password');
    await card.getByRole('button', { name: 'Подписать и отправить' }).click();
    await expect
      .poll(() => card.getByTestId('sign-problem').textContent())
      .toBe('Неверный пароль файла ключа.');
    await card.getByLabel('Пароль ключа').fill('kalit-parol');
    await card.getByRole('button', { name: 'Подписать и отправить' }).click();
    await expect
      .poll(() => card.getByTestId('employee-list-status').textContent(), { timeout: 30_000 })
      .toBe('Подписан и отправлен');
    expect(await card.textContent()).toContain(`ИНН ${g.inn}`);
    await shot(page, '25-employees-signed-ru');

    // The district confirms receipt; the consumer sees who and when, also among confirmations.
    const lists = (await (
      await fetch(`${server.url}/api/employee-lists?status=submitted`, { headers: { cookie: staff.cookie } })
    ).json()) as { items: { id: string; account: string }[] };
    const mine = lists.items.find((l) => l.account === g.contract);
    expect(mine).toBeDefined();
    const receipt = await fetch(`${server.url}/api/employee-lists/${mine?.id}/receipt`, {
      method: 'POST',
      headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(receipt.status).toBe(200);
    await page.reload();
    await expect.poll(() => card.getByTestId('employee-list-status').textContent()).toBe('Получен');
    expect(await card.getByTestId('employee-list-received').textContent()).toMatch(/^Получил /);
    await shot(page, '26-employees-received-ru');
    await nav.getByRole('link', { name: 'Подтверждения РЭС' }).click();
    await heading(page, 'Подтверждения РЭС');
    await expect.poll(() => page.getByText(/^Список по порядку № 1031 получен/).count()).toBe(1);
    await shot(page, '27-confirmations-ru');
    await page.getByLabel('Язык').selectOption('uz');
  });
});
