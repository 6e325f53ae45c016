import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of the document-template editor (docs/decisions/019-document-templates.md). */
export const DOCUMENT_TEMPLATE_ERRORS = {
  TEMPLATE_UNKNOWN_PLACEHOLDER: {
    status: 400,
    uz: 'Matnda notanish oʻrinbosar bor: «{placeholder}». Mumkin boʻlganlari: {allowed}',
    'uz-Cyrl': 'Матнда нотаниш ўринбосар бор: «{placeholder}». Мумкин бўлганлари: {allowed}',
    ru: 'В тексте неизвестная подстановка «{placeholder}». Допустимые: {allowed}',
    en: 'The text has an unknown placeholder "{placeholder}". Allowed: {allowed}',
  },
  TEMPLATE_BRACES_UNBALANCED: {
    status: 400,
    uz: '{line}-qator, {column}-ustunda qavslar juftlashmagan («{excerpt}»): oʻrinbosar ikki juft jingalak qavs ichida yoziladi',
    'uz-Cyrl':
      '{line}-қатор, {column}-устунда қавслар жуфтлашмаган («{excerpt}»): ўринбосар икки жуфт жингалак қавс ичида ёзилади',
    ru: 'Непарные фигурные скобки в строке {line}, позиции {column} («{excerpt}»): подстановка пишется в двойных фигурных скобках',
    en: 'Unbalanced braces at line {line}, column {column} ("{excerpt}"): a placeholder is written in double curly braces',
  },
  TEMPLATE_BODY_REQUIRED: {
    status: 400,
    uz: 'Bu hujjat uchun matn boʻsh boʻlishi mumkin emas',
    'uz-Cyrl': 'Бу ҳужжат учун матн бўш бўлиши мумкин эмас',
    ru: 'Для этого документа текст не может быть пустым',
    en: 'This document needs the text; it cannot be empty',
  },
  TEMPLATE_BODY_TOO_LONG: {
    status: 400,
    uz: 'Matn juda uzun: {length} belgi, koʻpi bilan {max}',
    'uz-Cyrl': 'Матн жуда узун: {length} белги, кўпи билан {max}',
    ru: 'Текст слишком длинный: {length} символов, не более {max}',
    en: 'The text is too long: {length} characters, at most {max}',
  },
  TEMPLATE_VERSION_IN_CLOSED_PERIOD: {
    status: 409,
    uz: 'Versiya {validFrom} dan boshlanolmaydi: {openFrom} dan oldingi davrlar yopilgan, ularning hujjatlari berilgan',
    'uz-Cyrl':
      'Версия {validFrom} дан бошланолмайди: {openFrom} дан олдинги даврлар ёпилган, уларнинг ҳужжатлари берилган',
    ru: 'Версия не может начинаться с {validFrom}: периоды до {openFrom} закрыты, их документы выданы',
    en: 'A version cannot start on {validFrom}: the periods before {openFrom} are closed and their documents issued',
  },
  TEMPLATE_VERSION_IN_FORCE: {
    status: 409,
    uz: '{validFrom} dan amaldagi versiyani oʻzgartirib yoki oʻchirib boʻlmaydi; yangi versiya qoʻshing',
    'uz-Cyrl': '{validFrom} дан амалдаги версияни ўзгартириб ёки ўчириб бўлмайди; янги версия қўшинг',
    ru: 'Версию, действующую с {validFrom}, нельзя изменить или удалить; добавьте новую версию',
    en: 'The version in force since {validFrom} cannot be changed or removed; add a new version',
  },
  TEMPLATE_VERSION_DUPLICATE: {
    status: 409,
    uz: '{validFrom} dan boshlanadigan versiya allaqachon bor',
    'uz-Cyrl': '{validFrom} дан бошланадиган версия аллақачон бор',
    ru: 'Версия с {validFrom} уже есть',
    en: 'A version starting on {validFrom} exists already',
  },
  TEMPLATE_VERSION_NOT_FOUND: {
    status: 404,
    uz: 'Shablon versiyasi topilmadi',
    'uz-Cyrl': 'Шаблон версияси топилмади',
    ru: 'Версия шаблона не найдена',
    en: 'No such template version',
  },
} as const satisfies Record<string, ErrorSpec>;
