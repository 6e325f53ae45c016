import { z } from 'zod';

/** A calendar date 'YYYY-MM-DD'. */
export const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

/** A price as typed: so'm per kWh or Gcal, up to 4 decimals ("900", "1035.50", "12.3456"). */
const ZPriceText = z.string().min(1).max(24);

export const ZONE_OBIS = ['1.8.1', '1.8.2', '1.8.3', '1.8.4'] as const;

/** A tariff version as the editor sends it: the start and one pricing form. */
export const ZVersionInput = z.object({
  validFrom: ZDate,
  pricing: z.enum(['flat', 'zones', 'blocks']),
  /** flat: the price. */
  price: ZPriceText.optional(),
  /** zones: a price per zone register (day 1.8.1, night 1.8.2, peak 1.8.3, 1.8.4). */
  zones: z
    .array(z.object({ obis: z.enum(ZONE_OBIS), price: ZPriceText }))
    .max(4)
    .optional(),
  /** blocks: rising cumulative kWh limits in the month, the last without one. */
  blocks: z
    .array(z.object({ upto: z.string().min(1).max(24).nullable(), price: ZPriceText }))
    .max(10)
    .optional(),
  /** Reactive energy, so'm per kvarh (electricity). */
  reactivePrice: ZPriceText.nullable().optional(),
});
export type VersionInput = z.infer<typeof ZVersionInput>;

/** Why a version can or cannot be changed: it reaches a closed period, bills used it, or neither. */
export const VERSION_STATES = ['closed', 'billed', 'editable'] as const;

export const ZVersionView = z.object({
  id: z.string(),
  validFrom: z.string(),
  pricing: z.enum(['flat', 'zones', 'blocks']),
  price: z.string().nullable(),
  zones: z.array(z.object({ obis: z.string(), price: z.string() })),
  blocks: z.array(z.object({ upto: z.string().nullable(), price: z.string() })),
  reactivePrice: z.string().nullable(),
  /** In force in the open period. */
  current: z.boolean(),
  state: z.enum(VERSION_STATES),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type VersionView = z.infer<typeof ZVersionView>;

export const ZTariffView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  commodity: z.enum(['electricity', 'heat']),
  unit: z.enum(['kWh', 'Gcal']),
  active: z.boolean(),
  revision: z.number(),
  versionCount: z.number(),
  /** The start of the version in force in the open period, and of the latest one. */
  currentFrom: z.string().nullable(),
  latestFrom: z.string().nullable(),
});
export type TariffView = z.infer<typeof ZTariffView>;

export const ZTariffInput = z.object({
  code: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/),
  name: z.string().trim().min(1).max(200),
  commodity: z.enum(['electricity', 'heat']),
  version: ZVersionInput,
});

export const ZTariffPatch = z.object({
  revision: z.number().int().min(1),
  name: z.string().trim().min(1).max(200).optional(),
  active: z.boolean().optional(),
});
