import { AppError } from './errors.ts';
import { sumMoney, type Tiyin } from './money.ts';
import { firstDay, isFirstOfMonth, type LocalDate, type Period } from './period.ts';
import { amountOf, type Price, priceTimes, type Ratio } from './price.ts';
import { type Milli, milli, splitProportional } from './quantity.ts';

/** Registers of the tariff zones: day, night, peak (and a fourth where a supplier uses one). */
export const ZONE_REGISTERS = ['1.8.1', '1.8.2', '1.8.3', '1.8.4'] as const;
export type ZoneRegister = (typeof ZONE_REGISTERS)[number];

/** One pricing form of a tariff version (billing-rules §7). */
export type Pricing =
  | { kind: 'flat'; price: Price }
  | { kind: 'zones'; zones: Partial<Record<ZoneRegister, Price>> }
  | { kind: 'blocks'; blocks: readonly { upto: Milli | null; price: Price }[] };

/** A tariff version: from the 1st of a month on. */
export type TariffVersion = { from: LocalDate; pricing: Pricing; reactivePrice: Price | null };

/** Refuses versions not starting on the 1st and two versions with one start (billing-rules §7). */
export function assertValidVersions(versions: readonly TariffVersion[]): void {
  const seen = new Set<string>();
  for (const v of versions) {
    if (!isFirstOfMonth(v.from)) {
      throw new AppError(
        'TARIFF_VERSION_NOT_FIRST',
        `A tariff version starts on the 1st of a month, not ${v.from}`,
        {
          from: v.from,
        },
      );
    }
    if (seen.has(v.from))
      throw new AppError('TARIFF_VERSION_DUPLICATE', `Two tariff versions from ${v.from}`, { from: v.from });
    seen.add(v.from);
    if (v.pricing.kind === 'blocks') assertValidBlocks(v.pricing.blocks);
  }
}

function assertValidBlocks(blocks: readonly { upto: Milli | null; price: Price }[]): void {
  let previous = 0n;
  blocks.forEach((b, i) => {
    const last = i === blocks.length - 1;
    if ((b.upto === null) !== last || (b.upto !== null && b.upto <= previous)) {
      throw new AppError('TARIFF_BLOCKS_INVALID', 'Blocks rise strictly and only the last is open-ended');
    }
    previous = b.upto ?? previous;
  });
}

/** The version in force for a period: the latest starting on or before its 1st. */
export function versionFor(versions: readonly TariffVersion[], period: Period): TariffVersion {
  const start = firstDay(period);
  let found: TariffVersion | undefined;
  for (const v of versions) if (v.from <= start && (!found || v.from > found.from)) found = v;
  if (!found)
    throw new AppError('TARIFF_NOT_IN_FORCE', `No tariff version in force in ${period}`, { period });
  return found;
}

/** A priced energy line (before posting). */
export type EnergyLine = {
  kind: 'energy' | 'overconsumption';
  register: string;
  quantity: Milli;
  price: Price;
  amount: Tiyin;
};

/** Overconsumption settings of a supplier (billing-rules §5). */
export type OverconsumptionRule = { threshold: Ratio; factor: Ratio };

/** What to price: quantities per register, and the contract volume when overconsumption applies. */
export type PricingInput = {
  pricing: Pricing;
  /** Flat and block tariffs: the one active register ('1.8.0'); zone tariffs: one per zone register. */
  quantities: ReadonlyMap<string, Milli>;
  /** Contract volume V; overconsumption is charged only when given (> 0) and `rule` is given. */
  volume?: Milli | null;
  rule?: OverconsumptionRule | null;
};

/**
 * Prices a period's quantities (billing-rules §5, §7). With a volume V and Q > (1 + threshold)·V,
 * V goes at the price and Q − V at factor × price; with zones V is split over the zones in
 * proportion to their quantities. Lines with zero quantity and amount are left out.
 */
