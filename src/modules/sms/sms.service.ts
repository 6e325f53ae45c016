import { createHash, timingSafeEqual } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { AppError } from '../../domain/errors.ts';
import { parseSmsMessage, renderSms } from '../../domain/sms-templates.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import { parseGatewayId } from './sms.gateway.ts';
import { smsLocaleOf } from './sms.outbox.ts';

/** True when `given` is the configured callback secret (constant time); false when none is configured. */
export function isCallbackSecret(configured: string | undefined, given: unknown): boolean {
  if (!configured || typeof given !== 'string') return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(configured), digest(given));
}

// Eskiz's delivery states (the status field of its callback): final good, final bad; others are
// on the way (NEW, STORED, ACCEPTED, ENROUTE, PARTDELIVERED, UNKNOWN …).
const DELIVERED = new Set(['DELIVRD', 'DELIVERED']);
const NOT_DELIVERED = new Set([
  'UNDELIV',
  'UNDELIVERABLE',
  'UNDELIVERED',
  'REJECTED',
  'REJECTD',
  'EXPIRED',
  'DELETED',
]);

/** "2021-04-02 00:39:36" in Tashkent time, as Eskiz writes status_date; null when not that. */
function eskizTime(value: unknown): Date | null {
  const m =
    typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value) : null;
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s) - 5 * 3_600_000;
  return Number.isNaN(t) ? null : new Date(t);
}

/** What recording a delivery report did. */
export type ReportResult = { matched: boolean; status: string | null };

/**
 * Records Eskiz's delivery report — {request_id, message_id, user_sms_id, country, phone_number,
 * sms_count, status, status_date} — on the message it names (by Eskiz's request id, or by our
 * user_sms_id for a message whose send answer was lost). The report is the truth about what the
 * gateway did: it settles a message we held in doubt (or gave up on) as sent or delivered. A
 * delivered message stays delivered.
 */
export async function recordEskizReport(db: Kysely<DB>, body: unknown): Promise<ReportResult> {
  const r = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const requestId = typeof r.request_id === 'string' && r.request_id !== '' ? r.request_id : null;
  const status = typeof r.status === 'string' ? r.status.trim().toUpperCase().slice(0, 40) : '';
  const outboxId = parseGatewayId(r.user_sms_id);
  if (!requestId || status === '') return { matched: false, status: null };
  const delivered = DELIVERED.has(status);
  const undelivered = NOT_DELIVERED.has(status);
  const at = eskizTime(r.status_date);
  const result = await sql`
    update sms_outbox set
      status = case when ${delivered} then 'delivered'
                    when ${undelivered} then 'failed'
                    else 'sent' end,
      provider_message_id = ${requestId},
      sent_at = coalesce(sent_at, now()),
      delivered_at = case when ${delivered} then coalesce(${at}::timestamptz, now()) else delivered_at end,
      provider_status = ${status},
      last_error = case when ${undelivered} then ${`not delivered: ${status}`}
                        when ${delivered} then null else last_error end
     where provider = 'eskiz' and status <> 'delivered'
       and (provider_message_id = ${requestId}
            or (id = ${outboxId ?? -1n} and provider_message_id is null))`.execute(db);
  return { matched: Number(result.numAffectedRows ?? 0n) > 0, status };
}

