import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** The id at position `i` of a list allocated by allocateIds. */
export function at(ids: readonly bigint[], i: number): bigint {
  const id = ids[i];
  if (id === undefined) throw new Error(`no id allocated at ${i}`);
  return id;
}

/** Reserves `n` ids of a table's identity sequence, so parent and child rows can be inserted in bulk. */
export async function allocateIds(trx: Db, table: keyof DB, n: number): Promise<bigint[]> {
  if (n === 0) return [];
  const r = await sql<{ id: bigint }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::bigint as id
    from generate_series(1, ${n}::int)`.execute(trx);
  return r.rows.map((row) => row.id);
}

/** Inserts rows in multi-row statements of ~1,000 rows. */
export async function insertBatches(
  trx: Db,
  table: keyof DB,
  rows: readonly Record<string, unknown>[],
  size = 1000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    // The rows were built for `table`; Kysely cannot check a table chosen at run time.
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}
