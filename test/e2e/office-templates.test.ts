import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInTashkent } from '../../src/domain/period.ts';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';

/** The demo runs on a busy machine in CI too: give the page time to answer. */
const WAIT = { timeout: 20_000 };

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'e2e', 'office-templates');

/**
 * Document templates (R1, decision 019) in the browser: the administrator opens the templates in
 * English, is told in English that a placeholder is unknown, adds a version of the invoice note
 * from tomorrow with a placeholder inserted from the list, and previews it as a PDF.
 */
describe('document templates in the browser', () => {
  let demo: DemoInBrowser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // A loaded machine builds the demo template slowly (once per source version and day).
    demo = await demoInBrowser();
  }, 900_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('lets the administrator add an invoice note from tomorrow and preview it, in English', async () => {
    const tomorrow = addDays(todayInTashkent(), 1);
    const page = await demo.newPage(1280, 900);
    await page.goto(`${demo.server.url}/login`);
    await page.getByLabel('Til').selectOption('en');
    await page.locator('input[name=login]').fill('admin');
    await page.locator('input[name=password]').fill('hisob-demo-2025');
    await page.locator('button[type=submit]').click();
    await page.getByRole('navigation').getByRole('link', { name: 'Reference data' }).click();
    await page.getByTestId('tab-templates').click();
    await page.waitForURL(/\/reference\/templates$/);

    // Every kind × language is on the built-in text; the invoice note in English is chosen.
    const cell = page.getByTestId('template-invoice_note-en');
    await expect.poll(() => cell.textContent(), WAIT).toBe('Built-in text');
    await cell.click();
    await expect
      .poll(() => page.getByTestId('template-title').textContent(), WAIT)
      .toBe('Invoice: note under the totals — English');

    // A misspelt placeholder is refused with its name, in English.
    const editor = page.getByTestId('template-body');
    await editor.fill('Please pay {{totl}} by ');
    await page.getByTestId('template-save').click();
    await expect
      .poll(() => page.getByTestId('template-error').textContent(), WAIT)
      .toContain('The text has an unknown placeholder "{{totl}}"');

    // The placeholders are inserted from the list at the cursor.
    await editor.fill('Please pay by ');
    await editor.press('End');
    await page.getByTestId('template-var-dueDate').click();
    await editor.press('End');
    await editor.pressSequentially(' to account ');
    await page.getByTestId('template-var-supplierBankAccount').click();
    await expect
      .poll(() => editor.inputValue(), WAIT)
      .toBe('Please pay by {{dueDate}} to account {{supplierBankAccount}}');
    expect(await page.getByTestId('template-valid-from').inputValue()).toBe(tomorrow);
    await page.getByTestId('template-save').click();
    await expect
      .poll(() => page.getByTestId('reference-done').textContent(), WAIT)
      .toMatch(/^Template version saved \(from /);
    const row = page.getByTestId(`template-version-${tomorrow}`);
    await expect.poll(() => row.textContent(), WAIT).toContain('Upcoming');
    await expect.poll(() => row.textContent(), WAIT).toContain('{{dueDate}}');
    await expect.poll(() => cell.textContent(), WAIT).toContain('Built-in text');
    await expect.poll(() => cell.textContent(), WAIT).toMatch(/next from/);
    await page.screenshot({ path: join(SHOTS, 'invoice-note-en.png'), fullPage: true });

    // The preview opens the PDF of a sample invoice with the note filled in (the route passes the
    // API's answer through and keeps a copy of the bytes the page receives).
    let received: Buffer = Buffer.alloc(0);
    await page.route('**/api/reference/document-templates/invoice_note/en/preview', async (route) => {
      const res = await route.fetch();
      received = await res.body();
      await route.fulfill({ response: res, body: received });
    });
    await editor.fill('Pay {{total}} by {{dueDate}}, please.');
    const [popup, answer] = await Promise.all([
      page.waitForEvent('popup'),
      page.waitForResponse((r) => r.url().endsWith('/invoice_note/en/preview')),
      page.getByTestId('template-preview').click(),
    ]);
    expect(answer.status()).toBe(200);
    expect(answer.headers()['content-type']).toBe('application/pdf');
    await expect.poll(() => popup.url(), WAIT).toMatch(/^blob:/);
    const pdf = join(SHOTS, 'preview.pdf');
    writeFileSync(pdf, received);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('INVOICE');
    expect(text).toMatch(/Pay 1,120,000\.00 UZS by \d\d\.\d\d\.\d{4}, please\./);

    // The change is on record with who made it.
    const detail = await page.request.get(
      `${demo.server.url}/api/reference/document-templates/invoice_note/en`,
    );
    expect((await detail.json()).history[0]).toMatchObject({
      action: 'document_template.version_add',
      after: { validFrom: tomorrow, body: 'Please pay by {{dueDate}} to account {{supplierBankAccount}}' },
    });
  });
});
