import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { SkippedDocument } from '../../../domain/bank-exchange.ts';
import { AppError } from '../../../domain/errors.ts';
import { sumMoney, type Tiyin } from '../../../domain/money.ts';
import type { FileProblem, RegistryLine } from '../../../domain/payment-file.ts';
import {
  type ContractMatch,
  contractDirectory,
  lookupNumbers,
  matchContract,
} from '../../../domain/payment-purpose.ts';
import { postUnmatchedReceived } from '../../accounting/ledger.ts';
import { type Actor, writeAudit } from '../../audit/audit.ts';
import { bookPayment } from '../payments.service.ts';
import {
  type BatchRow,
  contractsForMatching,
  findBatchBySha,
  finishBatch,
  insertBatch,
  insertLines,
  insertUnmatched,
  type LineInsert,
  paymentsByExternalId,
  supplierAccount,
  tagBookedPayments,
} from './imports.repository.ts';
import { type FileChannel, invalidFile, readPaymentFile } from './payment-file-reader.ts';

/** What became of one payment line of an imported file. */
export type ImportedLine = {
  line: number;
  externalId: string;
  paidOn: string;
  amount: Tiyin;
  payer: string | null;
  outcome: 'booked' | 'duplicate' | 'unmatched';
  paymentId: bigint;
  contractNumber: string | null;
  matchedBy: 'account' | 'purpose' | 'inn' | null;
  /** For unmatched lines: why (no contract found, or several). */
  reason: 'none' | 'ambiguous' | null;
  candidates: string[];
};

/** The result of an import: the batch, its lines and the documents skipped. */
export type ImportResult = { batchId: bigint; lines: ImportedLine[]; skipped: SkippedDocument[] };

/** PAYMENT_FILE_DUPLICATE naming the earlier batch. */
export function duplicateFile(batch: BatchRow): AppError {
  return new AppError('PAYMENT_FILE_DUPLICATE', `The file was imported as batch ${batch.id}`, {
    batchId: String(batch.id),
    fileName: batch.file_name,
    createdAt: new Date(batch.created_at).toISOString(),
  });
}

/**
 * Imports a bank statement or post registry as one batch, in one transaction: the file is read
 * whole first (any problem refuses it, naming the lines); each payment whose contract is found
 * is booked through bookPayment (allocation per billing-rules §8), the others are stored as
 * unmatched payments with payer and purpose for a person to match. Payments already known by
 * (channel, external id) — from an overlapping statement — count as duplicates and change
 * nothing; one known with another amount refuses the file. The same file twice is
 * PAYMENT_FILE_DUPLICATE naming the first batch.
 */
