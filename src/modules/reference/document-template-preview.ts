import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { lastDay, nextPeriod, type Period, periodOf, todayInTashkent } from '../../domain/period.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { Access } from '../auth/access.ts';
import { type ContractDocument, contractDocumentOf, renderContractPdf } from '../documents/contract.pdf.ts';
import { renderActPdf, renderInvoicePdf } from '../documents/documents.pdf.ts';
import {
  type InvoiceDocument,
  invoiceOf,
  type Party,
  type ReconciliationAct,
  reconciliationActOf,
} from '../documents/documents.service.ts';
import { TEMPLATE_KIND_SPECS, type TemplateKind } from './document-template-kinds.ts';
import { checkTemplateBody, fillTemplate } from './document-template-text.ts';
import {
  actNoteVariables,
  contractTermsVariables,
  invoiceNoteVariables,
  type SupplierRates,
} from './document-template-variables.ts';

// The editor's preview: a body, checked as if saved but not stored, rendered into the document it
// belongs to — the chosen contract's own document (its contract, its latest invoice or act), or a
// sample one with the supplier's requisites when no contract is chosen or it has no invoice yet.

/** A consumer for sample documents, in the preview's language. */
const SAMPLE_CONSUMER: Record<Locale, string> = {
  uz: '«Namuna» MChJ',
  'uz-Cyrl': '«Намуна» МЧЖ',
  ru: 'ООО «Образец»',
  en: 'Sample LLC',
};

type Supplier = { party: Party; commodity: 'electricity' | 'heat'; readingDay: number; rates: SupplierRates };

async function supplierOf(db: Kysely<DB>, tenantId: bigint): Promise<Supplier> {
  const t = await db.selectFrom('tenant').selectAll().where('id', '=', tenantId).executeTakeFirstOrThrow();
  return {
    party: {
      name: t.name,
      inn: t.inn,
      address: t.address,
      bank_mfo: t.bank_mfo,
      bank_account: t.bank_account,
    },
    commodity: t.commodity === 'heat' ? 'heat' : 'electricity',
    readingDay: t.reading_deadline_day,
    rates: {
      penaltyRate: String(t.penalty_rate),
      specialPenaltyRate: String(t.special_penalty_rate),
      penaltyCap: String(t.penalty_cap),
      overconsumptionThreshold: String(t.overconsumption_threshold),
      overconsumptionFactor: String(t.overconsumption_factor),
    },
  };
}

const sampleParty = (lang: Locale): Party => ({
  name: SAMPLE_CONSUMER[lang],
  inn: '300000000',
  address: null,
  bank_mfo: null,
  bank_account: null,
});

function sampleContract(s: Supplier, lang: Locale, today: string): ContractDocument {
  return {
    id: 0n,
    number: '00000',
    commodity: s.commodity,
    supplier: s.party,
    consumer: sampleParty(lang),
    startDate: today,
    tariff: null,
    specialSupply: false,
    monthlyVolume: '1000000',
    contractedLoad: null,
    volumes: [],
    meters: [
      { point: 'TP-1', address: null, serial: '000001', type: null, multiplier: '1', registers: '1.8.0' },
    ],
    readingDay: s.readingDay,
    rates: s.rates,
    terms: { uz: '', 'uz-Cyrl': '', ru: '', en: '' },
  };
}

function sampleInvoice(s: Supplier, lang: Locale, period: Period): InvoiceDocument {
  return {
    type: 'invoice',
    number: `${period.replace('-', '')}-000000`,
    date: lastDay(period),
    due_date: lastDay(nextPeriod(period)),
    period,
    account: '00000',
    commodity: s.commodity,
    vat_rate: '12',
    supplier: s.party,
    consumer: sampleParty(lang),
    lines: [
      {
        no: 1,
        kind: 'energy',
        register: '1.8.0',
        for_period: null,
        quantity: '1000.000',
        unit: s.commodity === 'heat' ? 'Gcal' : 'kWh',
        price: '1120.00',
        amount_without_vat: '1000000.00',
        vat: '120000.00',
        amount: '1120000.00',
      },
    ],
    totals: { amount_without_vat: '1000000.00', vat: '120000.00', amount: '1120000.00' },
  };
}

