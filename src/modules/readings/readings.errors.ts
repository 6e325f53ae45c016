import type { ErrorSpec } from '../../http/error-spec.ts';

/**
 * The error codes of staff reading entry, the VEE queue and the bulk import. The READING_IMPORT_…
 * codes of single cells are also the codes of the rows of an import's error report.
 */
export const READING_ERRORS = {
  UNKNOWN_READING: {
    status: 404,
    uz: "Ko'rsatkich topilmadi: {id}",
    'uz-Cyrl': 'Кўрсаткич топилмади: {id}',
    ru: 'Показание не найдено: {id}',
    en: 'Unknown reading: {id}',
  },
  READING_STATUS_CONFLICT: {
    status: 409,
    uz: "Bu ko'rsatkich bilan bu amalni bajarib bo'lmaydi (holati: {status})",
    'uz-Cyrl': 'Бу кўрсаткич билан бу амални бажариб бўлмайди (ҳолати: {status})',
    ru: 'Это действие невозможно для показания в статусе {status}',
    en: 'This action is not possible for a reading that is {status}',
  },
  READING_EXPORT_TOO_LARGE: {
    status: 400,
    uz: "Ro'yxatda {total} qator, eksport uchun ko'pi bilan {max}: filtrlarni toraytiring",
    'uz-Cyrl': 'Рўйхатда {total} қатор, экспорт учун кўпи билан {max}: фильтрларни торайтиринг',
    ru: 'В списке {total} строк, выгрузить можно не более {max}: уточните фильтры',
    en: 'The list has {total} rows, at most {max} can be exported: narrow the filters',
  },
  READING_IMPORT_INVALID: {
    status: 400,
    uz: 'Faylda {count} ta xato; hech narsa saqlanmadi',
    'uz-Cyrl': 'Файлда {count} та хато; ҳеч нарса сақланмади',
    ru: 'В файле ошибок: {count}; ничего не сохранено',
    en: '{count} errors in the file; nothing was stored',
  },
  READING_IMPORT_FORMAT: {
    status: 400,
    uz: "Fayl o'qilmadi: CSV yoki XLSX fayl yuboring",
    'uz-Cyrl': 'Файл ўқилмади: CSV ёки XLSX файл юборинг',
    ru: 'Файл не прочитан: отправьте файл CSV или XLSX',
    en: 'The file could not be read: send a CSV or XLSX file',
  },
  READING_IMPORT_TOO_MANY_ROWS: {
    status: 400,
    uz: "Faylda ko'pi bilan {max} qator bo'lishi mumkin: uni bo'lib yuboring",
    'uz-Cyrl': 'Файлда кўпи билан {max} қатор бўлиши мумкин: уни бўлиб юборинг',
    ru: 'В файле может быть не более {max} строк: разделите его',
    en: 'A file may have at most {max} rows: split it',
  },
  READING_IMPORT_EMPTY: {
    status: 400,
    uz: "Faylda ko'rsatkichlar yo'q",
    'uz-Cyrl': 'Файлда кўрсаткичлар йўқ',
    ru: 'В файле нет показаний',
    en: 'The file has no readings',
  },
  READING_IMPORT_MISSING_COLUMN: {
    status: 400,
    uz: "Sarlavha qatorida «{column}» ustuni yo'q",
    'uz-Cyrl': 'Сарлавҳа қаторида «{column}» устуни йўқ',
    ru: 'В строке заголовков нет столбца «{column}»',
    en: 'The header row has no "{column}" column',
  },
  READING_IMPORT_EMPTY_CELL: {
    status: 400,
    uz: "Katak bo'sh",
    'uz-Cyrl': 'Катак бўш',
    ru: 'Ячейка пуста',
    en: 'The cell is empty',
  },
  READING_IMPORT_NO_REGISTER: {
    status: 400,
    uz: "{serial} hisoblagichida {obis} registri yo'q",
    'uz-Cyrl': '{serial} ҳисоблагичида {obis} регистри йўқ',
    ru: 'У счётчика {serial} нет регистра {obis}',
    en: 'Meter {serial} has no register {obis}',
  },
  READING_IMPORT_DUPLICATE_ROW: {
    status: 400,
    uz: '{first}-qatordagi registr va sana takrorlangan',
    'uz-Cyrl': '{first}-қатордаги регистр ва сана такрорланган',
    ru: 'Тот же регистр и дата, что в строке {first}',
    en: 'The same register and date as row {first}',
  },
} as const satisfies Record<string, ErrorSpec>;
