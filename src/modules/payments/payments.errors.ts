import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of the office payment desk: manual booking, reversal, the payment list. */
export const PAYMENT_OFFICE_ERRORS = {
  PAYMENT_CHANNEL_INACTIVE: {
    status: 409,
    uz: "«{channel}» to'lov kanali faolsizlantirilgan: u orqali to'lov kiritib bo'lmaydi",
    'uz-Cyrl': '«{channel}» тўлов канали фаолсизлантирилган: у орқали тўлов киритиб бўлмайди',
    ru: 'Канал оплаты «{channel}» деактивирован: провести по нему платёж нельзя',
    en: 'The payment channel "{channel}" is deactivated: no payment can be booked through it',
  },
  PAYMENT_IN_FUTURE: {
    status: 400,
    uz: "To'lov sanasi ({date}) kelajakda bo'lishi mumkin emas",
    'uz-Cyrl': 'Тўлов санаси ({date}) келажакда бўлиши мумкин эмас',
    ru: 'Дата оплаты ({date}) не может быть в будущем',
    en: 'The payment date ({date}) cannot be in the future',
  },
  PAYMENT_CONTRACT_NOT_FOUND: {
    status: 404,
    uz: 'Shartnoma topilmadi',
    'uz-Cyrl': 'Шартнома топилмади',
    ru: 'Договор не найден',
    en: 'Contract not found',
  },
  PAYMENT_DOCUMENT_CONFLICT: {
    status: 409,
    uz: '{document} raqamli kvitansiya boshqa shartnomaga allaqachon kiritilgan',
    'uz-Cyrl': '{document} рақамли квитанция бошқа шартномага аллақачон киритилган',
    ru: 'Квитанция № {document} уже проведена по другому договору',
    en: 'Receipt {document} is already booked to another contract',
  },
  PAYMENT_REVERSAL_UNMATCHED: {
    status: 409,
    uz: "Aniqlanmagan to'lov bekor qilinmaydi: avval uni shartnomaga biriktiring",
    'uz-Cyrl': 'Аниқланмаган тўлов бекор қилинмайди: аввал уни шартномага бириктиринг',
    ru: 'Невыясненный платёж нельзя сторнировать: сначала привяжите его к договору',
    en: 'An unmatched payment cannot be reversed: match it to a contract first',
  },
  PAYMENT_EXPORT_TOO_LARGE: {
    status: 400,
    uz: "Ro'yxatda {total} ta qator; eksport {max} tagacha: filtrlarni toraytiring",
    'uz-Cyrl': 'Рўйхатда {total} та қатор; экспорт {max} тагача: фильтрларни торайтиринг',
    ru: 'В списке {total} строк; выгрузка до {max}: сузьте фильтры',
    en: 'The list has {total} rows; an export holds at most {max}: narrow the filters',
  },
} as const satisfies Record<string, ErrorSpec>;
