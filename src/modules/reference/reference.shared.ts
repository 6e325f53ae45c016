import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type LocalDate, nextPeriod, type Period, parsePeriod, periodOf } from '../../domain/period.ts';
import type { Access } from '../auth/access.ts';

/** A database handle or a transaction. */
export type Db = Kysely<DB> | Transaction<DB>;

/**
 * Throws unless the caller holds `reference.write` at the supplier's company unit: reference data
 * is supplier-wide, so changing it needs the permission at the top (as closing a period does).
 */
export async function assertReferenceWriter(db: Db, access: Access): Promise<void> {
  access.assert('reference.write');
  const company = await db
    .selectFrom('org_unit')
    .select('path')
    .where('tenant_id', '=', access.user.tenantId)
    .where('kind', '=', 'company')
    .executeTakeFirstOrThrow();
  access.assertAt('reference.write', company.path);
}

/**
 * The supplier's open period: the month after the last closed one, or the current month when
 * none is closed yet (as the billing page shows it).
 */
export async function openPeriodOf(db: Db, tenantId: bigint, today: LocalDate): Promise<Period> {
  const last = await db
    .selectFrom('billing_period')
    .select('period')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'closed')
    .orderBy('period', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ? nextPeriod(parsePeriod(last.period)) : periodOf(today);
}

/** Throws REFERENCE_STALE when the editor's revision is not the row's current one. */
export function assertRevision(current: number, given: number): void {
  if (current !== given)
    throw new AppError('REFERENCE_STALE', `Revision ${given} is stale (now ${current})`, {
      revision: current,
    });
}

/** True when a database error is a unique-key violation (two writers racing for one code). */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

/** Runs an insert or update, turning a unique-key race into REFERENCE_CODE_TAKEN. */
export async function uniqueOr<T>(code: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('REFERENCE_CODE_TAKEN', `${code} exists`, { code });
    throw e;
  }
}
