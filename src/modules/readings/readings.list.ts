import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { readingAdvance } from '../../domain/consumption.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { firstDay, lastDay, type Period } from '../../domain/period.ts';
import { formatQuantity, formatReading, milli } from '../../domain/quantity.ts';
import type { XlsxColumn } from '../../http/list.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { Access } from '../auth/access.ts';
import type {
  ReadingListQuery,
  ReadingRow,
  ReadingSort,
  ReadingSource,
  ReadingStatus,
} from './readings.schemas.ts';

// The office readings table (R3.1, R3.2): every reading of the caller's org units with its
// contract, meter, register, the accepted reading before it and who entered and confirmed it.

type Db = Kysely<DB> | Transaction<DB>;

/** The filters of the table, resolved (the org unit as its path, already checked in scope). */
export type ReadingFilters = {
  tenantId: bigint;
  /** Org-unit paths the caller may read; null only for rows the caller has already checked. */
  scope: readonly string[] | null;
  status?: readonly ReadingStatus[] | undefined;
  source?: ReadingSource | undefined;
  period?: Period | undefined;
  unitPath?: string | undefined;
  q?: string | undefined;
  ids?: readonly bigint[];
};

const SORT_COLUMNS = {
  readOn: 'r.read_on',
  contract: 'k.number',
  enteredAt: 'r.entered_at',
} as const satisfies Record<ReadingSort, string>;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The readings of the filters, joined to their register, meter, contract and org unit. */
function filtered(db: Db, f: ReadingFilters) {
  let q = db
    .selectFrom('reading as r')
    .innerJoin('register as g', 'g.id', 'r.register_id')
    .innerJoin('meter as m', 'm.id', 'g.meter_id')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .where('r.tenant_id', '=', f.tenantId);
  if (f.scope !== null) q = q.where(inScope('ou.path', f.scope));
  if (f.status && f.status.length > 0) q = q.where('r.status', 'in', [...f.status]);
  if (f.source) q = q.where('r.source', '=', f.source);
  if (f.period)
    q = q.where('r.read_on', '>=', firstDay(f.period)).where('r.read_on', '<=', lastDay(f.period));
  if (f.unitPath) q = q.where('ou.path', 'like', `${escapeLike(f.unitPath)}%`);
  if (f.ids) q = q.where('r.id', 'in', [...f.ids]);
  const text = f.q?.trim();
  if (text) {
    const prefix = `${escapeLike(text)}%`;
    q = q.where((eb) => eb.or([eb('k.number', 'like', prefix), eb('m.serial', 'ilike', prefix)]));
  }
  return q;
}

