/** A payment status. */
export type PaymentStatus = 'booked' | 'reversed' | 'unmatched';

/** A row of GET /api/payments. */
export type PaymentRow = {
  id: string;
  paidOn: string;
  channel: string;
  channelName: string;
  externalId: string;
  amount: string;
  status: PaymentStatus;
  contract: { id: string; number: string } | null;
  consumerName: string | null;
  payer: string | null;
  orgUnit: { id: string; name: string } | null;
  reversal: {
    on: string;
    reason: string | null;
    by: { type: string; id: string | null; name: string | null } | null;
  } | null;
  bookedBy: { id: string; name: string } | null;
  bookedAt: string;
};

/** GET /api/payments/:id. */
export type PaymentDetail = PaymentRow & {
  purpose: string | null;
  importBatchId: string | null;
  allocations: {
    id: string;
    bill: { id: string; number: string | null; period: string };
    line: { id: string; kind: string; forPeriod: string | null; amount: string };
    amount: string;
    allocatedOn: string;
  }[];
  allocated: string;
  advance: string;
};

/** GET /api/payments/desk. */
export type Desk = {
  canWrite: boolean;
  canReverse: boolean;
  company: { read: boolean; write: boolean };
  channels: { code: string; name: string; active: boolean }[];
  today: string;
};

/** GET /api/payments/contracts. */
export type ContractHit = {
  id: string;
  number: string;
  consumerName: string;
  inn: string | null;
  commodity: string;
  status: string;
  orgUnit: { id: string; name: string };
};

/** POST /api/payments. */
export type BookResult = { payment: PaymentRow; allocated: string; duplicate: boolean };

/** GET /api/payments/unmatched. */
export type UnmatchedPayment = {
  id: string;
  channel: string;
  externalId: string;
  amount: string;
  paidOn: string;
  payer: string | null;
  purpose: string | null;
  receivedAt: string;
  batch: { id: string; fileName: string } | null;
};

/** An import batch (GET /api/payments/imports). */
export type ImportBatch = {
  id: string;
  channel: string;
  fileName: string;
  format: string;
  statementFrom: string | null;
  statementTo: string | null;
  counts: { lines: number; booked: number; duplicates: number; unmatched: number; skipped: number };
  amounts: { booked: string; unmatched: string };
  createdAt: string;
  createdBy: { id: string; name: string } | null;
};

/** POST /api/payments/imports. */
export type ImportResult = {
  batch: ImportBatch;
  lines: {
    line: number;
    externalId: string;
    paidOn: string;
    amount: string;
    payer: string | null;
    outcome: 'booked' | 'duplicate' | 'unmatched';
    paymentId: string;
    contractNumber: string | null;
  }[];
  skipped: { line: number; number: string; amount: string; reason: string }[];
};

type Tally = { count: number; amount: string };

/** GET /api/payments/reconciliation. */
export type Reconciliation = {
  channel: string;
  date: string;
  source: 'imports' | 'file';
  batches: { id: string; fileName: string }[];
  summary: {
    registry: Tally;
    booked: Tally;
    matched: Tally;
    missing: Tally;
    extra: Tally;
    differentAmount: { count: number; registryAmount: string; bookedAmount: string };
  };
  matched: {
    externalId: string;
    line: number;
    payer: string | null;
    amount: string;
    contractNumber: string | null;
  }[];
  differentAmount: {
    externalId: string;
    line: number;
    payer: string | null;
    registryAmount: string;
    bookedAmount: string;
    difference: string;
    contractNumber: string | null;
  }[];
  missing: {
    externalId: string;
    line: number;
    account: string | null;
    payer: string | null;
    amount: string;
    payment: { id: string; status: string } | null;
  }[];
  extra: {
    externalId: string;
    paymentId: string;
    contractNumber: string | null;
    payer: string | null;
    amount: string;
  }[];
};

/** What the API answers about a file it refused: the lines at fault (PAYMENT_FILE_INVALID). */
export type FileErrors = { line: number; message: string }[];
