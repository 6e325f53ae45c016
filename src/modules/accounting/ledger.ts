import { type Kysely, sql, type Transaction } from 'kysely';
import { pgArray } from '../../db/arrays.ts';
import type { DB } from '../../db/schema.ts';
import { type LocalDate, lastDay, type Period } from '../../domain/period.ts';

// Double-entry postings of hisob's money movements (decision 016). Each posting is the ledger_entry
// rows sharing one txn_id, written in the transaction of the movement; a deferred trigger refuses a
// commit whose posting does not balance. Amounts are bigint tiyin; a row is a debit or a credit.
//
// The split between receivables (4010) and advances received (6310) follows what the ledger has
// recognised: a bill is in 4010 from its period's close on, so money allocated to a line of an
// open period stays an advance until that period closes (then the close moves it: Dr 6310 / Cr
// 4010). For every contract, (4010 debit − credit) − (6310 credit − debit) = the charges of its
// closed periods − its payments, which is the cabinet's balance once no open period has charges.

/** Receivables from buyers and customers (NAS 21). */
export const RECEIVABLES = '4010';
/** Advances received from buyers and customers (NAS 21). */
export const ADVANCES = '6310';
/** Payments due to the budget: VAT (NAS 21). */
export const VAT_PAYABLE = '6410';
/** Other liabilities (NAS 21): receipts not yet matched to a contract. */
export const SUSPENSE = '6990';

/**
 * Posts the bills of period P at its close, dated P's last day: per bill Dr 4010 its total, Cr the
 * revenue account of each line kind its amount net of VAT, Cr 6410 the VAT (negative lines mirror).
 * Then moves the payments allocated to P's lines while P was open from advances to receivables.
 * Two set-based statements per close, whatever the number of bills.
 */
export async function postPeriodClose(
  trx: Transaction<DB>,
  input: { tenantId: bigint; period: Period },
): Promise<void> {
  const { tenantId, period } = input;
  const on = lastDay(period);
  await sql`
    with lines as materialized (
      select b.id as bill_id, b.contract_id, m.revenue_code, l.amount,
             case when m.with_vat then l.vat else 0 end as vat
        from bill b
        join bill_line l on l.bill_id = b.id
        join ledger_line_account m on m.kind = l.kind
       where b.tenant_id = ${tenantId} and b.period = ${period}
    ), nets as (
      select bill_id, contract_id, ${RECEIVABLES}::text as code, sum(amount) as net
        from lines group by bill_id, contract_id
      union all
      select bill_id, contract_id, revenue_code, -sum(amount - vat)
        from lines group by bill_id, contract_id, revenue_code
      union all
      select bill_id, contract_id, ${VAT_PAYABLE}::text, -sum(vat)
        from lines group by bill_id, contract_id
    )
    insert into ledger_entry (tenant_id, txn_id, posted_on, account_code, contract_id, debit, credit, source, source_id, memo)
    select ${tenantId}, md5('bill:' || bill_id)::uuid, ${on}::date, code, contract_id,
           greatest(net, 0), greatest(-net, 0), 'bill', bill_id, ${`Bill ${period}`}
      from nets where net <> 0`.execute(trx);
  await sql`
    with moved as (
      select b.contract_id, greatest(a.allocated_on, ${on}::date) as posted_on, sum(a.amount) as amount
        from bill b
        join bill_line l on l.bill_id = b.id
        join allocation a on a.bill_line_id = l.id
       where b.tenant_id = ${tenantId} and b.period = ${period} and a.payment_id is not null
       group by 1, 2
      having sum(a.amount) <> 0
    )
    insert into ledger_entry (tenant_id, txn_id, posted_on, account_code, contract_id, debit, credit, source, source_id, memo)
    select ${tenantId}, md5('advance:' || ${period} || ':' || m.contract_id || ':' || m.posted_on)::uuid,
           m.posted_on, x.code, m.contract_id, greatest(x.net, 0), greatest(-x.net, 0), 'advance', null,
           ${`Advances applied to bills of ${period}`}
      from moved m
      cross join lateral (values (${ADVANCES}::text, m.amount), (${RECEIVABLES}::text, -m.amount)) as x(code, net)`.execute(
    trx,
  );
}

