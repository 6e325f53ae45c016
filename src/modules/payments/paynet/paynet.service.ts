import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { periodInTashkent, todayInTashkent } from '../../../domain/period.ts';
import { type Actor, writeAudit } from '../../audit/audit.ts';
import { settlementsOf } from '../../documents/documents.service.ts';
import { bookPayment, contractPath, reversePayment } from '../payments.service.ts';
import { findPayableContract, type PayableContract } from '../provider-accounts.ts';
import { fail, type PaynetFailure, type PaynetOutcome } from './paynet.errors.ts';
import {
  cancelResult,
  checkResult,
  decideCancel,
  informationResult,
  PAYNET_CHANNEL,
  type PaynetAccount,
  type PaynetRequest,
  performResult,
  reversalReason,
  statementEntry,
} from './paynet.protocol.ts';
import {
  cancelPaynetTx,
  findPaynetTx,
  insertPaynetTx,
  listPerformedPaynetTx,
  type PaynetRow,
  setPaynetPayment,
} from './paynet.repository.ts';

/** Who calls and when: Paynet as the actor of audit rows, and the clock. */
export type PaynetCall = {
  /** Paynet as actor (type 'provider'); each use fills in the tenant concerned. */
  actor: Actor;
  now: Date;
};

type PerformParams = Extract<PaynetRequest, { method: 'PerformTransaction' }>['params'];

/**
 * Runs one method of the provider web service. Every method that changes something runs in one
 * database transaction and answers protocol errors as outcomes, never by throwing; a throw is a
 * system error (−32603) and rolls everything back.
 */
export async function runPaynetMethod(
  db: Kysely<DB>,
  req: PaynetRequest,
  call: PaynetCall,
): Promise<PaynetOutcome> {
  // Paynet's date-times have whole seconds: what we store is what we answer and compare.
  const now = new Date(Math.floor(call.now.getTime() / 1000) * 1000);
  switch (req.method) {
    case 'GetInformation': {
      const found = await resolveAccount(db, req.params.account);
      if ('error' in found) return found;
      return {
        result: informationResult(now, {
          account: found.number,
          supplier: found.supplierCode,
          name: found.consumerName,
          balance: await balanceOf(db, found.contractId, now),
        }),
      };
    }
    case 'PerformTransaction':
      return db.transaction().execute((trx) => performTransaction(trx, req.params, { ...call, now }));
    case 'CheckTransaction':
      return { result: checkResult(await findPaynetTx(db, req.params.transactionId), now) };
    case 'CancelTransaction':
      return db
        .transaction()
        .execute((trx) => cancelTransaction(trx, req.params.transactionId, { ...call, now }));
    case 'GetStatement': {
      const { dateFrom, dateTo } = req.params;
      const txs = dateFrom <= dateTo ? await listPerformedPaynetTx(db, dateFrom, dateTo) : [];
      return { result: { statements: txs.map(statementEntry) } };
    }
    default: {
      const never: never = req;
      throw new Error(`Unhandled Paynet method ${JSON.stringify(never)}`);
    }
  }
}

/** The contract an account names: 302 when there is none, or when it needs the supplier. */
async function resolveAccount(
  db: Kysely<DB> | Transaction<DB>,
  account: PaynetAccount,
): Promise<PayableContract | PaynetFailure> {
  const found = await findPayableContract(db, { number: account.number, supplier: account.supplier });
  switch (found.kind) {
    case 'found':
      return found.contract;
    case 'not_found':
      return fail('CLIENT_NOT_FOUND', 'fields.account');
    case 'ambiguous':
      return fail('SUPPLIER_REQUIRED', 'fields.supplier');
  }
}

/** hisob's balance of a contract now (positive is debt), as the cabinet shows it. */
async function balanceOf(db: Kysely<DB>, contractId: bigint, now: Date): Promise<bigint> {
  const period = periodInTashkent(now);
  return (await settlementsOf(db, contractId, period, period)).closing;
}

