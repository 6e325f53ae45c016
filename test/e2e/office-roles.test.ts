import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addPeriods, lastDay, type Period, todayInTashkent } from '../../src/domain/period.ts';
import { type DemoInBrowser, demoInBrowser } from '../support/browser.ts';
import {
  fileCabinetApplication,
  type StaffPage,
  shotsDir,
  staffPage,
  WAIT,
  workingDayAfter,
} from '../support/office.ts';

// Issue 6 point 8: each staff role of the demo's electricity supplier does its own part of the
// month in the browser, and only that: the inspector's control reading of an account billed by
// estimate, confirmed by the operator and recalculated to actual by the next bill run (R3.3, R3.4);
// the clerk's Vitrina and inbox; the lawyer's and the analyst's read-only views. What a role may not
// do is neither offered in the menu nor allowed by the API (403).

const SHOTS = shotsDir('office-roles');
const KEY_PASSWORD = 'kalit-rol-2025';

type Unread = { contractId: string; contract: string; meters: number };
type Hit = {
  registers: { registerId: string; obis: string; last: { readOn: string; value: string } | null }[];
};
type Invoice = {
  lines: { kind: string; for_period: string | null; quantity: string | null; amount: string }[];
};
type Consumer = { id: string; name: string; inn: string | null; contracts: string[] };
type Vitrina = { balance: { amount: string; state: string } };

/** "383518.070" + 150 → "383668,07", as staff type a reading. */
function plus150(value: string): string {
  const [whole = '0', frac = '00'] = value.split('.');
  return `${BigInt(whole) + 150n},${frac.padEnd(2, '0').slice(0, 2)}`;
}

/** The 15th of the month three months before today (Tashkent), a day of a closed demo period. */
function pastDay(): string {
  return `${addPeriods(todayInTashkent().slice(0, 7) as Period, -3)}-15`;
}

