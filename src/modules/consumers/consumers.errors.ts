import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of the consumer card and the Vitrina. */
export const CONSUMER_ERRORS = {
  UNKNOWN_CONSUMER: {
    status: 404,
    uz: "Iste'molchi topilmadi: {id}",
    'uz-Cyrl': 'Истеъмолчи топилмади: {id}',
    ru: 'Потребитель не найден: {id}',
    en: 'Unknown consumer: {id}',
  },
  VITRINA_DATE_IN_FUTURE: {
    status: 400,
    uz: "{on} sanasi hali kelmagan: bugungi yoki o'tgan kunni tanlang",
    'uz-Cyrl': '{on} санаси ҳали келмаган: бугунги ёки ўтган кунни танланг',
    ru: 'Дата {on} ещё не наступила: выберите сегодняшний или прошедший день',
    en: '{on} is in the future: choose today or a past day',
  },
} as const satisfies Record<string, ErrorSpec>;
