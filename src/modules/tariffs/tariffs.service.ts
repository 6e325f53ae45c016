import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { parseLocalDate } from '../../domain/period.ts';
import { price } from '../../domain/price.ts';
import { milli } from '../../domain/quantity.ts';
import { assertValidVersions, type TariffVersion } from '../../domain/tariff-pricing.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';

/** A tariff to create: code, commodity, unit and its versions. */
export type TariffInput = {
  tenantId: bigint;
  code: string;
  name: string;
  commodity: 'electricity' | 'heat';
  unit: 'kWh' | 'Gcal';
  versions: TariffVersion[];
};

/** Creates a tariff with its versions after checking them (billing-rules §7); audited. */
export async function createTariff(trx: Transaction<DB>, actor: Actor, input: TariffInput): Promise<bigint> {
  assertValidVersions(input.versions);
  const exists = await trx
    .selectFrom('tariff')
    .select('id')
    .where('tenant_id', '=', input.tenantId)
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (exists) throw new AppError('TARIFF_CODE_TAKEN', `Tariff ${input.code} exists`, { code: input.code });
  const { id } = await trx
    .insertInto('tariff')
    .values({
      tenant_id: input.tenantId,
      code: input.code,
      name: input.name,
      commodity: input.commodity,
      unit: input.unit,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const v of input.versions) await insertVersion(trx, id, v);
  await writeAudit(trx, actor, {
    action: 'tariff.create',
    entity: 'tariff',
    entityId: id,
    tenantId: input.tenantId,
    after: { code: input.code, commodity: input.commodity, unit: input.unit, versions: input.versions },
  });
  return id;
}

/** Adds a version to an existing tariff (a version for a closed period changes nothing there). */
export async function addTariffVersion(
  trx: Transaction<DB>,
  actor: Actor,
  tariffId: bigint,
  version: TariffVersion,
): Promise<void> {
  const existing = await loadVersions(trx, tariffId);
  assertValidVersions([...existing, version]);
  await insertVersion(trx, tariffId, version);
  await writeAudit(trx, actor, {
    action: 'tariff.version_add',
    entity: 'tariff',
    entityId: tariffId,
    after: version,
  });
}

async function insertVersion(trx: Transaction<DB>, tariffId: bigint, v: TariffVersion): Promise<void> {
  const p = v.pricing;
  const { id } = await trx
    .insertInto('tariff_version')
    .values({
      tariff_id: tariffId,
      valid_from: v.from,
      pricing: p.kind,
      price: p.kind === 'flat' ? p.price : null,
      reactive_price: v.reactivePrice,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (p.kind === 'zones') {
    const rows = Object.entries(p.zones).map(([obis, price]) => ({ tariff_version_id: id, obis, price }));
    if (rows.length === 0) throw new AppError('TARIFF_ZONE_MISSING', 'A zone tariff needs zone prices');
    await trx.insertInto('tariff_zone_price').values(rows).execute();
  }
  if (p.kind === 'blocks') {
    await trx
      .insertInto('tariff_block')
      .values(p.blocks.map((b, i) => ({ tariff_version_id: id, seq: i + 1, upto: b.upto, price: b.price })))
      .execute();
  }
}

/** The versions of a tariff, as the pricing rules take them. */
export async function loadVersions(trx: Transaction<DB>, tariffId: bigint): Promise<TariffVersion[]> {
  const versions = await trx
    .selectFrom('tariff_version')
    .selectAll()
    .where('tariff_id', '=', tariffId)
    .orderBy('valid_from')
    .execute();
  const ids = versions.map((v) => v.id);
  const zones = ids.length
    ? await trx.selectFrom('tariff_zone_price').selectAll().where('tariff_version_id', 'in', ids).execute()
    : [];
  const blocks = ids.length
    ? await trx
        .selectFrom('tariff_block')
        .selectAll()
        .where('tariff_version_id', 'in', ids)
        .orderBy('seq')
        .execute()
    : [];
  return versions.map((v): TariffVersion => {
    const from = parseLocalDate(v.valid_from);
    const reactivePrice = v.reactive_price === null ? null : price(v.reactive_price);
    switch (v.pricing) {
      case 'zones': {
        const own = zones.filter((z) => z.tariff_version_id === v.id);
        return {
          from,
          reactivePrice,
          pricing: { kind: 'zones', zones: Object.fromEntries(own.map((z) => [z.obis, price(z.price)])) },
        };
      }
      case 'blocks': {
        const own = blocks.filter((b) => b.tariff_version_id === v.id);
        const list = own.map((b) => ({
          upto: b.upto === null ? null : milli(b.upto),
          price: price(b.price),
        }));
        return { from, reactivePrice, pricing: { kind: 'blocks', blocks: list } };
      }
      default:
        if (v.price === null)
          throw new AppError('TARIFF_PRICE_MISSING', `Tariff version ${v.id} has no price`);
        return { from, reactivePrice, pricing: { kind: 'flat', price: price(v.price) } };
    }
  });
}
