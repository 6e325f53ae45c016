import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { periodInTashkent, todayInTashkent } from '../../domain/period.ts';
import type { Access } from '../auth/access.ts';
import { settlementsOf } from '../documents/documents.service.ts';
import { lastBills, lastPayments, lastReadings, metersOf, money, quantity } from './account-parts.ts';
import type { ZConsumerCard } from './consumers.schemas.ts';

type Card = z.infer<typeof ZConsumerCard>;

/**
 * The consumer card (R2.1–R2.3): requisites, contracts with their terms and history, volumes,
 * metering points, meters and registers with the last accepted reading, and per contract the
 * balance now (as the cabinet and the payment channels compute it) with the last bills and
 * payments. UNKNOWN_CONSUMER when the supplier has no such consumer; ORG_UNIT_OUT_OF_SCOPE when
 * it lies outside the caller's `consumer.read` scope.
 */
export async function consumerCard(
  db: Kysely<DB>,
  access: Access,
  id: string,
  now: Date = new Date(),
): Promise<Card> {
  const c = await db
    .selectFrom('consumer as c')
    .innerJoin('org_unit as ou', 'ou.id', 'c.org_unit_id')
    .leftJoin('consumer_category as cc', 'cc.id', 'c.category_id')
    .selectAll('c')
    .select(['ou.name as org_unit_name', 'ou.path', 'cc.code as category_code', 'cc.name as category_name'])
    .where('c.id', '=', BigInt(id))
    .where('c.tenant_id', '=', access.user.tenantId)
    .executeTakeFirst();
  if (!c) throw new AppError('UNKNOWN_CONSUMER', `Unknown consumer ${id}`, { id });
  access.assertAt('consumer.read', c.path);

  const contracts = await db
    .selectFrom('contract as k')
    .innerJoin('tenant as t', 't.id', 'k.tenant_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['k.id', 'k.number', 'k.commodity', 'k.start_date', 'k.end_date', 'k.status'])
    .select([
      't.code as supplier_code',
      't.name as supplier_name',
      'ou.id as unit_id',
      'ou.name as unit_name',
    ])
    .where('k.consumer_id', '=', c.id)
    .orderBy('k.number')
    .execute();
  const ids = contracts.map((k) => k.id);
  const [versions, volumes, meters] = await Promise.all([
    ids.length === 0
      ? []
      : db
          .selectFrom('contract_version as v')
          .innerJoin('tariff as t', 't.id', 'v.tariff_id')
          .leftJoin('app_user as u', 'u.id', 'v.created_by')
          .select(['v.created_at', 'u.full_name as created_by_name'])
          .select([
            'v.contract_id',
            'v.valid_from',
            'v.default_volume',
            'v.contracted_load',
            'v.special_supply',
          ])
          .select(['v.estimation', 'v.tan_phi_norm', 't.id as tariff_id', 't.code', 't.name', 't.unit'])
          .where('v.contract_id', 'in', ids)
          .orderBy('v.valid_from', 'desc')
          .execute(),
    ids.length === 0
      ? []
      : db
          .selectFrom('contract_volume')
          .select(['contract_id', 'period', 'volume'])
          .where('contract_id', 'in', ids)
          .orderBy('period')
          .execute(),
    metersOf(db, ids),
  ]);
  const readings = await lastReadings(
    db,
    meters.flatMap((m) => m.registers.map((g) => g.id)),
  );
  const today = todayInTashkent(now);
  const period = periodInTashkent(now);

  const cards = [];
  for (const k of contracts) {
    const history = versions
      .filter((v) => v.contract_id === k.id)
      .map((v) => ({
        validFrom: v.valid_from,
        tariff: { id: String(v.tariff_id), code: v.code, name: v.name, unit: v.unit },
        contractVolume: v.default_volume === null ? null : quantity(v.default_volume),
        contractedLoad: v.contracted_load === null ? null : quantity(v.contracted_load),
        specialSupply: v.special_supply,
        estimation: v.estimation,
        tanPhiNorm: v.tan_phi_norm === null ? null : String(v.tan_phi_norm),
        addedAt: v.created_at.toISOString(),
        addedBy: v.created_by_name,
      }));
    const points = new Map<bigint, Card['contracts'][number]['meteringPoints'][number]>();
    for (const m of meters.filter((x) => x.contract_id === k.id)) {
      const point = points.get(m.point_id) ?? {
        id: String(m.point_id),
        code: m.point_code,
        name: null,
        address: null,
        meters: [],
      };
      points.set(m.point_id, point);
      point.meters.push({
        id: String(m.id),
        serial: m.serial,
        type:
          m.type_code === null || m.type_name === null
            ? null
            : { code: m.type_code, name: m.type_name, accuracyClass: m.accuracy_class },
        digits: Number(m.digits),
        multiplier: String(m.multiplier),
        installedOn: m.installed_on,
        removedOn: m.removed_on,
        seals: m.seals,
        verifiedOn: m.verified_on,
        nextVerificationOn: m.next_verification_on,
        remoteSwitch: m.remote_switch ?? false,
        switchState: m.switch_state,
        registers: m.registers.map((g) => ({
          id: String(g.id),
          obis: g.obis,
          installReading: quantity(g.install_reading),
          removalReading: g.removal_reading === null ? null : quantity(g.removal_reading),
          lastReading: readings.get(g.id) ?? null,
        })),
      });
    }
    const [settlements, bills, payments] = await Promise.all([
      settlementsOf(db, k.id, period, period),
      lastBills(db, k.id, { limit: 6 }),
      lastPayments(db, k.id, { limit: 10 }),
    ]);
    cards.push({
      id: String(k.id),
      number: k.number,
      commodity: k.commodity,
      supplier: { code: k.supplier_code, name: k.supplier_name },
      orgUnit: { id: String(k.unit_id), name: k.unit_name },
      startDate: k.start_date,
      endDate: k.end_date,
      status: k.status,
      terms: history.find((v) => v.validFrom <= today) ?? null,
      history,
      volumes: volumes
        .filter((v) => v.contract_id === k.id)
        .map((v) => ({ period: v.period, volume: quantity(v.volume) })),
      meteringPoints: [...points.values()],
      balance: money(settlements.closing),
      bills,
      payments,
    });
  }
  await fillPointNames(db, cards);
  return {
    id: String(c.id),
    kind: c.kind,
    name: c.name,
    inn: c.inn,
    pinfl: c.pinfl,
    oked: c.oked,
    legalAddress: c.legal_address,
    postalAddress: c.postal_address,
    phone: c.phone,
    email: c.email,
    bank: { mfo: c.bank_mfo, account: c.bank_account },
    category:
      c.category_id === null || c.category_code === null || c.category_name === null
        ? null
        : { id: String(c.category_id), code: c.category_code, name: c.category_name },
    orgUnit: { id: String(c.org_unit_id), name: c.org_unit_name },
    status: c.status,
    smsOptOut: c.sms_opt_out,
    contracts: cards,
    dataAsOf: now.toISOString(),
  };
}

/** Names and addresses of the metering points (also of points without a meter). */
async function fillPointNames(db: Kysely<DB>, cards: Card['contracts']): Promise<void> {
  if (cards.length === 0) return;
  const rows = await db
    .selectFrom('metering_point')
    .select(['id', 'contract_id', 'code', 'name', 'address'])
    .where(
      'contract_id',
      'in',
      cards.map((k) => BigInt(k.id)),
    )
    .orderBy('code')
    .execute();
  for (const card of cards) {
    const known = new Map(card.meteringPoints.map((p) => [p.id, p]));
    card.meteringPoints = rows
      .filter((r) => String(r.contract_id) === card.id)
      .map((r) => ({
        ...(known.get(String(r.id)) ?? { meters: [] }),
        id: String(r.id),
        code: r.code,
        name: r.name,
        address: r.address,
      }));
  }
}