/**
 * Posts a payment booked (Dr the channel's money account / Cr 4010 what it settled of recognised
 * bills, Cr 6310 the rest) or reversed (the mirror, dated the reversal day). What counts as settled
 * is the contract's payments allocated to lines of closed periods less what the ledger already
 * moved to receivables, so a posting also catches up anything an earlier one could not see.
 */
export async function postPaymentMovement(
  trx: Transaction<DB>,
  input: {
    paymentId: bigint;
    movement: 'book' | 'reverse';
    on: LocalDate;
    /** A receipt matched now: its money is on 6990 since it arrived (postUnmatchedReceived). */
    fromSuspense?: boolean;
  },
): Promise<void> {
  const payment = await trx
    .selectFrom('payment as p')
    .innerJoin('payment_channel as c', 'c.code', 'p.channel')
    .leftJoin('ledger_channel_account as m', 'm.channel_kind', 'c.kind')
    .select(['p.id', 'p.tenant_id', 'p.contract_id', 'p.amount', 'p.channel', 'm.account_code'])
    .where('p.id', '=', input.paymentId)
    .executeTakeFirstOrThrow();
  if (payment.contract_id === null) return;
  const contractId = payment.contract_id;
  // The contract's allocations first (materialized), then their lines: never a walk over every
  // closed bill (see postPaymentsBooked).
  const settled = await sql<{ applied: string; posted: string }>`
    with qa as materialized (
      select a.amount, a.bill_line_id
        from payment p
        join allocation a on a.payment_id = p.id
       where p.contract_id = ${contractId}
    )
    select
      (select coalesce(sum(qa.amount), 0)
         from qa
         join bill_line l on l.id = qa.bill_line_id
         join bill b on b.id = l.bill_id
         join billing_period bp on bp.tenant_id = b.tenant_id and bp.period = b.period and bp.status = 'closed')::text as applied,
      (select coalesce(sum(e.credit - e.debit), 0)
         from ledger_entry e
        where e.contract_id = ${contractId} and e.account_code = ${RECEIVABLES}
          and e.source in ('payment', 'reversal', 'advance'))::text as posted`.execute(trx);
  const row = settled.rows[0];
  const delta = BigInt(row?.applied ?? '0') - BigInt(row?.posted ?? '0');
  const money = input.fromSuspense ? SUSPENSE : (payment.account_code ?? '5710');
  // Signed credits: a negative amount is a debit.
  const cash = input.movement === 'book' ? -payment.amount : payment.amount;
  const rows = [
    { code: money, credit: cash },
    { code: RECEIVABLES, credit: delta },
    { code: ADVANCES, credit: -cash - delta },
  ].filter((r) => r.credit !== 0n);
  const source = input.movement === 'book' ? 'payment' : 'reversal';
  const memo = input.fromSuspense
    ? `Unidentified receipt ${payment.channel} matched`
    : `${input.movement === 'book' ? 'Payment' : 'Reversal of payment'} ${payment.channel}`;
  await trx
    .insertInto('ledger_entry')
    .values(
      rows.map((r) => ({
        tenant_id: payment.tenant_id,
        txn_id: sql<string>`md5(${`${source}:${payment.id}`})::uuid`,
        posted_on: input.on,
        account_code: r.code,
        contract_id: contractId,
        debit: r.credit < 0n ? -r.credit : 0n,
        credit: r.credit > 0n ? r.credit : 0n,
        source,
        source_id: payment.id,
        memo,
      })),
    )
    .execute();
}

/**
 * Posts receipts no contract was found for (a registry's unmatched lines), dated the day they were
 * paid: Dr the channel's money account / Cr 6990. Matching one later moves it to the contract
 * (postPaymentMovement with fromSuspense). One statement for the batch.
 */
