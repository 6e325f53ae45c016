import { type Kysely, sql, type Transaction } from 'kysely';
import { pgArray } from '../../db/arrays.ts';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import type { LocalDate } from '../../domain/period.ts';
import { parseReading } from '../../domain/quantity.ts';
import type { Actor } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import { readingRowsByIds, readingText } from './readings.list.ts';
import type { ReadingRow, ReadingSource, ReadingStatus } from './readings.schemas.ts';
import { recordReading } from './readings.service.ts';

// Staff reading entry (R3.1): find a meter in service by contract number or serial, then record a
// reading of one of its registers. Staff readings are not billable at once: they wait for the
// signed confirmation (R3.4) as `submitted`, or in the VEE queue as `suspect` (R3.2).

type Db = Kysely<DB> | Transaction<DB>;

/** How many meters a search answers. */
export const SEARCH_LIMIT = 20;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Meters in service of the caller's org units (reading.read) whose contract number or serial
 * starts with `q`, each register with its last accepted reading and the newest one still waiting.
 */
export async function searchRegisters(db: Db, access: Access, q: string) {
  const prefix = `${escapeLike(q.trim())}%`;
  const meters = await db
    .selectFrom('meter as m')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select([
      'm.id',
      'm.serial',
      'm.digits',
      'm.multiplier',
      'k.id as contract_id',
      'k.number',
      'c.name as consumer_name',
      'ou.id as org_unit_id',
      'ou.name as org_unit_name',
    ])
    .where('m.tenant_id', '=', access.user.tenantId)
    .where('m.removed_on', 'is', null)
    .where(inScope('ou.path', access.scope('reading.read')))
    .where((eb) => eb.or([eb('k.number', 'like', prefix), eb('m.serial', 'ilike', prefix)]))
    .orderBy('k.number')
    .orderBy('m.serial')
    .limit(SEARCH_LIMIT)
    .execute();
  if (meters.length === 0) return [];
  const registers = await db
    .selectFrom('register')
    .select(['id', 'meter_id', 'obis'])
    .where(
      'meter_id',
      'in',
      meters.map((m) => m.id),
    )
    .orderBy('obis')
    .execute();
  const ids = pgArray(registers.map((g) => g.id));
  const last = await sql<{ register_id: bigint; read_on: string; value: bigint }>`
    select distinct on (register_id) register_id, read_on, value
      from reading
     where register_id = any(${ids}::bigint[]) and status = 'accepted'
     order by register_id, read_on desc, id desc`.execute(db);
  const pending = await sql<{
    id: bigint;
    register_id: bigint;
    read_on: string;
    value: bigint;
    status: string;
  }>`
    select distinct on (register_id) id, register_id, read_on, value, status
      from reading
     where register_id = any(${ids}::bigint[]) and status in ('submitted', 'suspect')
     order by register_id, read_on desc, id desc`.execute(db);
  return meters.map((m) => ({
    meterId: String(m.id),
    serial: m.serial,
    digits: Number(m.digits),
    multiplier: String(m.multiplier),
    contract: { id: String(m.contract_id), number: m.number },
    consumerName: m.consumer_name,
    orgUnit: { id: String(m.org_unit_id), name: m.org_unit_name },
    registers: registers
      .filter((g) => g.meter_id === m.id)
      .map((g) => {
        const l = last.rows.find((x) => x.register_id === g.id);
        const p = pending.rows.find((x) => x.register_id === g.id);
        return {
          registerId: String(g.id),
          obis: g.obis,
          last: l ? { readOn: l.read_on, value: readingText(l.value) } : null,
          pending: p
            ? {
                id: String(p.id),
                readOn: p.read_on,
                value: readingText(p.value),
                status: p.status as ReadingStatus,
              }
            : null,
        };
      }),
  }));
}

/**
 * The source of a reading `access` enters at the unit `path`: `inspector` (a control reading)
 * when every grant that lets the user write readings there is an inspector's, `operator` otherwise.
 */
export function staffSource(access: Access, path: string): Extract<ReadingSource, 'operator' | 'inspector'> {
  const grants = access.grants.filter(
    (g) => g.permissions.has('reading.write') && path.startsWith(g.orgUnitPath),
  );
  return grants.length > 0 && grants.every((g) => g.role === 'inspector') ? 'inspector' : 'operator';
}

/** The org-unit path of a register of the tenant, or UNKNOWN_REGISTER. */
export async function registerPath(db: Db, tenantId: bigint, registerId: bigint): Promise<string> {
  const row = await db
    .selectFrom('register as g')
    .innerJoin('meter as m', 'm.id', 'g.meter_id')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select('ou.path')
    .where('g.id', '=', registerId)
    .where('m.tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!row)
    throw new AppError('UNKNOWN_REGISTER', `Register ${registerId} not found`, {
      registerId: String(registerId),
    });
  return row.path;
}

/** Parses a reading as staff and consumers type it: XXXXXX,XX or with a dot; spaces between digit groups allowed. */
export function parseTypedReading(value: string) {
  const compact = value.replace(/[\s\u00a0]/g, '');
  try {
    return parseReading(compact, { allowComma: true });
  } catch (e) {
    // Name the value as typed, not as compacted.
    if (isAppError(e, 'INVALID_READING')) throw new AppError(e.code, e.message, { ...e.details, value });
    throw e;
  }
}

/**
 * Records a reading typed by staff (R3.1): in the caller's scope for reading.write, checked by
 * recordReading, then VEE (R3.2): `submitted` or `suspect` with its code. Audited.
 */
export async function enterReading(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  input: { registerId: bigint; readOn: LocalDate; value: string; today: LocalDate },
): Promise<ReadingRow> {
  const tenantId = access.user.tenantId;
  const path = await registerPath(db, tenantId, input.registerId);
  access.assertAt('reading.write', path);
  const value = parseTypedReading(input.value);
  const id = await db.transaction().execute(async (trx) => {
    const recorded = await recordReading(trx, actor, {
      tenantId,
      registerId: input.registerId,
      readOn: input.readOn,
      value,
      source: staffSource(access, path),
      today: input.today,
      accept: false,
      vee: true,
    });
    return recorded.id;
  });
  const [row] = await readingRowsByIds(db, tenantId, [id]);
  if (!row) throw new AppError('NOT_FOUND', 'The reading vanished');
  return row;
}
