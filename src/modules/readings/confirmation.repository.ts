import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { readingAdvance } from '../../domain/consumption.ts';
import { isAppError } from '../../domain/errors.ts';
import { firstDay, lastDay, type Period } from '../../domain/period.ts';
import { formatReading, milli } from '../../domain/quantity.ts';

// The SQL of the signed confirmation of readings (R3.4): the queue of submitted readings and the
// list of confirmations, both bounded by the caller's org units.

type Db = Kysely<DB> | Transaction<DB>;

/** The sort keys of the pending queue. */
export const PENDING_SORTS = ['readOn', 'contract', 'consumer', 'meter', 'value', 'enteredAt'] as const;
export type PendingSort = (typeof PENDING_SORTS)[number];

/** The filters of the pending queue. */
export type PendingFilter = {
  tenantId: bigint;
  /** Org-unit paths of `reading.confirm`. */
  scope: readonly string[];
  period?: Period | undefined;
  /** Only readings under this org unit (its path). */
  unitPath?: string | undefined;
  q?: string | undefined;
};

/** A reading waiting for confirmation, as the office table shows it. */
export type PendingReading = {
  id: string;
  readOn: string;
  value: string;
  previous: { readOn: string; value: string } | null;
  advance: string | null;
  source: string;
  contract: { id: string; number: string };
  consumer: string;
  orgUnit: string;
  meter: string;
  obis: string;
  enteredBy: string | null;
  enteredAt: string;
};

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The submitted readings matching the filter, with everything the table shows. */
function pendingQuery(db: Db, f: PendingFilter) {
  let q = db
    .selectFrom('reading as r')
    .innerJoin('register as g', 'g.id', 'r.register_id')
    .innerJoin('meter as m', 'm.id', 'g.meter_id')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .where('r.tenant_id', '=', f.tenantId)
    .where('r.status', '=', 'submitted')
    .where(inScope('ou.path', f.scope));
  if (f.period)
    q = q.where('r.read_on', '>=', firstDay(f.period)).where('r.read_on', '<=', lastDay(f.period));
  if (f.unitPath) q = q.where(inScope('ou.path', [f.unitPath]));
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    q = q.where((eb) =>
      eb.or([eb('k.number', 'ilike', like), eb('c.name', 'ilike', like), eb('m.serial', 'ilike', like)]),
    );
  }
  return q;
}

type PendingBase = ReturnType<typeof pendingQuery>;

const SORT_COLUMNS = {
  readOn: 'r.read_on',
  contract: 'k.number',
  consumer: 'c.name',
  meter: 'm.serial',
  value: 'r.value',
  enteredAt: 'r.entered_at',
} as const satisfies Record<PendingSort, string>;

