import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of claims and litigation (R11, docs/decisions/018-claims.md). */
export const CLAIM_ERRORS = {
  UNKNOWN_CLAIM: {
    status: 404,
    uz: 'Daʼvo topilmadi: {id}',
    'uz-Cyrl': 'Даъво топилмади: {id}',
    ru: 'Претензия или иск не найдены: {id}',
    en: 'Unknown claim: {id}',
  },
  CLAIM_OPEN_EXISTS: {
    status: 409,
    uz: 'Bu shartnoma boʻyicha shu turdagi ochiq hujjat bor: {number}. Avval uni yakunlang',
    'uz-Cyrl': 'Бу шартнома бўйича шу турдаги очиқ ҳужжат бор: {number}. Аввал уни якунланг',
    ru: 'По этому договору уже есть открытый документ этого вида: {number}. Сначала завершите его',
    en: 'This contract already has an open claim of this kind: {number}. Close it first',
  },
  CLAIM_TRANSITION: {
    status: 409,
    uz: '{number} ni «{from}» holatidan «{to}» holatiga oʻtkazib boʻlmaydi',
    'uz-Cyrl': '{number} ни «{from}» ҳолатидан «{to}» ҳолатига ўтказиб бўлмайди',
    ru: '{number} нельзя перевести из статуса «{from}» в «{to}»',
    en: '{number} cannot move from {from} to {to}',
  },
  CLAIM_ESCALATE_BY_CASE: {
    status: 409,
    uz: '{number} talabnomasini sudga oshirish uchun undan sud ishini oching',
    'uz-Cyrl': '{number} талабномасини судга ошириш учун ундан суд ишини очинг',
    ru: 'Чтобы передать претензию {number} в суд, заведите по ней судебное дело',
    en: 'To escalate claim {number}, file a court case from it',
  },
  CLAIM_NO_DEBT: {
    status: 409,
    uz: '{on} holatiga hisob boʻyicha qarz yoʻq',
    'uz-Cyrl': '{on} ҳолатига ҳисоб бўйича қарз йўқ',
    ru: 'На {on} по лицевому счёту нет задолженности',
    en: 'The account has no debt on {on}',
  },
  CLAIM_GROUND: {
    status: 400,
    uz: 'Oʻchirish buyrugʻi uchun asosni koʻrsating; boshqa hujjatlarda asos boʻlmaydi',
    'uz-Cyrl': 'Ўчириш буйруғи учун асосни кўрсатинг; бошқа ҳужжатларда асос бўлмайди',
    ru: 'Для распоряжения об отключении укажите основание; у других документов его нет',
    en: 'A disconnection order needs its ground; other kinds have none',
  },
  CLAIM_PARENT_INVALID: {
    status: 409,
    uz: 'Sud ishi shu shartnomaning yuborilgan yoki rad etilgan talabnomasidan ochiladi',
    'uz-Cyrl': 'Суд иши шу шартноманинг юборилган ёки рад этилган талабномасидан очилади',
    ru: 'Судебное дело заводится по направленной или отклонённой претензии того же договора',
    en: 'A court case is filed from a sent or rejected pre-trial claim of the same contract',
  },
  CLAIM_DATE_INVALID: {
    status: 400,
    uz: 'Sana {from} dan {to} gacha boʻlishi kerak',
    'uz-Cyrl': 'Сана {from} дан {to} гача бўлиши керак',
    ru: 'Дата должна быть с {from} по {to}',
    en: 'The date must be from {from} to {to}',
  },
  CLAIM_HEARING_REQUIRED: {
    status: 400,
    uz: 'Sud majlisi sanasini koʻrsating',
    'uz-Cyrl': 'Суд мажлиси санасини кўрсатинг',
    ru: 'Укажите дату судебного заседания',
    en: 'Give the date of the hearing',
  },
  CLAIM_NOT_PRINTABLE: {
    status: 409,
    uz: 'Chop etiladigan shakl faqat ogohlantirish xati va talabnoma uchun bor',
    'uz-Cyrl': 'Чоп этиладиган шакл фақат огоҳлантириш хати ва талабнома учун бор',
    ru: 'Печатная форма есть только у предупреждения и претензии',
    en: 'Only warning letters and pre-trial claims have a printable form',
  },
} as const satisfies Record<string, ErrorSpec>;
