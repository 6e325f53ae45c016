import { sql, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

/**
 * Set-based statements of the billing engine and of allocation look rows up by key for a few
 * thousand accounts, from `unnest(ids)` through lateral joins. Statistics lag behind a running bill run (bill and bill_line grow by the
 * chunk), and a planner that still believes them small scans them whole for every chunk, which
 * makes a run quadratic; those plans' inflated costs then also switch on JIT, ~150 ms a query.
 * Index lookups in nested loops are the plan, so such a transaction asks for nothing else
 * (`set local`: it ends with the transaction).
 */
export async function keyedLookupsOnly(trx: Transaction<DB>): Promise<void> {
  await sql`set local jit = off`.execute(trx);
  await sql`set local enable_seqscan = off`.execute(trx);
  await sql`set local enable_hashjoin = off`.execute(trx);
  await sql`set local enable_mergejoin = off`.execute(trx);
}
