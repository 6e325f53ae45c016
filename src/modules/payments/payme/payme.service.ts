import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { Tiyin } from '../../../domain/money.ts';
import { todayInTashkent } from '../../../domain/period.ts';
import { type Actor, writeAudit } from '../../audit/audit.ts';
import { bookPayment, contractPath, reversePayment } from '../payments.service.ts';
import {
  cancelIntent,
  checkIntent,
  findPayableContract,
  linkIntent,
  type OpenIntent,
  type PayableContract,
  settleIntent,
} from '../provider-accounts.ts';
import { fail, type PaymeFailure, type PaymeOutcome } from './payme.errors.ts';
import {
  cancelResult,
  checkResult,
  createResult,
  decideCancel,
  decideCreateRepeat,
  decidePerform,
  isTooOld,
  keyDigest,
  keyInForce,
  PAYME_CHANNEL,
  type PaymeRequest,
  parseAccount,
  parseAmount,
  performResult,
  REASON_TIMEOUT,
  reversalReason,
  sameJson,
  statementEntry,
} from './payme.protocol.ts';
import {
  findPaymeTx,
  insertPaymeTx,
  intentHasOtherLiveTx,
  listPaymeTx,
  type PaymeRow,
  readStoredKey,
  setPaymeState,
  storeKey,
} from './payme.repository.ts';

/** Who calls and when: Payme as the actor of audit rows, the clock, and PAYME_KEY. */
export type PaymeCall = {
  /** Payme as actor (type 'provider'); each use fills in the tenant concerned. */
  actor: Actor;
  now: Date;
  envKey: string | undefined;
};

/** The digest of the key Payme must send now, or null when Payme is switched off. */
export async function paymeKeyInForce(db: Kysely<DB>, envKey: string | undefined): Promise<string | null> {
  if (!envKey) return null;
  return keyInForce(envKey, await readStoredKey(db));
}

/**
 * Runs one Merchant API method. Every method runs in one database transaction and answers
 * protocol errors as outcomes (never by throwing), so what it changed before deciding to refuse
 * — a transaction cancelled by the timeout — is committed with the refusal.
 */
export async function runPaymeMethod(
  db: Kysely<DB>,
  req: PaymeRequest,
  call: PaymeCall,
): Promise<PaymeOutcome> {
  switch (req.method) {
    case 'CheckPerformTransaction':
      return db.transaction().execute(async (trx) => {
        const payable = await resolvePayable(trx, { ...req.params, now: call.now });
        return 'error' in payable ? payable : { result: { allow: true } };
      });
    case 'CreateTransaction':
      return db.transaction().execute((trx) => createTransaction(trx, req.params, call));
    case 'PerformTransaction':
      return db.transaction().execute((trx) => performTransaction(trx, req.params.id, call));
    case 'CancelTransaction':
      return db.transaction().execute((trx) => cancelTransaction(trx, req.params, call));
    case 'CheckTransaction': {
      const tx = await findPaymeTx(db, req.params.id);
      return tx ? { result: checkResult(tx) } : fail('TRANSACTION_NOT_FOUND', 'id');
    }
    case 'GetStatement': {
      const txs =
        req.params.from <= req.params.to ? await listPaymeTx(db, req.params.from, req.params.to) : [];
      return { result: { transactions: txs.map(statementEntry) } };
    }
    case 'ChangePassword':
      return db.transaction().execute(async (trx) => {
        // Unreachable without PAYME_KEY: the call was authorized with the key in force.
        if (!call.envKey) return fail('INSUFFICIENT_PRIVILEGE');
        await storeKey(trx, {
          keySha256: keyDigest(req.params.password),
          envKeySha256: keyDigest(call.envKey),
        });
        await writeAudit(trx, call.actor, {
          action: 'payme.key_change',
          entity: 'payme_key',
          entityId: null,
          tenantId: null,
          after: { changed_at: call.now.toISOString() },
        });
        return { result: { success: true } };
      });
    default: {
      const never: never = req;
      throw new Error(`Unhandled Payme method ${JSON.stringify(never)}`);
    }
  }
}

type Payable = { contract: PayableContract; amount: Tiyin; intent: OpenIntent | null };

