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
} from '../../../../test/support/app.ts';
import { TEST_ENGINE } from '../../../../test/support/db.ts';
import { parseMoney } from '../../../domain/money.ts';
import { addDays, parseLocalDate, todayInTashkent } from '../../../domain/period.ts';
import { SYSTEM_ACTOR } from '../../audit/audit.ts';
import { bookPayment } from '../payments.service.ts';

// The office payment desk (issue 6 point 5, R5): the list in the caller's scope, manual booking at
// the cash desk, reversal with a reason. Fixture: company → north (n1, n2), south (s1), one
// contract in each district; periods up to 2026-10 are closed.

type Row = {
  id: string;
  paidOn: string;
  channel: string;
  externalId: string;
  amount: string;
  status: string;
  contract: { id: string; number: string } | null;
  consumerName: string | null;
  orgUnit: { id: string; name: string } | null;
  reversal: { on: string; reason: string | null; by: { type: string; name: string | null } | null } | null;
  bookedBy: { id: string; name: string } | null;
};

describe(`office payment desk (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let accountant: TestSession; // accountant at the company unit
  let northAccountant: TestSession; // accountant at the north region
  let operator: TestSession; // operator of district n1
  let clerk: TestSession; // clerk of district n1 (read only)
  let mixed: TestSession; // clerk at the company (reads all), accountant only in the north
  let operatorId: bigint;
  let accountantId: bigint;
  const contracts: Record<'n1' | 'n2' | 's1', bigint> = { n1: 0n, n2: 0n, s1: 0n };
  const seeded: Record<string, string> = {};
  const today = todayInTashkent();

  const db = () => t.database.db;
  const call = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload }) });
  const list = async (s: TestSession, query = '') => {
    const res = await call(s, 'GET', `/api/payments${query ? `?${query}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Row[]; total: number };
  };
  const count = async (table: 'payment' | 'allocation' | 'audit_log') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const book = (s: TestSession, body: Record<string, unknown>) => call(s, 'POST', '/api/payments', body);
  const cash = (over: Record<string, unknown> = {}) => ({
    contractId: String(contracts.n1),
    amount: '600000.00',
    paidOn: today,
    channel: 'cash',
    document: 'KO-0001',
    note: 'Kassa, Chilonzor',
    ...over,
  });

  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(db(), 'desk');
    for (const k of await db().selectFrom('contract').select(['id', 'number']).execute()) {
      const key = k.number.slice(k.number.indexOf('-') + 1) as 'n1' | 'n2' | 's1';
      contracts[key] = k.id;
    }
    await db()
      .insertInto('billing_period')
      .values(
        ['2026-08', '2026-09', '2026-10'].map((period) => ({
          tenant_id: f.tenantId,
          period,
          status: 'closed',
          closed_at: new Date(),
        })),
      )
      .execute();
    // October on n1: energy 450,000.00 and a penalty 50,000.00 — open items for the cash desk.
    const bill = await db()
      .insertInto('bill')
      .values({ tenant_id: f.tenantId, contract_id: contracts.n1, period: '2026-10', number: 'H-1001' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('bill_line')
      .values([
        {
          bill_id: bill.id,
          seq: 1,
          kind: 'energy',
          basis: 'actual',
          obis: '1.8.0',
          quantity: 500_000n,
          price: 9_000_000n,
          amount: parseMoney('450000.00'),
        },
        { bill_id: bill.id, seq: 2, kind: 'penalty', amount: parseMoney('50000.00') },
      ])
      .execute();
    // Payments from other channels in every district, and one unmatched bank payment.
    await db()
      .transaction()
      .execute(async (trx) => {
        for (const [key, channel, id, amount, paidOn] of [
          ['n2', 'payme', 'PM-n2-1', '120000.00', '2026-09-10'],
          ['s1', 'click', 'CL-s1-1', '80000.50', '2026-10-05'],
          ['n1', 'paynet', 'PN-n1-1', '10000.00', '2026-08-20'],
        ] as const) {
          const booked = await bookPayment(trx, SYSTEM_ACTOR, {
            tenantId: f.tenantId,
            contractId: contracts[key],
            channel,
            externalId: id,
            amount: parseMoney(amount),
            paidOn: parseLocalDate(paidOn),
          });
          seeded[id] = String(booked.paymentId);
        }
      });
    const unmatched = await db()
      .insertInto('payment')
      .values({
        tenant_id: f.tenantId,
        contract_id: null,
        channel: 'bank',
        external_id: 'BANK-X-1',
        amount: parseMoney('300000.00'),
        paid_on: '2026-10-20',
        status: 'unmatched',
        payer: '"NOMALUM SAVDO" MChJ',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    seeded['BANK-X-1'] = String(unmatched.id);

    accountantId = await createUser(db(), {
      tenantId: f.tenantId,
      login: 'desk-acc',
      role: 'accountant',
      orgUnitId: f.units.company.id,
    });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'desk-acc-n',
      role: 'accountant',
      orgUnitId: f.units.north.id,
    });
    operatorId = await createUser(db(), {
      tenantId: f.tenantId,
      login: 'desk-op-n1',
      role: 'operator',
      orgUnitId: f.units.n1.id,
    });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'desk-clerk',
      role: 'clerk',
      orgUnitId: f.units.n1.id,
    });
    const mixedId = await createUser(db(), {
      tenantId: f.tenantId,
      login: 'desk-mixed',
      role: 'clerk',
      orgUnitId: f.units.company.id,
    });
    await db()
      .insertInto('user_role')
      .values({ user_id: mixedId, role_code: 'accountant', org_unit_id: f.units.north.id })
      .execute();
    accountant = await signIn(t.app, 'desk-acc');
    northAccountant = await signIn(t.app, 'desk-acc-n');
    operator = await signIn(t.app, 'desk-op-n1');
    clerk = await signIn(t.app, 'desk-clerk');
    mixed = await signIn(t.app, 'desk-mixed');
  });
  afterAll(async () => {
    await t.close();
  });

  describe('manual booking', () => {
    it('books a cash payment: allocated to the open items oldest first, the rest an advance, audited', async () => {
      const res = await book(operator, cash());
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({
        duplicate: false,
        // The older Paynet payment already took 10,000.00 of the energy line.
        allocated: '490000.00',
        payment: {
          channel: 'cash',
          externalId: 'KO-0001',
          amount: '600000.00',
          paidOn: today,
          status: 'booked',
          contract: { id: String(contracts.n1), number: 'DESK-n1' },
          consumerName: 'Consumer n1 desk',
          orgUnit: { id: String(f.units.n1.id), name: 'Unit desk-N1' },
          bookedBy: { id: String(operatorId), name: 'User desk-op-n1' },
          reversal: null,
        },
      });
      seeded['KO-0001'] = body.payment.id;
      const row = await db()
        .selectFrom('payment')
        .selectAll()
        .where('id', '=', BigInt(body.payment.id))
        .executeTakeFirstOrThrow();
      expect([row.amount, row.purpose, row.created_by]).toEqual([
        parseMoney('600000.00'),
        'Kassa, Chilonzor',
        operatorId,
      ]);
      const audit = await db()
        .selectFrom('audit_log')
        .select(['actor_type', 'actor_id', 'after', 'org_unit_path'])
        .where('action', '=', 'payment.book')
        .where('entity_id', '=', body.payment.id)
        .execute();
      expect(audit).toEqual([
        {
          actor_type: 'user',
          actor_id: String(operatorId),
          org_unit_path: f.units.n1.path,
          after: expect.objectContaining({ channel: 'cash', external_id: 'KO-0001', amount: '60000000' }),
        },
      ]);

      const detail = await call(operator, 'GET', `/api/payments/${body.payment.id}`);
      expect(detail.statusCode, detail.body).toBe(200);
      expect(detail.json()).toMatchObject({
        purpose: 'Kassa, Chilonzor',
        allocated: '490000.00',
        advance: '110000.00',
        allocations: [
          { bill: { number: 'H-1001', period: '2026-10' }, line: { kind: 'energy' }, amount: '440000.00' },
          { bill: { number: 'H-1001', period: '2026-10' }, line: { kind: 'penalty' }, amount: '50000.00' },
        ],
      });
      // The consumer's cabinet reads the same table: the receipt is there for staff too.
      const receipt = await call(operator, 'GET', `/api/payments/${body.payment.id}/receipt?lang=ru`);
      expect(receipt.statusCode).toBe(200);
      expect(receipt.headers['content-type']).toBe('application/pdf');
      expect(receipt.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('accepts the same receipt again without booking twice, and refuses it with another amount or contract', async () => {
      const before = [await count('payment'), await count('allocation'), await count('audit_log')];
      const again = await book(operator, cash());
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({
        duplicate: true,
        allocated: '0.00',
        payment: { id: seeded['KO-0001'] },
      });

      const otherAmount = await book(operator, cash({ amount: '600000.01' }));
      expect(otherAmount.statusCode).toBe(409);
      expect(otherAmount.json().error.code).toBe('PAYMENT_CONFLICT');
      const otherContract = await book(northAccountant, cash({ contractId: String(contracts.n2) }));
      expect(otherContract.statusCode).toBe(409);
      expect(otherContract.json().error.code).toBe('PAYMENT_DOCUMENT_CONFLICT');
      expect([await count('payment'), await count('allocation'), await count('audit_log')]).toEqual(before);
    });

    it.each([
      ['more than two decimals', { amount: '12.345' }, 400, 'INVALID_MONEY'],
      ['a negative amount', { amount: '-5.00' }, 400, 'INVALID_MONEY'],
      ['zero', { amount: '0.00' }, 400, 'INVALID_MONEY'],
      ['a group separator', { amount: '1 000.00' }, 400, 'INVALID_MONEY'],
      ['a JSON number', { amount: 1234.56 }, 400, 'VALIDATION_FAILED'],
      ['another channel', { channel: 'payme' }, 400, 'VALIDATION_FAILED'],
      ['no receipt number', { document: '  ' }, 400, 'VALIDATION_FAILED'],
      ['a date in the future', { paidOn: addDays(todayInTashkent(), 2) }, 400, 'PAYMENT_IN_FUTURE'],
      ['a date that does not exist', { paidOn: '2026-02-30' }, 400, 'INVALID_DATE'],
      ['a date in a closed period', { paidOn: '2026-10-31' }, 409, 'PERIOD_CLOSED'],
      ['a date before the closed periods', { paidOn: '2020-01-15' }, 409, 'PERIOD_CLOSED'],
      ['an unknown contract', { contractId: '999999' }, 404, 'PAYMENT_CONTRACT_NOT_FOUND'],
      ['a contract of another district', { contractId: 's1' }, 403, 'ORG_UNIT_OUT_OF_SCOPE'],
    ] as const)('refuses %s and books nothing', async (_name, over, status, code) => {
      const before = [await count('payment'), await count('allocation'), await count('audit_log')];
      const body = cash({ document: 'KO-BAD', ...over });
      if (body.contractId === 's1') body.contractId = String(contracts.s1);
      const res = await book(operator, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect([await count('payment'), await count('allocation'), await count('audit_log')]).toEqual(before);
    });

    it('refuses booking to staff without payment.write', async () => {
      const res = await book(clerk, cash({ document: 'KO-CLERK' }));
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('AUTH_FORBIDDEN');
    });

    it('finds the contracts the caller may book to, by number, name or INN', async () => {
      const mine = await call(operator, 'GET', '/api/payments/contracts?q=DESK');
      expect(mine.statusCode, mine.body).toBe(200);
      expect(mine.json().items.map((c: { number: string }) => c.number)).toEqual(['DESK-n1']);
      const all = await call(accountant, 'GET', '/api/payments/contracts?q=consumer');
      expect(all.json().items.map((c: { number: string }) => c.number)).toEqual([
        'DESK-n1',
        'DESK-n2',
        'DESK-s1',
      ]);
      expect((await call(clerk, 'GET', '/api/payments/contracts?q=DESK')).statusCode).toBe(403);
    });
  });

  describe('the list', () => {
    it('shows a district operator only its district, and company staff everything with the unmatched', async () => {
      expect((await list(operator)).items.map((r) => r.externalId).sort()).toEqual(['KO-0001', 'PN-n1-1']);
      expect((await list(northAccountant)).items.map((r) => r.externalId).sort()).toEqual([
        'KO-0001',
        'PM-n2-1',
        'PN-n1-1',
      ]);
      const all = await list(accountant);
      expect(all.total).toBe(5);
      const bank = all.items.find((r) => r.externalId === 'BANK-X-1');
      expect(bank).toMatchObject({ status: 'unmatched', contract: null, orgUnit: null, amount: '300000.00' });

      // Another district's payment is not there for the operator, by id either.
      for (const url of [
        `/api/payments/${seeded['CL-s1-1']}`,
        `/api/payments/${seeded['CL-s1-1']}/receipt`,
      ]) {
        const res = await call(operator, 'GET', url);
        expect(res.statusCode, url).toBe(404);
        expect(res.json().error.code).toBe('PAYMENT_NOT_FOUND');
      }
      expect((await call(northAccountant, 'GET', `/api/payments/${seeded['BANK-X-1']}`)).statusCode).toBe(
        404,
      );
      expect((await call(accountant, 'GET', `/api/payments/${seeded['CL-s1-1']}`)).statusCode).toBe(200);
    });

    it('filters by channel, status, dates, text and org unit', async () => {
      const ids = async (query: string) =>
        (await list(accountant, query)).items.map((r) => r.externalId).sort();
      expect(await ids('channel=payme')).toEqual(['PM-n2-1']);
      expect(await ids('status=unmatched')).toEqual(['BANK-X-1']);
      expect(await ids('status=booked&from=2026-09-01&to=2026-10-31')).toEqual(['CL-s1-1', 'PM-n2-1']);
      expect(await ids('q=desk-n2')).toEqual(['PM-n2-1']);
      expect(await ids('q=consumer%20s1')).toEqual(['CL-s1-1']);
      expect(await ids('q=nomalum')).toEqual(['BANK-X-1']);
      expect(await ids('q=KO-00')).toEqual(['KO-0001']);
      expect(await ids(`orgUnitId=${f.units.north.id}`)).toEqual(['KO-0001', 'PM-n2-1', 'PN-n1-1']);
      expect(await ids(`orgUnitId=${f.units.s1.id}&channel=click`)).toEqual(['CL-s1-1']);
      // The filter narrows the caller's scope, never widens it.
      expect((await list(operator, `orgUnitId=${f.units.s1.id}`)).total).toBe(0);
      expect((await call(accountant, 'GET', '/api/payments?status=lost')).statusCode).toBe(400);
    });

    it('sorts by paid date, amount and contract, and pages', async () => {
      const order = async (query: string) => (await list(accountant, query)).items.map((r) => r.externalId);
      expect(await order('')).toEqual(['KO-0001', 'BANK-X-1', 'CL-s1-1', 'PM-n2-1', 'PN-n1-1']);
      expect(await order('sort=amount&dir=asc')).toEqual([
        'PN-n1-1',
        'CL-s1-1',
        'PM-n2-1',
        'BANK-X-1',
        'KO-0001',
      ]);
      expect((await order('sort=contract&dir=asc')).slice(0, 4)).toEqual([
        'PN-n1-1',
        'KO-0001',
        'PM-n2-1',
        'CL-s1-1',
      ]);
      const page = await list(accountant, 'sort=amount&dir=desc&limit=2&offset=1');
      expect([page.total, page.items.map((r) => r.externalId)]).toEqual([5, ['BANK-X-1', 'PM-n2-1']]);
    });

    it('exports the whole filtered list as XLSX with headers in the asked language', async () => {
      const res = await call(
        northAccountant,
        'GET',
        '/api/payments?format=xlsx&lang=ru&sort=amount&dir=desc&limit=1',
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const sheets = await readXlsxFile(res.rawPayload);
      expect(sheets.map((x) => x.sheet)).toEqual(['Платежи']);
      const rows = sheets[0]?.data ?? [];
      expect(rows[0]?.slice(0, 6)).toEqual([
        'ID',
        'Дата оплаты',
        'Канал',
        'Документ / транзакция',
        'Сумма, сум',
        'Договор',
      ]);
      // Every row in scope, not one page; amounts as numbers, dates as dates.
      expect(rows.slice(1).map((r) => [r[3], r[4], r[5], r[8]])).toEqual([
        ['KO-0001', 600000, 'DESK-n1', 'Проведён'],
        ['PM-n2-1', 120000, 'DESK-n2', 'Проведён'],
        ['PN-n1-1', 10000, 'DESK-n1', 'Проведён'],
      ]);
      expect(rows[1]?.[1]).toEqual(new Date(`${today}T00:00:00Z`));
      const filtered = await call(accountant, 'GET', '/api/payments?format=xlsx&lang=en&status=unmatched');
      const bank = (await readXlsxFile(filtered.rawPayload))[0]?.data ?? [];
      expect(bank.map((r) => r[3])).toEqual(['Document / transaction', 'BANK-X-1']);
    });
  });

  describe('reversal', () => {
    it('needs a reason and payment.reverse in the payment’s org unit', async () => {
      const id = seeded['KO-0001'];
      for (const payload of [{}, { reason: '' }, { reason: '  ' }]) {
        const res = await call(accountant, 'POST', `/api/payments/${id}/reverse`, payload);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
      const byOperator = await call(operator, 'POST', `/api/payments/${id}/reverse`, {
        reason: 'Xato summa',
      });
      expect(byOperator.statusCode).toBe(403);
      expect(byOperator.json().error.code).toBe('AUTH_FORBIDDEN');
      // Sees the southern payment (clerk at the company) but reverses only in the north.
      const outside = await call(mixed, 'POST', `/api/payments/${seeded['CL-s1-1']}/reverse`, {
        reason: 'Xato',
      });
      expect(outside.statusCode).toBe(403);
      expect(outside.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
      const unseen = await call(northAccountant, 'POST', `/api/payments/${seeded['CL-s1-1']}/reverse`, {
        reason: 'Xato',
      });
      expect(unseen.statusCode).toBe(404);
      expect(
        (await call(accountant, 'POST', '/api/payments/999999/reverse', { reason: 'Xato' })).statusCode,
      ).toBe(404);
      const row = await db()
        .selectFrom('payment')
        .select('status')
        .where('id', '=', BigInt(id ?? '0'))
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('booked');
    });

    it('reverses with the reason: the allocations are undone, the audit row keeps the reason, twice is 409', async () => {
      const id = seeded['KO-0001'] ?? '';
      const before = todayInTashkent();
      const res = await call(accountant, 'POST', `/api/payments/${id}/reverse`, {
        reason: 'Kassir xatosi: summa noto‘g‘ri',
      });
      expect(res.statusCode, res.body).toBe(200);
      // Reversed today in Tashkent, as of the request (a run may cross midnight).
      expect([before, todayInTashkent()]).toContain(res.json().reversal.on);
      expect(res.json()).toMatchObject({
        status: 'reversed',
        reversal: {
          reason: 'Kassir xatosi: summa noto‘g‘ri',
          by: { type: 'user', name: 'User desk-acc' },
        },
      });
      const detail = (await call(operator, 'GET', `/api/payments/${id}`)).json();
      expect(detail.allocations.map((a: { amount: string }) => a.amount)).toEqual([
        '440000.00',
        '50000.00',
        '-440000.00',
        '-50000.00',
      ]);
      expect([detail.allocated, detail.advance]).toEqual(['0.00', '0.00']);
      const audit = await db()
        .selectFrom('audit_log')
        .select(['actor_id', 'after', 'org_unit_path'])
        .where('action', '=', 'payment.reverse')
        .where('entity_id', '=', id)
        .execute();
      expect(audit).toEqual([
        {
          actor_id: String(accountantId),
          org_unit_path: f.units.n1.path,
          after: { status: 'reversed', reversed_on: today, reason: 'Kassir xatosi: summa noto‘g‘ri' },
        },
      ]);

      const twice = await call(accountant, 'POST', `/api/payments/${id}/reverse`, { reason: 'Yana' });
      expect(twice.statusCode).toBe(409);
      expect(twice.json().error.code).toBe('PAYMENT_ALREADY_REVERSED');
      expect((await list(operator, 'status=reversed')).items.map((r) => r.externalId)).toEqual(['KO-0001']);
      // A repeat of the reversed receipt books nothing new.
      const again = await book(operator, cash());
      expect(again.json()).toMatchObject({ duplicate: true, payment: { status: 'reversed' } });
    });

    it('refuses to reverse an unmatched payment (it is matched first)', async () => {
      const res = await call(accountant, 'POST', `/api/payments/${seeded['BANK-X-1']}/reverse`, {
        reason: 'Bank qaytardi',
      });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('PAYMENT_REVERSAL_UNMATCHED');
      const row = await db()
        .selectFrom('payment')
        .select('status')
        .where('id', '=', BigInt(seeded['BANK-X-1'] ?? '0'))
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('unmatched');
    });
  });

  it('tells the page what the caller may do', async () => {
    const desk = async (s: TestSession) => (await call(s, 'GET', '/api/payments/desk')).json();
    expect(await desk(accountant)).toMatchObject({
      canWrite: true,
      canReverse: true,
      company: { read: true, write: true },
    });
    expect(await desk(operator)).toMatchObject({
      canWrite: true,
      canReverse: false,
      company: { read: false, write: false },
    });
    const before = todayInTashkent();
    const clerkDesk = await desk(clerk);
    expect(clerkDesk).toMatchObject({ canWrite: false, canReverse: false });
    // Today in Tashkent, as of the request (a run may cross midnight).
    expect([before, todayInTashkent()]).toContain(clerkDesk.today);
  });

  it('refuses a desk booking through a channel deactivated in the reference data, and the desk says so', async () => {
    await db().updateTable('payment_channel').set({ active: false }).where('code', '=', 'manual').execute();
    try {
      const desk = (await call(operator, 'GET', '/api/payments/desk')).json() as {
        channels: { code: string; active: boolean }[];
      };
      expect(desk.channels.find((c) => c.code === 'manual')).toMatchObject({ active: false });
      expect(desk.channels.find((c) => c.code === 'cash')).toMatchObject({ active: true });
      const payments = await count('payment');
      const audits = await count('audit_log');
      const res = await book(operator, cash({ channel: 'manual', document: 'KO-INACTIVE-1' }));
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error).toMatchObject({
        code: 'PAYMENT_CHANNEL_INACTIVE',
        details: { channel: 'manual' },
      });
      // Nothing half-applied: no payment, no allocation, no audit row.
      expect(await count('payment')).toBe(payments);
      expect(await count('audit_log')).toBe(audits);
      // The active one still books.
      const ok = await book(operator, cash({ document: 'KO-ACTIVE-1', amount: '1000.00' }));
      expect(ok.statusCode, ok.body).toBe(201);
    } finally {
      await db().updateTable('payment_channel').set({ active: true }).where('code', '=', 'manual').execute();
    }
  });
});
