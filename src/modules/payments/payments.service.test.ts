import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixture } from '../../../test/support/app.ts';
import { openTestDatabase, TEST_ENGINE } from '../../../test/support/db.ts';
import type { Database } from '../../db/database.ts';
import { parseMoney } from '../../domain/money.ts';
import { type LocalDate, parseLocalDate } from '../../domain/period.ts';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { bookPayment, reversePayment } from './payments.service.ts';

describe(`payments (${TEST_ENGINE})`, () => {
  let database: Database;
  let tenantId: bigint;
  let contractId: bigint;
  const lines: Record<string, bigint> = {};

  beforeAll(async () => {
    database = await openTestDatabase();
    const f = await createOrgFixture(database.db, 'payments');
    tenantId = f.tenantId;
    const contract = await database.db
      .selectFrom('contract')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    contractId = contract.id;
    for (const [period, amount] of [
      ['2025-01', '9000000.00'],
      ['2025-02', '9000000.00'],
    ] as const) {
      const bill = await database.db
        .insertInto('bill')
        .values({ tenant_id: tenantId, contract_id: contractId, period })
        .returning('id')
        .executeTakeFirstOrThrow();
      const line = await database.db
        .insertInto('bill_line')
        .values({
          bill_id: bill.id,
          seq: 1,
          kind: 'energy',
          basis: 'actual',
          obis: '1.8.0',
          quantity: 10_000_000n,
          price: 9_000_000n,
          amount: parseMoney(amount),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      lines[period] = line.id;
    }
  });
  afterAll(async () => {
    await database.close();
  });

  const book = (externalId: string, amount: string, paidOn: string) =>
    database.db.transaction().execute((trx) =>
      bookPayment(trx, SYSTEM_ACTOR, {
        tenantId,
        contractId,
        channel: 'bank',
        externalId,
        amount: parseMoney(amount),
        paidOn: parseLocalDate(paidOn),
      }),
    );
  const reverse = (externalId: string, on: string) =>
    database.db.transaction().execute((trx) =>
      reversePayment(trx, SYSTEM_ACTOR, {
        tenantId,
        channel: 'bank',
        externalId,
        reason: 'bank recall',
        reversedOn: on as LocalDate,
      }),
    );
  const paidOf = async (lineId: bigint | undefined) => {
    const rows = await database.db
      .selectFrom('allocation')
      .select('amount')
      .where('bill_line_id', '=', lineId ?? 0n)
      .execute();
    return rows.reduce((a, r) => a + r.amount, 0n);
  };

  it('covers the oldest open item first and keeps the rest as an advance', async () => {
    expect(await book('P1', '4000000.00', '2025-03-10')).toMatchObject({
      duplicate: false,
      allocated: parseMoney('4000000.00'),
    });
    expect(await paidOf(lines['2025-01'])).toBe(parseMoney('4000000.00'));
    const p2 = await book('P2', '30000000.00', '2025-04-05');
    expect(p2.allocated).toBe(parseMoney('14000000.00'));
    expect(await paidOf(lines['2025-01'])).toBe(parseMoney('9000000.00'));
    expect(await paidOf(lines['2025-02'])).toBe(parseMoney('9000000.00'));
  });

  it('accepts a repeat with the same amount without change, refuses another amount', async () => {
    const before = await database.db.selectFrom('allocation').select('id').execute();
    expect(await book('P2', '30000000.00', '2025-04-06')).toMatchObject({ duplicate: true });
    await expect(book('P2', '30000000.01', '2025-04-06')).rejects.toMatchObject({ code: 'PAYMENT_CONFLICT' });
    expect(await database.db.selectFrom('allocation').select('id').execute()).toHaveLength(before.length);
    const payments = await database.db
      .selectFrom('payment')
      .select('id')
      .where('external_id', '=', 'P2')
      .execute();
    expect(payments).toHaveLength(1);
  });

  it('books concurrent repeats of one payment once', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => book('P3', '100.00', '2025-04-07')));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(
      await database.db.selectFrom('payment').select('id').where('external_id', '=', 'P3').execute(),
    ).toHaveLength(1);
  });

  it('reverses by an explicit entry; the advance covers the reopened item at once', async () => {
    await reverse('P1', '2025-04-10');
    const p1 = await database.db
      .selectFrom('payment')
      .selectAll()
      .where('external_id', '=', 'P1')
      .executeTakeFirstOrThrow();
    expect(p1).toMatchObject({
      status: 'reversed',
      reversed_on: '2025-04-10',
      reversal_reason: 'bank recall',
    });
    const allocations = await database.db
      .selectFrom('allocation')
      .select(['payment_id', 'amount', 'allocated_on'])
      .where('bill_line_id', '=', lines['2025-01'] ?? 0n)
      .where('allocated_on', '=', '2025-04-10')
      .execute();
    expect(allocations.map((a) => a.amount).sort()).toEqual(
      [parseMoney('-4000000.00'), parseMoney('4000000.00')].sort(),
    );
    expect(await paidOf(lines['2025-01'])).toBe(parseMoney('9000000.00'));
    await expect(reverse('P1', '2025-04-11')).rejects.toMatchObject({ code: 'PAYMENT_ALREADY_REVERSED' });
    await expect(reverse('NOPE', '2025-04-11')).rejects.toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
  });

  it('audits every booking and reversal', async () => {
    const actions = await database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'payment')
      .execute();
    expect(actions.filter((a) => a.action === 'payment.book')).toHaveLength(3);
    expect(actions.filter((a) => a.action === 'payment.reverse')).toHaveLength(1);
  });
});
