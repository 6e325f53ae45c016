import { CompiledQuery, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { DB } from '../db/schema.ts';

/** Queues the product uses. */
export const QUEUES = {
  billRun: 'bill-run',
  smsSend: 'sms-send',
  smsReminders: 'sms-reminders',
  documentRun: 'document-run',
  einvoiceRun: 'einvoice-run',
} as const;

// The SMS jobs are nudges, not work items (the work is the sms_outbox table): 'short' keeps at most
// one waiting per key, and a drain or a reminder run cut short is simply asked for again.
const QUEUE_OPTIONS: Record<string, Omit<PgBoss.Queue, 'name'>> = {
  [QUEUES.smsSend]: { policy: 'short', retryLimit: 1, retryDelay: 5, expireInSeconds: 10 * 60 },
  [QUEUES.smsReminders]: { policy: 'short', retryLimit: 2, retryDelay: 60, expireInSeconds: 10 * 60 },
};

/** The job queue as the modules see it: enqueue only. */
export type JobQueue = {
  send(queue: string, data: object, options?: { singletonKey?: string }): Promise<string | null>;
};

/** The job queue with workers: pg-boss on the product's database. */
export type Jobs = JobQueue & {
  work<T extends object>(queue: string, handler: (data: T, jobId: string) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Starts pg-boss on the product's own database: its queries go through our Kysely connection
 * (PostgreSQL pool or the embedded PGlite), so jobs live in the same database and, on PGlite,
 * take their turn on the one connection like every other query. Tables are in schema `pgboss`.
 */
async function startJobs(db: Kysely<DB>, log: Logger | null): Promise<Jobs> {
  const boss = new PgBoss({
    db: {
      executeSql: async (text: string, values?: unknown[]) =>
        db.executeQuery(CompiledQuery.raw(text, values ?? [])),
    },
    schema: 'pgboss',
    supervise: true,
    schedule: false,
    migrate: true,
  });
  boss.on('error', (err: unknown) => log?.error({ err }, 'job queue error'));
  await boss.start();
  for (const name of Object.values(QUEUES)) {
    if (!(await boss.getQueue(name))) {
      // A bill run is resumable: a retry continues the same run where it stopped.
      await boss.createQueue(name, {
        name,
        retryLimit: 3,
        retryDelay: 10,
        expireInSeconds: 30 * 60,
        ...QUEUE_OPTIONS[name],
      });
    }
  }
  return {
    send: (queue, data, options) => boss.send(queue, data, options ?? {}),
    work: async <T extends object>(queue: string, handler: (data: T, jobId: string) => Promise<void>) => {
      await boss.work<T>(queue, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data, job.id);
      });
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}

/** The job queue, started on first use (a process that never enqueues nor works starts nothing). */
export function jobQueue(db: Kysely<DB>, log: Logger | null): Jobs {
  let started: Promise<Jobs> | null = null;
  const get = () => {
    started ??= startJobs(db, log);
    return started;
  };
  return {
    send: async (queue, data, options) => (await get()).send(queue, data, options),
    work: async (queue, handler) => (await get()).work(queue, handler),
    stop: async () => {
      if (started) await (await started).stop();
    },
  };
}
