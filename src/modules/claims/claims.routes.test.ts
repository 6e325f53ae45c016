import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgFixture,
  createTestApp,
  createUser,
  type OrgFixture,
  signIn,
  type TestApp,
  type TestSession,
} from '../../../test/support/app.ts';
import { TEST_ENGINE } from '../../../test/support/db.ts';
import { addDays, type LocalDate, todayInTashkent } from '../../domain/period.ts';
import { balanceOn } from '../consumers/vitrina.service.ts';
import { debtOf } from './debtors.ts';

// Claims and litigation (R11) over HTTP on a small fixture with known balances:
//   A (north/n1): bills 2025-01, -02, -03 of 100,000.00 each; paid 100,000.00 on 2025-02-10
//   B (north/n2): a bill of 2025-03 of 50,000.00, nothing paid
//   C (south/s1): a bill of 2025-01 of 80,000.00, paid in full on 2025-02-05
//   D (north/n1): a bill of 2025-01 of 600.00; its payment of 2025-02-01 reversed on 2025-03-01
// A charge of month M is due by the last day of M+1.

type Debtor = {
  contractId: string;
  contract: string;
  debt: string;
  overdueDebt: string;
  oldestPeriod: string | null;
  daysOverdue: number;
  lastPayment: { paidOn: string; amount: string } | null;
  openClaims: number;
};
type Claim = {
  id: string;
  number: string;
  kind: string;
  status: string;
  open: boolean;
  debtAmount: string;
  penaltyAmount: string;
  debtSince: string | null;
  dueOn: string | null;
  hearingOn: string | null;
  closedOn: string | null;
  parent: { id: string; status: string } | null;
  children: { id: string; number: string }[];
  next: string[];
  canEscalate: boolean;
  events: { from: string | null; to: string; on: string; note: string | null; by: string | null }[];
};

let t: TestApp;
let f: OrgFixture;
const k: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
const s: Record<string, TestSession> = {};
const today = todayInTashkent();

