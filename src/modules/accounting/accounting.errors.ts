import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of the accounting area: ledger turnover, 1C export and e-invoices. */
export const ACCOUNTING_ERRORS = {
  EINVOICE_RUN_NOT_FOUND: {
    status: 404,
    uz: 'Elektron hisob-fakturalar tuzish jarayoni topilmadi',
    'uz-Cyrl': 'Электрон ҳисоб-фактуралар тузиш жараёни топилмади',
    ru: 'Запуск формирования электронных счетов-фактур не найден',
    en: 'No such e-invoice generation run',
  },
  EINVOICE_NOT_FOUND: {
    status: 404,
    uz: 'Elektron hisob-faktura topilmadi',
    'uz-Cyrl': 'Электрон ҳисоб-фактура топилмади',
    ru: 'Электронный счёт-фактура не найден',
    en: 'No such e-invoice',
  },
  EINVOICE_NONE: {
    status: 404,
    uz: "Bu davr uchun imzolangan elektron hisob-fakturalar yo'q: avval ularni tuzing",
    'uz-Cyrl': 'Бу давр учун имзоланган электрон ҳисоб-фактуралар йўқ: аввал уларни тузинг',
    ru: 'За этот период нет подписанных электронных счетов-фактур: сначала сформируйте их',
    en: 'There are no signed e-invoices for this period: generate them first',
  },
} as const satisfies Record<string, ErrorSpec>;