/**
 * Records the transaction and books its payment (channel 'paynet', external id = Paynet's
 * transactionId, paid on the transaction's date in Tashkent — Paynet's transactionTime when it
 * sent one, else today) in one database transaction. A transactionId we have already — a repeat,
 * also a concurrent one, or one cancelled since — is 201 and changes nothing.
 */
async function performTransaction(
  trx: Transaction<DB>,
  p: PerformParams,
  call: PaynetCall,
): Promise<PaynetOutcome> {
  if (await findPaynetTx(trx, p.transactionId)) return fail('TRANSACTION_EXISTS', 'transactionId');
  const contract = await resolveAccount(trx, p.account);
  if ('error' in contract) return contract;
  const created = await insertPaynetTx(trx, {
    transactionId: p.transactionId,
    serviceId: p.serviceId,
    transactionTime: p.transactionTime,
    amount: p.amount,
    fields: p.fields,
    tenantId: contract.tenantId,
    contractId: contract.contractId,
    performTime: call.now,
  });
  // A concurrent duplicate inserted it first and has committed.
  if (!created) return fail('TRANSACTION_EXISTS', 'transactionId');
  const booked = await bookPayment(trx, actorFor(call, created), {
    tenantId: created.tenantId,
    contractId: created.contractId,
    channel: PAYNET_CHANNEL,
    externalId: created.transactionId,
    amount: created.amount,
    paidOn: todayInTashkent(p.transactionTime ?? call.now),
  });
  const done = await setPaynetPayment(trx, created.id, booked.paymentId);
  return {
    result: performResult(done, {
      account: contract.number,
      balance: await balanceOf(trx, done.contractId, call.now),
    }),
  };
}

/**
 * Cancels a performed transaction: its payment is reversed (dated the cancel day in Tashkent,
 * reason naming Paynet's transactionId) and the cancel audited. Unknown is 203, cancelled is 202.
 * A payment staff already reversed is not reversed twice.
 */
async function cancelTransaction(
  trx: Transaction<DB>,
  transactionId: string,
  call: PaynetCall,
): Promise<PaynetOutcome> {
  const tx = await findPaynetTx(trx, transactionId, true);
  if (!tx) return fail('TRANSACTION_NOT_FOUND', 'transactionId');
  switch (decideCancel(tx)) {
    case 'already_cancelled':
      return fail('TRANSACTION_CANCELLED', 'transactionId');
    case 'cancel':
      break;
  }
  // No row lock on the payment: reversePayment locks the contract, then the payment, in the order
  // every booking takes them (a payment locked first would deadlock against applyAdvances).
  const payment = await trx
    .selectFrom('payment')
    .select('status')
    .where('id', '=', tx.paymentId ?? -1n)
    .executeTakeFirst();
  if (payment?.status === 'booked') {
    await reversePayment(trx, actorFor(call, tx), {
      tenantId: tx.tenantId,
      channel: PAYNET_CHANNEL,
      externalId: tx.transactionId,
      reason: reversalReason(tx.transactionId),
      reversedOn: todayInTashkent(call.now),
    });
  }
  const done = await cancelPaynetTx(trx, tx.id, call.now);
  await auditCancel(trx, tx, done, call);
  return { result: cancelResult(done) };
}

async function auditCancel(
  trx: Transaction<DB>,
  before: PaynetRow,
  after: PaynetRow,
  call: PaynetCall,
): Promise<void> {
  await writeAudit(trx, actorFor(call, before), {
    action: 'paynet_transaction.cancel',
    entity: 'paynet_transaction',
    entityId: before.id,
    tenantId: before.tenantId,
    orgUnitPath: await contractPath(trx, before.contractId),
    before: { transaction_id: before.transactionId, state: before.state },
    after: { state: after.state, cancel_time: after.cancelTime, payment_id: after.paymentId },
  });
}

const actorFor = (call: PaynetCall, tx: PaynetRow): Actor => ({ ...call.actor, tenantId: tx.tenantId });
