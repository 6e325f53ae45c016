import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';
import {
  addPeriods,
  firstDay,
  lastDay,
  type Period,
  parseLocalDate,
  periodsBetween,
} from '../../domain/period.ts';
import { formatPrice, price } from '../../domain/price.ts';
import { formatQuantity, milli } from '../../domain/quantity.ts';
import type { Locale } from '../../i18n/locale.ts';
import { actNoteVariables, invoiceNoteVariables } from '../reference/document-template-variables.ts';
import { documentNotes } from '../reference/document-templates.ts';

// Documents of an account (billing-rules §1, §10): the invoice of a closed period and the
// reconciliation act over closed periods, as JSON; documents.pdf.ts renders them for people.
// Money is exchanged as decimal strings "1234.56"; a positive balance is the consumer's debt.

/** A party's requisites. */
export type Party = {
  name: string;
  inn: string | null;
  address: string | null;
  bank_mfo: string | null;
  bank_account: string | null;
};

export type InvoiceLine = {
  no: number;
  kind: string;
  register: string | null;
  for_period: string | null;
  quantity: string | null;
  unit: string | null;
  price: string | null;
  amount_without_vat: string;
  vat: string;
  amount: string;
};

export type InvoiceDocument = {
  type: 'invoice';
  number: string;
  date: string;
  due_date: string | null;
  period: string;
  account: string;
  commodity: 'electricity' | 'heat';
  vat_rate: string;
  supplier: Party;
  consumer: Party;
  lines: InvoiceLine[];
  totals: { amount_without_vat: string; vat: string; amount: string };
  /** The `invoice_note` template in force on the invoice's date, filled, per language; absent when blank. */
  notes?: Partial<Record<Locale, string>>;
};

export type ActPeriod = {
  period: string;
  opening: string;
  charges: string;
  payments: string;
  closing: string;
};

export type ReconciliationAct = {
  type: 'reconciliation_act';
  account: string;
  from: string;
  to: string;
  date: string;
  supplier: Party;
  consumer: Party;
  opening_balance: string;
  periods: ActPeriod[];
  totals: { charges: string; payments: string };
  closing_balance: string;
  /** The `act_note` template in force on the act's date, filled, per language; absent when blank. */
  notes?: Partial<Record<Locale, string>>;
};

export type Account = {
  id: bigint;
  number: string;
  commodity: 'electricity' | 'heat';
  supplier: Party;
  consumer: Party;
};

const money = (t: bigint): string => formatMoney(tiyin(t));

