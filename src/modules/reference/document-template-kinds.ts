import type { Locale } from '../../i18n/locale.ts';

// The kinds of document templates (R1, docs/decisions/019-document-templates.md): what each may
// say through placeholders, whether it may be empty, how long it may be, and the built-in text that
// applies until a supplier adds its own version. A new kind (the claims module's warning letter and
// pre-trial claim) is one more entry here and one more case in document-template-preview.ts; the
// table `document_template_version` does not list kinds, so no migration is needed.

/** Every kind of document template. */
export const TEMPLATE_KINDS = ['contract_terms', 'invoice_note', 'act_note'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

/** What a kind allows. */
export type TemplateKindSpec = {
  /** The placeholders `{{name}}` a body may use, in the order the editor lists them. */
  variables: readonly string[];
  /** True when an empty body is refused (the document needs the text). */
  required: boolean;
  /** The longest body accepted, in characters. */
  maxLength: number;
  /** The text that applies before the supplier's first version, per language. */
  builtIn: Record<Locale, string>;
};

/** The placeholders of the contract's settlement terms (section 4), filled from the contract and the supplier's rates. */
const CONTRACT_TERMS_VARIABLES = [
  'readingDay',
  'penaltyRate',
  'standardPenaltyRate',
  'specialPenaltyRate',
  'penaltyCap',
  'overconsumptionThreshold',
  'overconsumptionFactor',
  'supplierName',
  'consumerName',
  'contractNumber',
  'contractDate',
] as const;

/** The placeholders of the note under an invoice's totals, filled from the invoice. */
const INVOICE_NOTE_VARIABLES = [
  'supplierName',
  'supplierInn',
  'supplierBankAccount',
  'supplierMfo',
  'consumerName',
  'contractNumber',
  'invoiceNumber',
  'invoiceDate',
  'period',
  'dueDate',
  'total',
] as const;

/** The placeholders of the reconciliation act's closing text, filled from the act. */
const ACT_NOTE_VARIABLES = [
  'supplierName',
  'supplierInn',
  'consumerName',
  'contractNumber',
  'actDate',
  'periodFrom',
  'periodTo',
  'closingBalance',
] as const;

const EMPTY: Record<Locale, string> = { uz: '', 'uz-Cyrl': '', ru: '', en: '' };

// The settlement terms as the contract printed them before templates existed, one clause per line
// (the renderer numbers them 4.1, 4.2, …). Filled with the default rates they read exactly as before.
const CONTRACT_TERMS: Record<Locale, string> = {
  uz: [
    'Isteʼmolchi hisoblagich koʻrsatkichlarini har oyning {{readingDay}}-sanasigacha shaxsiy kabinet orqali yuboradi; koʻrsatkich boʻlmasa, isteʼmol shartnoma hajmi yoki oʻrtacha kunlik isteʼmol boʻyicha hisoblanadi.',
    'M oyda hisoblangan summa M+1 oyning oxirgi kunigacha toʻlanadi, M+2 oyning 1-sanasidan muddati oʻtgan hisoblanadi.',
    'Muddati oʻtgan qarz uchun har bir kunga {{penaltyRate}} % penya hisoblanadi, penya qarzning {{penaltyCap}} % idan oshmaydi.',
    'Shartnoma hajmidan {{overconsumptionThreshold}} % dan ortiq isteʼmol {{overconsumptionFactor}} baravar narxda hisoblanadi.',
    'Toʻlovlar avval eng eski qarzga, penya esa oxirida yopiladi; ortiqcha toʻlov avans sifatida qoladi.',
  ].join('\n'),
  'uz-Cyrl': [
    'Истеъмолчи ҳисоблагич кўрсаткичларини ҳар ойнинг {{readingDay}}-санасигача шахсий кабинет орқали юборади; кўрсаткич бўлмаса, истеъмол шартнома ҳажми ёки ўртача кунлик истеъмол бўйича ҳисобланади.',
    'M ойда ҳисобланган сумма M+1 ойнинг охирги кунигача тўланади, M+2 ойнинг 1-санасидан муддати ўтган ҳисобланади.',
    'Муддати ўтган қарз учун ҳар бир кунга {{penaltyRate}} % пеня ҳисобланади, пеня қарзнинг {{penaltyCap}} % идан ошмайди.',
    'Шартнома ҳажмидан {{overconsumptionThreshold}} % дан ортиқ истеъмол {{overconsumptionFactor}} баравар нархда ҳисобланади.',
    'Тўловлар аввал энг эски қарзга, пеня эса охирида ёпилади; ортиқча тўлов аванс сифатида қолади.',
  ].join('\n'),
  ru: [
    'Потребитель передаёт показания счётчиков через личный кабинет до {{readingDay}}-го числа каждого месяца; без показаний потребление определяется по договорному объёму или по среднесуточному потреблению.',
    'Начисление месяца M оплачивается до последнего дня месяца M+1 и считается просроченным с 1-го числа месяца M+2.',
    'За каждый день просрочки начисляется пеня {{penaltyRate}} %, но не более {{penaltyCap}} % суммы долга.',
    'Потребление сверх договорного объёма более чем на {{overconsumptionThreshold}} % оплачивается по цене × {{overconsumptionFactor}}.',
    'Платежи погашают сначала самую старую задолженность, пеню — в последнюю очередь; переплата остаётся авансом.',
  ].join('\n'),
  en: [
    'The consumer submits meter readings in the cabinet by the {{readingDay}}th of each month; without a reading, consumption is the contracted volume or the average daily consumption.',
    'A charge of month M is due by the last day of M+1 and overdue from the 1st of M+2.',
    'Each day overdue accrues a penalty of {{penaltyRate}} %, at most {{penaltyCap}} % of the debt.',
    'Consumption more than {{overconsumptionThreshold}} % above the contracted volume is charged at {{overconsumptionFactor}} × the price.',
    'Payments settle the oldest debt first and penalties last; any excess stays as an advance.',
  ].join('\n'),
};

/** The kinds with what each allows. */
export const TEMPLATE_KIND_SPECS: Record<TemplateKind, TemplateKindSpec> = {
  contract_terms: {
    variables: CONTRACT_TERMS_VARIABLES,
    required: true,
    maxLength: 8000,
    builtIn: CONTRACT_TERMS,
  },
  invoice_note: { variables: INVOICE_NOTE_VARIABLES, required: false, maxLength: 2000, builtIn: EMPTY },
  act_note: { variables: ACT_NOTE_VARIABLES, required: false, maxLength: 2000, builtIn: EMPTY },
};

/** True when `v` names a template kind. */
export function isTemplateKind(v: string): v is TemplateKind {
  return (TEMPLATE_KINDS as readonly string[]).includes(v);
}
