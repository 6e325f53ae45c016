import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Period } from '../../domain/period.ts';

/** Throws PERIOD_CLOSED when the supplier has closed `period`: closed periods are immutable (§10). */
export async function assertPeriodOpen(
  trx: Transaction<DB>,
  tenantId: bigint,
  period: Period,
): Promise<void> {
  const closed = await trx
    .selectFrom('billing_period')
    .select('period')
    .where('tenant_id', '=', tenantId)
    .where('period', '=', period)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  if (closed) throw new AppError('PERIOD_CLOSED', `Period ${period} is closed`, { period });
}
