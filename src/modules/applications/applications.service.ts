import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import {
  type ApplicationStatus,
  type ApplicationType,
  applicationNumber,
  checkDesiredVisit,
  checkTransition,
  checkVolumeMonths,
  MAX_VISIT_DAYS_AHEAD,
  type TimeSlot,
} from '../../domain/application.ts';
import { AppError } from '../../domain/errors.ts';
import { addDays, compareDates, type LocalDate, type Period, todayInTashkent } from '../../domain/period.ts';
import { formatQuantity, type Milli } from '../../domain/quantity.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { calendarBetween } from '../reference/holidays.ts';

// Applications filed in the cabinet and worked by staff (R6 functions 8, 10, 11, 12): one table
// for every kind, a number per supplier and year, and a timeline of statuses the consumer sees.

/** What a consumer files. Details depend on the kind (checked here against the contract). */
export type NewApplication = {
  type: ApplicationType;
  text: string;
  desiredDate: LocalDate | null;
  desiredTime: TimeSlot | null;
  meterSerial?: string | undefined;
  volumes?: { period: Period; volume: Milli }[] | undefined;
  requisites?: Partial<Record<RequisiteField, string>> | undefined;
};

export const REQUISITE_FIELDS = [
  'legalAddress',
  'postalAddress',
  'phone',
  'email',
  'bankMfo',
  'bankAccount',
] as const;
export type RequisiteField = (typeof REQUISITE_FIELDS)[number];

/** An application as the consumer and staff see it, with its timeline. */
export type ApplicationView = {
  id: string;
  number: string;
  account: string;
  type: ApplicationType;
  status: ApplicationStatus;
  text: string;
  desiredDate: string | null;
  desiredTime: string | null;
  visitDate: string | null;
  details: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  events: {
    at: string;
    status: ApplicationStatus;
    note: string | null;
    by: 'consumer' | 'user' | 'system';
    name: string | null;
  }[];
};

/** Files an application for a contract: validated, numbered, audited, with its first event. */
export async function fileApplication(
  db: Kysely<DB>,
  actor: Actor,
  input: { contractId: bigint; today: LocalDate; application: NewApplication },
): Promise<ApplicationView> {
  const a = input.application;
  checkDesiredVisit(a.type, { date: a.desiredDate, time: a.desiredTime }, input.today);
  const id = await db.transaction().execute(async (trx) => {
    const contract = await trx
      .selectFrom('contract as k')
      .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
      .select(['k.id', 'k.tenant_id', 'k.org_unit_id', 'ou.path'])
      .where('k.id', '=', input.contractId)
      .executeTakeFirstOrThrow();
    const details = await detailsOf(trx, input.contractId, a, input.today);
    const year = Number(input.today.slice(0, 4));
    const counter = await trx
      .insertInto('application_counter')
      .values({ tenant_id: contract.tenant_id, year, last: 1 })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'year']).doUpdateSet({ last: sql<number>`application_counter.last + 1` }),
      )
      .returning('last')
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('application')
      .values({
        tenant_id: contract.tenant_id,
        contract_id: contract.id,
        org_unit_id: contract.org_unit_id,
        number: applicationNumber(year, counter.last),
        type: a.type,
        text: a.text,
        desired_date: a.desiredDate,
        desired_time: a.desiredTime,
        details: JSON.stringify(details),
      })
      .returning(['id', 'number'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('application_event')
      .values({
        application_id: row.id,
        status: 'submitted',
        actor_type: actor.type === 'user' ? 'user' : 'consumer',
        actor_id: actor.id,
      })
      .execute();
    await writeAudit(trx, actor, {
      action: 'application.file',
      entity: 'application',
      entityId: row.id,
      tenantId: contract.tenant_id,
      orgUnitPath: contract.path,
      after: { number: row.number, type: a.type, text: a.text, desired_date: a.desiredDate, details },
    });
    return row.id;
  });
  return applicationView(db, id);
}