function sampleAct(s: Supplier, lang: Locale, period: Period): ReconciliationAct {
  return {
    type: 'reconciliation_act',
    account: '00000',
    from: period,
    to: period,
    date: lastDay(period),
    supplier: s.party,
    consumer: sampleParty(lang),
    opening_balance: '0.00',
    periods: [{ period, opening: '0.00', charges: '1120000.00', payments: '0.00', closing: '1120000.00' }],
    totals: { charges: '1120000.00', payments: '0.00' },
    closing_balance: '1120000.00',
  };
}

/** The chosen contract, if the caller may see it (consumer.read at its unit); UNKNOWN_ACCOUNT otherwise. */
async function chosenContract(db: Kysely<DB>, access: Access, number: string | undefined) {
  if (!number) return null;
  const row = await db
    .selectFrom('contract as k')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['k.id', 'ou.path'])
    .where('k.tenant_id', '=', access.user.tenantId)
    .where('k.number', '=', number)
    .executeTakeFirst();
  if (!row || !access.canAt('consumer.read', row.path))
    throw new AppError('UNKNOWN_ACCOUNT', `Unknown account ${number}`, { account: number });
  return row.id;
}

/** The period of the contract's latest invoice (bills get numbers when their period closes), if any. */
async function latestInvoicedPeriod(db: Kysely<DB>, contractId: bigint): Promise<Period | null> {
  const row = await db
    .selectFrom('bill')
    .select('period')
    .where('contract_id', '=', contractId)
    .where('number', 'is not', null)
    .orderBy('period', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (row?.period ?? null) as Period | null;
}

/** Renders `body` (not saved) as `kind` in `lang` into its document, as a PDF; the body is checked as on save (400). */
export async function previewTemplate(
  db: Kysely<DB>,
  access: Access,
  input: { kind: TemplateKind; lang: Locale; body: string; contractNumber?: string | undefined },
): Promise<{ pdf: Buffer; fileName: string }> {
  const { kind, lang } = input;
  const body = checkTemplateBody(TEMPLATE_KIND_SPECS[kind], input.body);
  const tenantId = access.user.tenantId;
  const contractId = await chosenContract(db, access, input.contractNumber);
  const supplier = await supplierOf(db, tenantId);
  const today = todayInTashkent();
  const invoiced = contractId === null ? null : await latestInvoicedPeriod(db, contractId);
  const samplePeriod = periodOf(today);
  const fileName = `preview-${kind}-${lang}.pdf`;
  switch (kind) {
    case 'contract_terms': {
      const doc =
        contractId === null
          ? sampleContract(supplier, lang, today)
          : await contractDocumentOf(db, tenantId, contractId);
      const terms = { ...doc.terms, [lang]: fillTemplate(body, contractTermsVariables(doc, lang)) };
      return { pdf: await renderContractPdf({ ...doc, terms }, lang), fileName };
    }
    case 'invoice_note': {
      const inv =
        contractId === null || invoiced === null
          ? sampleInvoice(supplier, lang, samplePeriod)
          : await invoiceOf(db, { tenantId, contractId, period: invoiced });
      const notes = { [lang]: fillTemplate(body, invoiceNoteVariables(inv, lang)).trim() };
      return { pdf: await renderInvoicePdf({ ...inv, notes }, lang), fileName };
    }
    case 'act_note': {
      const act =
        contractId === null || invoiced === null
          ? sampleAct(supplier, lang, samplePeriod)
          : await reconciliationActOf(db, { tenantId, contractId, from: invoiced, to: invoiced });
      const notes = { [lang]: fillTemplate(body, actNoteVariables(act, lang)).trim() };
      return { pdf: await renderActPdf({ ...act, notes }, lang), fileName };
    }
  }
}
