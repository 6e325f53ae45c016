import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import {
  firstDay,
  isFirstOfMonth,
  type LocalDate,
  type Period,
  parseLocalDate,
  periodOf,
} from '../../domain/period.ts';
import { formatPrice, type Price, parsePrice, price } from '../../domain/price.ts';
import { formatQuantity, milli, parseQuantity } from '../../domain/quantity.ts';
import { assertValidVersions, type Pricing, type TariffVersion } from '../../domain/tariff-pricing.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { assertRevision, type Db, openPeriodOf, uniqueOr } from './reference.shared.ts';
import type { TariffView, VersionInput, VersionView } from './tariffs.schemas.ts';

type Commodity = 'electricity' | 'heat';

/** A stored version with its id and who added it. */
type StoredVersion = TariffVersion & {
  id: bigint;
  createdAt: Date;
  createdBy: string | null;
};

/**
 * Turns the editor's input into a version of the pricing rules (billing-rules §7): prices as
 * exact 1/10000 so'm (INVALID_PRICE past 4 decimals), block limits as thousandths of a kWh.
 * Heat is priced flat per Gcal; zones and blocks are electricity forms.
 */
export function parseVersion(input: VersionInput, commodity: Commodity): TariffVersion {
  const from = parseLocalDate(input.validFrom);
  const invalid = (reason: string): never => {
    throw new AppError('TARIFF_PRICING_INVALID', `Invalid ${input.pricing} pricing: ${reason}`, { reason });
  };
  if (commodity === 'heat' && (input.pricing !== 'flat' || input.reactivePrice))
    throw new AppError('TARIFF_UNIT_MISMATCH', 'Heat is priced flat per Gcal, without a reactive price');
  let pricing: Pricing;
  switch (input.pricing) {
    case 'flat':
      if (input.price === undefined) invalid('price');
      if (input.zones?.length || input.blocks?.length) invalid('zones/blocks');
      pricing = { kind: 'flat', price: parsePrice(input.price) };
      break;
    case 'zones': {
      const zones = input.zones ?? [];
      if (zones.length === 0) invalid('zones');
      if (input.price !== undefined || input.blocks?.length) invalid('price/blocks');
      if (new Set(zones.map((z) => z.obis)).size !== zones.length) invalid('zones');
      pricing = { kind: 'zones', zones: Object.fromEntries(zones.map((z) => [z.obis, parsePrice(z.price)])) };
      break;
    }
    case 'blocks': {
      const blocks = input.blocks ?? [];
      if (blocks.length === 0) invalid('blocks');
      if (input.price !== undefined || input.zones?.length) invalid('price/zones');
      pricing = {
        kind: 'blocks',
        blocks: blocks.map((b) => ({
          upto: b.upto === null ? null : parseQuantity(b.upto),
          price: parsePrice(b.price),
        })),
      };
      break;
    }
  }
  const reactivePrice = input.reactivePrice ? parsePrice(input.reactivePrice) : null;
  return { from, pricing, reactivePrice };
}

/** A version as its data only (what audit rows keep as before and after). */
function versionData(v: TariffVersion) {
  const p = v.pricing;
  return {
    validFrom: v.from,
    pricing: p.kind,
    price: p.kind === 'flat' ? formatPrice(p.price) : null,
    zones:
      p.kind === 'zones'
        ? Object.entries(p.zones).map(([obis, pr]) => ({ obis, price: formatPrice(pr as Price) }))
        : [],
    blocks:
      p.kind === 'blocks'
        ? p.blocks.map((b) => ({
            upto: b.upto === null ? null : formatQuantity(b.upto),
            price: formatPrice(b.price),
          }))
        : [],
    reactivePrice: v.reactivePrice === null ? null : formatPrice(v.reactivePrice),
  };
}

