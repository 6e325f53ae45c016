import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { readingAdvance } from '../../domain/consumption.ts';
import { AppError } from '../../domain/errors.ts';
import { compareDates, type LocalDate, periodOf } from '../../domain/period.ts';
import { type Milli, milli } from '../../domain/quantity.ts';
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
};

/** The recorded reading and the register's advance since the previous accepted reading. */
export type RecordedReading = { id: bigint; advance: Milli };

/**
 * Records a register reading after the checks of billing-rules §2: not in a closed period, not in
 * the future, within the register's digits, at most 2 decimals, and not below the previous
 * accepted reading (even of the same period) unless it is a rollover. Audited with the register's
 * org unit, in the caller's transaction.
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
  const row = await trx
    .insertInto('reading')
    .values({
      tenant_id: r.tenantId,
      register_id: r.registerId,
      read_on: r.readOn,
      value: r.value,
      source: r.source,
      status: r.accept ? 'accepted' : 'submitted',
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
    },
  });
  return { id: row.id, advance };
}
