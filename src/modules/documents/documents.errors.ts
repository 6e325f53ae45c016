import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of a period's documents: generation runs, re-issue and the print pack. */
export const DOCUMENT_ERRORS = {
  DOCUMENT_RUN_NOT_FOUND: {
    status: 404,
    uz: 'Hujjatlar tayyorlash topilmadi',
    'uz-Cyrl': 'Ҳужжатлар тайёрлаш топилмади',
    ru: 'Формирование документов не найдено',
    en: 'No such document run',
  },
  DOCUMENT_NOT_ARCHIVED: {
    status: 404,
    uz: 'Bu hujjat hali imzolanib arxivlanmagan: avval davr hujjatlarini tayyorlang',
    'uz-Cyrl': 'Бу ҳужжат ҳали имзоланиб архивланмаган: аввал давр ҳужжатларини тайёрланг',
    ru: 'Этот документ ещё не подписан и не в архиве: сначала сформируйте документы периода',
    en: 'This document has not been signed and archived yet: generate the period’s documents first',
  },
  DOCUMENT_PACK_EMPTY: {
    status: 404,
    uz: '{period} davri uchun tanlangan boʻlinmada arxivlangan hisob-fakturalar yoʻq',
    'uz-Cyrl': '{period} даври учун танланган бўлинмада архивланган ҳисоб-фактуралар йўқ',
    ru: 'В выбранном подразделении нет подписанных счетов-фактур за {period}',
    en: 'There are no archived invoices of {period} in this unit',
  },
  DOCUMENT_PACK_TOO_LARGE: {
    status: 413,
    uz: 'Chop etish toʻplami juda katta ({count} ta hujjat, koʻpi bilan {max}): kichikroq boʻlinmani tanlang',
    'uz-Cyrl':
      'Чоп этиш тўплами жуда катта ({count} та ҳужжат, кўпи билан {max}): кичикроқ бўлинмани танланг',
    ru: 'Пакет для печати слишком большой ({count} документов, не более {max}): выберите подразделение меньше',
    en: 'The print pack is too large ({count} documents, at most {max}): choose a smaller unit',
  },
  DOCUMENT_REISSUE_CONFLICT: {
    status: 409,
    uz: 'Hujjatni boshqa xodim hozirgina qayta chiqardi; roʻyxatni yangilang',
    'uz-Cyrl': 'Ҳужжатни бошқа ходим ҳозиргина қайта чиқарди; рўйхатни янгиланг',
    ru: 'Документ только что перевыпустил другой сотрудник; обновите список',
    en: 'Someone else has just re-issued this document; reload the list',
  },
} as const satisfies Record<string, ErrorSpec>;