export async function importPaymentFile(
  db: Kysely<DB>,
  actor: Actor,
  input: { tenantId: bigint; channel: FileChannel; fileName: string; bytes: Uint8Array },
): Promise<ImportResult> {
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const earlier = await findBatchBySha(db, input.tenantId, sha256);
  if (earlier) throw duplicateFile(earlier);
  const file = await readPaymentFile({
    channel: input.channel,
    bytes: input.bytes,
    supplierAccount: input.channel === 'bank' ? await supplierAccount(db, input.tenantId) : null,
  });
  const createdBy = actor.type === 'user' && actor.id ? BigInt(actor.id) : null;

  return db.transaction().execute(async (trx) => {
    const batchId = await insertBatch(trx, {
      tenantId: input.tenantId,
      channel: input.channel,
      fileName: input.fileName,
      format: file.format,
      sha256,
      from: file.from,
      to: file.to,
      createdBy,
    });
    if (batchId === null) {
      const first = await findBatchBySha(trx, input.tenantId, sha256);
      if (first) throw duplicateFile(first);
      throw new AppError('CONFLICT', 'The batch could not be created');
    }
    const matches = await matchLines(trx, input.tenantId, file.lines);
    const known = await paymentsByExternalId(trx, {
      tenantId: input.tenantId,
      channel: input.channel,
      externalIds: file.lines.map((l) => l.externalId),
    });
    const conflicts: FileProblem[] = file.lines.flatMap((l) => {
      const k = known.get(l.externalId);
      return k && k.amount !== l.amount
        ? [
            {
              line: l.line,
              code: 'amount_conflict' as const,
              message: `Payment ${l.externalId} is already ${k.status} with the amount ${k.amount} tiyin`,
              value: l.externalId,
            },
          ]
        : [];
    });
    if (conflicts.length > 0) throw invalidFile(conflicts);

    const results = new Map<number, ImportedLine>();
    // A duplicate shows the contract its payment is booked to, which a person may have chosen.
    const view = (
      l: RegistryLine,
      m: ContractMatch,
      rest: Pick<ImportedLine, 'outcome' | 'paymentId'>,
      bookedTo?: string | null,
    ) => ({
      line: l.line,
      externalId: l.externalId,
      paidOn: l.paidOn,
      amount: l.amount,
      payer: l.payer,
      contractNumber: bookedTo !== undefined ? bookedTo : m.kind === 'matched' ? m.contract.number : null,
      matchedBy: m.kind === 'matched' && rest.outcome === 'booked' ? m.by : null,
      reason: m.kind === 'unmatched' ? m.reason : null,
      candidates: m.kind === 'unmatched' ? m.candidates : [],
      ...rest,
    });
    const fresh = file.lines.filter((l) => {
      const k = known.get(l.externalId);
      if (k)
        results.set(
          l.line,
          view(l, matchOf(matches, l), { outcome: 'duplicate', paymentId: k.id }, k.contractNumber),
        );
      return !k;
    });

    // Book in contract order, so concurrent imports lock the same contracts in the same order.
    const toBook = fresh
      .map((l) => ({ l, m: matchOf(matches, l) }))
      .flatMap(({ l, m }) => (m.kind === 'matched' ? [{ l, m, contractId: m.contract.id }] : []))
      .sort((a, b) =>
        a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : a.l.line - b.l.line,
      );
    const tagged: { paymentId: bigint; payer: string | null; purpose: string | null }[] = [];
    for (const { l, m, contractId } of toBook) {
      const booked = await bookPayment(trx, actor, {
        tenantId: input.tenantId,
        contractId,
        channel: input.channel,
        externalId: l.externalId,
        amount: l.amount,
        paidOn: l.paidOn,
      });
      if (!booked.duplicate)
        tagged.push({ paymentId: booked.paymentId, payer: l.payer, purpose: purposeOf(l) });
      results.set(
        l.line,
        view(l, m, { outcome: booked.duplicate ? 'duplicate' : 'booked', paymentId: booked.paymentId }),
      );
    }
    await tagBookedPayments(trx, batchId, tagged);

    const toQueue = fresh.filter((l) => matchOf(matches, l).kind === 'unmatched');
    const stored = await insertUnmatched(trx, {
      tenantId: input.tenantId,
      channel: input.channel,
      batchId,
      createdBy,
      rows: toQueue.map((l) => ({
        externalId: l.externalId,
        amount: l.amount,
        paidOn: l.paidOn,
        payer: l.payer,
        purpose: purposeOf(l),
      })),
    });
    await postUnmatchedReceived(trx, [...stored.values()]);
    const raced = await paymentsByExternalId(trx, {
      tenantId: input.tenantId,
      channel: input.channel,
      externalIds: toQueue.filter((l) => !stored.has(l.externalId)).map((l) => l.externalId),
    });
    for (const l of toQueue) {
      const id = stored.get(l.externalId);
      const other = raced.get(l.externalId);
      const m = matchOf(matches, l);
      if (id !== undefined) results.set(l.line, view(l, m, { outcome: 'unmatched', paymentId: id }));
      else if (other?.amount === l.amount)
        results.set(l.line, view(l, m, { outcome: 'duplicate', paymentId: other.id }, other.contractNumber));
      else
        throw new AppError(
          'PAYMENT_CONFLICT',
          `Payment ${l.externalId} arrived meanwhile with another amount`,
        );
    }

    const lines = file.lines.flatMap((l) => results.get(l.line) ?? []);
    const source = new Map(file.lines.map((l) => [l.line, l]));
    await insertLines(
      trx,
      batchId,
      lines.map((r) => lineRow(r, source.get(r.line))),
    );
    const of = (o: ImportedLine['outcome']) => lines.filter((r) => r.outcome === o);
    const counts = {
      lines: lines.length,
      booked: of('booked').length,
      duplicates: of('duplicate').length,
      unmatched: of('unmatched').length,
      skipped: file.skipped.length,
      bookedAmount: sumMoney(of('booked').map((r) => r.amount)),
      unmatchedAmount: sumMoney(of('unmatched').map((r) => r.amount)),
    };
    await finishBatch(trx, batchId, counts);
    await writeAudit(trx, actor, {
      action: 'payment.import',
      entity: 'import_batch',
      entityId: batchId,
      tenantId: input.tenantId,
      // supplier-wide: unmatched payments belong to no org unit yet
      orgUnitPath: null,
      after: {
        channel: input.channel,
        file_name: input.fileName,
        sha256,
        from: file.from,
        to: file.to,
        ...counts,
      },
    });
    return { batchId, lines, skipped: file.skipped };
  });
}

/** Finds the contract of every line, loading the candidates for the whole file at once. */
async function matchLines(
  trx: Transaction<DB>,
  tenantId: bigint,
  lines: readonly RegistryLine[],
): Promise<Map<number, ContractMatch>> {
  const numbers = [
    ...new Set(lines.flatMap((l) => lookupNumbers({ account: l.account, purpose: l.purpose }))),
  ];
  const inns = [
    ...new Set(lines.flatMap((l) => (l.payerInn && /^[0-9]{9}$/.test(l.payerInn) ? [l.payerInn] : []))),
  ];
  const directory = contractDirectory(await contractsForMatching(trx, { tenantId, numbers, inns }));
  return new Map(
    lines.map((l) => [
      l.line,
      matchContract({ account: l.account, purpose: l.purpose, payerInn: l.payerInn }, directory),
    ]),
  );
}

function matchOf(matches: Map<number, ContractMatch>, l: RegistryLine): ContractMatch {
  return matches.get(l.line) ?? { kind: 'unmatched', reason: 'none', candidates: [] };
}

/** What the payer wrote: a bank document's purpose, or a post registry's account column. */
function purposeOf(l: RegistryLine): string | null {
  return l.purpose ?? l.account;
}

function lineRow(r: ImportedLine, l: RegistryLine | undefined): LineInsert {
  return {
    line: r.line,
    externalId: r.externalId,
    paidOn: r.paidOn,
    amount: r.amount,
    account: l?.account ?? null,
    payer: r.payer,
    payerInn: l?.payerInn ?? null,
    purpose: l?.purpose ?? null,
    outcome: r.outcome,
    matchedBy: r.matchedBy,
    paymentId: r.paymentId,
  };
}
