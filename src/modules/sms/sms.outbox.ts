import { type Kysely, sql, type Transaction } from 'kysely';
import { pgArray } from '../../db/arrays.ts';
import type { DB } from '../../db/schema.ts';
import { type Tiyin, tiyin } from '../../domain/money.ts';
import {
  addDays,
  addPeriods,
  type LocalDate,
  type Period,
  periodOf,
  todayInTashkent,
} from '../../domain/period.ts';
import {
  type SmsLocale,
  type SmsMessage,
  smsExpiresAt,
  smsNotBefore,
  smsParamsToJson,
} from '../../domain/sms-templates.ts';

/** What enqueueing did: the row, or why there is none. */
export type EnqueueResult =
  | { queued: true; id: bigint }
  | { queued: false; reason: 'opted_out' | 'no_phone' | 'duplicate' | 'no_consumer' };

/**
 * Queues one SMS to a consumer in the caller's transaction, so that it exists if and only if the
 * event that caused it commits. Nothing is queued for a consumer who opted out or has no phone;
 * a second event with the same `dedupeKey` (per supplier) queues nothing.
 */
export async function enqueueSms(
  trx: Transaction<DB>,
  input: { tenantId: bigint; consumerId: bigint; message: SmsMessage; dedupeKey: string; now?: Date },
): Promise<EnqueueResult> {
  const consumer = await trx
    .selectFrom('consumer')
    .select(['phone', 'sms_opt_out', 'sms_locale'])
    .where('id', '=', input.consumerId)
    .where('tenant_id', '=', input.tenantId)
    .executeTakeFirst();
  if (!consumer) return { queued: false, reason: 'no_consumer' };
  if (consumer.sms_opt_out) return { queued: false, reason: 'opted_out' };
  if (!consumer.phone) return { queued: false, reason: 'no_phone' };
  const now = input.now ?? new Date();
  const row = await trx
    .insertInto('sms_outbox')
    .values({
      tenant_id: input.tenantId,
      consumer_id: input.consumerId,
      phone: consumer.phone,
      locale: consumer.sms_locale,
      template: input.message.template,
      params: JSON.stringify(smsParamsToJson(input.message)),
      dedupe_key: input.dedupeKey,
      next_attempt_at: smsNotBefore(input.message.template, now),
      expires_at: smsExpiresAt(input.message, now),
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? { queued: true, id: row.id } : { queued: false, reason: 'duplicate' };
}

/** The account of a contract: its number, consumer and supplier. */
async function accountOf(trx: Transaction<DB>, contractId: bigint) {
  return trx
    .selectFrom('contract')
    .select(['number', 'consumer_id', 'tenant_id'])
    .where('id', '=', contractId)
    .executeTakeFirstOrThrow();
}

/** The account's balance: everything billed minus booked payments (> 0 a debt, < 0 an advance). */
async function balanceOf(trx: Transaction<DB>, contractId: bigint): Promise<Tiyin> {
  const row = await sql<{ balance: string }>`
    select ((select coalesce(sum(l.amount), 0) from bill b join bill_line l on l.bill_id = b.id
              where b.contract_id = ${contractId})
          - (select coalesce(sum(p.amount), 0) from payment p
              where p.contract_id = ${contractId} and p.status = 'booked'))::text as balance`.execute(trx);
  return tiyin(BigInt(row.rows[0]?.balance ?? '0'));
}

/** "Payment received" with the balance after it, once per payment (`payment:<id>`). */
export async function queuePaymentReceived(
  trx: Transaction<DB>,
  input: { contractId: bigint; paymentId: bigint; amount: Tiyin; paidOn: LocalDate; now?: Date },
): Promise<EnqueueResult> {
  const account = await accountOf(trx, input.contractId);
  return enqueueSms(trx, {
    tenantId: account.tenant_id,
    consumerId: account.consumer_id,
    dedupeKey: `payment:${input.paymentId}`,
    message: {
      template: 'payment_received',
      params: {
        account: account.number,
        amount: input.amount,
        date: input.paidOn,
        balance: await balanceOf(trx, input.contractId),
      },
    },
    ...(input.now ? { now: input.now } : {}),
  });
}

/**
 * "Disconnection warning": debt `amount` unpaid means the supply stops from `date`. `reference`
 * names the warning (the disconnection order); one SMS per reference. No caller yet: automatic
 * switching (R8, AMI) comes later.
 */
export async function queueDisconnectionWarning(
  trx: Transaction<DB>,
  input: { contractId: bigint; reference: string; amount: Tiyin; date: LocalDate; now?: Date },
): Promise<EnqueueResult> {
  const account = await accountOf(trx, input.contractId);
  return enqueueSms(trx, {
    tenantId: account.tenant_id,
    consumerId: account.consumer_id,
    dedupeKey: `disconnection_warning:${input.reference}`,
    message: {
      template: 'disconnection_warning',
      params: { account: account.number, amount: input.amount, date: input.date },
    },
    ...(input.now ? { now: input.now } : {}),
  });
}

/** "Supply restored", once per `reference` (the reconnection command). No caller yet (R8, AMI). */
export async function queueReconnection(
  trx: Transaction<DB>,
  input: { contractId: bigint; reference: string; now?: Date },
): Promise<EnqueueResult> {
  const account = await accountOf(trx, input.contractId);
  return enqueueSms(trx, {
    tenantId: account.tenant_id,
    consumerId: account.consumer_id,
    dedupeKey: `reconnection:${input.reference}`,
    message: { template: 'reconnection', params: { account: account.number } },
    ...(input.now ? { now: input.now } : {}),
  });
}

// The instant a Tashkent calendar day `d` (a SQL date) ends: when a bill's notice lapses.
const END_OF_DAY = (column: string) =>
  sql`(((${sql.ref(column)} + 1)::timestamp at time zone 'UTC') - interval '5 hours')`;

/**
 * "Bill issued" for every numbered bill of a supplier's period with something to pay, in one
 * insert … select (a period of a million accounts is one statement), in the closing transaction.
 * Bills already past their due date get none; each bill at most one (`bill:<id>`). Returns how many.
 */
export async function queueBillsIssued(
  trx: Transaction<DB>,
  input: { tenantId: bigint; period: Period; now?: Date },
): Promise<number> {
  const now = input.now ?? new Date();
  const result = await sql`
    insert into sms_outbox (tenant_id, consumer_id, phone, locale, template, params, dedupe_key,
                            next_attempt_at, expires_at)
    select b.tenant_id, c.id, c.phone, c.sms_locale, 'bill_issued',
           jsonb_build_object('account', k.number, 'period', b.period::text, 'amount', b.total::text,
                              'due', b.due_on::text),
           'bill:' || b.id, ${smsNotBefore('bill_issued', now)}::timestamptz, ${END_OF_DAY('b.due_on')}
      from bill b
      join contract k on k.id = b.contract_id
      join consumer c on c.id = k.consumer_id
     where b.tenant_id = ${input.tenantId} and b.period = ${input.period}
       and b.number is not null and b.total > 0 and b.due_on >= ${todayInTashkent(now)}::date
       and c.phone is not null and not c.sms_opt_out
    on conflict (tenant_id, dedupe_key) do nothing`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * The daily reminder: for every issued bill due within the next 3 days (after `today`, up to
 * today + 3) with something left unpaid, "pay <unpaid> by <due>", once per bill
 * (`reminder:<bill id>`). Run it on a day the job missed and it still reminds, as long as the due
 * date has not passed. Returns how many were queued.
 */
export async function queueDueReminders(
  db: Kysely<DB> | Transaction<DB>,
  input: { today: LocalDate; now?: Date },
): Promise<number> {
  const now = input.now ?? new Date();
  const last = addDays(input.today, 3);
  // Bills are due at the end of the month after their period: look at the periods that can be due
  // in the window (and one more on each side), so the bill index (tenant, period) finds them.
  const periods = new Set<Period>();
  for (const d of [addDays(input.today, 1), last]) {
    const month = periodOf(d);
    for (const k of [-2, -1, 0]) periods.add(addPeriods(month, k));
  }
  const result = await sql`
    insert into sms_outbox (tenant_id, consumer_id, phone, locale, template, params, dedupe_key,
                            next_attempt_at, expires_at)
    select b.tenant_id, c.id, c.phone, c.sms_locale, 'due_reminder',
           jsonb_build_object('account', k.number, 'amount', u.unpaid::text, 'due', b.due_on::text),
           'reminder:' || b.id, ${smsNotBefore('due_reminder', now)}::timestamptz, ${END_OF_DAY('b.due_on')}
      from tenant t
      join bill b on b.tenant_id = t.id and b.period = any(${pgArray([...periods])}::text[])
      join contract k on k.id = b.contract_id
      join consumer c on c.id = k.consumer_id
      cross join lateral (
        select coalesce(sum(l.amount), 0)
             - coalesce((select sum(a.amount) from allocation a join bill_line l2 on l2.id = a.bill_line_id
                          where l2.bill_id = b.id), 0) as unpaid
          from bill_line l where l.bill_id = b.id and l.amount > 0) u
     where b.number is not null
       and b.due_on > ${input.today}::date and b.due_on <= ${last}::date
       and u.unpaid > 0 and c.phone is not null and not c.sms_opt_out
    on conflict (tenant_id, dedupe_key) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** The locale an SMS row stores, as the templates know it. */
export function smsLocaleOf(value: string): SmsLocale {
  return value === 'uz-Cyrl' || value === 'ru' || value === 'en' ? value : 'uz';
}
