import type { Locale } from '../i18n/locale.ts';

type ErrorSpec = { status: number } & Record<Locale, string>;

/**
 * Every error code the API returns: its HTTP status and its message in the four languages.
 * `{name}` in a message is filled from the error's details.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: {
    status: 400,
    uz: "Ma'lumotlar noto'g'ri: {issues}",
    'uz-Cyrl': 'Маълумотлар нотўғри: {issues}',
    ru: 'Неверные данные: {issues}',
    en: 'Invalid input: {issues}',
  },
  INVALID_JSON: {
    status: 400,
    uz: "So'rov tanasi to'g'ri JSON emas",
    'uz-Cyrl': 'Сўров танаси тўғри JSON эмас',
    ru: 'Тело запроса не является корректным JSON',
    en: 'The request body is not valid JSON',
  },
  INVALID_MONEY: {
    status: 400,
    uz: "Summa noto'g'ri: «{value}» (masalan 1234.56)",
    'uz-Cyrl': 'Сумма нотўғри: «{value}» (масалан 1234.56)',
    ru: 'Неверная сумма: «{value}» (например 1234.56)',
    en: 'Invalid amount: "{value}" (for example 1234.56)',
  },
  INVALID_QUANTITY: {
    status: 400,
    uz: "Miqdor noto'g'ri: «{value}»",
    'uz-Cyrl': 'Миқдор нотўғри: «{value}»',
    ru: 'Неверное количество: «{value}»',
    en: 'Invalid quantity: "{value}"',
  },
  INVALID_READING: {
    status: 400,
    uz: "Ko'rsatkich noto'g'ri: «{value}» (format XXXXXX,XX)",
    'uz-Cyrl': 'Кўрсаткич нотўғри: «{value}» (формат XXXXXX,XX)',
    ru: 'Неверное показание: «{value}» (формат XXXXXX,XX)',
    en: 'Invalid reading: "{value}" (format XXXXXX,XX)',
  },
  INVALID_PRICE: {
    status: 400,
    uz: "Narx noto'g'ri: «{value}»",
    'uz-Cyrl': 'Нарх нотўғри: «{value}»',
    ru: 'Неверная цена: «{value}»',
    en: 'Invalid price: "{value}"',
  },
  INVALID_RATE: {
    status: 400,
    uz: "Stavka noto'g'ri: «{value}»",
    'uz-Cyrl': 'Ставка нотўғри: «{value}»',
    ru: 'Неверная ставка: «{value}»',
    en: 'Invalid rate: "{value}"',
  },
  INVALID_PERIOD: {
    status: 400,
    uz: "Davr noto'g'ri: «{value}» (YYYY-MM)",
    'uz-Cyrl': 'Давр нотўғри: «{value}» (YYYY-MM)',
    ru: 'Неверный период: «{value}» (ГГГГ-ММ)',
    en: 'Invalid period: "{value}" (YYYY-MM)',
  },
  INVALID_DATE: {
    status: 400,
    uz: "Sana noto'g'ri: «{value}» (YYYY-MM-DD)",
    'uz-Cyrl': 'Сана нотўғри: «{value}» (YYYY-MM-DD)',
    ru: 'Неверная дата: «{value}» (ГГГГ-ММ-ДД)',
    en: 'Invalid date: "{value}" (YYYY-MM-DD)',
  },
  INVALID_SPLIT: {
    status: 400,
    uz: "Taqsimlash uchun ma'lumotlar noto'g'ri",
    'uz-Cyrl': 'Тақсимлаш учун маълумотлар нотўғри',
    ru: 'Неверные данные для распределения',
    en: 'Invalid input for a proportional split',
  },
  AUTH_REQUIRED: {
    status: 401,
    uz: 'Tizimga kiring',
    'uz-Cyrl': 'Тизимга киринг',
    ru: 'Войдите в систему',
    en: 'Please sign in',
  },
  AUTH_INVALID_CREDENTIALS: {
    status: 401,
    uz: "Login yoki parol noto'g'ri",
    'uz-Cyrl': 'Логин ёки парол нотўғри',
    ru: 'Неверный логин или пароль',
    en: 'Wrong login or password',
  },
  AUTH_SESSION_EXPIRED: {
    status: 401,
    uz: 'Seans tugadi, qaytadan kiring',
    'uz-Cyrl': 'Сеанс тугади, қайтадан киринг',
    ru: 'Сеанс истёк, войдите снова',
    en: 'Your session has expired; please sign in again',
  },
  AUTH_LOCKED: {
    status: 423,
    uz: "Ko'p marta noto'g'ri urinish: hisob {minutes} daqiqaga bloklandi",
    'uz-Cyrl': 'Кўп марта нотўғри уриниш: ҳисоб {minutes} дақиқага блокланди',
    ru: 'Слишком много неудачных попыток: вход заблокирован на {minutes} мин.',
    en: 'Too many failed attempts: sign-in is locked for {minutes} minutes',
  },
  AUTH_USER_DISABLED: {
    status: 403,
    uz: "Foydalanuvchi o'chirilgan",
    'uz-Cyrl': 'Фойдаланувчи ўчирилган',
    ru: 'Пользователь отключён',
    en: 'This user is disabled',
  },
  AUTH_FORBIDDEN: {
    status: 403,
    uz: "Bu amal uchun ruxsat yo'q",
    'uz-Cyrl': 'Бу амал учун рухсат йўқ',
    ru: 'Нет прав на это действие',
    en: 'You are not allowed to do this',
  },
  AUTH_PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    uz: "Avval parolni o'zgartiring",
    'uz-Cyrl': 'Аввал паролни ўзгартиринг',
    ru: 'Сначала смените пароль',
    en: 'Change your password first',
  },
  AUTH_WEAK_PASSWORD: {
    status: 400,
    uz: "Parol kamida 10 belgidan iborat bo'lishi, harf va raqamni o'z ichiga olishi kerak",
    'uz-Cyrl': 'Парол камида 10 белгидан иборат бўлиши, ҳарф ва рақамни ўз ичига олиши керак',
    ru: 'Пароль должен быть не короче 10 символов и содержать буквы и цифры',
    en: 'The password needs at least 10 characters with letters and digits',
  },
  CSRF_INVALID: {
    status: 403,
    uz: 'Xavfsizlik belgisi (CSRF) yo‘q yoki eskirgan; sahifani yangilang',
    'uz-Cyrl': 'Хавфсизлик белгиси (CSRF) йўқ ёки эскирган; саҳифани янгиланг',
    ru: 'Отсутствует или устарел токен безопасности (CSRF); обновите страницу',
    en: 'The security token (CSRF) is missing or stale; reload the page',
  },
  RATE_LIMITED: {
    status: 429,
    uz: "Juda ko'p so'rov; birozdan keyin urinib ko'ring",
    'uz-Cyrl': 'Жуда кўп сўров; бироздан кейин уриниб кўринг',
    ru: 'Слишком много запросов; повторите позже',
    en: 'Too many requests; try again shortly',
  },
  NOT_FOUND: {
    status: 404,
    uz: 'Topilmadi',
    'uz-Cyrl': 'Топилмади',
    ru: 'Не найдено',
    en: 'Not found',
  },
  ORG_UNIT_OUT_OF_SCOPE: {
    status: 403,
    uz: "Bu bo'linma sizning vakolatingizdan tashqarida",
    'uz-Cyrl': 'Бу бўлинма сизнинг ваколатингиздан ташқарида',
    ru: 'Это подразделение вне вашей зоны доступа',
    en: 'This org unit is outside your scope',
  },
  LOGIN_TAKEN: {
    status: 409,
    uz: 'Bu login band',
    'uz-Cyrl': 'Бу логин банд',
    ru: 'Этот логин уже занят',
    en: 'This login is already taken',
  },
  CONFLICT: {
    status: 409,
    uz: "Ma'lumotlar boshqa amal bilan o'zgargan; qaytadan urinib ko'ring",
    'uz-Cyrl': 'Маълумотлар бошқа амал билан ўзгарган; қайтадан уриниб кўринг',
    ru: 'Данные изменены другим действием; повторите',
    en: 'The data was changed by another action; try again',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    uz: 'Yuborilgan fayl yoki so‘rov juda katta',
    'uz-Cyrl': 'Юборилган файл ёки сўров жуда катта',
    ru: 'Слишком большой файл или запрос',
    en: 'The upload or request is too large',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    uz: "Bu turdagi ma'lumot qabul qilinmaydi",
    'uz-Cyrl': 'Бу турдаги маълумот қабул қилинмайди',
    ru: 'Этот тип данных не поддерживается',
    en: 'This content type is not supported',
  },
  DB_UNAVAILABLE: {
    status: 503,
    uz: "Ma'lumotlar bazasi mavjud emas",
    'uz-Cyrl': 'Маълумотлар базаси мавжуд эмас',
    ru: 'База данных недоступна',
    en: 'The database is unavailable',
  },
  INTERNAL: {
    status: 500,
    uz: 'Ichki xatolik; keyinroq urinib ko‘ring',
    'uz-Cyrl': 'Ички хатолик; кейинроқ уриниб кўринг',
    ru: 'Внутренняя ошибка; повторите позже',
    en: 'Internal error; please try again later',
  },
} as const satisfies Record<string, ErrorSpec>;

/** A code listed in ERROR_CODES. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `code` is one of the known error codes. */
export function isKnownCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** The HTTP status of a code (400 for codes a module has not listed yet). */
export function statusOf(code: string): number {
  return isKnownCode(code) ? ERROR_CODES[code].status : 400;
}

/** The message of a code in `locale`, with `{name}` filled from `details`. */
export function messageOf(
  code: string,
  locale: Locale,
  details?: Record<string, unknown>,
  fallback?: string,
): string {
  const template: string = isKnownCode(code) ? ERROR_CODES[code][locale] : (fallback ?? code);
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = details?.[name];
    return v === undefined || v === null ? '' : String(v);
  });
}
