import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { tiyin } from '../../../domain/money.ts';
import { type PaymeState, type PaymeTx, type StoredKey, toState } from './payme.protocol.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** A payme_transaction row with what the service needs beyond the protocol's view. */
export type PaymeRow = PaymeTx & {
  tenantId: bigint;
  contractId: bigint;
  intentId: bigint | null;
  paymentId: bigint | null;
};

const COLUMNS = [
  'id',
  'payme_id',
  'time',
  'amount',
  'account',
  'tenant_id',
  'contract_id',
  'intent_id',
  'state',
  'reason',
  'create_time',
  'perform_time',
  'cancel_time',
  'payment_id',
] as const;

type Raw = {
  id: bigint;
  payme_id: string;
  time: bigint;
  amount: bigint;
  account: unknown;
  tenant_id: bigint;
  contract_id: bigint;
  intent_id: bigint | null;
  state: number;
  reason: number | null;
  create_time: bigint;
  perform_time: bigint | null;
  cancel_time: bigint | null;
  payment_id: bigint | null;
};

// Times are milliseconds since the epoch: well inside Number's safe range.
const ms = (v: bigint | null): number | null => (v === null ? null : Number(v));

function toRow(r: Raw): PaymeRow {
  return {
    id: r.id,
    paymeId: r.payme_id,
    time: Number(r.time),
    amount: tiyin(r.amount),
    account: r.account,
    state: toState(Number(r.state)),
    reason: r.reason === null ? null : Number(r.reason),
    createTime: Number(r.create_time),
    performTime: ms(r.perform_time),
    cancelTime: ms(r.cancel_time),
    tenantId: r.tenant_id,
    contractId: r.contract_id,
    intentId: r.intent_id,
    paymentId: r.payment_id,
  };
}

/** The transaction with Payme's id `paymeId`, locked for the rest of `trx` (`lock`), or undefined. */
export async function findPaymeTx(db: Db, paymeId: string, lock = false): Promise<PaymeRow | undefined> {
  let q = db.selectFrom('payme_transaction').select(COLUMNS).where('payme_id', '=', paymeId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** Inserts a new transaction in state 1; undefined when one with that Payme id exists already. */
export async function insertPaymeTx(
  trx: Transaction<DB>,
  t: {
    paymeId: string;
    time: number;
    amount: bigint;
    account: unknown;
    tenantId: bigint;
    contractId: bigint;
    intentId: bigint | null;
    createTime: number;
  },
): Promise<PaymeRow | undefined> {
  const row = await trx
    .insertInto('payme_transaction')
    .values({
      payme_id: t.paymeId,
      time: BigInt(t.time),
      amount: t.amount,
      account: JSON.stringify(t.account),
      tenant_id: t.tenantId,
      contract_id: t.contractId,
      intent_id: t.intentId,
      create_time: BigInt(t.createTime),
    })
    .onConflict((oc) => oc.column('payme_id').doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** Moves a transaction to `state` with its time, reason and payment; returns the row as it is now. */
export async function setPaymeState(
  trx: Transaction<DB>,
  id: bigint,
  s: { state: PaymeState; performTime?: number; cancelTime?: number; reason?: number; paymentId?: bigint },
): Promise<PaymeRow> {
  const row = await trx
    .updateTable('payme_transaction')
    .set({
      state: s.state,
      ...(s.performTime === undefined ? {} : { perform_time: BigInt(s.performTime) }),
      ...(s.cancelTime === undefined ? {} : { cancel_time: BigInt(s.cancelTime) }),
      ...(s.reason === undefined ? {} : { reason: s.reason }),
      ...(s.paymentId === undefined ? {} : { payment_id: s.paymentId }),
    })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toRow(row);
}

/** True when another transaction than `paymeId` is waiting (state 1) to pay intent `intentId`. */
export async function intentHasOtherLiveTx(
  db: Db,
  intentId: string,
  paymeId: string | undefined,
): Promise<boolean> {
  let q = db
    .selectFrom('payme_transaction')
    .select('id')
    .where('intent_id', '=', BigInt(intentId))
    .where('state', '=', 1);
  if (paymeId !== undefined) q = q.where('payme_id', '<>', paymeId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** The transactions Payme created in [from, to] (ms, both included), oldest first. */
export async function listPaymeTx(db: Db, from: number, to: number): Promise<PaymeRow[]> {
  const rows = await db
    .selectFrom('payme_transaction')
    .select(COLUMNS)
    .where('time', '>=', BigInt(from))
    .where('time', '<=', BigInt(to))
    .orderBy('time')
    .orderBy('id')
    .execute();
  return rows.map(toRow);
}

/** The key ChangePassword stored, if any. */
export async function readStoredKey(db: Db): Promise<StoredKey | undefined> {
  const row = await db.selectFrom('payme_key').select(['key_sha256', 'env_key_sha256']).executeTakeFirst();
  return row ? { keySha256: row.key_sha256, envKeySha256: row.env_key_sha256 } : undefined;
}

/** Stores the key Payme set (its digest) with the digest of the PAYME_KEY it replaces. */
export async function storeKey(trx: Transaction<DB>, k: StoredKey): Promise<void> {
  await trx
    .insertInto('payme_key')
    .values({ id: true, key_sha256: k.keySha256, env_key_sha256: k.envKeySha256 })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        key_sha256: k.keySha256,
        env_key_sha256: k.envKeySha256,
        changed_at: sql`now()`,
      }),
    )
    .execute();
}
