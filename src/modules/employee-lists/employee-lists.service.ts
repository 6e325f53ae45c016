import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { checkEmployeeList, type EmployeeRow, type EmployeeRowInput } from '../../domain/employee-list.ts';
import { AppError } from '../../domain/errors.ts';
import type { Locale } from '../../i18n/locale.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { accountOf } from '../documents/documents.service.ts';
import { trustedRootsPem } from '../signature/local-ca.ts';
import { type VerifyReason, verifyDetached } from '../signature/signer.ts';
import { renderEmployeeListPdf } from './employee-list.pdf.ts';

// R6 function 7: the company's employee list per procedure No. 1031. The consumer makes a draft
// (rows checked, the PDF rendered and stored), signs exactly those bytes with a detached CMS whose
// certificate carries the consumer's INN (submitted), and staff of the district confirm receipt
// (received). See docs/decisions/009-employee-list.md.

export const EMPLOYEE_LIST_STATUSES = ['draft', 'submitted', 'received'] as const;
export type EmployeeListStatus = (typeof EMPLOYEE_LIST_STATUSES)[number];

/** Who signed, as the verified certificate names them. */
export type EmployeeListSigner = {
  commonName: string;
  organization: string | null;
  serialNumber: string;
  inn: string;
};

/** A list as the consumer and staff see it; `rows` only when one list is asked for. */
export type EmployeeListView = {
  id: string;
  account: string;
  consumer: { name: string; inn: string | null };
  status: EmployeeListStatus;
  rowCount: number;
  lang: Locale;
  document: { sha256: string; size: number };
  createdAt: string;
  signer: EmployeeListSigner | null;
  signedAt: string | null;
  submittedAt: string | null;
  receivedAt: string | null;
  receivedBy: string | null;
  rows?: EmployeeRow[];
};

/** The most row errors an answer lists (the count says how many there were). */
const MAX_REPORTED_ERRORS = 500;

/**
 * Checks the rows and, when every one is valid, stores a draft with its rendered PDF. Any bad row
 * refuses the whole list with EMPLOYEE_LIST_INVALID (row, field, code of each) and stores nothing.
 */
export async function createEmployeeList(
  db: Kysely<DB>,
  actor: Actor,
  input: { tenantId: bigint; contractId: bigint; rows: readonly EmployeeRowInput[]; lang: Locale },
): Promise<EmployeeListView> {
  const check = checkEmployeeList(input.rows);
  if (!check.ok)
    throw new AppError('EMPLOYEE_LIST_INVALID', `${check.errors.length} errors in the employee list`, {
      count: check.errors.length,
      errors: check.errors.slice(0, MAX_REPORTED_ERRORS),
    });
  const account = await accountOf(db, input.tenantId, input.contractId);
  // The number printed on the document is the row's id, taken before rendering (outside the
  // transaction, so the PDF is not rendered while holding it).
  const { rows: idRows } = await sql<{
    id: string;
  }>`select nextval(pg_get_serial_sequence('employee_list', 'id'))::text as id`.execute(db);
  const id = BigInt(idRows[0]?.id ?? '0');
  const createdAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const pdf = await renderEmployeeListPdf({
    id,
    account: account.number,
    supplier: account.supplier,
    consumer: account.consumer,
    rows: check.rows,
    createdAt,
    locale: input.lang,
  });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  await db.transaction().execute(async (trx) => {
    const contract = await trx
      .selectFrom('contract as k')
      .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
      .select(['k.org_unit_id', 'ou.path'])
      .where('k.id', '=', input.contractId)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('employee_list')
      .values({
        id,
        tenant_id: input.tenantId,
        contract_id: input.contractId,
        org_unit_id: contract.org_unit_id,
        row_count: check.rows.length,
        lang: input.lang,
        document: pdf,
        document_sha256: sha256,
        created_at: createdAt,
      })
      .execute();
    // One statement per 500 rows keeps each well under PostgreSQL's 65,535 parameters.
    for (let from = 0; from < check.rows.length; from += 500) {
      await trx
        .insertInto('employee_list_row')
        .values(
          check.rows.slice(from, from + 500).map((r, i) => ({
            list_id: id,
            row_no: from + i + 1,
            full_name: r.fullName,
            position: r.position,
            pinfl: r.pinfl,
            passport: r.passport,
            phone: r.phone,
          })),
        )
        .execute();
    }
    await writeAudit(trx, actor, {
      action: 'employee_list.create',
      entity: 'employee_list',
      entityId: id,
      tenantId: input.tenantId,
      orgUnitPath: contract.path,
      after: { status: 'draft', row_count: check.rows.length, lang: input.lang, document_sha256: sha256 },
    });
  });
  return employeeListView(db, id);
}

