/** The languages documents are made in. */
export const DOC_LANGS = ['uz', 'uz-Cyrl', 'ru', 'en'] as const;

/** A document language. */
export type DocLang = (typeof DOC_LANGS)[number];

/** A document run as /api/periods/:period/documents answers it. */
export type DocumentRun = {
  id: string;
  period: string;
  org_unit_id: string | null;
  lang: DocLang;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
  created: number;
  skipped: number;
  failed: number;
  to_do: number;
  percent: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

/** GET /api/periods/:period/documents. */
export type PeriodDocumentsSummary = {
  period: string;
  lang: DocLang;
  contracts: number;
  archived: number;
  to_do: number;
  runs: DocumentRun[];
};

/** A contract a run could not make documents for. */
export type DocumentRunIssue = {
  contractId: string;
  account: string;
  consumer: string;
  code: string;
  message: string | null;
};

/** An archived version of a contract's invoice or act. */
export type ContractDocumentVersion = {
  id: string;
  kind: 'invoice' | 'act';
  key: string;
  lang: DocLang;
  version: number;
  fileName: string;
  sha256: string;
  signedAt: string;
  current: boolean;
  supersededAt: string | null;
  reason: string | null;
};
