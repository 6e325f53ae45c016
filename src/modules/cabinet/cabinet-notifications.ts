import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';
import {
  addDays,
  compareDates,
  type LocalDate,
  periodInTashkent,
  todayInTashkent,
} from '../../domain/period.ts';
import { ERROR_RESPONSES } from '../../http/common.schemas.ts';
import { cabinetOf } from '../../http/context.ts';
import { settlementsOf } from '../documents/documents.service.ts';

// The cabinet's notices (R6 "notifications", R7): a new bill, a payment booked or reversed, a
// reminder 3 days before the due date while a debt remains, and each step staff take on an
// application. They are read from the records themselves, so they can never disagree with them;
// the cabinet remembers when the consumer last looked, to count the unread ones.

const ZNotification = z.object({
  kind: z.enum(['bill', 'payment', 'reversal', 'reminder', 'application', 'employee_list']),
  at: z.string(),
  unread: z.boolean(),
  period: z.string().optional(),
  number: z.string().optional(),
  amount: z.string().optional(),
  date: z.string().optional(),
  channel: z.string().optional(),
  type: z.string().optional(),
  status: z.string().optional(),
});
type Notification = z.infer<typeof ZNotification>;

/** How many days before the due date the reminder shows (R7). */
export const REMINDER_DAYS = 3;

/** The notices of a contract, newest first (at most 50), marked unread after `seenAt`. */
export async function notificationsOf(
  db: Kysely<DB>,
  contractId: bigint,
  seenAt: Date | null,
  now: Date = new Date(),
): Promise<Notification[]> {
  const since = new Date(now.getTime() - 400 * 86_400_000);
  const [bills, payments, events, receipts] = await Promise.all([
    db
      .selectFrom('bill as b')
      .innerJoin('billing_period as p', (j) =>
        j.onRef('p.tenant_id', '=', 'b.tenant_id').onRef('p.period', '=', 'b.period'),
      )
      .select(['b.period', 'b.number', 'b.total', 'b.due_on', 'b.issued_on', 'p.closed_at'])
      .where('b.contract_id', '=', contractId)
      .where('b.number', 'is not', null)
      .where('p.closed_at', '>=', since)
      .execute(),
    db
      .selectFrom('payment')
      .select(['amount', 'paid_on', 'received_at', 'channel', 'reversed_on'])
      .where('contract_id', '=', contractId)
      .where('received_at', '>=', since)
      .execute(),
    db
      .selectFrom('application_event as e')
      .innerJoin('application as a', 'a.id', 'e.application_id')
      .select(['e.at', 'e.status', 'a.number', 'a.type'])
      .where('a.contract_id', '=', contractId)
      .where('e.actor_type', '=', 'user')
      .where('e.at', '>=', since)
      .execute(),
    // Employee lists (R6 function 7) the district unit confirmed as received.
    db
      .selectFrom('employee_list')
      .select(['id', 'created_at', 'received_at'])
      .where('contract_id', '=', contractId)
      .where('received_at', '>=', since)
      .execute(),
  ]);
  // `at` is when it happened for the consumer (the bill's date, the payment's date); `arrived` is
  // when it reached us, which decides whether the consumer has seen it.
  const items: (Omit<Notification, 'unread'> & { arrived: Date })[] = [];
  const dayAt = (d: string, hour: string) => new Date(`${d}T${hour}:00+05:00`);
  for (const b of bills) {
    const arrived = b.closed_at ?? now;
    items.push({
      kind: 'bill',
      at: (b.issued_on ? dayAt(b.issued_on, '18:00') : arrived).toISOString(),
      arrived,
      period: b.period,
      number: b.number ?? '',
      amount: formatMoney(tiyin(b.total)),
      ...(b.due_on ? { date: b.due_on } : {}),
    });
  }
  for (const m of payments) {
    const paid = dayAt(m.paid_on, '12:00');
    items.push({
      kind: 'payment',
      at: new Date(Math.min(paid.getTime(), m.received_at.getTime())).toISOString(),
      arrived: m.received_at,
      amount: formatMoney(tiyin(m.amount)),
      date: m.paid_on,
      channel: m.channel,
    });
    if (m.reversed_on)
      items.push({
        kind: 'reversal',
        at: dayAt(m.reversed_on, '12:00').toISOString(),
        arrived: dayAt(m.reversed_on, '12:00'),
        amount: formatMoney(tiyin(m.amount)),
        date: m.reversed_on,
      });
  }
  for (const e of events) {
    items.push({
      kind: 'application',
      at: e.at.toISOString(),
      arrived: e.at,
      number: e.number,
      type: e.type,
      status: e.status,
    });
  }
  for (const r of receipts) {
    if (!r.received_at) continue;
    items.push({
      kind: 'employee_list',
      at: r.received_at.toISOString(),
      arrived: r.received_at,
      number: String(r.id),
      date: todayInTashkent(r.created_at),
      status: 'received',
    });
  }
  // The reminder: the latest issued bill falls due within 3 days and a debt remains.
  const today = todayInTashkent(now);
  const due = bills
    .map((b) => b.due_on)
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1) as LocalDate | undefined;
  if (due && compareDates(due, today) >= 0 && compareDates(due, addDays(today, REMINDER_DAYS)) <= 0) {
    const current = periodInTashkent(now);
    const { closing } = await settlementsOf(db, contractId, current, current);
    const from = dayAt(addDays(due, -REMINDER_DAYS), '09:00');
    if (closing > 0n)
      items.push({
        kind: 'reminder',
        at: from.toISOString(),
        arrived: from,
        amount: formatMoney(tiyin(closing)),
        date: due,
      });
  }
  return items
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, 50)
    .map(({ arrived, ...n }) => ({ ...n, unread: seenAt === null || arrived > seenAt }));
}

/** The signed-in consumer's notices and the mark that they were read. */
export const cabinetNotificationRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;

  app.get(
    '/api/cabinet/notifications',
    {
      config: { access: 'cabinet' },
      schema: {
        tags: ['cabinet'],
        summary:
          'New bills, payments, reminders, application steps and employee list receipts, newest first, with the unread count',
        response: {
          200: z.object({ dataAsOf: z.string(), unread: z.number(), items: z.array(ZNotification) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const auth = cabinetOf(request);
      const account = await db
        .selectFrom('cabinet_account')
        .select('notifications_seen_at')
        .where('contract_id', '=', auth.contractId)
        .executeTakeFirst();
      const items = await notificationsOf(db, auth.contractId, account?.notifications_seen_at ?? null);
      return { dataAsOf: new Date().toISOString(), unread: items.filter((n) => n.unread).length, items };
    },
  );

  app.post(
    '/api/cabinet/notifications/seen',
    {
      config: { access: 'cabinet' },
      schema: {
        tags: ['cabinet'],
        summary: 'Mark every notice up to now as read',
        response: { 204: z.null(), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      await db
        .updateTable('cabinet_account')
        .set({ notifications_seen_at: sql<Date>`now()` })
        .where('contract_id', '=', cabinetOf(request).contractId)
        .execute();
      return reply.code(204).send(null);
    },
  );
};
