import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of the org-unit tree editor (company → regions → districts). */
export const ORG_ERRORS = {
  ORG_UNIT_NOT_FOUND: {
    status: 404,
    uz: "Bo'linma topilmadi",
    'uz-Cyrl': 'Бўлинма топилмади',
    ru: 'Подразделение не найдено',
    en: 'No such org unit',
  },
  ORG_UNIT_CODE_TAKEN: {
    status: 409,
    uz: "«{code}» kodi boshqa bo'linmada bor",
    'uz-Cyrl': '«{code}» коди бошқа бўлинмада бор',
    ru: 'Код «{code}» уже есть у другого подразделения',
    en: 'The code "{code}" belongs to another org unit',
  },
  ORG_UNIT_PARENT_INVALID: {
    status: 400,
    uz: "Viloyat korxona ostida, tuman viloyat yoki korxona ostida bo'ladi; tuman ostiga bo'linma qo'shilmaydi",
    'uz-Cyrl':
      'Вилоят корхона остида, туман вилоят ёки корхона остида бўлади; туман остига бўлинма қўшилмайди',
    ru: 'Регион создаётся под предприятием, район — под регионом или предприятием; под районом подразделений нет',
    en: 'A region goes under the company, a district under a region or the company; a district holds no units',
  },
} as const satisfies Record<string, ErrorSpec>;
