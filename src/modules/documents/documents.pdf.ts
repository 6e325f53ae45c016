import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { formatMoneyLocale, parseMoney } from '../../domain/money.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { InvoiceDocument, Party, ReconciliationAct } from './documents.service.ts';

// Invoices and reconciliation acts as A4 PDFs. DejaVu Sans (bundled through the dejavu-fonts-ttf
// package, not the system's fonts) covers Uzbek Latin (oʻ gʻ), Uzbek Cyrillic (ў қ ғ ҳ) and Russian.

const FONT_DIR = join(
  dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
);
const REGULAR = join(FONT_DIR, 'DejaVuSans.ttf');
const BOLD = join(FONT_DIR, 'DejaVuSans-Bold.ttf');

type Labels = {
  invoice: string;
  act: string;
  actBetween: string;
  date: string;
  period: string;
  due: string;
  account: string;
  supplier: string;
  consumer: string;
  inn: string;
  address: string;
  bank: string;
  mfo: string;
  no: string;
  item: string;
  forPeriod: string;
  quantity: string;
  unit: string;
  price: string;
  withoutVat: string;
  vat: string;
  amount: string;
  total: string;
  opening: string;
  charges: string;
  payments: string;
  closing: string;
  owes: string;
  advance: string;
  settled: string;
  head: string;
  accountant: string;
  forSupplier: string;
  forConsumer: string;
  kinds: Record<string, string>;
};

