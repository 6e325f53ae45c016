import type { XlsxColumn } from '../../http/list.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { UserView } from './users.schemas.ts';

const h = (uz: string, uzCyrl: string, ru: string, en: string): Record<Locale, string> => ({
  uz,
  'uz-Cyrl': uzCyrl,
  ru,
  en,
});

/** The sheet name of the users workbook. */
export const USERS_SHEET = h('Xodimlar', 'Ходимлар', 'Пользователи', 'Users');

const ROLE_NAMES: Record<string, Record<Locale, string>> = {
  admin: h("Tizim ma'muri", 'Тизим маъмури', 'Администратор системы', 'System administrator'),
  operator: h('Billing operatori', 'Биллинг оператори', 'Оператор биллинга', 'Billing operator'),
  inspector: h('Nazoratchi', 'Назоратчи', 'Контролёр', 'Inspector'),
  clerk: h(
    "Abonent bo'limi xodimi",
    'Абонент бўлими ходими',
    'Сотрудник абонентского отдела',
    'Subscriber clerk',
  ),
  accountant: h('Buxgalter', 'Бухгалтер', 'Бухгалтер', 'Accountant'),
  lawyer: h('Yurist', 'Юрист', 'Юрист', 'Lawyer'),
  analyst: h(
    'Tahlilchi (bosh ofis)',
    'Таҳлилчи (бош офис)',
    'Аналитик (головной офис)',
    'Analyst (head office)',
  ),
};

const STATUS_NAMES: Record<string, Record<Locale, string>> = {
  active: h('Faol', 'Фаол', 'Активен', 'Active'),
  blocked: h('Bloklangan', 'Блокланган', 'Заблокирован', 'Blocked'),
};

/** A moment as "dd.mm.yyyy hh:mm" in Tashkent (UTC+5, no daylight saving). */
function tashkentText(isoText: string | null): string | null {
  if (!isoText) return null;
  const t = new Date(new Date(isoText).getTime() + 5 * 3_600_000).toISOString();
  return `${t.slice(8, 10)}.${t.slice(5, 7)}.${t.slice(0, 4)} ${t.slice(11, 16)}`;
}

/** The columns of the users workbook; roles and statuses are named in the file's language. */
export function userXlsxColumns(locale: Locale): XlsxColumn<UserView>[] {
  return [
    { header: h('Login', 'Логин', 'Логин', 'Login'), value: (u) => u.login, width: 22 },
    { header: h('F.I.Sh.', 'Ф.И.Ш.', 'ФИО', 'Full name'), value: (u) => u.fullName, width: 32 },
    { header: h('JShShIR', 'ЖШШИР', 'ПИНФЛ', 'PINFL'), value: (u) => u.pinfl, width: 16 },
    {
      header: h("Rollar va bo'linmalar", 'Роллар ва бўлинмалар', 'Роли и подразделения', 'Roles and units'),
      value: (u) =>
        u.roles.map((r) => `${ROLE_NAMES[r.role]?.[locale] ?? r.role} · ${r.orgUnitName}`).join('; '),
      width: 48,
    },
    {
      header: h('Holati', 'Ҳолати', 'Состояние', 'Status'),
      value: (u) => STATUS_NAMES[u.status]?.[locale] ?? u.status,
      width: 14,
    },
    { header: h('Til', 'Тил', 'Язык', 'Language'), value: (u) => u.locale, width: 8 },
    {
      header: h('Oxirgi kirish', 'Охирги кириш', 'Последний вход', 'Last sign-in'),
      value: (u) => tashkentText(u.lastLoginAt),
      width: 18,
    },
    {
      header: h('Yaratilgan', 'Яратилган', 'Создан', 'Created'),
      value: (u) => tashkentText(u.createdAt),
      width: 18,
    },
  ];
}
