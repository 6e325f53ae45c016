import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type LocalDate, parseLocalDate, parsePeriod } from '../../domain/period.ts';
import { parsePrice, parseRatio } from '../../domain/price.ts';
import { parseQuantity, parseReading } from '../../domain/quantity.ts';
import type { Pricing, TariffVersion } from '../../domain/tariff-pricing.ts';
import { type CreatedAccount, createAccount } from '../accounts/accounts.service.ts';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { createTariff } from '../tariffs/tariffs.service.ts';
import type { Scenario } from './scenario.schemas.ts';

/** What a scenario set-up made: the supplier, its district, tariffs and accounts by code. */
export type ScenarioWorld = {
  tenantId: bigint;
  districtId: bigint;
  tariffs: Map<string, bigint>;
  accounts: Map<string, CreatedAccount>;
};

const DEFAULT_INSTALLED = '2000-01-01';

/**
 * Builds a scenario's supplier, tariffs and accounts through the same services staff use, in one
 * transaction. An invalid set-up (a version not on the 1st, an unknown tariff, a block tariff
 * with a volume, a malformed number) throws an AppError before any event runs.
 */
export async function setUpScenario(db: Kysely<DB>, s: Scenario): Promise<ScenarioWorld> {
  return db.transaction().execute(async (trx) => {
    const settings = s.settings ?? {};
    // Every setting is an exact decimal rate; a malformed one stops the run before anything is made.
    for (const value of Object.values(settings)) parseRatio(value ?? '');
    const tenant = await trx
      .insertInto('tenant')
      .values({
        code: 'scenario',
        name: s.scenario ?? 'Scenario',
        commodity:
          s.tariffs.some((t) => t.commodity === 'heat') &&
          !s.tariffs.some((t) => t.commodity === 'electricity')
            ? 'heat'
            : 'electricity',
        ...(settings.penalty_rate ? { penalty_rate: settings.penalty_rate } : {}),
        ...(settings.special_penalty_rate ? { special_penalty_rate: settings.special_penalty_rate } : {}),
        ...(settings.penalty_cap ? { penalty_cap: settings.penalty_cap } : {}),
        ...(settings.overconsumption_threshold
          ? { overconsumption_threshold: settings.overconsumption_threshold }
          : {}),
        ...(settings.overconsumption_factor
          ? { overconsumption_factor: settings.overconsumption_factor }
          : {}),
        ...(settings.vat_rate ? { vat_rate: settings.vat_rate } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const company = await trx
      .insertInto('org_unit')
      .values({ tenant_id: tenant.id, kind: 'company', code: 'SCN', name: 'Scenario supplier' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const district = await trx
      .insertInto('org_unit')
      .values({
        tenant_id: tenant.id,
        kind: 'district',
        code: 'SCN-1',
        name: 'Scenario district',
        parent_id: company.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const tariffs = new Map<string, bigint>();
    for (const t of s.tariffs) {
      const versions = t.versions.map(toTariffVersion);
      const id = await createTariff(trx, SYSTEM_ACTOR, {
        tenantId: tenant.id,
        code: t.code,
        name: t.code,
        commodity: t.commodity,
        unit: t.unit,
        versions,
      });
      tariffs.set(t.code, id);
    }

    const accounts = new Map<string, CreatedAccount>();
    for (const a of s.accounts) {
      const tariffId = tariffs.get(a.tariff);
      if (tariffId === undefined) {
        throw new AppError(
          'UNKNOWN_TARIFF',
          `Account ${a.account} names tariff ${a.tariff}, which the scenario does not define`,
          {
            account: a.account,
            tariff: a.tariff,
          },
        );
      }
      const meters = a.meters.map((m) => ({
        serial: m.serial,
        digits: m.digits,
        multiplier: BigInt(m.multiplier),
        installedOn: parseLocalDate(m.installed ?? DEFAULT_INSTALLED),
        registers: Object.entries(m.registers).map(([obis, value]) => ({
          obis,
          installReading: parseReading(value),
        })),
      }));
      const startDate = meters.map((m) => m.installedOn).sort()[0] ?? (DEFAULT_INSTALLED as LocalDate);
      const commodity = s.tariffs.find((t) => t.code === a.tariff)?.commodity ?? 'electricity';
      const created = await createAccount(trx, SYSTEM_ACTOR, {
        tenantId: tenant.id,
        orgUnitId: district.id,
        number: a.account,
        name: a.name,
        kind: a.category === 'household' ? 'household' : 'legal',
        inn: a.inn ?? null,
        commodity,
        tariffId,
        startDate,
        specialSupply: a.special_supply,
        defaultVolume:
          a.contract_volume === undefined ? null : parseQuantity(a.contract_volume, { allowNegative: false }),
        volumes: Object.entries(a.contract_volumes ?? {}).map(([p, v]) => ({
          period: parsePeriod(p),
          volume: parseQuantity(v, { allowNegative: false }),
        })),
        estimation: a.estimation,
        tanPhiNorm: a.tan_phi_norm === undefined ? null : checkedRate(a.tan_phi_norm),
        meters,
      });
      accounts.set(a.account, created);
    }
    return { tenantId: tenant.id, districtId: district.id, tariffs, accounts };
  });
}

/** A scenario file's tariff version as the pricing rules take it. */
export function toTariffVersion(v: Scenario['tariffs'][number]['versions'][number]): TariffVersion {
  return {
    from: parseLocalDate(v.from),
    reactivePrice: v.reactive_price === undefined ? null : parsePrice(v.reactive_price),
    pricing: toPricing(v),
  };
}

function toPricing(v: Scenario['tariffs'][number]['versions'][number]): Pricing {
  if (v.price !== undefined) return { kind: 'flat', price: parsePrice(v.price) };
  if (v.zones !== undefined) {
    return {
      kind: 'zones',
      zones: Object.fromEntries(Object.entries(v.zones).map(([r, p]) => [r, parsePrice(p)])),
    };
  }
  const blocks = v.blocks ?? [];
  return {
    kind: 'blocks',
    blocks: blocks.map((b) => ({
      upto: b.upto === undefined ? null : parseQuantity(b.upto, { allowNegative: false }),
      price: parsePrice(b.price),
    })),
  };
}

/** A rate string, after checking it is an exact non-negative decimal. */
function checkedRate(value: string): string {
  parseRatio(value);
  return value;
}
