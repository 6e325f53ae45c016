import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_ENGINE } from '../../../test/support/db.ts';
import { createSmsFixture, type SmsFixture } from '../../../test/support/sms-fixture.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { tiyin } from '../../domain/money.ts';
import {
  addDays,
  addPeriods,
  type LocalDate,
  lastDay,
  type Period,
  periodInTashkent,
  periodOf,
  todayInTashkent,
} from '../../domain/period.ts';
import { parseSmsMessage, renderSms, smsNotBefore } from '../../domain/sms-templates.ts';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { closePeriod } from '../billing/close-period.ts';
import { bookPayment } from '../payments/payments.service.ts';
import {
  enqueueSms,
  queueBillsIssued,
  queueDisconnectionWarning,
  queueDueReminders,
  queueReconnection,
} from './sms.outbox.ts';

let database: Database;
let db: Kysely<DB>;
let f: SmsFixture;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  f = await createSmsFixture(db);
});

afterAll(async () => {
  await database.close();
});

const rows = (dedupeKey: string) =>
  db
    .selectFrom('sms_outbox')
    .selectAll()
    .where('tenant_id', '=', f.tenantId)
    .where('dedupe_key', '=', dedupeKey)
    .execute();

/** Another contract of the reachable consumer, so a test can give it bills of any period. */
let contracts = 0;
async function extraContract(): Promise<{ id: bigint; number: string }> {
  contracts += 1;
  const number = `SMS-X${contracts}`;
  const k = await db
    .insertInto('contract')
    .values({
      tenant_id: f.tenantId,
      consumer_id: f.reachable.consumerId,
      org_unit_id: f.units.n1.id,
      number,
      commodity: 'electricity',
      start_date: '2025-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: k.id, number };
}

/** A bill with one line of `amount` tiyin; numbered (issued) unless said otherwise. */
async function bill(
  contractId: bigint,
  b: { period: Period; amount: bigint; due: LocalDate; numbered?: boolean },
): Promise<{ id: bigint; lineId: bigint }> {
  const row = await db
    .insertInto('bill')
    .values({
      tenant_id: f.tenantId,
      contract_id: contractId,
      period: b.period,
      number: b.numbered === false ? null : `${b.period}-${contractId}`,
      issued_on: b.numbered === false ? null : lastDay(b.period),
      due_on: b.due,
      total: b.amount,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const line = await db
    .insertInto('bill_line')
    .values({ bill_id: row.id, seq: 1, kind: 'energy', quantity: 1000n, price: 1n, amount: b.amount })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, lineId: line.id };
}

describe(`SMS outbox: events queue SMS in their own transaction (${TEST_ENGINE})`, () => {
  it('queues "payment received" with the balance after the payment when a payment is booked', async () => {
    await bill(f.reachable.contractId, {
      period: '2025-01' as Period,
      amount: 15_000_000n,
      due: '2025-02-28' as LocalDate,
    });
    const booked = await db.transaction().execute((trx) =>
      bookPayment(trx, SYSTEM_ACTOR, {
        tenantId: f.tenantId,
        contractId: f.reachable.contractId,
        channel: 'paynet',
        externalId: 'pn-1',
        amount: tiyin(10_000_000n),
        paidOn: '2025-02-10' as LocalDate,
      }),
    );
    const [sms, ...more] = await rows(`payment:${booked.paymentId}`);
    expect(more).toEqual([]);
    expect(sms).toMatchObject({
      consumer_id: f.reachable.consumerId,
      phone: '+998901234567',
      locale: 'ru',
      template: 'payment_received',
      status: 'queued',
      attempts: 0,
      text: null,
      params: { account: f.reachable.number, amount: '10000000', date: '2025-02-10', balance: '5000000' },
    });
    if (!sms) return;
    expect(renderSms(parseSmsMessage(sms.template, sms.params), 'ru')).toBe(
      `Л/с ${f.reachable.number}: 10.02.2025 получен платёж 100 000,00 сум. Долг: 50 000,00 сум.`,
    );
    // An answer to the consumer's own action goes at once and is pointless after three days.
    expect(new Date(sms.next_attempt_at).getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(sms.expires_at).getTime() - new Date(sms.created_at).getTime()).toBeGreaterThan(
      2.9 * 86_400_000,
    );
  });

  it('queues nothing more when the same payment is booked again', async () => {
    const repeat = await db.transaction().execute((trx) =>
      bookPayment(trx, SYSTEM_ACTOR, {
        tenantId: f.tenantId,
        contractId: f.reachable.contractId,
        channel: 'paynet',
        externalId: 'pn-1',
        amount: tiyin(10_000_000n),
        paidOn: '2025-02-10' as LocalDate,
      }),
    );
    expect(repeat.duplicate).toBe(true);
    expect(await rows(`payment:${repeat.paymentId}`)).toHaveLength(1);
  });

  it('books the payment but queues nothing for a consumer who opted out or has no phone', async () => {
    for (const [account, externalId] of [
      [f.optedOut, 'pn-out'],
      [f.noPhone, 'pn-nophone'],
    ] as const) {
      const booked = await db.transaction().execute((trx) =>
        bookPayment(trx, SYSTEM_ACTOR, {
          tenantId: f.tenantId,
          contractId: account.contractId,
          channel: 'paynet',
          externalId,
          amount: tiyin(500_00n),
          paidOn: '2025-02-11' as LocalDate,
        }),
      );
      expect(booked.duplicate).toBe(false);
      expect(await rows(`payment:${booked.paymentId}`)).toEqual([]);
    }
    const direct = await db.transaction().execute(async (trx) => [
      await enqueueSms(trx, {
        tenantId: f.tenantId,
        consumerId: f.optedOut.consumerId,
        dedupeKey: 'direct:out',
        message: { template: 'reconnection', params: { account: f.optedOut.number } },
      }),
      await enqueueSms(trx, {
        tenantId: f.tenantId,
        consumerId: f.noPhone.consumerId,
        dedupeKey: 'direct:nophone',
        message: { template: 'reconnection', params: { account: f.noPhone.number } },
      }),
    ]);
    expect(direct).toEqual([
      { queued: false, reason: 'opted_out' },
      { queued: false, reason: 'no_phone' },
    ]);
  });

  it('queues nothing when the event rolls back', async () => {
    const failed = db.transaction().execute(async (trx) => {
      await bookPayment(trx, SYSTEM_ACTOR, {
        tenantId: f.tenantId,
        contractId: f.reachable.contractId,
        channel: 'paynet',
        externalId: 'pn-rolled-back',
        amount: tiyin(1_00n),
        paidOn: '2025-02-12' as LocalDate,
      });
      const queued = await trx
        .selectFrom('sms_outbox')
        .select('id')
        .where('template', '=', 'payment_received')
        .execute();
      expect(queued.length).toBeGreaterThan(1); // visible inside the transaction…
      throw new Error('the event fails after queueing');
    });
    await expect(failed).rejects.toThrow('the event fails');
    // …and gone with it.
    const payment = await db
      .selectFrom('payment')
      .select('id')
      .where('external_id', '=', 'pn-rolled-back')
      .execute();
    expect(payment).toEqual([]);
    const all = await db
      .selectFrom('sms_outbox')
      .select('params')
      .where('tenant_id', '=', f.tenantId)
      .where('template', '=', 'payment_received')
      .execute();
    expect(all.map((r) => (r.params as { date: string }).date)).not.toContain('2025-02-12');
  });

  it('queues one SMS per dedupe key of a supplier', async () => {
    const message = { template: 'reconnection' as const, params: { account: f.reachable.number } };
    const [first, second] = await db.transaction().execute(async (trx) => [
      await enqueueSms(trx, {
        tenantId: f.tenantId,
        consumerId: f.reachable.consumerId,
        dedupeKey: 'k:1',
        message,
      }),
      await enqueueSms(trx, {
        tenantId: f.tenantId,
        consumerId: f.reachable.consumerId,
        dedupeKey: 'k:1',
        message,
      }),
    ]);
    expect(first?.queued).toBe(true);
    expect(second).toEqual({ queued: false, reason: 'duplicate' });
  });

  it('queues a disconnection warning and a reconnection notice once per reference', async () => {
    const date = addDays(todayInTashkent(), 5);
    const results = await db.transaction().execute(async (trx) => [
      await queueDisconnectionWarning(trx, {
        contractId: f.reachable.contractId,
        reference: 'order-7',
        amount: tiyin(5_000_000n),
        date,
      }),
      await queueDisconnectionWarning(trx, {
        contractId: f.reachable.contractId,
        reference: 'order-7',
        amount: tiyin(5_000_000n),
        date,
      }),
      await queueReconnection(trx, { contractId: f.reachable.contractId, reference: 'cmd-9' }),
    ]);
    expect(results.map((r) => r.queued)).toEqual([true, false, true]);
    const [warning] = await rows('disconnection_warning:order-7');
    expect(warning?.params).toEqual({ account: f.reachable.number, amount: '5000000', date });
    expect(await rows('reconnection:cmd-9')).toHaveLength(1);
  });
});

describe(`SMS outbox: bills and reminders, set-based (${TEST_ENGINE})`, () => {
  it('queues "bill issued" for every numbered bill of the period with something to pay, once', async () => {
    const period = addPeriods(periodInTashkent(), -1);
    const due = lastDay(periodInTashkent());
    const a = await extraContract();
    const b = await extraContract();
    const c = await extraContract();
    const billed = await bill(a.id, { period, amount: 123_456_789n, due });
    const credit = await bill(b.id, { period, amount: -100n, due });
    const draft = await bill(c.id, { period, amount: 500n, due, numbered: false });
    const out = await bill(f.optedOut.contractId, { period, amount: 500n, due });
    const now = new Date();
    const queued = await db
      .transaction()
      .execute((trx) => queueBillsIssued(trx, { tenantId: f.tenantId, period, now }));
    expect(queued).toBe(1);
    const [sms] = await rows(`bill:${billed.id}`);
    expect(sms).toMatchObject({
      template: 'bill_issued',
      locale: 'ru',
      params: { account: a.number, period, amount: '123456789', due },
    });
    expect(new Date(sms?.next_attempt_at ?? 0)).toEqual(smsNotBefore('bill_issued', now));
    // It lapses when the due date ends in Tashkent.
    expect(new Date(sms?.expires_at ?? 0).toISOString()).toBe(new Date(`${due}T19:00:00Z`).toISOString());
    for (const none of [credit, draft, out]) expect(await rows(`bill:${none.id}`)).toEqual([]);
    expect(
      await db.transaction().execute((trx) => queueBillsIssued(trx, { tenantId: f.tenantId, period })),
    ).toBe(0);
  });

  it('sends no "bill issued" for a bill already past its due date', async () => {
    const k = await extraContract();
    const old = await bill(k.id, {
      period: '2024-06' as Period,
      amount: 100n,
      due: '2024-07-31' as LocalDate,
    });
    await db
      .transaction()
      .execute((trx) => queueBillsIssued(trx, { tenantId: f.tenantId, period: '2024-06' as Period }));
    expect(await rows(`bill:${old.id}`)).toEqual([]);
  });

  it('reminds 3 days before the due date of what is left unpaid, once per bill', async () => {
    const today = todayInTashkent();
    const inTwo = addDays(today, 2);
    const month = periodOf(inTwo);
    const k = await extraContract();
    const k2 = await extraContract();
    const k3 = await extraContract();
    // Due in two days, partly paid: reminded of the rest.
    const partly = await bill(k.id, { period: addPeriods(month, -1), amount: 20_000_00n, due: inTwo });
    const payment = await db
      .insertInto('payment')
      .values({
        tenant_id: f.tenantId,
        contract_id: k.id,
        channel: 'cash',
        external_id: 'rem-1',
        amount: 5_000_00n,
        paid_on: today,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('allocation')
      .values({ payment_id: payment.id, bill_line_id: partly.lineId, amount: 5_000_00n, allocated_on: today })
      .execute();
    // Due in two days and paid in full: nothing to remind of.
    const paid = await bill(k2.id, { period: addPeriods(month, -1), amount: 1_00n, due: inTwo });
    const payment2 = await db
      .insertInto('payment')
      .values({
        tenant_id: f.tenantId,
        contract_id: k2.id,
        channel: 'cash',
        external_id: 'rem-2',
        amount: 1_00n,
        paid_on: today,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('allocation')
      .values({ payment_id: payment2.id, bill_line_id: paid.lineId, amount: 1_00n, allocated_on: today })
      .execute();
    // Due in five days, due today, and not issued yet: not now.
    const later = await bill(k.id, { period: addPeriods(month, -2), amount: 1_00n, due: addDays(today, 5) });
    const todayDue = await bill(k2.id, { period: addPeriods(month, -2), amount: 1_00n, due: today });
    const draft = await bill(k3.id, {
      period: addPeriods(month, -1),
      amount: 1_00n,
      due: inTwo,
      numbered: false,
    });

    expect(await queueDueReminders(db, { today })).toBe(1);
    const [sms] = await rows(`reminder:${partly.id}`);
    expect(sms?.params).toEqual({ account: k.number, amount: '1500000', due: inTwo });
    for (const none of [paid, later, todayDue, draft]) expect(await rows(`reminder:${none.id}`)).toEqual([]);
    expect(await queueDueReminders(db, { today })).toBe(0);
    // Two days on, the bill due in five days is three days away: its turn.
    expect(await queueDueReminders(db, { today: addDays(today, 2) })).toBe(1);
    expect(await rows(`reminder:${later.id}`)).toHaveLength(1);
  });
});

describe(`SMS outbox: closing a period (${TEST_ENGINE})`, () => {
  it('queues "bill issued" for the bills the close numbers, in the closing transaction', async () => {
    const g = await createSmsFixture(db, 'sms-close');
    const tariff = await db
      .insertInto('tariff')
      .values({ tenant_id: g.tenantId, code: 'T', name: 'Flat', commodity: 'electricity', unit: 'kWh' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('tariff_version')
      .values({ tariff_id: tariff.id, valid_from: '2025-01-01', pricing: 'flat', price: 9_000_000n })
      .execute();
    for (const account of [g.reachable, g.optedOut, g.noPhone]) {
      await db
        .insertInto('contract_version')
        .values({
          contract_id: account.contractId,
          valid_from: '2025-01-01',
          tariff_id: tariff.id,
          default_volume: 1_000_000n,
        })
        .execute();
      const point = await db
        .insertInto('metering_point')
        .values({ tenant_id: g.tenantId, contract_id: account.contractId, code: `MP${account.contractId}` })
        .returning('id')
        .executeTakeFirstOrThrow();
      const meter = await db
        .insertInto('meter')
        .values({
          tenant_id: g.tenantId,
          metering_point_id: point.id,
          serial: `S${account.contractId}`,
          digits: 6,
          installed_on: '2024-12-31',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('register')
        .values({ meter_id: meter.id, obis: '1.8.0', install_reading: 0n })
        .execute();
    }
    const period = addPeriods(periodInTashkent(), -1);
    const closed = await db
      .transaction()
      .execute((trx) =>
        closePeriod(trx, SYSTEM_ACTOR, { tenantId: g.tenantId, period, closedOn: lastDay(period) }),
      );
    expect(closed.bills).toBe(3);
    const bills = await db
      .selectFrom('bill')
      .select(['id', 'contract_id', 'total'])
      .where('tenant_id', '=', g.tenantId)
      .where('period', '=', period)
      .execute();
    const queued = await db
      .selectFrom('sms_outbox')
      .select(['consumer_id', 'params', 'dedupe_key'])
      .where('tenant_id', '=', g.tenantId)
      .execute();
    const billed = bills.find((b) => b.contract_id === g.reachable.contractId);
    expect(queued).toEqual([
      {
        consumer_id: g.reachable.consumerId,
        dedupe_key: `bill:${billed?.id}`,
        params: {
          account: g.reachable.number,
          period,
          amount: String(billed?.total),
          due: lastDay(periodInTashkent()),
        },
      },
    ]);
  });
});
