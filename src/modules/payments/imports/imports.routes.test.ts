import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
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
import { encodeSingleByte, sampleDocuments, statementText } from '../../../domain/fixtures/bank-statement.ts';
import { parseMoney } from '../../../domain/money.ts';
import { parseLocalDate } from '../../../domain/period.ts';
import { SYSTEM_ACTOR } from '../../audit/audit.ts';
import { bookPayment } from '../payments.service.ts';

const SUPPLIER = '20210000900123456001';
const BOUNDARY = '----hisob-import-boundary';

/** A multipart/form-data body with text fields and one file `file`. */
function form(fields: Record<string, string>, file: { name: string; bytes: Uint8Array }) {
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  parts.push(
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.from(file.bytes),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  );
  return Buffer.concat(parts);
}

const UNKNOWN_PAYER = {
  number: '901',
  date: '20.11.2026',
  amount: '300000.00',
  payer: '"NOMALUM SAVDO" MChJ',
  payerInn: '309999999',
  payerAccount: '20208000700700700700',
  payerMfo: '00401',
  recipientAccount: SUPPLIER,
  purpose: 'Оплата за электроэнергию за ноябрь 2026 г.',
};

const POST_CSV = [
  'Реестр платежей № 1187 от 20.11.2026, ОПС 100011',
  'Дата;№ реестра;№ квитанции;Лицевой счет;ФИО плательщика;Сумма',
  '20.11.2026;1187;000451;BANK-n1;Каримов Алишер;125000,50',
  '20.11.2026;1187;000452;00015;Юсупова Нодира;98000',
  '20.11.2026;1187;000453;99999;Ли Вера;15000.00',
  'Итого;;;;;238000,50',
].join('\r\n');

