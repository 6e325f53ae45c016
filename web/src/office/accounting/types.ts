/** The opening, turnover and closing amounts of a turnover row, exact decimal strings. */
export type TurnoverMoney = {
  openingDebit: string;
  openingCredit: string;
  debit: string;
  credit: string;
  closingDebit: string;
  closingCredit: string;
};

/** A row of the synthetic turnover: one ledger account. */
export type SyntheticRow = TurnoverMoney & { account: string; name: string };

/** A row of the analytic turnover: one account and contract. */
export type AnalyticRow = TurnoverMoney & {
  account: string;
  contract: string;
  consumer: string;
  inn: string | null;
};

/** GET /api/accounting/turnover. */
export type Turnover = { period: string; synthetic: SyntheticRow[]; analytic: AnalyticRow[] };

/** An e-invoice generation run with its progress. */
export type EinvoiceRun = {
  id: string;
  period: string;
  orgUnitId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
  error: string | null;
};

/** A run as GET /api/accounting/einvoice-runs lists it. */
export type EinvoiceRunListed = EinvoiceRun & {
  createdAt: string;
  finishedAt: string | null;
  createdBy: string | null;
};

/** A signed e-invoice as GET /api/accounting/einvoices lists it. */
export type Einvoice = {
  billId: string;
  facturaId: string;
  number: string;
  contract: string;
  consumer: string;
  inn: string | null;
  total: string;
  vat: string;
  signedAt: string;
};

/** The money columns of a turnover table, in order. */
export const MONEY_KEYS = [
  'openingDebit',
  'openingCredit',
  'debit',
  'credit',
  'closingDebit',
  'closingCredit',
] as const satisfies readonly (keyof TurnoverMoney)[];

/** Sums exact decimal strings with two fraction digits ("12.30") without floats. */
export function sumDecimals(values: string[]): string {
  let total = 0n;
  for (const v of values) {
    const negative = v.startsWith('-');
    const [whole = '0', frac = ''] = (negative ? v.slice(1) : v).split('.');
    const cents = BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0').slice(0, 2));
    total += negative ? -cents : cents;
  }
  const negative = total < 0n;
  const abs = negative ? -total : total;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
