import { z } from 'zod';
import { listQuery } from '../../http/list.ts';
import { ZVitrinaClaim } from '../claims/claims.schemas.ts';
import { CONSUMER_KINDS, CONSUMER_SORTS } from './consumers.repository.ts';

// Money is a decimal string "1234.56" (a positive balance is the consumer's debt, negative an
// advance); quantities and readings are decimal strings with 3 decimals; dates 'YYYY-MM-DD'.

const ZMoney = z.string().describe('so‘m, decimal string "1234.56"');
const ZQuantity = z.string().describe('decimal string with 3 decimals');
const ZDate = z.string().describe('YYYY-MM-DD');

/** The query of the consumer table. */
export const ZConsumerQuery = listQuery(CONSUMER_SORTS, 'name').extend({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe(
      'contract/account number (exactly, leading zeros count), INN, PINFL, phone, meter serial or name prefix',
    ),
  kind: z.enum(CONSUMER_KINDS).optional(),
  orgUnitId: z
    .string()
    .regex(/^[0-9]{1,18}$/)
    .optional()
    .describe('only consumers at or under this org unit (inside your scope)'),
});

/** A row of the consumer table. */
export const ZConsumerRow = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  inn: z.string().nullable(),
  pinfl: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  status: z.string(),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  contracts: z.array(z.string()),
});

const ZReading = z.object({ readOn: ZDate, value: ZQuantity, source: z.string() });

const ZRegister = z.object({
  id: z.string(),
  obis: z.string(),
  installReading: ZQuantity,
  removalReading: ZQuantity.nullable(),
  lastReading: ZReading.nullable(),
});

const ZMeter = z.object({
  id: z.string(),
  serial: z.string(),
  type: z.object({ code: z.string(), name: z.string(), accuracyClass: z.string().nullable() }).nullable(),
  digits: z.number().int(),
  multiplier: z.string().describe('CT ratio × VT ratio'),
  installedOn: ZDate,
  removedOn: ZDate.nullable(),
  seals: z.array(z.string()),
  verifiedOn: ZDate.nullable(),
  nextVerificationOn: ZDate.nullable(),
  remoteSwitch: z.boolean().describe('the meter type can switch supply remotely'),
  switchState: z.enum(['on', 'off', 'unknown']),
  registers: z.array(ZRegister),
});

const ZMeteringPoint = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string().nullable(),
  address: z.string().nullable(),
  meters: z.array(ZMeter),
});

const ZBill = z.object({
  id: z.string(),
  period: z.string(),
  number: z.string().nullable(),
  issuedOn: ZDate.nullable(),
  dueOn: ZDate.nullable(),
  total: ZMoney,
  vat: ZMoney,
  status: z.enum(['issued', 'preliminary']),
});

const ZPayment = z.object({
  id: z.string(),
  paidOn: ZDate,
  amount: ZMoney,
  channel: z.string(),
  status: z.enum(['booked', 'reversed']),
  reversedOn: ZDate.nullable(),
});

const ZTerms = z.object({
  validFrom: ZDate,
  tariff: z.object({ id: z.string(), code: z.string(), name: z.string(), unit: z.string() }),
  contractVolume: ZQuantity.nullable().describe('default volume per month, kWh or Gcal'),
  contractedLoad: ZQuantity.nullable().describe('kW'),
  specialSupply: z.boolean(),
  estimation: z.string(),
  tanPhiNorm: z.string().nullable(),
  addedAt: z.string().describe('when these terms were entered'),
  addedBy: z.string().nullable().describe('who entered them (null: loaded or converted data)'),
});

const ZContract = z.object({
  id: z.string(),
  number: z.string(),
  commodity: z.string(),
  supplier: z.object({ code: z.string(), name: z.string() }),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  startDate: ZDate,
  endDate: ZDate.nullable(),
  status: z.string(),
  terms: ZTerms.nullable().describe('the terms in force today'),
  history: z.array(ZTerms).describe('every version of the terms, newest first'),
  volumes: z.array(z.object({ period: z.string(), volume: ZQuantity })),
  meteringPoints: z.array(ZMeteringPoint),
  balance: ZMoney.describe('now: positive is debt, negative an advance (as the cabinet shows it)'),
  bills: z.array(ZBill).describe('the last 6, newest first'),
  payments: z.array(ZPayment).describe('the last 10, newest first'),
});

/** The consumer card (R2.1–R2.3). */
export const ZConsumerCard = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  inn: z.string().nullable(),
  pinfl: z.string().nullable(),
  oked: z.string().nullable(),
  legalAddress: z.string().nullable(),
  postalAddress: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  bank: z.object({ mfo: z.string().nullable(), account: z.string().nullable() }),
  category: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  status: z.string(),
  smsOptOut: z.boolean(),
  contracts: z.array(ZContract),
  dataAsOf: z.string(),
});

/** The query of the Vitrina. */
export const ZVitrinaQuery = z.object({
  on: z
    .string()
    .regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'YYYY-MM-DD')
    .optional()
    .describe('the day (default: today in Tashkent)'),
});

/** One account's full status on a day (R14). */
export const ZVitrina = z.object({
  on: ZDate,
  today: z.boolean(),
  account: z.object({
    id: z.string(),
    number: z.string(),
    commodity: z.string(),
    status: z.enum(['not_started', 'active', 'ended']).describe('the contract on that day'),
    startDate: ZDate,
    endDate: ZDate.nullable(),
    tariff: z.object({ code: z.string(), name: z.string() }).nullable().describe('in force that day'),
  }),
  consumer: z.object({ id: z.string(), name: z.string(), kind: z.string(), inn: z.string().nullable() }),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  balance: z.object({
    amount: ZMoney.describe('at the end of the day: positive is debt, negative an advance'),
    state: z.enum(['debt', 'advance', 'settled']),
    monthOpening: ZMoney.describe('at the start of the day’s month'),
    monthPayments: ZMoney.describe('payments from the 1st to the day, reversals subtracted'),
    monthCharges: ZMoney.describe('the month’s charges, posted at its close (counted on its last day only)'),
  }),
  bills: z.array(ZBill).describe('bills posted by that day, newest first (6)'),
  payments: z
    .array(ZPayment)
    .describe('payments dated up to that day, newest first (10), status as of that day'),
  meters: z.array(
    z.object({
      serial: z.string(),
      meteringPoint: z.string(),
      multiplier: z.string(),
      installedOn: ZDate,
      removedOn: ZDate.nullable(),
      remoteSwitch: z.boolean(),
      switchState: z.enum(['on', 'off', 'unknown']),
      registers: z.array(z.object({ obis: z.string(), lastReading: ZReading.nullable() })),
    }),
  ),
  applications: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      type: z.string(),
      status: z.string().describe('its status on that day'),
      createdAt: z.string(),
      desiredDate: ZDate.nullable(),
    }),
  ),
  claims: z
    .array(ZVitrinaClaim)
    .describe('warning letters, pre-trial claims, court cases and disconnection orders open that day'),
  switchState: z
    .enum(['on', 'off', 'unknown'])
    .nullable()
    .describe('supply: off if a meter in service is switched off; the current state, no history is kept'),
});
