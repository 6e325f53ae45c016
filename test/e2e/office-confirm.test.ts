import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { type LocalDate, todayInTashkent } from '../../src/domain/period.ts';
import { milli } from '../../src/domain/quantity.ts';
import { recordReading } from '../../src/modules/readings/readings.service.ts';
import { demoCopy } from '../support/browser.ts';
import { type ServerProcess, startServer } from '../support/server.ts';

// R3.4 in the browser: operator.chilonzor of the demo gets a personal key from the demo's test
// certification authority (/fake/keys), ticks a reading staff entered, signs the confirmation
// document in the browser with the key file (the key never leaves the page), and the reading is
// accepted; the consumer then sees in the cabinet who confirmed it, signed.

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-confirm');
const PASSWORD = 'hisob-demo-2025';
const KEY_PASSWORD = 'kalit-2025';
const CABINET_PASSWORD = 'Yangi-parol-2025';

type Seeded = { readingId: string; contract: string; inn: string; serial: string };

/**
 * Until staff entry has its own route here, the reading operator.chilonzor "entered" is recorded
 * through the same use case with the server stopped (PGlite allows one process per folder): today,
 * 100.00 above the register's last accepted reading, left `submitted`.
 */
async function seedSubmittedReading(target: { url: string } | { dataDir: string }): Promise<Seeded> {
  const database = await openDatabase(target);
  try {
    const db = database.db;
    const operator = await db
      .selectFrom('app_user')
      .select(['id', 'tenant_id'])
      .where('login', '=', 'operator.chilonzor')
      .executeTakeFirstOrThrow();
    const today = todayInTashkent();
    const candidates = await db
      .selectFrom('contract as k')
      .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
      .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
      .innerJoin('metering_point as p', 'p.contract_id', 'k.id')
      .innerJoin('meter as m', 'm.metering_point_id', 'p.id')
      .innerJoin('register as g', 'g.meter_id', 'm.id')
      .select(['k.number', 'c.inn', 'g.id as register_id', 'g.install_reading', 'm.digits', 'm.serial'])
      .where('ou.code', '=', 'TSH-CHL')
      .where('c.kind', '=', 'legal')
      .where('c.inn', 'is not', null)
      .where('k.status', '=', 'active')
      .where('m.removed_on', 'is', null)
      .orderBy('k.number')
      .limit(20)
      .execute();
    for (const c of candidates) {
      const last = await db
        .selectFrom('reading')
        .select('value')
        .where('register_id', '=', c.register_id)
        .where('status', '=', 'accepted')
        .where('read_on', '<=', today)
        .orderBy('read_on', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      const value = (last?.value ?? c.install_reading) + 100_000n;
      if (value >= 10n ** BigInt(c.digits) * 1000n) continue;
      const recorded = await db.transaction().execute((trx) =>
        recordReading(
          trx,
          { type: 'user', id: String(operator.id), tenantId: operator.tenant_id },
          {
            tenantId: operator.tenant_id,
            registerId: c.register_id,
            readOn: today as LocalDate,
            value: milli(value),
            source: 'operator',
            today,
            accept: false,
          },
        ),
      );
      return { readingId: String(recorded.id), contract: c.number, inn: c.inn ?? '', serial: c.serial };
    }
    throw new Error('no Chilonzor legal contract with a register to read');
  } finally {
    await database.close();
  }
}

describe('confirming a staff-entered reading with a signature in the browser (R3.4)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let seeded: Seeded;
  let dataDir: string;
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'hisob-e2e-confirm-'));
    // The demo, loaded once for all browser tests and copied here (a PGlite folder or a database).
    const database = await demoCopy(dataDir);
    drop = database.drop;
    const env = { DATA_DIR: dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) };
    seeded = await seedSubmittedReading(database.url ? { url: database.url } : { dataDir });
    server = await startServer(['--demo'], env);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const newPage = async (width: number, lang?: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    if (lang) await context.addInitScript(`localStorage.setItem('hisob_lang', ${JSON.stringify(lang)})`);
    return context.newPage();
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const staffSignIn = async (page: Page) => {
    await page.goto(`${server.url}/login`);
    await page.locator('input[name=login]').fill('operator.chilonzor');
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
  };

  it('gets a key from /fake/keys, signs the confirmation in the browser, and the reading is accepted', async () => {
    const page = await newPage(1280);

    // The demo's stand-in for the national CA issues operator.chilonzor's personal key.
    await page.goto(`${server.url}/fake/keys`);
    const staffForm = page.getByRole('form', { name: 'Staff key' });
    await staffForm.locator('input[name=login]').fill('operator.chilonzor');
    await staffForm.locator('input[name=password]').fill(KEY_PASSWORD);
    await shot(page, '01-fake-keys');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      staffForm.getByRole('button', { name: 'Issue the staff key' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('operator.chilonzor.pfx');
    const keyPath = join(dataDir, 'operator.chilonzor.pfx');
    await download.saveAs(keyPath);

    await staffSignIn(page);
    await page.goto(`${server.url}/readings/confirm`);
    await expect
      .poll(() => page.getByRole('heading', { name: "Ko'rsatkichlarni tasdiqlash" }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    const table = page.getByTestId('pending-table');
    const row = table.locator('tbody tr', { hasText: seeded.serial });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.getByRole('checkbox', { name: 'Qatorni belgilash' }).check();
    await expect.poll(() => page.getByTestId('confirm-selected').textContent()).toBe('Belgilangan: 1');
    await shot(page, '02-pending-uz');

    await page.getByRole('button', { name: 'Imzolash va tasdiqlash' }).click();
    const dialog = page.getByRole('dialog');
    await expect
      .poll(() => dialog.getByTestId('confirm-document').textContent(), { timeout: 15_000 })
      .toContain(seeded.contract);
    expect(await dialog.getByTestId('confirm-document').textContent()).toContain('JShShIR');
    // A wrong password is refused in the browser, before anything is sent.
    await dialog.locator('input[type=file]').setInputFiles(keyPath);
    await dialog.locator('input[name=keyPassword]').fill('wrong-password');
    await dialog.getByRole('button', { name: 'Imzolash', exact: true }).click();
    await expect
      .poll(() => dialog.getByTestId('confirm-problem').textContent())
      .toBe("Kalit paroli noto'g'ri");
    await dialog.locator('input[name=keyPassword]').fill(KEY_PASSWORD);
    await shot(page, '03-sign-dialog-uz');
    const [signed] = await Promise.all([
      page.waitForResponse((r) => /\/api\/readings\/confirmations\/\d+\/signature$/.test(r.url())),
      dialog.getByRole('button', { name: 'Imzolash', exact: true }).click(),
    ]);
    expect(signed.status()).toBe(200);
    // Only the signature went to the server: no key file, no password.
    const sent = signed.request().postData() ?? '';
    expect(Object.keys(JSON.parse(sent))).toEqual(['signature']);
    expect(sent).not.toContain(KEY_PASSWORD);
    await expect
      .poll(() => dialog.getByTestId('confirm-done').textContent())
      .toMatch(/1 ta ko'rsatkich tasdiqlandi/);
    await shot(page, '04-confirmed-uz');

    const confirmation = (await signed.json()) as { id: string; readings: { id: string; status: string }[] };
    expect(confirmation.readings).toEqual([
      expect.objectContaining({ id: seeded.readingId, status: 'accepted' }),
    ]);
    await dialog.getByRole('button', { name: 'Yopish' }).click();
    await expect.poll(() => row.count()).toBe(0);
    const history = page.getByTestId('confirmations-table');
    await expect.poll(() => history.locator('tbody tr').first().textContent()).toContain(confirmation.id);
    const p7s = await page.request.get(`${server.url}/api/readings/confirmations/${confirmation.id}/p7s`);
    expect(p7s.headers()['content-type']).toBe('application/pkcs7-signature');
    await shot(page, '05-history-uz');
  }, 180_000);

  it('shows the signed confirmations at 375 px in Russian, and the consumer sees who confirmed', async () => {
    const page = await newPage(375, 'ru');
    await staffSignIn(page);
    await page.goto(`${server.url}/readings/confirm`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Подтверждение показаний' }).count(), { timeout: 15_000 })
      .toBe(1);
    await expect.poll(() => page.getByTestId('confirmations-table').locator('tbody tr').count()).toBe(1);
    await shot(page, '06-confirm-ru-375');

    const cabinet = await newPage(375, 'ru');
    await cabinet.goto(`${server.url}/cabinet/login`);
    await cabinet.locator('input[name=contract]').fill(seeded.contract);
    await cabinet.locator('input[name=password]').fill(seeded.inn);
    await cabinet.locator('button[type=submit]').click();
    await cabinet.locator('input[name=current]').fill(seeded.inn);
    await cabinet.locator('input[name=next]').fill(CABINET_PASSWORD);
    await cabinet.locator('input[name=repeat]').fill(CABINET_PASSWORD);
    await cabinet.locator('button[type=submit]').click();
    await expect
      .poll(() => cabinet.getByRole('heading', { name: 'Текущее состояние', level: 2 }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await cabinet.goto(`${server.url}/cabinet/readings`);
    await expect
      .poll(() => cabinet.getByRole('heading', { name: 'Показания счётчиков', level: 2 }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    const confirmed = cabinet.getByTestId('reading-confirmed').first();
    await expect
      .poll(() => confirmed.textContent(), { timeout: 15_000 })
      .toMatch(/^Подтверждено: Tursunov Otabek Rustam o'g'li, \d\d\.\d\d\.\d{4} \(ЭЦП\)$/);
    await confirmed.scrollIntoViewIfNeeded();
    await cabinet.screenshot({ path: join(SHOTS, '07-cabinet-ru-375.png') });
  }, 180_000);
});
