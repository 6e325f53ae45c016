import type { Locale } from '../../i18n/locale.ts';

// The document a user signs to confirm readings (R3.4): plain UTF-8 text, LF line endings, no BOM,
// one line per reading with its fields separated by " | ". The same input always gives the same
// bytes (no clock, no random, fixed formats), so the signed bytes can be rebuilt and compared, any
// editor and E-IMZO's own application show exactly what was signed, and `openssl cms -verify`
// checks it as it is. See docs/decisions/013-reading-confirmation.md.

/** One reading as the document lists it. */
export type ConfirmationLine = {
  readingId: string;
  contract: string;
  consumer: string;
  meter: string;
  obis: string;
  readOn: string;
  /** "1250.00" */
  value: string;
  enteredBy: string;
};

/** Everything the document says. */
export type ConfirmationDocumentInput = {
  number: string;
  lang: Locale;
  tenant: { name: string; inn: string | null };
  user: { name: string; login: string; pinfl: string };
  preparedAt: Date;
  lines: readonly ConfirmationLine[];
};

type Texts = {
  title: string;
  supplier: string;
  inn: string;
  confirmer: string;
  pinfl: string;
  prepared: string;
  count: string;
  columns: string;
  statement: string;
};

const TEXTS: Record<Locale, Texts> = {
  uz: {
    title: "Xodimlar kiritgan hisoblagich ko'rsatkichlarini tasdiqlash hujjati",
    supplier: "Ta'minotchi",
    inn: 'STIR',
    confirmer: 'Tasdiqlovchi',
    pinfl: 'JShShIR',
    prepared: 'Tayyorlangan vaqt',
    count: "Ko'rsatkichlar soni",
    columns:
      "№ | ko'rsatkich ID | shartnoma | iste'molchi | hisoblagich | registr | sana | ko'rsatkich | kiritgan",
    statement:
      "Men yuqoridagi ko'rsatkichlar to'g'riligini tasdiqlayman va ularni hisob-kitobga qabul qilishga roziman.",
  },
  'uz-Cyrl': {
    title: 'Ходимлар киритган ҳисоблагич кўрсаткичларини тасдиқлаш ҳужжати',
    supplier: 'Таъминотчи',
    inn: 'СТИР',
    confirmer: 'Тасдиқловчи',
    pinfl: 'ЖШШИР',
    prepared: 'Тайёрланган вақт',
    count: 'Кўрсаткичлар сони',
    columns: '№ | кўрсаткич ID | шартнома | истеъмолчи | ҳисоблагич | регистр | сана | кўрсаткич | киритган',
    statement:
      'Мен юқоридаги кўрсаткичлар тўғрилигини тасдиқлайман ва уларни ҳисоб-китобга қабул қилишга розиман.',
  },
  ru: {
    title: 'Документ подтверждения показаний приборов учёта, введённых сотрудниками',
    supplier: 'Поставщик',
    inn: 'ИНН',
    confirmer: 'Подтверждающий',
    pinfl: 'ПИНФЛ',
    prepared: 'Время подготовки',
    count: 'Количество показаний',
    columns: '№ | ID показания | договор | потребитель | счётчик | регистр | дата | показание | ввёл',
    statement: 'Подтверждаю правильность указанных показаний и их принятие к расчёту.',
  },
  en: {
    title: 'Confirmation of meter readings entered by staff',
    supplier: 'Supplier',
    inn: 'INN',
    confirmer: 'Confirmed by',
    pinfl: 'PINFL',
    prepared: 'Prepared at',
    count: 'Number of readings',
    columns: 'No. | reading ID | contract | consumer | meter | register | date | reading | entered by',
    statement: 'I confirm that the readings above are correct and accept them for billing.',
  },
};

/** A field of a line: no line breaks or separators inside, so every reading stays one line. */
function field(s: string): string {
  return s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\|/g, '/')
    .trim();
}

/** A moment as "2026-11-23 14:05:09 (UTC+05:00)", Tashkent time. */
function tashkentTime(at: Date): string {
  const local = new Date(at.getTime() + 5 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)} (UTC+05:00)`;
}

/** The document's text. */
export function renderConfirmationText(input: ConfirmationDocumentInput): string {
  const t = TEXTS[input.lang];
  const head = [
    `${t.title} № ${input.number}`,
    '',
    `${t.supplier}: ${field(input.tenant.name)}${input.tenant.inn ? `, ${t.inn} ${input.tenant.inn}` : ''}`,
    `${t.confirmer}: ${field(input.user.name)} (${input.user.login}), ${t.pinfl} ${input.user.pinfl}`,
    `${t.prepared}: ${tashkentTime(input.preparedAt)}`,
    `${t.count}: ${input.lines.length}`,
    '',
    t.columns,
  ];
  const lines = input.lines.map((l, i) =>
    [String(i + 1), l.readingId, l.contract, l.consumer, l.meter, l.obis, l.readOn, l.value, l.enteredBy]
      .map(field)
      .join(' | '),
  );
  return `${[...head, ...lines, '', t.statement].join('\n')}\n`;
}

/** The document's bytes (UTF-8). */
export function renderConfirmationDocument(input: ConfirmationDocumentInput): Uint8Array {
  return new TextEncoder().encode(renderConfirmationText(input));
}
