import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { JobQueue } from './queue.ts';

/** The resumable runs that a job works through, each a table with `job_id`, `status` and `error`. */
export type RunTable = 'bill_run' | 'document_run';

/**
 * Queues the job that works `run` (a new run, or one a crash or a failure stopped) and marks it
 * `queued` with its job id, unless it is `running`. One job per run at a time: while one is
 * queued or working, pg-boss's singleton key makes another send return null and nothing changes.
 */
export async function queueRunJob(
  db: Kysely<DB>,
  jobs: JobQueue,
  run: { table: RunTable; id: bigint; queue: string },
  data: object,
): Promise<void> {
  const jobId = await jobs.send(run.queue, data, { singletonKey: `${run.queue}-${run.id}` });
  if (jobId === null) return;
  await sql`
    update ${sql.table(run.table)}
       set job_id = ${jobId}, error = null,
           status = case when status = 'running' then status else 'queued' end
     where id = ${run.id}`.execute(db);
}
