import writeXlsxFile, { type Cell, type Row, type Sheet } from 'write-excel-file/node';
import type { Locale } from '../../../i18n/locale.ts';
import type { ReconciliationView } from './reconciliation.service.ts';

type Label =
  | 'title'
  | 'channel'
  | 'date'
  | 'summary'
  | 'matched'
  | 'missing'
  | 'extra'
  | 'differentAmount'
  | 'registry'
  | 'booked'
  | 'category'
  | 'count'
  | 'externalId'
  | 'batch'
  | 'line'
  | 'account'
  | 'contract'
  | 'payer'
  | 'purpose'
  | 'amount'
  | 'registryAmount'
  | 'bookedAmount'
  | 'difference'
  | 'payment'
  | 'status'
  | 'bank'
  | 'post'
  | 'unmatched'
  | 'reversed'
  | 'notReceived';

const LABELS: Record<Locale, Record<Label, string>> = {
  uz: {
    title: 'Kunlik solishtirish',
    channel: 'Kanal',
    date: 'Sana',
    summary: 'Xulosa',
    matched: 'Mos kelgan',
    missing: 'Hisobga olinmagan',
    extra: "Reestrda yo'q",
    differentAmount: 'Summasi farqli',
    registry: 'Reestr',
    booked: 'Hisobga olingan',
    category: 'Toifa',
    count: 'Soni',
    externalId: 'Tashqi ID',
    batch: 'Paket',
    line: 'Qator',
    account: 'Shaxsiy hisob (reestr)',
    contract: 'Shartnoma',
    payer: "To'lovchi",
    purpose: "To'lov maqsadi",
    amount: 'Summa',
    registryAmount: 'Reestr summasi',
    bookedAmount: 'Hisobga olingan summa',
    difference: 'Farq',
    payment: "To'lov",
    status: 'Holati',
    bank: 'Bank',
    post: 'Pochta',
    unmatched: 'aniqlanmagan',
    reversed: 'bekor qilingan',
    notReceived: 'kelib tushmagan',
  },
  'uz-Cyrl': {
    title: 'Кунлик солиштириш',
    channel: 'Канал',
    date: 'Сана',
    summary: 'Хулоса',
    matched: 'Мос келган',
    missing: 'Ҳисобга олинмаган',
    extra: 'Реестрда йўқ',
    differentAmount: 'Суммаси фарқли',
    registry: 'Реестр',
    booked: 'Ҳисобга олинган',
    category: 'Тоифа',
    count: 'Сони',
    externalId: 'Ташқи ID',
    batch: 'Пакет',
    line: 'Қатор',
    account: 'Шахсий ҳисоб (реестр)',
    contract: 'Шартнома',
    payer: 'Тўловчи',
    purpose: 'Тўлов мақсади',
    amount: 'Сумма',
    registryAmount: 'Реестр суммаси',
    bookedAmount: 'Ҳисобга олинган сумма',
    difference: 'Фарқ',
    payment: 'Тўлов',
    status: 'Ҳолати',
    bank: 'Банк',
    post: 'Почта',
    unmatched: 'аниқланмаган',
    reversed: 'бекор қилинган',
    notReceived: 'келиб тушмаган',
  },
  ru: {
    title: 'Ежедневная сверка',
    channel: 'Канал',
    date: 'Дата',
    summary: 'Итоги',
    matched: 'Совпали',
    missing: 'Не проведены',
    extra: 'Нет в реестре',
    differentAmount: 'Расхождение суммы',
    registry: 'Реестр',
    booked: 'Проведено',
    category: 'Категория',
    count: 'Количество',
    externalId: 'Внешний ID',
    batch: 'Пакет',
    line: 'Строка',
    account: 'Лицевой счёт (реестр)',
    contract: 'Договор',
    payer: 'Плательщик',
    purpose: 'Назначение платежа',
    amount: 'Сумма',
    registryAmount: 'Сумма по реестру',
    bookedAmount: 'Проведённая сумма',
    difference: 'Разница',
    payment: 'Платёж',
    status: 'Статус',
    bank: 'Банк',
    post: 'Почта',
    unmatched: 'невыясненный',
    reversed: 'сторнирован',
    notReceived: 'не поступал',
  },
  en: {
    title: 'Daily reconciliation',
    channel: 'Channel',
    date: 'Date',
    summary: 'Summary',
    matched: 'Matched',
    missing: 'Missing',
    extra: 'Extra',
    differentAmount: 'Different amount',
    registry: 'Registry',
    booked: 'Booked',
    category: 'Category',
    count: 'Count',
    externalId: 'External ID',
    batch: 'Batch',
    line: 'Line',
    account: 'Account (registry)',
    contract: 'Contract',
    payer: 'Payer',
    purpose: 'Purpose',
    amount: 'Amount',
    registryAmount: 'Registry amount',
    bookedAmount: 'Booked amount',
    difference: 'Difference',
    payment: 'Payment',
    status: 'Status',
    bank: 'Bank',
    post: 'Post',
    unmatched: 'unmatched',
    reversed: 'reversed',
    notReceived: 'not received',
  },
};

