import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { todayInTashkent } from '../../../domain/period.ts';
import type { Actor } from '../../audit/audit.ts';
import { bookPayment } from '../payments.service.ts';
import { findPayableContract } from '../provider-accounts.ts';
import {
  CLICK_ACTION,
  type ClickCompleteAnswer,
  type ClickOutcome,
  type ClickPrepareAnswer,
  type ClickPrepareRequest,
  completeAnswer,
  completeSignSource,
  parseClickAmount,
  prepareAnswer,
  prepareSignSource,
  signMatches,
  ZClickCompleteRequest,
  ZClickPrepareRequest,
} from './click.protocol.ts';
import {
  type ClickTransactionRow,
  insertPrepared,
  lockByClickTransId,
  lockById,
  markCancelled,
  markCompleted,
} from './click.repository.ts';

// The supplier's side of Click's SHOP API: Prepare checks the account and the amount and records
// the attempt; Complete books the payment once, or cancels the attempt when Click reports that the
// debit failed. Every answer is one of Click's documented codes; each call is one transaction
// that locks the attempt's row, so repeats — also concurrent ones — are answered from it.
//
// The account is the contract number (merchant_trans_id) exactly as sent. Click's requests carry
// no other field we could use, so a number that exists at several suppliers of this installation
// answers −5, and a cabinet payment intent is not linked (click_transaction.intent_id stays null).

/** The installation's Click keys; either unset switches Click off (every call answers −1). */
export type ClickKeys = { serviceId: string | undefined; secretKey: string | undefined };

/** Who is calling, for the audit row of a booked payment; `now` fixes today's date in tests. */
export type ClickCaller = { ip?: string; requestId?: string; now?: Date };

const PROVIDER = 'click';

/** What a call decided: the answer and the id it carries. */
type Decided = { outcome: ClickOutcome; id: bigint | null };

type Checked<T> = { ok: true; request: T } | { ok: false; outcome: ClickOutcome };

/**
 * Checks what every call must satisfy, in Click's order: all fields present (−8), the signature
 * (−1; also when the keys are not configured — nothing can be verified then), the action (−3),
 * and that the call is for our service (−8).
 */
function checkRequest<T extends ClickPrepareRequest>(
  keys: ClickKeys,
  body: unknown,
  parse: (body: unknown) => { success: true; data: T } | { success: false },
  signSource: (r: T, secretKey: string) => string,
  action: string,
): Checked<T> {
  const parsed = parse(body);
  if (!parsed.success) return { ok: false, outcome: 'badRequest' };
  const r = parsed.data;
  if (!keys.secretKey || !keys.serviceId) return { ok: false, outcome: 'signCheckFailed' };
  if (!signMatches(signSource(r, keys.secretKey), r.sign_string))
    return { ok: false, outcome: 'signCheckFailed' };
  if (r.action !== action) return { ok: false, outcome: 'actionNotFound' };
  if (BigInt(r.service_id) !== BigInt(keys.serviceId)) return { ok: false, outcome: 'badRequest' };
  return { ok: true, request: r };
}

/** Click's error code and note of a failed debit, as stored on the cancelled attempt. */
const clickError = (r: ClickPrepareRequest) => `${r.error} ${r.error_note ?? ''}`.trim();

/**
 * Cancels a prepared attempt because Click reported a failed debit (docs: cancel and answer −9);
 * nothing had been booked. A completed attempt stays paid (−4); a cancelled one answers −9 again.
 */
async function cancelByClick(
  trx: Transaction<DB>,
  row: ClickTransactionRow,
  r: ClickPrepareRequest,
): Promise<ClickOutcome> {
  switch (row.status) {
    case 'completed':
      return 'alreadyPaid';
    case 'cancelled':
      return 'transactionCancelled';
    case 'prepared':
      await markCancelled(trx, row.id, clickError(r));
      return 'transactionCancelled';
  }
}

