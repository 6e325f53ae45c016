import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { type Period, parsePeriod } from '../../domain/period.ts';
import type { Locale } from '../../i18n/locale.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { signedAct, signedInvoice } from '../signature/signed-documents.service.ts';
import {
  archivedKinds,
  assertPeriodClosed,
  countPack,
  nextContractsToSign,
  orgPathOf,
  type PackScope,
} from './period-documents.repository.ts';

// A closed period's documents for a unit (issue 6 point 5, decision 017): every contract's invoice
// and reconciliation act of the period, rendered, signed and archived through the cabinet's own
// `signedInvoice` / `signedAct`, so the archive holds the bytes the cabinet serves. A contract is
// done when both documents are archived: a rerun (a retried job after a crash) continues with
// the contracts left, and a contract that fails is an issue, not a stop.

/** Contracts read per query while a run walks its pack. */
const CHUNK = 200;

/** A document run's status. */
export type DocumentRunStatus = 'queued' | 'running' | 'done' | 'failed';

/** A document run as the API shows it. */
export type DocumentRunView = {
  id: string;
  period: string;
  org_unit_id: string | null;
  lang: Locale;
  status: DocumentRunStatus;
  total: number;
  done: number;
  created: number;
  skipped: number;
  failed: number;
  /** Contracts neither done nor failed. */
  to_do: number;
  percent: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

type RunRow = {
  id: bigint;
  period: string;
  org_unit_id: bigint | null;
  lang: string;
  status: string;
  total: number;
  done: number;
  created: number;
  skipped: number;
  failed: number;
  error: string | null;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
};

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** The API view of a document_run row. */
export function toDocumentRunView(r: RunRow): DocumentRunView {
  const handled = Math.min(r.total, r.done + r.failed);
  return {
    id: String(r.id),
    period: r.period,
    org_unit_id: r.org_unit_id === null ? null : String(r.org_unit_id),
    lang: r.lang as Locale,
    status: r.status as DocumentRunStatus,
    total: r.total,
    done: r.done,
    created: r.created,
    skipped: r.skipped,
    failed: r.failed,
    to_do: r.total - handled,
    percent: r.total === 0 ? (r.status === 'done' ? 100 : 0) : Math.floor((handled * 100) / r.total),
    error: r.error,
    created_at: iso(r.created_at) ?? '',
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
  };
}

/** The scope of a run: who it is for, what period, which unit, which language. */
export type DocumentRunScope = { tenantId: bigint; period: Period; orgUnitId: bigint | null; lang: Locale };

/** The latest run of this scope that did not finish (queued, running or failed), if any. */
export async function findUnfinishedDocumentRun(db: Kysely<DB>, s: DocumentRunScope): Promise<bigint | null> {
  const row = await db
    .selectFrom('document_run')
    .select('id')
    .where('tenant_id', '=', s.tenantId)
    .where('period', '=', s.period)
    .where('lang', '=', s.lang)
    .where((eb) =>
      s.orgUnitId === null ? eb('org_unit_id', 'is', null) : eb('org_unit_id', '=', s.orgUnitId),
    )
    .where('status', '<>', 'done')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Creates a document run (queued) for a closed period; an open one is refused (PERIOD_NOT_CLOSED). */
export async function createDocumentRun(db: Kysely<DB>, actor: Actor, s: DocumentRunScope): Promise<bigint> {
  return db.transaction().execute(async (trx) => {
    await assertPeriodClosed(trx, s.tenantId, s.period);
    const run = await trx
      .insertInto('document_run')
      .values({
        tenant_id: s.tenantId,
        org_unit_id: s.orgUnitId,
        period: s.period,
        lang: s.lang,
        created_by: actor.type === 'user' && actor.id ? BigInt(actor.id) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'document_run.create',
      entity: 'document_run',
      entityId: run.id,
      tenantId: s.tenantId,
      orgUnitPath: await orgPathOf(trx, s.orgUnitId),
      after: { period: s.period, org_unit_id: s.orgUnitId, lang: s.lang },
    });
    return run.id;
  });
}

/** Hooks for tests: a throw in `beforeContract` is that contract's failure, in `afterContract` a crash. */
export type RunHooks = {
  beforeContract?: (contractId: bigint) => void;
  afterContract?: (contractId: bigint) => void;
};

/**
 * Executes a document run: for each contract of the pack lacking a document, archives its invoice
 * and act exactly as the cabinet would (documents already archived are skipped), recording
 * progress per contract. A failing contract becomes an issue; anything else stops the run as
 * 'failed', and executing it again continues where it stopped.
 */
export async function executeDocumentRun(
  db: Kysely<DB>,
  actor: Actor,
  runId: bigint,
  hooks: RunHooks = {},
): Promise<DocumentRunView> {
  const run = await db.selectFrom('document_run').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!run) throw new AppError('DOCUMENT_RUN_NOT_FOUND', `No document run ${runId}`, { id: String(runId) });
  if (run.status === 'done') return toDocumentRunView(run);
  const period = parsePeriod(run.period);
  const orgPath = await orgPathOf(db, run.org_unit_id);
  const scope: PackScope = { tenantId: run.tenant_id, period, orgPath, lang: run.lang as Locale };
  try {
    await assertPeriodClosed(db, run.tenant_id, period);
    // `done` is read from the archive itself, so a crash between a contract's documents and its
    // counter loses nothing; a new pass retries failed contracts, so their issues start afresh.
    const size = await countPack(db, scope);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('document_run_issue').where('run_id', '=', runId).execute();
      await trx
        .updateTable('document_run')
        .set({
          status: 'running',
          started_at: run.started_at ?? sql<Date>`now()`,
          total: size.contracts,
          done: size.archived,
          failed: 0,
          error: null,
        })
        .where('id', '=', runId)
        .execute();
    });
    let after = 0n;
    for (;;) {
      const contracts = await nextContractsToSign(db, scope, after, CHUNK);
      if (contracts.length === 0) break;
      for (const contract of contracts) {
        after = contract.id;
        const result = await signContract(db, actor, scope, contract.id, hooks);
        await db.transaction().execute(async (trx) => {
          if (result.issue)
            await trx
              .insertInto('document_run_issue')
              .values({ run_id: runId, contract_id: contract.id, ...result.issue })
              .onConflict((oc) =>
                oc.columns(['run_id', 'contract_id']).doUpdateSet({
                  code: result.issue?.code ?? '',
                  message: result.issue?.message ?? null,
                }),
              )
              .execute();
          await trx
            .updateTable('document_run')
            .set((eb) => ({
              done: eb('done', '+', result.issue ? 0 : 1),
              failed: eb('failed', '+', result.issue ? 1 : 0),
              created: eb('created', '+', result.created),
              skipped: eb('skipped', '+', result.skipped),
            }))
            .where('id', '=', runId)
            .execute();
        });
        hooks.afterContract?.(contract.id);
      }
    }
  } catch (e) {
    await db
      .updateTable('document_run')
      .set({ status: 'failed', error: (e as Error).message, finished_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .execute();
    throw e;
  }
  return db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('document_run')
      .set({ status: 'done', finished_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'document_run.finish',
      entity: 'document_run',
      entityId: runId,
      tenantId: run.tenant_id,
      orgUnitPath: orgPath,
      after: { period, lang: run.lang, done: done.done, created: done.created, failed: done.failed },
    });
    return toDocumentRunView(done);
  });
}

type ContractResult = { created: number; skipped: number; issue: { code: string; message: string } | null };

/** Archives the contract's invoice and act of the period unless archived; a failure is its issue. */
async function signContract(
  db: Kysely<DB>,
  actor: Actor,
  scope: PackScope,
  contractId: bigint,
  hooks: RunHooks,
): Promise<ContractResult> {
  let created = 0;
  let skipped = 0;
  try {
    hooks.beforeContract?.(contractId);
    const have = await archivedKinds(db, scope, contractId);
    const input = { tenantId: scope.tenantId, contractId, lang: scope.lang, actor };
    if (have.has('invoice')) skipped++;
    else {
      await signedInvoice(db, { ...input, period: scope.period });
      created++;
    }
    if (have.has('act')) skipped++;
    else {
      await signedAct(db, { ...input, from: scope.period, to: scope.period });
      created++;
    }
    return { created, skipped, issue: null };
  } catch (e) {
    const code = isAppError(e) ? e.code : 'DOCUMENT_FAILED';
    return { created, skipped, issue: { code, message: (e as Error).message.slice(0, 500) } };
  }
}
