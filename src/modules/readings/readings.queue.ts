import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type LocalDate, periodOf } from '../../domain/period.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import { assertPeriodOpen } from '../billing/periods.ts';
import { parseTypedReading } from './readings.entry.ts';
import { readingRowsByIds } from './readings.list.ts';
import type { ReadingRow, ReadingSource, ReadingStatus } from './readings.schemas.ts';
import { recordReading } from './readings.service.ts';

// The VEE queue (R3.2): an operator looks at a suspect or submitted reading and accepts it for
// confirmation, rejects it, or corrects it (the wrong one rejected, the right one recorded).
// Each action locks the reading, needs reading.write at its contract's org unit and an open
// period, and is audited with the state before and after.

/** A reading locked for an action, with its contract's org unit. */
type Locked = {
  id: bigint;
  read_on: string;
  register_id: bigint;
  value: bigint;
  source: string;
  status: string;
  vee_code: string | null;
  note: string | null;
  path: string;
};

async function lockReading(
  trx: Transaction<DB>,
  access: Access,
  id: bigint,
  allowed: readonly ReadingStatus[],
): Promise<Locked> {
  const row = await trx
    .selectFrom('reading as r')
    .innerJoin('register as g', 'g.id', 'r.register_id')
    .innerJoin('meter as m', 'm.id', 'g.meter_id')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select([
      'r.id',
      'r.read_on',
      'r.register_id',
      'r.value',
      'r.source',
      'r.status',
      'r.vee_code',
      'r.note',
      'ou.path',
    ])
    .where('r.id', '=', id)
    .where('r.tenant_id', '=', access.user.tenantId)
    .forUpdate('r')
    .executeTakeFirst();
  if (!row) throw new AppError('UNKNOWN_READING', `Reading ${id} not found`, { id: String(id) });
  access.assertAt('reading.write', row.path);
  if (!(allowed as readonly string[]).includes(row.status))
    throw new AppError('READING_STATUS_CONFLICT', `Reading ${id} is ${row.status}`, {
      status: row.status,
      allowed: allowed.join(', '),
    });
  await assertPeriodOpen(trx, access.user.tenantId, periodOf(row.read_on as LocalDate));
  return row;
}

const snapshot = (r: Pick<Locked, 'status' | 'vee_code' | 'note'>) => ({
  status: r.status,
  vee_code: r.vee_code,
  note: r.note,
});

async function rowOf(db: Kysely<DB>, tenantId: bigint, id: bigint): Promise<ReadingRow> {
  const [row] = await readingRowsByIds(db, tenantId, [id]);
  if (!row) throw new AppError('UNKNOWN_READING', `Reading ${id} not found`, { id: String(id) });
  return row;
}

/** A suspect reading the operator has checked goes on to confirmation (`submitted`), with an optional note. */
export async function acceptSuspectReading(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  input: { id: bigint; note?: string | undefined },
): Promise<ReadingRow> {
  await db.transaction().execute(async (trx) => {
    const before = await lockReading(trx, access, input.id, ['suspect']);
    const note = input.note || before.note;
    await trx
      .updateTable('reading')
      .set({ status: 'submitted', note })
      .where('id', '=', before.id)
      .where('read_on', '=', before.read_on)
      .execute();
    await writeAudit(trx, actor, {
      action: 'reading.accept',
      entity: 'reading',
      entityId: before.id,
      tenantId: access.user.tenantId,
      orgUnitPath: before.path,
      before: snapshot(before),
      after: snapshot({ ...before, status: 'submitted', note }),
    });
  });
  return rowOf(db, access.user.tenantId, input.id);
}

async function markRejected(trx: Transaction<DB>, before: Locked, reason: string): Promise<void> {
  await trx
    .updateTable('reading')
    .set({ status: 'rejected', note: reason })
    .where('id', '=', before.id)
    .where('read_on', '=', before.read_on)
    .execute();
}

async function auditRejection(
  trx: Transaction<DB>,
  actor: Actor,
  access: Access,
  input: { before: Locked; reason: string; correctedBy?: { id: bigint; value: bigint } },
): Promise<void> {
  const { before, reason, correctedBy } = input;
  await writeAudit(trx, actor, {
    action: correctedBy ? 'reading.correct' : 'reading.reject',
    entity: 'reading',
    entityId: before.id,
    tenantId: access.user.tenantId,
    orgUnitPath: before.path,
    before: snapshot(before),
    after: {
      ...snapshot({ ...before, status: 'rejected', note: reason }),
      ...(correctedBy ? { corrected_by: correctedBy.id, corrected_value: correctedBy.value } : {}),
    },
  });
}

/** Rejects a submitted or suspect reading with a reason: it is never billed. */
export async function rejectReading(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  input: { id: bigint; reason: string },
): Promise<ReadingRow> {
  await db.transaction().execute(async (trx) => {
    const before = await lockReading(trx, access, input.id, ['submitted', 'suspect']);
    await markRejected(trx, before, input.reason);
    await auditRejection(trx, actor, access, { before, reason: input.reason });
  });
  return rowOf(db, access.user.tenantId, input.id);
}

/**
 * Corrects a submitted or suspect reading: in one transaction the wrong one is rejected with the
 * reason and the right value is recorded for the same register and date, keeping the reading's
 * source (who read the meter), checked by recordReading and VEE like any new reading.
 */
export async function correctReading(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  input: { id: bigint; value: string; reason: string; today: LocalDate },
): Promise<{ rejected: ReadingRow; corrected: ReadingRow }> {
  const value = parseTypedReading(input.value);
  const correctedId = await db.transaction().execute(async (trx) => {
    const before = await lockReading(trx, access, input.id, ['submitted', 'suspect']);
    // Rejected first, so that the corrected reading is no duplicate of it.
    await markRejected(trx, before, input.reason);
    const recorded = await recordReading(trx, actor, {
      tenantId: access.user.tenantId,
      registerId: before.register_id,
      readOn: before.read_on as LocalDate,
      value,
      source: before.source as ReadingSource,
      today: input.today,
      accept: false,
      vee: true,
      note: input.reason,
    });
    await auditRejection(trx, actor, access, {
      before,
      reason: input.reason,
      correctedBy: { id: recorded.id, value },
    });
    return recorded.id;
  });
  return {
    rejected: await rowOf(db, access.user.tenantId, input.id),
    corrected: await rowOf(db, access.user.tenantId, correctedId),
  };
}
