import type { EmployeeRow } from '../../domain/employee-list.ts';
import type { Locale } from '../../i18n/locale.ts';
import { header, MARGIN, newDocument, table, toBuffer, WIDTH } from '../documents/documents.pdf.ts';
import type { Party } from '../documents/documents.service.ts';

// The document a consumer signs for R6 function 7: the company's employee list per procedure
// No. 1031, rendered once when the draft is made. Its bytes are stored, and the consumer's detached
// signature covers exactly those bytes, so it is never rendered again.

type Labels = {
  title: string;
  subtitle: string;
  number: string;
  date: string;
  consumer: string;
  inn: string;
  contract: string;
  supplier: string;
  count: string;
  no: string;
  fullName: string;
  position: string;
  pinfl: string;
  passport: string;
  phone: string;
  signed: string;
};

const LABELS: Record<Locale, Labels> = {
  uz: {
    title: 'XODIMLAR ROʻYXATI',
    subtitle: '№1031 tartibi asosida',
    number: 'Roʻyxat raqami',
    date: 'Sana',
    consumer: 'Isteʼmolchi',
    inn: 'STIR',
    contract: 'Shartnoma',
    supplier: 'Qabul qiluvchi',
    count: 'Xodimlar soni',
    no: '№',
    fullName: 'Familiyasi, ismi, otasining ismi',
    position: 'Lavozimi',
    pinfl: 'JShShIR',
    passport: 'Pasport',
    phone: 'Telefon',
    signed:
      'Ushbu roʻyxat isteʼmolchining elektron raqamli imzosi (ERI) bilan imzolanadi; imzo fayli (.p7s) hujjatga ilova qilinadi.',
  },
  'uz-Cyrl': {
    title: 'ХОДИМЛАР РЎЙХАТИ',
    subtitle: '№1031 тартиби асосида',
    number: 'Рўйхат рақами',
    date: 'Сана',
    consumer: 'Истеъмолчи',
    inn: 'СТИР',
    contract: 'Шартнома',
    supplier: 'Қабул қилувчи',
    count: 'Ходимлар сони',
    no: '№',
    fullName: 'Фамилияси, исми, отасининг исми',
    position: 'Лавозими',
    pinfl: 'ЖШШИР',
    passport: 'Паспорт',
    phone: 'Телефон',
    signed:
      'Ушбу рўйхат истеъмолчининг электрон рақамли имзоси (ЭРИ) билан имзоланади; имзо файли (.p7s) ҳужжатга илова қилинади.',
  },
  ru: {
    title: 'СПИСОК РАБОТНИКОВ',
    subtitle: 'в соответствии с порядком № 1031',
    number: 'Номер списка',
    date: 'Дата',
    consumer: 'Потребитель',
    inn: 'ИНН',
    contract: 'Договор',
    supplier: 'Получатель',
    count: 'Число работников',
    no: '№',
    fullName: 'Фамилия, имя, отчество',
    position: 'Должность',
    pinfl: 'ПИНФЛ',
    passport: 'Паспорт',
    phone: 'Телефон',
    signed:
      'Список подписывается электронной цифровой подписью (ЭЦП) потребителя; файл подписи (.p7s) прилагается к документу.',
  },
  en: {
    title: 'LIST OF EMPLOYEES',
    subtitle: 'per procedure No. 1031',
    number: 'List number',
    date: 'Date',
    consumer: 'Consumer',
    inn: 'INN',
    contract: 'Contract',
    supplier: 'Addressed to',
    count: 'Employees',
    no: 'No.',
    fullName: 'Full name',
    position: 'Position',
    pinfl: 'PINFL',
    passport: 'Passport',
    phone: 'Phone',
    signed:
      'This list is signed with the consumer’s electronic digital signature; the signature file (.p7s) accompanies it.',
  },
};

/** A time as "DD.MM.YYYY HH:MM" in Tashkent (UTC+5, no daylight saving). */
function tashkentTime(at: Date): string {
  const d = new Date(at.getTime() + 5 * 3_600_000).toISOString();
  return `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)} ${d.slice(11, 16)}`;
}

/** The employee list as an A4 PDF in `locale`: header, who sends it to whom, the rows. */
export function renderEmployeeListPdf(input: {
  id: bigint;
  account: string;
  supplier: Party;
  consumer: Party;
  rows: readonly EmployeeRow[];
  createdAt: Date;
  locale: Locale;
}): Promise<Buffer> {
  const l = LABELS[input.locale];
  const created = new Date(input.createdAt.getTime() + 5 * 3_600_000).toISOString().slice(0, 10);
  const doc = newDocument(`${l.title} № ${input.id}`, created);
  header(doc, input.supplier);
  doc.font('bold').fontSize(14).text(l.title, { align: 'center', width: WIDTH });
  doc.font('regular').fontSize(10).text(l.subtitle, { align: 'center', width: WIDTH });
  doc.moveDown(1);
  const line = (label: string, value: string) => {
    doc.font('bold').fontSize(9).text(`${label}: `, MARGIN, doc.y, { continued: true, width: WIDTH });
    doc.font('regular').text(value, { width: WIDTH });
    doc.moveDown(0.2);
  };
  line(l.number, String(input.id));
  line(l.date, tashkentTime(input.createdAt));
  line(l.consumer, input.consumer.name);
  if (input.consumer.inn) line(l.inn, input.consumer.inn);
  line(l.contract, input.account);
  line(l.supplier, input.supplier.name);
  line(l.count, String(input.rows.length));
  doc.moveDown(0.6);
  table(
    doc,
    [
      { title: l.no, width: 30, align: 'right' },
      { title: l.fullName, width: 150, align: 'left' },
      { title: l.position, width: 115, align: 'left' },
      { title: l.pinfl, width: 80, align: 'left' },
      { title: l.passport, width: 60, align: 'left' },
      { title: l.phone, width: WIDTH - 435, align: 'left' },
    ],
    input.rows.map((r, i) => [
      String(i + 1),
      r.fullName,
      r.position,
      r.pinfl,
      r.passport ?? '',
      r.phone ?? '',
    ]),
  );
  doc.moveDown(1.5);
  doc.font('regular').fontSize(8).text(l.signed, MARGIN, doc.y, { width: WIDTH });
  return toBuffer(doc);
}