/** Answers Click's Prepare (action 0): the account exists and the amount is payable. */
export async function clickPrepare(
  db: Kysely<DB>,
  keys: ClickKeys,
  body: unknown,
): Promise<ClickPrepareAnswer> {
  const checked = checkRequest(
    keys,
    body,
    (b) => ZClickPrepareRequest.safeParse(b),
    prepareSignSource,
    CLICK_ACTION.prepare,
  );
  if (!checked.ok) return prepareAnswer(body, checked.outcome, null);
  const r = checked.request;
  const clickTransId = BigInt(r.click_trans_id);
  const { outcome, id } = await db.transaction().execute(async (trx): Promise<Decided> => {
    if (Number(r.error) < 0) {
      const row = await lockByClickTransId(trx, clickTransId);
      return {
        outcome: row ? await cancelByClick(trx, row, r) : 'transactionCancelled',
        id: row?.id ?? null,
      };
    }
    const lookup = await findPayableContract(trx, { number: r.merchant_trans_id });
    if (lookup.kind !== 'found') return { outcome: 'userNotFound', id: null };
    const amount = parseClickAmount(r.amount);
    if (amount === null) return { outcome: 'incorrectAmount', id: null };
    const { contract } = lookup;
    const inserted = await insertPrepared(trx, {
      clickTransId,
      clickPaydocId: r.click_paydoc_id === undefined ? null : BigInt(r.click_paydoc_id),
      serviceId: BigInt(r.service_id),
      tenantId: contract.tenantId,
      contractId: contract.contractId,
      account: r.merchant_trans_id,
      amount,
      signTime: r.sign_time,
    });
    if (inserted !== null) return { outcome: 'success', id: inserted };
    // A repeat of a Prepare already answered: answer it from the recorded attempt.
    const row = await lockByClickTransId(trx, clickTransId);
    if (!row) throw new Error(`click_transaction ${clickTransId} conflicted but is not there`);
    switch (row.status) {
      case 'completed':
        return { outcome: 'alreadyPaid', id: row.id };
      case 'cancelled':
        return { outcome: 'transactionCancelled', id: row.id };
      case 'prepared':
        if (row.contract_id !== contract.contractId) return { outcome: 'userNotFound', id: null };
        if (row.amount !== amount) return { outcome: 'incorrectAmount', id: null };
        return { outcome: 'success', id: row.id };
    }
  });
  return prepareAnswer(body, outcome, id);
}

/**
 * Answers Click's Complete (action 1) for the attempt our Prepare answered as merchant_prepare_id:
 * books the payment (channel 'click', external id click_trans_id, paid today in Tashkent) and
 * marks the attempt completed in one transaction, or cancels it when Click reports an error.
 */
export async function clickComplete(
  db: Kysely<DB>,
  keys: ClickKeys,
  body: unknown,
  caller: ClickCaller = {},
): Promise<ClickCompleteAnswer> {
  const checked = checkRequest(
    keys,
    body,
    (b) => ZClickCompleteRequest.safeParse(b),
    completeSignSource,
    CLICK_ACTION.complete,
  );
  if (!checked.ok) return completeAnswer(body, checked.outcome, null);
  const r = checked.request;
  if (!/^[0-9]{1,18}$/.test(r.merchant_prepare_id)) return completeAnswer(body, 'transactionNotFound', null);
  const { outcome, id: paymentId } = await db.transaction().execute(async (trx): Promise<Decided> => {
    const row = await lockById(trx, BigInt(r.merchant_prepare_id));
    // Our id must be the one we gave for this very attempt and account.
    if (!row || row.click_trans_id !== BigInt(r.click_trans_id) || row.account !== r.merchant_trans_id)
      return { outcome: 'transactionNotFound', id: null };
    if (Number(r.error) < 0) return { outcome: await cancelByClick(trx, row, r), id: row.payment_id };
    switch (row.status) {
      case 'completed':
        return { outcome: 'alreadyPaid', id: row.payment_id };
      case 'cancelled':
        return { outcome: 'transactionCancelled', id: null };
      case 'prepared': {
        if (parseClickAmount(r.amount) !== row.amount) return { outcome: 'incorrectAmount', id: null };
        const actor: Actor = {
          type: 'provider',
          id: PROVIDER,
          tenantId: row.tenant_id,
          ip: caller.ip,
          requestId: caller.requestId,
        };
        const booked = await bookPayment(trx, actor, {
          tenantId: row.tenant_id,
          contractId: row.contract_id,
          channel: PROVIDER,
          externalId: String(row.click_trans_id),
          amount: row.amount,
          paidOn: todayInTashkent(caller.now),
        });
        await markCompleted(trx, row.id, booked.paymentId);
        return { outcome: 'success', id: booked.paymentId };
      }
    }
  });
  return completeAnswer(body, outcome, outcome === 'success' || outcome === 'alreadyPaid' ? paymentId : null);
}