/**
 * The reconciliation as an XLSX workbook: a summary sheet, then one sheet per category
 * (matched, missing, extra, different amount), headers in `locale`.
 */
export async function renderReconciliationXlsx(view: ReconciliationView, locale: Locale): Promise<Buffer> {
  const l = LABELS[locale];
  const head = (...labels: Label[]): Row => labels.map((k) => ({ value: l[k], fontWeight: 'bold' as const }));
  const s = view.summary;
  const summary: Row[] = [
    [{ value: l.title, fontWeight: 'bold' }],
    [l.channel, l[view.channel]],
    [l.date, view.date],
    [],
    head('category', 'count', 'amount'),
    [l.registry, s.registry.count, money(s.registry.amount)],
    [l.booked, s.booked.count, money(s.booked.amount)],
    [l.matched, s.matched.count, money(s.matched.amount)],
    [l.missing, s.missing.count, money(s.missing.amount)],
    [l.extra, s.extra.count, money(s.extra.amount)],
    [],
    head('differentAmount', 'count', 'registryAmount', 'bookedAmount'),
    [
      l.differentAmount,
      s.differentAmount.count,
      money(s.differentAmount.registryAmount),
      money(s.differentAmount.bookedAmount),
    ],
  ];
  const statusOf = (p: { status: string } | null) =>
    p === null
      ? l.notReceived
      : p.status === 'unmatched'
        ? l.unmatched
        : p.status === 'reversed'
          ? l.reversed
          : p.status;
  const sheets: Sheet<Buffer>[] = [
    { sheet: l.summary, data: summary, columns: widths(24, 14, 20, 20) },
    {
      sheet: l.matched,
      data: [
        head('externalId', 'batch', 'line', 'account', 'contract', 'payer', 'amount', 'payment'),
        ...view.matched.map((m) => [
          m.externalId,
          m.batchId,
          m.line,
          m.account,
          m.contractNumber,
          m.payer,
          money(m.amount),
          m.paymentId,
        ]),
      ],
      columns: widths(36, 8, 8, 18, 14, 32, 18, 10),
      stickyRowsCount: 1,
    },
    {
      sheet: l.missing,
      data: [
        head('externalId', 'batch', 'line', 'account', 'payer', 'purpose', 'amount', 'status', 'payment'),
        ...view.missing.map((m) => [
          m.externalId,
          m.batchId,
          m.line,
          m.account,
          m.payer,
          m.purpose,
          money(m.amount),
          statusOf(m.payment),
          m.payment?.id ?? null,
        ]),
      ],
      columns: widths(36, 8, 8, 18, 32, 48, 18, 16, 10),
      stickyRowsCount: 1,
    },
    {
      sheet: l.extra,
      data: [
        head('externalId', 'contract', 'payer', 'amount', 'payment'),
        ...view.extra.map((e) => [e.externalId, e.contractNumber, e.payer, money(e.amount), e.paymentId]),
      ],
      columns: widths(36, 14, 32, 18, 10),
      stickyRowsCount: 1,
    },
    {
      sheet: l.differentAmount,
      data: [
        head(
          'externalId',
          'batch',
          'line',
          'account',
          'contract',
          'payer',
          'registryAmount',
          'bookedAmount',
          'difference',
          'payment',
        ),
        ...view.differentAmount.map((d) => [
          d.externalId,
          d.batchId,
          d.line,
          d.account,
          d.contractNumber,
          d.payer,
          money(d.registryAmount),
          money(d.bookedAmount),
          money(d.difference),
          d.paymentId,
        ]),
      ],
      columns: widths(36, 8, 8, 18, 14, 32, 18, 18, 16, 10),
      stickyRowsCount: 1,
    },
  ];
  return writeXlsxFile(sheets).toBuffer();
}

/**
 * A money cell. A spreadsheet number is a binary double, so the exact decimal text ("1234.56")
 * is turned into the nearest one here, at the file boundary, as a person typing it would; sums
 * in hisob never pass through it.
 */
function money(amount: string): Cell {
  return { value: Number(amount), type: Number, format: '#,##0.00' };
}

function widths(...w: number[]): { width: number }[] {
  return w.map((width) => ({ width }));
}