async function storedVersions(db: Db, tariffId: bigint): Promise<StoredVersion[]> {
  const rows = await db
    .selectFrom('tariff_version as v')
    .leftJoin('app_user as u', 'u.id', 'v.created_by')
    .select(['v.id', 'v.valid_from', 'v.pricing', 'v.price', 'v.reactive_price', 'v.created_at'])
    .select('u.full_name')
    .where('v.tariff_id', '=', tariffId)
    .orderBy('v.valid_from')
    .execute();
  const ids = rows.map((r) => r.id);
  const zones = ids.length
    ? await db
        .selectFrom('tariff_zone_price')
        .selectAll()
        .where('tariff_version_id', 'in', ids)
        .orderBy('obis')
        .execute()
    : [];
  const blocks = ids.length
    ? await db
        .selectFrom('tariff_block')
        .selectAll()
        .where('tariff_version_id', 'in', ids)
        .orderBy('seq')
        .execute()
    : [];
  return rows.map((r) => {
    let pricing: Pricing;
    switch (r.pricing) {
      case 'zones':
        pricing = {
          kind: 'zones',
          zones: Object.fromEntries(
            zones.filter((z) => z.tariff_version_id === r.id).map((z) => [z.obis, price(z.price)]),
          ),
        };
        break;
      case 'blocks':
        pricing = {
          kind: 'blocks',
          blocks: blocks
            .filter((b) => b.tariff_version_id === r.id)
            .map((b) => ({ upto: b.upto === null ? null : milli(b.upto), price: price(b.price) })),
        };
        break;
      default:
        pricing = { kind: 'flat', price: price(r.price ?? 0n) };
    }
    return {
      id: r.id,
      from: parseLocalDate(r.valid_from),
      pricing,
      reactivePrice: r.reactive_price === null ? null : price(r.reactive_price),
      createdAt: r.created_at,
      createdBy: r.full_name ?? null,
    };
  });
}

/**
 * The periods from `since` on whose bills priced energy of this tariff: a bill line (or, for a
 * recalculation, the period it recalculates) of a contract whose terms in that period name the
 * tariff, as the bill engine picks them (the latest contract version starting by the period's end).
 */
async function billedPeriods(db: Db, tenantId: bigint, tariffId: bigint, since: Period): Promise<Period[]> {
  const rows = await sql<{ period: string }>`
    select distinct x.period
      from (select coalesce(l.for_period, b.period) as period, b.contract_id
              from bill b
              join bill_line l on l.bill_id = b.id
             where b.tenant_id = ${tenantId}
               and l.kind in ('energy', 'overconsumption', 'reactive', 'recalculation')
               and coalesce(l.for_period, b.period) >= ${since}) x
     where (select cv.tariff_id from contract_version cv
             where cv.contract_id = x.contract_id
               and cv.valid_from < to_date(x.period || '-01', 'YYYY-MM-DD') + interval '1 month'
             order by cv.valid_from desc limit 1) = ${tariffId}
     order by x.period`.execute(db);
  return rows.rows.map((r) => r.period as Period);
}

/** The first period in [from, to) that bills used, if any (`to` null = open-ended). */
function firstBilledIn(billed: readonly Period[], from: LocalDate, to: LocalDate | null): Period | undefined {
  return billed.find((p) => firstDay(p) >= from && (to === null || firstDay(p) < to));
}

/** Views of a tariff's versions with what may be done to each. */
function versionViews(
  versions: readonly StoredVersion[],
  open: Period,
  billed: readonly Period[],
): VersionView[] {
  const openStart = firstDay(open);
  let current: bigint | null = null;
  for (const v of versions) if (v.from <= openStart) current = v.id;
  return versions.map((v, i) => {
    const next = versions[i + 1]?.from ?? null;
    const state =
      v.from < openStart
        ? 'closed'
        : firstBilledIn(billed, v.from, next) !== undefined
          ? 'billed'
          : 'editable';
    return {
      id: String(v.id),
      ...versionData(v),
      current: v.id === current,
      state,
      createdAt: v.createdAt.toISOString(),
      createdBy: v.createdBy,
    };
  });
}

