import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/schema.ts';
import type { LocalDate } from '../domain/period.ts';
import { registerEinvoiceRunWorker } from '../modules/accounting/einvoice.worker.ts';
import type { Actor } from '../modules/audit/audit.ts';
import { executeBillRun } from '../modules/billing/bill-run.service.ts';
import { registerDocumentRunWorker } from '../modules/documents/period-documents.worker.ts';
import type { SmsGateway } from '../modules/sms/sms.gateway.ts';
import { registerSmsWorker } from '../modules/sms/sms.worker.ts';
import { type Jobs, QUEUES } from './queue.ts';

/** What a bill-run job carries: the run, its date and who started it. */
export type BillRunJob = { runId: string; on: string; userId: string | null; tenantId: string };

/**
 * Registers the workers of this process. A bill-run job executes its run; when pg-boss retries a
 * job (a crash, a lost connection), the same run continues with the accounts left. With an SMS
 * gateway, the SMS outbox is drained too (src/modules/sms). Returns a stop for the workers' timers.
 */
export async function registerWorkers(
  jobs: Jobs,
  deps: { db: Kysely<DB>; log: Logger | null; billRunWorkers: number; sms?: SmsGateway | null },
): Promise<() => void> {
  await jobs.work<BillRunJob>(QUEUES.billRun, async (job) => {
    const actor: Actor = job.userId
      ? { type: 'user', id: job.userId, tenantId: BigInt(job.tenantId) }
      : { type: 'system', id: null, tenantId: BigInt(job.tenantId) };
    const view = await executeBillRun(deps.db, actor, BigInt(job.runId), {
      on: job.on as LocalDate,
      workers: deps.billRunWorkers,
    });
    deps.log?.info({ run: view.id, billed: view.billed, errors: view.errors }, 'bill run finished');
  });
  await registerDocumentRunWorker(jobs, deps);
  await registerEinvoiceRunWorker(jobs, deps);
  if (!deps.sms) return () => {};
  return registerSmsWorker(jobs, { db: deps.db, log: deps.log, gateway: deps.sms });
}
