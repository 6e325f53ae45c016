import { AppError } from '../../domain/errors.ts';
import { periodOf } from '../../domain/period.ts';
import { formatQuantity } from '../../domain/quantity.ts';
import { writeAudit } from '../audit/audit.ts';
import { lockBilling } from '../billing/bill-run.service.ts';
import type { ContractInput } from './consumers.edit.schemas.ts';
import {
  assertPeriodNotClosed,
  consumerForWrite,
  dateOf,
  districtForWrite,
  type Editor,
  isUniqueViolation,
  lastClosedPeriod,
  quantityOf,
  type Trx,
  usableTariff,
  userIdOf,
} from './consumers.edit.shared.ts';

/** A consumer as a new contract needs it. */
type Holder = { id: bigint; kind: string };

/**
 * Inserts a contract of `holder` with its first terms from its start date; audited. The district
 * must be in the caller's `consumer.write` scope, the number free in the supplier (leading zeros
 * count; a heat legal entity's number has 5 digits, R2.2), the commodity the supplier's, the start
 * outside closed periods, the tariff active, of the commodity and priced from the start, and a
 * block tariff without a volume. The caller holds the supplier's billing lock.
 */
export async function insertContract(
  trx: Trx,
  editor: Editor,
  input: { holder: Holder; contract: ContractInput },
): Promise<{ id: bigint; orgUnitId: bigint; path: string }> {
  const { access, actor } = editor;
  const tenantId = access.user.tenantId;
  const k = input.contract;
  const unit = await districtForWrite(trx, access, k.orgUnitId);
  const tenant = await trx
    .selectFrom('tenant')
    .select('commodity')
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const commodity = k.commodity ?? tenant.commodity;
  if (commodity !== tenant.commodity)
    throw new AppError('CONTRACT_COMMODITY_MISMATCH', `The supplier supplies ${tenant.commodity}`, {
      commodity,
      supplier: tenant.commodity,
      field: 'commodity',
    });
  if (commodity === 'heat' && input.holder.kind !== 'household' && !/^[0-9]{5}$/.test(k.number))
    throw new AppError('CONTRACT_NUMBER_FORMAT', `A heat contract number has 5 digits: ${k.number}`, {
      number: k.number,
      field: 'number',
    });
  const taken = () =>
    new AppError('CONTRACT_NUMBER_TAKEN', `Contract ${k.number} exists`, {
      account: k.number,
      field: 'number',
    });
  const existing = await trx
    .selectFrom('contract')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('number', '=', k.number)
    .executeTakeFirst();
  if (existing) throw taken();
  const start = dateOf(k.startDate, 'startDate');
  assertPeriodNotClosed(periodOf(start), await lastClosedPeriod(trx, tenantId), 'startDate');
  const tariff = await usableTariff(trx, { tenantId, tariffId: k.tariffId, commodity, on: start });
  const volume = quantityOf(k.defaultVolume, 'defaultVolume');
  const load = quantityOf(k.contractedLoad, 'contractedLoad');
  if (tariff.blocks && (volume ?? 0n) > 0n)
    throw new AppError('BLOCK_TARIFF_WITH_VOLUME', `${tariff.code} prices by blocks`, {
      account: k.number,
      field: 'defaultVolume',
    });

  let contractId: bigint;
  try {
    const row = await trx
      .insertInto('contract')
      .values({
        tenant_id: tenantId,
        consumer_id: input.holder.id,
        org_unit_id: unit.id,
        number: k.number,
        commodity,
        start_date: start,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    contractId = row.id;
  } catch (e) {
    // A concurrent editor took the number between the check and the insert: the whole change is
    // rolled back and refused with the same code.
    if (isUniqueViolation(e)) throw taken();
    throw e;
  }
  const terms = {
    validFrom: start,
    tariff: tariff.code,
    defaultVolume: volume === null ? null : formatQuantity(volume),
    contractedLoad: load === null ? null : formatQuantity(load),
    specialSupply: k.specialSupply ?? false,
    estimation: k.estimation ?? 'contract',
    tanPhiNorm: k.tanPhiNorm ?? null,
  };
  await trx
    .insertInto('contract_version')
    .values({
      contract_id: contractId,
      valid_from: start,
      tariff_id: tariff.id,
      default_volume: volume,
      contracted_load: load,
      special_supply: terms.specialSupply,
      estimation: terms.estimation,
      tan_phi_norm: terms.tanPhiNorm,
      created_by: userIdOf(actor),
    })
    .execute();
  await writeAudit(trx, actor, {
    action: 'contract.create',
    entity: 'contract',
    entityId: contractId,
    tenantId,
    orgUnitPath: unit.path,
    after: {
      number: k.number,
      consumerId: input.holder.id,
      commodity,
      orgUnit: unit.name,
      startDate: start,
      terms,
    },
  });
  return { id: contractId, orgUnitId: unit.id, path: unit.path };
}

/** Adds another contract to a consumer in the caller's scope; audited. Returns the contract id. */
export async function addContract(
  trx: Trx,
  editor: Editor,
  input: { consumerId: string; contract: ContractInput },
): Promise<bigint> {
  await lockBilling(trx, editor.access.user.tenantId);
  const consumer = await consumerForWrite(trx, editor.access, input.consumerId);
  const created = await insertContract(trx, editor, {
    holder: { id: consumer.id, kind: consumer.kind },
    contract: input.contract,
  });
  return created.id;
}