async function lockTariff(trx: Transaction<DB>, tenantId: bigint, id: bigint) {
  const row = await trx
    .selectFrom('tariff')
    .selectAll()
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError('REFERENCE_NOT_FOUND', `No tariff ${id}`);
  return row;
}

/** The supplier's tariffs with how many versions each has and which is in force in the open period. */
export async function listTariffs(db: Db, tenantId: bigint, today: LocalDate): Promise<TariffView[]> {
  const open = firstDay(await openPeriodOf(db, tenantId, today));
  const rows = await db
    .selectFrom('tariff as t')
    .leftJoin('tariff_version as v', 'v.tariff_id', 't.id')
    .select(['t.id', 't.code', 't.name', 't.commodity', 't.unit', 't.active', 't.revision'])
    .select((eb) => [
      eb.fn.count<string>('v.id').as('n'),
      eb.fn.max('v.valid_from').as('latest'),
      sql<string | null>`max(v.valid_from) filter (where v.valid_from <= ${open})`.as('current'),
    ])
    .where('t.tenant_id', '=', tenantId)
    .groupBy('t.id')
    .orderBy('t.code')
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    code: r.code,
    name: r.name,
    commodity: r.commodity as Commodity,
    unit: r.unit as 'kWh' | 'Gcal',
    active: r.active,
    revision: r.revision,
    versionCount: Number(r.n),
    currentFrom: r.current ? String(r.current).slice(0, 10) : null,
    latestFrom: r.latest ? String(r.latest).slice(0, 10) : null,
  }));
}

/** One tariff with its versions, the open period, and what may be changed. */
export async function tariffDetail(db: Db, tenantId: bigint, id: bigint, today: LocalDate) {
  const tariff = (await listTariffs(db, tenantId, today)).find((t) => t.id === String(id));
  if (!tariff) throw new AppError('REFERENCE_NOT_FOUND', `No tariff ${id}`);
  const open = await openPeriodOf(db, tenantId, today);
  const versions = await storedVersions(db, id);
  const billed = await billedPeriods(db, tenantId, id, open);
  return { tariff, openPeriod: open, versions: versionViews(versions, open, billed) };
}

/**
 * Checks that replacing the versions `before` by `after` changes no price a bill used and none
 * of a closed period: every period from the earliest start that differs up to the next start
 * both share may be priced differently, so it must be open and unbilled.
 */
async function assertChangeAllowed(
  trx: Transaction<DB>,
  tenantId: bigint,
  tariffId: bigint,
  changed: { starts: LocalDate[]; others: readonly StoredVersion[]; today: LocalDate },
): Promise<void> {
  const open = await openPeriodOf(trx, tenantId, changed.today);
  const sorted = [...changed.starts].sort();
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  if (lo === undefined || hi === undefined) return;
  if (lo < firstDay(open))
    throw new AppError('TARIFF_VERSION_IN_CLOSED_PERIOD', `Version from ${lo} reaches before ${open}`, {
      period: periodOf(lo),
      open,
    });
  const until = changed.others.find((v) => v.from > hi)?.from ?? null;
  const used = firstBilledIn(await billedPeriods(trx, tenantId, tariffId, open), lo, until);
  if (used !== undefined)
    throw new AppError('TARIFF_VERSION_USED', `Bills of ${used} priced with this tariff`, { period: used });
}

function assertFirstOfMonth(from: LocalDate): void {
  if (!isFirstOfMonth(from))
    throw new AppError('TARIFF_VERSION_NOT_FIRST', `A tariff version starts on the 1st, not ${from}`, {
      from,
    });
}

