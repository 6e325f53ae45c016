import { z } from 'zod';
import { ZId } from '../../http/common.schemas.ts';

// Readings are typed as staff type them (XXXXXX,XX or with a dot); dates 'YYYY-MM-DD';
// the multiplier (CT ratio × VT ratio) a whole number as a string.

const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const ZReadingText = z.string().trim().min(1).max(20).describe('reading as XXXXXX,XX or with a dot');

/** Where a seal sits on the metering installation. */
export const SEAL_PLACES = [
  'terminal_cover',
  'meter_cover',
  'ct_box',
  'vt_box',
  'test_block',
  'cabinet',
  'other',
] as const;
export type SealPlace = (typeof SEAL_PLACES)[number];

/** A seal number as printed on it: letters, digits, spaces, dots, slashes and dashes. */
export const ZSealNumber = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ./-]{0,39}$/u, 'letters, digits, space . / -');

const ZSealInput = z.object({ number: ZSealNumber, place: z.enum(SEAL_PLACES) });

/** A meter serial as the meter table takes it. */
export const ZSerial = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._/-]{1,32}$/, 'up to 32 letters, digits, . _ / -');

const ZRegisterReading = z.object({
  obis: z.string().trim().min(1).max(10).describe('OBIS code, e.g. 1.8.0'),
  value: ZReadingText,
});

/** Register readings, one per register. */
const ZRegisterReadings = z
  .array(ZRegisterReading)
  .min(1)
  .max(8)
  .refine((rs) => new Set(rs.map((r) => r.obis)).size === rs.length, 'one value per register');

/** A new meter: type, serial, digits (default the type's), multiplier, verification, registers, seals. */
export const ZNewMeter = z.object({
  serial: ZSerial,
  meterTypeId: ZId,
  digits: z.number().int().min(3).max(10).optional().describe("default: the meter type's digits"),
  multiplier: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, 'a positive whole number')
    .default('1')
    .describe('CT ratio × VT ratio'),
  verifiedOn: ZDate.nullable().default(null),
  nextVerificationOn: ZDate.nullable().default(null),
  registers: ZRegisterReadings.describe('installation reading of each register'),
  seals: z.array(ZSealInput).max(10).default([]).describe('seals set at installation'),
});
export type NewMeterBody = z.infer<typeof ZNewMeter>;

/** POST /api/metering-points/:id/meters. */
export const ZInstallMeter = ZNewMeter.extend({ installedOn: ZDate });

/** POST /api/meters/:id/replace: the old meter's removal readings and the new meter, one day. */
export const ZReplaceMeter = z.object({
  on: ZDate,
  removal: ZRegisterReadings.describe('removal reading of every register of the old meter'),
  newMeter: ZNewMeter,
  reason: z.string().trim().min(1).max(500).optional(),
});

/** POST /api/meters/:id/remove. */
export const ZRemoveMeter = z.object({
  removedOn: ZDate,
  removal: ZRegisterReadings.describe('removal reading of every register'),
  reason: z.string().trim().min(1).max(500).optional(),
});

/** PATCH /api/meters/:id: verification dates (null clears one). */
export const ZPatchMeter = z
  .object({ verifiedOn: ZDate.nullable().optional(), nextVerificationOn: ZDate.nullable().optional() })
  .refine((p) => p.verifiedOn !== undefined || p.nextVerificationOn !== undefined, 'nothing to change');

/** POST /api/meters/:id/seals. */
export const ZSetSeal = ZSealInput.extend({ setOn: ZDate.optional().describe('default today') });

/** POST /api/meter-seals/:id/remove. */
export const ZRemoveSeal = z.object({
  removedOn: ZDate.optional().describe('default today'),
  reason: z.string().trim().min(1).max(500),
});

/** A seal with its history. */
export const ZSeal = z.object({
  id: z.string(),
  meterId: z.string(),
  number: z.string(),
  place: z.enum(SEAL_PLACES).nullable().describe('null: not recorded (converted data)'),
  setOn: ZDate,
  setBy: z.string().nullable(),
  removedOn: ZDate.nullable(),
  removedBy: z.string().nullable(),
  reason: z.string().nullable(),
  removedWithMeter: z.boolean(),
});
export type SealView = z.infer<typeof ZSeal>;

/** A meter as these routes answer it. */
export const ZMeterView = z.object({
  id: z.string(),
  meteringPointId: z.string(),
  serial: z.string(),
  type: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  digits: z.number().int(),
  multiplier: z.string(),
  installedOn: ZDate,
  removedOn: ZDate.nullable(),
  verifiedOn: ZDate.nullable(),
  nextVerificationOn: ZDate.nullable(),
  registers: z.array(
    z.object({
      id: z.string(),
      obis: z.string(),
      installReading: z.string(),
      removalReading: z.string().nullable(),
    }),
  ),
  seals: z.array(z.string()).describe('numbers of the seals in place'),
});
export type MeterView = z.infer<typeof ZMeterView>;
