import type { ApplicationType } from '../../domain/application.ts';
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
import type { Party } from '../documents/documents.service.ts';
import type { ApplicationView } from './applications.service.ts';

// The printable form of an application (R6 function 11): the supplier's header, the number and
// date, the consumer, what is asked, the desired visit, the timeline so far, and signature lines.

type FormLabels = {
  title: string;
  number: string;
  date: string;
  account: string;
  consumer: string;
  inn: string;
  kind: string;
  text: string;
  visit: string;
  meter: string;
  volumes: string;
  month: string;
  volume: string;
  requisites: string;
  timeline: string;
  when: string;
  status: string;
  note: string;
  applicant: string;
  received: string;
  types: Record<ApplicationType, string>;
  statuses: Record<string, string>;
  fields: Record<string, string>;
};

const LABELS: Record<Locale, FormLabels> = {
  uz: {
    title: 'ARIZA',
    number: 'Raqami',
    date: 'Sana',
    account: 'Shartnoma',
    consumer: 'Isteʼmolchi',
    inn: 'STIR',
    kind: 'Ariza turi',
    text: 'Mazmuni',
    visit: 'Istalgan tashrif vaqti',
    meter: 'Hisoblagich',
    volumes: 'Yangi shartnoma hajmlari',
    month: 'Oy',
    volume: 'Hajm',
    requisites: 'Yangi rekvizitlar',
    timeline: 'Koʻrib chiqish jarayoni',
    when: 'Vaqti',
    status: 'Holati',
    note: 'Izoh',
    applicant: 'Arizachi',
    received: 'Qabul qildi',
    types: {
      disconnection: 'Oʻchirish',
      meter_inspection: 'Hisoblagichni tekshirish (nazorat koʻrsatkichi bilan)',
      heating_inspection: 'Isitish tizimini tekshirish',
      appeal: 'Murojaat',
      contract_renewal: 'Shartnomani yangilash',
      no_debt_certificate: 'Qarzdorlik yoʻqligi haqida maʼlumotnoma',
      volume_change: 'Shartnoma hajmini oʻzgartirish',
      requisites_change: 'Rekvizitlarni oʻzgartirish',
    },
    statuses: {
      submitted: 'Yuborildi',
      accepted: 'Qabul qilindi',
      scheduled: 'Tashrif rejalashtirildi',
      done: 'Bajarildi',
      rejected: 'Rad etildi',
      cancelled: 'Bekor qilindi',
    },
    fields: {
      legalAddress: 'Yuridik manzil',
      postalAddress: 'Pochta manzili',
      phone: 'Telefon',
      email: 'E-pochta',
      bankMfo: 'Bank MFO',
      bankAccount: 'Hisob raqami',
    },
  },
  'uz-Cyrl': {
    title: 'АРИЗА',
    number: 'Рақами',
    date: 'Сана',
    account: 'Шартнома',
    consumer: 'Истеъмолчи',
    inn: 'СТИР',
    kind: 'Ариза тури',
    text: 'Мазмуни',
    visit: 'Исталган ташриф вақти',
    meter: 'Ҳисоблагич',
    volumes: 'Янги шартнома ҳажмлари',
    month: 'Ой',
    volume: 'Ҳажм',
    requisites: 'Янги реквизитлар',
    timeline: 'Кўриб чиқиш жараёни',
    when: 'Вақти',
    status: 'Ҳолати',
    note: 'Изоҳ',
    applicant: 'Аризачи',
    received: 'Қабул қилди',
    types: {
      disconnection: 'Ўчириш',
      meter_inspection: 'Ҳисоблагични текшириш (назорат кўрсаткичи билан)',
      heating_inspection: 'Иситиш тизимини текшириш',
      appeal: 'Мурожаат',
      contract_renewal: 'Шартномани янгилаш',
      no_debt_certificate: 'Қарздорлик йўқлиги ҳақида маълумотнома',
      volume_change: 'Шартнома ҳажмини ўзгартириш',
      requisites_change: 'Реквизитларни ўзгартириш',
    },
    statuses: {
      submitted: 'Юборилди',
      accepted: 'Қабул қилинди',
      scheduled: 'Ташриф режалаштирилди',
      done: 'Бажарилди',
      rejected: 'Рад этилди',
      cancelled: 'Бекор қилинди',
    },
    fields: {
      legalAddress: 'Юридик манзил',
      postalAddress: 'Почта манзили',
      phone: 'Телефон',
      email: 'Э-почта',
      bankMfo: 'Банк МФО',
      bankAccount: 'Ҳисоб рақами',
    },
  },
  ru: {
    title: 'ЗАЯВКА',
    number: 'Номер',
    date: 'Дата',
    account: 'Договор',
    consumer: 'Потребитель',
    inn: 'ИНН',
    kind: 'Вид заявки',
    text: 'Содержание',
    visit: 'Желаемое время выезда',
    meter: 'Счётчик',
    volumes: 'Новые договорные объёмы',
    month: 'Месяц',
    volume: 'Объём',
    requisites: 'Новые реквизиты',
    timeline: 'Ход рассмотрения',
    when: 'Когда',
    status: 'Статус',
    note: 'Комментарий',
    applicant: 'Заявитель',
    received: 'Принял',
    types: {
      disconnection: 'Отключение',
      meter_inspection: 'Проверка счётчика (с контрольным показанием)',
      heating_inspection: 'Проверка системы отопления',
      appeal: 'Обращение',
      contract_renewal: 'Перезаключение договора',
      no_debt_certificate: 'Справка об отсутствии задолженности',
      volume_change: 'Изменение договорного объёма',
      requisites_change: 'Изменение реквизитов',
    },
    statuses: {
      submitted: 'Подана',
      accepted: 'Принята',
      scheduled: 'Назначен выезд',
      done: 'Выполнена',
      rejected: 'Отклонена',
      cancelled: 'Отменена',
    },
    fields: {
      legalAddress: 'Юридический адрес',
      postalAddress: 'Почтовый адрес',
      phone: 'Телефон',
      email: 'Эл. почта',
      bankMfo: 'МФО банка',
      bankAccount: 'Расчётный счёт',
    },
  },
  en: {
    title: 'APPLICATION',
    number: 'Number',
    date: 'Date',
    account: 'Contract',
    consumer: 'Consumer',
    inn: 'INN',
    kind: 'Kind',
    text: 'Text',
    visit: 'Desired visit',
    meter: 'Meter',
    volumes: 'New contracted volumes',
    month: 'Month',
    volume: 'Volume',
    requisites: 'New requisites',
    timeline: 'Progress',
    when: 'When',
    status: 'Status',
    note: 'Note',
    applicant: 'Applicant',
    received: 'Received by',
    types: {
      disconnection: 'Disconnection',
      meter_inspection: 'Meter inspection (with a control reading)',
      heating_inspection: 'Heating system inspection',
      appeal: 'Appeal',
      contract_renewal: 'Contract renewal',
      no_debt_certificate: 'No-debt certificate',
      volume_change: 'Change of the contracted volume',
      requisites_change: 'Change of requisites',
    },
    statuses: {
      submitted: 'Submitted',
      accepted: 'Accepted',
      scheduled: 'Visit scheduled',
      done: 'Done',
      rejected: 'Rejected',
      cancelled: 'Cancelled',
    },
    fields: {
      legalAddress: 'Legal address',
      postalAddress: 'Postal address',
      phone: 'Phone',
      email: 'E-mail',
      bankMfo: 'Bank MFO',
      bankAccount: 'Bank account',
    },
  },
};

