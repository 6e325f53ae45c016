import type { Kysely } from 'kysely';
import { PDFDocument } from 'pdf-lib';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Kind } from '../signature/signed-documents.service.ts';
import { actKeyOf, type PackScope } from './period-documents.repository.ts';

// The print pack (decision 017): one PDF with the unit's archived invoices (or acts) of a closed
// period, in unit and account order, for the post or a courier. The pages are copied from the
// archived, signed PDFs (pdf-lib), so the paper says exactly what the signed files say; the pack
// itself is a convenience for printing and is not signed.

/** Most documents in one print pack: a district's worth, kept in memory while merging. */
export const PRINT_PACK_MAX = 2000;

/** Archived PDFs fetched per query while merging. */
const BATCH = 100;

/** One merged PDF of the scope's archived (current) documents of a kind; throws when there are none. */
export async function buildPrintPack(
  db: Kysely<DB>,
  scope: PackScope,
  kind: Kind = 'invoice',
): Promise<{ pdf: Buffer; documents: number }> {
  const key = kind === 'invoice' ? scope.period : actKeyOf(scope.period);
  const ids = await db
    .selectFrom('signed_document as d')
    .innerJoin('contract as k', 'k.id', 'd.contract_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select('d.id')
    .where('d.tenant_id', '=', scope.tenantId)
    .where('d.kind', '=', kind)
    .where('d.key', '=', key)
    .where('d.lang', '=', scope.lang)
    .where('d.superseded_at', 'is', null)
    .$if(scope.orgPath !== null, (q) => q.where('ou.path', 'like', `${scope.orgPath ?? ''}%`))
    .orderBy('ou.path')
    .orderBy('k.number')
    .execute();
  if (ids.length === 0)
    throw new AppError('DOCUMENT_PACK_EMPTY', `No archived ${kind}s of ${scope.period}`, {
      period: scope.period,
    });
  if (ids.length > PRINT_PACK_MAX)
    throw new AppError('DOCUMENT_PACK_TOO_LARGE', `${ids.length} documents, at most ${PRINT_PACK_MAX}`, {
      count: ids.length,
      max: PRINT_PACK_MAX,
    });
  const pack = await PDFDocument.create();
  pack.setTitle(`${kind === 'invoice' ? 'Invoices' : 'Reconciliation acts'} ${scope.period}`);
  pack.setProducer('hisob');
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH).map((r) => r.id);
    const rows = await db
      .selectFrom('signed_document')
      .select(['id', 'pdf'])
      .where('id', 'in', batch)
      .execute();
    const byId = new Map(rows.map((r) => [String(r.id), r.pdf]));
    for (const id of batch) {
      const bytes = byId.get(String(id));
      if (!bytes) continue;
      const source = await PDFDocument.load(bytes);
      const pages = await pack.copyPages(source, source.getPageIndices());
      for (const page of pages) pack.addPage(page);
    }
  }
  return { pdf: Buffer.from(await pack.save()), documents: ids.length };
}
