import { z } from 'zod';
import { listQuery } from '../../../http/list.ts';

const ZMoney = z.string().describe('so’m with two decimals, e.g. "1250000.50"');
const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** The statuses of a payment. */
export const PAYMENT_STATUSES = ['booked', 'reversed', 'unmatched'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** The channels a person books at the cash desk. */
export const DESK_CHANNELS = ['cash', 'manual'] as const;

/** The query of the office payment list: paging, sort, XLSX, and its filters. */
export const ZPaymentListQuery = listQuery(['paidOn', 'amount', 'contract'], 'paidOn').extend({
  // Newest first unless asked otherwise: the desk looks at today's payments.
  dir: z.enum(['asc', 'desc']).default('desc'),
  channel: z
    .string()
    .regex(/^[a-z0-9_]{2,32}$/)
    .optional(),
  status: z.enum(PAYMENT_STATUSES).optional(),
  from: ZDate.optional(),
  to: ZDate.optional(),
  q: z.string().trim().max(100).optional(),
  orgUnitId: z
    .string()
    .regex(/^[0-9]{1,18}$/)
    .optional(),
});
export type PaymentListQuery = z.infer<typeof ZPaymentListQuery>;

const ZPerson = z.object({ id: z.string(), name: z.string() });

/** Who reversed a payment: a staff user, or the provider or system that cancelled it. */
const ZReversedBy = z.object({
  type: z.enum(['user', 'consumer', 'system', 'provider']),
  id: z.string().nullable(),
  name: z.string().nullable(),
});

/** A row of the office payment list. */
export const ZPaymentRow = z.object({
  id: z.string(),
  paidOn: z.string(),
  channel: z.string(),
  channelName: z.string(),
  externalId: z.string(),
  amount: ZMoney,
  status: z.enum(PAYMENT_STATUSES),
  contract: z.object({ id: z.string(), number: z.string() }).nullable(),
  consumerName: z.string().nullable(),
  payer: z.string().nullable(),
  orgUnit: z.object({ id: z.string(), name: z.string() }).nullable(),
  reversal: z
    .object({ on: z.string(), reason: z.string().nullable(), by: ZReversedBy.nullable() })
    .nullable(),
  bookedBy: ZPerson.nullable(),
  bookedAt: z.string(),
});
export type PaymentRow = z.infer<typeof ZPaymentRow>;

/** One allocation of a payment (a negative one undoes an earlier one at a reversal). */
const ZAllocation = z.object({
  id: z.string(),
  bill: z.object({ id: z.string(), number: z.string().nullable(), period: z.string() }),
  line: z.object({
    id: z.string(),
    kind: z.string(),
    forPeriod: z.string().nullable(),
    amount: ZMoney,
  }),
  amount: ZMoney,
  allocatedOn: z.string(),
});

/** A payment with its allocations. */
export const ZPaymentDetail = ZPaymentRow.extend({
  purpose: z.string().nullable(),
  importBatchId: z.string().nullable(),
  allocations: z.array(ZAllocation),
  /** What its allocations cover now (their sum), and what is left as an advance. */
  allocated: ZMoney,
  advance: ZMoney,
});
export type PaymentDetail = z.infer<typeof ZPaymentDetail>;

/** The body of a manual booking at the cash desk. Money is text; a JSON number is refused. */
export const ZBookRequest = z
  .object({
    contractId: z.string().regex(/^[0-9]{1,18}$/),
    amount: z.string().max(20).describe('so’m, at most two decimals: "1234.56"'),
    paidOn: ZDate,
    channel: z.enum(DESK_CHANNELS),
    document: z.string().trim().min(1).max(64).describe('the receipt (cash order) number'),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type BookRequest = z.infer<typeof ZBookRequest>;

/** The answer to a booking: the payment, how much covered open items, and whether it was a repeat. */
export const ZBookResult = z.object({
  payment: ZPaymentRow,
  allocated: ZMoney,
  duplicate: z.boolean(),
});

/** The body of a reversal. */
export const ZReverseRequest = z.object({ reason: z.string().trim().min(3).max(500) }).strict();

/** A contract the caller may book payments to. */
export const ZContractHit = z.object({
  id: z.string(),
  number: z.string(),
  consumerName: z.string(),
  inn: z.string().nullable(),
  commodity: z.string(),
  status: z.string(),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
});

/** What the caller may do at the payment desk, for the office page. */
export const ZDesk = z.object({
  canWrite: z.boolean(),
  canReverse: z.boolean(),
  /** The bank-and-post desk (imports, unmatched queue, reconciliation) is company-level. */
  company: z.object({ read: z.boolean(), write: z.boolean() }),
  /** Every channel (the list filter); the booking form offers the active desk ones. */
  channels: z.array(z.object({ code: z.string(), name: z.string(), active: z.boolean() })),
  today: z.string(),
});