/** The kind's details, checked against the contract: its meter, future months, new requisites. */
async function detailsOf(
  trx: Transaction<DB>,
  contractId: bigint,
  a: NewApplication,
  today: LocalDate,
): Promise<Record<string, unknown>> {
  if (a.type === 'meter_inspection') {
    const serial = a.meterSerial ?? '';
    const meter = await trx
      .selectFrom('meter as m')
      .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
      .select('m.serial')
      .where('p.contract_id', '=', contractId)
      .where('m.serial', '=', serial)
      .where('m.removed_on', 'is', null)
      .executeTakeFirst();
    if (!meter) throw new AppError('APPLICATION_METER', `Meter ${serial} is not on the contract`, { serial });
    return { meterSerial: meter.serial };
  }
  if (a.type === 'volume_change') {
    const volumes = a.volumes ?? [];
    if (volumes.length === 0)
      throw new AppError('VALIDATION_FAILED', 'Give the new volume of at least one month', {
        issues: 'volumes',
      });
    checkVolumeMonths(
      volumes.map((v) => v.period),
      today,
    );
    return {
      volumes: [...volumes]
        .sort((x, y) => (x.period < y.period ? -1 : 1))
        .map((v) => ({ period: v.period, volume: formatQuantity(v.volume) })),
    };
  }
  if (a.type === 'requisites_change') {
    const given = Object.fromEntries(
      Object.entries(a.requisites ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
    );
    if (Object.keys(given).length === 0)
      throw new AppError('APPLICATION_REQUISITES_EMPTY', 'Give at least one new requisite');
    return { requisites: given };
  }
  return {};
}

/** Moves an application to a new status with a note; staff set the visit date when scheduling. */
export async function changeApplicationStatus(
  db: Kysely<DB>,
  actor: Actor & { name?: string | null },
  input: {
    applicationId: bigint;
    status: ApplicationStatus;
    note: string | null;
    visitDate?: LocalDate | null;
    by: 'consumer' | 'user';
  },
): Promise<ApplicationView> {
  await db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('application as a')
      .innerJoin('org_unit as ou', 'ou.id', 'a.org_unit_id')
      .select(['a.id', 'a.status', 'a.type', 'a.tenant_id', 'a.visit_date', 'ou.path'])
      .where('a.id', '=', input.applicationId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    checkTransition(app.status as ApplicationStatus, input.status, input.by);
    if (input.status === 'scheduled' && !input.visitDate)
      throw new AppError('APPLICATION_VISIT_REQUIRED', 'A scheduled visit needs its date');
    if (input.by === 'user') checkStaffMove({ ...input, type: app.type });
    if (input.by === 'user' && input.status === 'scheduled' && input.visitDate)
      await assertVisitWorkingDay(trx, app.tenant_id, input.visitDate);
    await trx
      .updateTable('application')
      .set({
        status: input.status,
        updated_at: sql<Date>`now()`,
        ...(input.visitDate ? { visit_date: input.visitDate } : {}),
      })
      .where('id', '=', app.id)
      .execute();
    await trx
      .insertInto('application_event')
      .values({
        application_id: app.id,
        status: input.status,
        note: input.note,
        actor_type: input.by,
        actor_id: actor.id,
        actor_name: actor.name ?? null,
      })
      .execute();
    await writeAudit(trx, actor, {
      action: 'application.status',
      entity: 'application',
      entityId: app.id,
      tenantId: app.tenant_id,
      orgUnitPath: app.path,
      before: { status: app.status, visit_date: app.visit_date },
      after: { status: input.status, note: input.note, visit_date: input.visitDate ?? app.visit_date },
    });
  });
  return applicationView(db, input.applicationId);
}

/**
 * What staff must give with a move: a reason to refuse, a visit on a working day (today up to 60
 * days ahead, as the cabinet offers), and a change of requisites is done only by approving it
 * (`applyRequisites`), so the card and the status cannot disagree.
 */
