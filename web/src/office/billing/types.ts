/** A bill run as /api/bill-runs answers it. */
export type BillRun = {
  id: string;
  period: string;
  org_unit_id: string | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
  billed: number;
  warnings: number;
  errors: number;
  percent: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

/** A warning or error of a run. */
export type RunIssue = {
  contractId: string;
  account: string;
  consumer: string;
  severity: 'warning' | 'error';
  code: string;
  message: string | null;
};

/** /api/periods. */
export type PeriodList = {
  open: string;
  items: {
    period: string;
    status: 'open' | 'closed';
    closedAt: string | null;
    closedBy: string | null;
    bills: number;
    total: string;
  }[];
};

/** /api/periods/:period/readiness. */
export type Readiness = {
  period: string;
  accounts: number;
  billed: number;
  withReading: number;
  withoutReading: number;
  awaitingConfirmation: number;
  suspect: number;
};

/** /api/org-units. */
export type OrgUnit = {
  id: string;
  parentId: string | null;
  kind: 'company' | 'region' | 'district';
  code: string;
  name: string;
  path: string;
};
