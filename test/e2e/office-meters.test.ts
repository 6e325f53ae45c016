import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';
import type { ServerProcess } from '../support/server.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-meters');

/** Pages answer slower on a loaded machine: wait up to 20 s for what the user waits for. */
const WAIT = { timeout: 20_000 };

type CardMeter = {
  id: string;
  serial: string;
  removedOn: string | null;
  seals: string[];
  verifiedOn: string | null;
  nextVerificationOn: string | null;
  registers: { obis: string; installReading: string; lastReading: { value: string } | null }[];
};
type CardPoint = { id: string; code: string; meters: CardMeter[] };

/** A reading in thousandths ("1234.560") plus `delta` units, typed as staff type it ("1235,56"). */
function typed(value: string, delta: number): string {
  const hundredths = Math.round(Number(value) * 100) + delta * 100;
  return `${Math.floor(hundredths / 100)},${String(hundredths % 100).padStart(2, '0')}`;
}

describe('meter install, replacement, seals and removal in the browser', () => {
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

  const card = async (page: Page, id: string) => {
    const res = await page.request.get(`${server.url}/api/consumers/${id}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as { contracts: { id: string; meteringPoints: CardPoint[] }[] };
  };

  const openMenu = async (page: Page, serial: string, item: string) => {
    await page.getByTestId(`meter-menu-${serial}`).click();
    await page.getByTestId(item).click();
  };

  it('an operator replaces a meter, seals the new one, removes it and installs another', async () => {
    const page = await demo.newPage(1280, 900);
    await signIn(page, 'operator.chilonzor');
    const list = await page.request.get(`${server.url}/api/consumers?kind=legal&limit=1&sort=contract`);
    const consumer = (await list.json()).items[0] as { id: string; name: string };
    const before = await card(page, consumer.id);
    const point = before.contracts[0]?.meteringPoints.find((p) => p.meters.some((m) => m.removedOn === null));
    const old = point?.meters.find((m) => m.removedOn === null);
    if (!point || !old) throw new Error('the demo consumer has no meter in service');
    const stamp = String(Date.now() % 1_000_000).padStart(6, '0');
    const newSerial = `E2E${stamp}`;

    await page.goto(`${server.url}/consumers/${consumer.id}`);
    await expect.poll(() => page.getByTestId('consumer-name').textContent(), WAIT).toBe(consumer.name);
    await page.getByRole('tab', { name: "Hisoblagichlar va ko'rsatkichlar" }).click();
    await expect.poll(() => page.getByTestId(`meter-menu-${old.serial}`).count(), WAIT).toBe(1);

    // Replace: a removal reading below the last one is refused in the user's language, then corrected.
    await openMenu(page, old.serial, 'meter-replace');
    const form = page.getByTestId('meter-replace-form');
    await expect.poll(() => form.count(), WAIT).toBe(1);
    const last = (g: CardMeter['registers'][number]) => g.lastReading?.value ?? g.installReading;
    const first = old.registers[0];
    if (!first) throw new Error('no register');
    const canGoBelow = Number(last(first)) >= 1;
    for (const g of old.registers)
      await form
        .locator(`input[name="removal-${g.obis}"]`)
        .fill(typed(last(g), g === first && canGoBelow ? -1 : 1));
    await form.locator('select[name=meter-type]').selectOption({ label: 'Mercury 230 ART (MERCURY-230)' });
    await form.locator('input[name=meter-serial]').fill(newSerial);
    await form.locator('input[name="install-1.8.0"]').fill('0,00');
    await form.getByRole('button', { name: "+ Plomba qo'shish" }).click();
    await form.locator('input[name=new-seal-0]').fill(`P-${stamp}-1`);
    await form.locator('input[name=meter-reason]').fill("Qiyoslash muddati o'tgan");
    if (canGoBelow) {
      await form.locator('button[type=submit]').click();
      await expect
        .poll(() => page.getByTestId('meter-dialog-error').textContent(), WAIT)
        .toContain("Ko'rsatkich oldingisidan kichik");
      await page.screenshot({ path: join(SHOTS, 'replace-refused-uz.png'), fullPage: true });
      await form.locator(`input[name="removal-${first.obis}"]`).fill(typed(last(first), 1));
    }
    await page.screenshot({ path: join(SHOTS, 'replace-form-uz.png'), fullPage: true });
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.getByTestId('meter-action-done').textContent(), WAIT).toContain(newSerial);
    await expect.poll(() => page.getByTestId(`meter-menu-${newSerial}`).count(), WAIT).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'replaced-uz.png'), fullPage: true });
    const replaced = (await card(page, consumer.id)).contracts[0]?.meteringPoints.find(
      (p) => p.id === point.id,
    );
    expect(replaced?.meters.find((m) => m.serial === old.serial)?.removedOn).not.toBeNull();
    expect(replaced?.meters.find((m) => m.serial === newSerial)).toMatchObject({
      removedOn: null,
      seals: [`P-${stamp}-1`],
    });

    // Seals: set one on the CT box, remove the first with a reason; the history keeps both.
    await openMenu(page, newSerial, 'meter-seals-open');
    await expect.poll(() => page.getByTestId(`seal-P-${stamp}-1`).count(), WAIT).toBe(1);
    const setForm = page.getByTestId('seal-set-form');
    await setForm.locator('input[name=seal-number]').fill(`P-${stamp}-2`);
    await setForm.locator('select[name=seal-place]').selectOption('ct_box');
    await setForm.locator('button[type=submit]').click();
    await expect.poll(() => page.getByTestId(`seal-P-${stamp}-2`).count(), WAIT).toBe(1);
    await page.getByTestId(`seal-P-${stamp}-1`).getByRole('button').click();
    const removeForm = page.getByTestId('seal-remove-form');
    await removeForm.locator('input[name=seal-reason]').fill('Nazorat tekshiruvi');
    await removeForm.locator('button[type=submit]').click();
    await expect
      .poll(() => page.getByTestId(`seal-P-${stamp}-1`).textContent(), WAIT)
      .toContain('Nazorat tekshiruvi');
    await page.screenshot({ path: join(SHOTS, 'seals-uz.png'), fullPage: true });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('meter-seals').count(), WAIT).toBe(0);

    // Verification dates.
    await openMenu(page, newSerial, 'meter-verification');
    const verification = page.getByTestId('meter-verification-form');
    await verification.locator('input[name=meter-next-verification-on]').fill('2034-06-30');
    await verification.locator('button[type=submit]').click();
    await expect.poll(() => page.getByTestId('meter-action-done').textContent(), WAIT).toContain(newSerial);

    // Remove the new meter (the contract ends), then install another on the free point.
    await openMenu(page, newSerial, 'meter-remove');
    const remove = page.getByTestId('meter-remove-form');
    await remove.locator('input[name="removal-1.8.0"]').fill('5,00');
    await remove.locator('button[type=submit]').click();
    await expect.poll(() => page.getByTestId('meter-action-done').textContent(), WAIT).toContain(newSerial);
    await expect.poll(() => page.getByTestId('meter-install').count(), WAIT).toBe(1);
    await page.getByTestId('meter-install').click();
    const install = page.getByTestId('meter-install-form');
    if ((await install.locator('select[name=meter-point]').count()) > 0)
      await install.locator('select[name=meter-point]').selectOption(point.id);
    await install.locator('select[name=meter-type]').selectOption({ label: 'Mercury 230 ART (MERCURY-230)' });
    await install.locator('input[name=meter-serial]').fill(`${newSerial}B`);
    await install.locator('input[name=meter-multiplier]').fill('20');
    await install.locator('input[name="install-1.8.0"]').fill('12,5');
    await install.locator('input[name="install-3.8.0"]').fill('3');
    await page.screenshot({ path: join(SHOTS, 'install-form-uz.png'), fullPage: true });
    await install.locator('button[type=submit]').click();
    await expect
      .poll(() => page.getByTestId('meter-action-done').textContent(), WAIT)
      .toContain(`${newSerial}B`);
    await expect.poll(() => page.getByTestId(`meter-menu-${newSerial}B`).count(), WAIT).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'installed-uz.png'), fullPage: true });

    const after = (await card(page, consumer.id)).contracts[0]?.meteringPoints.find((p) => p.id === point.id);
    expect(after?.meters.find((m) => m.serial === newSerial)).toMatchObject({
      nextVerificationOn: '2034-06-30',
      seals: [],
    });
    expect(after?.meters.find((m) => m.removedOn === null)).toMatchObject({
      serial: `${newSerial}B`,
      registers: [
        { obis: '1.8.0', installReading: '12.500' },
        { obis: '3.8.0', installReading: '3.000' },
      ],
    });
  });
});