/** Selects what a row shows, the previous accepted reading of the register included. */
function rows(db: Db, f: ReadingFilters) {
  return filtered(db, f)
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('reading as pr')
          .select(['pr.value as prev_value', 'pr.read_on as prev_read_on'])
          .whereRef('pr.register_id', '=', 'r.register_id')
          .where('pr.status', '=', 'accepted')
          .where(sql<boolean>`(pr.read_on, pr.id) < (r.read_on, r.id)`)
          .orderBy('pr.read_on', 'desc')
          .orderBy('pr.id', 'desc')
          .limit(1)
          .as('prev'),
      (join) => join.onTrue(),
    )
    .leftJoin('app_user as eu', 'eu.id', 'r.entered_by')
    .leftJoin('app_user as cu', 'cu.id', 'r.confirmed_by')
    .select([
      'r.id',
      'r.read_on',
      'r.value',
      'r.source',
      'r.status',
      'r.vee_code',
      'r.note',
      'r.entered_at',
      'r.confirmed_at',
      'r.register_id',
      'g.obis',
      'g.install_reading',
      'm.serial',
      'm.digits',
      'm.installed_on',
      'k.id as contract_id',
      'k.number as contract_number',
      'c.name as consumer_name',
      'ou.id as org_unit_id',
      'ou.name as org_unit_name',
      'prev.prev_value',
      'prev.prev_read_on',
      'eu.full_name as entered_by_name',
      'cu.full_name as confirmed_by_name',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof rows>['execute']>>[number];

/** A stored reading as "1250.00"; one with a third decimal (never from recordReading) keeps it. */
export function readingText(value: bigint): string {
  return value % 10n === 0n ? formatReading(milli(value)) : formatQuantity(milli(value));
}

function iso(t: Date | string | null): string | null {
  if (t === null) return null;
  return t instanceof Date ? t.toISOString() : new Date(t).toISOString();
}

function view(r: Row): ReadingRow {
  const previous =
    r.prev_value !== null && r.prev_read_on !== null
      ? { readOn: r.prev_read_on, value: r.prev_value, installation: false }
      : { readOn: r.installed_on, value: r.install_reading, installation: true };
  let advance: string | null = null;
  if (r.status !== 'rejected') {
    try {
      advance = readingText(
        readingAdvance({ previous: milli(previous.value), value: milli(r.value), digits: Number(r.digits) }),
      );
    } catch (e) {
      // A reading that would not pass the checks today (old data) has no advance to show.
      if (!isAppError(e)) throw e;
    }
  }
  return {
    id: String(r.id),
    readOn: r.read_on,
    value: readingText(r.value),
    source: r.source as ReadingSource,
    status: r.status as ReadingStatus,
    veeCode: r.vee_code,
    note: r.note,
    contract: { id: String(r.contract_id), number: r.contract_number },
    consumerName: r.consumer_name,
    orgUnit: { id: String(r.org_unit_id), name: r.org_unit_name },
    meterSerial: r.serial,
    registerId: String(r.register_id),
    obis: r.obis,
    previous: {
      readOn: previous.readOn,
      value: readingText(previous.value),
      installation: previous.installation,
    },
    advance,
    enteredBy: r.entered_by_name,
    enteredAt: iso(r.entered_at) ?? '',
    confirmedBy: r.confirmed_by_name,
    confirmedAt: iso(r.confirmed_at),
  };
}

/**
 * Resolves the table's query against the caller's scope for `reading.read`: an org unit filter
 * must lie inside it (ORG_UNIT_OUT_OF_SCOPE otherwise, NOT_FOUND for no such unit).
 */
export async function readingFilters(db: Db, access: Access, q: ReadingListQuery): Promise<ReadingFilters> {
  let unitPath: string | undefined;
  if (q.orgUnitId) {
    const unit = await db
      .selectFrom('org_unit')
      .select('path')
      .where('id', '=', BigInt(q.orgUnitId))
      .where('tenant_id', '=', access.user.tenantId)
      .executeTakeFirst();
    if (!unit) throw new AppError('NOT_FOUND', `Org unit ${q.orgUnitId} not found`, { id: q.orgUnitId });
    access.assertAt('reading.read', unit.path);
    unitPath = unit.path;
  }
  return {
    tenantId: access.user.tenantId,
    scope: access.scope('reading.read'),
    status: q.status,
    source: q.source,
    period: q.period as Period | undefined,
    unitPath,
    q: q.q,
  };
}

/** How many readings match. */
export async function countReadings(db: Db, f: ReadingFilters): Promise<number> {
  const row = await filtered(db, f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page (or, with no limit, all) of the matching readings, sorted. */
export async function listReadings(
  db: Db,
  f: ReadingFilters,
  page: { sort: ReadingSort; dir: 'asc' | 'desc'; limit?: number; offset?: number },
): Promise<ReadingRow[]> {
  let q = rows(db, f).orderBy(SORT_COLUMNS[page.sort], page.dir).orderBy('r.id', page.dir);
  if (page.limit !== undefined) q = q.limit(page.limit).offset(page.offset ?? 0);
  return (await q.execute()).map(view);
}

/** The readings with these ids as rows (no scope: the caller has checked it). */
export async function readingRowsByIds(
  db: Db,
  tenantId: bigint,
  ids: readonly bigint[],
): Promise<ReadingRow[]> {
  if (ids.length === 0) return [];
  return listReadings(db, { tenantId, scope: null, ids }, { sort: 'enteredAt', dir: 'asc' });
}

const SOURCE_TEXT: Record<ReadingSource, Record<Locale, string>> = {
  cabinet: { uz: 'Kabinet', 'uz-Cyrl': 'Кабинет', ru: 'Кабинет', en: 'Cabinet' },
  inspector: { uz: 'Nazoratchi', 'uz-Cyrl': 'Назоратчи', ru: 'Контролёр', en: 'Inspector' },
  ami: { uz: 'AMI', 'uz-Cyrl': 'AMI', ru: 'АСКУЭ', en: 'AMI' },
  operator: { uz: 'Operator', 'uz-Cyrl': 'Оператор', ru: 'Оператор', en: 'Operator' },
  import: { uz: 'Fayldan', 'uz-Cyrl': 'Файлдан', ru: 'Из файла', en: 'File import' },
};

const STATUS_TEXT: Record<ReadingStatus, Record<Locale, string>> = {
  submitted: {
    uz: 'Tasdiq kutilmoqda',
    'uz-Cyrl': 'Тасдиқ кутилмоқда',
    ru: 'Ждёт подтверждения',
    en: 'Awaiting confirmation',
  },
  suspect: { uz: 'Shubhali', 'uz-Cyrl': 'Шубҳали', ru: 'Сомнительное', en: 'Suspect' },
  accepted: { uz: 'Qabul qilingan', 'uz-Cyrl': 'Қабул қилинган', ru: 'Принято', en: 'Accepted' },
  rejected: { uz: 'Rad etilgan', 'uz-Cyrl': 'Рад этилган', ru: 'Отклонено', en: 'Rejected' },
};

const VEE_TEXT: Record<string, Record<Locale, string>> = {
  duplicate: { uz: 'Takroriy', 'uz-Cyrl': 'Такрорий', ru: 'Дубликат', en: 'Duplicate' },
  rollover: { uz: "Noldan o'tish", 'uz-Cyrl': 'Нолдан ўтиш', ru: 'Переход через ноль', en: 'Rollover' },
  spike: { uz: 'Keskin oshish', 'uz-Cyrl': 'Кескин ошиш', ru: 'Резкий рост', en: 'Spike' },
  zero: { uz: "Iste'mol yo'q", 'uz-Cyrl': 'Истеъмол йўқ', ru: 'Нулевое потребление', en: 'Zero consumption' },
  gap: { uz: 'Uzilish', 'uz-Cyrl': 'Узилиш', ru: 'Пропуск', en: 'Gap' },
};

/** A moment as "dd.mm.yyyy hh:mm" in Tashkent (UTC+5, no daylight saving). */
function tashkentText(isoText: string | null): string | null {
  if (!isoText) return null;
  const t = new Date(new Date(isoText).getTime() + 5 * 3_600_000).toISOString();
  return `${t.slice(8, 10)}.${t.slice(5, 7)}.${t.slice(0, 4)} ${t.slice(11, 16)}`;
}

const h = (uz: string, uzCyrl: string, ru: string, en: string): Record<Locale, string> => ({
  uz,
  'uz-Cyrl': uzCyrl,
  ru,
  en,
});

/** The columns of the XLSX export, in `locale` where a cell holds a status or source. */
export function readingXlsxColumns(locale: Locale): XlsxColumn<ReadingRow>[] {
  return [
    { header: h('Sana', 'Сана', 'Дата', 'Date'), type: 'date', value: (r) => r.readOn, width: 12 },
    { header: h('Shartnoma', 'Шартнома', 'Договор', 'Contract'), value: (r) => r.contract.number, width: 12 },
    {
      header: h('Iste’molchi', 'Истеъмолчи', 'Потребитель', 'Consumer'),
      value: (r) => r.consumerName,
      width: 32,
    },
    {
      header: h('Bo‘linma', 'Бўлинма', 'Подразделение', 'Org unit'),
      value: (r) => r.orgUnit.name,
      width: 18,
    },
    { header: h('Hisoblagich', 'Ҳисоблагич', 'Счётчик', 'Meter'), value: (r) => r.meterSerial, width: 14 },
    { header: h('Registr', 'Регистр', 'Регистр', 'Register'), value: (r) => r.obis, width: 9 },
    { header: h('Ko‘rsatkich', 'Кўрсаткич', 'Показание', 'Reading'), type: 'money', value: (r) => r.value },
    {
      header: h('Oldingi', 'Олдинги', 'Предыдущее', 'Previous'),
      type: 'money',
      value: (r) => r.previous?.value,
    },
    { header: h('Farq', 'Фарқ', 'Разница', 'Advance'), type: 'money', value: (r) => r.advance },
    { header: h('Manba', 'Манба', 'Источник', 'Source'), value: (r) => SOURCE_TEXT[r.source][locale] },
    {
      header: h('Holat', 'Ҳолат', 'Статус', 'Status'),
      value: (r) => STATUS_TEXT[r.status][locale],
      width: 20,
    },
    {
      header: h('VEE', 'VEE', 'VEE', 'VEE'),
      value: (r) => (r.veeCode ? (VEE_TEXT[r.veeCode]?.[locale] ?? r.veeCode) : null),
    },
    { header: h('Izoh', 'Изоҳ', 'Примечание', 'Note'), value: (r) => r.note, width: 24 },
    { header: h('Kiritdi', 'Киритди', 'Внёс', 'Entered by'), value: (r) => r.enteredBy, width: 22 },
    {
      header: h('Kiritilgan vaqt', 'Киритилган вақт', 'Внесено', 'Entered at'),
      value: (r) => tashkentText(r.enteredAt),
    },
    {
      header: h('Tasdiqladi', 'Тасдиқлади', 'Подтвердил', 'Confirmed by'),
      value: (r) => r.confirmedBy,
      width: 22,
    },
    {
      header: h('Tasdiqlangan vaqt', 'Тасдиқланган вақт', 'Подтверждено', 'Confirmed at'),
      value: (r) => tashkentText(r.confirmedAt),
    },
  ];
}

/** The sheet name of the export. */
export const READINGS_SHEET = h('Ko‘rsatkichlar', 'Кўрсаткичлар', 'Показания', 'Readings');