/** The contract with both parties' requisites. */
export async function accountOf(db: Kysely<DB>, tenantId: bigint, contractId: bigint): Promise<Account> {
  const row = await db
    .selectFrom('contract as k')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('tenant as t', 't.id', 'k.tenant_id')
    .select([
      'k.id',
      'k.number',
      'k.commodity',
      't.name as s_name',
      't.inn as s_inn',
      't.address as s_address',
      't.bank_mfo as s_mfo',
      't.bank_account as s_account',
      'c.name as c_name',
      'c.inn as c_inn',
      'c.legal_address as c_address',
      'c.bank_mfo as c_mfo',
      'c.bank_account as c_account',
    ])
    .where('k.id', '=', contractId)
    .where('k.tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!row)
    throw new AppError('UNKNOWN_ACCOUNT', `Unknown account ${contractId}`, { account: String(contractId) });
  return {
    id: row.id,
    number: row.number,
    commodity: row.commodity === 'heat' ? 'heat' : 'electricity',
    supplier: {
      name: row.s_name,
      inn: row.s_inn,
      address: row.s_address,
      bank_mfo: row.s_mfo,
      bank_account: row.s_account,
    },
    consumer: {
      name: row.c_name,
      inn: row.c_inn,
      address: row.c_address,
      bank_mfo: row.c_mfo,
      bank_account: row.c_account,
    },
  };
}

async function lastClosed(db: Kysely<DB>, tenantId: bigint): Promise<Period | null> {
  const row = await db
    .selectFrom('billing_period')
    .select(sql<string | null>`max(period)`.as('period'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  return (row?.period ?? null) as Period | null;
}

function unitOf(kind: string, obis: string | null, commodity: 'electricity' | 'heat'): string | null {
  if (kind === 'penalty' || kind === 'correction') return null;
  if (obis === '3.8.0' || kind === 'reactive') return 'kvarh';
  return commodity === 'heat' ? 'Gcal' : 'kWh';
}

/** The invoice of a closed period: the bill's number, lines with VAT per line, both parties. */
export async function invoiceOf(
  db: Kysely<DB>,
  input: { tenantId: bigint; contractId: bigint; period: Period },
): Promise<InvoiceDocument> {
  const account = await accountOf(db, input.tenantId, input.contractId);
  const closed = await lastClosed(db, input.tenantId);
  if (closed === null || input.period > closed)
    throw new AppError('PERIOD_NOT_CLOSED', `Period ${input.period} is not closed yet`, {
      period: input.period,
    });
  const bill = await db
    .selectFrom('bill')
    .select(['id', 'number', 'issued_on', 'due_on', 'total', 'vat'])
    .where('contract_id', '=', account.id)
    .where('period', '=', input.period)
    .executeTakeFirst();
  if (!bill || bill.number === null)
    throw new AppError('DOCUMENT_NOT_FOUND', `No invoice of ${account.number} for ${input.period}`, {
      account: account.number,
      period: input.period,
    });
  const vatRate = await db
    .selectFrom('tenant')
    .select('vat_rate')
    .where('id', '=', input.tenantId)
    .executeTakeFirstOrThrow();
  const lines = await db
    .selectFrom('bill_line')
    .select(['seq', 'kind', 'obis', 'for_period', 'quantity', 'price', 'amount', 'vat'])
    .where('bill_id', '=', bill.id)
    .orderBy('seq')
    .execute();
  const invoice: InvoiceDocument = {
    type: 'invoice',
    number: bill.number,
    date: bill.issued_on ?? lastDay(input.period),
    due_date: bill.due_on,
    period: input.period,
    account: account.number,
    commodity: account.commodity,
    vat_rate: String(vatRate.vat_rate).replace(/\.0+$/, ''),
    supplier: account.supplier,
    consumer: account.consumer,
    lines: lines.map((l, i) => ({
      no: i + 1,
      kind: l.kind,
      register: l.obis,
      for_period: l.for_period,
      quantity: l.quantity === null ? null : formatQuantity(milli(l.quantity)),
      unit: unitOf(l.kind, l.obis, account.commodity),
      price: l.price === null ? null : formatPrice(price(l.price)),
      amount_without_vat: money(l.amount - l.vat),
      vat: money(l.vat),
      amount: money(l.amount),
    })),
    totals: {
      amount_without_vat: money(bill.total - bill.vat),
      vat: money(bill.vat),
      amount: money(bill.total),
    },
  };
  const notes = await documentNotes(
    db,
    input.tenantId,
    'invoice_note',
    parseLocalDate(invoice.date),
    (lang) => invoiceNoteVariables(invoice, lang),
  );
  return notes ? { ...invoice, notes } : invoice;
}

/**
 * The reconciliation act over closed periods `from`..`to`: the opening balance, then per period
 * the charges posted, the payments dated in it (a reversal counts negative on its date) and the
 * closing balance; closing = opening + charges − payments.
 */
export async function reconciliationActOf(
  db: Kysely<DB>,
  input: { tenantId: bigint; contractId: bigint; from: Period; to: Period },
): Promise<ReconciliationAct> {
  const { from, to } = input;
  if (from > to || periodsBetween(from, to).length > 36)
    throw new AppError('VALIDATION_FAILED', 'The act covers 1 to 36 months, from before to', {
      issues: 'from, to',
    });
  const account = await accountOf(db, input.tenantId, input.contractId);
  const closed = await lastClosed(db, input.tenantId);
  if (closed === null || to > closed)
    throw new AppError('PERIOD_NOT_CLOSED', `Period ${to} is not closed yet`, { period: to });
  const s = await settlementsOf(db, account.id, from, to);
  const periods: ActPeriod[] = s.periods.map((p) => ({
    period: p.period,
    opening: money(p.opening),
    charges: money(p.charges),
    payments: money(p.payments),
    closing: money(p.closing),
  }));
  const opening = s.opening;
  const balance = s.closing;
  const totalCharges = s.periods.reduce((a, p) => a + p.charges, 0n);
  const totalPayments = s.periods.reduce((a, p) => a + p.payments, 0n);
  const act: ReconciliationAct = {
    type: 'reconciliation_act',
    account: account.number,
    from,
    to,
    date: lastDay(to),
    supplier: account.supplier,
    consumer: account.consumer,
    opening_balance: money(opening),
    periods,
    totals: { charges: money(totalCharges), payments: money(totalPayments) },
    closing_balance: money(balance),
  };
  const notes = await documentNotes(db, input.tenantId, 'act_note', lastDay(to), (lang) =>
    actNoteVariables(act, lang),
  );
  return notes ? { ...act, notes } : act;
}

/** One month of settlements in tiyin: opening + charges − payments = closing. */
export type Settlement = {
  period: Period;
  opening: bigint;
  charges: bigint;
  payments: bigint;
  closing: bigint;
};

/**
 * Settlements of a contract month by month over `from`..`to`, whether closed or not: the charges
 * posted to each period's bill, the payments dated in it (a reversal counts negative on its date),
 * and the balances; a positive balance is the consumer's debt.
 */
export async function settlementsOf(
  db: Kysely<DB>,
  contractId: bigint,
  from: Period,
  to: Period,
): Promise<{ opening: bigint; periods: Settlement[]; closing: bigint }> {
  const charges = await db
    .selectFrom('bill as b')
    .innerJoin('bill_line as l', 'l.bill_id', 'b.id')
    .select(['b.period', sql<string>`sum(l.amount)::text`.as('amount')])
    .where('b.contract_id', '=', contractId)
    .where('b.period', '<=', to)
    .groupBy('b.period')
    .execute();
  const payments = await db
    .selectFrom('payment')
    .select(['paid_on', 'amount', 'reversed_on'])
    .where('contract_id', '=', contractId)
    .where('paid_on', '<=', lastDay(to))
    .execute();
  const chargedIn = (p: Period) => BigInt(charges.find((c) => c.period === p)?.amount ?? '0');
  const paidBetween = (a: string, b: string) =>
    payments.reduce(
      (sum, m) =>
        sum +
        (m.paid_on >= a && m.paid_on <= b ? m.amount : 0n) -
        (m.reversed_on !== null && m.reversed_on >= a && m.reversed_on <= b ? m.amount : 0n),
      0n,
    );
  const openingCharges = charges.filter((c) => c.period < from).reduce((a, c) => a + BigInt(c.amount), 0n);
  let balance = openingCharges - paidBetween('0000-01-01', lastDay(addPeriods(from, -1)));
  const opening = balance;
  const periods: Settlement[] = [];
  for (const p of periodsBetween(from, to)) {
    const c = chargedIn(p);
    const paid = paidBetween(firstDay(p), lastDay(p));
    const start = balance;
    balance = balance + c - paid;
    periods.push({ period: p, opening: start, charges: c, payments: paid, closing: balance });
  }
  return { opening, periods, closing: balance };
}