const LABELS: Record<Locale, Labels> = {
  uz: {
    invoice: 'HISOB-FAKTURA',
    act: 'OʻZARO HISOB-KITOBLARNI SOLISHTIRISH DALOLATNOMASI',
    actBetween: 'davr',
    date: 'Sana',
    period: 'Davr',
    due: 'Toʻlov muddati',
    account: 'Shaxsiy hisob raqami',
    supplier: 'Yetkazib beruvchi',
    consumer: 'Isteʼmolchi',
    inn: 'STIR',
    address: 'Manzil',
    bank: 'Hisob raqami',
    mfo: 'MFO',
    no: '№',
    item: 'Nomi',
    forPeriod: 'Qaysi davr uchun',
    quantity: 'Miqdor',
    unit: 'Oʻlch.',
    price: 'Narx',
    withoutVat: 'QQSsiz summa',
    vat: 'QQS',
    amount: 'Jami summa',
    total: 'Jami',
    opening: 'Davr boshidagi qoldiq',
    charges: 'Hisoblangan',
    payments: 'Toʻlangan',
    closing: 'Davr oxiridagi qoldiq',
    owes: 'Isteʼmolchining qarzi',
    advance: 'Isteʼmolchining avansi',
    settled: 'Qarz yoʻq',
    head: 'Rahbar',
    accountant: 'Bosh hisobchi',
    forSupplier: 'Yetkazib beruvchi nomidan',
    forConsumer: 'Isteʼmolchi nomidan',
    kinds: {
      energy: 'Elektr energiyasi',
      heat: 'Issiqlik energiyasi',
      overconsumption: 'Shartnomadan ortiqcha isteʼmol',
      reactive: 'Reaktiv energiya',
      recalculation: 'Qayta hisob-kitob',
      correction: 'Tuzatish',
      illegal_use: 'Noqonuniy foydalanish',
      penalty: 'Penya',
    },
  },
  'uz-Cyrl': {
    invoice: 'ҲИСОБ-ФАКТУРА',
    act: 'ЎЗАРО ҲИСОБ-КИТОБЛАРНИ СОЛИШТИРИШ ДАЛОЛАТНОМАСИ',
    actBetween: 'давр',
    date: 'Сана',
    period: 'Давр',
    due: 'Тўлов муддати',
    account: 'Шахсий ҳисоб рақами',
    supplier: 'Етказиб берувчи',
    consumer: 'Истеъмолчи',
    inn: 'СТИР',
    address: 'Манзил',
    bank: 'Ҳисоб рақами',
    mfo: 'МФО',
    no: '№',
    item: 'Номи',
    forPeriod: 'Қайси давр учун',
    quantity: 'Миқдор',
    unit: 'Ўлч.',
    price: 'Нарх',
    withoutVat: 'ҚҚСсиз сумма',
    vat: 'ҚҚС',
    amount: 'Жами сумма',
    total: 'Жами',
    opening: 'Давр бошидаги қолдиқ',
    charges: 'Ҳисобланган',
    payments: 'Тўланган',
    closing: 'Давр охиридаги қолдиқ',
    owes: 'Истеъмолчининг қарзи',
    advance: 'Истеъмолчининг аванси',
    settled: 'Қарз йўқ',
    head: 'Раҳбар',
    accountant: 'Бош ҳисобчи',
    forSupplier: 'Етказиб берувчи номидан',
    forConsumer: 'Истеъмолчи номидан',
    kinds: {
      energy: 'Электр энергияси',
      heat: 'Иссиқлик энергияси',
      overconsumption: 'Шартномадан ортиқча истеъмол',
      reactive: 'Реактив энергия',
      recalculation: 'Қайта ҳисоб-китоб',
      correction: 'Тузатиш',
      illegal_use: 'Ноқонуний фойдаланиш',
      penalty: 'Пеня',
    },
  },
  ru: {
    invoice: 'СЧЁТ-ФАКТУРА',
    act: 'АКТ СВЕРКИ ВЗАИМНЫХ РАСЧЁТОВ',
    actBetween: 'период',
    date: 'Дата',
    period: 'Период',
    due: 'Срок оплаты',
    account: 'Лицевой счёт',
    supplier: 'Поставщик',
    consumer: 'Потребитель',
    inn: 'ИНН',
    address: 'Адрес',
    bank: 'Расчётный счёт',
    mfo: 'МФО',
    no: '№',
    item: 'Наименование',
    forPeriod: 'За период',
    quantity: 'Кол-во',
    unit: 'Ед.',
    price: 'Цена',
    withoutVat: 'Сумма без НДС',
    vat: 'НДС',
    amount: 'Сумма с НДС',
    total: 'Итого',
    opening: 'Сальдо на начало',
    charges: 'Начислено',
    payments: 'Оплачено',
    closing: 'Сальдо на конец',
    owes: 'Задолженность потребителя',
    advance: 'Аванс потребителя',
    settled: 'Задолженности нет',
    head: 'Руководитель',
    accountant: 'Главный бухгалтер',
    forSupplier: 'От поставщика',
    forConsumer: 'От потребителя',
    kinds: {
      energy: 'Электроэнергия',
      heat: 'Тепловая энергия',
      overconsumption: 'Сверхдоговорное потребление',
      reactive: 'Реактивная энергия',
      recalculation: 'Перерасчёт',
      correction: 'Корректировка',
      illegal_use: 'Безучётное потребление',
      penalty: 'Пеня',
    },
  },
  en: {
    invoice: 'INVOICE',
    act: 'RECONCILIATION ACT',
    actBetween: 'period',
    date: 'Date',
    period: 'Period',
    due: 'Due date',
    account: 'Account',
    supplier: 'Supplier',
    consumer: 'Consumer',
    inn: 'TIN',
    address: 'Address',
    bank: 'Bank account',
    mfo: 'MFO',
    no: 'No.',
    item: 'Item',
    forPeriod: 'For period',
    quantity: 'Quantity',
    unit: 'Unit',
    price: 'Price',
    withoutVat: 'Net amount',
    vat: 'VAT',
    amount: 'Amount',
    total: 'Total',
    opening: 'Opening balance',
    charges: 'Charges',
    payments: 'Payments',
    closing: 'Closing balance',
    owes: 'The consumer owes',
    advance: 'The consumer has paid ahead',
    settled: 'Nothing owed',
    head: 'Director',
    accountant: 'Chief accountant',
    forSupplier: 'For the supplier',
    forConsumer: 'For the consumer',
    kinds: {
      energy: 'Electricity',
      heat: 'Heat',
      overconsumption: 'Consumption above the contract',
      reactive: 'Reactive energy',
      recalculation: 'Recalculation',
      correction: 'Correction',
      illegal_use: 'Unmetered use',
      penalty: 'Penalty',
    },
  },
};

const A4_WIDTH = 595.28;
export const MARGIN = 40;
export const WIDTH = A4_WIDTH - 2 * MARGIN;

export function newDocument(title: string, date: string): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: title, Producer: 'hisob', Creator: 'hisob', CreationDate: new Date(`${date}T00:00:00Z`) },
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  doc.font('regular');
  return doc;
}

export function toBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

const sum = (s: string, locale: Locale) => formatMoneyLocale(parseMoney(s, { allowNegative: true }), locale);

function partyBlock(
  doc: PDFKit.PDFDocument,
  l: Labels,
  title: string,
  p: Party,
  x: number,
  y: number,
  w: number,
) {
  doc.font('bold').fontSize(9).text(title, x, y, { width: w });
  doc.font('regular').fontSize(8.5);
  doc.text(p.name, { width: w });
  if (p.inn) doc.text(`${l.inn}: ${p.inn}`, { width: w });
  if (p.address) doc.text(`${l.address}: ${p.address}`, { width: w });
  if (p.bank_account)
    doc.text(`${l.bank}: ${p.bank_account}${p.bank_mfo ? `, ${l.mfo}: ${p.bank_mfo}` : ''}`, { width: w });
  return doc.y;
}

