import { type Kysely, sql, type UpdateObject } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../../db/schema.ts';
import { todayInTashkent } from '../../domain/period.ts';
import { parseSmsMessage, renderSms, smsSegments } from '../../domain/sms-templates.ts';
import { type Jobs, QUEUES } from '../../jobs/queue.ts';
import type { SmsGateway } from './sms.gateway.ts';
import { queueDueReminders, smsLocaleOf } from './sms.outbox.ts';

/** How the worker sends: the gateway and its pace. */
export type SmsWorkerOptions = {
  gateway: SmsGateway;
  log?: Logger | null;
  /** Messages sent at the same time by one worker. */
  concurrency?: number;
  /** Tries per message, lookups of a message in doubt included; then it fails. */
  maxAttempts?: number;
  /** The wait before try n + 1 after try n failed. */
  backoffMs?: (attempt: number) => number;
  /** How long a try holds its row; a row still sending after that is in doubt (its worker died). */
  leaseMs?: number;
  /** How long one drain may run before it hands over to the next job. */
  budgetMs?: number;
};

/** What a drain did. */
export type DrainResult = {
  sent: number;
  failed: number;
  retried: number;
  cancelled: number;
  /** Messages in doubt that the gateway turned out to have accepted: not sent again. */
  reconciled: number;
};

const DEFAULTS = {
  concurrency: 4,
  maxAttempts: 6,
  // 30 s, 2 min, 8 min, 32 min, then hourly
  backoffMs: (attempt: number) => Math.min(30_000 * 4 ** Math.max(0, attempt - 1), 3_600_000),
  // A try is a lookup (one 30 s deadline in all) and a call (30 s): twice that and a minute.
  leaseMs: 2 * 30_000 + 60_000,
  budgetMs: 2 * 60_000,
};

type Claimed = {
  id: bigint;
  phone: string;
  locale: string;
  template: string;
  params: unknown;
  text: string | null;
  attempts: number;
  expired: boolean;
  prev_status: string;
  prev_provider: string | null;
  prev_attempt_at: Date | null;
};

type Outcome = keyof DrainResult | 'lost';

/**
 * Claims up to `n` due rows: queued ones whose time has come and sending ones whose lease ran out
 * (their worker died mid-try, or the try ended in doubt). Each claim is committed before any HTTP
 * call, so a crash leaves the row `sending` with a lease, never `queued` (sent twice) nor gone.
 */
async function claim(db: Kysely<DB>, provider: string, n: number, leaseMs: number): Promise<Claimed[]> {
  const result = await sql<Claimed>`
    with c as (
      select id, status as prev_status, provider as prev_provider, last_attempt_at as prev_attempt_at
        from sms_outbox
       where status in ('queued', 'sending') and next_attempt_at <= now()
       order by next_attempt_at, id
       limit ${n}
       for update skip locked
    )
    update sms_outbox o
       set status = 'sending', attempts = o.attempts + 1, provider = ${provider},
           last_attempt_at = now(), next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
      from c
     where o.id = c.id
    returning o.id, o.phone, o.locale, o.template, o.params, o.text, o.attempts,
              o.expires_at <= now() as expired, c.prev_status, c.prev_provider, c.prev_attempt_at`.execute(
    db,
  );
  return result.rows;
}

/**
 * Sends what is due in the outbox through the gateway, a few at a time, until nothing is due or
 * the budget is spent. A message whose earlier try ended in doubt is first looked up at the
 * gateway (when it can be) and only sent again when the gateway does not have it.
 */
