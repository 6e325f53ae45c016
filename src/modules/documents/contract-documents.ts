import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Period } from '../../domain/period.ts';
import type { Locale } from '../../i18n/locale.ts';
import { fileNameOf, type Kind } from '../signature/signed-documents.service.ts';
import { actKeyOf } from './period-documents.repository.ts';

// The archived documents of one contract and period as staff see them: every version of its
// invoice and act in every language, the current one and those a re-issue superseded.

/** An archived document version, without its bytes. */
export type ContractDocument = {
  id: string;
  kind: Kind;
  key: string;
  lang: Locale;
  version: number;
  fileName: string;
  sha256: string;
  signedAt: string;
  current: boolean;
  supersededAt: string | null;
  reason: string | null;
};

const columns = [
  'd.id',
  'd.kind',
  'd.key',
  'd.lang',
  'd.version',
  'd.sha256',
  'd.signed_at',
  'd.superseded_at',
  'd.reason',
  'k.number',
] as const;

type Row = {
  id: bigint;
  kind: string;
  key: string;
  lang: string;
  version: number;
  sha256: string;
  signed_at: Date | string;
  superseded_at: Date | string | null;
  reason: string | null;
  number: string;
};

const view = (r: Row): ContractDocument => {
  const kind: Kind = r.kind === 'act' ? 'act' : 'invoice';
  return {
    id: String(r.id),
    kind,
    key: r.key,
    lang: r.lang as Locale,
    version: r.version,
    fileName: fileNameOf(kind, r.number, r.key),
    sha256: r.sha256,
    signedAt: new Date(r.signed_at).toISOString(),
    current: r.superseded_at === null,
    supersededAt: r.superseded_at === null ? null : new Date(r.superseded_at).toISOString(),
    reason: r.reason,
  };
};

const base = (db: Kysely<DB>, tenantId: bigint) =>
  db
    .selectFrom('signed_document as d')
    .innerJoin('contract as k', 'k.id', 'd.contract_id')
    .where('d.tenant_id', '=', tenantId);

/** Every archived version of the contract's invoice and act of the period, newest first per document. */
export async function listContractDocuments(
  db: Kysely<DB>,
  input: { tenantId: bigint; contractId: bigint; period: Period },
): Promise<ContractDocument[]> {
  const rows = await base(db, input.tenantId)
    .select(columns)
    .where('d.contract_id', '=', input.contractId)
    .where((eb) =>
      eb.or([
        eb.and([eb('d.kind', '=', 'invoice'), eb('d.key', '=', input.period)]),
        eb.and([eb('d.kind', '=', 'act'), eb('d.key', '=', actKeyOf(input.period))]),
      ]),
    )
    .orderBy('d.kind', 'desc')
    .orderBy('d.lang')
    .orderBy('d.version', 'desc')
    .execute();
  return rows.map(view);
}

/** One archived version by id, or undefined. */
export async function contractDocumentById(
  db: Kysely<DB>,
  tenantId: bigint,
  id: bigint,
): Promise<ContractDocument | undefined> {
  const row = await base(db, tenantId).select(columns).where('d.id', '=', id).executeTakeFirst();
  return row ? view(row) : undefined;
}

/** An archived version's bytes with the contract it belongs to, or undefined. */
export async function contractDocumentFile(
  db: Kysely<DB>,
  tenantId: bigint,
  id: bigint,
): Promise<{ doc: ContractDocument; contractId: bigint; pdf: Buffer; p7s: Buffer } | undefined> {
  const row = await base(db, tenantId)
    .select([...columns, 'd.contract_id', 'd.pdf', 'd.p7s'])
    .where('d.id', '=', id)
    .executeTakeFirst();
  return row ? { doc: view(row), contractId: row.contract_id, pdf: row.pdf, p7s: row.p7s } : undefined;
}
