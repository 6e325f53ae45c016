import { writeAudit } from '../audit/audit.ts';
import { lockBilling } from '../billing/bill-run.service.ts';
import type { ConsumerInput, RequisiteKey } from './consumers.edit.schemas.ts';
import { districtForWrite, type Editor, type Trx } from './consumers.edit.shared.ts';
import { checkRequisites, type Requisites } from './consumers.requisites.ts';
import { insertContract } from './contracts.create.ts';

/**
 * Creates a consumer — a legal entity, a sole entrepreneur or a household, with exactly the
 * consumer table's columns — and its first contract, in the district of that contract (in the
 * caller's `consumer.write` scope). Both, with their audit rows, commit together or not at all.
 * Returns the consumer's id.
 */
export async function createConsumer(trx: Trx, editor: Editor, input: ConsumerInput): Promise<bigint> {
  const tenantId = editor.access.user.tenantId;
  await lockBilling(trx, tenantId);
  const unit = await districtForWrite(trx, editor.access, input.contract.orgUnitId);
  const state: Requisites = {
    name: input.name,
    inn: input.inn ?? null,
    pinfl: input.pinfl ?? null,
    oked: input.oked ?? null,
    legalAddress: input.legalAddress ?? null,
    postalAddress: input.postalAddress ?? null,
    phone: input.phone ?? null,
    email: input.email ?? null,
    bankMfo: input.bankMfo ?? null,
    bankAccount: input.bankAccount ?? null,
    categoryId: input.categoryId ?? null,
  };
  const changed = new Set((Object.keys(state) as RequisiteKey[]).filter((k) => state[k] !== null));
  await checkRequisites(trx, { tenantId, kind: input.kind, state, changed });
  const consumer = await trx
    .insertInto('consumer')
    .values({
      tenant_id: tenantId,
      org_unit_id: unit.id,
      kind: input.kind,
      name: state.name ?? input.name,
      inn: state.inn,
      pinfl: state.pinfl,
      oked: state.oked,
      legal_address: state.legalAddress,
      postal_address: state.postalAddress,
      phone: state.phone,
      email: state.email,
      bank_mfo: state.bankMfo,
      bank_account: state.bankAccount,
      category_id: state.categoryId === null ? null : BigInt(state.categoryId),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeAudit(trx, editor.actor, {
    action: 'consumer.create',
    entity: 'consumer',
    entityId: consumer.id,
    tenantId,
    orgUnitPath: unit.path,
    after: { kind: input.kind, orgUnit: unit.name, ...state },
  });
  await insertContract(trx, editor, {
    holder: { id: consumer.id, kind: input.kind },
    contract: input.contract,
  });
  return consumer.id;
}
