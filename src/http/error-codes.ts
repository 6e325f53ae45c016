import type { Locale } from '../i18n/locale.ts';
import { ACCOUNTING_ERRORS } from '../modules/accounting/accounting.errors.ts';
import { APPLICATION_ERRORS } from '../modules/applications/applications.errors.ts';
import { CLAIM_ERRORS } from '../modules/claims/claims.errors.ts';
import { CONSUMER_ERRORS } from '../modules/consumers/consumers.errors.ts';
import { DOCUMENT_ERRORS } from '../modules/documents/documents.errors.ts';
import { METER_ERRORS } from '../modules/meters/meters.errors.ts';
import { ORG_ERRORS } from '../modules/orgs/orgs.errors.ts';
import { PAYMENT_OFFICE_ERRORS } from '../modules/payments/payments.errors.ts';
import { READING_CONFIRMATION_ERRORS } from '../modules/readings/confirmation.errors.ts';
import { READING_ERRORS } from '../modules/readings/readings.errors.ts';
import { DOCUMENT_TEMPLATE_ERRORS } from '../modules/reference/document-templates.errors.ts';
import { REFERENCE_ERRORS } from '../modules/reference/reference.errors.ts';
import { USER_ERRORS } from '../modules/users/users.errors.ts';
import type { ErrorSpec } from './error-spec.ts';

/**
 * Every error code the API returns: its HTTP status and its message in the four languages.
 * `{name}` in a message is filled from the error's details.
 */
