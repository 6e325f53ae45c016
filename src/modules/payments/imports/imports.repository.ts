import { type Kysely, sql, type Transaction } from 'kysely';
import { pgArray } from '../../../db/arrays.ts';
import type { DB } from '../../../db/schema.ts';
import type { Tiyin } from '../../../domain/money.ts';
import type { FileChannel, FileFormat } from './payment-file-reader.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** An import batch row as the API shows it. */
export type BatchRow = {
  id: bigint;
  channel: string;
  file_name: string;
  file_format: string;
  sha256: string;
  statement_from: string | null;
  statement_to: string | null;
  line_count: number;
  booked_count: number;
  duplicate_count: number;
  unmatched_count: number;
  skipped_count: number;
  booked_amount: bigint;
  unmatched_amount: bigint;
  created_at: Date | string;
  created_by: bigint | null;
  created_by_name: string | null;
};

function batches(db: Db) {
  return db
    .selectFrom('import_batch as b')
    .leftJoin('app_user as u', 'u.id', 'b.created_by')
    .select([
      'b.id',
      'b.channel',
      'b.file_name',
      'b.file_format',
      'b.sha256',
      'b.statement_from',
      'b.statement_to',
      'b.line_count',
      'b.booked_count',
      'b.duplicate_count',
      'b.unmatched_count',
      'b.skipped_count',
      'b.booked_amount',
      'b.unmatched_amount',
      'b.created_at',
      'b.created_by',
      'u.full_name as created_by_name',
    ]);
}

/** The batch of a file already imported by the supplier (same SHA-256), if any. */
export async function findBatchBySha(
  db: Db,
  tenantId: bigint,
  sha256: string,
): Promise<BatchRow | undefined> {
  return batches(db).where('b.tenant_id', '=', tenantId).where('b.sha256', '=', sha256).executeTakeFirst();
}

/** One batch of the supplier. */
export async function findBatch(db: Db, tenantId: bigint, id: bigint): Promise<BatchRow | undefined> {
  return batches(db).where('b.tenant_id', '=', tenantId).where('b.id', '=', id).executeTakeFirst();
}

/** The supplier's batches, newest first. */
export async function listBatches(
  db: Db,
  q: { tenantId: bigint; channel?: FileChannel | undefined; limit: number; offset: number },
): Promise<BatchRow[]> {
  let query = batches(db).where('b.tenant_id', '=', q.tenantId);
  if (q.channel) query = query.where('b.channel', '=', q.channel);
  return query
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
}

/**
 * Creates the batch row, or returns null when the same file is already imported — also when a
 * concurrent import of it commits first (the insert waits for it on the unique key).
 */
export async function insertBatch(
  trx: Transaction<DB>,
  b: {
    tenantId: bigint;
    channel: FileChannel;
    fileName: string;
    format: FileFormat;
    sha256: string;
    from: string | null;
    to: string | null;
    createdBy: bigint | null;
  },
): Promise<bigint | null> {
  const row = await trx
    .insertInto('import_batch')
    .values({
      tenant_id: b.tenantId,
      channel: b.channel,
      file_name: b.fileName,
      file_format: b.format,
      sha256: b.sha256,
      statement_from: b.from,
      statement_to: b.to,
      created_by: b.createdBy,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'sha256']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The path of the supplier's company unit (the root of its org tree). */
export async function companyPath(db: Db, tenantId: bigint): Promise<string> {
  const row = await db
    .selectFrom('org_unit')
    .select('path')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'company')
    .orderBy('id')
    .executeTakeFirst();
  // A supplier without a company unit has no one to import for: no path matches it.
  return row?.path ?? '/none/';
}

/** The supplier's settlement account (statements are for it). */
export async function supplierAccount(db: Db, tenantId: bigint): Promise<string | null> {
  const row = await db
    .selectFrom('tenant')
    .select('bank_account')
    .where('id', '=', tenantId)
    .executeTakeFirst();
  return row?.bank_account ?? null;
}

/** Contracts with one of `numbers`, and every contract of consumers with one of `inns`. */
export async function contractsForMatching(
  db: Db,
  q: { tenantId: bigint; numbers: readonly string[]; inns: readonly string[] },
): Promise<{ id: bigint; number: string; inn: string | null }[]> {
  // Two keyed lookups (contract by number, consumer by INN) rather than one scan with an OR.
  const { rows } = await sql<{ id: bigint; number: string; inn: string | null }>`
    select k.id, k.number, c.inn
      from contract k join consumer c on c.id = k.consumer_id
     where k.tenant_id = ${q.tenantId} and k.number = any(${pgArray(q.numbers)}::text[])
    union
    select k.id, k.number, c.inn
      from consumer c join contract k on k.consumer_id = c.id
     where c.tenant_id = ${q.tenantId} and c.inn = any(${pgArray(q.inns)}::text[])`.execute(db);
  return rows;
}

/** The contract with this number at the supplier, with its org unit's path. */
export async function contractByNumber(
  db: Db,
  tenantId: bigint,
  number: string,
): Promise<{ id: bigint; number: string; path: string } | undefined> {
  return db
    .selectFrom('contract as k')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['k.id', 'k.number', 'ou.path'])
    .where('k.tenant_id', '=', tenantId)
    .where('k.number', '=', number)
    .executeTakeFirst();
}

