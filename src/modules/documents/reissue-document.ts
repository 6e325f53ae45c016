import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Period } from '../../domain/period.ts';
import type { Locale } from '../../i18n/locale.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { type Kind, signPdf } from '../signature/signed-documents.service.ts';
import { type ContractDocument, contractDocumentById } from './contract-documents.ts';
import { renderActPdf, renderInvoicePdf } from './documents.pdf.ts';
import { invoiceOf, reconciliationActOf } from './documents.service.ts';
import { actKeyOf, assertPeriodClosed } from './period-documents.repository.ts';

// Re-issue (decision 017): an archived document is never overwritten. When the supplier's
// requisites or signing certificate changed, staff may issue a new version of one contract's
// invoice or act of a closed period: rendered and signed afresh, archived as the next version,
// the old one marked superseded (and still downloadable), audited with the reason. The data
// behind it cannot have changed: a closed period is frozen and corrections land in the open one.

/** Renders the document afresh from the data the close froze. */
async function render(
  db: Kysely<DB>,
  input: { tenantId: bigint; contractId: bigint; period: Period; kind: Kind; lang: Locale },
): Promise<Buffer> {
  switch (input.kind) {
    case 'invoice':
      return renderInvoicePdf(await invoiceOf(db, input), input.lang);
    case 'act':
      return renderActPdf(
        await reconciliationActOf(db, { ...input, from: input.period, to: input.period }),
        input.lang,
      );
  }
}

/**
 * Re-issues a contract's archived invoice or act of a closed period in a language: a new signed
 * version supersedes the current one in the same transaction as its 'document.reissue' audit row.
 * Nothing archived yet is DOCUMENT_NOT_ARCHIVED; a concurrent re-issue is DOCUMENT_REISSUE_CONFLICT.
 */
export async function reissueDocument(
  db: Kysely<DB>,
  actor: Actor,
  input: {
    tenantId: bigint;
    contractId: bigint;
    period: Period;
    kind: Kind;
    lang: Locale;
    reason: string;
  },
): Promise<ContractDocument> {
  await assertPeriodClosed(db, input.tenantId, input.period);
  const key = input.kind === 'invoice' ? input.period : actKeyOf(input.period);
  const current = (trx: Kysely<DB>) =>
    trx
      .selectFrom('signed_document')
      .select(['id', 'version', 'sha256', 'signing_key_id', 'signed_at'])
      .where('tenant_id', '=', input.tenantId)
      .where('contract_id', '=', input.contractId)
      .where('kind', '=', input.kind)
      .where('key', '=', key)
      .where('lang', '=', input.lang);
  const before = await current(db).where('superseded_at', 'is', null).executeTakeFirst();
  if (!before)
    throw new AppError('DOCUMENT_NOT_ARCHIVED', `No archived ${input.kind} of ${input.period}`, {
      kind: input.kind,
      period: input.period,
    });
  const pdf = await render(db, input);
  const signature = await signPdf(db, input.tenantId, pdf);
  const id = await db.transaction().execute(async (trx) => {
    const old = await current(trx)
      .where('superseded_at', 'is', null)
      .where('id', '=', before.id)
      .forUpdate()
      .executeTakeFirst();
    if (!old) throw new AppError('DOCUMENT_REISSUE_CONFLICT', 'The document was re-issued meanwhile');
    await trx
      .updateTable('signed_document')
      .set({ superseded_at: new Date() })
      .where('id', '=', old.id)
      .execute();
    const created = await trx
      .insertInto('signed_document')
      .values({
        tenant_id: input.tenantId,
        contract_id: input.contractId,
        kind: input.kind,
        key,
        lang: input.lang,
        pdf,
        p7s: signature.p7s,
        sha256: signature.sha256,
        signing_key_id: signature.keyId,
        signed_at: signature.signedAt,
        version: old.version + 1,
        reason: input.reason,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('signed_document')
      .set({ superseded_by: created.id })
      .where('id', '=', old.id)
      .execute();
    const unit = await trx
      .selectFrom('contract as k')
      .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
      .select(['ou.path', 'k.number'])
      .where('k.id', '=', input.contractId)
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'document.reissue',
      entity: 'signed_document',
      entityId: created.id,
      tenantId: input.tenantId,
      orgUnitPath: unit.path,
      before: {
        id: String(old.id),
        version: old.version,
        sha256: old.sha256,
        signing_key_id: String(old.signing_key_id),
        signed_at: new Date(old.signed_at).toISOString(),
      },
      after: {
        account: unit.number,
        kind: input.kind,
        key,
        lang: input.lang,
        version: old.version + 1,
        sha256: signature.sha256,
        certificate_serial: signature.certificateSerial,
        signing_key_id: String(signature.keyId),
        signed_at: signature.signedAt,
        reason: input.reason,
      },
    });
    return created.id;
  });
  const doc = await contractDocumentById(db, input.tenantId, id);
  if (!doc) throw new Error('re-issued document vanished');
  return doc;
}
