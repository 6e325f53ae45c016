import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../../db/schema.ts';
import { type Jobs, QUEUES } from '../../jobs/queue.ts';
import type { Actor } from '../audit/audit.ts';
import { executeDocumentRun } from './generate-period-documents.ts';

/** What a document-run job carries: the run and who started it. */
export type DocumentRunJob = { runId: string; userId: string | null; tenantId: string };

/**
 * Registers the document-run worker: a job executes its run; when pg-boss retries a job (a crash,
 * a lost connection), the same run continues with the contracts whose documents are not archived.
 */
export async function registerDocumentRunWorker(
  jobs: Jobs,
  deps: { db: Kysely<DB>; log: Logger | null },
): Promise<void> {
  await jobs.work<DocumentRunJob>(QUEUES.documentRun, async (job) => {
    const actor: Actor = job.userId
      ? { type: 'user', id: job.userId, tenantId: BigInt(job.tenantId) }
      : { type: 'system', id: null, tenantId: BigInt(job.tenantId) };
    const view = await executeDocumentRun(deps.db, actor, BigInt(job.runId));
    deps.log?.info({ run: view.id, created: view.created, failed: view.failed }, 'document run finished');
  });
}
