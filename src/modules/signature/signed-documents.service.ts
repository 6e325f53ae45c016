import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Period } from '../../domain/period.ts';
import type { Locale } from '../../i18n/locale.ts';
import { type Actor, SYSTEM_ACTOR, writeAudit } from '../audit/audit.ts';
import { renderActPdf, renderInvoicePdf } from '../documents/documents.pdf.ts';
import { invoiceOf, reconciliationActOf } from '../documents/documents.service.ts';
import { supplierSigner, trustedRootsPem } from './local-ca.ts';
import { verifyDetached } from './signer.ts';

// The archive of issued documents (R6 function 9): an invoice or reconciliation act is rendered,
// signed by its supplier and kept on first request; every later request gets the same bytes, so
// the detached signature keeps matching the PDF (pdfkit output differs between renderings).

/** A signed document as issued. */
export type SignedDocument = {
  /** The PDF's file name, e.g. "invoice-00042-2025-03.pdf"; the signature is that plus ".p7s". */
  fileName: string;
  pdf: Buffer;
  /** Detached CMS SignedData (DER) over `pdf`. */
  p7s: Buffer;
  /** SHA-256 of the PDF, hex. */
  sha256: string;
  signedAt: string;
};

/** The kinds of signed documents. */
export type Kind = 'invoice' | 'act';
type Target = { tenantId: bigint; contractId: bigint; kind: Kind; key: string; lang: Locale };

/** The file name of an archived document, e.g. "invoice-00042-2025-03.pdf". */
export const fileNameOf = (kind: Kind, account: string, key: string) =>
  kind === 'invoice' ? `invoice-${account}-${key}.pdf` : `act-${account}-${key.replace('..', '-')}.pdf`;

/** The archived document, or undefined. */
async function archived(db: Kysely<DB>, t: Target): Promise<SignedDocument | undefined> {
  const row = await db
    .selectFrom('signed_document as d')
    .innerJoin('contract as k', 'k.id', 'd.contract_id')
    .select(['k.number', 'd.pdf', 'd.p7s', 'd.sha256', 'd.signed_at'])
    .where('d.tenant_id', '=', t.tenantId)
    .where('d.contract_id', '=', t.contractId)
    .where('d.kind', '=', t.kind)
    .where('d.key', '=', t.key)
    .where('d.lang', '=', t.lang)
    // A re-issued document supersedes its older versions: the current one is served.
    .where('d.superseded_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    fileName: fileNameOf(t.kind, row.number, t.key),
    pdf: row.pdf,
    p7s: row.p7s,
    sha256: row.sha256,
    signedAt: new Date(row.signed_at).toISOString(),
  };
}

/** A PDF signed by its supplier: the detached signature, its hash, key and signing time. */
export type PdfSignature = {
  p7s: Buffer;
  sha256: string;
  keyId: bigint;
  /** ISO time read back from the signature. */
  signedAt: string;
  certificateSerial: string;
};

/** Signs PDF bytes with the supplier's key and checks the fresh signature before anyone keeps it. */
export async function signPdf(db: Kysely<DB>, tenantId: bigint, pdf: Buffer): Promise<PdfSignature> {
  const { signer, keyId } = await supplierSigner(db, tenantId);
  const p7s = Buffer.from(await signer.sign(pdf));
  // Never archive a signature that would not verify; this also reads its signing time.
  const check = await verifyDetached(pdf, p7s, await trustedRootsPem(db));
  if (!check.valid || !check.signedAt) throw new Error(`fresh signature does not verify: ${check.reason}`);
  return {
    p7s,
    sha256: createHash('sha256').update(pdf).digest('hex'),
    keyId,
    signedAt: check.signedAt,
    certificateSerial: signer.certificate().serialNumber,
  };
}

/**
 * Signs a freshly rendered PDF with the supplier's key and archives it, unless a concurrent
 * request archived the same document first; returns the archived one either way.
 */
async function signAndArchive(db: Kysely<DB>, t: Target, pdf: Buffer, actor: Actor): Promise<SignedDocument> {
  const { p7s, sha256, keyId, signedAt, certificateSerial } = await signPdf(db, t.tenantId, pdf);
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('signed_document')
      .values({
        tenant_id: t.tenantId,
        contract_id: t.contractId,
        kind: t.kind,
        key: t.key,
        lang: t.lang,
        pdf,
        p7s,
        sha256,
        signing_key_id: keyId,
        signed_at: signedAt,
      })
      .onConflict((oc) =>
        oc.columns(['contract_id', 'kind', 'key', 'lang']).where('superseded_at', 'is', null).doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return;
    const unit = await trx
      .selectFrom('contract as k')
      .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
      .select(['ou.path', 'k.number'])
      .where('k.id', '=', t.contractId)
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'document.sign',
      entity: 'signed_document',
      entityId: inserted.id,
      tenantId: t.tenantId,
      orgUnitPath: unit.path,
      after: {
        account: unit.number,
        kind: t.kind,
        key: t.key,
        lang: t.lang,
        sha256,
        certificate_serial: certificateSerial,
        signed_at: signedAt,
      },
    });
  });
  const stored = await archived(db, t);
  if (!stored) throw new Error('signed document vanished');
  return stored;
}

/**
 * The signed invoice of a closed period in a language: archived on first request (rendered,
 * signed, audited as 'document.sign'), the same bytes ever after. Open periods are refused
 * (PERIOD_NOT_CLOSED), as by `invoiceOf`.
 */
export async function signedInvoice(
  db: Kysely<DB>,
  input: { tenantId: bigint; contractId: bigint; period: Period; lang: Locale; actor?: Actor },
): Promise<SignedDocument> {
  const target: Target = { ...input, kind: 'invoice', key: input.period };
  const found = await archived(db, target);
  if (found) return found;
  const invoice = await invoiceOf(db, input);
  const pdf = await renderInvoicePdf(invoice, input.lang);
  return signAndArchive(db, target, pdf, input.actor ?? { ...SYSTEM_ACTOR, tenantId: input.tenantId });
}

/** The signed reconciliation act over closed periods from..to in a language; as `signedInvoice`. */
export async function signedAct(
  db: Kysely<DB>,
  input: { tenantId: bigint; contractId: bigint; from: Period; to: Period; lang: Locale; actor?: Actor },
): Promise<SignedDocument> {
  const target: Target = { ...input, kind: 'act', key: `${input.from}..${input.to}` };
  const found = await archived(db, target);
  if (found) return found;
  const act = await reconciliationActOf(db, input);
  const pdf = await renderActPdf(act, input.lang);
  return signAndArchive(db, target, pdf, input.actor ?? { ...SYSTEM_ACTOR, tenantId: input.tenantId });
}
