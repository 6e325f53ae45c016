import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { formatMoneyLocale, type Tiyin, tiyin } from '../../domain/money.ts';
import type { Locale } from '../../i18n/locale.ts';
import { header, MARGIN, newDocument, toBuffer, WIDTH } from '../documents/documents.pdf.ts';
import { accountOf, type Party } from '../documents/documents.service.ts';

// The printable receipt of a booked payment (R5 "online payment in the cabinet with a printable
// receipt"): who paid whom, for which contract, how much, through which channel and under which
// provider transaction, and whether the payment was reversed since.

/** A payment as its receipt shows it. */
export type Receipt = {
  paymentId: bigint;
  account: string;
  supplier: Party;
  consumer: Party;
  amount: Tiyin;
  paidOn: string;
  receivedAt: string;
  channel: string;
  channelName: string;
  externalId: string;
  status: 'booked' | 'reversed';
  reversedOn: string | null;
};

/** The receipt of payment `paymentId` of contract `contractId`; UNKNOWN_PAYMENT when it is not one of its payments. */
export async function receiptOf(
  db: Kysely<DB>,
  tenantId: bigint,
  contractId: bigint,
  paymentId: bigint,
): Promise<Receipt> {
  const p = await db
    .selectFrom('payment as p')
    .innerJoin('payment_channel as ch', 'ch.code', 'p.channel')
    .select([
      'p.id',
      'p.amount',
      'p.paid_on',
      'p.received_at',
      'p.channel',
      'ch.name as channel_name',
      'p.external_id',
      'p.status',
      'p.reversed_on',
    ])
    .where('p.id', '=', paymentId)
    .where('p.tenant_id', '=', tenantId)
    .where('p.contract_id', '=', contractId)
    .where('p.status', 'in', ['booked', 'reversed'])
    .executeTakeFirst();
  if (!p)
    throw new AppError('PAYMENT_NOT_FOUND', `No payment ${paymentId} on this contract`, {
      id: String(paymentId),
    });
  const account = await accountOf(db, tenantId, contractId);
  return {
    paymentId: p.id,
    account: account.number,
    supplier: account.supplier,
    consumer: account.consumer,
    amount: tiyin(p.amount),
    paidOn: p.paid_on,
    receivedAt: new Date(p.received_at).toISOString(),
    channel: p.channel,
    channelName: p.channel_name,
    externalId: p.external_id,
    status: p.status === 'reversed' ? 'reversed' : 'booked',
    reversedOn: p.reversed_on,
  };
}

type Labels = {
  title: string;
  date: string;
  payer: string;
  payee: string;
  inn: string;
  account: string;
  amount: string;
  paidOn: string;
  channel: string;
  transaction: string;
  status: string;
  booked: string;
  reversed: string;
  footer: string;
};

