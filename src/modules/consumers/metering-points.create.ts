import { AppError } from '../../domain/errors.ts';
import { writeAudit } from '../audit/audit.ts';
import type { MeteringPointInput } from './consumers.edit.schemas.ts';
import { contractForWrite, type Editor, isUniqueViolation, type Trx } from './consumers.edit.shared.ts';

/**
 * Adds a metering point (code unique in the supplier, name, address) to a contract in the
 * caller's scope; meters are installed on it by the meter service. Audited. Returns its id and
 * the contract's consumer.
 */
export async function addMeteringPoint(
  trx: Trx,
  editor: Editor,
  input: { contractId: string; point: MeteringPointInput },
): Promise<{ id: bigint; consumerId: bigint }> {
  const k = await contractForWrite(trx, editor.access, input.contractId);
  const p = input.point;
  const taken = () =>
    new AppError('METERING_POINT_CODE_TAKEN', `Metering point ${p.code} exists`, {
      code: p.code,
      field: 'code',
    });
  const existing = await trx
    .selectFrom('metering_point')
    .select('id')
    .where('tenant_id', '=', k.tenant_id)
    .where('code', '=', p.code)
    .executeTakeFirst();
  if (existing) throw taken();
  let id: bigint;
  try {
    const row = await trx
      .insertInto('metering_point')
      .values({
        tenant_id: k.tenant_id,
        contract_id: k.id,
        code: p.code,
        name: p.name ?? null,
        address: p.address ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = row.id;
  } catch (e) {
    if (isUniqueViolation(e)) throw taken();
    throw e;
  }
  await writeAudit(trx, editor.actor, {
    action: 'metering_point.create',
    entity: 'metering_point',
    entityId: id,
    tenantId: k.tenant_id,
    orgUnitPath: k.path,
    after: { contract: k.number, code: p.code, name: p.name ?? null, address: p.address ?? null },
  });
  return { id, consumerId: k.consumer_id };
}