export async function postUnmatchedReceived(
  trx: Transaction<DB>,
  paymentIds: readonly bigint[],
): Promise<void> {
  if (paymentIds.length === 0) return;
  await sql`
    insert into ledger_entry (tenant_id, txn_id, posted_on, account_code, contract_id, debit, credit, source, source_id, memo)
    select p.tenant_id, md5('unmatched:' || p.id)::uuid, p.paid_on, x.code, null, x.debit, x.credit, 'unmatched', p.id,
           'Unidentified receipt ' || p.channel
      from unnest(${pgArray(paymentIds)}::bigint[]) as i(id)
      join payment p on p.id = i.id and p.status = 'unmatched'
      join payment_channel c on c.code = p.channel
      left join ledger_channel_account m on m.channel_kind = c.kind
     cross join lateral (values (coalesce(m.account_code, '5710'), p.amount, 0::bigint),
                                (${SUSPENSE}::text, 0::bigint, p.amount)) as x(code, debit, credit)`.execute(
    trx,
  );
}

/**
 * The ledger's net receivable of each contract in tiyin: 4010 debit − credit less the 6310 credit
 * balance; positive is the consumer's debt. Used by the invariant tests and the analytic turnover.
 */
export async function ledgerBalances(db: Kysely<DB>, tenantId: bigint): Promise<Map<bigint, bigint>> {
  const rows = await sql<{ contract_id: bigint; net: string }>`
    select contract_id, sum(debit - credit)::text as net
      from ledger_entry
     where tenant_id = ${tenantId} and contract_id is not null and account_code in (${RECEIVABLES}, ${ADVANCES})
     group by contract_id`.execute(db);
  return new Map(rows.rows.map((r) => [BigInt(r.contract_id), BigInt(r.net)]));
}

/**
 * Posts payments booked outside `bookPayment` in bulk (the demo's set-based registry), as
 * `postPaymentMovement` would one by one: one statement; a contract's first payment of the batch
 * carries what the batch settled of its recognised bills.
 */
export async function postPaymentsBooked(trx: Transaction<DB>, paymentIds: readonly bigint[]): Promise<void> {
  if (paymentIds.length === 0) return;
  await sql`
    with p as (
      select p.id, p.tenant_id, p.contract_id, p.amount, p.paid_on, p.channel,
             coalesce(m.account_code, '5710') as money,
             row_number() over (partition by p.contract_id order by p.id) as rn
        from unnest(${pgArray(paymentIds)}::bigint[]) as i(id)
        join payment p on p.id = i.id
        join payment_channel c on c.code = p.channel
        left join ledger_channel_account m on m.channel_kind = c.kind
       where p.contract_id is not null and p.status = 'booked'
    ), k as (
      select distinct contract_id from p
    ), qa as materialized (
      -- The batch's contracts' allocations first: correlated per-contract subqueries let the
      -- planner walk every closed bill once per contract (minutes on the demo).
      select q.contract_id, a.amount, a.bill_line_id
        from k
        join payment q on q.contract_id = k.contract_id
        join allocation a on a.payment_id = q.id
    ), applied as (
      select qa.contract_id, sum(qa.amount) as s
        from qa
        join bill_line l on l.id = qa.bill_line_id
        join bill b on b.id = l.bill_id
       where exists (select 1 from billing_period bp
                      where bp.tenant_id = b.tenant_id and bp.period = b.period and bp.status = 'closed')
       group by qa.contract_id
    ), posted as (
      select e.contract_id, sum(e.credit - e.debit) as s
        from ledger_entry e
       where e.contract_id in (select contract_id from k) and e.account_code = ${RECEIVABLES}
         and e.source in ('payment', 'reversal', 'advance')
       group by e.contract_id
    ), d as (
      select k.contract_id, coalesce(applied.s, 0) - coalesce(posted.s, 0) as delta
        from k
        left join applied on applied.contract_id = k.contract_id
        left join posted on posted.contract_id = k.contract_id
    ), r as (
      select p.*, case when p.rn = 1 then d.delta else 0 end as delta from p join d on d.contract_id = p.contract_id
    )
    insert into ledger_entry (tenant_id, txn_id, posted_on, account_code, contract_id, debit, credit, source, source_id, memo)
    select r.tenant_id, md5('payment:' || r.id)::uuid, r.paid_on, x.code, r.contract_id,
           greatest(-x.credit, 0), greatest(x.credit, 0), 'payment', r.id, 'Payment ' || r.channel
      from r
      cross join lateral (values (r.money, -r.amount), (${RECEIVABLES}::text, r.delta),
                                 (${ADVANCES}::text, r.amount - r.delta)) as x(code, credit)
     where x.credit <> 0`.execute(trx);
}
