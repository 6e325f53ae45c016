import type { XlsxColumn } from '../../http/list.ts';
import type { Locale } from '../../i18n/locale.ts';
import { CLAIM_LABELS } from './claim-labels.ts';
import type { ClaimSummary } from './claims.views.ts';
import type { Debtor } from './debtors.ts';

// The columns of the debtor and claims workbooks (decision 015).

const CONTRACT = { uz: 'Shartnoma', 'uz-Cyrl': 'Шартнома', ru: 'Договор', en: 'Contract' };
const CONSUMER = { uz: 'Isteʼmolchi', 'uz-Cyrl': 'Истеъмолчи', ru: 'Потребитель', en: 'Consumer' };
const INN = { uz: 'STIR', 'uz-Cyrl': 'СТИР', ru: 'ИНН', en: 'INN' };
const UNIT = { uz: 'Boʻlinma', 'uz-Cyrl': 'Бўлинма', ru: 'Подразделение', en: 'Org unit' };

/** The columns of the debtor list. */
export function debtorColumns(): XlsxColumn<Debtor>[] {
  return [
    { header: CONTRACT, value: (r) => r.contract, width: 12 },
    { header: CONSUMER, value: (r) => r.consumer.name, width: 36 },
    { header: INN, value: (r) => r.consumer.inn, width: 12 },
    { header: UNIT, value: (r) => r.orgUnit.name, width: 24 },
    {
      header: { uz: 'Qarz', 'uz-Cyrl': 'Қарз', ru: 'Задолженность', en: 'Debt' },
      type: 'money',
      value: (r) => r.debt,
      width: 16,
    },
    {
      header: {
        uz: 'Muddati oʻtgan qarz',
        'uz-Cyrl': 'Муддати ўтган қарз',
        ru: 'Просроченная',
        en: 'Overdue',
      },
      type: 'money',
      value: (r) => r.overdueDebt,
      width: 16,
    },
    {
      header: {
        uz: 'Eng eski toʻlanmagan davr',
        'uz-Cyrl': 'Энг эски тўланмаган давр',
        ru: 'Старейший неоплаченный период',
        en: 'Oldest unpaid period',
      },
      value: (r) => r.oldestPeriod,
      width: 12,
    },
    {
      header: { uz: 'Kechikish, kun', 'uz-Cyrl': 'Кечикиш, кун', ru: 'Просрочка, дней', en: 'Days overdue' },
      type: 'number',
      value: (r) => r.daysOverdue,
      width: 10,
    },
    {
      header: {
        uz: 'Oxirgi toʻlov sanasi',
        'uz-Cyrl': 'Охирги тўлов санаси',
        ru: 'Дата последнего платежа',
        en: 'Last payment on',
      },
      type: 'date',
      value: (r) => r.lastPayment?.paidOn,
      width: 12,
    },
    {
      header: { uz: 'Oxirgi toʻlov', 'uz-Cyrl': 'Охирги тўлов', ru: 'Последний платёж', en: 'Last payment' },
      type: 'money',
      value: (r) => r.lastPayment?.amount,
      width: 16,
    },
    {
      header: {
        uz: 'Ochiq daʼvolar',
        'uz-Cyrl': 'Очиқ даъволар',
        ru: 'Открытых претензий',
        en: 'Open claims',
      },
      type: 'number',
      value: (r) => r.openClaims,
      width: 10,
    },
  ];
}

/** The columns of the claims list; kinds and statuses are written in `locale`. */
export function claimColumns(locale: Locale): XlsxColumn<ClaimSummary>[] {
  const l = CLAIM_LABELS[locale];
  return [
    {
      header: { uz: 'Raqami', 'uz-Cyrl': 'Рақами', ru: 'Номер', en: 'Number' },
      value: (r) => r.number,
      width: 16,
    },
    {
      header: { uz: 'Sana', 'uz-Cyrl': 'Сана', ru: 'Дата', en: 'Date' },
      type: 'date',
      value: (r) => r.openedOn,
      width: 12,
    },
    {
      header: { uz: 'Turi', 'uz-Cyrl': 'Тури', ru: 'Вид', en: 'Kind' },
      value: (r) => l.kinds[r.kind],
      width: 24,
    },
    {
      header: { uz: 'Holati', 'uz-Cyrl': 'Ҳолати', ru: 'Статус', en: 'Status' },
      value: (r) => l.statuses[r.status] ?? r.status,
      width: 22,
    },
    {
      header: { uz: 'Asos', 'uz-Cyrl': 'Асос', ru: 'Основание', en: 'Ground' },
      value: (r) => (r.ground ? l.grounds[r.ground] : null),
      width: 22,
    },
    { header: CONTRACT, value: (r) => r.contract.number, width: 12 },
    { header: CONSUMER, value: (r) => r.consumer.name, width: 36 },
    { header: INN, value: (r) => r.consumer.inn, width: 12 },
    { header: UNIT, value: (r) => r.orgUnit.name, width: 24 },
    {
      header: { uz: 'Qarz', 'uz-Cyrl': 'Қарз', ru: 'Долг', en: 'Debt' },
      type: 'money',
      value: (r) => r.debtAmount,
      width: 16,
    },
    {
      header: { uz: 'Penya', 'uz-Cyrl': 'Пеня', ru: 'Пеня', en: 'Penalty' },
      type: 'money',
      value: (r) => r.penaltyAmount,
      width: 14,
    },
    {
      header: { uz: 'Qarz sanasi', 'uz-Cyrl': 'Қарз санаси', ru: 'Долг на дату', en: 'Debt as of' },
      type: 'date',
      value: (r) => r.debtAsOf,
      width: 12,
    },
    {
      header: { uz: 'Muddat', 'uz-Cyrl': 'Муддат', ru: 'Срок', en: 'Due' },
      type: 'date',
      value: (r) => r.dueOn,
      width: 12,
    },
    {
      header: { uz: 'Sud', 'uz-Cyrl': 'Суд', ru: 'Суд', en: 'Court' },
      value: (r) => [r.courtName, r.caseNumber].filter(Boolean).join(', '),
      width: 28,
    },
    {
      header: { uz: 'Sud majlisi', 'uz-Cyrl': 'Суд мажлиси', ru: 'Заседание', en: 'Hearing' },
      type: 'date',
      value: (r) => r.hearingOn,
      width: 12,
    },
    {
      header: { uz: 'Yopilgan', 'uz-Cyrl': 'Ёпилган', ru: 'Закрыто', en: 'Closed' },
      type: 'date',
      value: (r) => r.closedOn,
      width: 12,
    },
  ];
}