export function header(doc: PDFKit.PDFDocument, supplier: Party) {
  doc.font('bold').fontSize(12).text(supplier.name, MARGIN, MARGIN, { width: WIDTH });
  doc.font('regular').fontSize(8);
  const line = [supplier.address, supplier.inn ? `STIR/ИНН ${supplier.inn}` : null]
    .filter(Boolean)
    .join(' · ');
  if (line) doc.text(line, { width: WIDTH });
  doc
    .moveTo(MARGIN, doc.y + 4)
    .lineTo(MARGIN + WIDTH, doc.y + 4)
    .lineWidth(0.7)
    .stroke();
  doc.moveDown(1);
}

type Column = { title: string; width: number; align: 'left' | 'right' | 'center' };

/** Draws a table with a header row; rows grow to fit wrapped text; pages break between rows. */
export function table(
  doc: PDFKit.PDFDocument,
  columns: Column[],
  rows: string[][],
  opts: { boldLast?: boolean } = {},
) {
  const pad = 3;
  const total = columns.reduce((a, c) => a + c.width, 0);
  const drawRow = (cells: string[], bold: boolean, fill: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(7.5);
    const heights = cells.map((c, i) =>
      doc.heightOfString(c, { width: (columns[i]?.width ?? 40) - 2 * pad }),
    );
    const h = Math.max(...heights) + 2 * pad;
    if (doc.y + h > doc.page.height - MARGIN - 20) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    if (fill) doc.rect(MARGIN, y, total, h).fillColor('#eeeeee').fill().fillColor('black');
    cells.forEach((c, i) => {
      const col = columns[i];
      if (!col) return;
      doc.rect(x, y, col.width, h).lineWidth(0.5).strokeColor('#888888').stroke().strokeColor('black');
      doc.text(c, x + pad, y + pad, { width: col.width - 2 * pad, align: col.align });
      x += col.width;
    });
    doc.x = MARGIN;
    doc.y = y + h;
  };
  drawRow(
    columns.map((c) => c.title),
    true,
    true,
  );
  rows.forEach((r, i) => {
    drawRow(r, opts.boldLast === true && i === rows.length - 1, false);
  });
}

export function signatures(doc: PDFKit.PDFDocument, left: string[], right: string[] | null) {
  doc.moveDown(2);
  const y = doc.y;
  const half = WIDTH / 2;
  doc.font('regular').fontSize(9);
  left.forEach((t, i) => {
    doc.text(`${t}: ____________________`, MARGIN, y + i * 22, { width: half - 10 });
  });
  right?.forEach((t, i) => {
    doc.text(`${t}: ____________________`, MARGIN + half, y + i * 22, { width: half - 10 });
  });
}

/** The note under a document's totals (its `invoice_note` / `act_note` template), if it has one. */
function note(doc: PDFKit.PDFDocument, text: string | undefined) {
  if (!text) return;
  doc.moveDown(0.8);
  doc.font('regular').fontSize(8.5).text(text, MARGIN, doc.y, { width: WIDTH, align: 'justify' });
}