/**
 * The contract and amount a payment is for, checked as CheckPerformTransaction checks them: the
 * account fields (−31050…−31054), the amount (−31001) and, for a cabinet intent, that it is open
 * for this contract and exactly this amount. `paymeId` is the transaction asking (CreateTransaction).
 */
async function resolvePayable(
  trx: Transaction<DB>,
  p: { account: Record<string, unknown>; amount: number; paymeId?: string; now: Date },
): Promise<Payable | PaymeFailure> {
  const account = parseAccount(p.account);
  if ('error' in account) return account;
  const found = await findPayableContract(trx, {
    number: account.account.number,
    supplier: account.account.supplier,
  });
  if (found.kind === 'not_found') return fail('ACCOUNT_NOT_FOUND', 'account');
  if (found.kind === 'ambiguous') return fail('SUPPLIER_REQUIRED', 'supplier');
  const amount = parseAmount(p.amount);
  if (amount === null) return fail('WRONG_AMOUNT', 'amount');
  const intentId = account.account.intent;
  if (intentId === undefined) return { contract: found.contract, amount, intent: null };
  const checked = await checkIntent(trx, {
    provider: PAYME_CHANNEL,
    intentId,
    contractId: found.contract.contractId,
    amount,
    ...(p.paymeId === undefined ? {} : { externalId: p.paymeId }),
    now: p.now,
  });
  if (checked.ok) return { contract: found.contract, amount, intent: checked.intent };
  switch (checked.problem) {
    case 'not_found':
    case 'wrong_account':
      return fail('INTENT_NOT_FOUND', 'intent');
    case 'wrong_amount':
      return fail('WRONG_AMOUNT', 'amount');
    case 'closed':
      return (await intentHasOtherLiveTx(trx, intentId, p.paymeId))
        ? fail('INTENT_BUSY', 'intent')
        : fail('INTENT_CLOSED', 'intent');
  }
}

async function createTransaction(
  trx: Transaction<DB>,
  p: { id: string; time: number; amount: number; account: Record<string, unknown> },
  call: PaymeCall,
): Promise<PaymeOutcome> {
  const existing = await findPaymeTx(trx, p.id, true);
  if (existing) return repeatCreate(trx, existing, p, call);
  if (isTooOld(p.time, call.now.getTime())) return fail('CANNOT_PERFORM', 'time');
  const payable = await resolvePayable(trx, {
    account: p.account,
    amount: p.amount,
    paymeId: p.id,
    now: call.now,
  });
  if ('error' in payable) return payable;
  const created = await insertPaymeTx(trx, {
    paymeId: p.id,
    time: p.time,
    amount: payable.amount,
    account: p.account,
    tenantId: payable.contract.tenantId,
    contractId: payable.contract.contractId,
    intentId: payable.intent?.id ?? null,
    createTime: call.now.getTime(),
  });
  if (!created) {
    // A concurrent duplicate created it first: wait for its lock and answer as a repeat.
    const raced = await findPaymeTx(trx, p.id, true);
    if (!raced) throw new Error(`Payme transaction ${p.id} vanished`);
    return repeatCreate(trx, raced, p, call);
  }
  if (payable.intent) await linkIntent(trx, payable.intent.id, p.id);
  return { result: createResult(created) };
}

/** CreateTransaction for an id we have: the same answer while it waits, −31008 otherwise. */
async function repeatCreate(
  trx: Transaction<DB>,
  tx: PaymeRow,
  p: { amount: number; account: Record<string, unknown> },
  call: PaymeCall,
): Promise<PaymeOutcome> {
  if (Number(tx.amount) !== p.amount || !sameJson(tx.account, p.account)) return fail('CANNOT_PERFORM', 'id');
  switch (decideCreateRepeat(tx, call.now.getTime())) {
    case 'answer':
      return { result: createResult(tx) };
    case 'expire':
      await cancelWaiting(trx, tx, REASON_TIMEOUT, call);
      return fail('CANNOT_PERFORM', 'id');
    case 'refuse':
      return fail('CANNOT_PERFORM', 'id');
  }
}

/**
 * Books the payment (channel 'payme', external id = Payme's id, paid on the perform date in
 * Tashkent) and moves the transaction to state 2 in the same database transaction.
 */
