import type { ErrorSpec } from '../../http/error-spec.ts';

/**
 * The error codes of installing, replacing and removing meters, their verification dates and
 * their seals. METER_NOT_FOUND, METER_ALREADY_REMOVED, METER_SERIAL_TAKEN and
 * REMOVAL_REGISTERS_MISMATCH (shared with the scenario runner) stay in the core table.
 */
export const METER_ERRORS = {
  UNKNOWN_METER: {
    status: 404,
    uz: 'Hisoblagich topilmadi: {id}',
    'uz-Cyrl': 'Ҳисоблагич топилмади: {id}',
    ru: 'Счётчик не найден: {id}',
    en: 'Unknown meter: {id}',
  },
  UNKNOWN_METERING_POINT: {
    status: 404,
    uz: 'Hisob nuqtasi topilmadi: {id}',
    'uz-Cyrl': 'Ҳисоб нуқтаси топилмади: {id}',
    ru: 'Точка учёта не найдена: {id}',
    en: 'Unknown metering point: {id}',
  },
  UNKNOWN_SEAL: {
    status: 404,
    uz: 'Plomba topilmadi: {id}',
    'uz-Cyrl': 'Пломба топилмади: {id}',
    ru: 'Пломба не найдена: {id}',
    en: 'Unknown seal: {id}',
  },
  METER_POINT_OCCUPIED: {
    status: 409,
    uz: '{point} hisob nuqtasida {serial} hisoblagichi ishlamoqda: uni almashtiring yoki avval yechib oling',
    'uz-Cyrl': '{point} ҳисоб нуқтасида {serial} ҳисоблагичи ишламоқда: уни алмаштиринг ёки аввал ечиб олинг',
    ru: 'В точке учёта {point} работает счётчик {serial}: замените его или сначала снимите',
    en: 'Metering point {point} has meter {serial} in service: replace it or remove it first',
  },
  METER_CONTRACT_ENDED: {
    status: 409,
    uz: '{account} shartnomasi bekor qilingan: unga hisoblagich oʻrnatib boʻlmaydi',
    'uz-Cyrl': '{account} шартномаси бекор қилинган: унга ҳисоблагич ўрнатиб бўлмайди',
    ru: 'Договор {account} расторгнут: установить на него счётчик нельзя',
    en: 'Contract {account} is terminated: no meter can be installed on it',
  },
  METER_TYPE_UNKNOWN: {
    status: 400,
    uz: 'Hisoblagich turi topilmadi: {id}',
    'uz-Cyrl': 'Ҳисоблагич тури топилмади: {id}',
    ru: 'Тип счётчика не найден: {id}',
    en: 'Unknown meter type: {id}',
  },
  METER_TYPE_INACTIVE: {
    status: 409,
    uz: '«{code}» hisoblagich turi faol emas: boshqa turni tanlang',
    'uz-Cyrl': '«{code}» ҳисоблагич тури фаол эмас: бошқа турни танланг',
    ru: 'Тип счётчика «{code}» неактивен: выберите другой тип',
    en: 'Meter type "{code}" is inactive: choose another type',
  },
  METER_REGISTER_NOT_ALLOWED: {
    status: 400,
    uz: '{obis} registri bu yerda boʻlishi mumkin emas; mumkinlari: {allowed}',
    'uz-Cyrl': '{obis} регистри бу ерда бўлиши мумкин эмас; мумкинлари: {allowed}',
    ru: 'Регистр {obis} здесь недопустим; допустимы: {allowed}',
    en: 'Register {obis} is not allowed here; allowed: {allowed}',
  },
  METER_DATE_IN_FUTURE: {
    status: 422,
    uz: '{date} sanasi hali kelmagan',
    'uz-Cyrl': '{date} санаси ҳали келмаган',
    ru: 'Дата {date} ещё не наступила',
    en: '{date} is in the future',
  },
  METER_DATE_BEFORE_CONTRACT: {
    status: 422,
    uz: 'Hisoblagich shartnoma boshlanishidan ({start}) oldin oʻrnatilishi mumkin emas',
    'uz-Cyrl': 'Ҳисоблагич шартнома бошланишидан ({start}) олдин ўрнатилиши мумкин эмас',
    ru: 'Счётчик не может быть установлен раньше начала договора ({start})',
    en: 'A meter cannot be installed before the contract starts ({start})',
  },
  METER_DATE_OVERLAP: {
    status: 409,
    uz: 'Bu nuqtadagi oldingi {serial} hisoblagichi {date} gacha ishlagan: yangisi shu kundan oldin oʻrnatilmaydi',
    'uz-Cyrl':
      'Бу нуқтадаги олдинги {serial} ҳисоблагичи {date} гача ишлаган: янгиси шу кундан олдин ўрнатилмайди',
    ru: 'Прежний счётчик {serial} этой точки работал до {date}: новый нельзя установить раньше',
    en: 'The previous meter {serial} of this point was in service until {date}: the new one cannot be installed earlier',
  },
  METER_REMOVAL_DATE: {
    status: 422,
    uz: 'Hisoblagich {installedOn} kuni oʻrnatilgan: uni {date} kuni yechib boʻlmaydi',
    'uz-Cyrl': 'Ҳисоблагич {installedOn} куни ўрнатилган: уни {date} куни ечиб бўлмайди',
    ru: 'Счётчик установлен {installedOn}: снять его {date} нельзя',
    en: 'The meter was installed on {installedOn}: it cannot be removed on {date}',
  },
  METER_READINGS_AFTER_REMOVAL: {
    status: 409,
    uz: 'Hisoblagichda {date} dan keyingi koʻrsatkichlar bor (oxirgisi {last}): yechish sanasini tekshiring',
    'uz-Cyrl': 'Ҳисоблагичда {date} дан кейинги кўрсаткичлар бор (охиргиси {last}): ечиш санасини текширинг',
    ru: 'У счётчика есть показания после {date} (последнее {last}): проверьте дату снятия',
    en: 'The meter has readings after {date} (the last on {last}): check the removal date',
  },
  METER_VERIFICATION_DATES: {
    status: 422,
    uz: 'Keyingi qiyoslash sanasi ({next}) oxirgi qiyoslashdan ({verified}) keyin boʻlishi kerak',
    'uz-Cyrl': 'Кейинги қиёслаш санаси ({next}) охирги қиёслашдан ({verified}) кейин бўлиши керак',
    ru: 'Дата следующей поверки ({next}) должна быть позже последней поверки ({verified})',
    en: 'The next verification ({next}) must come after the last one ({verified})',
  },
  SEAL_NUMBER_TAKEN: {
    status: 409,
    uz: '{number} plombasi {serial} hisoblagichida turibdi',
    'uz-Cyrl': '{number} пломбаси {serial} ҳисоблагичида турибди',
    ru: 'Пломба {number} уже стоит на счётчике {serial}',
    en: 'Seal {number} is in place on meter {serial}',
  },
  SEAL_ALREADY_REMOVED: {
    status: 409,
    uz: '{number} plombasi {date} kuni olib tashlangan',
    'uz-Cyrl': '{number} пломбаси {date} куни олиб ташланган',
    ru: 'Пломба {number} снята {date}',
    en: 'Seal {number} was removed on {date}',
  },
  SEAL_DATE: {
    status: 422,
    uz: 'Sana {from} dan {to} gacha boʻlishi kerak',
    'uz-Cyrl': 'Сана {from} дан {to} гача бўлиши керак',
    ru: 'Дата должна быть с {from} по {to}',
    en: 'The date must be from {from} to {to}',
  },
} as const satisfies Record<string, ErrorSpec>;