function checkStaffMove(move: {
  type: string;
  status: ApplicationStatus;
  note: string | null;
  visitDate?: LocalDate | null | undefined;
}): void {
  if (move.status === 'rejected' && !move.note)
    throw new AppError('APPLICATION_REASON_REQUIRED', 'A refusal needs its reason');
  if (move.status === 'done' && move.type === 'requisites_change')
    throw new AppError('APPLICATION_APPLY_REQUIRED', 'Approve a change of requisites to apply it');
  if (move.status === 'scheduled' && move.visitDate) {
    const today = todayInTashkent();
    const latest = addDays(today, MAX_VISIT_DAYS_AHEAD);
    if (compareDates(move.visitDate, today) < 0 || compareDates(move.visitDate, latest) > 0)
      throw new AppError('APPLICATION_VISIT_DATE', 'The visit must be on a working day within 60 days', {
        date: move.visitDate,
        from: today,
        to: latest,
      });
  }
}

/**
 * A visit goes on a working day of the supplier's calendar (src/modules/reference/holidays.ts):
 * not a holiday or day off (APPLICATION_VISIT_HOLIDAY, naming it), not a Sunday unless the
 * calendar makes it a working day by a transfer (APPLICATION_VISIT_SUNDAY).
 */
export async function assertVisitWorkingDay(
  trx: Transaction<DB>,
  tenantId: bigint,
  day: LocalDate,
): Promise<void> {
  const [marked] = await calendarBetween(trx, tenantId, day, day);
  if (marked?.kind === 'workday') return;
  if (marked?.kind === 'holiday') {
    const row = await trx
      .selectFrom('holiday')
      .select('name')
      .where('tenant_id', '=', tenantId)
      .where('day', '=', day)
      .executeTakeFirst();
    throw new AppError('APPLICATION_VISIT_HOLIDAY', `${day} is a holiday`, {
      date: day,
      name: row?.name ?? '',
    });
  }
  if (new Date(`${day}T00:00:00Z`).getUTCDay() === 0)
    throw new AppError('APPLICATION_VISIT_SUNDAY', `${day} is a Sunday`, { date: day });
}

/** One application with its timeline. */
export async function applicationView(db: Kysely<DB>, id: bigint): Promise<ApplicationView> {
  const [view] = await applicationViews(db, [id]);
  if (!view) throw new AppError('UNKNOWN_APPLICATION', `Unknown application ${id}`, { id: String(id) });
  return view;
}

/** Applications with their timelines, in the order of `ids`. */
export async function applicationViews(db: Kysely<DB>, ids: bigint[]): Promise<ApplicationView[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('application as a')
    .innerJoin('contract as k', 'k.id', 'a.contract_id')
    .select([
      'a.id',
      'a.number',
      'k.number as account',
      'a.type',
      'a.status',
      'a.text',
      'a.desired_date',
      'a.desired_time',
      'a.visit_date',
      'a.details',
      'a.created_at',
      'a.updated_at',
    ])
    .where('a.id', 'in', ids)
    .execute();
  const events = await db
    .selectFrom('application_event')
    .select(['application_id', 'at', 'status', 'note', 'actor_type', 'actor_name'])
    .where('application_id', 'in', ids)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: String(r.id),
        number: r.number,
        account: r.account,
        type: r.type as ApplicationType,
        status: r.status as ApplicationStatus,
        text: r.text,
        desiredDate: r.desired_date,
        desiredTime: r.desired_time,
        visitDate: r.visit_date,
        details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<
          string,
          unknown
        >,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
        events: events
          .filter((e) => e.application_id === r.id)
          .map((e) => ({
            at: e.at.toISOString(),
            status: e.status as ApplicationStatus,
            note: e.note,
            by: e.actor_type as 'consumer' | 'user' | 'system',
            name: e.actor_type === 'user' ? e.actor_name : null,
          })),
      },
    ];
  });
}
