// The shapes of the claims API (src/modules/claims/claims.schemas.ts) as the office reads them.

export const CLAIM_KINDS = ['warning_letter', 'pretrial_claim', 'court_case', 'disconnection_order'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

export const CLAIM_GROUNDS = [
  'debt',
  'refused_access',
  'tampering',
  'illegal_use',
  'illegal_connection',
] as const;
export type ClaimGround = (typeof CLAIM_GROUNDS)[number];

/** Every status of each kind, in the order of its state machine (claim-status.ts). */
export const STATUSES: Record<ClaimKind, readonly string[]> = {
  warning_letter: ['draft', 'sent', 'answered', 'paid', 'expired', 'cancelled'],
  pretrial_claim: [
    'draft',
    'sent',
    'satisfied',
    'partially_satisfied',
    'rejected',
    'escalated',
    'closed',
    'cancelled',
  ],
  court_case: ['filed', 'hearing', 'won', 'lost', 'settled', 'enforcement', 'closed', 'withdrawn'],
  disconnection_order: ['issued', 'executed', 'cancelled'],
};

/** A row of the debtor list. */
export type Debtor = {
  contractId: string;
  contract: string;
  consumer: { id: string; name: string; kind: string; inn: string | null };
  orgUnit: { id: string; name: string };
  debt: string;
  overdueDebt: string;
  oldestPeriod: string | null;
  daysOverdue: number;
  lastPayment: { paidOn: string; amount: string } | null;
  openClaims: number;
};

/** A claim as the list shows it. */
export type ClaimSummary = {
  id: string;
  number: string;
  kind: ClaimKind;
  status: string;
  open: boolean;
  ground: ClaimGround | null;
  contract: { id: string; number: string };
  consumer: { id: string; name: string; inn: string | null };
  orgUnit: { id: string; name: string };
  debtAmount: string;
  penaltyAmount: string;
  totalAmount: string;
  debtAsOf: string;
  debtSince: string | null;
  openedOn: string;
  dueOn: string | null;
  hearingOn: string | null;
  courtName: string | null;
  caseNumber: string | null;
  closedOn: string | null;
};

type Ref = { id: string; number: string; kind: ClaimKind; status: string };

/** A claim with its history and the moves open to it. */
export type Claim = ClaimSummary & {
  note: string | null;
  parent: Ref | null;
  children: Ref[];
  createdBy: string | null;
  createdAt: string;
  next: string[];
  canEscalate: boolean;
  printable: boolean;
  events: {
    from: string | null;
    to: string;
    on: string;
    note: string | null;
    by: string | null;
    at: string;
  }[];
};

/** What the new-claim form starts from. */
export type ClaimDraft = {
  contractId: string;
  contract: string;
  consumer: string;
  debt?: string;
  kind?: ClaimKind;
  parent?: { id: string; number: string };
};
