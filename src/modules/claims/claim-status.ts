import { AppError } from '../../domain/errors.ts';

// The kinds of claim and the state machine of each (docs/decisions/018-claims.md). Pure: no I/O.
// A status with no move out is final: the claim is closed when it gets there.

export const CLAIM_KINDS = ['warning_letter', 'pretrial_claim', 'court_case', 'disconnection_order'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

/** Why a disconnection order is issued (R11). */
export const CLAIM_GROUNDS = [
  'debt',
  'refused_access',
  'tampering',
  'illegal_use',
  'illegal_connection',
] as const;
export type ClaimGround = (typeof CLAIM_GROUNDS)[number];

const MACHINES = {
  warning_letter: {
    draft: ['sent', 'cancelled'],
    sent: ['answered', 'paid', 'expired'],
    answered: [],
    paid: [],
    expired: [],
    cancelled: [],
  },
  pretrial_claim: {
    draft: ['sent', 'cancelled'],
    // No answer in time also goes to court (escalated) or is dropped (closed).
    sent: ['satisfied', 'partially_satisfied', 'rejected', 'escalated', 'closed'],
    partially_satisfied: ['escalated', 'closed'],
    rejected: ['escalated', 'closed'],
    satisfied: [],
    escalated: [],
    closed: [],
    cancelled: [],
  },
  court_case: {
    filed: ['hearing', 'settled', 'withdrawn'],
    hearing: ['hearing', 'won', 'lost', 'settled', 'withdrawn'],
    won: ['enforcement', 'closed'],
    settled: ['enforcement', 'closed'],
    lost: ['closed'],
    enforcement: ['closed'],
    closed: [],
    withdrawn: [],
  },
  disconnection_order: {
    issued: ['executed', 'cancelled'],
    executed: [],
    cancelled: [],
  },
} as const satisfies Record<ClaimKind, Record<string, readonly string[]>>;

/** A status of some kind of claim. */
export type ClaimStatus = {
  [K in ClaimKind]: keyof (typeof MACHINES)[K];
}[ClaimKind];

/** Every status of a kind, in the order of its machine. */
export function statusesOf(kind: ClaimKind): ClaimStatus[] {
  return Object.keys(MACHINES[kind]) as ClaimStatus[];
}

/** Every status of every kind, without repeats (for filters). */
export const CLAIM_STATUSES = [...new Set(CLAIM_KINDS.flatMap(statusesOf))] as [
  ClaimStatus,
  ...ClaimStatus[],
];

/** The status a new claim of `kind` starts in. */
export function initialStatus(kind: ClaimKind): ClaimStatus {
  switch (kind) {
    case 'warning_letter':
    case 'pretrial_claim':
      return 'draft';
    case 'court_case':
      return 'filed';
    case 'disconnection_order':
      return 'issued';
  }
}

/** The statuses a claim of `kind` in `status` may move to (none when final or unknown). */
export function nextStatuses(kind: ClaimKind, status: string): ClaimStatus[] {
  const moves: Record<string, readonly string[]> = MACHINES[kind];
  return [...(moves[status] ?? [])] as ClaimStatus[];
}

/** True when `status` of `kind` is final: nothing moves out of it and the claim is closed. */
export function isFinal(kind: ClaimKind, status: string): boolean {
  return nextStatuses(kind, status).length === 0;
}

/** The final statuses of each kind (what "closed" means in SQL filters). */
export function finalStatuses(kind: ClaimKind): ClaimStatus[] {
  return statusesOf(kind).filter((s) => isFinal(kind, s));
}

/**
 * Checks a move; CLAIM_TRANSITION (409) unless the machine of `kind` allows `from` → `to`.
 * `escalated` is reached only by filing a court case from the pre-trial claim (CLAIM_ESCALATE_BY_CASE).
 */
export function checkTransition(
  claim: { kind: ClaimKind; number: string; status: string },
  to: string,
): void {
  if (claim.kind === 'pretrial_claim' && to === 'escalated') {
    throw new AppError('CLAIM_ESCALATE_BY_CASE', 'File a court case from the claim to escalate it', {
      number: claim.number,
    });
  }
  if (!nextStatuses(claim.kind, claim.status).includes(to as ClaimStatus)) {
    throw new AppError('CLAIM_TRANSITION', `${claim.kind} ${claim.status} cannot become ${to}`, {
      number: claim.number,
      from: claim.status,
      to,
      allowed: nextStatuses(claim.kind, claim.status),
    });
  }
}

/** The statuses of a pre-trial claim from which a court case may be filed (it then becomes escalated). */
export const ESCALATABLE = ['sent', 'partially_satisfied', 'rejected'] as const;

/** The number prefix of each kind: OGH-2026-00012 (docs/decisions/018-claims.md). */
export const NUMBER_PREFIX: Record<ClaimKind, string> = {
  warning_letter: 'OGH', // ogohlantirish xati
  pretrial_claim: 'TLB', // sudgacha talabnoma
  court_case: 'SUD', // sud ishi
  disconnection_order: 'OCH', // o'chirish buyrug'i
};

/** A claim number: prefix, year and a sequence of at least five digits. */
export function claimNumber(kind: ClaimKind, year: number, seq: number): string {
  return `${NUMBER_PREFIX[kind]}-${year}-${String(seq).padStart(5, '0')}`;
}

/** Days a consumer has to answer or pay after a letter or claim is sent (the default due date). */
export const ANSWER_DAYS: Partial<Record<ClaimKind, number>> = {
  warning_letter: 10,
  pretrial_claim: 30,
};