/** Why a signature is refused: the document changed, or the signature itself is not valid. */
function refusal(reason: VerifyReason | undefined): AppError {
  if (reason === 'digest_mismatch')
    return new AppError('EMPLOYEE_LIST_SIGNATURE_MISMATCH', 'The signature is not over this list’s document');
  return new AppError('EMPLOYEE_LIST_SIGNATURE_INVALID', `The signature is not valid: ${reason}`, {
    reason: reason ?? 'malformed',
  });
}

/**
 * Accepts the consumer's detached CMS signature over the stored PDF: valid, chained to a trusted
 * root, and made with a certificate carrying the consumer's INN. Anything else is refused with a
 * code and changes nothing; an accepted one makes the list `submitted`, with signer and time.
 */
export async function submitEmployeeList(
  db: Kysely<DB>,
  actor: Actor,
  input: { contractId: bigint; listId: bigint; signature: Uint8Array },
): Promise<EmployeeListView> {
  const list = await db
    .selectFrom('employee_list as l')
    .innerJoin('contract as k', 'k.id', 'l.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .select(['l.id', 'l.status', 'l.document', 'c.inn'])
    .where('l.id', '=', input.listId)
    .where('l.contract_id', '=', input.contractId)
    .executeTakeFirst();
  if (!list) throw unknownList(input.listId);
  if (list.status !== 'draft') throw wrongStatus(list.status);
  const result = await verifyDetached(list.document, input.signature, await trustedRootsPem(db));
  if (!result.valid || !result.signer || !result.signedAt) throw refusal(result.reason);
  const signerInn = result.signer.inn ?? null;
  if (!list.inn || signerInn !== list.inn)
    throw new AppError('EMPLOYEE_LIST_SIGNER_INN', 'The certificate is not the consumer’s', {
      signerInn: signerInn ?? '—',
      inn: list.inn ?? '—',
    });
  const signer: EmployeeListSigner = { ...result.signer, inn: signerInn };
  const signedAt = result.signedAt;
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('employee_list as l')
      .innerJoin('org_unit as ou', 'ou.id', 'l.org_unit_id')
      .select(['l.status', 'l.tenant_id', 'ou.path'])
      .where('l.id', '=', list.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.status !== 'draft') throw wrongStatus(row.status);
    await trx
      .updateTable('employee_list')
      .set({
        status: 'submitted',
        signature: Buffer.from(input.signature),
        signer: JSON.stringify(signer),
        signed_at: new Date(signedAt),
        submitted_at: sql<Date>`now()`,
      })
      .where('id', '=', list.id)
      .execute();
    await writeAudit(trx, actor, {
      action: 'employee_list.submit',
      entity: 'employee_list',
      entityId: list.id,
      tenantId: row.tenant_id,
      orgUnitPath: row.path,
      before: { status: 'draft' },
      after: {
        status: 'submitted',
        signer,
        signed_at: signedAt,
        signature_sha256: createHash('sha256').update(input.signature).digest('hex'),
      },
    });
  });
  return employeeListView(db, list.id);
}