/** Payments of the channel already known under these external ids, with their contract's number. */
export async function paymentsByExternalId(
  db: Db,
  q: { tenantId: bigint; channel: string; externalIds: readonly string[] },
): Promise<Map<string, { id: bigint; amount: bigint; status: string; contractNumber: string | null }>> {
  if (q.externalIds.length === 0) return new Map();
  const { rows } = await sql<{
    id: bigint;
    external_id: string;
    amount: bigint;
    status: string;
    number: string | null;
  }>`
    select p.id, p.external_id, p.amount, p.status, k.number
      from payment p left join contract k on k.id = p.contract_id
     where p.tenant_id = ${q.tenantId} and p.channel = ${q.channel}
       and p.external_id = any(${pgArray(q.externalIds)}::text[])`.execute(db);
  return new Map(
    rows.map((r) => [
      r.external_id,
      { id: r.id, amount: BigInt(r.amount), status: r.status, contractNumber: r.number },
    ]),
  );
}

/** A payment to keep in the unmatched queue. */
export type UnmatchedInsert = {
  externalId: string;
  amount: Tiyin;
  paidOn: string;
  payer: string | null;
  purpose: string | null;
};

/**
 * Stores unmatched payments in one statement; a payment another import stored meanwhile is left
 * as it is. Returns the ids of the rows stored now, by external id.
 */
export async function insertUnmatched(
  trx: Transaction<DB>,
  q: {
    tenantId: bigint;
    channel: string;
    batchId: bigint;
    createdBy: bigint | null;
    rows: readonly UnmatchedInsert[];
  },
): Promise<Map<string, bigint>> {
  if (q.rows.length === 0) return new Map();
  const { rows } = await sql<{ id: bigint; external_id: string }>`
    insert into payment (tenant_id, contract_id, channel, external_id, amount, paid_on, status, payer, purpose,
                         created_by, import_batch_id)
    select ${q.tenantId}, null, ${q.channel}, x, a, d, 'unmatched', p, u, ${q.createdBy}, ${q.batchId}
      from unnest(${pgArray(q.rows.map((r) => r.externalId))}::text[], ${pgArray(q.rows.map((r) => r.amount))}::bigint[],
                  ${pgArray(q.rows.map((r) => r.paidOn))}::date[], ${pgArray(q.rows.map((r) => r.payer))}::text[],
                  ${pgArray(q.rows.map((r) => r.purpose))}::text[]) as v(x, a, d, p, u)
    on conflict (tenant_id, channel, external_id) do nothing
    returning id, external_id`.execute(trx);
  return new Map(rows.map((r) => [r.external_id, r.id]));
}

/** Marks payments booked by this import with their batch, payer and purpose (bookPayment knows neither). */
export async function tagBookedPayments(
  trx: Transaction<DB>,
  batchId: bigint,
  rows: readonly { paymentId: bigint; payer: string | null; purpose: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update payment p set import_batch_id = ${batchId}, payer = v.payer, purpose = v.purpose
      from unnest(${pgArray(rows.map((r) => r.paymentId))}::bigint[], ${pgArray(rows.map((r) => r.payer))}::text[],
                  ${pgArray(rows.map((r) => r.purpose))}::text[]) as v(id, payer, purpose)
     where p.id = v.id`.execute(trx);
}

/** An import line as stored. */
export type LineInsert = {
  line: number;
  externalId: string;
  paidOn: string;
  amount: Tiyin;
  account: string | null;
  payer: string | null;
  payerInn: string | null;
  purpose: string | null;
  outcome: 'booked' | 'duplicate' | 'unmatched';
  matchedBy: 'account' | 'purpose' | 'inn' | null;
  paymentId: bigint;
};

/** Stores the lines of a batch in one statement. */
export async function insertLines(
  trx: Transaction<DB>,
  batchId: bigint,
  lines: readonly LineInsert[],
): Promise<void> {
  if (lines.length === 0) return;
  const col = <K extends keyof LineInsert>(k: K) =>
    pgArray(lines.map((l) => l[k] as string | bigint | number | null));
  await sql`
    insert into import_line (batch_id, line, external_id, paid_on, amount, account, payer, payer_inn, purpose,
                             outcome, matched_by, payment_id)
    select ${batchId}, n, x, d, a, acc, p, inn, u, o, m, pid
      from unnest(${col('line')}::int[], ${col('externalId')}::text[], ${col('paidOn')}::date[],
                  ${col('amount')}::bigint[], ${col('account')}::text[], ${col('payer')}::text[],
                  ${col('payerInn')}::text[], ${col('purpose')}::text[], ${col('outcome')}::text[],
                  ${col('matchedBy')}::text[], ${col('paymentId')}::bigint[])
           as v(n, x, d, a, acc, p, inn, u, o, m, pid)`.execute(trx);
}

/** Writes the batch's counts once its lines are in. */
export async function finishBatch(
  trx: Transaction<DB>,
  batchId: bigint,
  c: {
    lines: number;
    booked: number;
    duplicates: number;
    unmatched: number;
    skipped: number;
    bookedAmount: Tiyin;
    unmatchedAmount: Tiyin;
  },
): Promise<void> {
  await trx
    .updateTable('import_batch')
    .set({
      line_count: c.lines,
      booked_count: c.booked,
      duplicate_count: c.duplicates,
      unmatched_count: c.unmatched,
      skipped_count: c.skipped,
      booked_amount: c.bookedAmount,
      unmatched_amount: c.unmatchedAmount,
    })
    .where('id', '=', batchId)
    .execute();
}
