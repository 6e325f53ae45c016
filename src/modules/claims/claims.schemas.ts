import { z } from 'zod';
import { ZId } from '../../http/common.schemas.ts';
import { listQuery } from '../../http/list.ts';
import { CLAIM_GROUNDS, CLAIM_KINDS, CLAIM_STATUSES } from './claim-status.ts';
import { DEBTOR_SORTS } from './debtors.ts';

// Request and answer shapes of claims and litigation (R11). Money is a decimal string "1234.56"
// (so'm), dates 'YYYY-MM-DD'.

const ZMoney = z.string().describe('so‘m, decimal string "1234.56"');
const ZMoneyInput = z
  .string()
  .regex(/^[0-9]{1,13}(\.[0-9]{1,2})?$/, 'so‘m with up to two decimals, e.g. 1234.56');
const ZDate = z.string().regex(/^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'YYYY-MM-DD');

/** The query of the debtor list. */
export const ZDebtorQuery = listQuery(DEBTOR_SORTS, 'debt').extend({
  dir: z.enum(['asc', 'desc']).default('desc'),
  on: ZDate.optional().describe('the day of the balance (default: today in Tashkent)'),
  minDebt: ZMoneyInput.default('0').describe('only debts above this amount'),
  minDays: z.coerce
    .number()
    .int()
    .min(0)
    .max(3650)
    .default(0)
    .describe('only debts whose oldest unpaid charge is overdue by more than this many days'),
  orgUnitId: ZId.optional().describe('the unit and everything below it'),
  hasOpenClaim: z.enum(['true', 'false']).optional().describe('with (true) or without (false) an open claim'),
  consumerKind: z.enum(['legal', 'entrepreneur', 'household']).optional(),
  q: z.string().trim().max(60).optional().describe('contract number or INN (exactly) or consumer name'),
});
export type DebtorQueryInput = z.infer<typeof ZDebtorQuery>;

/** A row of the debtor list. */
export const ZDebtor = z.object({
  contractId: z.string(),
  contract: z.string(),
  consumer: z.object({ id: z.string(), name: z.string(), kind: z.string(), inn: z.string().nullable() }),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  debt: ZMoney.describe('the balance at the end of the day (the Vitrina’s), > 0'),
  overdueDebt: ZMoney.describe('the part of it past its due date'),
  oldestPeriod: z
    .string()
    .nullable()
    .describe('the oldest period not fully paid (payments cover the oldest first)'),
  daysOverdue: z.number().int().describe('days since the oldest unpaid charge fell due'),
  lastPayment: z.object({ paidOn: ZDate, amount: ZMoney }).nullable(),
  openClaims: z.number().int().describe('claims of the contract not closed (now)'),
});

/** The query of the claims list. */
export const ZClaimListQuery = listQuery(
  ['openedOn', 'number', 'kind', 'status', 'debtAmount', 'dueOn', 'hearingOn', 'consumer'],
  'openedOn',
).extend({
  dir: z.enum(['asc', 'desc']).default('desc'),
  kind: z.enum(CLAIM_KINDS).optional(),
  status: z
    .enum([...CLAIM_STATUSES, 'open', 'closed'])
    .optional()
    .describe('a status, or open / closed'),
  orgUnitId: ZId.optional().describe('the unit and everything below it'),
  contractId: ZId.optional(),
  q: z
    .string()
    .trim()
    .max(60)
    .optional()
    .describe('claim number, contract number, case number or consumer name'),
});
export type ClaimListQuery = z.infer<typeof ZClaimListQuery>;

const ZRef = z.object({ id: z.string(), number: z.string(), kind: z.enum(CLAIM_KINDS), status: z.string() });

/** A claim as lists show it. */
export const ZClaimSummary = z.object({
  id: z.string(),
  number: z.string(),
  kind: z.enum(CLAIM_KINDS),
  status: z.string(),
  open: z.boolean(),
  ground: z.enum(CLAIM_GROUNDS).nullable(),
  contract: z.object({ id: z.string(), number: z.string() }),
  consumer: z.object({ id: z.string(), name: z.string(), inn: z.string().nullable() }),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  debtAmount: ZMoney,
  penaltyAmount: ZMoney,
  totalAmount: ZMoney.describe('debt + penalty'),
  debtAsOf: ZDate,
  debtSince: z.string().nullable().describe('the oldest unpaid period on debtAsOf'),
  openedOn: ZDate,
  dueOn: ZDate.nullable(),
  hearingOn: ZDate.nullable(),
  courtName: z.string().nullable(),
  caseNumber: z.string().nullable(),
  closedOn: ZDate.nullable(),
});

/** A claim with its history and what may be done with it next. */
export const ZClaim = ZClaimSummary.extend({
  note: z.string().nullable(),
  parent: ZRef.nullable().describe('the pre-trial claim a court case was filed from'),
  children: z.array(ZRef).describe('court cases filed from this claim'),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  next: z.array(z.string()).describe('the statuses it may move to now'),
  canEscalate: z.boolean().describe('a court case may be filed from it'),
  printable: z.boolean().describe('has a printable form (GET …/pdf)'),
  events: z.array(
    z.object({
      from: z.string().nullable(),
      to: z.string(),
      on: ZDate,
      note: z.string().nullable(),
      by: z.string().nullable(),
      at: z.string(),
    }),
  ),
});

/** A new claim. */
export const ZClaimInput = z
  .object({
    contractId: ZId,
    kind: z.enum(CLAIM_KINDS),
    ground: z.enum(CLAIM_GROUNDS).optional().describe('disconnection orders only'),
    openedOn: ZDate.optional().describe('the document’s date (default today)'),
    debtAsOf: ZDate.optional().describe('the day of the debt (default openedOn)'),
    debtAmount: ZMoneyInput.optional().describe('default: the contract’s debt on debtAsOf'),
    penaltyAmount: ZMoneyInput.optional().describe('claimed beside the debt (default 0)'),
    dueOn: ZDate.optional(),
    courtName: z.string().trim().min(1).max(200).optional(),
    caseNumber: z.string().trim().min(1).max(60).optional(),
    hearingOn: ZDate.optional(),
    parentId: ZId.optional().describe('court cases: the pre-trial claim it escalates'),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();
export type ClaimInput = z.infer<typeof ZClaimInput>;

/** A move of a claim's status. */
export const ZClaimMove = z
  .object({
    status: z.enum(CLAIM_STATUSES),
    on: ZDate.optional().describe('the day it happened (default today)'),
    note: z.string().trim().max(2000).optional(),
    dueOn: ZDate.optional().describe('when sent: the answer is due (default +10 days letter, +30 claim)'),
    hearingOn: ZDate.optional().describe('required for hearing'),
  })
  .strict();
export type ClaimMove = z.infer<typeof ZClaimMove>;

/** A claim on the Vitrina (R14): open on the chosen day, with its status that day. */
export const ZVitrinaClaim = z.object({
  id: z.string(),
  number: z.string(),
  kind: z.enum(CLAIM_KINDS),
  status: z.string().describe('its status on that day'),
  ground: z.enum(CLAIM_GROUNDS).nullable(),
  debtAmount: ZMoney,
  penaltyAmount: ZMoney,
  debtAsOf: ZDate,
  openedOn: ZDate,
  dueOn: ZDate.nullable(),
  hearingOn: ZDate.nullable(),
});
export type VitrinaClaim = z.infer<typeof ZVitrinaClaim>;
