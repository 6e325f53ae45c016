import { sql } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { REQUISITE_COLUMNS } from '../applications/applications.office.ts';
import { writeAudit } from '../audit/audit.ts';
import type { RequisiteKey, RequisitesPatch } from './consumers.edit.schemas.ts';
import { consumerForWrite, type Editor, type Trx } from './consumers.edit.shared.ts';

/**
 * The consumer column of each requisite: the six a cabinet change of requisites carries (and
 * applyRequisites writes, REQUISITE_COLUMNS) and the ones only staff change.
 */
export const CONSUMER_COLUMNS = {
  ...REQUISITE_COLUMNS,
  name: 'name',
  inn: 'inn',
  pinfl: 'pinfl',
  oked: 'oked',
  categoryId: 'category_id',
} as const satisfies Record<RequisiteKey, string>;

/** A requisite's value as the API and the audit rows write it (ids as strings). */
export type Requisites = { [K in RequisiteKey]: string | null };

/** The requisites a consumer row holds. */
export function requisitesOf(
  row: {
    [C in (typeof CONSUMER_COLUMNS)[RequisiteKey]]: string | bigint | null;
  },
): Requisites {
  const out = {} as Requisites;
  for (const key of Object.keys(CONSUMER_COLUMNS) as RequisiteKey[]) {
    const v = row[CONSUMER_COLUMNS[key]];
    out[key] = v === null ? null : String(v);
  }
  return out;
}

/**
 * Checks a consumer's requisites as they will stand: a legal entity or sole entrepreneur has an
 * INN (R0.3); a category is the supplier's, active and of the consumer's kind; a new MFO is an
 * active bank of the supplier's bank list; an MFO and a bank account come together. `changed`
 * names the fields being set, so that a bank or category deactivated since is kept, not refused.
 */
export async function checkRequisites(
  trx: Trx,
  c: { tenantId: bigint; kind: string; state: Requisites; changed: ReadonlySet<RequisiteKey> },
): Promise<void> {
  const { state } = c;
  if (c.kind !== 'household' && state.inn === null)
    throw new AppError('CONSUMER_INN_REQUIRED', 'A legal entity needs its INN', { field: 'inn' });
  if (state.categoryId !== null && c.changed.has('categoryId')) {
    const category = await trx
      .selectFrom('consumer_category')
      .select(['code', 'kind', 'active'])
      .where('id', '=', BigInt(state.categoryId))
      .where('tenant_id', '=', c.tenantId)
      .executeTakeFirst();
    const kind = c.kind === 'household' ? 'household' : 'legal';
    if (!category?.active || category.kind !== kind)
      throw new AppError('CONSUMER_CATEGORY_INVALID', `Category ${state.categoryId} does not fit`, {
        category: category?.code ?? state.categoryId,
        field: 'categoryId',
      });
  }
  if (state.bankMfo !== null && c.changed.has('bankMfo')) {
    const bank = await trx
      .selectFrom('bank')
      .select('id')
      .where('tenant_id', '=', c.tenantId)
      .where('mfo', '=', state.bankMfo)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!bank)
      throw new AppError('CONSUMER_BANK_UNKNOWN', `No active bank ${state.bankMfo}`, {
        mfo: state.bankMfo,
        field: 'bankMfo',
      });
  }
  if ((state.bankMfo === null) !== (state.bankAccount === null))
    throw new AppError('CONSUMER_BANK_INCOMPLETE', 'Give the MFO and the account together', {
      field: state.bankMfo === null ? 'bankMfo' : 'bankAccount',
    });
}

/**
 * Changes a consumer's requisites (R2.1) in the caller's `consumer.write` scope: the fields given
 * are set (null clears), checked as they will stand, and audited with what changed before and
 * after. CONSUMER_NOTHING_TO_CHANGE when no field is given; the same values change nothing.
 */
export async function changeRequisites(
  trx: Trx,
  editor: Editor,
  input: { consumerId: string; patch: RequisitesPatch },
): Promise<void> {
  const given = (Object.keys(input.patch) as RequisiteKey[]).filter((k) => input.patch[k] !== undefined);
  if (given.length === 0) throw new AppError('CONSUMER_NOTHING_TO_CHANGE', 'Nothing to change');
  const row = await consumerForWrite(trx, editor.access, input.consumerId);
  const current = requisitesOf(row);
  const state: Requisites = { ...current };
  for (const key of given) state[key] = input.patch[key] ?? null;
  const changed = new Set(given.filter((k) => state[k] !== current[k]));
  if (changed.size === 0) return;
  await checkRequisites(trx, { tenantId: row.tenant_id, kind: row.kind, state, changed });
  const set: Record<string, string | bigint | null> = {};
  const before: Partial<Requisites> = {};
  const after: Partial<Requisites> = {};
  for (const key of changed) {
    const value = state[key];
    set[CONSUMER_COLUMNS[key]] = key === 'categoryId' && value !== null ? BigInt(value) : value;
    before[key] = current[key];
    after[key] = value;
  }
  await trx
    .updateTable('consumer')
    .set({ ...set, updated_at: sql<Date>`now()` })
    .where('id', '=', row.id)
    .execute();
  await writeAudit(trx, editor.actor, {
    action: 'consumer.change',
    entity: 'consumer',
    entityId: row.id,
    tenantId: row.tenant_id,
    orgUnitPath: row.path,
    before,
    after,
  });
}