async function performTransaction(
  trx: Transaction<DB>,
  paymeId: string,
  call: PaymeCall,
): Promise<PaymeOutcome> {
  const tx = await findPaymeTx(trx, paymeId, true);
  if (!tx) return fail('TRANSACTION_NOT_FOUND', 'id');
  switch (decidePerform(tx, call.now.getTime())) {
    case 'answer':
      return { result: performResult(tx) };
    case 'refuse':
      return fail('CANNOT_PERFORM', 'id');
    case 'expire':
      await cancelWaiting(trx, tx, REASON_TIMEOUT, call);
      return fail('CANNOT_PERFORM', 'id');
    case 'perform': {
      const booked = await bookPayment(trx, actorFor(call, tx), {
        tenantId: tx.tenantId,
        contractId: tx.contractId,
        channel: PAYME_CHANNEL,
        externalId: tx.paymeId,
        amount: tx.amount,
        paidOn: todayInTashkent(call.now),
      });
      const done = await setPaymeState(trx, tx.id, {
        state: 2,
        performTime: call.now.getTime(),
        paymentId: booked.paymentId,
      });
      if (tx.intentId !== null) await settleIntent(trx, PAYME_CHANNEL, tx.paymeId, booked.paymentId);
      return { result: performResult(done) };
    }
  }
}

async function cancelTransaction(
  trx: Transaction<DB>,
  p: { id: string; reason: number },
  call: PaymeCall,
): Promise<PaymeOutcome> {
  const tx = await findPaymeTx(trx, p.id, true);
  if (!tx) return fail('TRANSACTION_NOT_FOUND', 'id');
  switch (decideCancel(tx)) {
    case 'answer':
      return { result: cancelResult(tx) };
    case 'cancel_created':
      return { result: cancelResult(await cancelWaiting(trx, tx, p.reason, call)) };
    case 'cancel_performed':
      return { result: cancelResult(await cancelPerformed(trx, tx, p.reason, call)) };
  }
}

/** State 1 → −1: nothing was booked; a cabinet intent waiting for it is cancelled. */
async function cancelWaiting(
  trx: Transaction<DB>,
  tx: PaymeRow,
  reason: number,
  call: PaymeCall,
): Promise<PaymeRow> {
  const done = await setPaymeState(trx, tx.id, { state: -1, cancelTime: call.now.getTime(), reason });
  if (tx.intentId !== null) await cancelIntent(trx, PAYME_CHANNEL, tx.paymeId);
  await auditCancel(trx, tx, done, call);
  return done;
}

/**
 * State 2 → −2: the booked payment is reversed (dated today in Tashkent, reason naming Payme's
 * reason code). A payment staff already reversed is not reversed twice.
 */
async function cancelPerformed(
  trx: Transaction<DB>,
  tx: PaymeRow,
  reason: number,
  call: PaymeCall,
): Promise<PaymeRow> {
  // No row lock here: reversePayment locks the contract, then the payment, in the order every
  // booking takes them (a payment locked first would deadlock against a booking's applyAdvances).
  const payment = await trx
    .selectFrom('payment')
    .select('status')
    .where('id', '=', tx.paymentId ?? -1n)
    .executeTakeFirst();
  if (payment?.status === 'booked') {
    await reversePayment(trx, actorFor(call, tx), {
      tenantId: tx.tenantId,
      channel: PAYME_CHANNEL,
      externalId: tx.paymeId,
      reason: reversalReason(reason),
      reversedOn: todayInTashkent(call.now),
    });
  }
  const done = await setPaymeState(trx, tx.id, { state: -2, cancelTime: call.now.getTime(), reason });
  await auditCancel(trx, tx, done, call);
  return done;
}

async function auditCancel(
  trx: Transaction<DB>,
  before: PaymeRow,
  after: PaymeRow,
  call: PaymeCall,
): Promise<void> {
  await writeAudit(trx, actorFor(call, before), {
    action: 'payme_transaction.cancel',
    entity: 'payme_transaction',
    entityId: before.id,
    tenantId: before.tenantId,
    orgUnitPath: await contractPath(trx, before.contractId),
    before: { payme_id: before.paymeId, state: before.state },
    after: {
      state: after.state,
      reason: after.reason,
      cancel_time: after.cancelTime,
      payment_id: after.paymentId,
    },
  });
}

const actorFor = (call: PaymeCall, tx: PaymeRow): Actor => ({ ...call.actor, tenantId: tx.tenantId });
