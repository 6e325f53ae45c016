import { AppError } from '../../domain/errors.ts';
import { nextPeriod, parseLocalDate, periodOf } from '../../domain/period.ts';
import { writeAudit } from '../audit/audit.ts';
import type { TerminateInput } from './consumers.edit.schemas.ts';
import {
  assertNotBilled,
  assertPeriodNotClosed,
  contractForWrite,
  dateOf,
  type Editor,
  lastClosedPeriod,
  type Trx,
} from './consumers.edit.shared.ts';

/**
 * Ends a contract on a day (an open debt does not stop it: the balance stays to be paid). The
 * end is not in a closed period, nor is an end already set being moved out of one; no period
 * after it is billed. Bill runs bill the contract up to the period of its end and not after it.
 * The status stays `active` meanwhile: bill runs skip other statuses, and the last month is still
 * to be billed. Audited with the end before and after and the reason. Returns the consumer.
 */
export async function terminateContract(
  trx: Trx,
  editor: Editor,
  input: { contractId: string; terminate: TerminateInput },
): Promise<{ consumerId: bigint }> {
  const k = await contractForWrite(trx, editor.access, input.contractId);
  const field = 'endDate';
  const end = dateOf(input.terminate.endDate, field);
  if (end < k.start_date)
    throw new AppError('CONTRACT_END_BEFORE_START', `The contract starts ${k.start_date}`, {
      start: k.start_date,
      field,
    });
  const lastClosed = await lastClosedPeriod(trx, k.tenant_id);
  assertPeriodNotClosed(periodOf(end), lastClosed, field);
  if (k.end_date !== null) assertPeriodNotClosed(periodOf(parseLocalDate(k.end_date)), lastClosed, field);
  await assertNotBilled(trx, k.id, { from: nextPeriod(periodOf(end)) }, field);
  await trx.updateTable('contract').set({ end_date: end }).where('id', '=', k.id).execute();
  await writeAudit(trx, editor.actor, {
    action: 'contract.terminate',
    entity: 'contract',
    entityId: k.id,
    tenantId: k.tenant_id,
    orgUnitPath: k.path,
    before: { endDate: k.end_date, status: k.status },
    after: { number: k.number, endDate: end, reason: input.terminate.reason ?? null },
  });
  return { consumerId: k.consumer_id };
}
