import { formatMoneyLocale, parseMoney } from '../../domain/money.ts';
import { addDays, type LocalDate } from '../../domain/period.ts';
import type { Locale } from '../../i18n/locale.ts';
import {
  header,
  MARGIN,
  newDocument,
  signatures,
  table,
  toBuffer,
  WIDTH,
} from '../documents/documents.pdf.ts';
import type { Account } from '../documents/documents.service.ts';
import { ANSWER_DAYS } from './claim-status.ts';
import { CLAIM_TEXTS, fillText, GOODS, type PrintableKind } from './claim-texts.ts';
import type { ClaimView } from './claims.views.ts';

// The printable warning letter and pre-trial claim (R11): the supplier's header, number and date,
// the addressee, the legal text (claim-texts.ts) with the debt filled in, the amounts, the
// supplier's payment requisites and the signature lines.

type Labels = {
  no: string;
  date: string;
  to: string;
  account: string;
  inn: string;
  address: string;
  item: string;
  amount: string;
  debt: string;
  penalty: string;
  total: string;
  requisites: string;
  bank: string;
  mfo: string;
  head: string;
  lawyer: string;
  executor: string;
};

const LABELS: Record<Locale, Labels> = {
  uz: {
    no: '№',
    date: 'Sana',
    to: 'Kimga',
    account: 'Shartnoma',
    inn: 'STIR',
    address: 'Manzil',
    item: 'Nomi',
    amount: 'Summa, soʻm',
    debt: 'Asosiy qarz',
    penalty: 'Penya',
    total: 'Jami',
    requisites: 'Toʻlov rekvizitlari',
    bank: 'Hisob raqami',
    mfo: 'MFO',
    head: 'Rahbar',
    lawyer: 'Yurist',
    executor: 'Ijrochi',
  },
  'uz-Cyrl': {
    no: '№',
    date: 'Сана',
    to: 'Кимга',
    account: 'Шартнома',
    inn: 'СТИР',
    address: 'Манзил',
    item: 'Номи',
    amount: 'Сумма, сўм',
    debt: 'Асосий қарз',
    penalty: 'Пеня',
    total: 'Жами',
    requisites: 'Тўлов реквизитлари',
    bank: 'Ҳисоб рақами',
    mfo: 'МФО',
    head: 'Раҳбар',
    lawyer: 'Юрист',
    executor: 'Ижрочи',
  },
  ru: {
    no: '№',
    date: 'Дата',
    to: 'Кому',
    account: 'Договор',
    inn: 'ИНН',
    address: 'Адрес',
    item: 'Наименование',
    amount: 'Сумма, сум',
    debt: 'Основной долг',
    penalty: 'Пеня',
    total: 'Итого',
    requisites: 'Реквизиты для оплаты',
    bank: 'Расчётный счёт',
    mfo: 'МФО',
    head: 'Руководитель',
    lawyer: 'Юрист',
    executor: 'Исполнитель',
  },
  en: {
    no: 'No.',
    date: 'Date',
    to: 'To',
    account: 'Contract',
    inn: 'INN',
    address: 'Address',
    item: 'Item',
    amount: 'Amount, so‘m',
    debt: 'Debt',
    penalty: 'Penalty',
    total: 'Total',
    requisites: 'Payment details',
    bank: 'Bank account',
    mfo: 'MFO',
    head: 'Director',
    lawyer: 'Lawyer',
    executor: 'Prepared by',
  },
};

/** The day a letter or claim is dated: when it was sent, or (a draft) when it was opened. */
export function documentDate(claim: ClaimView): string {
  return claim.events.find((e) => e.to === 'sent')?.on ?? claim.openedOn;
}

/** The warning letter or pre-trial claim as an A4 PDF in `locale`. */
export function renderClaimPdf(
  claim: ClaimView & { kind: PrintableKind },
  account: Account,
  locale: Locale,
): Promise<Buffer> {
  const l = LABELS[locale];
  const text = CLAIM_TEXTS[locale][claim.kind];
  const date = documentDate(claim);
  const days = ANSWER_DAYS[claim.kind] ?? 0;
  const money = (s: string) => formatMoneyLocale(parseMoney(s), locale);
  const goods = GOODS[locale][account.commodity];
  // Dates as people write them: 24.11.2026 (24/11/2026 in English), periods 08.2026.
  const day = (d: string) =>
    d
      .split('-')
      .reverse()
      .join(locale === 'en' ? '/' : '.');
  const values = {
    supplier: account.supplier.name,
    consumer: account.consumer.name,
    account: account.number,
    asOf: day(claim.debtAsOf),
    since: day(claim.debtSince ?? claim.debtAsOf.slice(0, 7)),
    debt: money(claim.debtAmount),
    penalty: money(claim.penaltyAmount),
    total: money(claim.totalAmount),
    due: day(claim.dueOn ?? addDays(date as LocalDate, days)),
    days: String(days),
    goods: goods.nom,
    goodsAcc: goods.acc,
    goodsGen: goods.gen,
  };

  const doc = newDocument(`${text.title} ${claim.number}`, date);
  header(doc, account.supplier);
  doc
    .font('bold')
    .fontSize(13)
    .text(`${text.title} ${l.no} ${claim.number}`, { width: WIDTH, align: 'center' });
  doc
    .font('regular')
    .fontSize(9)
    .text(`${l.date}: ${day(date)}`, { width: WIDTH, align: 'center' });
  doc.moveDown(1);

  // The addressee, on the right as in a letter.
  const x = MARGIN + WIDTH / 2;
  const w = WIDTH / 2;
  const top = doc.y;
  doc.font('bold').fontSize(9).text(`${l.to}:`, x, top, { width: w });
  doc.font('regular').fontSize(9).text(account.consumer.name, { width: w });
  if (account.consumer.inn) doc.text(`${l.inn}: ${account.consumer.inn}`, { width: w });
  if (account.consumer.address) doc.text(`${l.address}: ${account.consumer.address}`, { width: w });
  doc.text(`${l.account}: ${account.number}`, { width: w });
  doc.x = MARGIN;
  doc.moveDown(1.2);

  doc.font('regular').fontSize(10);
  for (const p of text.paragraphs) {
    doc.text(fillText(p, values), MARGIN, doc.y, { width: WIDTH, align: 'justify', indent: 20 });
    doc.moveDown(0.6);
  }
  doc.moveDown(0.4);
  table(
    doc,
    [
      { title: l.item, width: WIDTH - 160, align: 'left' },
      { title: l.amount, width: 160, align: 'right' },
    ],
    [
      [`${l.debt} (${values.asOf})`, values.debt],
      [l.penalty, values.penalty],
      [l.total, values.total],
    ],
    { boldLast: true },
  );
  doc.moveDown(1);
  const s = account.supplier;
  doc.font('bold').fontSize(9).text(`${l.requisites}:`, MARGIN, doc.y, { width: WIDTH });
  doc.font('regular').fontSize(9);
  doc.text(
    [s.name, s.inn ? `${l.inn} ${s.inn}` : null, s.bank_account ? `${l.bank} ${s.bank_account}` : null]
      .concat(s.bank_mfo ? [`${l.mfo} ${s.bank_mfo}`] : [])
      .filter(Boolean)
      .join(', '),
    { width: WIDTH },
  );
  signatures(doc, [l.head], [l.lawyer]);
  if (claim.createdBy) {
    doc.moveDown(2);
    doc
      .font('regular')
      .fontSize(8)
      .text(`${l.executor}: ${claim.createdBy}`, MARGIN, doc.y, { width: WIDTH });
  }
  return toBuffer(doc);
}
