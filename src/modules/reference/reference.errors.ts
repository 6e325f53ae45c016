import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of the reference-data (NSI) editors. */
export const REFERENCE_ERRORS = {
  REFERENCE_NOT_FOUND: {
    status: 404,
    uz: "Ma'lumotnoma yozuvi topilmadi",
    'uz-Cyrl': 'Маълумотнома ёзуви топилмади',
    ru: 'Запись справочника не найдена',
    en: 'No such reference entry',
  },
  REFERENCE_CODE_TAKEN: {
    status: 409,
    uz: "«{code}» kodi ma'lumotnomada allaqachon bor",
    'uz-Cyrl': '«{code}» коди маълумотномада аллақачон бор',
    ru: 'Код «{code}» уже есть в справочнике',
    en: 'The code "{code}" is already in the list',
  },
  REFERENCE_STALE: {
    status: 409,
    uz: "Yozuvni siz ochganingizdan keyin boshqa xodim o'zgartirgan; sahifani yangilang",
    'uz-Cyrl': 'Ёзувни сиз очганингиздан кейин бошқа ходим ўзгартирган; саҳифани янгиланг',
    ru: 'Запись изменил другой сотрудник после того, как вы её открыли; обновите страницу',
    en: 'Someone changed this entry after you opened it; reload the page',
  },
  REFERENCE_IN_USE: {
    status: 409,
    uz: "Yozuv ishlatilmoqda ({count} ta bog'liq yozuv); o'chirish o'rniga faolsizlantiring",
    'uz-Cyrl': 'Ёзув ишлатилмоқда ({count} та боғлиқ ёзув); ўчириш ўрнига фаолсизлантиринг',
    ru: 'Запись используется ({count} связанных записей); деактивируйте её вместо удаления',
    en: 'The entry is in use ({count} records refer to it); deactivate it instead of deleting',
  },
  REFERENCE_NOTHING_TO_CHANGE: {
    status: 400,
    uz: "O'zgartirish uchun hech narsa berilmagan",
    'uz-Cyrl': 'Ўзгартириш учун ҳеч нарса берилмаган',
    ru: 'Не указано, что изменить',
    en: 'Nothing to change was given',
  },
  TARIFF_VERSION_USED: {
    status: 409,
    uz: "{period} davri hisoblari bu tarif narxlari bilan hisoblangan; o'zgartirish ularni o'zgartirib yuboradi — keyingi oydan yangi versiya qo'shing",
    'uz-Cyrl':
      '{period} даври ҳисоблари бу тариф нархлари билан ҳисобланган; ўзгартириш уларни ўзгартириб юборади — кейинги ойдан янги версия қўшинг',
    ru: 'Счета за {period} уже рассчитаны по ценам этого тарифа; изменение их затронет — добавьте версию с более позднего месяца',
    en: 'Bills of {period} were priced with this tariff; the change would alter them — add a version from a later month',
  },
  TARIFF_VERSION_IN_CLOSED_PERIOD: {
    status: 409,
    uz: "Tarif versiyasi yopilgan davrga tegishli bo'lolmaydi: ochiq davr {open}, versiya {period}dan",
    'uz-Cyrl': 'Тариф версияси ёпилган даврга тегишли бўлолмайди: очиқ давр {open}, версия {period}дан',
    ru: 'Версия тарифа не может относиться к закрытому периоду: открыт {open}, версия с {period}',
    en: 'A tariff version cannot reach into a closed period: {open} is open, the version starts {period}',
  },
  TARIFF_FIRST_VERSION: {
    status: 409,
    uz: "Tarifning birinchi versiyasini o'chirib bo'lmaydi; uni o'zgartiring",
    'uz-Cyrl': 'Тарифнинг биринчи версиясини ўчириб бўлмайди; уни ўзгартиринг',
    ru: 'Первую версию тарифа удалить нельзя; измените её',
    en: 'The first version of a tariff cannot be removed; change it instead',
  },
  TARIFF_PRICING_INVALID: {
    status: 400,
    uz: "Narxlash shakli noto'g'ri: {reason}",
    'uz-Cyrl': 'Нархлаш шакли нотўғри: {reason}',
    ru: 'Неверная форма цены: {reason}',
    en: 'Invalid pricing: {reason}',
  },
  TARIFF_UNIT_MISMATCH: {
    status: 400,
    uz: 'Birligi va energiya turi mos emas (elektr — kVt·soat, issiqlik — Gkal; zona va bloklar faqat elektr uchun)',
    'uz-Cyrl':
      'Бирлиги ва энергия тури мос эмас (электр — кВт·соат, иссиқлик — Гкал; зона ва блоклар фақат электр учун)',
    ru: 'Единица не соответствует виду энергии (электроэнергия — кВт·ч, тепло — Гкал; зоны и блоки только для электроэнергии)',
    en: 'Unit and commodity do not match (electricity in kWh, heat in Gcal; zones and blocks are for electricity only)',
  },
  HOLIDAY_EXISTS: {
    status: 409,
    uz: '{day} sanasi kalendarda allaqachon bor',
    'uz-Cyrl': '{day} санаси календарда аллақачон бор',
    ru: 'Дата {day} уже есть в календаре',
    en: '{day} is already in the calendar',
  },
  HOLIDAY_WORKDAY_NOT_WEEKEND: {
    status: 400,
    uz: "Ko'chirilgan ish kuni faqat shanba yoki yakshanba bo'ladi ({day})",
    'uz-Cyrl': 'Кўчирилган иш куни фақат шанба ёки якшанба бўлади ({day})',
    ru: 'Перенесённым рабочим днём может быть только суббота или воскресенье ({day})',
    en: 'A transferred workday must be a Saturday or Sunday ({day})',
  },
  HOLIDAY_NOT_FUTURE: {
    status: 409,
    uz: "O'tgan yoki bugungi kunni o'zgartirib bo'lmaydi ({day}): undan muddatlar hisoblangan",
    'uz-Cyrl': 'Ўтган ёки бугунги кунни ўзгартириб бўлмайди ({day}): ундан муддатлар ҳисобланган',
    ru: 'Прошедший или сегодняшний день изменить нельзя ({day}): от него уже считались сроки',
    en: 'A past day or today cannot be changed ({day}): due dates were counted from it',
  },
  NETWORK_PARENT_INVALID: {
    status: 400,
    uz: "Tarmoq daraxti: fider podstansiya ostida, transformator punkti fider ostida, bir tumanda bo'ladi",
    'uz-Cyrl':
      'Тармоқ дарахти: фидер подстанция остида, трансформатор пункти фидер остида, бир туманда бўлади',
    ru: 'Сетевое дерево: фидер — под подстанцией, трансформаторный пункт — под фидером, в одном районе',
    en: 'Network tree: a feeder goes under a substation, a transformer point under a feeder, in one district',
  },
  NETWORK_DISTRICT_INVALID: {
    status: 400,
    uz: "Tarmoq tuguni faqat tuman bo'linmasiga biriktiriladi",
    'uz-Cyrl': 'Тармоқ тугуни фақат туман бўлинмасига бириктирилади',
    ru: 'Узел сети привязывается только к району',
    en: 'A network node belongs to a district unit',
  },
} as const satisfies Record<string, ErrorSpec>;