/** The invoice as an A4 PDF in `locale`. */
export function renderInvoicePdf(inv: InvoiceDocument, locale: Locale): Promise<Buffer> {
  const l = LABELS[locale];
  const doc = newDocument(`${l.invoice} ${inv.number}`, inv.date);
  header(doc, inv.supplier);
  doc.font('bold').fontSize(14).text(`${l.invoice} № ${inv.number}`, { width: WIDTH, align: 'center' });
  doc.font('regular').fontSize(9);
  const dates = [`${l.date}: ${inv.date}`, `${l.period}: ${inv.period}`];
  if (inv.due_date) dates.push(`${l.due}: ${inv.due_date}`);
  doc.text(dates.join('   '), { width: WIDTH, align: 'center' });
  doc.text(`${l.account}: ${inv.account}`, { width: WIDTH, align: 'center' });
  doc.moveDown(1);
  const top = doc.y;
  const half = WIDTH / 2 - 8;
  const leftEnd = partyBlock(doc, l, l.supplier, inv.supplier, MARGIN, top, half);
  const rightEnd = partyBlock(doc, l, l.consumer, { ...inv.consumer }, MARGIN + WIDTH / 2 + 8, top, half);
  doc.x = MARGIN;
  doc.y = Math.max(leftEnd, rightEnd) + 12;
  const columns: Column[] = [
    { title: l.no, width: 18, align: 'center' },
    { title: l.item, width: 104, align: 'left' },
    { title: l.forPeriod, width: 42, align: 'center' },
    { title: l.quantity, width: 52, align: 'right' },
    { title: l.unit, width: 28, align: 'center' },
    { title: l.price, width: 46, align: 'right' },
    { title: l.withoutVat, width: 76, align: 'right' },
    { title: `${l.vat} ${inv.vat_rate} %`, width: 70, align: 'right' },
    { title: l.amount, width: WIDTH - 436, align: 'right' },
  ];
  const item = (kind: string) =>
    kind === 'energy' && inv.commodity === 'heat' ? l.kinds.heat : (l.kinds[kind] ?? kind);
  const num = (s: string | null) => (s === null ? '' : locale === 'en' ? s : s.replace('.', ','));
  const rows = inv.lines.map((x) => [
    String(x.no),
    `${item(x.kind)}${x.register && x.register !== '1.8.0' ? ` (${x.register})` : ''}`,
    x.for_period ?? inv.period,
    num(x.quantity),
    x.unit ?? '',
    num(x.price),
    sum(x.amount_without_vat, locale),
    sum(x.vat, locale),
    sum(x.amount, locale),
  ]);
  rows.push([
    '',
    l.total,
    '',
    '',
    '',
    '',
    sum(inv.totals.amount_without_vat, locale),
    sum(inv.totals.vat, locale),
    sum(inv.totals.amount, locale),
  ]);
  table(doc, columns, rows, { boldLast: true });
  doc.moveDown(1);
  doc
    .font('bold')
    .fontSize(10)
    .text(
      `${l.total}: ${formatMoneyLocale(parseMoney(inv.totals.amount, { allowNegative: true }), locale, { currency: true })}`,
      {
        width: WIDTH,
        align: 'right',
      },
    );
  doc
    .font('regular')
    .fontSize(8.5)
    .text(`${l.vat} ${inv.vat_rate} %: ${sum(inv.totals.vat, locale)}`, {
      width: WIDTH,
      align: 'right',
    });
  note(doc, inv.notes?.[locale]);
  signatures(doc, [l.head, l.accountant], null);
  return toBuffer(doc);
}

/** The reconciliation act as an A4 PDF in `locale`, with signature lines for both parties. */
export function renderActPdf(act: ReconciliationAct, locale: Locale): Promise<Buffer> {
  const l = LABELS[locale];
  const doc = newDocument(`${l.act} ${act.account}`, act.date);
  header(doc, act.supplier);
  doc.font('bold').fontSize(12).text(l.act, { width: WIDTH, align: 'center' });
  doc.font('regular').fontSize(9);
  doc.text(`${l.actBetween}: ${act.from} — ${act.to}   ${l.date}: ${act.date}`, {
    width: WIDTH,
    align: 'center',
  });
  doc.text(`${l.account}: ${act.account}`, { width: WIDTH, align: 'center' });
  doc.moveDown(1);
  const top = doc.y;
  const half = WIDTH / 2 - 8;
  const leftEnd = partyBlock(doc, l, l.supplier, act.supplier, MARGIN, top, half);
  const rightEnd = partyBlock(doc, l, l.consumer, act.consumer, MARGIN + WIDTH / 2 + 8, top, half);
  doc.x = MARGIN;
  doc.y = Math.max(leftEnd, rightEnd) + 12;
  const w = (WIDTH - 70) / 4;
  const columns: Column[] = [
    { title: l.period, width: 70, align: 'center' },
    { title: l.opening, width: w, align: 'right' },
    { title: l.charges, width: w, align: 'right' },
    { title: l.payments, width: w, align: 'right' },
    { title: l.closing, width: w, align: 'right' },
  ];
  const rows = act.periods.map((p) => [
    p.period,
    sum(p.opening, locale),
    sum(p.charges, locale),
    sum(p.payments, locale),
    sum(p.closing, locale),
  ]);
  rows.push([
    l.total,
    sum(act.opening_balance, locale),
    sum(act.totals.charges, locale),
    sum(act.totals.payments, locale),
    sum(act.closing_balance, locale),
  ]);
  table(doc, columns, rows, { boldLast: true });
  doc.moveDown(1);
  const closing = parseMoney(act.closing_balance, { allowNegative: true });
  const abs = closing < 0n ? (-closing as typeof closing) : closing;
  const verdict = closing > 0n ? l.owes : closing < 0n ? l.advance : l.settled;
  doc
    .font('bold')
    .fontSize(10)
    .text(
      closing === 0n
        ? `${act.date}: ${verdict}`
        : `${act.date}: ${verdict} ${formatMoneyLocale(abs, locale, { currency: true })}`,
      { width: WIDTH },
    );
  doc.font('regular');
  note(doc, act.notes?.[locale]);
  signatures(doc, [l.forSupplier, l.accountant], [l.forConsumer, l.accountant]);
  return toBuffer(doc);
}
