import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type LocalDate, parseLocalDate, todayInTashkent } from '../../domain/period.ts';
import { ERROR_RESPONSES } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { assertReferenceWriter, type Db } from './reference.shared.ts';
import { ZDate } from './tariffs.schemas.ts';

const ZHoliday = z.object({
  day: z.string(),
  kind: z.enum(['holiday', 'workday']),
  name: z.string(),
  /** Today or before: kept as it was, due dates were counted with it. */
  past: z.boolean(),
  createdBy: z.string().nullable(),
});
type HolidayView = z.infer<typeof ZHoliday>;

/**
 * The supplier's days that differ from the usual week in [from, to]: public holidays and days off
 * ('holiday'), and weekend days worked by a transfer ('workday'). Due dates and visit days read
 * this calendar.
 */
export async function calendarBetween(
  db: Db,
  tenantId: bigint,
  from: LocalDate,
  to: LocalDate,
): Promise<{ day: LocalDate; kind: 'holiday' | 'workday' }[]> {
  const rows = await db
    .selectFrom('holiday')
    .select(['day', 'kind'])
    .where('tenant_id', '=', tenantId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('day')
    .execute();
  return rows.map((r) => ({
    day: parseLocalDate(r.day),
    kind: r.kind === 'workday' ? 'workday' : 'holiday',
  }));
}

async function listYear(db: Db, tenantId: bigint, year: number, today: LocalDate): Promise<HolidayView[]> {
  const rows = await db
    .selectFrom('holiday as h')
    .leftJoin('app_user as u', 'u.id', 'h.created_by')
    .select(['h.day', 'h.kind', 'h.name', 'u.full_name'])
    .where('h.tenant_id', '=', tenantId)
    .where('h.day', '>=', `${year}-01-01`)
    .where('h.day', '<=', `${year}-12-31`)
    .orderBy('h.day')
    .execute();
  return rows.map((r) => ({
    day: r.day,
    kind: r.kind === 'workday' ? 'workday' : 'holiday',
    name: r.name,
    past: r.day <= today,
    createdBy: r.full_name ?? null,
  }));
}

function assertFuture(day: LocalDate, today: LocalDate): void {
  if (day <= today) throw new AppError('HOLIDAY_NOT_FUTURE', `${day} is not after ${today}`, { day });
}

/** Adds a future day to the calendar; audited. */
export async function addHoliday(
  trx: Transaction<DB>,
  actor: Actor,
  input: { tenantId: bigint; day: string; kind: 'holiday' | 'workday'; name: string; today: LocalDate },
): Promise<void> {
  const day = parseLocalDate(input.day);
  assertFuture(day, input.today);
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  if (input.kind === 'workday' && weekday !== 0 && weekday !== 6)
    throw new AppError('HOLIDAY_WORKDAY_NOT_WEEKEND', `${day} is not a Saturday or Sunday`, { day });
  const inserted = await trx
    .insertInto('holiday')
    .values({
      tenant_id: input.tenantId,
      day,
      kind: input.kind,
      name: input.name,
      created_by: actor.type === 'user' && actor.id ? BigInt(actor.id) : null,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'day']).doNothing())
    .returning('day')
    .executeTakeFirst();
  if (!inserted) throw new AppError('HOLIDAY_EXISTS', `${day} is in the calendar`, { day });
  await writeAudit(trx, actor, {
    action: 'holiday.add',
    entity: 'holiday',
    entityId: day,
    tenantId: input.tenantId,
    after: { day, kind: input.kind, name: input.name },
  });
}

/** Removes a future day from the calendar; audited. */
export async function removeHoliday(
  trx: Transaction<DB>,
  actor: Actor,
  input: { tenantId: bigint; day: string; today: LocalDate },
): Promise<void> {
  const day = parseLocalDate(input.day);
  const row = await trx
    .deleteFrom('holiday')
    .where('tenant_id', '=', input.tenantId)
    .where('day', '=', day)
    .returning(['day', 'kind', 'name'])
    .executeTakeFirst();
  if (!row) throw new AppError('REFERENCE_NOT_FOUND', `${day} is not in the calendar`);
  assertFuture(day, input.today);
  await writeAudit(trx, actor, {
    action: 'holiday.remove',
    entity: 'holiday',
    entityId: day,
    tenantId: input.tenantId,
    before: { day: row.day, kind: row.kind, name: row.name },
  });
}

/** The working-day calendar (R1): holidays and transferred workdays by year. */
export const referenceHolidayRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  const tags = ['reference'];

  app.get(
    '/api/reference/holidays',
    {
      config: { permission: 'reference.read' },
      schema: {
        tags,
        summary: 'Holidays and transferred workdays of a year (default: this year)',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: {
          200: z.object({ year: z.number(), today: z.string(), items: z.array(ZHoliday) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const today = todayInTashkent();
      const year = request.query.year ?? Number(today.slice(0, 4));
      return { year, today, items: await listYear(db, accessOf(request).user.tenantId, year, today) };
    },
  );

  app.post(
    '/api/reference/holidays',
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: 'Add a future holiday, or a weekend day worked by a transfer',
        body: z.object({
          day: ZDate,
          kind: z.enum(['holiday', 'workday']).default('holiday'),
          name: z.string().trim().min(1).max(200),
        }),
        response: { 201: ZHoliday, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const today = todayInTashkent();
      await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        await addHoliday(trx, actorOf(request), { tenantId, today, ...request.body });
      });
      const items = await listYear(db, tenantId, Number(request.body.day.slice(0, 4)), today);
      const added = items.find((h) => h.day === request.body.day);
      if (!added) throw new Error(`holiday ${request.body.day} was not stored`);
      return reply.code(201).send(added);
    },
  );

  app.delete(
    '/api/reference/holidays/:day',
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: 'Remove a future day from the calendar',
        params: z.object({ day: ZDate }),
        response: { 204: z.null(), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        await removeHoliday(trx, actorOf(request), {
          tenantId: access.user.tenantId,
          day: request.params.day,
          today: todayInTashkent(),
        });
      });
      return reply.code(204).send(null);
    },
  );
};
