import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { type ApplicationStatus, checkTransition } from '../../domain/application.ts';
import { AppError } from '../../domain/errors.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { type AppliedRequisites, REQUISITE_COLUMNS } from './applications.office.ts';
import { REQUISITE_FIELDS, type RequisiteField } from './applications.service.ts';

// R6 function 10: a change of requisites "approved by staff". Approving writes the requested
// values to the consumer card and closes the application as done, in one transaction: the card,
// the application (with what the card said before), its timeline and two audit rows (the
// consumer's before/after, the application's status) commit or roll back together.

/** Applies an approved change of requisites to the consumer card and marks the application done. */
export async function applyRequisites(
  db: Kysely<DB>,
  actor: Actor & { name: string },
  input: { applicationId: bigint; note: string | null },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('application as a')
      .innerJoin('org_unit as ou', 'ou.id', 'a.org_unit_id')
      .innerJoin('contract as k', 'k.id', 'a.contract_id')
      .select([
        'a.id',
        'a.type',
        'a.status',
        'a.details',
        'a.tenant_id',
        'a.number',
        'k.consumer_id',
        'ou.path',
      ])
      .where('a.id', '=', input.applicationId)
      .forUpdate('a')
      .executeTakeFirstOrThrow();
    if (app.type !== 'requisites_change')
      throw new AppError('APPLICATION_NOT_REQUISITES', 'Only a change of requisites can be applied', {
        type: app.type,
      });
    checkTransition(app.status as ApplicationStatus, 'done', 'user');
    const details = (typeof app.details === 'string' ? JSON.parse(app.details) : app.details) as {
      requisites?: Partial<Record<RequisiteField, string>>;
    };
    const requested = details.requisites ?? {};
    const fields = REQUISITE_FIELDS.filter((f) => typeof requested[f] === 'string');
    // A bank deactivated in the reference data since the consumer asked is not written to the card.
    const mfo = requested.bankMfo;
    if (typeof mfo === 'string') {
      const bank = await trx
        .selectFrom('bank')
        .select('id')
        .where('tenant_id', '=', app.tenant_id)
        .where('mfo', '=', mfo)
        .where('active', '=', true)
        .executeTakeFirst();
      if (!bank)
        throw new AppError('CONSUMER_BANK_UNKNOWN', `No active bank ${mfo}`, { mfo, field: 'bankMfo' });
    }
    const consumer = await trx
      .selectFrom('consumer')
      .innerJoin('org_unit as ou', 'ou.id', 'consumer.org_unit_id')
      .select([
        'consumer.id',
        'ou.path',
        'legal_address',
        'postal_address',
        'phone',
        'email',
        'bank_mfo',
        'bank_account',
      ])
      .where('consumer.id', '=', app.consumer_id)
      .forUpdate('consumer')
      .executeTakeFirstOrThrow();
    const before: Record<string, string | null> = {};
    const after: Record<string, string | null> = {};
    const set: Partial<Record<(typeof REQUISITE_COLUMNS)[RequisiteField], string>> = {};
    for (const f of fields) {
      const column = REQUISITE_COLUMNS[f];
      before[f] = consumer[column];
      after[f] = requested[f] ?? null;
      set[column] = requested[f] as string;
    }
    await trx
      .updateTable('consumer')
      .set({ ...set, updated_at: sql<Date>`now()` })
      .where('id', '=', consumer.id)
      .execute();
    const applied: AppliedRequisites = { at: new Date().toISOString(), by: actor.name, before, after };
    await trx
      .updateTable('application')
      .set({ status: 'done', applied: JSON.stringify(applied), updated_at: sql<Date>`now()` })
      .where('id', '=', app.id)
      .execute();
    await trx
      .insertInto('application_event')
      .values({
        application_id: app.id,
        status: 'done',
        note: input.note,
        actor_type: 'user',
        actor_id: actor.id,
        actor_name: actor.name,
      })
      .execute();
    await writeAudit(trx, actor, {
      action: 'consumer.requisites',
      entity: 'consumer',
      entityId: consumer.id,
      tenantId: app.tenant_id,
      orgUnitPath: consumer.path,
      before,
      after: { ...after, application: app.number },
    });
    await writeAudit(trx, actor, {
      action: 'application.status',
      entity: 'application',
      entityId: app.id,
      tenantId: app.tenant_id,
      orgUnitPath: app.path,
      before: { status: app.status },
      after: { status: 'done', note: input.note, applied: after },
    });
  });
}
