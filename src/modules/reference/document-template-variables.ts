import { formatMoneyLocale, parseMoney } from '../../domain/money.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { InvoiceDocument, ReconciliationAct } from '../documents/documents.service.ts';

// The values of each template kind's placeholders, formatted for people in the document's
// language (decimal comma but in English, dates DD.MM.YYYY, money grouped with its currency).
// Each function returns exactly the variables its kind declares in document-template-kinds.ts;
// the tests check the two lists agree.

/** The supplier's settlement rates as stored (tenant columns, exact decimal strings such as "0.001000"). */
export type SupplierRates = {
  penaltyRate: string;
  specialPenaltyRate: string;
  penaltyCap: string;
  overconsumptionThreshold: string;
  overconsumptionFactor: string;
};

/** The default rates of billing-rules.md (the tenant columns' defaults), for sample documents. */
export const DEFAULT_RATES: SupplierRates = {
  penaltyRate: '0.001',
  specialPenaltyRate: '0.002',
  penaltyCap: '0.5',
  overconsumptionThreshold: '0.05',
  overconsumptionFactor: '1.15',
};

/**
 * An exact decimal text times 10^shift, for people: "0.001000" with shift 2 → "0,1" ("0.1" in
 * English); trailing zeros dropped. Never a float.
 */
export function decimalText(value: string, shift: number, locale: Locale): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value;
  const sign = m[1] ?? '';
  const frac = m[3] ?? '';
  let digits = `${m[2] ?? '0'}${frac}`;
  let scale = frac.length - shift;
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  digits = digits.padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${sign}${whole}${rest ? (locale === 'en' ? '.' : ',') + rest : ''}`;
}

/** 'YYYY-MM-DD' as 'DD.MM.YYYY'. */
export function dateText(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

const money = (amount: string, locale: Locale) =>
  formatMoneyLocale(parseMoney(amount, { allowNegative: true }), locale, { currency: true });

/** What the contract's terms are filled from. */
export type ContractTermsSource = {
  number: string;
  startDate: string;
  specialSupply: boolean;
  readingDay: number;
  supplier: { name: string };
  consumer: { name: string };
  rates: SupplierRates;
};

/** Values of `contract_terms`: the contract's own penalty rate is the special one under special supply. */
export function contractTermsVariables(c: ContractTermsSource, locale: Locale): Record<string, string> {
  const percent = (v: string) => decimalText(v, 2, locale);
  return {
    readingDay: String(c.readingDay),
    penaltyRate: percent(c.specialSupply ? c.rates.specialPenaltyRate : c.rates.penaltyRate),
    standardPenaltyRate: percent(c.rates.penaltyRate),
    specialPenaltyRate: percent(c.rates.specialPenaltyRate),
    penaltyCap: percent(c.rates.penaltyCap),
    overconsumptionThreshold: percent(c.rates.overconsumptionThreshold),
    overconsumptionFactor: decimalText(c.rates.overconsumptionFactor, 0, locale),
    supplierName: c.supplier.name,
    consumerName: c.consumer.name,
    contractNumber: c.number,
    contractDate: dateText(c.startDate),
  };
}

/** Values of `invoice_note`. */
export function invoiceNoteVariables(inv: InvoiceDocument, locale: Locale): Record<string, string> {
  return {
    supplierName: inv.supplier.name,
    supplierInn: inv.supplier.inn ?? '',
    supplierBankAccount: inv.supplier.bank_account ?? '',
    supplierMfo: inv.supplier.bank_mfo ?? '',
    consumerName: inv.consumer.name,
    contractNumber: inv.account,
    invoiceNumber: inv.number,
    invoiceDate: dateText(inv.date),
    period: inv.period,
    dueDate: inv.due_date ? dateText(inv.due_date) : '',
    total: money(inv.totals.amount, locale),
  };
}

/** Values of `act_note`; the closing balance is signed (negative = the consumer's advance). */
export function actNoteVariables(act: ReconciliationAct, locale: Locale): Record<string, string> {
  return {
    supplierName: act.supplier.name,
    supplierInn: act.supplier.inn ?? '',
    consumerName: act.consumer.name,
    contractNumber: act.account,
    actDate: dateText(act.date),
    periodFrom: act.from,
    periodTo: act.to,
    closingBalance: money(act.closing_balance, locale),
  };
}
