import { z } from 'zod';

// Decimal strings stay strings here: the domain parsers check them exactly (billing-rules §1).
const ZDecimal = z.string().min(1);
const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const ZPeriod = z.string().regex(/^\d{4}-\d{2}$/, 'a period YYYY-MM');
const ZObis = z.enum(['1.8.0', '1.8.1', '1.8.2', '1.8.3', '1.8.4', '3.8.0']);

/** One tariff version of a scenario file (also the `tariff_version` event's `version`). */
export const ZVersion = z
  .object({
    from: ZDate,
    price: ZDecimal.optional(),
    zones: z.partialRecord(z.enum(['1.8.1', '1.8.2', '1.8.3', '1.8.4']), ZDecimal).optional(),
    blocks: z
      .array(z.object({ upto: ZDecimal.optional(), price: ZDecimal }))
      .min(1)
      .optional(),
    reactive_price: ZDecimal.optional(),
  })
  .refine((v) => [v.price, v.zones, v.blocks].filter((x) => x !== undefined).length === 1, {
    message: 'a tariff version has exactly one of price, zones, blocks',
  });

const ZMeter = z.object({
  serial: z.string().min(1),
  digits: z.number().int().min(3).max(10),
  multiplier: z.number().int().positive(),
  installed: ZDate.optional(),
  registers: z.partialRecord(ZObis, ZDecimal),
});

/** The `meter_replace` event's fields (billing-rules §12). */
export const ZMeterReplace = z.object({
  old_meter: z.string().min(1),
  removal: z.partialRecord(ZObis, ZDecimal),
  new_meter: ZMeter.omit({ installed: true }),
});

/** The scenario file format of billing-rules.md §12. */
export const ZScenario = z.object({
  scenario: z.string().optional(),
  settings: z
    .object({
      penalty_rate: ZDecimal,
      special_penalty_rate: ZDecimal,
      penalty_cap: ZDecimal,
      overconsumption_threshold: ZDecimal,
      overconsumption_factor: ZDecimal,
      vat_rate: ZDecimal,
    })
    .partial()
    .optional(),
  tariffs: z.array(
    z.object({
      code: z.string().min(1),
      commodity: z.enum(['electricity', 'heat']).default('electricity'),
      unit: z.enum(['kWh', 'Gcal']).default('kWh'),
      versions: z.array(ZVersion).min(1),
    }),
  ),
  accounts: z.array(
    z.object({
      account: z.string().min(1),
      name: z.string().min(1),
      inn: z.string().optional(),
      category: z.enum(['legal', 'household']),
      tariff: z.string().min(1),
      special_supply: z.boolean().default(false),
      contract_volume: ZDecimal.optional(),
      contract_volumes: z.record(ZPeriod, ZDecimal).optional(),
      estimation: z.enum(['contract', 'average_daily']).default('contract'),
      tan_phi_norm: ZDecimal.optional(),
      meters: z.array(ZMeter).min(1),
    }),
  ),
  events: z.array(z.object({ type: z.string(), date: ZDate }).passthrough()),
  expect: z.unknown().optional(),
});

/** A parsed scenario file. */
export type Scenario = z.infer<typeof ZScenario>;