/** Staff confirm that a submitted list was received ("list per procedure No. 1031 received"). */
export async function receiveEmployeeList(
  db: Kysely<DB>,
  actor: Actor,
  input: { listId: bigint; userId: bigint; userName: string },
): Promise<EmployeeListView> {
  const { listId } = input;
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('employee_list as l')
      .innerJoin('org_unit as ou', 'ou.id', 'l.org_unit_id')
      .select(['l.id', 'l.status', 'l.tenant_id', 'ou.path'])
      .where('l.id', '=', listId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw unknownList(listId);
    if (row.status !== 'submitted') throw wrongStatus(row.status);
    await trx
      .updateTable('employee_list')
      .set({
        status: 'received',
        received_at: sql<Date>`now()`,
        received_by: input.userId,
        received_by_name: input.userName,
      })
      .where('id', '=', row.id)
      .execute();
    await writeAudit(trx, actor, {
      action: 'employee_list.receive',
      entity: 'employee_list',
      entityId: row.id,
      tenantId: row.tenant_id,
      orgUnitPath: row.path,
      before: { status: 'submitted' },
      after: { status: 'received', received_by: input.userName },
    });
  });
  return employeeListView(db, listId);
}

function unknownList(id: bigint): AppError {
  return new AppError('UNKNOWN_EMPLOYEE_LIST', `Unknown employee list ${id}`, { id: String(id) });
}

function wrongStatus(status: string): AppError {
  return new AppError('EMPLOYEE_LIST_STATUS', `The list is ${status}`, { status });
}

/** The stored PDF and signature of a list (the signature null while it is a draft). */
export async function employeeListFiles(
  db: Kysely<DB>,
  listId: bigint,
): Promise<{ account: string; document: Buffer; signature: Buffer | null }> {
  const row = await db
    .selectFrom('employee_list as l')
    .innerJoin('contract as k', 'k.id', 'l.contract_id')
    .select(['k.number', 'l.document', 'l.signature'])
    .where('l.id', '=', listId)
    .executeTakeFirst();
  if (!row) throw unknownList(listId);
  return { account: row.number, document: row.document, signature: row.signature };
}

/** One list with its rows. */
export async function employeeListView(db: Kysely<DB>, id: bigint): Promise<EmployeeListView> {
  const [view] = await employeeListViews(db, [id]);
  if (!view) throw unknownList(id);
  const rows = await db
    .selectFrom('employee_list_row')
    .select(['full_name', 'position', 'pinfl', 'passport', 'phone'])
    .where('list_id', '=', id)
    .orderBy('row_no')
    .execute();
  return {
    ...view,
    rows: rows.map((r) => ({
      fullName: r.full_name,
      position: r.position,
      pinfl: r.pinfl,
      passport: r.passport,
      phone: r.phone,
    })),
  };
}

/** Lists without their rows, in the order of `ids`. */
export async function employeeListViews(db: Kysely<DB>, ids: readonly bigint[]): Promise<EmployeeListView[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('employee_list as l')
    .innerJoin('contract as k', 'k.id', 'l.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .select([
      'l.id',
      'k.number',
      'c.name',
      'c.inn',
      'l.status',
      'l.row_count',
      'l.lang',
      'l.document_sha256',
      sql<number>`octet_length(l.document)`.as('size'),
      'l.created_at',
      'l.signer',
      'l.signed_at',
      'l.submitted_at',
      'l.received_at',
      'l.received_by_name',
    ])
    .where('l.id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const signer = (
      typeof r.signer === 'string' ? JSON.parse(r.signer) : r.signer
    ) as EmployeeListSigner | null;
    return [
      {
        id: String(r.id),
        account: r.number,
        consumer: { name: r.name, inn: r.inn },
        status: r.status as EmployeeListStatus,
        rowCount: r.row_count,
        lang: r.lang as Locale,
        document: { sha256: r.document_sha256, size: Number(r.size) },
        createdAt: r.created_at.toISOString(),
        signer,
        signedAt: r.signed_at?.toISOString() ?? null,
        submittedAt: r.submitted_at?.toISOString() ?? null,
        receivedAt: r.received_at?.toISOString() ?? null,
        receivedBy: r.received_by_name,
      },
    ];
  });
}
