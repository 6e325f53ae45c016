import type { XlsxColumn } from '../../../http/list.ts';
import type { Locale } from '../../../i18n/locale.ts';
import type { PaymentRow, PaymentStatus } from './office.schemas.ts';

/** The sheet name of the payment list export. */
export const PAYMENTS_SHEET: Record<Locale, string> = {
  uz: "To'lovlar",
  'uz-Cyrl': 'Тўловлар',
  ru: 'Платежи',
  en: 'Payments',
};

const STATUS: Record<PaymentStatus, Record<Locale, string>> = {
  booked: { uz: 'Qabul qilingan', 'uz-Cyrl': 'Қабул қилинган', ru: 'Проведён', en: 'Booked' },
  reversed: { uz: 'Bekor qilingan', 'uz-Cyrl': 'Бекор қилинган', ru: 'Сторнирован', en: 'Reversed' },
  unmatched: { uz: 'Aniqlanmagan', 'uz-Cyrl': 'Аниқланмаган', ru: 'Невыясненный', en: 'Unmatched' },
};

/** Tashkent date and time of an ISO moment, as text for the sheet. */
function tashkentTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 5 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The columns of the payment list export, headers in `locale`'s table (status text too). */
export function paymentColumns(locale: Locale): XlsxColumn<PaymentRow>[] {
  return [
    {
      header: { uz: 'ID', 'uz-Cyrl': 'ID', ru: 'ID', en: 'ID' },
      type: 'number',
      value: (r) => r.id,
      width: 10,
    },
    {
      header: { uz: "To'lov sanasi", 'uz-Cyrl': 'Тўлов санаси', ru: 'Дата оплаты', en: 'Paid on' },
      type: 'date',
      value: (r) => r.paidOn,
      width: 12,
    },
    {
      header: { uz: 'Kanal', 'uz-Cyrl': 'Канал', ru: 'Канал', en: 'Channel' },
      value: (r) => r.channelName,
      width: 16,
    },
    {
      header: {
        uz: 'Hujjat / tranzaksiya',
        'uz-Cyrl': 'Ҳужжат / транзакция',
        ru: 'Документ / транзакция',
        en: 'Document / transaction',
      },
      value: (r) => r.externalId,
      width: 24,
    },
    {
      header: { uz: "Summa, so'm", 'uz-Cyrl': 'Сумма, сўм', ru: 'Сумма, сум', en: 'Amount, UZS' },
      type: 'money',
      value: (r) => r.amount,
      width: 16,
    },
    {
      header: { uz: 'Shartnoma', 'uz-Cyrl': 'Шартнома', ru: 'Договор', en: 'Contract' },
      value: (r) => r.contract?.number,
      width: 12,
    },
    {
      header: {
        uz: "Iste'molchi / to'lovchi",
        'uz-Cyrl': 'Истеъмолчи / тўловчи',
        ru: 'Потребитель / плательщик',
        en: 'Consumer / payer',
      },
      value: (r) => r.consumerName ?? r.payer,
      width: 32,
    },
    {
      header: { uz: "Bo'linma", 'uz-Cyrl': 'Бўлинма', ru: 'Подразделение', en: 'Org unit' },
      value: (r) => r.orgUnit?.name,
      width: 24,
    },
    {
      header: { uz: 'Holati', 'uz-Cyrl': 'Ҳолати', ru: 'Статус', en: 'Status' },
      value: (r) => STATUS[r.status][locale],
      width: 14,
    },
    {
      header: {
        uz: 'Bekor qilingan sana',
        'uz-Cyrl': 'Бекор қилинган сана',
        ru: 'Дата сторно',
        en: 'Reversed on',
      },
      type: 'date',
      value: (r) => r.reversal?.on,
      width: 12,
    },
    {
      header: {
        uz: 'Bekor qilish sababi',
        'uz-Cyrl': 'Бекор қилиш сабаби',
        ru: 'Причина сторно',
        en: 'Reversal reason',
      },
      value: (r) => r.reversal?.reason,
      width: 28,
    },
    {
      header: {
        uz: 'Kim bekor qildi',
        'uz-Cyrl': 'Ким бекор қилди',
        ru: 'Кто сторнировал',
        en: 'Reversed by',
      },
      value: (r) => r.reversal?.by?.name ?? r.reversal?.by?.type,
      width: 24,
    },
    {
      header: { uz: 'Kim kiritdi', 'uz-Cyrl': 'Ким киритди', ru: 'Кто провёл', en: 'Booked by' },
      value: (r) => r.bookedBy?.name,
      width: 24,
    },
    {
      header: { uz: 'Kiritilgan vaqt', 'uz-Cyrl': 'Киритилган вақт', ru: 'Время проводки', en: 'Booked at' },
      value: (r) => tashkentTime(r.bookedAt),
      width: 17,
    },
  ];
}