export async function drainSmsOutbox(db: Kysely<DB>, options: SmsWorkerOptions): Promise<DrainResult> {
  const o = { ...DEFAULTS, ...options };
  const { gateway } = o;
  const log = o.log ?? null;
  const result: DrainResult = { sent: 0, failed: 0, retried: 0, cancelled: 0, reconciled: 0 };
  const started = Date.now();

  // Every outcome is written only if this try still owns the row (a delivery report may have
  // settled a message in doubt meanwhile).
  const settle = async (row: Claimed, set: UpdateObject<DB, 'sms_outbox'>) => {
    const done = await db
      .updateTable('sms_outbox')
      .set(set)
      .where('id', '=', row.id)
      .where('status', '=', 'sending')
      .where('attempts', '=', row.attempts)
      .executeTakeFirst();
    if (done.numUpdatedRows === 0n)
      log?.info({ sms: String(row.id) }, 'SMS settled meanwhile; try outcome dropped');
  };
  const later = (attempt: number) => sql<Date>`now() + ${o.backoffMs(attempt)} * interval '1 millisecond'`;
  const fail = (row: Claimed, error: string) =>
    settle(row, { status: 'failed', last_error: error.slice(0, 1000) });
  const accepted = async (row: Claimed, providerMessageId: string, text: string, delivered: boolean) => {
    await settle(row, {
      status: delivered ? 'delivered' : 'sent',
      provider_message_id: providerMessageId,
      sent_at: sql<Date>`now()`,
      ...(delivered ? { delivered_at: sql<Date>`now()`, provider_status: 'DELIVRD' } : {}),
      text,
      segments: smsSegments(text).segments,
      last_error: null,
    });
  };

  const process = async (row: Claimed): Promise<Outcome> => {
    const inDoubt = row.prev_status === 'sending';
    // Rendered once and stored with the first outcome: every later try sends the same text.
    let text: string;
    try {
      text = row.text ?? renderSms(parseSmsMessage(row.template, row.params), smsLocaleOf(row.locale));
    } catch (err) {
      await fail(row, err instanceof Error ? err.message : String(err));
      return 'failed';
    }
    if (inDoubt && gateway.lookup && row.prev_provider === gateway.name && row.prev_attempt_at) {
      const found = await gateway.lookup({ outboxId: row.id, since: row.prev_attempt_at, until: new Date() });
      switch (found.kind) {
        case 'accepted':
          await accepted(row, found.providerMessageId, text, false);
          log?.info({ sms: String(row.id) }, 'SMS in doubt was accepted by the gateway: not sent again');
          return 'reconciled';
        case 'not_found':
          break;
        case 'unknown':
          if (row.attempts >= o.maxAttempts) {
            await fail(row, `outcome unknown after ${row.attempts} tries: ${found.error}`);
            return 'failed';
          }
          // Still in doubt: keep it `sending` and look again later.
          await settle(row, {
            next_attempt_at: later(row.attempts),
            last_error: found.error.slice(0, 1000),
            text,
          });
          return 'retried';
        default: {
          const never: never = found;
          throw new Error(`unknown lookup result ${JSON.stringify(never)}`);
        }
      }
    }
    if (row.expired) {
      await settle(row, {
        status: 'cancelled',
        last_error: inDoubt ? 'expired (earlier try in doubt)' : 'expired',
        text,
      });
      return 'cancelled';
    }
    if (row.attempts > o.maxAttempts) {
      await fail(row, `gave up after ${o.maxAttempts} tries (the last one's outcome is unknown)`);
      return 'failed';
    }
    const sent = await gateway.send({ outboxId: row.id, phone: row.phone, text });
    switch (sent.kind) {
      case 'accepted':
        await accepted(row, sent.providerMessageId, text, sent.delivered === true);
        return 'sent';
      case 'rejected':
        await settle(row, { status: 'failed', last_error: sent.error.slice(0, 1000), text });
        return 'failed';
      case 'retry':
        if (!sent.inDoubt && row.attempts >= o.maxAttempts) {
          await settle(row, { status: 'failed', last_error: sent.error.slice(0, 1000), text });
          return 'failed';
        }
        // In doubt it stays `sending` (the next try looks it up first); otherwise back to the queue.
        await settle(row, {
          status: sent.inDoubt ? 'sending' : 'queued',
          next_attempt_at: later(row.attempts),
          last_error: sent.error.slice(0, 1000),
          text,
        });
        return 'retried';
      default: {
        const never: never = sent;
        throw new Error(`unknown send result ${JSON.stringify(never)}`);
      }
    }
  };

  while (Date.now() - started < o.budgetMs) {
    const rows = await claim(db, gateway.name, o.concurrency, o.leaseMs);
    if (rows.length === 0) break;
    const outcomes = await Promise.all(
      rows.map((row) =>
        process(row).catch((err: unknown): Outcome => {
          // The row stays `sending` until its lease runs out, then is retried as in doubt.
          log?.error({ err, sms: String(row.id) }, 'SMS try failed unexpectedly');
          return 'lost';
        }),
      ),
    );
    for (const outcome of outcomes) if (outcome !== 'lost') result[outcome] += 1;
  }
  return result;
}

/** How often a process asks for a drain, and for the reminders of the day. */
const TICK_MS = 5_000;
const REMINDER_TICK_MS = 60 * 60_000;

/**
 * Registers the SMS jobs of a process: `sms-send` drains the outbox (asked for every few seconds;
 * pg-boss keeps at most one waiting, several processes drain side by side) and `sms-reminders`
 * queues the day's due-date reminders (asked for hourly; idempotent). Returns a stop for the timers.
 */
export async function registerSmsWorker(
  jobs: Jobs,
  deps: {
    db: Kysely<DB>;
    log: Logger | null;
    gateway: SmsGateway;
    options?: Omit<SmsWorkerOptions, 'gateway'>;
  },
): Promise<() => void> {
  const { db, log, gateway } = deps;
  await jobs.work(QUEUES.smsSend, async () => {
    const done = await drainSmsOutbox(db, { ...deps.options, gateway, log });
    if (done.sent + done.failed + done.retried + done.cancelled + done.reconciled > 0)
      log?.info({ ...done, provider: gateway.name }, 'SMS outbox drained');
  });
  await jobs.work<{ on?: string }>(QUEUES.smsReminders, async (job) => {
    const today = todayInTashkent();
    if (job.on !== today) return; // a job left over from another day
    const queued = await queueDueReminders(db, { today });
    if (queued > 0) log?.info({ queued, on: today }, 'SMS due-date reminders queued');
  });
  const ask = (queue: string, data: object, key: string) =>
    jobs
      .send(queue, data, { singletonKey: key })
      .catch((err: unknown) => log?.error({ err, queue }, 'job not queued'));
  const drain = () => void ask(QUEUES.smsSend, {}, 'drain');
  const remind = () => {
    const on = todayInTashkent();
    void ask(QUEUES.smsReminders, { on }, `reminders-${on}`);
  };
  drain();
  remind();
  const timers = [setInterval(drain, TICK_MS), setInterval(remind, REMINDER_TICK_MS)];
  for (const t of timers) t.unref();
  return () => {
    for (const t of timers) clearInterval(t);
  };
}