/** An outbox row as staff see it. */
export type SmsView = {
  id: string;
  consumer: { id: string; name: string };
  phone: string;
  locale: string;
  template: string;
  text: string | null;
  segments: number | null;
  status: string;
  provider: string | null;
  providerMessageId: string | null;
  providerStatus: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
};

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The outbox of the caller's org units (by the consumer's unit), newest first. */
export async function listSms(
  db: Kysely<DB>,
  access: Access,
  q: {
    status?: string | undefined;
    template?: string | undefined;
    consumerId?: bigint | undefined;
    limit: number;
  },
): Promise<SmsView[]> {
  let query = db
    .selectFrom('sms_outbox as s')
    .innerJoin('consumer as c', 'c.id', 's.consumer_id')
    .innerJoin('org_unit as ou', 'ou.id', 'c.org_unit_id')
    .select([
      's.id',
      's.consumer_id',
      'c.name',
      's.phone',
      's.locale',
      's.template',
      's.params',
      's.text',
      's.segments',
      's.status',
      's.provider',
      's.provider_message_id',
      's.provider_status',
      's.attempts',
      's.last_error',
      's.created_at',
      's.next_attempt_at',
      's.sent_at',
      's.delivered_at',
    ])
    .where('s.tenant_id', '=', access.user.tenantId)
    .where(inScope('ou.path', access.scope('consumer.read')));
  if (q.status) query = query.where('s.status', '=', q.status);
  if (q.template) query = query.where('s.template', '=', q.template);
  if (q.consumerId !== undefined) query = query.where('s.consumer_id', '=', q.consumerId);
  const rows = await query.orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(q.limit).execute();
  return rows.map((r) => {
    let text = r.text;
    if (text === null) {
      try {
        text = renderSms(parseSmsMessage(r.template, r.params), smsLocaleOf(r.locale));
      } catch {
        text = null;
      }
    }
    const waiting = r.status === 'queued' || r.status === 'sending';
    return {
      id: String(r.id),
      consumer: { id: String(r.consumer_id), name: r.name },
      phone: r.phone,
      locale: r.locale,
      template: r.template,
      text,
      segments: r.segments,
      status: r.status,
      provider: r.provider,
      providerMessageId: r.provider_message_id,
      providerStatus: r.provider_status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: new Date(r.created_at).toISOString(),
      nextAttemptAt: waiting ? iso(r.next_attempt_at) : null,
      sentAt: iso(r.sent_at),
      deliveredAt: iso(r.delivered_at),
    };
  });
}

/**
 * A consumer's SMS preferences: opt out (or back in) and, optionally, the language. Opting out
 * cancels what is still queued for the consumer. Audited; NOT_FOUND outside the caller's scope.
 */
export async function setSmsPreferences(
  db: Kysely<DB>,
  access: Access,
  actor: Actor,
  input: { consumerId: bigint; optOut: boolean; locale?: 'uz' | 'uz-Cyrl' | 'ru' | 'en' | undefined },
): Promise<{ id: string; smsOptOut: boolean; smsLocale: string; cancelled: number }> {
  return db.transaction().execute(async (trx) => {
    const consumer = await trx
      .selectFrom('consumer as c')
      .innerJoin('org_unit as ou', 'ou.id', 'c.org_unit_id')
      .select(['c.id', 'c.sms_opt_out', 'c.sms_locale', 'ou.path'])
      .where('c.id', '=', input.consumerId)
      .where('c.tenant_id', '=', access.user.tenantId)
      .forUpdate('c')
      .executeTakeFirst();
    if (!consumer || !access.canAt('consumer.write', consumer.path))
      throw new AppError('NOT_FOUND', `Unknown consumer ${input.consumerId}`, {
        consumer: String(input.consumerId),
      });
    const locale = input.locale ?? consumer.sms_locale;
    let cancelled = 0;
    if (consumer.sms_opt_out !== input.optOut || consumer.sms_locale !== locale) {
      await trx
        .updateTable('consumer')
        .set({ sms_opt_out: input.optOut, sms_locale: locale, updated_at: sql<Date>`now()` })
        .where('id', '=', consumer.id)
        .execute();
      if (input.optOut) {
        const done = await trx
          .updateTable('sms_outbox')
          .set({ status: 'cancelled', last_error: 'consumer opted out' })
          .where('consumer_id', '=', consumer.id)
          .where('status', '=', 'queued')
          .executeTakeFirst();
        cancelled = Number(done.numUpdatedRows);
      }
      await writeAudit(trx, actor, {
        action: 'consumer.sms_preferences',
        entity: 'consumer',
        entityId: consumer.id,
        tenantId: access.user.tenantId,
        orgUnitPath: consumer.path,
        before: { sms_opt_out: consumer.sms_opt_out, sms_locale: consumer.sms_locale },
        after: { sms_opt_out: input.optOut, sms_locale: locale, cancelled },
      });
    }
    return { id: String(consumer.id), smsOptOut: input.optOut, smsLocale: locale, cancelled };
  });
}