/** The form's words in a language: kinds, statuses and requisite names (also the office's XLSX). */
export function applicationLabels(locale: Locale): Readonly<FormLabels> {
  return LABELS[locale];
}

const day = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 5 * 3_600_000).toISOString();
  return `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)} ${d.slice(11, 16)}`;
};
const date = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

/** The application as a printable A4 form in `locale`. */
export function renderApplicationPdf(
  a: ApplicationView,
  parties: { supplier: Party; consumer: Party },
  locale: Locale,
): Promise<Buffer> {
  const l = LABELS[locale];
  const doc = newDocument(`${l.title} ${a.number}`, a.createdAt.slice(0, 10));
  header(doc, parties.supplier);
  doc.font('bold').fontSize(14).text(`${l.title} № ${a.number}`, { align: 'center', width: WIDTH });
  doc
    .font('regular')
    .fontSize(9)
    .text(`${l.date}: ${day(a.createdAt)}`, { align: 'center', width: WIDTH });
  doc.moveDown(1);
  const row = (label: string, value: string) => {
    doc.font('bold').fontSize(9).text(`${label}: `, MARGIN, doc.y, { continued: true, width: WIDTH });
    doc.font('regular').text(value, { width: WIDTH });
    doc.moveDown(0.2);
  };
  row(l.consumer, parties.consumer.name);
  if (parties.consumer.inn) row(l.inn, parties.consumer.inn);
  row(l.account, a.account);
  row(l.kind, l.types[a.type]);
  if (a.desiredDate) row(l.visit, `${date(a.desiredDate)}${a.desiredTime ? `, ${a.desiredTime}` : ''}`);
  const d = a.details;
  if (typeof d.meterSerial === 'string') row(l.meter, d.meterSerial);
  doc.moveDown(0.5);
  doc.font('bold').fontSize(9).text(`${l.text}:`, MARGIN, doc.y, { width: WIDTH });
  doc.font('regular').fontSize(9).text(a.text, { width: WIDTH });
  doc.moveDown(0.8);
  if (Array.isArray(d.volumes)) {
    doc.font('bold').fontSize(9).text(l.volumes, { width: WIDTH });
    doc.moveDown(0.3);
    const volumes = d.volumes as { period: string; volume: string }[];
    table(
      doc,
      [
        { title: l.month, width: 150, align: 'left' },
        { title: l.volume, width: 150, align: 'right' },
      ],
      volumes.map((v) => [v.period, v.volume]),
    );
    doc.moveDown(0.8);
  }
  if (d.requisites && typeof d.requisites === 'object') {
    doc.font('bold').fontSize(9).text(l.requisites, MARGIN, doc.y, { width: WIDTH });
    doc.moveDown(0.3);
    for (const [k, v] of Object.entries(d.requisites as Record<string, string>)) row(l.fields[k] ?? k, v);
    doc.moveDown(0.5);
  }
  doc.font('bold').fontSize(9).text(l.timeline, MARGIN, doc.y, { width: WIDTH });
  doc.moveDown(0.3);
  table(
    doc,
    [
      { title: l.when, width: 110, align: 'left' },
      { title: l.status, width: 140, align: 'left' },
      { title: l.note, width: WIDTH - 250, align: 'left' },
    ],
    a.events.map((e) => [
      day(e.at),
      l.statuses[e.status] ?? e.status,
      [e.note, e.name].filter(Boolean).join(' — '),
    ]),
  );
  signatures(doc, [l.applicant], [l.received]);
  return toBuffer(doc);
}
