import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of the signed confirmation of readings (R3.4). */
export const READING_CONFIRMATION_ERRORS = {
  READING_CONFIRMER_NO_PINFL: {
    status: 422,
    uz: "Hisobingizda JShShIR (PINFL) ko'rsatilmagan: usiz ko'rsatkichlarni ERI bilan tasdiqlab bo'lmaydi. Administratorga murojaat qiling",
    'uz-Cyrl':
      'Ҳисобингизда ЖШШИР (ПИНФЛ) кўрсатилмаган: усиз кўрсаткичларни ЭРИ билан тасдиқлаб бўлмайди. Администраторга мурожаат қилинг',
    ru: 'В вашей учётной записи не указан ПИНФЛ: без него показания нельзя подтвердить ЭЦП. Обратитесь к администратору',
    en: 'Your user account has no PINFL, so you cannot confirm readings with a signature. Ask an administrator to add it',
  },
  STAFF_KEY_UNKNOWN_USER: {
    status: 404,
    uz: '{login} loginli xodim topilmadi',
    'uz-Cyrl': '{login} логинли ходим топилмади',
    ru: 'Сотрудник с логином {login} не найден',
    en: 'There is no staff user with login {login}',
  },
  READING_CONFIRMATION_UNKNOWN_READING: {
    status: 404,
    uz: "{readingId} raqamli ko'rsatkich topilmadi",
    'uz-Cyrl': '{readingId} рақамли кўрсаткич топилмади',
    ru: 'Показание № {readingId} не найдено',
    en: 'Reading {readingId} not found',
  },
  READING_CONFIRMATION_NOT_SUBMITTED: {
    status: 409,
    uz: "{readingId} raqamli ko'rsatkich tasdiqlashni kutmayapti (holati: {status})",
    'uz-Cyrl': '{readingId} рақамли кўрсаткич тасдиқлашни кутмаяпти (ҳолати: {status})',
    ru: 'Показание № {readingId} не ожидает подтверждения (статус: {status})',
    en: 'Reading {readingId} is not waiting for confirmation (status: {status})',
  },
  UNKNOWN_READING_CONFIRMATION: {
    status: 404,
    uz: '{id} raqamli tasdiqlash hujjati topilmadi',
    'uz-Cyrl': '{id} рақамли тасдиқлаш ҳужжати топилмади',
    ru: 'Документ подтверждения № {id} не найден',
    en: 'Confirmation {id} not found',
  },
  READING_CONFIRMATION_NOT_AUTHOR: {
    status: 403,
    uz: 'Tasdiqlash hujjatini faqat uni tayyorlagan xodim imzolay oladi',
    'uz-Cyrl': 'Тасдиқлаш ҳужжатини фақат уни тайёрлаган ходим имзолай олади',
    ru: 'Подписать документ подтверждения может только сотрудник, который его подготовил',
    en: 'Only the user who prepared the confirmation may sign it',
  },
  READING_CONFIRMATION_SIGNED: {
    status: 409,
    uz: 'Bu tasdiqlash hujjati boshqa imzo bilan allaqachon imzolangan',
    'uz-Cyrl': 'Бу тасдиқлаш ҳужжати бошқа имзо билан аллақачон имзоланган',
    ru: 'Этот документ подтверждения уже подписан другой подписью',
    en: 'This confirmation is already signed with another signature',
  },
  READING_CONFIRMATION_NOT_SIGNED: {
    status: 409,
    uz: 'Tasdiqlash hujjati hali imzolanmagan',
    'uz-Cyrl': 'Тасдиқлаш ҳужжати ҳали имзоланмаган',
    ru: 'Документ подтверждения ещё не подписан',
    en: 'The confirmation is not signed yet',
  },
  READING_CONFIRMATION_SIGNATURE_MISMATCH: {
    status: 422,
    uz: 'Imzo boshqa hujjatga qo‘yilgan: ushbu tasdiqlash hujjatini imzolang',
    'uz-Cyrl': 'Имзо бошқа ҳужжатга қўйилган: ушбу тасдиқлаш ҳужжатини имзоланг',
    ru: 'Подпись поставлена под другим документом: подпишите этот документ подтверждения',
    en: 'The signature covers another document: sign this confirmation',
  },
  READING_CONFIRMATION_SIGNATURE_INVALID: {
    status: 422,
    uz: 'Imzo haqiqiy emas ({reason}): ishonchli markaz bergan amaldagi kalit bilan imzolang',
    'uz-Cyrl': 'Имзо ҳақиқий эмас ({reason}): ишончли марказ берган амалдаги калит билан имзоланг',
    ru: 'Подпись недействительна ({reason}): подпишите действующим ключом доверенного центра',
    en: 'The signature is not valid ({reason}): sign with a valid key from a trusted authority',
  },
  READING_CONFIRMATION_SIGNER_PINFL: {
    status: 422,
    uz: "Imzo kaliti boshqa shaxsga tegishli (JShShIR {signerPinfl}): o'z kalitingiz bilan imzolang",
    'uz-Cyrl': 'Имзо калити бошқа шахсга тегишли (ЖШШИР {signerPinfl}): ўз калитингиз билан имзоланг',
    ru: 'Ключ подписи принадлежит другому лицу (ПИНФЛ {signerPinfl}): подпишите своим ключом',
    en: 'The signing key belongs to someone else (PINFL {signerPinfl}): sign with your own key',
  },
  READING_CONFIRMATION_STALE: {
    status: 409,
    uz: "{readingId} raqamli ko'rsatkich hujjat tayyorlangandan keyin o'zgardi (holati: {status}): hech narsa tasdiqlanmadi, hujjatni qaytadan tayyorlang",
    'uz-Cyrl':
      '{readingId} рақамли кўрсаткич ҳужжат тайёрлангандан кейин ўзгарди (ҳолати: {status}): ҳеч нарса тасдиқланмади, ҳужжатни қайтадан тайёрланг',
    ru: 'Показание № {readingId} изменилось после подготовки документа (статус: {status}): ничего не подтверждено, подготовьте документ заново',
    en: 'Reading {readingId} changed after the document was prepared (status: {status}): nothing was confirmed; prepare the document again',
  },
  READING_CONFIRMATION_EXPORT_TOO_LARGE: {
    status: 400,
    uz: "Ro'yxatda {limit} tadan ortiq qator bor: eksportdan oldin filtrlang",
    'uz-Cyrl': 'Рўйхатда {limit} тадан ортиқ қатор бор: экспортдан олдин фильтрланг',
    ru: 'В списке больше {limit} строк: отфильтруйте его перед выгрузкой',
    en: 'The list has more than {limit} rows: filter it before exporting',
  },
} as const satisfies Record<string, ErrorSpec>;
