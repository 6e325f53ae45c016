import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { formatMoney, type Tiyin, tiyin } from '../../../domain/money.ts';
import type { RegistryLine } from '../../../domain/payment-file.ts';
import { reconcile } from '../../../domain/payment-reconciliation.ts';
import type { LocalDate } from '../../../domain/period.ts';
import { paymentsByExternalId } from './imports.repository.ts';
import type { FileChannel } from './payment-file-reader.ts';

/** A registry line as the reconciliation shows it. */
type RegistryEntry = {
  externalId: string;
  amount: Tiyin;
  line: number;
  batchId: bigint | null;
  account: string | null;
  payer: string | null;
  purpose: string | null;
};

/** A payment booked on the channel that day. */
type BookedEntry = {
  externalId: string;
  amount: Tiyin;
  paymentId: bigint;
  contractNumber: string | null;
  payer: string | null;
};

/** A sum as the API writes it ("1234.56") and its count. */
export type TallyView = { count: number; amount: string };

/** The reconciliation of one channel and day, as JSON and as the XLSX workbook's source. */
export type ReconciliationView = {
  channel: FileChannel;
  date: string;
  /** The registry compared: the imported batches' lines of that day, or an uploaded file. */
  source: 'imports' | 'file';
  batches: { id: string; fileName: string }[];
  summary: {
    registry: TallyView;
    booked: TallyView;
    matched: TallyView;
    missing: TallyView;
    extra: TallyView;
    differentAmount: { count: number; registryAmount: string; bookedAmount: string };
  };
  matched: {
    externalId: string;
    batchId: string | null;
    line: number;
    account: string | null;
    payer: string | null;
    amount: string;
    paymentId: string;
    contractNumber: string | null;
  }[];
  differentAmount: {
    externalId: string;
    batchId: string | null;
    line: number;
    account: string | null;
    payer: string | null;
    registryAmount: string;
    bookedAmount: string;
    difference: string;
    paymentId: string;
    contractNumber: string | null;
  }[];
  missing: {
    externalId: string;
    batchId: string | null;
    line: number;
    account: string | null;
    payer: string | null;
    purpose: string | null;
    amount: string;
    /** The payment under that external id when there is one: unmatched (in the queue) or reversed. */
    payment: { id: string; status: string } | null;
  }[];
  extra: {
    externalId: string;
    paymentId: string;
    contractNumber: string | null;
    payer: string | null;
    amount: string;
  }[];
};

/**
 * Reconciles a channel's registry for `date` with the payments booked on that channel for that
 * date (R5): the registry is the given file's lines of that date, or else the lines of every
 * batch imported for that date (a payment in two overlapping statements counts once).
 */