describe('the month walked by each staff role', () => {
  let demo: DemoInBrowser;
  let url = '';

  beforeAll(async () => {
    demo = await demoInBrowser();
    url = demo.server.url;
    // A loaded machine builds the demo template slowly (once per source version and day).
  }, 900_000);
  afterAll(async () => {
    await demo?.close();
  });

  /** Every one of `calls` is refused with 403 for `who`. */
  const refused = async (who: StaffPage, calls: ['POST' | 'PUT', string, unknown?][]) => {
    for (const [method, path, body] of calls) {
      const answer = await who.call(method, path, body ?? {});
      expect([path, answer.status, answer.code]).toEqual([path, 403, 'AUTH_FORBIDDEN']);
    }
  };

  it('inspector: a control reading of an account billed by estimate, confirmed by the operator, recalculated by the bill run', async () => {
    const operator = await staffPage(demo, SHOTS, 'operator.chilonzor');
    const { open } = await operator.json<{ open: Period }>('/api/periods');
    const estimated = addPeriods(open, -1);

    // An account of Chilonzor without a reading in the last closed period (billed by estimate),
    // preferably none in the open one either, with an energy line on that estimated bill.
    const unreadThen = await operator.json<{ items: Unread[] }>(`/api/periods/${estimated}/unread?limit=500`);
    const unreadNow = new Set(
      (await operator.json<{ items: Unread[] }>(`/api/periods/${open}/unread?limit=500`)).items.map(
        (u) => u.contract,
      ),
    );
    const candidates = unreadThen.items
      .filter((a) => a.meters === 1)
      .sort((a, b) => Number(unreadNow.has(b.contract)) - Number(unreadNow.has(a.contract)));
    let chosen: { account: Unread; registerId: string; value: string } | undefined;
    for (const account of candidates) {
      const bill = await operator.json<Invoice>(`/api/accounts/${account.contractId}/invoices/${estimated}`);
      if (!bill.lines.some((l) => l.kind === 'energy' && l.quantity !== '0.000')) continue;
      const hits = await operator.json<{ items: Hit[] }>(`/api/readings/registers?q=${account.contract}`);
      const registers = hits.items[0]?.registers ?? [];
      const register = registers.find((r) => r.obis === '1.8.0' && r.last);
      if (register?.last && registers.length === 1) {
        chosen = { account, registerId: register.registerId, value: plus150(register.last.value) };
        break;
      }
    }
    if (!chosen) throw new Error(`no Chilonzor account billed by estimate in ${estimated}`);
    const contract = chosen.account.contract;

    // The inspector's menu: readings, consumers, inbox; no billing, no payments, no confirmation.
    const inspector = await staffPage(demo, SHOTS, 'inspector.chilonzor');
    const menu = await inspector.menu();
    expect(menu).toEqual(expect.arrayContaining(['/consumers', '/readings', '/inbox']));
    expect(menu).not.toContain('/billing');
    expect(menu).not.toContain('/payments');
    await inspector.page.goto(`${url}/readings`);
    await inspector.page.getByTestId('tab-entry').waitFor(WAIT);
    expect(await inspector.page.getByTestId('confirm-link').count()).toBe(0);

    // The control reading, dated the open period's last day.
    await inspector.page.locator('input[name=meter-search]').fill(contract);
    await inspector.page.getByRole('button', { name: 'Topish' }).click();
    const input = inspector.page.locator(`input[name=reading-${chosen.registerId}]`);
    await input.waitFor(WAIT);
    await inspector.page.locator('input[name=read-on]').fill(lastDay(open));
    await input.fill(chosen.value);
    await inspector.page.getByRole('button', { name: 'Saqlash' }).click();
    const outcome = inspector.page.getByTestId('outcome-1.8.0');
    await outcome.waitFor(WAIT);
    await inspector.shot('01-inspector-control-reading-uz');
    const status = outcome.getByTestId('reading-status');
    expect(await status.count(), (await outcome.textContent()) ?? '').toBe(1);
    const held = (await status.textContent()) === 'Shubhali';
    expect(await status.textContent()).toMatch(/^(Tasdiq kutilmoqda|Shubhali)$/);
    const entered = await inspector.json<{ items: { id: string; source: string; status: string }[] }>(
      `/api/readings?q=${contract}&period=${open}&source=inspector`,
    );
    expect(entered.items).toEqual([expect.objectContaining({ source: 'inspector' })]);

    // It shows as the inspector's in the list of all readings.
    await inspector.page.getByTestId('tab-all').click();
    await inspector.page.getByLabel('Manba').selectOption('inspector');
    await inspector.page.getByLabel('Shartnoma yoki hisoblagich').fill(contract);
    const listed = inspector.page.getByTestId('readings-all').locator('tbody tr');
    await expect.poll(() => listed.count(), WAIT).toBe(1);
    expect(await listed.first().textContent()).toContain('Nazoratchi');
    await inspector.shot('02-inspector-reading-listed-uz');

    // What the inspector may not do: confirm readings, start a bill run, book or reverse a payment.
    await refused(inspector, [
      ['POST', '/api/readings/confirmations', { readingIds: [entered.items[0]?.id] }],
      ['POST', '/api/bill-runs', { period: open }],
      ['POST', '/api/payments', {}],
      ['POST', '/api/payments/1/reverse', { reason: 'x' }],
    ]);

    // The operator: accepts it from the VEE queue if it was held, then confirms it with a signature.
    if (held) {
      await operator.page.goto(`${url}/readings`);
      await operator.page.getByTestId('tab-queue').click();
      const row = operator.page.getByTestId('readings-queue').locator('tbody tr', { hasText: contract });
      await row.getByRole('button', { name: 'Qabul qilish' }).click();
      await operator.page.getByRole('dialog').getByRole('button', { name: 'Qabul qilish' }).click();
      await expect.poll(() => operator.page.getByTestId('queue-done').count(), WAIT).toBe(1);
    }
    const keys = await demo.newPage(1280, 900);
    await keys.goto(`${url}/fake/keys`);
    const staffForm = keys.getByRole('form', { name: 'Staff key' });
    await staffForm.locator('input[name=login]').fill('operator.chilonzor');
    await staffForm.locator('input[name=password]').fill(KEY_PASSWORD);
    const [download] = await Promise.all([
      keys.waitForEvent('download'),
      staffForm.getByRole('button', { name: 'Issue the staff key' }).click(),
    ]);
    const keyPath = join(mkdtempSync(join(tmpdir(), 'hisob-roles-')), 'operator.chilonzor.pfx');
    await download.saveAs(keyPath);

    const page = operator.page;
    await page.goto(`${url}/readings/confirm`);
    const pending = page.getByTestId('pending-table').locator('tbody tr', { hasText: contract });
    await expect.poll(() => pending.count(), WAIT).toBe(1);
    expect(await pending.textContent()).toContain('Nazoratchi');
    await pending.getByRole('checkbox', { name: 'Qatorni belgilash' }).check();
    await page.getByRole('button', { name: 'Imzolash va tasdiqlash' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('confirm-document').textContent(), WAIT).toContain(contract);
    await dialog.locator('input[type=file]').setInputFiles(keyPath);
    await dialog.locator('input[name=keyPassword]').fill(KEY_PASSWORD);
    await dialog.getByRole('button', { name: 'Imzolash', exact: true }).click();
    await expect
      .poll(() => dialog.getByTestId('confirm-done').textContent(), WAIT)
      .toMatch(/1 ta ko'rsatkich tasdiqlandi/);
    await operator.shot('03-operator-confirmed-inspector-reading-uz');
    await dialog.getByRole('button', { name: 'Yopish' }).click();

    // The operator's bill run of Chilonzor, followed to the end.
    await page.goto(`${url}/billing`);
    await page.getByRole('button', { name: 'Hisob-kitobni boshlash' }).click();
    await expect
      .poll(() => page.getByTestId('bill-runs').locator('tbody tr').first().textContent(), {
        timeout: 240_000,
      })
      .toMatch(/tugadi/);
    await operator.shot('04-operator-bill-run-done-uz');

    // The company closes the period (at company level: the admin here; office-month walks the
    // accountant's close); the account's invoice recalculates the estimated month to actual.
    const admin = await staffPage(demo, SHOTS, 'admin');
    const closed = await admin.call('POST', `/api/periods/${open}/close`);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const invoice = await admin.json<Invoice>(`/api/accounts/${chosen.account.contractId}/invoices/${open}`);
    const recalculation = invoice.lines.filter((l) => l.kind === 'recalculation');
    expect(recalculation.map((l) => l.for_period)).toContain(estimated);
    expect(recalculation.every((l) => l.amount !== '0.00')).toBe(true);

    await page.goto(`${url}/consumers/vitrina/${chosen.account.contractId}?on=${lastDay(open)}`);
    await expect
      .poll(() => page.getByTestId('vitrina-bills').textContent(), WAIT)
      .toContain(open.replace('-', ''));
    await operator.shot('05-vitrina-recalculated-bill-uz');
  }, 600_000);

  it('clerk (Uzbek Cyrillic): the Vitrina today and on a past day, a cabinet application handled; no bill runs', async () => {
    const clerk = await staffPage(demo, SHOTS, 'clerk.chilonzor', 'uz-Cyrl');
    const legal = await clerk.json<{ items: Consumer[] }>('/api/consumers?kind=legal&limit=20&sort=contract');
    const consumer = legal.items.find((c) => c.inn && c.contracts[0]);
    if (!consumer?.inn || !consumer.contracts[0]) throw new Error('no legal consumer in Chilonzor');
    const contract = consumer.contracts[0];
    const meters = await clerk.json<{ items: { serial: string }[] }>(`/api/readings/registers?q=${contract}`);
    const serial = meters.items[0]?.serial ?? '';

    // The Vitrina, from the card: today, then a day of a closed month.
    const page = clerk.page;
    await page.goto(`${url}/consumers?q=${contract}`);
    await expect
      .poll(() => page.getByTestId('consumer-link').allTextContents(), WAIT)
      .toEqual([consumer.name]);
    expect(await page.getByTestId('new-consumer').count()).toBe(0);
    await page.getByTestId('consumer-link').click();
    await page.getByTestId('tab-money').click();
    await page.getByTestId(`vitrina-${contract}`).first().click();
    await expect.poll(() => page.getByTestId('vitrina-balance').count(), WAIT).toBe(1);
    await clerk.shot('06-clerk-vitrina-today-uz-Cyrl');
    const day = pastDay();
    await page.getByTestId('vitrina-date').fill(day);
    await page.waitForURL(new RegExp(`on=${day}$`));
    await expect.poll(() => page.getByTestId('vitrina-day').textContent(), WAIT).toContain(day.slice(8, 10));
    await clerk.shot('07-clerk-vitrina-past-uz-Cyrl');

    // An application the consumer files in the cabinet: assigned to herself, a visit, resolved.
    const number = await fileCabinetApplication(
      url,
      { contract, inn: consumer.inn },
      {
        type: 'meter_inspection',
        meterSerial: serial,
        text: 'Hisoblagichni tekshirib bering',
        desiredDate: workingDayAfter(3),
        desiredTime: '09:00-12:00',
      },
    );
    await page.goto(`${url}/inbox`);
    await page.getByTestId('applications-table-search').fill(number);
    const row = page.getByTestId('applications-table').locator('tbody tr');
    await expect.poll(() => row.count(), WAIT).toBe(1);
    await row.first().getByRole('button').first().click();
    await expect.poll(() => page.getByRole('dialog').textContent(), WAIT).toContain(number);
    const me = await page
      .getByTestId('assignee-select')
      .locator('option', { hasText: 'Abdullayeva Zarina Akmal qizi' })
      .getAttribute('value');
    await page.getByTestId('assignee-select').selectOption(me ?? '');
    await page.getByTestId('assign').click();
    await expect
      .poll(() => page.getByTestId('detail-assignee').textContent(), WAIT)
      .toBe('Abdullayeva Zarina Akmal qizi');
    // The calendar's holidays within the 60 days are not offered, and the API refuses one.
    const years = [...new Set([todayInTashkent(), addDays(todayInTashkent(), 60)].map((d) => d.slice(0, 4)))];
    const holidays: string[] = [];
    for (const year of years) {
      const cal = await clerk.json<{ items: { day: string; kind: string }[] }>(
        `/api/reference/holidays?year=${year}`,
      );
      holidays.push(...cal.items.filter((h) => h.kind === 'holiday').map((h) => h.day));
    }
    const window = holidays.filter((d) => d > todayInTashkent() && d <= addDays(todayInTashkent(), 60));
    const offered = await page
      .getByTestId('visit-date')
      .locator('option')
      .evaluateAll((os) => os.map((o) => o.getAttribute('value')));
    expect(offered.length).toBeGreaterThan(30);
    expect(offered.filter((d) => d && window.includes(d))).toEqual([]);
    if (window[0]) {
      const listed = await clerk.json<{ items: { id: string }[] }>(`/api/applications?q=${number}`);
      const refusedDay = await clerk.call('POST', `/api/applications/${listed.items[0]?.id}/status`, {
        status: 'scheduled',
        visitDate: window[0],
      });
      expect([refusedDay.status, refusedDay.code]).toEqual([400, 'APPLICATION_VISIT_HOLIDAY']);
    }
    const visit = offered.find((d) => d !== null && d >= workingDayAfter(4)) ?? '';
    await page.getByTestId('visit-date').selectOption(visit);
    await page.getByTestId('schedule').click();
    await expect
      .poll(() => page.getByTestId('detail-status').textContent(), WAIT)
      .toBe('Ташриф режалаштирилди');
    await clerk.shot('08-clerk-visit-scheduled-uz-Cyrl');
    await page.locator('textarea[name=note]').fill('Ҳисоблагич текширилди');
    await page.getByTestId('resolve').click();
    await expect.poll(() => page.getByTestId('detail-status').textContent(), WAIT).toBe('Бажарилди');
    expect(await page.getByTestId('resolve').count()).toBe(0);
    await clerk.shot('09-clerk-resolved-uz-Cyrl');

    // No bill run: no button on the billing page, 403 from the API.
    await page.goto(`${url}/billing`);
    await page.getByTestId('periods').waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Ҳисоб-китобни бошлаш' }).count()).toBe(0);
    const { open } = await clerk.json<{ open: string }>('/api/periods');
    await refused(clerk, [
      ['POST', '/api/bill-runs', { period: open }],
      ['POST', '/api/payments', {}],
      ['POST', '/api/readings', {}],
    ]);
  }, 300_000);

  it('lawyer (Russian): consumers and balances of the region read-only, debtors on the Vitrina; no reading or payment changes', async () => {
    const lawyer = await staffPage(demo, SHOTS, 'lawyer.toshkent', 'ru');
    const menu = await lawyer.menu();
    expect(menu).toEqual(expect.arrayContaining(['/consumers', '/billing', '/payments']));
    for (const path of ['/readings', '/inbox', '/admin']) expect(menu).not.toContain(path);

    // Both districts of the Tashkent region.
    const units = await lawyer.json<{ items: { id: string; code: string }[] }>('/api/org-units');
    for (const code of ['TSH-CHL', 'TSH-YUN']) {
      const unit = units.items.find((u) => u.code === code);
      const list = await lawyer.json<{ total: number }>(`/api/consumers?orgUnitId=${unit?.id}&limit=1`);
      expect(list.total, code).toBeGreaterThan(0);
    }
    // A debtor of the region, found as the lawyer does: the Vitrina of legal accounts.
    const legal = await lawyer.json<{ items: Consumer[] }>(
      '/api/consumers?kind=legal&limit=60&sort=contract',
    );
    let debtor: { consumer: Consumer; contractId: string } | undefined;
    for (const consumer of legal.items) {
      const card = await lawyer.json<{ contracts: { id: string; number: string }[] }>(
        `/api/consumers/${consumer.id}`,
      );
      const k = card.contracts[0];
      if (!k) continue;
      const v = await lawyer.json<Vitrina>(`/api/accounts/${k.id}/vitrina`);
      if (v.balance.state === 'debt') {
        debtor = { consumer, contractId: k.id };
        break;
      }
    }
    if (!debtor) throw new Error('no debtor among the legal consumers of Toshkent');
    const page = lawyer.page;
    await page.goto(`${url}/consumers/${debtor.consumer.id}`);
    await expect.poll(() => page.getByTestId('consumer-name').textContent(), WAIT).toBe(debtor.consumer.name);
    expect(await page.getByTestId('edit-requisites').count()).toBe(0);
    expect(await page.getByTestId('add-contract').count()).toBe(0);
    await page.goto(`${url}/consumers/vitrina/${debtor.contractId}`);
    await expect.poll(() => page.getByTestId('vitrina-balance').count(), WAIT).toBe(1);
    expect(await page.getByTestId('vitrina').textContent()).toContain('Задолженность');
    await lawyer.shot('10-lawyer-debtor-vitrina-ru');
    await page.goto(`${url}/payments`);
    await page.getByTestId('payments-table').waitFor(WAIT);
    expect(await page.getByTestId('tab-new').count()).toBe(0);
    await lawyer.shot('11-lawyer-payments-read-only-ru');
    // The lawyer's own page (claims) is walked in office-claims.test.ts.
    await refused(lawyer, [
      ['POST', '/api/readings', {}],
      ['POST', '/api/payments', {}],
      ['POST', '/api/payments/1/reverse', { reason: 'x' }],
    ]);
  }, 300_000);

  it('analyst (English): every region read-only, no write button, writes refused', async () => {
    const analyst = await staffPage(demo, SHOTS, 'analyst', 'en');
    const menu = await analyst.menu();
    expect(menu).toEqual(
      expect.arrayContaining([
        '/consumers',
        '/readings',
        '/billing',
        '/payments',
        '/inbox',
        '/reference',
        '/audit',
      ]),
    );
    const page = analyst.page;
    const units = await analyst.json<{ items: { id: string; code: string }[] }>('/api/org-units');
    for (const code of ['TSH', 'SAM']) {
      const unit = units.items.find((u) => u.code === code);
      await page.goto(`${url}/consumers?orgUnitId=${unit?.id}`);
      await expect
        .poll(() => page.getByTestId('consumers-table-count').textContent(), WAIT)
        .toMatch(/of [1-9]/);
      expect(await page.getByTestId('new-consumer').count()).toBe(0);
      await analyst.shot(`12-analyst-consumers-${code}-en`);
    }
    await page.goto(`${url}/billing`);
    await expect.poll(() => page.getByTestId('periods').locator('tbody tr').count(), WAIT).toBeGreaterThan(1);
    expect(await page.getByRole('button', { name: 'Start bill run' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Close period' }).count()).toBe(0);
    await analyst.shot('13-analyst-billing-en');
    await page.goto(`${url}/payments`);
    await expect
      .poll(() => page.getByTestId('payments-table').locator('tbody tr').count(), WAIT)
      .toBeGreaterThan(0);
    expect(await page.getByTestId('tab-new').count()).toBe(0);
    await analyst.shot('14-analyst-payments-en');
    await page.goto(`${url}/readings`);
    await page.getByTestId('tab-all').waitFor(WAIT);
    expect(await page.getByTestId('tab-entry').count()).toBe(0);
    expect(await page.getByTestId('confirm-link').count()).toBe(0);
    await page.goto(`${url}/audit`);
    await expect.poll(() => page.getByTestId('audit').locator('tbody tr').count(), WAIT).toBeGreaterThan(0);
    await analyst.shot('15-analyst-audit-en');

    const { open } = await analyst.json<{ open: string }>('/api/periods');
    await refused(analyst, [
      ['POST', '/api/bill-runs', { period: open }],
      ['POST', `/api/periods/${open}/close`],
      ['POST', '/api/payments', {}],
      ['POST', '/api/readings', {}],
      ['POST', '/api/reference/tariffs', {}],
      ['POST', '/api/reference/holidays', { day: addDays(todayInTashkent(), 30), name: 'x' }],
    ]);
  }, 300_000);
});
