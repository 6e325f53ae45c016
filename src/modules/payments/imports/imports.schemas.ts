import { z } from 'zod';
import { formatMoney, tiyin } from '../../../domain/money.ts';
import { LOCALES } from '../../../i18n/locale.ts';
import type { BatchRow } from './imports.repository.ts';
import type { ImportResult } from './imports.service.ts';
import { FILE_CHANNELS } from './payment-file-reader.ts';

const ZMoney = z.string().describe('so’m with two decimals, e.g. "1250000.50"');
const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** A channel that sends files. */
export const ZFileChannel = z.enum(FILE_CHANNELS);

/** An import batch: one file. */
export const ZImportBatch = z.object({
  id: z.string(),
  channel: z.string(),
  fileName: z.string(),
  format: z.string(),
  sha256: z.string(),
  statementFrom: z.string().nullable(),
  statementTo: z.string().nullable(),
  counts: z.object({
    lines: z.number(),
    booked: z.number(),
    duplicates: z.number(),
    unmatched: z.number(),
    skipped: z.number(),
  }),
  amounts: z.object({ booked: ZMoney, unmatched: ZMoney }),
  createdAt: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type ImportBatchView = z.infer<typeof ZImportBatch>;

const ZImportedLine = z.object({
  line: z.number(),
  externalId: z.string(),
  paidOn: z.string(),
  amount: ZMoney,
  payer: z.string().nullable(),
  outcome: z.enum(['booked', 'duplicate', 'unmatched']),
  paymentId: z.string(),
  contractNumber: z.string().nullable(),
  matchedBy: z.enum(['account', 'purpose', 'inn']).nullable(),
  reason: z.enum(['none', 'ambiguous']).nullable(),
  candidates: z.array(z.string()),
});

/** The answer to an import: the batch, what became of each line, the documents skipped. */
export const ZImportResult = z.object({
  batch: ZImportBatch,
  lines: z.array(ZImportedLine),
  skipped: z.array(
    z.object({
      line: z.number(),
      number: z.string(),
      amount: ZMoney,
      reason: z.enum(['outgoing', 'other_account']),
    }),
  ),
});

/** A payment in the unmatched queue. */
export const ZUnmatchedPayment = z.object({
  id: z.string(),
  channel: z.string(),
  externalId: z.string(),
  amount: ZMoney,
  paidOn: z.string(),
  payer: z.string().nullable(),
  purpose: z.string().nullable(),
  receivedAt: z.string(),
  batch: z.object({ id: z.string(), fileName: z.string() }).nullable(),
});

/** The body of a match. */
export const ZMatchRequest = z.object({ contractNumber: z.string().trim().min(1).max(20) }).strict();

/** The answer to a match. */
export const ZMatchResult = z.object({
  payment: z.object({
    id: z.string(),
    status: z.literal('booked'),
    contractNumber: z.string(),
    amount: ZMoney,
    paidOn: z.string(),
  }),
  allocated: ZMoney,
});

const ZTally = z.object({ count: z.number(), amount: ZMoney });

/** The daily reconciliation of a channel. */
export const ZReconciliation = z.object({
  channel: ZFileChannel,
  date: z.string(),
  source: z.enum(['imports', 'file']),
  batches: z.array(z.object({ id: z.string(), fileName: z.string() })),
  summary: z.object({
    registry: ZTally,
    booked: ZTally,
    matched: ZTally,
    missing: ZTally,
    extra: ZTally,
    differentAmount: z.object({ count: z.number(), registryAmount: ZMoney, bookedAmount: ZMoney }),
  }),
  matched: z.array(
    z.object({
      externalId: z.string(),
      batchId: z.string().nullable(),
      line: z.number(),
      account: z.string().nullable(),
      payer: z.string().nullable(),
      amount: ZMoney,
      paymentId: z.string(),
      contractNumber: z.string().nullable(),
    }),
  ),
  differentAmount: z.array(
    z.object({
      externalId: z.string(),
      batchId: z.string().nullable(),
      line: z.number(),
      account: z.string().nullable(),
      payer: z.string().nullable(),
      registryAmount: ZMoney,
      bookedAmount: ZMoney,
      difference: ZMoney,
      paymentId: z.string(),
      contractNumber: z.string().nullable(),
    }),
  ),
  missing: z.array(
    z.object({
      externalId: z.string(),
      batchId: z.string().nullable(),
      line: z.number(),
      account: z.string().nullable(),
      payer: z.string().nullable(),
      purpose: z.string().nullable(),
      amount: ZMoney,
      payment: z.object({ id: z.string(), status: z.string() }).nullable(),
    }),
  ),
  extra: z.array(
    z.object({
      externalId: z.string(),
      paymentId: z.string(),
      contractNumber: z.string().nullable(),
      payer: z.string().nullable(),
      amount: ZMoney,
    }),
  ),
});

/** The query of a reconciliation (also the fields of its multipart form). */
export const ZReconciliationQuery = z.object({
  channel: ZFileChannel,
  date: ZDate,
  format: z.enum(['json', 'xlsx']).default('json'),
  lang: z.enum(LOCALES).optional(),
});

/** A batch row as the API shows it. */
export function batchView(b: BatchRow): ImportBatchView {
  return {
    id: String(b.id),
    channel: b.channel,
    fileName: b.file_name,
    format: b.file_format,
    sha256: b.sha256,
    statementFrom: b.statement_from,
    statementTo: b.statement_to,
    counts: {
      lines: b.line_count,
      booked: b.booked_count,
      duplicates: b.duplicate_count,
      unmatched: b.unmatched_count,
      skipped: b.skipped_count,
    },
    amounts: {
      booked: formatMoney(tiyin(b.booked_amount)),
      unmatched: formatMoney(tiyin(b.unmatched_amount)),
    },
    createdAt: new Date(b.created_at).toISOString(),
    createdBy: b.created_by === null ? null : { id: String(b.created_by), name: b.created_by_name ?? '' },
  };
}

/** An import's lines and skipped documents as the API shows them. */
export function importResultView(batch: BatchRow, r: ImportResult): z.infer<typeof ZImportResult> {
  return {
    batch: batchView(batch),
    lines: r.lines.map((l) => ({
      line: l.line,
      externalId: l.externalId,
      paidOn: l.paidOn,
      amount: formatMoney(l.amount),
      payer: l.payer,
      outcome: l.outcome,
      paymentId: String(l.paymentId),
      contractNumber: l.contractNumber,
      matchedBy: l.matchedBy,
      reason: l.reason,
      candidates: l.candidates,
    })),
    skipped: r.skipped.map((s) => ({
      line: s.line,
      number: s.number,
      amount: formatMoney(s.amount),
      reason: s.reason,
    })),
  };
}