async function call(who: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: who ? s[who]?.headers : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  f = await createOrgFixture(db, 'claims');
  const contracts = await db
    .selectFrom('contract')
    .select(['id', 'number', 'consumer_id'])
    .where('tenant_id', '=', f.tenantId)
    .execute();
  const byKey = (key: string) => {
    const c = contracts.find((x) => x.number.endsWith(`-${key}`));
    if (!c) throw new Error(`no contract ${key}`);
    return c;
  };
  k.A = String(byKey('n1').id);
  k.B = String(byKey('n2').id);
  k.C = String(byKey('s1').id);
  const d = await db
    .insertInto('contract')
    .values({
      tenant_id: f.tenantId,
      consumer_id: byKey('n1').consumer_id,
      org_unit_id: f.units.n1.id,
      number: 'CLAI-d',
      commodity: 'electricity',
      start_date: '2025-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  k.D = String(d.id);

  const bill = async (contract: string, period: string, amount: bigint) => {
    const b = await db
      .insertInto('bill')
      .values({ tenant_id: f.tenantId, contract_id: BigInt(contract), period, total: amount })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('bill_line')
      .values({ bill_id: b.id, seq: 1, kind: 'energy', quantity: 1000n, amount })
      .execute();
  };
  const pay = async (contract: string, id: string, paidOn: string, amount: bigint, reversedOn?: string) =>
    db
      .insertInto('payment')
      .values({
        tenant_id: f.tenantId,
        contract_id: BigInt(contract),
        channel: 'bank',
        external_id: id,
        amount,
        paid_on: paidOn,
        ...(reversedOn ? { status: 'reversed', reversed_on: reversedOn } : {}),
      })
      .execute();
  for (const p of ['2025-01', '2025-02', '2025-03']) await bill(k.A, p, 10_000_000n);
  await pay(k.A, 'A1', '2025-02-10', 10_000_000n);
  await bill(k.B, '2025-03', 5_000_000n);
  await bill(k.C, '2025-01', 8_000_000n);
  await pay(k.C, 'C1', '2025-02-05', 8_000_000n);
  await bill(k.D, '2025-01', 60_000n);
  await pay(k.D, 'D1', '2025-02-01', 60_000n, '2025-03-01');

  const users = [
    ['law.north', 'lawyer', f.units.north.id],
    ['law.south', 'lawyer', f.units.south.id],
    ['op.n1', 'operator', f.units.n1.id],
    ['analyst', 'analyst', f.units.company.id],
  ] as const;
  for (const [login, role, orgUnitId] of users) {
    await createUser(db, { tenantId: f.tenantId, login, role, orgUnitId });
    s[login] = await signIn(t.app, login);
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe(`the debtor list (${TEST_ENGINE})`, () => {
  it('takes each contract’s debt from the Vitrina’s balance, day by day', async () => {
    const days = [
      '2025-01-31',
      '2025-02-01',
      '2025-02-10',
      '2025-02-28',
      '2025-03-01',
      '2025-03-31',
      '2025-04-15',
    ];
    for (const key of ['A', 'B', 'C', 'D'] as const) {
      for (const day of days) {
        const vitrina = await balanceOn(t.database.db, BigInt(k[key]), day as LocalDate);
        const debt = await debtOf(t.database.db, f.tenantId, BigInt(k[key]), day as LocalDate);
        expect(debt.debt, `${key} ${day}`).toBe(vitrina.amount > 0n ? vitrina.amount : 0n);
      }
    }
  });

  it('lists the overdue debtors of the caller’s units with debt, age, oldest period and last payment', async () => {
    const res = await call('law.north', 'GET', '/api/claims/debtors?on=2025-04-15');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: Debtor[]; total: number };
    expect(page.total).toBe(2);
    // Default order: the largest debt first. B's March bill is not due before April 30.
    expect(page.items.map((r) => r.contract)).toEqual(['CLAI-n1', 'CLAI-d']);
    expect(page.items[0]).toMatchObject({
      debt: '200000.00',
      overdueDebt: '100000.00',
      oldestPeriod: '2025-02',
      daysOverdue: 15,
      lastPayment: { paidOn: '2025-02-10', amount: '100000.00' },
      openClaims: 0,
    });
    // D's only payment was reversed: no last payment, January unpaid since March 1st.
    expect(page.items[1]).toMatchObject({
      debt: '600.00',
      overdueDebt: '600.00',
      oldestPeriod: '2025-01',
      daysOverdue: 46,
      lastPayment: null,
    });
    const south = (await call('law.south', 'GET', '/api/claims/debtors?on=2025-04-15')).json();
    expect(south).toEqual({ items: [], total: 0 });
  });

  it('filters by minimum debt, minimum age and unit, sorts and pages on the server', async () => {
    const list = async (q: string) =>
      (
        (await call('law.north', 'GET', `/api/claims/debtors?on=2025-05-15&${q}`)).json() as {
          items: Debtor[];
          total: number;
        }
      ).items.map((r) => `${r.contract}:${r.daysOverdue}`);
    // On May 15th B's March bill is 15 days overdue, A's February 45, D's January 76.
    expect(await list('sort=daysOverdue&dir=asc')).toEqual(['CLAI-n2:15', 'CLAI-n1:45', 'CLAI-d:76']);
    expect(await list('minDays=45&sort=daysOverdue')).toEqual(['CLAI-d:76']);
    expect(await list('minDebt=50000&sort=debt')).toEqual(['CLAI-n1:45']);
    expect(await list(`orgUnitId=${f.units.n2.id}`)).toEqual(['CLAI-n2:15']);
    expect(await list('q=CLAI-d')).toEqual(['CLAI-d:76']);
    const paged = (
      await call('law.north', 'GET', '/api/claims/debtors?on=2025-05-15&limit=1&offset=1&sort=debt')
    ).json() as { items: Debtor[]; total: number };
    expect(paged.total).toBe(3);
    expect(paged.items.map((r) => r.contract)).toEqual(['CLAI-n2']);
    const past = (
      await call('law.north', 'GET', '/api/claims/debtors?on=2025-05-15&limit=1&offset=9')
    ).json();
    expect(past).toEqual({ items: [], total: 3 });
  });

  it('refuses a unit outside the scope, a day in the future, and roles without claim.read', async () => {
    const out = await call('law.south', 'GET', `/api/claims/debtors?orgUnitId=${f.units.north.id}`);
    expect(out.statusCode).toBe(403);
    expect(out.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
    const future = await call('law.north', 'GET', `/api/claims/debtors?on=${addDays(today, 1)}`);
    expect(future.statusCode).toBe(400);
    expect(future.json().error.code).toBe('CLAIM_DATE_INVALID');
    const op = await call('op.n1', 'GET', '/api/claims/debtors');
    expect(op.statusCode).toBe(403);
    expect(op.json().error.code).toBe('AUTH_FORBIDDEN');
  });

  it('exports the debtors as an XLSX workbook with headers in the asked language', async () => {
    const res = await call(
      'law.north',
      'GET',
      '/api/claims/debtors?on=2025-04-15&format=xlsx&lang=ru&limit=1',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const [sheet] = await readXlsxFile(res.rawPayload);
    expect(sheet?.sheet).toBe('Должники');
    expect(sheet?.data[0]?.slice(0, 5)).toEqual([
      'Договор',
      'Потребитель',
      'ИНН',
      'Подразделение',
      'Задолженность',
    ]);
    expect(sheet?.data).toHaveLength(3);
    expect(sheet?.data[1]?.[0]).toBe('CLAI-n1');
    expect(sheet?.data[1]?.[4]).toBe(200000);
  });
});

describe(`claims: open, move, print (${TEST_ENGINE})`, () => {
  let letter: Claim;

  it('opens a warning letter for today’s debt, numbered, with its history and audit row', async () => {
    const res = await call('law.north', 'POST', '/api/claims', {
      contractId: k.A,
      kind: 'warning_letter',
      openedOn: addDays(today, -3),
    });
    expect(res.statusCode, res.body).toBe(201);
    letter = res.json() as Claim;
    expect(letter.number).toBe(`OGH-${addDays(today, -3).slice(0, 4)}-00001`);
    expect(letter).toMatchObject({
      kind: 'warning_letter',
      status: 'draft',
      open: true,
      debtAmount: '200000.00',
      penaltyAmount: '0.00',
      debtSince: '2025-02',
      next: ['sent', 'cancelled'],
    });
    expect(letter.events).toEqual([
      {
        from: null,
        to: 'draft',
        on: addDays(today, -3),
        note: null,
        by: 'User law.north',
        at: expect.any(String),
      },
    ]);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'after', 'org_unit_path'])
      .where('entity', '=', 'claim')
      .where('entity_id', '=', letter.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.action).toBe('claim.create');
    expect(audit[0]?.org_unit_path).toBe(f.units.n1.path);
    expect(JSON.stringify(audit[0]?.after)).toContain('"debt_amount":"20000000"');
    const debtors = (
      await call('law.north', 'GET', '/api/claims/debtors?on=2025-04-15&hasOpenClaim=true')
    ).json();
    expect(debtors.items.map((r: Debtor) => [r.contract, r.openClaims])).toEqual([['CLAI-n1', 1]]);
  });

  it('refuses a second open claim of the same kind for the contract with 409', async () => {
    const res = await call('law.north', 'POST', '/api/claims', { contractId: k.A, kind: 'warning_letter' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CLAIM_OPEN_EXISTS', details: { number: letter.number } });
  });

  it('refuses a letter without debt, and a disconnection order for debt without debt or without a ground', async () => {
    const none = await call('law.south', 'POST', '/api/claims', { contractId: k.C, kind: 'warning_letter' });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('CLAIM_NO_DEBT');
    const noGround = await call('law.south', 'POST', '/api/claims', {
      contractId: k.C,
      kind: 'disconnection_order',
    });
    expect(noGround.statusCode).toBe(400);
    expect(noGround.json().error.code).toBe('CLAIM_GROUND');
    const forDebt = await call('law.south', 'POST', '/api/claims', {
      contractId: k.C,
      kind: 'disconnection_order',
      ground: 'debt',
    });
    expect(forDebt.statusCode).toBe(409);
    expect(forDebt.json().error.code).toBe('CLAIM_NO_DEBT');
    expect(
      await t.database.db.selectFrom('claim').select('id').where('contract_id', '=', BigInt(k.C)).execute(),
    ).toEqual([]);
  });

  it('records a disconnection order for tampering and its execution (no meter command is sent)', async () => {
    const res = await call('law.south', 'POST', '/api/claims', {
      contractId: k.C,
      kind: 'disconnection_order',
      ground: 'tampering',
      note: 'Seal broken',
    });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json() as Claim;
    expect(order).toMatchObject({ status: 'issued', debtAmount: '0.00', next: ['executed', 'cancelled'] });
    expect(order.number).toMatch(/^OCH-\d{4}-00001$/);
    const done = await call('law.south', 'POST', `/api/claims/${order.id}/status`, { status: 'executed' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'executed', open: false, closedOn: today, next: [] });
  });

  it('moves the letter along its machine, refuses an illegal move with 409 and leaves it as it was', async () => {
    const sentOn = addDays(today, -1);
    const sent = await call('law.north', 'POST', `/api/claims/${letter.id}/status`, {
      status: 'sent',
      on: sentOn,
      note: 'By post',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({
      status: 'sent',
      dueOn: addDays(sentOn, 10),
      next: ['answered', 'paid', 'expired'],
    });

    const back = await call('law.north', 'POST', `/api/claims/${letter.id}/status`, { status: 'draft' });
    expect(back.statusCode).toBe(409);
    expect(back.json().error).toMatchObject({
      code: 'CLAIM_TRANSITION',
      details: { number: letter.number, from: 'sent', to: 'draft' },
    });
    const early = await call('law.north', 'POST', `/api/claims/${letter.id}/status`, {
      status: 'paid',
      on: addDays(today, -2),
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.code).toBe('CLAIM_DATE_INVALID');
    const future = await call('law.north', 'POST', `/api/claims/${letter.id}/status`, {
      status: 'paid',
      on: addDays(today, 1),
    });
    expect(future.json().error.code).toBe('CLAIM_DATE_INVALID');
    const still = (await call('law.north', 'GET', `/api/claims/${letter.id}`)).json() as Claim;
    expect(still.status).toBe('sent');
    expect(still.events.map((e) => e.to)).toEqual(['draft', 'sent']);

    const paid = await call('law.north', 'POST', `/api/claims/${letter.id}/status`, { status: 'paid' });
    expect(paid.json()).toMatchObject({ status: 'paid', open: false, closedOn: today, next: [] });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity', '=', 'claim')
      .where('entity_id', '=', letter.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['claim.create', 'claim.status', 'claim.status']);
    expect(audit[1]?.before).toMatchObject({ status: 'draft', due_on: null });
    expect(audit[1]?.after).toMatchObject({
      status: 'sent',
      on: sentOn,
      note: 'By post',
      due_on: addDays(sentOn, 10),
    });
    // Closed, it no longer blocks a new letter, which takes the next number.
    const next = await call('law.north', 'POST', '/api/claims', { contractId: k.A, kind: 'warning_letter' });
    expect(next.statusCode).toBe(201);
    // Numbers run per year (the letter above is dated three days ago).
    const year = today.slice(0, 4);
    const seq = letter.number.startsWith(`OGH-${year}-`) ? '00002' : '00001';
    expect(next.json().number).toBe(`OGH-${year}-${seq}`);
  });

  it('escalates a pre-trial claim only by filing a court case from it, which follows the court’s steps', async () => {
    const opened = await call('law.north', 'POST', '/api/claims', {
      contractId: k.A,
      kind: 'pretrial_claim',
      penaltyAmount: '1500.50',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const claim = opened.json() as Claim;
    expect(claim.canEscalate).toBe(false);
    await call('law.north', 'POST', `/api/claims/${claim.id}/status`, { status: 'sent' });
    const direct = await call('law.north', 'POST', `/api/claims/${claim.id}/status`, { status: 'escalated' });
    expect(direct.statusCode).toBe(409);
    expect(direct.json().error.code).toBe('CLAIM_ESCALATE_BY_CASE');
    const notFromLetter = await call('law.north', 'POST', '/api/claims', {
      contractId: k.A,
      kind: 'court_case',
      parentId: letter.id,
    });
    expect(notFromLetter.statusCode).toBe(409);
    expect(notFromLetter.json().error.code).toBe('CLAIM_PARENT_INVALID');

    const filed = await call('law.north', 'POST', '/api/claims', {
      contractId: k.A,
      kind: 'court_case',
      parentId: claim.id,
      courtName: 'Toshkent shahar iqtisodiy sudi',
      caseNumber: '4-1001-2501/123',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const courtCase = filed.json() as Claim;
    expect(courtCase).toMatchObject({
      status: 'filed',
      debtAmount: '200000.00',
      penaltyAmount: '1500.50',
      parent: { id: claim.id, status: 'escalated' },
    });
    const parent = (await call('law.north', 'GET', `/api/claims/${claim.id}`)).json() as Claim;
    expect(parent).toMatchObject({ status: 'escalated', open: false, canEscalate: false });
    expect(parent.children.map((c) => c.id)).toEqual([courtCase.id]);

    const noDate = await call('law.north', 'POST', `/api/claims/${courtCase.id}/status`, {
      status: 'hearing',
    });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.json().error.code).toBe('CLAIM_HEARING_REQUIRED');
    const hearingOn = addDays(today, 20);
    const hearing = await call('law.north', 'POST', `/api/claims/${courtCase.id}/status`, {
      status: 'hearing',
      hearingOn,
    });
    expect(hearing.json()).toMatchObject({ status: 'hearing', hearingOn });
    for (const status of ['won', 'enforcement', 'closed']) {
      const moved = await call('law.north', 'POST', `/api/claims/${courtCase.id}/status`, { status });
      expect(moved.statusCode, `${status}: ${moved.body}`).toBe(200);
    }
    const closed = (await call('law.north', 'GET', `/api/claims/${courtCase.id}`)).json() as Claim;
    expect(closed.events.map((e) => e.to)).toEqual(['filed', 'hearing', 'won', 'enforcement', 'closed']);
    expect(closed.open).toBe(false);
  });

  it('prints the warning letter as a PDF with the number, the debt and the legal text in the asked language', async () => {
    const res = await call('law.north', 'GET', `/api/claims/${letter.id}/pdf?lang=ru`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'claim-pdf-'));
    writeFileSync(join(dir, 'letter.pdf'), res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'letter.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain(letter.number);
    expect(text).toContain('ПРЕДУПРЕЖДЕНИЕ');
    expect(text.replace(/\s/g, ' ')).toContain('200 000,00');
    expect(text).toContain('Руководитель');
    const order = (await call('law.south', 'GET', '/api/claims?kind=disconnection_order')).json();
    const pdf = await call('law.south', 'GET', `/api/claims/${order.items[0].id}/pdf`);
    expect(pdf.statusCode).toBe(409);
    expect(pdf.json().error.code).toBe('CLAIM_NOT_PRINTABLE');
  });
});

describe(`claims: lists, scope and the Vitrina (${TEST_ENGINE})`, () => {
  it('lists the claims of the caller’s units with filters and exports them as XLSX', async () => {
    const north = (await call('law.north', 'GET', '/api/claims?sort=number&dir=asc')).json() as {
      items: Claim[];
      total: number;
    };
    expect(north.items.map((c) => c.number.slice(0, 3))).toEqual(['OGH', 'OGH', 'SUD', 'TLB']);
    const open = (await call('law.north', 'GET', '/api/claims?status=open')).json() as { items: Claim[] };
    expect(open.items.map((c) => [c.kind, c.status])).toEqual([['warning_letter', 'draft']]);
    const byContract = (await call('analyst', 'GET', `/api/claims?contractId=${k.C}`)).json();
    expect(byContract.total).toBe(1);
    const south = (await call('law.south', 'GET', '/api/claims')).json();
    expect(south.items.map((c: Claim) => c.kind)).toEqual(['disconnection_order']);

    const xlsx = await call('analyst', 'GET', '/api/claims?format=xlsx&lang=en&sort=number&dir=asc');
    const [sheet] = await readXlsxFile(xlsx.rawPayload);
    expect(sheet?.sheet).toBe('Claims');
    expect(sheet?.data[0]?.slice(0, 4)).toEqual(['Number', 'Date', 'Kind', 'Status']);
    expect(sheet?.data.slice(1).map((r) => r[2])).toEqual([
      'Disconnection order',
      'Warning letter',
      'Warning letter',
      'Court case',
      'Pre-trial claim',
    ]);
  });

  it('keeps claims to the caller’s scope: unknown outside it, 403 without the permission', async () => {
    const mine = (await call('law.north', 'GET', '/api/claims?kind=warning_letter')).json();
    const id = mine.items[0].id as string;
    const other = await call('law.south', 'GET', `/api/claims/${id}`);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('UNKNOWN_CLAIM');
    const move = await call('law.south', 'POST', `/api/claims/${id}/status`, { status: 'sent' });
    expect(move.statusCode).toBe(404);
    const create = await call('law.south', 'POST', '/api/claims', {
      contractId: k.B,
      kind: 'warning_letter',
    });
    expect(create.statusCode).toBe(404);
    expect(create.json().error.code).toBe('UNKNOWN_ACCOUNT');
    const op = await call('op.n1', 'GET', `/api/claims/${id}`);
    expect(op.statusCode).toBe(403);
    expect(op.json().error.code).toBe('AUTH_FORBIDDEN');
    // The analyst reads every claim but changes none.
    expect((await call('analyst', 'GET', `/api/claims/${id}`)).statusCode).toBe(200);
    const write = await call('analyst', 'POST', `/api/claims/${id}/status`, { status: 'sent' });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('AUTH_FORBIDDEN');
    const analystCreate = await call('analyst', 'POST', '/api/claims', {
      contractId: k.B,
      kind: 'warning_letter',
    });
    expect(analystCreate.statusCode).toBe(403);
    expect((await call(null, 'GET', '/api/claims')).statusCode).toBe(401);
  });

  it('shows on the Vitrina the claims open on the chosen day, with their status that day', async () => {
    const opened = await call('law.north', 'POST', '/api/claims', {
      contractId: k.D,
      kind: 'pretrial_claim',
      openedOn: addDays(today, -10),
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const id = opened.json().id as string;
    await call('law.north', 'POST', `/api/claims/${id}/status`, { status: 'sent', on: addDays(today, -5) });
    await call('law.north', 'POST', `/api/claims/${id}/status`, {
      status: 'satisfied',
      on: addDays(today, -2),
    });
    const on = async (day: string) =>
      (
        (await call('analyst', 'GET', `/api/accounts/${k.D}/vitrina?on=${day}`)).json() as {
          claims: { id: string; status: string; kind: string; debtAmount: string }[];
        }
      ).claims;
    expect(await on(addDays(today, -11))).toEqual([]);
    expect((await on(addDays(today, -7))).map((c) => [c.id, c.kind, c.status, c.debtAmount])).toEqual([
      [id, 'pretrial_claim', 'draft', '600.00'],
    ]);
    expect((await on(addDays(today, -3))).map((c) => c.status)).toEqual(['sent']);
    expect(await on(today)).toEqual([]);
    const a = (await call('analyst', 'GET', `/api/accounts/${k.A}/vitrina`)).json();
    expect(a.claims.map((c: { kind: string; status: string }) => [c.kind, c.status])).toEqual([
      ['warning_letter', 'draft'],
    ]);
  });
});
