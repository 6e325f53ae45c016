// The shapes the inbox pages read from the API (src/modules/applications, employee-lists,
// cabinet/cabinet-recovery.ts).

export type ApplicationStatus = 'submitted' | 'accepted' | 'scheduled' | 'done' | 'rejected' | 'cancelled';

export const APPLICATION_TYPES = [
  'disconnection',
  'meter_inspection',
  'heating_inspection',
  'appeal',
  'contract_renewal',
  'no_debt_certificate',
  'volume_change',
  'requisites_change',
] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

export const REQUISITE_FIELDS = [
  'legalAddress',
  'postalAddress',
  'phone',
  'email',
  'bankMfo',
  'bankAccount',
] as const;

export type Requisites = Record<string, string | null>;

/** An application as the office sees it (GET /api/applications, /api/applications/:id). */
export type OfficeApplication = {
  id: string;
  number: string;
  account: string;
  type: ApplicationType;
  status: ApplicationStatus;
  text: string;
  desiredDate: string | null;
  desiredTime: string | null;
  visitDate: string | null;
  details: { meterSerial?: string; volumes?: { period: string; volume: string }[]; requisites?: Requisites };
  createdAt: string;
  updatedAt: string;
  events: {
    at: string;
    status: ApplicationStatus;
    note: string | null;
    by: 'consumer' | 'user' | 'system';
    name: string | null;
  }[];
  consumer: { id: string; name: string; inn: string | null };
  orgUnit: { id: string; name: string };
  assignee: { id: string; name: string } | null;
  requisites: {
    current: Requisites;
    requested: Requisites;
    applied: { at: string; by: string | null; before: Requisites; after: Requisites } | null;
  } | null;
};

export type Assignee = { id: string; name: string; login: string; orgUnit: string };

export type EmployeeListStatus = 'draft' | 'submitted' | 'received';

/** An employee list per procedure No. 1031 (GET /api/employee-lists). */
export type EmployeeList = {
  id: string;
  account: string;
  consumer: { name: string; inn: string | null };
  status: EmployeeListStatus;
  rowCount: number;
  lang: string;
  document: { sha256: string; size: number };
  createdAt: string;
  signer: { commonName: string; organization: string | null; serialNumber: string; inn: string } | null;
  signedAt: string | null;
  submittedAt: string | null;
  receivedAt: string | null;
  receivedBy: string | null;
  orgUnit?: { id: string; name: string };
  rows?: {
    fullName: string;
    position: string;
    pinfl: string;
    passport: string | null;
    phone: string | null;
  }[];
};

/** The stored signature checked again (GET /api/employee-lists/:id/verification). */
export type Verification = {
  valid: boolean;
  reason: string | null;
  signer: {
    commonName: string;
    organization: string | null;
    serialNumber: string;
    inn: string | null;
  } | null;
  signedAt: string | null;
  documentSha256: string;
  checkedAt: string;
};

export type RecoveryStatus = 'requested' | 'confirmed' | 'rejected';

/** A cabinet password recovery request (GET /api/cabinet-recoveries). */
export type Recovery = {
  id: string;
  account: string;
  consumerName: string;
  inn: string | null;
  contact: string;
  status: RecoveryStatus;
  requestedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
  orgUnit: { id: string; name: string };
};
