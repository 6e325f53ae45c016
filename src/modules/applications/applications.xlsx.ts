import type { XlsxColumn } from '../../http/list.ts';
import type { Locale } from '../../i18n/locale.ts';
import { applicationLabels } from './application.pdf.ts';
import type { OfficeApplicationView } from './applications.office.ts';

/** Tashkent's calendar day of a moment, 'YYYY-MM-DD'. */
const tashkentDay = (iso: string) =>
  new Date(new Date(iso).getTime() + 5 * 3_600_000).toISOString().slice(0, 10);

/** The columns of the applications workbook; kinds and statuses are written in `locale`. */
export function applicationColumns(locale: Locale): XlsxColumn<OfficeApplicationView>[] {
  const l = applicationLabels(locale);
  return [
    {
      header: { uz: 'Raqami', 'uz-Cyrl': 'Рақами', ru: 'Номер', en: 'Number' },
      value: (r) => r.number,
      width: 16,
    },
    {
      header: { uz: 'Berilgan sana', 'uz-Cyrl': 'Берилган сана', ru: 'Дата подачи', en: 'Filed' },
      type: 'date',
      value: (r) => tashkentDay(r.createdAt),
      width: 12,
    },
    {
      header: { uz: 'Turi', 'uz-Cyrl': 'Тури', ru: 'Вид', en: 'Kind' },
      value: (r) => l.types[r.type],
      width: 36,
    },
    {
      header: { uz: 'Holati', 'uz-Cyrl': 'Ҳолати', ru: 'Статус', en: 'Status' },
      value: (r) => l.statuses[r.status] ?? r.status,
      width: 22,
    },
    {
      header: { uz: 'Shartnoma', 'uz-Cyrl': 'Шартнома', ru: 'Договор', en: 'Contract' },
      value: (r) => r.account,
      width: 12,
    },
    {
      header: { uz: "Iste'molchi", 'uz-Cyrl': 'Истеъмолчи', ru: 'Потребитель', en: 'Consumer' },
      value: (r) => r.consumer.name,
      width: 32,
    },
    {
      header: { uz: "Bo'linma", 'uz-Cyrl': 'Бўлинма', ru: 'Подразделение', en: 'Org unit' },
      value: (r) => r.orgUnit.name,
      width: 24,
    },
    {
      header: { uz: 'Ijrochi', 'uz-Cyrl': 'Ижрочи', ru: 'Исполнитель', en: 'Assignee' },
      value: (r) => r.assignee?.name,
      width: 28,
    },
    {
      header: { uz: 'Tashrif sanasi', 'uz-Cyrl': 'Ташриф санаси', ru: 'Дата выезда', en: 'Visit' },
      type: 'date',
      value: (r) => r.visitDate,
      width: 12,
    },
    {
      header: { uz: 'Mazmuni', 'uz-Cyrl': 'Мазмуни', ru: 'Содержание', en: 'Text' },
      value: (r) => r.text,
      width: 60,
    },
  ];
}
