import { AppError } from '../../domain/errors.ts';
import { isFirstOfMonth, periodOf } from '../../domain/period.ts';
import { formatQuantity, milli } from '../../domain/quantity.ts';
import { writeAudit } from '../audit/audit.ts';
import type { VersionInput } from './consumers.edit.schemas.ts';
import {
  assertNotBilled,
  assertPeriodNotClosed,
  contractForWrite,
  dateOf,
  type Editor,
  lastClosedPeriod,
  quantityOf,
  type Trx,
  usableTariff,
  userIdOf,
} from './consumers.edit.shared.ts';

const q = (v: bigint | null) => (v === null ? null : formatQuantity(milli(v)));

/**
 * Adds new terms to a contract from the 1st of a month (R2.2: the history is kept, nothing is
 * overwritten): tariff, default volume, contracted load, special supply, estimation, reactive norm.
 * A bill run prices a period with the latest terms starting by its last day, so terms start on a
 * 1st; never in a closed period (CONTRACT_CHANGE_IN_CLOSED_PERIOD) nor one the account is already
 * billed for; not before the start nor after the end; at most one version a day. Audited with
 * the terms in force before that day and the new ones. Returns the contract's consumer.
 */
export async function addContractVersion(
  trx: Trx,
  editor: Editor,
  input: { contractId: string; version: VersionInput },
): Promise<{ consumerId: bigint }> {
  const k = await contractForWrite(trx, editor.access, input.contractId);
  const v = input.version;
  const from = dateOf(v.validFrom, 'validFrom');
  const field = 'validFrom';
  if (!isFirstOfMonth(from))
    throw new AppError('CONTRACT_VERSION_NOT_FIRST', `Terms start on the 1st, not ${from}`, {
      date: from,
      field,
    });
  if (from < k.start_date)
    throw new AppError('CONTRACT_VERSION_BEFORE_START', `The contract starts ${k.start_date}`, {
      start: k.start_date,
      field,
    });
  if (k.end_date !== null && from > k.end_date)
    throw new AppError('CONTRACT_ENDED', `The contract ends ${k.end_date}`, { end: k.end_date, field });
  assertPeriodNotClosed(periodOf(from), await lastClosedPeriod(trx, k.tenant_id), field);
  const versions = await trx
    .selectFrom('contract_version as cv')
    .innerJoin('tariff as t', 't.id', 'cv.tariff_id')
    .selectAll('cv')
    .select('t.code as tariff_code')
    .where('cv.contract_id', '=', k.id)
    .orderBy('cv.valid_from', 'desc')
    .execute();
  if (versions.some((x) => x.valid_from === from))
    throw new AppError('CONTRACT_VERSION_EXISTS', `Terms from ${from} exist`, { date: from, field });
  await assertNotBilled(trx, k.id, { from: periodOf(from) }, field);
  const tariff = await usableTariff(trx, {
    tenantId: k.tenant_id,
    tariffId: v.tariffId,
    commodity: k.commodity,
    on: from,
  });
  const volume = quantityOf(v.defaultVolume, 'defaultVolume');
  const load = quantityOf(v.contractedLoad, 'contractedLoad');
  if (tariff.blocks) {
    const monthly = await trx
      .selectFrom('contract_volume')
      .select('period')
      .where('contract_id', '=', k.id)
      .where('period', '>=', periodOf(from))
      .where('volume', '>', 0n)
      .executeTakeFirst();
    if ((volume ?? 0n) > 0n || monthly)
      throw new AppError('BLOCK_TARIFF_WITH_VOLUME', `${tariff.code} prices by blocks`, {
        account: k.number,
        field: (volume ?? 0n) > 0n ? 'defaultVolume' : 'tariffId',
      });
  }
  const after = {
    validFrom: from,
    tariff: tariff.code,
    defaultVolume: q(volume),
    contractedLoad: q(load),
    specialSupply: v.specialSupply ?? false,
    estimation: v.estimation ?? 'contract',
    tanPhiNorm: v.tanPhiNorm ?? null,
  };
  await trx
    .insertInto('contract_version')
    .values({
      contract_id: k.id,
      valid_from: from,
      tariff_id: tariff.id,
      default_volume: volume,
      contracted_load: load,
      special_supply: after.specialSupply,
      estimation: after.estimation,
      tan_phi_norm: after.tanPhiNorm,
      created_by: userIdOf(editor.actor),
    })
    .execute();
  const previous = versions.find((x) => x.valid_from < from);
  await writeAudit(trx, editor.actor, {
    action: 'contract.version_add',
    entity: 'contract',
    entityId: k.id,
    tenantId: k.tenant_id,
    orgUnitPath: k.path,
    before: previous
      ? {
          validFrom: previous.valid_from,
          tariff: previous.tariff_code,
          defaultVolume: q(previous.default_volume),
          contractedLoad: q(previous.contracted_load),
          specialSupply: previous.special_supply,
          estimation: previous.estimation,
          tanPhiNorm: previous.tan_phi_norm === null ? null : String(previous.tan_phi_norm),
        }
      : null,
    after: { number: k.number, ...after },
  });
  return { consumerId: k.consumer_id };
}