export function priceEnergy(input: PricingInput): EnergyLine[] {
  const lines = priceEnergyRaw(input);
  return lines.filter((l) => l.quantity !== 0n || l.amount !== 0n);
}

function exceeds(total: bigint, volume: bigint, threshold: Ratio): boolean {
  // total > (1 + t)·V, exactly: total·den > V·(den + num)
  return total * threshold.den > volume * (threshold.den + threshold.num);
}

function priceEnergyRaw(input: PricingInput): EnergyLine[] {
  const { pricing, quantities, rule } = input;
  const volume = input.volume ?? 0n;
  switch (pricing.kind) {
    case 'flat': {
      const [register, q] = singleRegister(quantities);
      if (rule && volume > 0n && exceeds(q, volume, rule.threshold)) {
        return [
          {
            kind: 'energy',
            register,
            quantity: milli(volume),
            price: pricing.price,
            amount: amountOf(milli(volume), pricing.price),
          },
          overLine(register, milli(q - volume), pricing.price, rule.factor),
        ];
      }
      return [
        { kind: 'energy', register, quantity: q, price: pricing.price, amount: amountOf(q, pricing.price) },
      ];
    }
    case 'zones': {
      const zones = [...quantities.entries()].sort(([a], [b]) => a.localeCompare(b));
      const zonePrice = (register: string): Price => {
        const p = pricing.zones[register as ZoneRegister];
        if (p === undefined)
          throw new AppError('TARIFF_ZONE_MISSING', `The tariff has no price for register ${register}`, {
            register,
          });
        return p;
      };
      const total = zones.reduce((a, [, q]) => a + q, 0n);
      if (rule && volume > 0n && exceeds(total, volume, rule.threshold)) {
        const parts = splitProportional(
          volume,
          zones.map(([, q]) => q),
        );
        return zones.flatMap(([register, q], i) => {
          const v = milli(parts[i] ?? 0n);
          const price = zonePrice(register);
          return [
            { kind: 'energy' as const, register, quantity: v, price, amount: amountOf(v, price) },
            overLine(register, milli(q - v), price, rule.factor),
          ];
        });
      }
      return zones.map(([register, q]) => {
        const price = zonePrice(register);
        return { kind: 'energy' as const, register, quantity: q, price, amount: amountOf(q, price) };
      });
    }
    case 'blocks': {
      if (volume > 0n && rule)
        throw new AppError('BLOCK_TARIFF_WITH_VOLUME', 'Block tariffs cannot have a contract volume');
      const [register, q] = singleRegister(quantities);
      const lines: EnergyLine[] = [];
      let below = 0n;
      for (const b of pricing.blocks) {
        const top = b.upto !== null && b.upto < q ? b.upto : q;
        const part = milli(top > below ? top - below : 0n);
        if (part > 0n)
          lines.push({
            kind: 'energy',
            register,
            quantity: part,
            price: b.price,
            amount: amountOf(part, b.price),
          });
        if (b.upto === null || q <= b.upto) break;
        below = b.upto;
      }
      return lines;
    }
  }
}

function overLine(register: string, quantity: Milli, price: Price, factor: Ratio): EnergyLine {
  return {
    kind: 'overconsumption',
    register,
    quantity,
    price: priceTimes(price, factor),
    amount: amountOf(quantity, price, factor),
  };
}

function singleRegister(quantities: ReadonlyMap<string, Milli>): [string, Milli] {
  const entries = [...quantities.entries()];
  const [first] = entries;
  if (entries.length !== 1 || !first) {
    throw new AppError('TARIFF_REGISTERS_MISMATCH', 'This tariff prices one active register', {
      registers: entries.map(([r]) => r),
    });
  }
  return first;
}

/** The total amount of priced lines. */
export function totalOf(lines: readonly { amount: Tiyin }[]): Tiyin {
  return sumMoney(lines.map((l) => l.amount));
}
