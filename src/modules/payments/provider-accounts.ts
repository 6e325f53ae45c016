import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Tiyin } from '../../domain/money.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** The contract a provider's payment is for. */
export type PayableContract = {
  tenantId: bigint;
  contractId: bigint;
  /** The contract (personal account) number as the consumer knows it. */
  number: string;
  supplierCode: string;
  consumerName: string;
  orgUnitPath: string;
};

/** What a provider's account field resolved to. */
export type AccountLookup =
  | { kind: 'found'; contract: PayableContract }
  | { kind: 'not_found' }
  /** The number exists at several suppliers of this installation and no supplier was named. */
  | { kind: 'ambiguous'; suppliers: string[] };

/**
 * Finds the contract a provider names by its account field: the contract number exactly as given
 * (leading zeros are significant), optionally narrowed by the supplier's code when one
 * installation bills for several suppliers. Terminated contracts can still be paid (their debt
 * remains); a contract of another supplier is never guessed.
 */
export async function findPayableContract(
  db: Db,
  account: { number: string; supplier?: string | undefined },
): Promise<AccountLookup> {
  let q = db
    .selectFrom('contract as k')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('tenant as t', 't.id', 'k.tenant_id')
    .innerJoin('org_unit as u', 'u.id', 'k.org_unit_id')
    .select([
      'k.id as contractId',
      'k.tenant_id as tenantId',
      'k.number',
      't.code as supplierCode',
      'c.name as consumerName',
      'u.path as orgUnitPath',
    ])
    .where('k.number', '=', account.number);
  if (account.supplier !== undefined) q = q.where('t.code', '=', account.supplier);
  const rows = await q.orderBy('t.code').execute();
  const [first] = rows;
  if (!first) return { kind: 'not_found' };
  if (rows.length > 1) return { kind: 'ambiguous', suppliers: rows.map((r) => r.supplierCode) };
  return { kind: 'found', contract: first };
}

/** How long an intent waits for the provider before it lapses (Payme's own timeout is 12 hours). */
export const INTENT_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** Why an intent cannot take a provider's transaction. */
export type IntentProblem = 'not_found' | 'wrong_account' | 'wrong_amount' | 'closed';

/** An intent a provider's transaction may be for. */
export type OpenIntent = { id: bigint; contractId: bigint; amount: Tiyin; externalId: string | null };

/**
 * Checks that intent `intentId` of `provider` is open for a transaction of `amount` on
 * `contractId`: it exists, is for that contract and amount, is neither paid, cancelled nor
 * lapsed, and is not already taken by another provider transaction (`externalId` is the
 * transaction asking; the same transaction asking again is fine). Locks the intent row.
 */
export async function checkIntent(
  trx: Transaction<DB>,
  q: {
    provider: string;
    intentId: string;
    contractId: bigint;
    amount: Tiyin;
    externalId?: string;
    now?: Date;
  },
): Promise<{ ok: true; intent: OpenIntent } | { ok: false; problem: IntentProblem }> {
  if (!/^[0-9]{1,18}$/.test(q.intentId)) return { ok: false, problem: 'not_found' };
  const row = await trx
    .selectFrom('payment_intent')
    .select(['id', 'contract_id', 'amount', 'status', 'external_id', 'created_at'])
    .where('id', '=', BigInt(q.intentId))
    .where('provider', '=', q.provider)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return { ok: false, problem: 'not_found' };
  if (row.contract_id !== q.contractId) return { ok: false, problem: 'wrong_account' };
  if (row.amount !== q.amount) return { ok: false, problem: 'wrong_amount' };
  const lapsed = (q.now ?? new Date()).getTime() - new Date(row.created_at).getTime() > INTENT_LIFETIME_MS;
  const taken = row.external_id !== null && row.external_id !== q.externalId;
  if (row.status === 'paid' || row.status === 'cancelled' || row.status === 'expired' || taken)
    return { ok: false, problem: 'closed' };
  if (lapsed && row.status === 'created') return { ok: false, problem: 'closed' };
  return {
    ok: true,
    intent: {
      id: row.id,
      contractId: row.contract_id,
      amount: row.amount as Tiyin,
      externalId: row.external_id,
    },
  };
}

/** The provider has created its transaction for the intent: the intent waits for it. */
export async function linkIntent(trx: Transaction<DB>, intentId: bigint, externalId: string): Promise<void> {
  await trx
    .updateTable('payment_intent')
    .set({ status: 'pending', external_id: externalId, updated_at: sql`now()` })
    .where('id', '=', intentId)
    .where('status', 'in', ['created', 'pending'])
    .execute();
}

/** The provider's transaction was performed and booked as `paymentId`: the intent is paid. */
export async function settleIntent(
  trx: Transaction<DB>,
  provider: string,
  externalId: string,
  paymentId: bigint,
): Promise<void> {
  await trx
    .updateTable('payment_intent')
    .set({ status: 'paid', payment_id: paymentId, updated_at: sql`now()` })
    .where('provider', '=', provider)
    .where('external_id', '=', externalId)
    .execute();
}

/**
 * The provider cancelled its transaction before it was performed (a declined card, say): the
 * intent is free again, so the consumer can try another card in the same checkout. A paid intent
 * stays paid: its payment's reversal is what shows the money went back.
 */
export async function cancelIntent(
  trx: Transaction<DB>,
  provider: string,
  externalId: string,
): Promise<void> {
  await trx
    .updateTable('payment_intent')
    .set({ status: 'created', external_id: null, updated_at: sql`now()` })
    .where('provider', '=', provider)
    .where('external_id', '=', externalId)
    .where('status', '=', 'pending')
    .execute();
}