const LABELS: Record<Locale, Labels> = {
  uz: {
    title: 'TOʻLOV KVITANSIYASI',
    date: 'Qabul qilingan vaqti',
    payer: 'Toʻlovchi',
    payee: 'Oluvchi',
    inn: 'STIR',
    account: 'Shartnoma (shaxsiy hisob)',
    amount: 'Summa',
    paidOn: 'Toʻlov sanasi',
    channel: 'Toʻlov usuli',
    transaction: 'Tranzaksiya',
    status: 'Holati',
    booked: 'Qabul qilindi',
    reversed: 'Qaytarildi {date}',
    footer: 'Kvitansiya hisob tizimida qayd etilgan toʻlov asosida tuzilgan.',
  },
  'uz-Cyrl': {
    title: 'ТЎЛОВ КВИТАНЦИЯСИ',
    date: 'Қабул қилинган вақти',
    payer: 'Тўловчи',
    payee: 'Олувчи',
    inn: 'СТИР',
    account: 'Шартнома (шахсий ҳисоб)',
    amount: 'Сумма',
    paidOn: 'Тўлов санаси',
    channel: 'Тўлов усули',
    transaction: 'Транзакция',
    status: 'Ҳолати',
    booked: 'Қабул қилинди',
    reversed: 'Қайтарилди {date}',
    footer: 'Квитанция ҳисоб тизимида қайд этилган тўлов асосида тузилган.',
  },
  ru: {
    title: 'КВИТАНЦИЯ ОБ ОПЛАТЕ',
    date: 'Время приёма',
    payer: 'Плательщик',
    payee: 'Получатель',
    inn: 'ИНН',
    account: 'Договор (лицевой счёт)',
    amount: 'Сумма',
    paidOn: 'Дата оплаты',
    channel: 'Способ оплаты',
    transaction: 'Транзакция',
    status: 'Статус',
    booked: 'Принят',
    reversed: 'Возвращён {date}',
    footer: 'Квитанция составлена по платежу, учтённому в системе расчётов.',
  },
  en: {
    title: 'PAYMENT RECEIPT',
    date: 'Received at',
    payer: 'Payer',
    payee: 'Payee',
    inn: 'INN',
    account: 'Contract (personal account)',
    amount: 'Amount',
    paidOn: 'Payment date',
    channel: 'Paid through',
    transaction: 'Transaction',
    status: 'Status',
    booked: 'Booked',
    reversed: 'Reversed on {date}',
    footer: 'This receipt shows a payment as booked in the billing system.',
  },
};

const date = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
/** A timestamp in Tashkent time (UTC+5, no daylight saving). */
const tashkent = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 5 * 3_600_000).toISOString();
  return `${date(d)} ${d.slice(11, 19)}`;
};

/** The receipt as a printable A5-sized block on an A4 page, in `locale`. */
export function renderReceiptPdf(r: Receipt, locale: Locale): Promise<Buffer> {
  const l = LABELS[locale];
  const doc = newDocument(`${l.title} ${r.paymentId}`, r.paidOn);
  header(doc, r.supplier);
  doc.font('bold').fontSize(14).text(`${l.title} № ${r.paymentId}`, { align: 'center', width: WIDTH });
  doc.moveDown(1);
  const row = (label: string, value: string, strong = false) => {
    const y = doc.y;
    doc.font('regular').fontSize(10).text(label, MARGIN, y, { width: 190 });
    const labelBottom = doc.y;
    doc
      .font(strong ? 'bold' : 'regular')
      .fontSize(strong ? 12 : 10)
      .text(value, MARGIN + 200, y, { width: WIDTH - 200 });
    doc.y = Math.max(doc.y, labelBottom) + 4;
  };
  row(
    l.payer,
    [r.consumer.name, r.consumer.inn ? `${l.inn} ${r.consumer.inn}` : ''].filter(Boolean).join(', '),
  );
  row(l.account, r.account);
  row(
    l.payee,
    [r.supplier.name, r.supplier.inn ? `${l.inn} ${r.supplier.inn}` : ''].filter(Boolean).join(', '),
  );
  row(l.amount, formatMoneyLocale(r.amount, locale, { currency: true }), true);
  row(l.paidOn, date(r.paidOn));
  row(l.date, tashkent(r.receivedAt));
  row(l.channel, r.channelName);
  row(l.transaction, r.externalId);
  row(
    l.status,
    r.status === 'reversed' ? l.reversed.replace('{date}', date(r.reversedOn ?? '')) : l.booked,
    true,
  );
  doc.moveDown(1);
  doc
    .moveTo(MARGIN, doc.y)
    .lineTo(MARGIN + WIDTH, doc.y)
    .lineWidth(0.5)
    .dash(3, { space: 3 })
    .stroke()
    .undash();
  doc.moveDown(0.5);
  doc.font('regular').fontSize(8).fillColor('#555555').text(l.footer, MARGIN, doc.y, { width: WIDTH });
  doc.fillColor('black');
  return toBuffer(doc);
}