async function insertVersion(
  trx: Transaction<DB>,
  tariffId: bigint,
  v: TariffVersion,
  createdBy: bigint | null,
): Promise<bigint> {
  const p = v.pricing;
  const { id } = await trx
    .insertInto('tariff_version')
    .values({
      tariff_id: tariffId,
      valid_from: v.from,
      pricing: p.kind,
      price: p.kind === 'flat' ? p.price : null,
      reactive_price: v.reactivePrice,
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertParts(trx, id, p);
  return id;
}

async function insertParts(trx: Transaction<DB>, id: bigint, p: Pricing): Promise<void> {
  if (p.kind === 'zones') {
    await trx
      .insertInto('tariff_zone_price')
      .values(
        Object.entries(p.zones).map(([obis, pr]) => ({ tariff_version_id: id, obis, price: pr as Price })),
      )
      .execute();
  }
  if (p.kind === 'blocks') {
    await trx
      .insertInto('tariff_block')
      .values(p.blocks.map((b, i) => ({ tariff_version_id: id, seq: i + 1, upto: b.upto, price: b.price })))
      .execute();
  }
}

function actorUserId(actor: Actor): bigint | null {
  return actor.type === 'user' && actor.id ? BigInt(actor.id) : null;
}

/** What a version change needs: the supplier, the tariff, the day it happens. */
type VersionChange = { tenantId: bigint; tariffId: bigint; today: LocalDate };

/** Adds a version from an open or future month that no bill has used yet; audited. */
export async function addVersion(
  trx: Transaction<DB>,
  actor: Actor,
  change: VersionChange & { input: VersionInput },
): Promise<bigint> {
  const tariff = await lockTariff(trx, change.tenantId, change.tariffId);
  const version = parseVersion(change.input, tariff.commodity as Commodity);
  assertFirstOfMonth(version.from);
  const existing = await storedVersions(trx, tariff.id);
  assertValidVersions([...existing, version]);
  await assertChangeAllowed(trx, change.tenantId, tariff.id, {
    starts: [version.from],
    others: existing,
    today: change.today,
  });
  const id = await insertVersion(trx, tariff.id, version, actorUserId(actor));
  await writeAudit(trx, actor, {
    action: 'tariff.version_add',
    entity: 'tariff',
    entityId: tariff.id,
    tenantId: change.tenantId,
    after: { code: tariff.code, versionId: String(id), ...versionData(version) },
  });
  return id;
}

function findVersion(existing: readonly StoredVersion[], versionId: bigint): StoredVersion {
  const found = existing.find((v) => v.id === versionId);
  if (!found) throw new AppError('REFERENCE_NOT_FOUND', `No tariff version ${versionId}`);
  return found;
}

/** Replaces a version's start and prices while it is open and unused; audited with before and after. */
export async function changeVersion(
  trx: Transaction<DB>,
  actor: Actor,
  change: VersionChange & { versionId: bigint; input: VersionInput },
): Promise<void> {
  const tariff = await lockTariff(trx, change.tenantId, change.tariffId);
  const version = parseVersion(change.input, tariff.commodity as Commodity);
  assertFirstOfMonth(version.from);
  const existing = await storedVersions(trx, tariff.id);
  const old = findVersion(existing, change.versionId);
  const others = existing.filter((v) => v.id !== old.id);
  assertValidVersions([...others, version]);
  await assertChangeAllowed(trx, change.tenantId, tariff.id, {
    starts: [old.from, version.from],
    others,
    today: change.today,
  });
  const p = version.pricing;
  await trx.deleteFrom('tariff_zone_price').where('tariff_version_id', '=', old.id).execute();
  await trx.deleteFrom('tariff_block').where('tariff_version_id', '=', old.id).execute();
  await trx
    .updateTable('tariff_version')
    .set({
      valid_from: version.from,
      pricing: p.kind,
      price: p.kind === 'flat' ? p.price : null,
      reactive_price: version.reactivePrice,
    })
    .where('id', '=', old.id)
    .execute();
  await insertParts(trx, old.id, p);
  await writeAudit(trx, actor, {
    action: 'tariff.version_change',
    entity: 'tariff',
    entityId: tariff.id,
    tenantId: change.tenantId,
    before: { code: tariff.code, versionId: String(old.id), ...versionData(old) },
    after: { code: tariff.code, versionId: String(old.id), ...versionData(version) },
  });
}

/** Removes an open, unused version that is not the tariff's first; audited. */
export async function removeVersion(
  trx: Transaction<DB>,
  actor: Actor,
  change: VersionChange & { versionId: bigint },
): Promise<void> {
  const tariff = await lockTariff(trx, change.tenantId, change.tariffId);
  const existing = await storedVersions(trx, tariff.id);
  const old = findVersion(existing, change.versionId);
  if (existing[0]?.id === old.id)
    throw new AppError('TARIFF_FIRST_VERSION', 'The first version of a tariff cannot be removed');
  await assertChangeAllowed(trx, change.tenantId, tariff.id, {
    starts: [old.from],
    others: existing.filter((v) => v.id !== old.id),
    today: change.today,
  });
  await trx.deleteFrom('tariff_version').where('id', '=', old.id).execute();
  await writeAudit(trx, actor, {
    action: 'tariff.version_remove',
    entity: 'tariff',
    entityId: tariff.id,
    tenantId: change.tenantId,
    before: { code: tariff.code, versionId: String(old.id), ...versionData(old) },
  });
}

/** Creates a tariff with its first version (from an open or future month); audited. */
export async function createTariff(
  trx: Transaction<DB>,
  actor: Actor,
  input: {
    tenantId: bigint;
    code: string;
    name: string;
    commodity: Commodity;
    version: VersionInput;
    today: LocalDate;
  },
): Promise<bigint> {
  const version = parseVersion(input.version, input.commodity);
  assertFirstOfMonth(version.from);
  const open = await openPeriodOf(trx, input.tenantId, input.today);
  if (version.from < firstDay(open))
    throw new AppError(
      'TARIFF_VERSION_IN_CLOSED_PERIOD',
      `Version from ${version.from} reaches before ${open}`,
      {
        period: periodOf(version.from),
        open,
      },
    );
  const taken = await trx
    .selectFrom('tariff')
    .select('id')
    .where('tenant_id', '=', input.tenantId)
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (taken) throw new AppError('REFERENCE_CODE_TAKEN', `Tariff ${input.code} exists`, { code: input.code });
  const { id } = await uniqueOr(input.code, () =>
    trx
      .insertInto('tariff')
      .values({
        tenant_id: input.tenantId,
        code: input.code,
        name: input.name,
        commodity: input.commodity,
        unit: input.commodity === 'heat' ? 'Gcal' : 'kWh',
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  await insertVersion(trx, id, version, actorUserId(actor));
  await writeAudit(trx, actor, {
    action: 'tariff.create',
    entity: 'tariff',
    entityId: id,
    tenantId: input.tenantId,
    after: { code: input.code, name: input.name, commodity: input.commodity, version: versionData(version) },
  });
  return id;
}

/** Renames or (de)activates a tariff at the editor's revision; audited. */
export async function patchTariff(
  trx: Transaction<DB>,
  actor: Actor,
  input: {
    tenantId: bigint;
    id: bigint;
    revision: number;
    name?: string | undefined;
    active?: boolean | undefined;
  },
): Promise<void> {
  const row = await lockTariff(trx, input.tenantId, input.id);
  assertRevision(row.revision, input.revision);
  if (input.name === undefined && input.active === undefined)
    throw new AppError('REFERENCE_NOTHING_TO_CHANGE', 'Nothing to change');
  const after = { name: input.name ?? row.name, active: input.active ?? row.active };
  await trx
    .updateTable('tariff')
    .set({ ...after, revision: row.revision + 1 })
    .where('id', '=', row.id)
    .execute();
  await writeAudit(trx, actor, {
    action: 'tariff.change',
    entity: 'tariff',
    entityId: row.id,
    tenantId: input.tenantId,
    before: { code: row.code, name: row.name, active: row.active, revision: row.revision },
    after: { code: row.code, ...after, revision: row.revision + 1 },
  });
}
