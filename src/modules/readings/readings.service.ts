import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { readingAdvance } from '../../domain/consumption.ts';
import { AppError } from '../../domain/errors.ts';
import { addDays, compareDates, type LocalDate, periodOf } from '../../domain/period.ts';
import { type Milli, milli } from '../../domain/quantity.ts';
import {
  HISTORY_DAYS,
  type VeeCode,
  type VeeInput,
  type VeeResult,
  validateReading,
} from '../../domain/vee.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { assertPeriodOpen } from '../billing/periods.ts';

/** A reading to record on one register. */
export type ReadingInput = {
  tenantId: bigint;
  registerId: bigint;
  readOn: LocalDate;
  value: Milli;
  source: 'cabinet' | 'inspector' | 'ami' | 'operator' | 'import';
  /** Today in Tashkent: a reading cannot be dated after it. */
  today: LocalDate;
  /** Accepted at once (trusted sources, signed confirmation) or left for confirmation. */
  accept: boolean;
  /**
   * Run VEE (R3.2, src/domain/vee.ts) on a reading left for confirmation: stored as `suspect` with
   * the rule's code when one fires, `submitted` otherwise. Ignored when `accept` is set.
   */
  vee?: boolean;
  /** A note kept with the reading (the reason of a correction). */
  note?: string | null;
};

/** Status of a recorded reading. */
export type RecordedStatus = 'accepted' | 'submitted' | 'suspect';

/**
 * The recorded reading, the register's advance since the previous accepted reading, its status
 * and the VEE code that made it suspect.
 */
export type RecordedReading = { id: bigint; advance: Milli; status: RecordedStatus; veeCode: VeeCode | null };

/**
 * Records a register reading after the checks of billing-rules §2: not in a closed period, not in
 * the future, within the register's digits, at most 2 decimals, and not below the previous
 * accepted reading (even of the same period) unless it is a rollover. A reading left for
 * confirmation with `vee` is then checked by VEE (R3.2) and stored `suspect` when a rule fires.
 * Audited with the register's org unit, in the caller's transaction.
 */
export async function recordReading(
  trx: Transaction<DB>,
  actor: Actor,
  r: ReadingInput,
): Promise<RecordedReading> {
  if (compareDates(r.readOn, r.today) > 0) {
    throw new AppError('READING_IN_FUTURE', `A reading cannot be dated after ${r.today}`, {
      readOn: r.readOn,
    });
  }
  const register = await trx
    .selectFrom('register as g')
    .innerJoin('meter as m', 'm.id', 'g.meter_id')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select([
      'g.id',
      'g.install_reading',
      'm.digits',
      'm.installed_on',
      'm.removed_on',
      'ou.path',
      'k.id as contract_id',
    ])
    .where('g.id', '=', r.registerId)
    .where('m.tenant_id', '=', r.tenantId)
    .forUpdate()
    .executeTakeFirst();
  if (!register)
    throw new AppError('NOT_FOUND', `Register ${r.registerId} not found`, { registerId: r.registerId });
  if (r.readOn < register.installed_on || (register.removed_on !== null && r.readOn > register.removed_on)) {
    throw new AppError('READING_OUTSIDE_METER_LIFE', 'The meter was not installed on that date', {
      readOn: r.readOn,
    });
  }
  await assertPeriodOpen(trx, r.tenantId, periodOf(r.readOn));
  // A bill run has already billed this account for the period: a reading dated in it now would
  // never be billed (the next period starts from it), so it is refused rather than lost.
  const billed = await trx
    .selectFrom('bill')
    .select('id')
    .where('contract_id', '=', register.contract_id)
    .where('period', '=', periodOf(r.readOn))
    .where('billed_at', 'is not', null)
    .executeTakeFirst();
  if (billed)
    throw new AppError('READING_PERIOD_BILLED', `The account is already billed for ${periodOf(r.readOn)}`, {
      period: periodOf(r.readOn),
    });

  const previous = await trx
    .selectFrom('reading')
    .select('value')
    .where('register_id', '=', r.registerId)
    .where('status', '=', 'accepted')
    .where('read_on', '<=', r.readOn)
    .orderBy('read_on', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const advance = readingAdvance({
    previous: milli(previous?.value ?? register.install_reading),
    value: r.value,
    digits: register.digits,
  });
  const vee =
    !r.accept && r.vee
      ? await validateStaffReading(trx, {
          registerId: r.registerId,
          reading: { readOn: r.readOn, value: r.value },
          register: {
            digits: register.digits,
            installedOn: register.installed_on as LocalDate,
            installReading: milli(register.install_reading),
          },
        })
      : null;
  const status: RecordedStatus = r.accept ? 'accepted' : vee?.code ? 'suspect' : 'submitted';
  const row = await trx
    .insertInto('reading')
    .values({
      tenant_id: r.tenantId,
      register_id: r.registerId,
      read_on: r.readOn,
      value: r.value,
      source: r.source,
      status,
      vee_code: vee?.code ?? null,
      note: r.note ?? null,
      entered_by: actor.type === 'user' && actor.id ? BigInt(actor.id) : null,
      confirmed_at: r.accept ? sql<Date>`now()` : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeAudit(trx, actor, {
    action: 'reading.create',
    entity: 'reading',
    entityId: row.id,
    tenantId: r.tenantId,
    orgUnitPath: register.path,
    after: {
      register_id: r.registerId,
      read_on: r.readOn,
      value: r.value,
      source: r.source,
      accepted: r.accept,
      status,
      vee_code: vee?.code ?? null,
      ...(r.note ? { note: r.note } : {}),
    },
  });
  return { id: row.id, advance, status, veeCode: vee?.code ?? null };
}

/** The most accepted readings VEE looks back on (a year of daily AMI readings fits). */
const VEE_HISTORY_LIMIT = 400;

/**
 * VEE of a reading about to be stored (R3.2): the register's accepted readings up to its date
 * over HISTORY_DAYS before the previous one (the same order recordReading takes the previous one
 * in), and whether the date already has a reading that is not rejected.
 */
async function validateStaffReading(
  trx: Transaction<DB>,
  input: { registerId: bigint } & Pick<VeeInput, 'reading' | 'register'>,
): Promise<VeeResult> {
  const accepted = () =>
    trx
      .selectFrom('reading')
      .select(['read_on', 'value'])
      .where('register_id', '=', input.registerId)
      .where('status', '=', 'accepted')
      .where('read_on', '<=', input.reading.readOn)
      .orderBy('read_on', 'desc')
      .orderBy('id', 'desc');
  const previous = await accepted().limit(1).executeTakeFirst();
  const history = previous
    ? await accepted()
        .where('read_on', '>=', addDays(previous.read_on as LocalDate, -HISTORY_DAYS))
        .limit(VEE_HISTORY_LIMIT)
        .execute()
    : [];
  const sameDay = await trx
    .selectFrom('reading')
    .select('id')
    .where('register_id', '=', input.registerId)
    .where('read_on', '=', input.reading.readOn)
    .where('status', '<>', 'rejected')
    .executeTakeFirst();
  return validateReading({
    ...input,
    history: history.reverse().map((h) => ({ readOn: h.read_on as LocalDate, value: milli(h.value) })),
    duplicate: sameDay !== undefined,
  });
}