export async function reconcileChannelDay(
  db: Kysely<DB>,
  q: { tenantId: bigint; channel: FileChannel; date: LocalDate; file?: { lines: readonly RegistryLine[] } },
): Promise<ReconciliationView> {
  const fromImports = q.file === undefined ? await importedLines(db, q) : null;
  const registry: RegistryEntry[] =
    fromImports?.lines ??
    (q.file?.lines ?? [])
      .filter((l) => l.paidOn === q.date)
      .map((l) => ({
        externalId: l.externalId,
        amount: l.amount,
        line: l.line,
        batchId: null,
        account: l.account,
        payer: l.payer,
        purpose: l.purpose,
      }));
  const bookedRows = await db
    .selectFrom('payment as p')
    .leftJoin('contract as k', 'k.id', 'p.contract_id')
    .select(['p.id', 'p.external_id', 'p.amount', 'p.payer', 'k.number'])
    .where('p.tenant_id', '=', q.tenantId)
    .where('p.channel', '=', q.channel)
    .where('p.paid_on', '=', q.date)
    .where('p.status', '=', 'booked')
    .orderBy('p.id')
    .execute();
  const booked: BookedEntry[] = bookedRows.map((p) => ({
    externalId: p.external_id,
    amount: tiyin(p.amount),
    paymentId: p.id,
    contractNumber: p.number,
    payer: p.payer,
  }));
  const result = reconcile(registry, booked);
  const others = await paymentsByExternalId(db, {
    tenantId: q.tenantId,
    channel: q.channel,
    externalIds: result.missing.map((m) => m.externalId),
  });
  const money = (t: Tiyin) => formatMoney(t);
  const t = result.totals;
  return {
    channel: q.channel,
    date: q.date,
    source: q.file === undefined ? 'imports' : 'file',
    batches: fromImports?.batches ?? [],
    summary: {
      registry: { count: t.registry.count, amount: money(t.registry.amount) },
      booked: { count: t.booked.count, amount: money(t.booked.amount) },
      matched: { count: t.matched.count, amount: money(t.matched.amount) },
      missing: { count: t.missing.count, amount: money(t.missing.amount) },
      extra: { count: t.extra.count, amount: money(t.extra.amount) },
      differentAmount: {
        count: t.differentAmount.count,
        registryAmount: money(t.differentAmount.registry),
        bookedAmount: money(t.differentAmount.booked),
      },
    },
    matched: result.matched.map(({ registry: r, booked: b }) => ({
      externalId: r.externalId,
      batchId: batchOf(r),
      line: r.line,
      account: r.account,
      payer: r.payer ?? b.payer,
      amount: money(r.amount),
      paymentId: String(b.paymentId),
      contractNumber: b.contractNumber,
    })),
    differentAmount: result.differentAmount.map(({ registry: r, booked: b, difference }) => ({
      externalId: r.externalId,
      batchId: batchOf(r),
      line: r.line,
      account: r.account,
      payer: r.payer ?? b.payer,
      registryAmount: money(r.amount),
      bookedAmount: money(b.amount),
      difference: money(difference),
      paymentId: String(b.paymentId),
      contractNumber: b.contractNumber,
    })),
    missing: result.missing.map((r) => {
      const p = others.get(r.externalId);
      return {
        externalId: r.externalId,
        batchId: batchOf(r),
        line: r.line,
        account: r.account,
        payer: r.payer,
        purpose: r.purpose,
        amount: money(r.amount),
        payment: p ? { id: String(p.id), status: p.status } : null,
      };
    }),
    extra: result.extra.map((b) => ({
      externalId: b.externalId,
      paymentId: String(b.paymentId),
      contractNumber: b.contractNumber,
      payer: b.payer,
      amount: money(b.amount),
    })),
  };
}

function batchOf(r: RegistryEntry): string | null {
  return r.batchId === null ? null : String(r.batchId);
}

/** The registry lines of `date` from every batch of the channel, first batch first. */
async function importedLines(
  db: Kysely<DB>,
  q: { tenantId: bigint; channel: FileChannel; date: LocalDate },
): Promise<{ lines: RegistryEntry[]; batches: { id: string; fileName: string }[] }> {
  const rows = await db
    .selectFrom('import_line as l')
    .innerJoin('import_batch as b', 'b.id', 'l.batch_id')
    .select([
      'l.external_id',
      'l.amount',
      'l.line',
      'l.batch_id',
      'l.account',
      'l.payer',
      'l.purpose',
      'b.file_name',
    ])
    .where('b.tenant_id', '=', q.tenantId)
    .where('b.channel', '=', q.channel)
    .where('l.paid_on', '=', q.date)
    .orderBy('l.batch_id')
    .orderBy('l.line')
    .execute();
  const batches = new Map(rows.map((r) => [r.batch_id, r.file_name]));
  return {
    lines: rows.map((r) => ({
      externalId: r.external_id,
      amount: tiyin(r.amount),
      line: r.line,
      batchId: r.batch_id,
      account: r.account,
      payer: r.payer,
      purpose: r.purpose,
    })),
    batches: [...batches].map(([id, fileName]) => ({ id: String(id), fileName })),
  };
}
