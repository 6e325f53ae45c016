import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Period } from '../../domain/period.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { signPdf } from '../signature/signed-documents.service.ts';
import { buildEsf, type EsfSource } from './einvoice.ts';

// Generation of a closed period's e-invoices for an org unit (decision 016): one pg-boss job per
// run; each bill's ESF is built, signed (detached CMS through the signature adapter) and archived
// in signed_document with its einvoice row in one transaction, and the run's progress is counted
// in that transaction too. Done = the bill has an einvoice row, so a retried job continues.

/** A run as the API shows it. */
export type EinvoiceRunView = {
  id: string;
  period: string;
  orgUnitId: string;
  status: string;
  total: number;
  done: number;
  error: string | null;
};

/** The run row as the API shows it. */
export function runView(r: {
  id: bigint;
  period: string;
  org_unit_id: bigint;
  status: string;
  total: number;
  done: number;
  error: string | null;
}): EinvoiceRunView {
  return {
    id: String(r.id),
    period: r.period,
    orgUnitId: String(r.org_unit_id),
    status: r.status,
    total: r.total,
    done: r.done,
    error: r.error,
  };
}

/** The bills an ESF is made for: numbered bills of the period under the unit, buyer with an INN. */
function billsOf(db: Kysely<DB>, q: { tenantId: bigint; period: Period; unitPath: string }) {
  return db
    .selectFrom('bill as b')
    .innerJoin('contract as k', 'k.id', 'b.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .where('b.tenant_id', '=', q.tenantId)
    .where('b.period', '=', q.period)
    .where('b.number', 'is not', null)
    .where('c.inn', 'is not', null)
    .where('ou.path', 'like', `${q.unitPath}%`);
}

/** Refuses with PERIOD_NOT_CLOSED unless the supplier's period is closed. */
export async function assertClosed(db: Kysely<DB>, tenantId: bigint, period: Period): Promise<void> {
  const row = await db
    .selectFrom('billing_period')
    .select('status')
    .where('tenant_id', '=', tenantId)
    .where('period', '=', period)
    .executeTakeFirst();
  if (row?.status !== 'closed')
    throw new AppError('PERIOD_NOT_CLOSED', `Period ${period} is not closed`, { period });
}

/** Creates a run for a closed period and a unit, counting its bills. */
export async function createEinvoiceRun(
  db: Kysely<DB>,
  actor: Actor,
  q: { tenantId: bigint; period: Period; orgUnitId: bigint; unitPath: string; userId: bigint | null },
): Promise<bigint> {
  await assertClosed(db, q.tenantId, q.period);
  return db.transaction().execute(async (trx) => {
    const total = await billsOf(trx, q)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const run = await trx
      .insertInto('einvoice_run')
      .values({
        tenant_id: q.tenantId,
        org_unit_id: q.orgUnitId,
        period: q.period,
        total: Number(total.n),
        created_by: q.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'einvoice.run',
      entity: 'einvoice_run',
      entityId: run.id,
      tenantId: q.tenantId,
      orgUnitPath: q.unitPath,
      after: { period: q.period, total: Number(total.n) },
    });
    return run.id;
  });
}

/** Loads what the ESF of a bill is built from. */
export async function esfSourceOf(db: Kysely<DB>, billId: bigint): Promise<EsfSource> {
  const b = await db
    .selectFrom('bill as b')
    .innerJoin('contract as k', 'k.id', 'b.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('tenant as t', 't.id', 'b.tenant_id')
    .leftJoin('einvoice_seller as s', 's.tenant_id', 't.id')
    .innerJoin('einvoice_catalog as g', 'g.commodity', 'k.commodity')
    .select([
      'b.id',
      'b.tenant_id',
      'b.number',
      'b.issued_on',
      'k.number as contract_number',
      'k.start_date',
      't.name as seller_name',
      't.inn as seller_inn',
      't.address as seller_address',
      't.bank_account as seller_account',
      't.bank_mfo as seller_mfo',
      't.vat_rate',
      's.vat_reg_code',
      's.director',
      's.accountant',
      'c.name as buyer_name',
      'c.inn as buyer_inn',
      'c.legal_address',
      'c.bank_account as buyer_account',
      'c.bank_mfo as buyer_mfo',
      'g.catalog_code',
      'g.catalog_name',
      'g.package_code',
      'g.package_name',
    ])
    .where('b.id', '=', billId)
    .executeTakeFirstOrThrow();
  const lines = await db
    .selectFrom('bill_line')
    .select(['kind', 'quantity', 'amount', 'vat'])
    .where('bill_id', '=', billId)
    .orderBy('seq')
    .execute();
  return {
    tenantId: b.tenant_id,
    billId: b.id,
    number: b.number ?? '',
    issuedOn: b.issued_on ?? '',
    contract: { number: b.contract_number, startDate: b.start_date },
    seller: {
      tin: b.seller_inn ?? '',
      Name: b.seller_name,
      Account: b.seller_account ?? '',
      BankId: b.seller_mfo ?? '',
      Address: b.seller_address ?? '',
      VatRegCode: b.vat_reg_code ?? '',
      Director: b.director ?? '',
      Accountant: b.accountant ?? '',
    },
    buyer: {
      tin: b.buyer_inn ?? '',
      Name: b.buyer_name,
      Account: b.buyer_account ?? '',
      BankId: b.buyer_mfo ?? '',
      Address: b.legal_address ?? '',
      VatRegCode: '',
      Director: '',
      Accountant: '',
    },
    vatRate: Number(String(b.vat_rate).split('.')[0] ?? '12'),
    catalog: {
      code: b.catalog_code,
      name: b.catalog_name,
      packageCode: b.package_code,
      packageName: b.package_name,
    },
    lines: lines.map((l) => ({
      kind: l.kind,
      quantity: l.quantity === null ? null : BigInt(l.quantity),
      amount: BigInt(l.amount),
      vat: BigInt(l.vat),
    })),
  };
}

/** Builds, signs and archives the ESF of one bill (once: a second call changes nothing). */
export async function issueEinvoice(
  db: Kysely<DB>,
  actor: Actor,
  input: { billId: bigint; runId: bigint | null },
): Promise<void> {
  const source = await esfSourceOf(db, input.billId);
  const esf = buildEsf(source);
  const json = Buffer.from(JSON.stringify(esf), 'utf8');
  const sig = await signPdf(db, source.tenantId, json);
  await db.transaction().execute(async (trx) => {
    const bill = await trx
      .selectFrom('bill as b')
      .innerJoin('contract as k', 'k.id', 'b.contract_id')
      .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
      .select(['b.contract_id', 'b.period', 'k.number', 'ou.path'])
      .where('b.id', '=', input.billId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const exists = await trx
      .selectFrom('einvoice')
      .select('bill_id')
      .where('bill_id', '=', input.billId)
      .executeTakeFirst();
    if (exists) return;
    const doc = await trx
      .insertInto('signed_document')
      .values({
        tenant_id: source.tenantId,
        contract_id: bill.contract_id,
        kind: 'einvoice',
        key: bill.period,
        lang: 'uz',
        pdf: json,
        p7s: sig.p7s,
        sha256: sig.sha256,
        signing_key_id: sig.keyId,
        signed_at: sig.signedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('einvoice')
      .values({
        bill_id: input.billId,
        tenant_id: source.tenantId,
        run_id: input.runId,
        factura_id: esf.FacturaId,
        signed_document_id: doc.id,
      })
      .execute();
    if (input.runId !== null)
      await trx
        .updateTable('einvoice_run')
        .set((eb) => ({ done: eb('done', '+', 1) }))
        .where('id', '=', input.runId)
        .execute();
    await writeAudit(trx, actor, {
      action: 'einvoice.sign',
      entity: 'signed_document',
      entityId: doc.id,
      tenantId: source.tenantId,
      orgUnitPath: bill.path,
      after: { account: bill.number, period: bill.period, factura_id: esf.FacturaId, sha256: sig.sha256 },
    });
  });
}

/** Executes a run: every bill of it without an ESF gets one; progress is committed per bill. */
export async function executeEinvoiceRun(
  db: Kysely<DB>,
  actor: Actor,
  runId: bigint,
): Promise<EinvoiceRunView> {
  const run = await db
    .selectFrom('einvoice_run as r')
    .innerJoin('org_unit as ou', 'ou.id', 'r.org_unit_id')
    .select(['r.tenant_id', 'r.period', 'ou.path'])
    .where('r.id', '=', runId)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('einvoice_run')
    .set({ status: 'running', error: null })
    .where('id', '=', runId)
    .execute();
  try {
    const q = { tenantId: run.tenant_id, period: run.period as Period, unitPath: run.path };
    const todo = await billsOf(db, q)
      .leftJoin('einvoice as e', 'e.bill_id', 'b.id')
      .where('e.bill_id', 'is', null)
      .select('b.id')
      .orderBy('k.number')
      .execute();
    // Bills done by an earlier run of the same scope count as done here.
    await db
      .updateTable('einvoice_run')
      .set((eb) => ({ done: sql<number>`${eb.ref('total')} - ${todo.length}` }))
      .where('id', '=', runId)
      .execute();
    for (const b of todo) await issueEinvoice(db, actor, { billId: b.id, runId });
    const done = await db
      .updateTable('einvoice_run')
      .set({ status: 'done', finished_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return runView(done);
  } catch (e) {
    await db
      .updateTable('einvoice_run')
      .set({ status: 'failed', error: e instanceof Error ? e.message.slice(0, 500) : String(e) })
      .where('id', '=', runId)
      .execute();
    throw e;
  }
}
