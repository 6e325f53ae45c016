import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { LocalDate, Period } from '../../domain/period.ts';
import type { Milli } from '../../domain/quantity.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import type { Permission } from '../auth/permissions.ts';
import { loadVersions } from '../tariffs/tariffs.service.ts';

/** A meter to install with its registers' installation readings. */
export type MeterInput = {
  serial: string;
  digits: number;
  multiplier: bigint;
  installedOn: LocalDate;
  registers: { obis: string; installReading: Milli }[];
};

/** A consumer with one contract (the billing account), its terms and its meters. */
export type AccountInput = {
  tenantId: bigint;
  orgUnitId: bigint;
  number: string;
  name: string;
  kind: 'legal' | 'entrepreneur' | 'household';
  inn: string | null;
  commodity: 'electricity' | 'heat';
  tariffId: bigint;
  startDate: LocalDate;
  specialSupply: boolean;
  defaultVolume: Milli | null;
  volumes: { period: Period; volume: Milli }[];
  estimation: 'contract' | 'average_daily';
  tanPhiNorm: string | null;
  meters: MeterInput[];
};

/** Ids of what createAccount made. */
export type CreatedAccount = { consumerId: bigint; contractId: bigint; meterIds: bigint[] };

/**
 * Creates a consumer, its contract with terms and volumes, a metering point and the meters with
 * their registers; audited. A block tariff cannot have a contract volume (billing-rules §5).
 */
export async function createAccount(
  trx: Transaction<DB>,
  actor: Actor,
  a: AccountInput,
): Promise<CreatedAccount> {
  const versions = await loadVersions(trx, a.tariffId);
  const hasVolume = (a.defaultVolume ?? 0n) > 0n || a.volumes.some((v) => v.volume > 0n);
  if (hasVolume && versions.some((v) => v.pricing.kind === 'blocks')) {
    throw new AppError(
      'BLOCK_TARIFF_WITH_VOLUME',
      `Account ${a.number}: a block tariff cannot have a contract volume`,
      {
        account: a.number,
      },
    );
  }
  const taken = await trx
    .selectFrom('contract')
    .select('id')
    .where('tenant_id', '=', a.tenantId)
    .where('number', '=', a.number)
    .executeTakeFirst();
  if (taken)
    throw new AppError('CONTRACT_NUMBER_TAKEN', `Contract ${a.number} exists`, { account: a.number });

  const consumer = await trx
    .insertInto('consumer')
    .values({ tenant_id: a.tenantId, org_unit_id: a.orgUnitId, kind: a.kind, name: a.name, inn: a.inn })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contract = await trx
    .insertInto('contract')
    .values({
      tenant_id: a.tenantId,
      consumer_id: consumer.id,
      org_unit_id: a.orgUnitId,
      number: a.number,
      commodity: a.commodity,
      start_date: a.startDate,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('contract_version')
    .values({
      contract_id: contract.id,
      valid_from: a.startDate,
      tariff_id: a.tariffId,
      default_volume: a.defaultVolume,
      special_supply: a.specialSupply,
      estimation: a.estimation,
      tan_phi_norm: a.tanPhiNorm,
      created_by: actor.type === 'user' && actor.id ? BigInt(actor.id) : null,
    })
    .execute();
  if (a.volumes.length > 0) {
    await trx
      .insertInto('contract_volume')
      .values(a.volumes.map((v) => ({ contract_id: contract.id, period: v.period, volume: v.volume })))
      .execute();
  }
  const point = await trx
    .insertInto('metering_point')
    .values({ tenant_id: a.tenantId, contract_id: contract.id, code: `${a.number}-1` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const meterIds: bigint[] = [];
  for (const m of a.meters) {
    const meter = await trx
      .insertInto('meter')
      .values({
        tenant_id: a.tenantId,
        metering_point_id: point.id,
        serial: m.serial,
        digits: m.digits,
        multiplier: m.multiplier,
        installed_on: m.installedOn,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    meterIds.push(meter.id);
    if (m.registers.length > 0) {
      await trx
        .insertInto('register')
        .values(
          m.registers.map((r) => ({ meter_id: meter.id, obis: r.obis, install_reading: r.installReading })),
        )
        .execute();
    }
  }
  const unit = await trx
    .selectFrom('org_unit')
    .select('path')
    .where('id', '=', a.orgUnitId)
    .executeTakeFirstOrThrow();
  await writeAudit(trx, actor, {
    action: 'contract.create',
    entity: 'contract',
    entityId: contract.id,
    tenantId: a.tenantId,
    orgUnitPath: unit.path,
    after: { ...a, tenantId: undefined },
  });
  return { consumerId: consumer.id, contractId: contract.id, meterIds };
}

/** The contract's terms in force on a date: the latest version starting on or before it. */
export async function termsInForce(trx: Transaction<DB>, contractId: bigint, on: LocalDate) {
  return trx
    .selectFrom('contract_version')
    .selectAll()
    .where('contract_id', '=', contractId)
    .where('valid_from', '<=', on)
    .orderBy('valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The contract `contractId` of the caller's supplier when `permission` holds at its org unit;
 * otherwise UNKNOWN_ACCOUNT, so that staff cannot even learn that accounts outside their scope exist.
 */
export async function contractInScope(
  db: Kysely<DB>,
  access: Access,
  contractId: string,
  permission: Permission,
): Promise<{ id: bigint; number: string; path: string }> {
  const contract = await db
    .selectFrom('contract as k')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['k.id', 'k.number', 'ou.path'])
    .where('k.id', '=', BigInt(contractId))
    .where('k.tenant_id', '=', access.user.tenantId)
    .executeTakeFirst();
  if (!contract || !access.canAt(permission, contract.path))
    throw new AppError('UNKNOWN_ACCOUNT', `Unknown account ${contractId}`, { account: contractId });
  return contract;
}

/** A metering point of a contract with its meters in service and their registers. */
export type MeteringPoint = {
  code: string;
  name: string | null;
  address: string | null;
  meters: {
    serial: string;
    type: string | null;
    digits: number;
    multiplier: string;
    installedOn: string;
    registers: string[];
  }[];
};

/** The contract's metering points with the meters in service, ordered by point and serial. */
export async function meteringPointsOf(db: Kysely<DB>, contractId: bigint): Promise<MeteringPoint[]> {
  const meters = await db
    .selectFrom('metering_point as p')
    .innerJoin('meter as m', 'm.metering_point_id', 'p.id')
    .leftJoin('meter_type as t', 't.id', 'm.meter_type_id')
    .select(['p.code', 'p.name as point_name', 'p.address', 'm.id', 'm.serial', 't.name as type'])
    .select(['m.digits', 'm.multiplier', 'm.installed_on'])
    .where('p.contract_id', '=', contractId)
    .where('m.removed_on', 'is', null)
    .orderBy('p.code')
    .orderBy('m.serial')
    .execute();
  const registers = await db
    .selectFrom('register')
    .select(['meter_id', 'obis'])
    .where('meter_id', 'in', meters.length > 0 ? meters.map((m) => m.id) : [0n])
    .orderBy('obis')
    .execute();
  const points = new Map<string, MeteringPoint>();
  for (const m of meters) {
    const point = points.get(m.code) ?? { code: m.code, name: m.point_name, address: m.address, meters: [] };
    point.meters.push({
      serial: m.serial,
      type: m.type,
      digits: Number(m.digits),
      multiplier: String(m.multiplier),
      installedOn: m.installed_on,
      registers: registers.filter((g) => g.meter_id === m.id).map((g) => g.obis),
    });
    points.set(m.code, point);
  }
  return [...points.values()];
}