const CORE_ERRORS = {
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
    uz: 'Foydalanuvchi bloklangan: administratorga murojaat qiling',
    'uz-Cyrl': 'Фойдаланувчи блокланган: администраторга мурожаат қилинг',
    ru: 'Пользователь заблокирован: обратитесь к администратору',
    en: 'This user is blocked: ask an administrator',
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
  READING_BELOW_PREVIOUS: {
    status: 422,
    uz: "Ko'rsatkich oldingisidan kichik (hisoblagich aylanishi ham emas)",
    'uz-Cyrl': 'Кўрсаткич олдингисидан кичик (ҳисоблагич айланиши ҳам эмас)',
    ru: 'Показание меньше предыдущего (и это не переход через ноль)',
    en: 'The reading is below the previous one and is not a rollover',
  },
  READING_TOO_LARGE: {
    status: 422,
    uz: "Ko'rsatkich hisoblagich razryadlaridan katta ({digits} xona)",
    'uz-Cyrl': 'Кўрсаткич ҳисоблагич разрядларидан катта ({digits} хона)',
    ru: 'Показание больше разрядности счётчика ({digits} знаков)',
    en: "The reading exceeds the meter's {digits} digits",
  },
  READING_IN_FUTURE: {
    status: 422,
    uz: "Ko'rsatkich sanasi kelajakda",
    'uz-Cyrl': 'Кўрсаткич санаси келажакда',
    ru: 'Дата показания в будущем',
    en: 'The reading is dated in the future',
  },
  READING_OUTSIDE_METER_LIFE: {
    status: 422,
    uz: "Bu sanada hisoblagich o'rnatilmagan edi",
    'uz-Cyrl': 'Бу санада ҳисоблагич ўрнатилмаган эди',
    ru: 'В эту дату счётчик не был установлен',
    en: 'The meter was not installed on that date',
  },
  PERIOD_CLOSED: {
    status: 409,
    uz: '{period} davri yopilgan; tuzatish ochiq davrda kiritiladi',
    'uz-Cyrl': '{period} даври ёпилган; тузатиш очиқ даврда киритилади',
    ru: 'Период {period} закрыт; исправления вносятся в открытом периоде',
    en: 'Period {period} is closed; corrections go to the open period',
  },
  PAYMENT_CONFLICT: {
    status: 409,
    uz: "Bu to'lov boshqa summa bilan allaqachon qabul qilingan",
    'uz-Cyrl': 'Бу тўлов бошқа сумма билан аллақачон қабул қилинган',
    ru: 'Этот платёж уже принят с другой суммой',
    en: 'This payment was already booked with another amount',
  },
  PAYMENT_NOT_FOUND: {
    status: 404,
    uz: "To'lov topilmadi",
    'uz-Cyrl': 'Тўлов топилмади',
    ru: 'Платёж не найден',
    en: 'Payment not found',
  },
  PAYMENT_ALREADY_REVERSED: {
    status: 409,
    uz: "To'lov allaqachon bekor qilingan",
    'uz-Cyrl': 'Тўлов аллақачон бекор қилинган',
    ru: 'Платёж уже сторнирован',
    en: 'The payment is already reversed',
  },
  PAYMENT_PROVIDER_UNAVAILABLE: {
    status: 409,
    uz: "Onlayn to'lov ({provider}) hozircha ulanmagan",
    'uz-Cyrl': 'Онлайн тўлов ({provider}) ҳозирча уланмаган',
    ru: 'Онлайн-оплата ({provider}) не подключена',
    en: 'Online payment through {provider} is not set up',
  },
  PAYMENT_AMOUNT_OUT_OF_RANGE: {
    status: 400,
    uz: "Onlayn to'lov summasi {min} dan {max} so'mgacha bo'lishi kerak",
    'uz-Cyrl': 'Онлайн тўлов суммаси {min} дан {max} сўмгача бўлиши керак',
    ru: 'Сумма онлайн-оплаты должна быть от {min} до {max} сум',
    en: 'An online payment must be between {min} and {max} so\u2019m',
  },
  // Bank statements and post registries (issue 7 point 5, README "Payments — bank and post").
  PAYMENT_FILE_INVALID: {
    status: 400,
    uz: "Faylda {count} ta xato bor; hech narsa import qilinmadi. Ko'rsatilgan qatorlarni tuzating",
    'uz-Cyrl': 'Файлда {count} та хато бор; ҳеч нарса импорт қилинмади. Кўрсатилган қаторларни тузатинг',
    ru: 'В файле ошибок: {count}; ничего не загружено. Исправьте указанные строки',
    en: 'The file has {count} errors; nothing was imported. Correct the lines shown',
  },
  PAYMENT_FILE_DUPLICATE: {
    status: 409,
    uz: 'Bu fayl allaqachon import qilingan ({createdAt}, paket {batchId})',
    'uz-Cyrl': 'Бу файл аллақачон импорт қилинган ({createdAt}, пакет {batchId})',
    ru: 'Этот файл уже загружен ({createdAt}, пакет {batchId})',
    en: 'This file was already imported ({createdAt}, batch {batchId})',
  },
  PAYMENT_FILE_ACCOUNT: {
    status: 422,
    uz: "Ko'chirma {accounts} hisobi uchun, ta'minotchining hisobi esa {expected}",
    'uz-Cyrl': 'Кўчирма {accounts} ҳисоби учун, таъминотчининг ҳисоби эса {expected}',
    ru: 'Выписка по счёту {accounts}, а расчётный счёт поставщика {expected}',
    en: 'The statement is for account {accounts}; the supplier’s account is {expected}',
  },
  SUPPLIER_BANK_ACCOUNT_MISSING: {
    status: 409,
    uz: "Ta'minotchining hisob raqami kiritilmagan: bank ko'chirmasini import qilishdan oldin uni kiriting",
    'uz-Cyrl':
      'Таъминотчининг ҳисоб рақами киритилмаган: банк кўчирмасини импорт қилишдан олдин уни киритинг',
    ru: 'У поставщика не указан расчётный счёт: укажите его перед загрузкой выписок',
    en: 'The supplier has no bank account set; set it before importing bank statements',
  },
  PAYMENT_NOT_UNMATCHED: {
    status: 409,
    uz: "Bu to'lov aniqlanmaganlar navbatida emas (holati: {status})",
    'uz-Cyrl': 'Бу тўлов аниқланмаганлар навбатида эмас (ҳолати: {status})',
    ru: 'Этот платёж не в очереди невыясненных (статус: {status})',
    en: 'This payment is not waiting to be matched (it is {status})',
  },
  TARIFF_VERSION_NOT_FIRST: {
    status: 400,
    uz: 'Tarif versiyasi oyning 1-kunidan boshlanadi',
    'uz-Cyrl': 'Тариф версияси ойнинг 1-кунидан бошланади',
    ru: 'Версия тарифа начинается с 1-го числа месяца',
    en: 'A tariff version starts on the 1st of a month',
  },
  TARIFF_VERSION_DUPLICATE: {
    status: 409,
    uz: 'Bu sanadan tarif versiyasi allaqachon bor',
    'uz-Cyrl': 'Бу санадан тариф версияси аллақачон бор',
    ru: 'Версия тарифа с этой даты уже есть',
    en: 'A tariff version from this date exists',
  },
  TARIFF_BLOCKS_INVALID: {
    status: 400,
    uz: "Tarif bloklari o'sib borishi va faqat oxirgisi chegarasiz bo'lishi kerak",
    'uz-Cyrl': 'Тариф блоклари ўсиб бориши ва фақат охиргиси чегарасиз бўлиши керак',
    ru: 'Блоки тарифа должны возрастать, без верхней границы только последний',
    en: 'Blocks must rise and only the last may be open-ended',
  },
  TARIFF_NOT_IN_FORCE: {
    status: 422,
    uz: "{period} davrida amaldagi tarif yo'q",
    'uz-Cyrl': '{period} даврида амалдаги тариф йўқ',
    ru: 'В периоде {period} нет действующего тарифа',
    en: 'No tariff is in force in {period}',
  },
  TARIFF_PRICE_MISSING: {
    status: 500,
    uz: "Tarif versiyasida narx yo'q",
    'uz-Cyrl': 'Тариф версиясида нарх йўқ',
    ru: 'В версии тарифа нет цены',
    en: 'The tariff version has no price',
  },
  TARIFF_ZONE_MISSING: {
    status: 422,
    uz: "Tarifda {register} zonasi uchun narx yo'q",
    'uz-Cyrl': 'Тарифда {register} зонаси учун нарх йўқ',
    ru: 'В тарифе нет цены для зоны {register}',
    en: 'The tariff has no price for zone {register}',
  },
  TARIFF_REGISTERS_MISMATCH: {
    status: 422,
    uz: 'Bu tarif bitta faol energiya registrini hisoblaydi',
    'uz-Cyrl': 'Бу тариф битта фаол энергия регистрини ҳисоблайди',
    ru: 'Этот тариф тарифицирует один регистр активной энергии',
    en: 'This tariff prices one active-energy register',
  },
  TARIFF_CODE_TAKEN: {
    status: 409,
    uz: 'Bu kodli tarif mavjud',
    'uz-Cyrl': 'Бу кодли тариф мавжуд',
    ru: 'Тариф с таким кодом уже есть',
    en: 'A tariff with this code exists',
  },
  BLOCK_TARIFF_WITH_VOLUME: {
    status: 400,
    uz: "Blokli tarifda shartnoma hajmi bo'lishi mumkin emas",
    'uz-Cyrl': 'Блокли тарифда шартнома ҳажми бўлиши мумкин эмас',
    ru: 'У блочного тарифа не может быть договорного объёма',
    en: 'A block tariff cannot have a contract volume',
  },
  UNKNOWN_TARIFF: {
    status: 400,
    uz: 'Tarif topilmadi: {tariff}',
    'uz-Cyrl': 'Тариф топилмади: {tariff}',
    ru: 'Тариф не найден: {tariff}',
    en: 'Unknown tariff: {tariff}',
  },
  CONTRACT_NUMBER_TAKEN: {
    status: 409,
    uz: 'Bu raqamli shartnoma mavjud: {account}',
    'uz-Cyrl': 'Бу рақамли шартнома мавжуд: {account}',
    ru: 'Договор с таким номером уже есть: {account}',
    en: 'A contract with this number exists: {account}',
  },
  INVALID_MULTIPLIER: {
    status: 400,
    uz: "Koeffitsient musbat butun son bo'lishi kerak",
    'uz-Cyrl': 'Коэффициент мусбат бутун сон бўлиши керак',
    ru: 'Коэффициент должен быть положительным целым числом',
    en: 'The multiplier must be a positive whole number',
  },
  MIGRATION_CHANGED: {
    status: 500,
    uz: "Ma'lumotlar bazasi migratsiyasi o'zgartirilgan",
    'uz-Cyrl': 'Маълумотлар базаси миграцияси ўзгартирилган',
    ru: 'Миграция базы данных была изменена',
    en: 'A database migration was changed after it was applied',
  },
  PERIOD_ALREADY_CLOSED: {
    status: 409,
    uz: '{period} davri allaqachon yopilgan',
    'uz-Cyrl': '{period} даври аллақачон ёпилган',
    ru: 'Период {period} уже закрыт',
    en: 'Period {period} is already closed',
  },
  PERIOD_OUT_OF_ORDER: {
    status: 409,
    uz: 'Avval {next} davrini yoping',
    'uz-Cyrl': 'Аввал {next} даврини ёпинг',
    ru: 'Сначала закройте период {next}',
    en: 'Close period {next} first',
  },
  PERIOD_HAS_ERRORS: {
    status: 409,
    uz: '{period} davrini yopib boʻlmaydi: {count} ta hisob hisoblanmadi (birinchisi {account}: {reason})',
    'uz-Cyrl':
      '{period} даврини ёпиб бўлмайди: {count} та ҳисоб ҳисобланмади (биринчиси {account}: {reason})',
    ru: 'Период {period} нельзя закрыть: {count} лицевых счетов не начислены (первый {account}: {reason})',
    en: 'Period {period} cannot be closed: {count} account(s) could not be billed (first {account}: {reason})',
  },
  BILL_RUN_TOO_EARLY: {
    status: 409,
    uz: '{period} davri hali tugamagan: hisob-kitobni {from} dan boshlash mumkin',
    'uz-Cyrl': '{period} даври ҳали тугамаган: ҳисоб-китобни {from} дан бошлаш мумкин',
    ru: 'Период {period} ещё не закончился: начисление возможно с {from}',
    en: 'Period {period} has not ended yet: billing can start on {from}',
  },
  READING_PERIOD_BILLED: {
    status: 409,
    uz: 'Bu hisob {period} davri uchun allaqachon hisoblangan: koʻrsatkichni keyingi davr sanasi bilan kiriting',
    'uz-Cyrl':
      'Бу ҳисоб {period} даври учун аллақачон ҳисобланган: кўрсаткични кейинги давр санаси билан киритинг',
    ru: 'Лицевой счёт уже начислен за период {period}: введите показание датой следующего периода',
    en: 'The account is already billed for {period}: enter the reading with a date in the next period',
  },
  METER_NOT_FOUND: {
    status: 404,
    uz: 'Bu hisobda {serial} hisoblagichi yoʻq',
    'uz-Cyrl': 'Бу ҳисобда {serial} ҳисоблагичи йўқ',
    ru: 'На этом лицевом счёте нет счётчика {serial}',
    en: 'There is no meter {serial} on this account',
  },
  METER_ALREADY_REMOVED: {
    status: 409,
    uz: '{serial} hisoblagichi {date} kuni yechib olingan',
    'uz-Cyrl': '{serial} ҳисоблагичи {date} куни ечиб олинган',
    ru: 'Счётчик {serial} снят {date}',
    en: 'Meter {serial} was removed on {date}',
  },
  REMOVAL_REGISTERS_MISMATCH: {
    status: 422,
    uz: 'Yechish koʻrsatkichi hisoblagichning barcha registrlari uchun boʻlishi kerak (yetishmaydi: {missing}; ortiqcha: {unknown})',
    'uz-Cyrl':
      'Ечиш кўрсаткичи ҳисоблагичнинг барча регистрлари учун бўлиши керак (етишмайди: {missing}; ортиқча: {unknown})',
    ru: 'Показание при снятии нужно по всем регистрам счётчика (нет: {missing}; лишние: {unknown})',
    en: 'The removal reading must cover every register of the meter (missing: {missing}; unknown: {unknown})',
  },
  METER_SERIAL_TAKEN: {
    status: 409,
    uz: '{serial} hisoblagichi boshqa joyda oʻrnatilgan',
    'uz-Cyrl': '{serial} ҳисоблагичи бошқа жойда ўрнатилган',
    ru: 'Счётчик {serial} установлен в другом месте',
    en: 'Meter {serial} is installed elsewhere',
  },
  CORRECTION_PERIOD_OPEN: {
    status: 409,
    uz: '{period} davri yopilmagan: u odatdagidek hisoblanadi',
    'uz-Cyrl': '{period} даври ёпилмаган: у одатдагидек ҳисобланади',
    ru: 'Период {period} не закрыт: он начисляется обычным порядком',
    en: 'Period {period} is not closed: it is still billed as usual',
  },
  DOCUMENT_NOT_FOUND: {
    status: 404,
    uz: '{account} hisobi uchun {period} davri hisob-fakturasi yoʻq',
    'uz-Cyrl': '{account} ҳисоби учун {period} даври ҳисоб-фактураси йўқ',
    ru: 'Счёта-фактуры по лицевому счёту {account} за {period} нет',
    en: 'There is no invoice of account {account} for {period}',
  },
  PERIOD_NOT_CLOSED: {
    status: 409,
    uz: '{period} davri hali yopilmagan: hujjatlar yopilgandan keyin tuziladi',
    'uz-Cyrl': '{period} даври ҳали ёпилмаган: ҳужжатлар ёпилгандан кейин тузилади',
    ru: 'Период {period} ещё не закрыт: документы формируются после закрытия',
    en: 'Period {period} is not closed yet: documents are made once it is closed',
  },
  CABINET_SUPPLIER_REQUIRED: {
    status: 409,
    uz: 'Bu shartnoma raqami bir nechta yetkazib beruvchida bor: yetkazib beruvchini tanlang',
    'uz-Cyrl': 'Бу шартнома рақами бир нечта етказиб берувчида бор: етказиб берувчини танланг',
    ru: 'Такой номер договора есть у нескольких поставщиков: выберите поставщика',
    en: 'This contract number exists at several suppliers: choose the supplier',
  },
  UNKNOWN_APPLICATION: {
    status: 404,
    uz: 'Ariza topilmadi: {id}',
    'uz-Cyrl': 'Ариза топилмади: {id}',
    ru: 'Заявка не найдена: {id}',
    en: 'Application not found: {id}',
  },
  APPLICATION_NO_VISIT: {
    status: 400,
    uz: "Bu turdagi arizada tashrif sanasi bo'lmaydi",
    'uz-Cyrl': 'Бу турдаги аризада ташриф санаси бўлмайди',
    ru: 'Для заявки этого вида дата выезда не указывается',
    en: 'This kind of application has no visit date',
  },
  APPLICATION_VISIT_REQUIRED: {
    status: 400,
    uz: 'Tashrifning istalgan sanasi va vaqtini tanlang',
    'uz-Cyrl': 'Ташрифнинг исталган санаси ва вақтини танланг',
    ru: 'Выберите желаемую дату и время выезда',
    en: 'Choose the desired visit date and time',
  },
  APPLICATION_VISIT_DATE: {
    status: 400,
    uz: "Tashrif sanasi {from} dan {to} gacha bo'lgan ish kuni bo'lishi kerak",
    'uz-Cyrl': 'Ташриф санаси {from} дан {to} гача бўлган иш куни бўлиши керак',
    ru: 'Дата выезда должна быть рабочим днём с {from} по {to}',
    en: 'The visit date must be a working day from {from} to {to}',
  },
  APPLICATION_VOLUME_PERIOD: {
    status: 400,
    uz: "Hajmni {from} dan {to} gacha bo'lgan oylar uchun o'zgartirish mumkin",
    'uz-Cyrl': 'Ҳажмни {from} дан {to} гача бўлган ойлар учун ўзгартириш мумкин',
    ru: 'Объём можно изменить для месяцев с {from} по {to}',
    en: 'The volume can be changed for the months {from} to {to}',
  },
  APPLICATION_METER: {
    status: 400,
    uz: "{serial} hisoblagichi sizning shartnomangizda yo'q",
    'uz-Cyrl': '{serial} ҳисоблагичи сизнинг шартномангизда йўқ',
    ru: 'Счётчика {serial} нет в вашем договоре',
    en: 'Meter {serial} is not on your contract',
  },
  APPLICATION_REQUISITES_EMPTY: {
    status: 400,
    uz: "Kamida bitta yangi rekvizitni ko'rsating",
    'uz-Cyrl': 'Камида битта янги реквизитни кўрсатинг',
    ru: 'Укажите хотя бы один новый реквизит',
    en: 'Give at least one new requisite',
  },
  RECOVERY_DECIDED: {
    status: 409,
    uz: "Bu so'rov bo'yicha qaror allaqachon qabul qilingan",
    'uz-Cyrl': 'Бу сўров бўйича қарор аллақачон қабул қилинган',
    ru: 'По этому запросу решение уже принято',
    en: 'This request has been decided already',
  },
  APPLICATION_TRANSITION: {
    status: 409,
    uz: "Arizani «{from}» holatidan «{to}» holatiga o'tkazib bo'lmaydi",
    'uz-Cyrl': 'Аризани «{from}» ҳолатидан «{to}» ҳолатига ўтказиб бўлмайди',
    ru: 'Заявку нельзя перевести из статуса «{from}» в «{to}»',
    en: 'An application {from} cannot become {to}',
  },
  BILL_RUN_NOT_FOUND: {
    status: 404,
    uz: 'Hisob-kitob jarayoni topilmadi',
    'uz-Cyrl': 'Ҳисоб-китоб жараёни топилмади',
    ru: 'Запуск начисления не найден',
    en: 'No such bill run',
  },
  UNKNOWN_ACCOUNT: {
    status: 404,
    uz: 'Shaxsiy hisob topilmadi: {account}',
    'uz-Cyrl': 'Шахсий ҳисоб топилмади: {account}',
    ru: 'Лицевой счёт не найден: {account}',
    en: 'Unknown account: {account}',
  },
  EVENT_NOT_SUPPORTED: {
    status: 400,
    uz: "Bu turdagi hodisa hali qo'llab-quvvatlanmaydi: {type}",
    'uz-Cyrl': 'Бу турдаги ҳодиса ҳали қўллаб-қувватланмайди: {type}',
    ru: 'Событие этого типа пока не поддерживается: {type}',
    en: 'This event type is not supported yet: {type}',
  },
  ILLEGAL_USE_PRICE_REQUIRED: {
    status: 400,
    uz: "Zonali yoki blokli tarifda noqonuniy foydalanish narxini ko'rsating",
    'uz-Cyrl': 'Зонали ёки блокли тарифда ноқонуний фойдаланиш нархини кўрсатинг',
    ru: 'Для зонного или блочного тарифа укажите цену незаконного потребления',
    en: 'Give the price of illegal use on a zone or block tariff',
  },
  INTERNAL: {
    status: 500,
    uz: 'Ichki xatolik; keyinroq urinib ko‘ring',
    'uz-Cyrl': 'Ички хатолик; кейинроқ уриниб кўринг',
    ru: 'Внутренняя ошибка; повторите позже',
    en: 'Internal error; please try again later',
  },
  READING_WINDOW_CLOSED: {
    status: 409,
    uz: "{period} uchun ko'rsatkichlar {closesOn} gacha qabul qilindi; qabul yopilgan",
    'uz-Cyrl': '{period} учун кўрсаткичлар {closesOn} гача қабул қилинди; қабул ёпилган',
    ru: 'Показания за {period} принимались до {closesOn}; приём закрыт',
    en: 'Readings for {period} were accepted until {closesOn}; submission is closed',
  },
  UNKNOWN_REGISTER: {
    status: 404,
    uz: 'Hisoblagich registri topilmadi: {registerId}',
    'uz-Cyrl': 'Ҳисоблагич регистри топилмади: {registerId}',
    ru: 'Регистр счётчика не найден: {registerId}',
    en: 'Unknown meter register: {registerId}',
  },
  READING_ALREADY_SUBMITTED: {
    status: 409,
    uz: "Bu registr bo'yicha {readOn} kuni ko'rsatkich allaqachon yuborilgan",
    'uz-Cyrl': 'Бу регистр бўйича {readOn} куни кўрсаткич аллақачон юборилган',
    ru: 'Показание по этому регистру за {readOn} уже передано',
    en: 'A reading for this register was already submitted on {readOn}',
  },
  ATTACHMENT_TOO_LARGE: {
    status: 413,
    uz: "Fayl juda katta: ko'pi bilan {limitMb} MB",
    'uz-Cyrl': 'Файл жуда катта: кўпи билан {limitMb} МБ',
    ru: 'Файл слишком большой: не более {limitMb} МБ',
    en: 'The file is too large: at most {limitMb} MB',
  },
  ATTACHMENT_TYPE: {
    status: 415,
    uz: 'Hisoblagich surati (JPEG, PNG) yoki PDF faylini biriktiring',
    'uz-Cyrl': 'Ҳисоблагич сурати (JPEG, PNG) ёки PDF файлини бириктиринг',
    ru: 'Приложите фото (JPEG, PNG) или PDF',
    en: 'Attach a photo (JPEG, PNG) or PDF',
  },
  SIGNATURE_FILES_REQUIRED: {
    status: 400,
    uz: 'Hujjatni (document) va uning imzo faylini (signature, .p7s) yuboring',
    'uz-Cyrl': 'Ҳужжатни (document) ва унинг имзо файлини (signature, .p7s) юборинг',
    ru: 'Отправьте документ (document) и файл его подписи (signature, .p7s)',
    en: 'Send the document (document) and its signature file (signature, .p7s)',
  },
  SIGNATURE_FILE_TOO_LARGE: {
    status: 413,
    uz: "Fayl juda katta: ko'pi bilan {limitMb} MB",
    'uz-Cyrl': 'Файл жуда катта: кўпи билан {limitMb} МБ',
    ru: 'Файл слишком большой: не более {limitMb} МБ',
    en: 'The file is too large: at most {limitMb} MB',
  },
  // The employee list per procedure No. 1031 (R6 function 7, docs/decisions/009-employee-list.md).
  EMPLOYEE_LIST_INVALID: {
    status: 400,
    uz: "Ro'yxatda {count} ta xato bor; hech narsa saqlanmadi. Har bir qatordagi xatoni tuzating",
    'uz-Cyrl': 'Рўйхатда {count} та хато бор; ҳеч нарса сақланмади. Ҳар бир қатордаги хатони тузатинг',
    ru: 'В списке ошибок: {count}; ничего не сохранено. Исправьте ошибки в строках',
    en: 'The list has {count} errors; nothing was saved. Correct the rows shown',
  },
  UNKNOWN_EMPLOYEE_LIST: {
    status: 404,
    uz: "Xodimlar ro'yxati topilmadi: {id}",
    'uz-Cyrl': 'Ходимлар рўйхати топилмади: {id}',
    ru: 'Список работников не найден: {id}',
    en: 'Unknown employee list: {id}',
  },
  EMPLOYEE_LIST_STATUS: {
    status: 409,
    uz: "Bu amal «{status}» holatidagi ro'yxat uchun bajarilmaydi",
    'uz-Cyrl': 'Бу амал «{status}» ҳолатидаги рўйхат учун бажарилмайди',
    ru: 'Это действие недоступно для списка в статусе «{status}»',
    en: 'This cannot be done to a list that is {status}',
  },
  EMPLOYEE_LIST_SIGNATURE_MISMATCH: {
    status: 422,
    uz: "Imzo bu ro'yxat hujjatiga qo'yilmagan: aynan shu ro'yxatdan yuklab olingan PDF faylni imzolang",
    'uz-Cyrl': 'Имзо бу рўйхат ҳужжатига қўйилмаган: айнан шу рўйхатдан юклаб олинган PDF файлни имзоланг',
    ru: 'Подпись поставлена не под этим документом: подпишите PDF, скачанный из этого списка',
    en: 'The signature is not over this list’s document: sign the PDF downloaded from this list',
  },
  EMPLOYEE_LIST_SIGNATURE_INVALID: {
    status: 422,
    uz: "Imzo qabul qilinmadi: u haqiqiy emas yoki ishonchli sertifikat bilan qo'yilmagan ({reason})",
    'uz-Cyrl': 'Имзо қабул қилинмади: у ҳақиқий эмас ёки ишончли сертификат билан қўйилмаган ({reason})',
    ru: 'Подпись не принята: она недействительна или сделана недоверенным сертификатом ({reason})',
    en: 'The signature was not accepted: it is not valid or not made with a trusted certificate ({reason})',
  },
  EMPLOYEE_LIST_SIGNER_INN: {
    status: 422,
    uz: 'Imzo sertifikati STIR {signerInn} ga tegishli, tashkilotingiz STIRi esa {inn}: tashkilot kaliti bilan imzolang',
    'uz-Cyrl':
      'Имзо сертификати СТИР {signerInn} га тегишли, ташкилотингиз СТИРи эса {inn}: ташкилот калити билан имзоланг',
    ru: 'Сертификат подписи выдан на ИНН {signerInn}, а ИНН вашей организации {inn}: подпишите ключом организации',
    en: 'The signing certificate belongs to INN {signerInn}, your organisation’s INN is {inn}: sign with its key',
  },
} as const satisfies Record<string, ErrorSpec>;

/**
 * Every error code the API returns: the core table above and the tables of the modules that keep
 * their own (each `*.errors.ts`).
 */
export const ERROR_CODES = {
  ...CORE_ERRORS,
  ...READING_ERRORS,
  ...READING_CONFIRMATION_ERRORS,
  ...PAYMENT_OFFICE_ERRORS,
  ...CONSUMER_ERRORS,
  ...APPLICATION_ERRORS,
  ...REFERENCE_ERRORS,
  ...DOCUMENT_TEMPLATE_ERRORS,
  ...ACCOUNTING_ERRORS,
  ...METER_ERRORS,
  ...USER_ERRORS,
  ...ORG_ERRORS,
  ...DOCUMENT_ERRORS,
  ...CLAIM_ERRORS,
} as const;

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
