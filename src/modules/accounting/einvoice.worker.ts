import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../../db/schema.ts';
import { type Jobs, QUEUES } from '../../jobs/queue.ts';
import type { Actor } from '../audit/audit.ts';
import { executeEinvoiceRun } from './einvoice-run.ts';

/** What an e-invoice-run job carries: the run and who started it. */
export type EinvoiceRunJob = { runId: string; userId: string | null; tenantId: string };

/** Registers the e-invoice-run worker; a retried job continues with the bills left. */
export async function registerEinvoiceRunWorker(
  jobs: Jobs,
  deps: { db: Kysely<DB>; log: Logger | null },
): Promise<void> {
  await jobs.work<EinvoiceRunJob>(QUEUES.einvoiceRun, async (job) => {
    const actor: Actor = job.userId
      ? { type: 'user', id: job.userId, tenantId: BigInt(job.tenantId) }
      : { type: 'system', id: null, tenantId: BigInt(job.tenantId) };
    const view = await executeEinvoiceRun(deps.db, actor, BigInt(job.runId));
    deps.log?.info({ run: view.id, done: view.done, total: view.total }, 'e-invoice run finished');
  });
}
