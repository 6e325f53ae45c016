import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import type { XlsxColumn } from '../../http/list.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { Access } from '../auth/access.ts';
import { trustedRootsPem } from '../signature/local-ca.ts';
import { verifyDetached } from '../signature/signer.ts';
import type { EmployeeListQuery, Verification } from './employee-lists.schemas.ts';
import { type EmployeeListView, employeeListViews } from './employee-lists.service.ts';

// The office's side of the employee lists (issue 6 point 6): the lists of the caller's org units
// as an office table (and XLSX), and the stored signature checked again on demand.

/** A list in the office table: the consumer's view plus its org unit. */
export type OfficeEmployeeList = EmployeeListView & { orgUnit: { id: string; name: string } };

const SORT_COLUMNS = {
  createdAt: 'l.created_at',
  submittedAt: 'l.submitted_at',
  status: 'l.status',
  account: 'k.number',
} as const;

/** One page (or every row, for XLSX) of the lists in the caller's units, with the total. */
export async function listEmployeeLists(
  db: Kysely<DB>,
  access: Access,
  query: Omit<EmployeeListQuery, 'format' | 'lang' | 'orgUnitId'> & { unitPath: string | null },
): Promise<{ items: OfficeEmployeeList[]; total: number }> {
  let base = db
    .selectFrom('employee_list as l')
    .innerJoin('org_unit as ou', 'ou.id', 'l.org_unit_id')
    .innerJoin('contract as k', 'k.id', 'l.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .where('l.tenant_id', '=', access.user.tenantId)
    .where(inScope('ou.path', access.scope('application.read')));
  if (query.unitPath) base = base.where(inScope('ou.path', [query.unitPath]));
  if (query.status) base = base.where('l.status', '=', query.status);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, '\\$&')}%`;
    const q = query.q;
    base = base.where((eb) => eb.or([eb('k.number', '=', q), eb('c.name', 'ilike', like)]));
  }
  const counted = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['l.id', 'ou.id as unit_id', 'ou.name as unit_name'])
    .orderBy(sql.ref(SORT_COLUMNS[query.sort]), (ob) =>
      (query.dir === 'asc' ? ob.asc() : ob.desc()).nullsLast(),
    )
    .orderBy('l.id', query.dir)
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  const views = await employeeListViews(
    db,
    rows.map((r) => r.id),
  );
  const unitOf = new Map(rows.map((r) => [String(r.id), { id: String(r.unit_id), name: r.unit_name }]));
  return {
    items: views.map((v) => ({ ...v, orgUnit: unitOf.get(v.id) ?? { id: '', name: '' } })),
    total: Number(counted.n),
  };
}

/**
 * Checks the stored signature again, now: over exactly the stored PDF, chained to a root the
 * supplier trusts today, by a certificate carrying the consumer's INN. A draft answers
 * `not_signed`; nothing is changed.
 */
export async function verifyEmployeeList(db: Kysely<DB>, id: bigint): Promise<Verification> {
  const row = await db
    .selectFrom('employee_list as l')
    .innerJoin('contract as k', 'k.id', 'l.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .select(['l.document', 'l.document_sha256', 'l.signature', 'c.inn'])
    .where('l.id', '=', id)
    .executeTakeFirstOrThrow();
  const checkedAt = new Date().toISOString();
  const base = { documentSha256: row.document_sha256, checkedAt };
  if (!row.signature) return { ...base, valid: false, reason: 'not_signed', signer: null, signedAt: null };
  // A list signed long ago stays valid if the certificate was valid when it was signed.
  const result = await verifyDetached(row.document, row.signature, await trustedRootsPem(db));
  const signer = result.signer
    ? {
        commonName: result.signer.commonName,
        organization: result.signer.organization,
        serialNumber: result.signer.serialNumber,
        inn: result.signer.inn ?? null,
      }
    : null;
  if (!result.valid)
    return { ...base, valid: false, reason: result.reason ?? 'malformed', signer, signedAt: null };
  if (!row.inn || signer?.inn !== row.inn)
    return { ...base, valid: false, reason: 'signer_inn', signer, signedAt: result.signedAt ?? null };
  return { ...base, valid: true, reason: null, signer, signedAt: result.signedAt ?? null };
}

/** Tashkent's calendar day of a moment, 'YYYY-MM-DD'. */
const tashkentDay = (iso: string | null) =>
  iso ? new Date(new Date(iso).getTime() + 5 * 3_600_000).toISOString().slice(0, 10) : null;

const STATUS: Record<Locale, Record<string, string>> = {
  uz: { draft: 'Qoralama', submitted: 'Imzolangan va yuborilgan', received: 'Qabul qilingan' },
  'uz-Cyrl': { draft: 'Қоралама', submitted: 'Имзоланган ва юборилган', received: 'Қабул қилинган' },
  ru: { draft: 'Черновик', submitted: 'Подписан и отправлен', received: 'Получен' },
  en: { draft: 'Draft', submitted: 'Signed and sent', received: 'Received' },
};

/** The columns of the employee lists workbook, statuses in `locale`. */
export function employeeListColumns(locale: Locale): XlsxColumn<OfficeEmployeeList>[] {
  return [
    { header: { uz: '№', 'uz-Cyrl': '№', ru: '№', en: 'No.' }, value: (r) => r.id, width: 8 },
    {
      header: { uz: 'Shartnoma', 'uz-Cyrl': 'Шартнома', ru: 'Договор', en: 'Contract' },
      value: (r) => r.account,
      width: 12,
    },
    {
      header: { uz: "Iste'molchi", 'uz-Cyrl': 'Истеъмолчи', ru: 'Потребитель', en: 'Consumer' },
      value: (r) => r.consumer.name,
      width: 32,
    },
    {
      header: { uz: 'STIR', 'uz-Cyrl': 'СТИР', ru: 'ИНН', en: 'INN' },
      value: (r) => r.consumer.inn,
      width: 12,
    },
    {
      header: { uz: "Bo'linma", 'uz-Cyrl': 'Бўлинма', ru: 'Подразделение', en: 'Org unit' },
      value: (r) => r.orgUnit.name,
      width: 24,
    },
    {
      header: { uz: 'Holati', 'uz-Cyrl': 'Ҳолати', ru: 'Статус', en: 'Status' },
      value: (r) => STATUS[locale][r.status] ?? r.status,
      width: 24,
    },
    {
      header: { uz: 'Xodimlar', 'uz-Cyrl': 'Ходимлар', ru: 'Сотрудников', en: 'Employees' },
      type: 'number',
      value: (r) => r.rowCount,
      width: 10,
    },
    {
      header: { uz: 'Yuborilgan', 'uz-Cyrl': 'Юборилган', ru: 'Отправлен', en: 'Sent' },
      type: 'date',
      value: (r) => tashkentDay(r.submittedAt),
      width: 12,
    },
    {
      header: { uz: 'Imzolagan', 'uz-Cyrl': 'Имзолаган', ru: 'Подписал', en: 'Signed by' },
      value: (r) => r.signer?.commonName,
      width: 28,
    },
    {
      header: { uz: 'Qabul qilgan', 'uz-Cyrl': 'Қабул қилган', ru: 'Принял', en: 'Received by' },
      value: (r) => r.receivedBy,
      width: 28,
    },
  ];
}
