import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Tiyin } from '../../domain/money.ts';
import { type LocalDate, nextPeriod, type Period, parsePeriod } from '../../domain/period.ts';
import type { Milli } from '../../domain/quantity.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { applyAdvances } from '../payments/payments.service.ts';
import { postLines } from './close-period.ts';

/** A correction of a closed period's charges (billing-rules §10). */
export type CorrectionInput = {
  tenantId: bigint;
  contractId: bigint;
  /** The closed period being corrected. */
  forPeriod: Period;
  /** Quantity corrected (thousandths; negative takes energy back), if the correction is about energy. */
  quantity: Milli | null;
  /** Money corrected: positive charges more, negative is a credit. */
  amount: Tiyin;
  reason: string;
  on: LocalDate;
};

/**
 * Corrects a closed period without touching it: a `correction` line in the open period (the one
 * after the last closed) names the period it corrects. A negative correction is a credit that
 * covers open items at once (§4); a positive one is covered by any advance. Audited.
 */
export async function postCorrection(
  trx: Transaction<DB>,
  actor: Actor,
  c: CorrectionInput,
): Promise<{ period: Period }> {
  if (c.amount === 0n)
    throw new AppError('VALIDATION_FAILED', 'A correction changes some money', { issues: 'amount' });
  if (c.reason.trim().length < 3)
    throw new AppError('VALIDATION_FAILED', 'Say why the period is corrected', { issues: 'reason' });
  const contract = await trx
    .selectFrom('contract as k')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['k.id', 'k.number', 'ou.path'])
    .where('k.id', '=', c.contractId)
    .where('k.tenant_id', '=', c.tenantId)
    .executeTakeFirst();
  if (!contract)
    throw new AppError('UNKNOWN_ACCOUNT', `Unknown account ${c.contractId}`, {
      account: String(c.contractId),
    });
  const last = await trx
    .selectFrom('billing_period')
    .select(sql<string | null>`max(period)`.as('period'))
    .where('tenant_id', '=', c.tenantId)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  const lastClosed = last?.period ?? null;
  if (lastClosed === null || c.forPeriod > lastClosed)
    throw new AppError(
      'CORRECTION_PERIOD_OPEN',
      `Period ${c.forPeriod} is not closed: it is still billed as usual`,
      {
        period: c.forPeriod,
      },
    );
  const period = nextPeriod(parsePeriod(lastClosed));
  await postLines(trx, c.contractId, period, [
    {
      kind: 'correction',
      basis: null,
      obis: null,
      forPeriod: c.forPeriod,
      quantity: c.quantity,
      price: null,
      amount: c.amount,
    },
  ]);
  await writeAudit(trx, actor, {
    action: 'bill.correction',
    entity: 'contract',
    entityId: c.contractId,
    tenantId: c.tenantId,
    orgUnitPath: contract.path,
    after: {
      account: contract.number,
      period,
      for_period: c.forPeriod,
      quantity: c.quantity,
      amount: c.amount,
      reason: c.reason,
    },
  });
  await applyAdvances(trx, [c.contractId], c.on);
  return { period };
}
