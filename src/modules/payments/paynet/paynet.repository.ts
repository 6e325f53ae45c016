import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { tiyin } from '../../../domain/money.ts';
import { type PaynetTx, toState } from './paynet.protocol.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** A paynet_transaction row with what the service needs beyond the protocol's view. */
export type PaynetRow = PaynetTx & {
  tenantId: bigint;
  contractId: bigint;
  paymentId: bigint | null;
};

const COLUMNS = [
  'id',
  'transaction_id',
  'amount',
  'tenant_id',
  'contract_id',
  'state',
  'perform_time',
  'cancel_time',
  'payment_id',
] as const;

type Raw = {
  id: bigint;
  transaction_id: string;
  amount: bigint;
  tenant_id: bigint;
  contract_id: bigint;
  state: number;
  perform_time: Date;
  cancel_time: Date | null;
  payment_id: bigint | null;
};

function toRow(r: Raw): PaynetRow {
  return {
    id: r.id,
    transactionId: r.transaction_id,
    amount: tiyin(r.amount),
    state: toState(Number(r.state)),
    performTime: new Date(r.perform_time),
    cancelTime: r.cancel_time === null ? null : new Date(r.cancel_time),
    tenantId: r.tenant_id,
    contractId: r.contract_id,
    paymentId: r.payment_id,
  };
}

/** The transaction with Paynet's id `transactionId`, locked for the rest of `trx` (`lock`), or undefined. */
export async function findPaynetTx(
  db: Db,
  transactionId: string,
  lock = false,
): Promise<PaynetRow | undefined> {
  let q = db.selectFrom('paynet_transaction').select(COLUMNS).where('transaction_id', '=', transactionId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/**
 * Inserts a performed transaction (its payment is set by `setPaynetPayment` before `trx`
 * commits); undefined when one with that Paynet id exists already. A concurrent duplicate's
 * insert waits here until the first commits (or rolls back), so the row is the lock.
 */
export async function insertPaynetTx(
  trx: Transaction<DB>,
  t: {
    transactionId: string;
    serviceId: bigint;
    transactionTime: Date | null;
    amount: bigint;
    fields: unknown;
    tenantId: bigint;
    contractId: bigint;
    performTime: Date;
  },
): Promise<PaynetRow | undefined> {
  const row = await trx
    .insertInto('paynet_transaction')
    .values({
      transaction_id: t.transactionId,
      service_id: t.serviceId,
      transaction_time: t.transactionTime,
      amount: t.amount,
      fields: JSON.stringify(t.fields),
      tenant_id: t.tenantId,
      contract_id: t.contractId,
      perform_time: t.performTime,
    })
    .onConflict((oc) => oc.column('transaction_id').doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** Links the payment booked for a transaction just inserted. */
export async function setPaynetPayment(
  trx: Transaction<DB>,
  id: bigint,
  paymentId: bigint,
): Promise<PaynetRow> {
  const row = await trx
    .updateTable('paynet_transaction')
    .set({ payment_id: paymentId })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toRow(row);
}

/** Marks a performed transaction cancelled at `at`; returns the row as it is now. */
export async function cancelPaynetTx(trx: Transaction<DB>, id: bigint, at: Date): Promise<PaynetRow> {
  const row = await trx
    .updateTable('paynet_transaction')
    .set({ state: 2, cancel_time: at })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toRow(row);
}

/** The transactions performed in [from, to] and not cancelled, oldest first. */
export async function listPerformedPaynetTx(db: Db, from: Date, to: Date): Promise<PaynetRow[]> {
  const rows = await db
    .selectFrom('paynet_transaction')
    .select(COLUMNS)
    .where('state', '=', 1)
    .where('perform_time', '>=', from)
    .where('perform_time', '<=', to)
    .orderBy('perform_time')
    .orderBy('id')
    .execute();
  return rows.map(toRow);
}