/** How many submitted readings match the filter. */
export async function countPending(db: Db, f: PendingFilter): Promise<number> {
  const row = await pendingQuery(db, f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page (or, for exports, up to `limit` rows) of the pending queue. */
export async function listPending(
  db: Db,
  f: PendingFilter,
  page: { sort: PendingSort; dir: 'asc' | 'desc'; limit: number; offset: number },
): Promise<PendingReading[]> {
  const base: PendingBase = pendingQuery(db, f);
  const rows = await base
    .leftJoin('app_user as e', 'e.id', 'r.entered_by')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('reading as pr')
          .select(['pr.value as prev_value', 'pr.read_on as prev_read_on'])
          .whereRef('pr.register_id', '=', 'r.register_id')
          .where('pr.status', '=', 'accepted')
          .whereRef('pr.read_on', '<=', 'r.read_on')
          .orderBy('pr.read_on', 'desc')
          .orderBy('pr.id', 'desc')
          .limit(1)
          .as('prev'),
      (join) => join.onTrue(),
    )
    .select([
      'r.id',
      'r.read_on',
      'r.value',
      'r.source',
      'r.entered_at',
      'e.full_name as entered_by',
      'k.id as contract_id',
      'k.number',
      'c.name as consumer',
      'ou.name as org_unit',
      'm.serial',
      'm.digits',
      'g.obis',
      'g.install_reading',
      'prev.prev_value',
      'prev.prev_read_on',
    ])
    .orderBy(SORT_COLUMNS[page.sort], page.dir)
    .orderBy('r.id', page.dir)
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((r) => {
    let advance: string | null = null;
    try {
      advance = formatReading(
        readingAdvance({
          previous: milli(r.prev_value ?? r.install_reading),
          value: milli(r.value),
          digits: Number(r.digits),
        }),
      );
    } catch (e) {
      // Below the previous reading or beyond the dial: the table shows no advance.
      if (!isAppError(e)) throw e;
    }
    return {
      id: String(r.id),
      readOn: r.read_on,
      value: formatReading(milli(r.value)),
      previous:
        r.prev_value !== null && r.prev_read_on !== null
          ? { readOn: r.prev_read_on, value: formatReading(milli(r.prev_value)) }
          : null,
      advance,
      source: r.source,
      contract: { id: String(r.contract_id), number: r.number },
      consumer: r.consumer,
      orgUnit: r.org_unit,
      meter: r.serial,
      obis: r.obis,
      enteredBy: r.entered_by,
      enteredAt: r.entered_at.toISOString(),
    };
  });
}

/** The path of an org unit of the tenant, or undefined. */
export async function unitPathOf(db: Db, tenantId: bigint, unitId: bigint): Promise<string | undefined> {
  const row = await db
    .selectFrom('org_unit')
    .select('path')
    .where('id', '=', unitId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.path;
}

/** The readings a confirmation is prepared for, with what its document prints and their unit. */
export async function readingsForConfirmation(db: Db, tenantId: bigint, ids: readonly bigint[]) {
  return db
    .selectFrom('reading as r')
    .innerJoin('register as g', 'g.id', 'r.register_id')
    .innerJoin('meter as m', 'm.id', 'g.meter_id')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .leftJoin('app_user as e', 'e.id', 'r.entered_by')
    .select([
      'r.id',
      'r.read_on',
      'r.value',
      'r.status',
      'k.number as contract',
      'c.name as consumer',
      'm.serial as meter',
      'g.obis',
      'ou.path',
      'e.full_name as entered_by',
    ])
    .where('r.tenant_id', '=', tenantId)
    .where('r.id', 'in', [...ids])
    .execute();
}

/** The sort keys of the confirmations list. */
export const CONFIRMATION_SORTS = ['createdAt', 'readingCount', 'status'] as const;
export type ConfirmationSort = (typeof CONFIRMATION_SORTS)[number];

/** A confirmation in the list. */
export type ConfirmationListItem = {
  id: string;
  status: 'draft' | 'signed';
  createdAt: string;
  readingCount: number;
  preparedBy: string;
  orgUnit: string;
  signer: { commonName: string; serialNumber: string } | null;
  confirmedAt: string | null;
};

/**
 * The confirmations a user may see: their own, and those whose unit lies in `scope`
 * (`reading.read`), newest first unless sorted otherwise.
 */
function confirmationsQuery(
  db: Db,
  f: { tenantId: bigint; userId: bigint; scope: readonly string[]; status?: 'draft' | 'signed' | undefined },
) {
  let q = db
    .selectFrom('reading_confirmation as rc')
    .innerJoin('org_unit as ou', 'ou.id', 'rc.org_unit_id')
    .where('rc.tenant_id', '=', f.tenantId)
    .where((eb) => eb.or([eb('rc.user_id', '=', f.userId), inScope('ou.path', f.scope)]));
  if (f.status) q = q.where('rc.status', '=', f.status);
  return q;
}

/** A page of the confirmations list and the total. */
export async function listConfirmations(
  db: Db,
  f: { tenantId: bigint; userId: bigint; scope: readonly string[]; status?: 'draft' | 'signed' | undefined },
  page: { sort: ConfirmationSort; dir: 'asc' | 'desc'; limit: number; offset: number },
): Promise<{ items: ConfirmationListItem[]; total: number }> {
  const total = await confirmationsQuery(db, f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const column = {
    createdAt: 'rc.created_at',
    readingCount: 'rc.reading_count',
    status: 'rc.status',
  } as const;
  const rows = await confirmationsQuery(db, f)
    .select([
      'rc.id',
      'rc.status',
      'rc.created_at',
      'rc.reading_count',
      'rc.user_name',
      'ou.name as org_unit',
      'rc.signer_name',
      'rc.signer_serial',
      'rc.confirmed_at',
    ])
    .orderBy(column[page.sort], page.dir)
    .orderBy('rc.id', page.dir)
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total: Number(total.n),
    items: rows.map((r) => ({
      id: String(r.id),
      status: r.status === 'signed' ? 'signed' : 'draft',
      createdAt: r.created_at.toISOString(),
      readingCount: r.reading_count,
      preparedBy: r.user_name,
      orgUnit: r.org_unit,
      signer:
        r.signer_name !== null && r.signer_serial !== null
          ? { commonName: r.signer_name, serialNumber: r.signer_serial }
          : null,
      confirmedAt: r.confirmed_at?.toISOString() ?? null,
    })),
  };
}

/** Reserves the next confirmation id (the number printed on its document). */
export async function nextConfirmationId(db: Db): Promise<bigint> {
  const { rows } = await sql<{
    id: string;
  }>`select nextval(pg_get_serial_sequence('reading_confirmation', 'id'))::text as id`.execute(db);
  const id = rows[0]?.id;
  if (!id) throw new Error('no confirmation id');
  return BigInt(id);
}
