import { z } from 'zod';
import { ZId, ZPeriod } from '../../http/common.schemas.ts';
import { CONSUMER_KINDS } from './consumers.repository.ts';

// What the office sends to create and change consumers and contracts (issue 6 point 3). Field
// names are the consumer card's; a refusal names the field in `details.field` (or, for these
// schemas, in the path of VALIDATION_FAILED's `fields`). Optional text fields take null to clear.

const ZDate = z
  .string()
  .regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'YYYY-MM-DD')
  .describe('YYYY-MM-DD');

/** A quantity as a decimal string with up to 3 decimals, never a float. */
const ZQuantity = z
  .string()
  .trim()
  .regex(/^[0-9]{1,12}(\.[0-9]{1,3})?$/, 'a decimal with up to 3 decimals')
  .describe('decimal string, up to 3 decimals');

const ZName = z.string().trim().min(1).max(300);
const ZAddress = z.string().trim().min(1).max(300);

/**
 * The consumer's requisites as the card names them; `legalAddress` … `bankAccount` are the fields
 * a cabinet change of requisites carries (REQUISITE_FIELDS), with the same formats.
 */
const REQUISITES = {
  name: ZName,
  inn: z.string().regex(/^[0-9]{9}$/, 'INN: 9 digits'),
  pinfl: z.string().regex(/^[0-9]{14}$/, 'PINFL: 14 digits'),
  oked: z.string().regex(/^[0-9]{5}$/, 'OKED: 5 digits'),
  legalAddress: ZAddress,
  postalAddress: ZAddress,
  phone: z.string().regex(/^\+998[0-9]{9}$/, '+998XXXXXXXXX'),
  email: z.email().max(200),
  bankMfo: z.string().regex(/^[0-9]{5}$/, 'MFO: 5 digits'),
  bankAccount: z.string().regex(/^[0-9]{20}$/, 'account: 20 digits'),
  categoryId: ZId,
};

/** A requisite field of the consumer card. */
export type RequisiteKey = keyof typeof REQUISITES;

/** The contract terms from a date: tariff, volume, load, special supply, estimation, reactive norm. */
const TERMS = {
  tariffId: ZId,
  defaultVolume: ZQuantity.nullable().optional().describe('kWh or Gcal a month'),
  contractedLoad: ZQuantity.nullable().optional().describe('kW'),
  specialSupply: z.boolean().optional(),
  estimation: z.enum(['contract', 'average_daily']).optional(),
  tanPhiNorm: z
    .string()
    .trim()
    .regex(/^[0-9]{1,2}(\.[0-9]{1,4})?$/, 'e.g. 0.5')
    .nullable()
    .optional(),
};

/** A new contract of a consumer: the number (leading zeros count), its district, start and first terms. */
export const ZContractInput = z
  .object({
    number: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,20}$/, 'letters, digits and -, up to 20'),
    commodity: z.enum(['electricity', 'heat']).optional().describe('the supplier’s commodity if omitted'),
    orgUnitId: ZId.describe('a district in your scope'),
    startDate: ZDate,
    ...TERMS,
  })
  .strict();
export type ContractInput = z.infer<typeof ZContractInput>;

/** A new consumer (exactly the consumer table's columns) with its first contract. */
export const ZConsumerInput = z
  .object({
    kind: z.enum(CONSUMER_KINDS),
    name: REQUISITES.name,
    inn: REQUISITES.inn.nullable().optional(),
    pinfl: REQUISITES.pinfl.nullable().optional(),
    oked: REQUISITES.oked.nullable().optional(),
    legalAddress: REQUISITES.legalAddress.nullable().optional(),
    postalAddress: REQUISITES.postalAddress.nullable().optional(),
    phone: REQUISITES.phone.nullable().optional(),
    email: REQUISITES.email.nullable().optional(),
    bankMfo: REQUISITES.bankMfo.nullable().optional(),
    bankAccount: REQUISITES.bankAccount.nullable().optional(),
    categoryId: REQUISITES.categoryId.nullable().optional(),
    contract: ZContractInput,
  })
  .strict();
export type ConsumerInput = z.infer<typeof ZConsumerInput>;

/** A change of requisites: a field left out stays, null clears it (the name cannot be cleared). */
export const ZRequisitesPatch = z
  .object({
    name: REQUISITES.name.optional(),
    inn: REQUISITES.inn.nullable().optional(),
    pinfl: REQUISITES.pinfl.nullable().optional(),
    oked: REQUISITES.oked.nullable().optional(),
    legalAddress: REQUISITES.legalAddress.nullable().optional(),
    postalAddress: REQUISITES.postalAddress.nullable().optional(),
    phone: REQUISITES.phone.nullable().optional(),
    email: REQUISITES.email.nullable().optional(),
    bankMfo: REQUISITES.bankMfo.nullable().optional(),
    bankAccount: REQUISITES.bankAccount.nullable().optional(),
    categoryId: REQUISITES.categoryId.nullable().optional(),
  })
  .strict();
export type RequisitesPatch = z.infer<typeof ZRequisitesPatch>;

/** New terms of a contract from the 1st of a month. */
export const ZVersionInput = z.object({ validFrom: ZDate, ...TERMS }).strict();
export type VersionInput = z.infer<typeof ZVersionInput>;

/** The monthly volumes of one year: every month given is set, every month left out has none. */
export const ZVolumesInput = z
  .object({
    year: z.number().int().min(2000).max(2099),
    volumes: z.record(ZPeriod, ZQuantity).describe('period YYYY-MM → kWh or Gcal'),
  })
  .strict();
export type VolumesInput = z.infer<typeof ZVolumesInput>;

/** The end of a contract. */
export const ZTerminateInput = z
  .object({ endDate: ZDate, reason: z.string().trim().min(1).max(500).optional() })
  .strict();
export type TerminateInput = z.infer<typeof ZTerminateInput>;

/** A metering point of a contract. */
export const ZMeteringPointInput = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]{1,32}$/, 'letters, digits and . _ -, up to 32'),
    name: z.string().trim().min(1).max(200).nullable().optional(),
    address: ZAddress.nullable().optional(),
  })
  .strict();
export type MeteringPointInput = z.infer<typeof ZMeteringPointInput>;

/** What the editors offer: the districts you may write in, active tariffs, categories and banks. */
export const ZEditOptions = z.object({
  commodity: z.enum(['electricity', 'heat']).describe('the supplier’s'),
  lastClosed: ZPeriod.nullable().describe('periods up to this one are closed'),
  openPeriod: ZPeriod,
  districts: z.array(z.object({ id: z.string(), name: z.string() })),
  tariffs: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      commodity: z.string(),
      unit: z.string(),
      blocks: z.boolean().describe('household blocks: no contract volume'),
      firstFrom: ZDate.nullable().describe('its first price is in force from'),
    }),
  ),
  categories: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), kind: z.string() })),
  banks: z.array(z.object({ mfo: z.string(), name: z.string() })),
});
