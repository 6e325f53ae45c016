import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { AppError } from '../../../domain/errors.ts';
import { formatMoney, parseMoney, tiyin } from '../../../domain/money.ts';
import { parseLocalDate, periodOf, todayInTashkent } from '../../../domain/period.ts';
import type { Actor } from '../../audit/audit.ts';
import type { Access } from '../../auth/access.ts';
import { assertPeriodOpen } from '../../billing/periods.ts';
import { bookPayment, reversePayment } from '../payments.service.ts';
import {
  assertChannelActive,
  contractWithPath,
  lastClosedPeriod,
  paymentWithPath,
} from './office.repository.ts';
import type { BookRequest } from './office.schemas.ts';

/** The largest amount one receipt books: 1 trillion so'm (far above any real payment, far below bigint). */
const MAX_AMOUNT = 100_000_000_000_000n;

/** What a booking did: the payment id, what covered open items, whether it was a repeat. */
export type DeskBooking = { paymentId: bigint; allocated: string; duplicate: boolean };

/**
 * Books a payment taken at the cash desk (R5, issue 6 point 5): the amount is exact text with at
 * most two decimals, the date is not in the future and lies in an open period, and the caller
 * books for the contract's org unit. Idempotent by (channel, receipt number): the same receipt
 * again changes nothing; the same receipt with another amount (PAYMENT_CONFLICT) or another
 * contract (PAYMENT_DOCUMENT_CONFLICT) is refused. Allocation and the audit row are bookPayment's.
 */
export async function bookDeskPayment(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  input: BookRequest,
  now: Date = new Date(),
): Promise<DeskBooking> {
  const tenantId = access.user.tenantId;
  const amount = parseMoney(input.amount, { allowNegative: false });
  if (amount <= 0n || amount > MAX_AMOUNT)
    throw new AppError('INVALID_MONEY', 'A payment is a positive amount', { value: input.amount });
  const paidOn = parseLocalDate(input.paidOn);
  const today = todayInTashkent(now);
  if (paidOn > today)
    throw new AppError('PAYMENT_IN_FUTURE', `The payment date ${paidOn} is after today ${today}`, {
      date: paidOn,
    });
  const contract = await contractWithPath(db, tenantId, BigInt(input.contractId));
  if (!contract)
    throw new AppError('PAYMENT_CONTRACT_NOT_FOUND', `No contract ${input.contractId}`, {
      id: input.contractId,
    });
  access.assertAt('payment.write', contract.path);

  return db.transaction().execute(async (trx) => {
    await assertChannelActive(trx, input.channel);
    const period = periodOf(paidOn);
    await assertPeriodOpen(trx, tenantId, period);
    // Periods close in order: a month before the last closed one is closed too, row or not.
    const closed = await lastClosedPeriod(trx, tenantId);
    if (closed !== null && period <= closed)
      throw new AppError('PERIOD_CLOSED', `Period ${period} is closed`, { period });
    const booked = await bookPayment(trx, actor, {
      tenantId,
      contractId: contract.id,
      channel: input.channel,
      externalId: input.document,
      amount,
      paidOn,
    });
    if (booked.duplicate) {
      const existing = await trx
        .selectFrom('payment')
        .select('contract_id')
        .where('id', '=', booked.paymentId)
        .executeTakeFirstOrThrow();
      if (existing.contract_id !== contract.id)
        throw new AppError(
          'PAYMENT_DOCUMENT_CONFLICT',
          `Receipt ${input.document} is already booked to another contract`,
          { document: input.document },
        );
    } else if (input.note) {
      // bookPayment knows no purpose; the cashier's note is the payment's purpose text.
      await trx
        .updateTable('payment')
        .set({ purpose: input.note })
        .where('id', '=', booked.paymentId)
        .execute();
    }
    return {
      paymentId: booked.paymentId,
      allocated: formatMoney(tiyin(booked.allocated)),
      duplicate: booked.duplicate,
    };
  });
}

/**
 * Reverses a payment by an explicit entry dated today, with the reason in the payment and its
 * audit row (reversePayment). A payment the caller cannot see is PAYMENT_NOT_FOUND; one seen but
 * outside the caller's `payment.reverse` scope is ORG_UNIT_OUT_OF_SCOPE; a reversed one
 * PAYMENT_ALREADY_REVERSED; an unmatched one PAYMENT_REVERSAL_UNMATCHED. `companyPath` is where payments without a contract belong.
 */
export async function reverseDeskPayment(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  r: { paymentId: bigint; reason: string; companyPath: string },
  now: Date = new Date(),
): Promise<void> {
  const tenantId = access.user.tenantId;
  const payment = await paymentWithPath(db, tenantId, r.paymentId);
  const path = payment ? (payment.path ?? r.companyPath) : null;
  if (!payment || path === null || !access.canAt('payment.read', path))
    throw new AppError('PAYMENT_NOT_FOUND', `No payment ${r.paymentId}`, { id: String(r.paymentId) });
  access.assertAt('payment.reverse', path);
  // An unmatched payment belongs to no contract yet; the schema keeps reversed payments on one
  // (payment_check: status = 'unmatched' or contract_id is not null). Match it first.
  if (payment.contractId === null)
    throw new AppError('PAYMENT_REVERSAL_UNMATCHED', `Payment ${r.paymentId} is not matched to a contract`, {
      id: String(r.paymentId),
    });
  await db.transaction().execute((trx) =>
    reversePayment(trx, actor, {
      tenantId,
      channel: payment.channel,
      externalId: payment.externalId,
      reason: r.reason,
      reversedOn: todayInTashkent(now),
    }),
  );
}