describe(`bank statements and post registries (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let accountant: TestSession;
  let districtOperator: TestSession;
  let clerk: TestSession;
  const contracts: Record<string, bigint> = {};

  const db = () => t.database.db;
  const importFile = (s: TestSession, channel: string, name: string, bytes: Uint8Array) =>
    t.app.inject({
      method: 'POST',
      url: '/api/payments/imports',
      headers: { ...s.headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload: form({ channel }, { name, bytes }),
    });
  const count = async (table: 'payment' | 'import_batch' | 'import_line' | 'allocation') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(db(), 'bankpost');
    await db()
      .updateTable('tenant')
      .set({ bank_account: SUPPLIER, bank_mfo: '00873' })
      .where('id', '=', f.tenantId)
      .execute();
    for (const c of [
      { number: '00014', inn: '200828424', unit: f.units.n1.id, name: 'ЎЗБЕКИСТОН ТЕМИР ЙЎЛЛАРИ АЖ' },
      { number: '00015', inn: '301222333', unit: f.units.s1.id, name: 'TOSHKENT NON MChJ' },
    ]) {
      const consumer = await db()
        .insertInto('consumer')
        .values({ tenant_id: f.tenantId, org_unit_id: c.unit, kind: 'legal', name: c.name, inn: c.inn })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('contract')
        .values({
          tenant_id: f.tenantId,
          consumer_id: consumer.id,
          org_unit_id: c.unit,
          number: c.number,
          commodity: 'electricity',
          start_date: '2025-01-01',
        })
        .execute();
    }
    for (const k of await db().selectFrom('contract').select(['id', 'number']).execute())
      contracts[k.number] = k.id;
    // Open items: 1,000,000.00 on 00014 and 200,000.00 on BANK-n2 for October.
    for (const [number, amount] of [
      ['00014', '1000000.00'],
      ['BANK-n2', '200000.00'],
    ] as const) {
      const bill = await db()
        .insertInto('bill')
        .values({ tenant_id: f.tenantId, contract_id: contracts[number] ?? 0n, period: '2026-10' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('bill_line')
        .values({
          bill_id: bill.id,
          seq: 1,
          kind: 'energy',
          basis: 'actual',
          obis: '1.8.0',
          quantity: 1_000_000n,
          price: 10_000n,
          amount: parseMoney(amount),
        })
        .execute();
    }
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'bp-acc',
      role: 'accountant',
      orgUnitId: f.units.company.id,
    });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'bp-op-n1',
      role: 'operator',
      orgUnitId: f.units.n1.id,
    });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'bp-clerk',
      role: 'clerk',
      orgUnitId: f.units.company.id,
    });
    accountant = await signIn(t.app, 'bp-acc');
    districtOperator = await signIn(t.app, 'bp-op-n1');
    clerk = await signIn(t.app, 'bp-clerk');
  });
  afterAll(async () => {
    await t.close();
  });

  const statement = () =>
    encodeSingleByte(
      statementText({ account: SUPPLIER, documents: [...sampleDocuments(SUPPLIER), UNKNOWN_PAYER] }),
    );

  it('imports a bank statement: books what it can match, queues the rest, skips what is not a payment', async () => {
    const res = await importFile(accountant, 'bank', 'vypiska_20261120.txt', statement());
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.batch).toMatchObject({
      channel: 'bank',
      fileName: 'vypiska_20261120.txt',
      format: '1c',
      statementFrom: '2026-11-20',
      statementTo: '2026-11-20',
      counts: { lines: 3, booked: 2, duplicates: 0, unmatched: 1, skipped: 2 },
      amounts: { booked: '3625000.50', unmatched: '300000.00' },
      createdBy: { name: 'User bp-acc' },
    });
    expect(
      body.lines.map((l: Record<string, unknown>) => [
        l.line,
        l.outcome,
        l.contractNumber,
        l.matchedBy,
        l.reason,
      ]),
    ).toEqual([
      [21, 'booked', '00014', 'purpose', null],
      [39, 'booked', '00015', 'purpose', null],
      [90, 'unmatched', null, null, 'none'],
    ]);
    expect(body.skipped).toEqual([
      { line: 56, number: '88', amount: '250000.00', reason: 'outgoing' },
      { line: 73, number: '3', amount: '99.99', reason: 'other_account' },
    ]);

    const payments = await db()
      .selectFrom('payment')
      .selectAll()
      .where('import_batch_id', '=', BigInt(body.batch.id))
      .orderBy('id')
      .execute();
    expect(payments.map((p) => [p.status, p.contract_id, p.amount, p.paid_on, p.payer])).toEqual([
      ['booked', contracts['00014'], parseMoney('1250000.50'), '2026-11-20', '"ЎЗБЕКИСТОН ТЕМИР ЙЎЛЛАРИ" АЖ'],
      ['booked', contracts['00015'], parseMoney('2375000.00'), '2026-11-20', '"TOSHKENT NON" MChJ'],
      ['unmatched', null, parseMoney('300000.00'), '2026-11-20', '"NOMALUM SAVDO" MChJ'],
    ]);
    expect(payments[2]?.purpose).toBe('Оплата за электроэнергию за ноябрь 2026 г.');
    expect(payments[0]?.external_id).toBe('00440-20210000400100200300-245-20261119');
    // billing-rules §8: the payment covers the open item, dated the day it arrived; the rest is an advance.
    const allocations = await db()
      .selectFrom('allocation')
      .select(['amount', 'allocated_on'])
      .where('payment_id', '=', payments[0]?.id ?? 0n)
      .execute();
    expect(allocations).toEqual([{ amount: parseMoney('1000000.00'), allocated_on: '2026-11-20' }]);
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity', '=', 'import_batch')
      .where('entity_id', '=', body.batch.id)
      .execute();
    expect(audit).toMatchObject([
      { action: 'payment.import', after: { booked: 2, unmatched: 1, skipped: 2 } },
    ]);
  });

  it('refuses the same file again, naming the earlier batch', async () => {
    const before = await count('payment');
    const res = await importFile(accountant, 'bank', 'copy.txt', statement());
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'PAYMENT_FILE_DUPLICATE',
      details: { fileName: 'vypiska_20261120.txt' },
    });
    expect(await count('payment')).toBe(before);
  });

  it('imports a file sent twice at once only once', async () => {
    const registry = POST_CSV.replaceAll('1187', '2187')
      .replaceAll('20.11.2026', '19.11.2026')
      .replace('99999', 'BANK-s1');
    const bytes = new TextEncoder().encode(registry);
    const before = await count('payment');
    const answers = await Promise.all([
      importFile(accountant, 'post', 'a.csv', bytes),
      importFile(accountant, 'post', 'b.csv', bytes),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(await count('payment')).toBe(before + 3);
  });

  it('books only the new payments of an overlapping statement', async () => {
    const docs = sampleDocuments(SUPPLIER);
    const again = docs[1];
    if (!again) throw new Error('fixture');
    const next = { ...again, number: '18', date: '21.11.2026', amount: '500000.00' };
    const res = await importFile(
      accountant,
      'bank',
      'vypiska_20261121.txt',
      encodeSingleByte(statementText({ account: SUPPLIER, date: '21.11.2026', documents: [again, next] })),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().batch.counts).toEqual({ lines: 2, booked: 1, duplicates: 1, unmatched: 0, skipped: 0 });
    expect(res.json().lines).toMatchObject([
      { outcome: 'duplicate', contractNumber: '00015', matchedBy: null },
      { outcome: 'booked', contractNumber: '00015', matchedBy: 'purpose' },
    ]);
  });

  it('stores nothing when a line cannot be read, and names the lines', async () => {
    const before = await Promise.all([count('payment'), count('import_batch'), count('import_line')]);
    const broken = statementText({
      account: SUPPLIER,
      date: '22.11.2026',
      documents: [
        { ...UNKNOWN_PAYER, number: '950', date: '22.11.2026' },
        { ...UNKNOWN_PAYER, number: '951', date: '31.11.2026' },
        { ...UNKNOWN_PAYER, number: '952', date: '22.11.2026', amount: '12,345.00' },
      ],
    });
    const res = await importFile(accountant, 'bank', 'broken.txt', encodeSingleByte(broken));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'PAYMENT_FILE_INVALID',
      details: {
        count: 2,
        problems: [
          { line: 38, code: 'date', value: '31.11.2026' },
          { line: 55, code: 'amount', value: '12,345.00' },
        ],
      },
    });
    expect(await Promise.all([count('payment'), count('import_batch'), count('import_line')])).toEqual(
      before,
    );
  });

  it('refuses the whole file when a known payment comes with another amount', async () => {
    const before = await Promise.all([count('payment'), count('import_batch')]);
    const docs = sampleDocuments(SUPPLIER);
    const changed = { ...(docs[1] ?? UNKNOWN_PAYER), amount: '2375000.01' };
    const res = await importFile(
      accountant,
      'bank',
      'changed.txt',
      encodeSingleByte(
        statementText({
          account: SUPPLIER,
          date: '23.11.2026',
          documents: [{ ...UNKNOWN_PAYER, number: '960', date: '23.11.2026' }, changed],
        }),
      ),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.problems).toMatchObject([{ line: 38, code: 'amount_conflict' }]);
    expect(await Promise.all([count('payment'), count('import_batch')])).toEqual(before);
  });

  it('refuses a statement of another account', async () => {
    const res = await importFile(
      accountant,
      'bank',
      'other.txt',
      encodeSingleByte(statementText({ account: '20210000900999999001' })),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'PAYMENT_FILE_ACCOUNT',
      details: { accounts: '20210000900999999001', expected: SUPPLIER },
    });
  });

  it('imports a Windows-1251 CSV post registry by account number', async () => {
    const res = await importFile(accountant, 'post', 'reestr_1187.csv', encodeSingleByte(POST_CSV));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().batch).toMatchObject({
      format: 'csv',
      counts: { lines: 3, booked: 2, unmatched: 1 },
      statementFrom: '2026-11-20',
    });
    expect(
      res
        .json()
        .lines.map((l: Record<string, unknown>) => [
          l.line,
          l.externalId,
          l.outcome,
          l.contractNumber,
          l.matchedBy,
        ]),
    ).toEqual([
      [3, '1187-000451', 'booked', 'BANK-n1', 'account'],
      [4, '1187-000452', 'booked', '00015', 'account'],
      [5, '1187-000453', 'unmatched', null, null],
    ]);
    const queued = await db()
      .selectFrom('payment')
      .select(['payer', 'purpose', 'status'])
      .where('external_id', '=', '1187-000453')
      .executeTakeFirstOrThrow();
    expect(queued).toEqual({ payer: 'Ли Вера', purpose: '99999', status: 'unmatched' });
  });

  it('imports an XLSX post registry with Uzbek headers', async () => {
    const xlsx = await writeXlsxFile([
      ['Sana', 'Reestr raqami', 'Kvitansiya', 'Shaxsiy hisob', "To'lovchi", 'Summa'],
      [
        { value: new Date(Date.UTC(2026, 10, 20)), type: Date, format: 'dd.mm.yyyy' },
        '1188',
        '1',
        'BANK-s1',
        'Aliyev Vali',
        50000,
      ],
    ]).toBuffer();
    const res = await importFile(accountant, 'post', 'reestr_1188.xlsx', xlsx);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().batch).toMatchObject({ format: 'xlsx', counts: { booked: 1 } });
    expect(res.json().lines).toMatchObject([
      { line: 2, externalId: '1188-1', amount: '50000.00', contractNumber: 'BANK-s1', paidOn: '2026-11-20' },
    ]);
  });

  it('lists the batches, newest first', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/payments/imports?channel=post',
      headers: accountant.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((b: { fileName: string }) => b.fileName)).toEqual([
      'reestr_1188.xlsx',
      'reestr_1187.csv',
      expect.stringMatching(/^[ab]\.csv$/),
    ]);
  });

  it('keeps the unmatched queue and matching at the company level', async () => {
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/payments/unmatched',
      headers: districtOperator.headers,
    });
    expect(list.statusCode).toBe(403);
    expect(list.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
    const [queued] = await db()
      .selectFrom('payment')
      .select('id')
      .where('status', '=', 'unmatched')
      .execute();
    const match = await t.app.inject({
      method: 'POST',
      url: `/api/payments/${queued?.id}/match`,
      headers: districtOperator.headers,
      payload: { contractNumber: 'BANK-n1' },
    });
    expect(match.statusCode).toBe(403);
    const upload = await importFile(districtOperator, 'post', 'x.csv', encodeSingleByte(POST_CSV));
    expect(upload.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
    const byClerk = await importFile(clerk, 'post', 'x.csv', encodeSingleByte(POST_CSV));
    expect(byClerk.json().error.code).toBe('AUTH_FORBIDDEN');
    const reconciliation = await t.app.inject({
      method: 'GET',
      url: '/api/payments/reconciliation?channel=post&date=2026-11-20',
      headers: districtOperator.headers,
    });
    expect(reconciliation.statusCode).toBe(403);
  });

  it('lists the unmatched payments and books one to the contract a person names', async () => {
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/payments/unmatched',
      headers: accountant.headers,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(2);
    const bank = list.json().items.find((i: { channel: string }) => i.channel === 'bank');
    expect(bank).toMatchObject({
      externalId: '00401-20208000700700700700-901-20261120',
      amount: '300000.00',
      paidOn: '2026-11-20',
      payer: '"NOMALUM SAVDO" MChJ',
      purpose: 'Оплата за электроэнергию за ноябрь 2026 г.',
      batch: { fileName: 'vypiska_20261120.txt' },
    });
    // Unmatched, the money is in the bank account and owed on 6990 (unidentified receipts).
    const postings = (id: string) =>
      db()
        .selectFrom('ledger_entry')
        .select(['account_code', 'contract_id', 'debit', 'credit', 'source', 'posted_on'])
        .where('source_id', '=', BigInt(id))
        .where('source', 'in', ['unmatched', 'payment'])
        .orderBy('id')
        .execute()
        .then((rows) =>
          rows.map((r) => [r.source, r.account_code, r.contract_id, String(r.debit), String(r.credit)]),
        );
    expect(await postings(bank.id)).toEqual([
      ['unmatched', '5110', null, '30000000', '0'],
      ['unmatched', '6990', null, '0', '30000000'],
    ]);

    const match = (id: string, contractNumber: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/payments/${id}/match`,
        headers: accountant.headers,
        payload: { contractNumber },
      });
    expect((await match(bank.id, 'NO-SUCH')).json().error).toMatchObject({
      code: 'UNKNOWN_ACCOUNT',
      details: { account: 'NO-SUCH' },
    });
    expect((await match('999999', 'BANK-n2')).statusCode).toBe(404);
    const res = await match(bank.id, 'BANK-n2');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      payment: {
        id: bank.id,
        status: 'booked',
        contractNumber: 'BANK-n2',
        amount: '300000.00',
        paidOn: '2026-11-20',
      },
      allocated: '200000.00',
    });
    // Matched, it leaves 6990 for the contract: what it settled of recognised bills off 4010, the
    // rest an advance on 6310; the bank account is not touched twice.
    const moved = await postings(bank.id);
    expect(moved.slice(0, 2)).toEqual([
      ['unmatched', '5110', null, '30000000', '0'],
      ['unmatched', '6990', null, '0', '30000000'],
    ]);
    const matched = moved.slice(2);
    expect(matched.map((r) => r[0])).toEqual(matched.map(() => 'payment'));
    expect(matched.find((r) => r[1] === '5110')).toBeUndefined();
    expect(matched.find((r) => r[1] === '6990')).toEqual([
      'payment',
      '6990',
      contracts['BANK-n2'],
      '30000000',
      '0',
    ]);
    const credited = matched
      .filter((r) => r[1] === '4010' || r[1] === '6310')
      .reduce((sum, r) => sum + BigInt(r[4] ?? 0) - BigInt(r[3] ?? 0), 0n);
    expect(credited).toBe(30000000n);
    const again = await match(bank.id, 'BANK-n1');
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'PAYMENT_NOT_UNMATCHED',
      details: { status: 'booked' },
    });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['before', 'after', 'org_unit_path', 'actor_id'])
      .where('action', '=', 'payment.match')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      before: { status: 'unmatched', contract_id: null },
      after: { status: 'booked', contract_id: String(contracts['BANK-n2']), amount: '30000000' },
      org_unit_path: f.units.n2.path,
    });
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/payments/unmatched',
      headers: accountant.headers,
    });
    expect(after.json().items.map((i: { externalId: string }) => i.externalId)).toEqual(['1187-000453']);
  });

  it('reconciles the imported post registries of a day with the bookings: matched, missing, extra', async () => {
    await db()
      .transaction()
      .execute((trx) =>
        bookPayment(trx, SYSTEM_ACTOR, {
          tenantId: f.tenantId,
          contractId: contracts['BANK-n1'] ?? 0n,
          channel: 'post',
          externalId: 'MANUAL-1',
          amount: parseMoney('7000.00'),
          paidOn: parseLocalDate('2026-11-20'),
        }),
      );
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/payments/reconciliation?channel=post&date=2026-11-20',
      headers: accountant.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.source).toBe('imports');
    expect(body.batches.map((b: { fileName: string }) => b.fileName)).toEqual([
      'reestr_1187.csv',
      'reestr_1188.xlsx',
    ]);
    expect(body.summary).toEqual({
      registry: { count: 4, amount: '288000.50' },
      booked: { count: 4, amount: '280000.50' },
      matched: { count: 3, amount: '273000.50' },
      missing: { count: 1, amount: '15000.00' },
      extra: { count: 1, amount: '7000.00' },
      differentAmount: { count: 0, registryAmount: '0.00', bookedAmount: '0.00' },
    });
    expect(body.missing).toMatchObject([
      { externalId: '1187-000453', line: 5, account: '99999', payment: { status: 'unmatched' } },
    ]);
    expect(body.extra).toMatchObject([
      { externalId: 'MANUAL-1', contractNumber: 'BANK-n1', amount: '7000.00' },
    ]);
    expect(body.matched.map((m: { externalId: string }) => m.externalId)).toEqual([
      '1187-000451',
      '1187-000452',
      '1188-1',
    ]);

    const bank = await t.app.inject({
      method: 'GET',
      url: '/api/payments/reconciliation?channel=bank&date=2026-11-20',
      headers: accountant.headers,
    });
    // The unmatched bank payment was matched meanwhile: all three statement lines are booked.
    expect(bank.json().summary).toMatchObject({
      matched: { count: 3 },
      missing: { count: 0 },
      extra: { count: 0 },
    });
  });

  it('reconciles an uploaded registry, different amounts included', async () => {
    const registry = [
      'Дата;Реестр;Квитанция;Л/С;Плательщик;Сумма',
      '20.11.2026;1187;000451;BANK-n1;Каримов Алишер;125000.50',
      '20.11.2026;1187;000452;00015;Юсупова Нодира;98500',
      '20.11.2026;1187;000999;00014;Ким Ольга;1000',
      '21.11.2026;1187;001000;00014;Ким Ольга;2000',
    ].join('\n');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/payments/reconciliation',
      headers: { ...accountant.headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload: form(
        { channel: 'post', date: '2026-11-20' },
        { name: 'reestr.csv', bytes: new TextEncoder().encode(registry) },
      ),
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.source).toBe('file');
    expect(body.summary).toMatchObject({
      registry: { count: 3 },
      matched: { count: 1, amount: '125000.50' },
      differentAmount: { count: 1, registryAmount: '98500.00', bookedAmount: '98000.00' },
      missing: { count: 1, amount: '1000.00' },
      extra: { count: 2, amount: '57000.00' },
    });
    expect(body.differentAmount).toMatchObject([
      { externalId: '1187-000452', line: 3, difference: '-500.00', contractNumber: '00015' },
    ]);
    expect(body.missing).toMatchObject([{ externalId: '1187-000999', payment: null }]);
  });

  it('answers the reconciliation as an XLSX workbook with headers in the asked language', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/payments/reconciliation?channel=post&date=2026-11-20&format=xlsx&lang=ru',
      headers: accountant.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('reconciliation-post-2026-11-20.xlsx');
    const sheets = await readXlsxFile(res.rawPayload);
    expect(sheets.map((s) => s.sheet)).toEqual([
      'Итоги',
      'Совпали',
      'Не проведены',
      'Нет в реестре',
      'Расхождение суммы',
    ]);
    const summary = sheets[0]?.data ?? [];
    expect(summary.find((r) => r[0] === 'Совпали')).toEqual(['Совпали', 3, 273000.5, null]);
    const matched = sheets[1]?.data ?? [];
    expect(matched[0]?.slice(0, 4)).toEqual(['Внешний ID', 'Пакет', 'Строка', 'Лицевой счёт (реестр)']);
    expect(matched).toHaveLength(4);
    const missing = sheets[2]?.data ?? [];
    expect(missing[1]).toContain('невыясненный');

    const uz = await t.app.inject({
      method: 'GET',
      url: '/api/payments/reconciliation?channel=post&date=2026-11-20&format=xlsx&lang=uz-Cyrl',
      headers: accountant.headers,
    });
    expect((await readXlsxFile(uz.rawPayload)).map((s) => s.sheet)).toEqual([
      'Хулоса',
      'Мос келган',
      'Ҳисобга олинмаган',
      'Реестрда йўқ',
      'Суммаси фарқли',
    ]);
  });
});
