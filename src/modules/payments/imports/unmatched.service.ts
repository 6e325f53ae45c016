import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { formatMoney, tiyin } from '../../../domain/money.ts';
import type { Actor } from '../../audit/audit.ts';
import { matchPayment } from '../payments.service.ts';
import type { FileChannel } from './payment-file-reader.ts';

/** A payment waiting in the unmatched queue. */
export type UnmatchedView = {
  id: string;
  channel: string;
  externalId: string;
  amount: string;
  paidOn: string;
  payer: string | null;
  purpose: string | null;
  receivedAt: string;
  batch: { id: string; fileName: string } | null;
};

/** The unmatched bank and post payments of the supplier, oldest first (they wait longest). */
export async function listUnmatched(
  db: Kysely<DB>,
  q: { tenantId: bigint; channel?: FileChannel | undefined; limit: number; offset: number },
): Promise<{ items: UnmatchedView[]; total: number }> {
  let base = db
    .selectFrom('payment as p')
    .where('p.tenant_id', '=', q.tenantId)
    .where('p.status', '=', 'unmatched');
  if (q.channel) base = base.where('p.channel', '=', q.channel);
  const [rows, count] = await Promise.all([
    base
      .leftJoin('import_batch as b', 'b.id', 'p.import_batch_id')
      .select([
        'p.id',
        'p.channel',
        'p.external_id',
        'p.amount',
        'p.paid_on',
        'p.payer',
        'p.purpose',
        'p.received_at',
        'b.id as batch_id',
        'b.file_name',
      ])
      .orderBy('p.paid_on')
      .orderBy('p.id')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      id: String(r.id),
      channel: r.channel,
      externalId: r.external_id,
      amount: formatMoney(tiyin(r.amount)),
      paidOn: r.paid_on,
      payer: r.payer,
      purpose: r.purpose,
      receivedAt: new Date(r.received_at).toISOString(),
      batch: r.batch_id === null ? null : { id: String(r.batch_id), fileName: r.file_name ?? '' },
    })),
  };
}

/** The result of matching: the payment now booked, and how much of it covered open items. */
export type MatchedView = {
  payment: { id: string; status: 'booked'; contractNumber: string; amount: string; paidOn: string };
  allocated: string;
};

/** Books an unmatched payment to the contract (see matchPayment), in its own transaction. */
export async function matchUnmatchedPayment(
  db: Kysely<DB>,
  actor: Actor,
  m: { tenantId: bigint; paymentId: bigint; contract: { id: bigint; number: string } },
): Promise<MatchedView> {
  return db.transaction().execute(async (trx) => {
    const booked = await matchPayment(trx, actor, {
      tenantId: m.tenantId,
      paymentId: m.paymentId,
      contractId: m.contract.id,
    });
    const p = await trx
      .selectFrom('payment')
      .select(['id', 'amount', 'paid_on'])
      .where('id', '=', booked.paymentId)
      .executeTakeFirstOrThrow();
    return {
      payment: {
        id: String(p.id),
        status: 'booked',
        contractNumber: m.contract.number,
        amount: formatMoney(tiyin(p.amount)),
        paidOn: p.paid_on,
      },
      allocated: formatMoney(booked.allocated),
    };
  });
}
