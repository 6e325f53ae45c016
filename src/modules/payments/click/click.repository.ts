import { type Selectable, sql, type Transaction } from 'kysely';
import type { ClickTransaction, DB } from '../../../db/schema.ts';
import { type Tiyin, tiyin } from '../../../domain/money.ts';

/** Where a Click payment attempt stands. */
export type ClickStatus = 'prepared' | 'completed' | 'cancelled';

/** A Click payment attempt as stored (table click_transaction, migration 0012). */
export type ClickTransactionRow = Omit<Selectable<ClickTransaction>, 'status' | 'amount'> & {
  status: ClickStatus;
  amount: Tiyin;
};

function toRow(r: Selectable<ClickTransaction>): ClickTransactionRow {
  const status = r.status;
  if (status !== 'prepared' && status !== 'completed' && status !== 'cancelled')
    throw new Error(`click_transaction ${r.id} has an unknown status ${status}`);
  return { ...r, status, amount: tiyin(r.amount) };
}

/** What a Prepare records. */
export type NewClickTransaction = {
  clickTransId: bigint;
  clickPaydocId: bigint | null;
  serviceId: bigint;
  tenantId: bigint;
  contractId: bigint;
  account: string;
  amount: Tiyin;
  signTime: string;
};

/**
 * Records a prepared attempt; returns its id, or null when Click's id is already recorded (a
 * repeat, possibly concurrent: the conflict waits for the other transaction to commit).
 */
export async function insertPrepared(trx: Transaction<DB>, t: NewClickTransaction): Promise<bigint | null> {
  const row = await trx
    .insertInto('click_transaction')
    .values({
      click_trans_id: t.clickTransId,
      click_paydoc_id: t.clickPaydocId,
      service_id: t.serviceId,
      tenant_id: t.tenantId,
      contract_id: t.contractId,
      account: t.account,
      amount: t.amount,
      sign_time: t.signTime,
    })
    .onConflict((oc) => oc.column('click_trans_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The attempt with Click's id `clickTransId`, locked until the transaction ends. */
export async function lockByClickTransId(
  trx: Transaction<DB>,
  clickTransId: bigint,
): Promise<ClickTransactionRow | undefined> {
  const row = await trx
    .selectFrom('click_transaction')
    .selectAll()
    .where('click_trans_id', '=', clickTransId)
    .forUpdate()
    .executeTakeFirst();
  return row && toRow(row);
}

/** The attempt with our id `id` (Click's merchant_prepare_id), locked until the transaction ends. */
export async function lockById(trx: Transaction<DB>, id: bigint): Promise<ClickTransactionRow | undefined> {
  const row = await trx
    .selectFrom('click_transaction')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && toRow(row);
}

/** The attempt was paid and booked as `paymentId`. */
export async function markCompleted(trx: Transaction<DB>, id: bigint, paymentId: bigint): Promise<void> {
  await trx
    .updateTable('click_transaction')
    .set({ status: 'completed', payment_id: paymentId, completed_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'prepared')
    .execute();
}

/** Click reported that the attempt failed (`error`: its code and note). */
export async function markCancelled(trx: Transaction<DB>, id: bigint, error: string): Promise<void> {
  await trx
    .updateTable('click_transaction')
    .set({ status: 'cancelled', cancelled_at: sql`now()`, error })
    .where('id', '=', id)
    .where('status', '=', 'prepared')
    .execute();
}
