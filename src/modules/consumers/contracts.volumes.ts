import { AppError } from '../../domain/errors.ts';
import { type Period, parseLocalDate, parsePeriod, periodOf } from '../../domain/period.ts';
import { formatQuantity, milli } from '../../domain/quantity.ts';
import { writeAudit } from '../audit/audit.ts';
import type { VolumesInput } from './consumers.edit.schemas.ts';
import {
  assertNotBilled,
  assertPeriodNotClosed,
  blockTariffPeriods,
  contractForWrite,
  type Editor,
  lastClosedPeriod,
  quantityOf,
  type Trx,
} from './consumers.edit.shared.ts';

/**
 * Sets a contract's monthly volumes (R2.2) for one year: every month given gets its volume, every
 * month left out has none (the default volume of the terms applies, billing-rules §3). Only the
 * months that change are checked and written: each within the contract's term, not in a closed
 * period nor one the account is billed for, and not on a block tariff. Audited with the months
 * that changed, before and after. Returns the contract's consumer and whether anything changed.
 */
export async function setContractVolumes(
  trx: Trx,
  editor: Editor,
  input: { contractId: string; volumes: VolumesInput },
): Promise<{ consumerId: bigint; changed: boolean }> {
  const k = await contractForWrite(trx, editor.access, input.contractId);
  const { year } = input.volumes;
  const first = periodOf(parseLocalDate(k.start_date));
  const last = k.end_date === null ? null : periodOf(parseLocalDate(k.end_date));
  const wanted = new Map<Period, bigint>();
  for (const [key, value] of Object.entries(input.volumes.volumes)) {
    const period = parsePeriod(key);
    if (!period.startsWith(`${year}-`) || period < first || (last !== null && period > last))
      throw new AppError('CONTRACT_VOLUME_OUTSIDE', `${period} is outside the contract or ${year}`, {
        period,
        from: first,
        to: last ?? '…',
        field: period,
      });
    wanted.set(period, quantityOf(value, period) ?? 0n);
  }
  const stored = await trx
    .selectFrom('contract_volume')
    .select(['period', 'volume'])
    .where('contract_id', '=', k.id)
    .where('period', '>=', `${year}-01`)
    .where('period', '<=', `${year}-12`)
    .execute();
  const had = new Map(stored.map((r) => [r.period as Period, r.volume]));
  const periods = [...new Set([...had.keys(), ...wanted.keys()])].sort();
  const changed = periods.filter((p) => had.get(p) !== wanted.get(p));
  if (changed.length === 0) return { consumerId: k.consumer_id, changed: false };

  const lastClosed = await lastClosedPeriod(trx, k.tenant_id);
  for (const p of changed) assertPeriodNotClosed(p, lastClosed, p);
  for (const p of changed) await assertNotBilled(trx, k.id, { from: p, to: p }, p);
  const withVolume = changed.filter((p) => (wanted.get(p) ?? 0n) > 0n);
  const [blocked] = await blockTariffPeriods(trx, k.id, withVolume);
  if (blocked)
    throw new AppError('BLOCK_TARIFF_WITH_VOLUME', `The tariff of ${blocked} prices by blocks`, {
      account: k.number,
      period: blocked,
      field: blocked,
    });

  await trx
    .deleteFrom('contract_volume')
    .where('contract_id', '=', k.id)
    .where('period', 'in', changed)
    .execute();
  const rows = changed.flatMap((p) => {
    const volume = wanted.get(p);
    return volume === undefined ? [] : [{ contract_id: k.id, period: p, volume }];
  });
  if (rows.length > 0) await trx.insertInto('contract_volume').values(rows).execute();
  const show = (v: bigint | undefined) => (v === undefined ? null : formatQuantity(milli(v)));
  await writeAudit(trx, editor.actor, {
    action: 'contract.volumes',
    entity: 'contract',
    entityId: k.id,
    tenantId: k.tenant_id,
    orgUnitPath: k.path,
    before: Object.fromEntries(changed.map((p) => [p, show(had.get(p))])),
    after: { number: k.number, year, ...Object.fromEntries(changed.map((p) => [p, show(wanted.get(p))])) },
  });
  return { consumerId: k.consumer_id, changed: true };
}
