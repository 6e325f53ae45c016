import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';
import { firstDay, lastDay, type Period } from '../../domain/period.ts';

// Turnover of the ledger for a period and an org unit (R15, decision 016): "analytic" per account
// code × contract (with the consumer's INN) and "synthetic" per account code. The synthetic
// balances are the sums of the analytic ones, debit and credit apart (an expanded balance, as
// 1C's trial balance shows an account kept per counterparty), so the two always tie out.

/** One line of the analytic turnover, in tiyin. */
export type AnalyticRow = {
  account: string;
  contractId: bigint;
  contract: string;
  consumer: string;
  inn: string | null;
  openingDebit: bigint;
  openingCredit: bigint;
  debit: bigint;
  credit: bigint;
  closingDebit: bigint;
  closingCredit: bigint;
};

/** One line of the synthetic turnover, in tiyin. */
export type SyntheticRow = Omit<AnalyticRow, 'contractId' | 'contract' | 'consumer' | 'inn'> & {
  name: string;
};

const side = (net: bigint) => ({ debit: net > 0n ? net : 0n, credit: net < 0n ? -net : 0n });

/** The analytic turnover of the contracts under `unitPath` (within the caller's `paths`). */
export async function analyticTurnover(
  db: Kysely<DB>,
  q: { tenantId: bigint; period: Period; unitPath: string; paths: readonly string[] },
): Promise<AnalyticRow[]> {
  const from = firstDay(q.period);
  const rows = await sql<{
    account_code: string;
    contract_id: bigint;
    number: string;
    name: string;
    inn: string | null;
    opening: string;
    debit: string;
    credit: string;
  }>`
    select e.account_code, e.contract_id, k.number, c.name, c.inn,
           sum(case when e.posted_on < ${from}::date then e.debit - e.credit else 0 end)::text as opening,
           sum(case when e.posted_on >= ${from}::date then e.debit else 0 end)::text as debit,
           sum(case when e.posted_on >= ${from}::date then e.credit else 0 end)::text as credit
      from ledger_entry e
      join contract k on k.id = e.contract_id
      join consumer c on c.id = k.consumer_id
      join org_unit ou on ou.id = k.org_unit_id
     where e.tenant_id = ${q.tenantId} and e.posted_on <= ${lastDay(q.period)}::date
       and ou.path like ${`${q.unitPath}%`} and ${inScope('ou.path', q.paths)}
     group by e.account_code, e.contract_id, k.number, c.name, c.inn
     order by e.account_code, k.number`.execute(db);
  return rows.rows.map((r) => {
    const opening = BigInt(r.opening);
    const debit = BigInt(r.debit);
    const credit = BigInt(r.credit);
    const o = side(opening);
    const c = side(opening + debit - credit);
    return {
      account: r.account_code,
      contractId: BigInt(r.contract_id),
      contract: r.number,
      consumer: r.name,
      inn: r.inn,
      openingDebit: o.debit,
      openingCredit: o.credit,
      debit,
      credit,
      closingDebit: c.debit,
      closingCredit: c.credit,
    };
  });
}

/** The synthetic turnover: the analytic rows summed per account code, with the accounts' names. */
export async function syntheticTurnover(
  db: Kysely<DB>,
  analytic: readonly AnalyticRow[],
): Promise<SyntheticRow[]> {
  const names = new Map(
    (await db.selectFrom('ledger_account').select(['code', 'name']).execute()).map((a) => [a.code, a.name]),
  );
  const out = new Map<string, SyntheticRow>();
  for (const r of analytic) {
    const s = out.get(r.account) ?? {
      account: r.account,
      name: names.get(r.account) ?? '',
      openingDebit: 0n,
      openingCredit: 0n,
      debit: 0n,
      credit: 0n,
      closingDebit: 0n,
      closingCredit: 0n,
    };
    s.openingDebit += r.openingDebit;
    s.openingCredit += r.openingCredit;
    s.debit += r.debit;
    s.credit += r.credit;
    s.closingDebit += r.closingDebit;
    s.closingCredit += r.closingCredit;
    out.set(r.account, s);
  }
  return [...out.values()].sort((a, b) => (a.account < b.account ? -1 : 1));
}

/** Money of a turnover row as the API writes it ("1234.56"). */
export function moneyView<R extends Omit<SyntheticRow, 'name' | 'account'>>(r: R) {
  const m = (t: bigint) => formatMoney(tiyin(t));
  return {
    openingDebit: m(r.openingDebit),
    openingCredit: m(r.openingCredit),
    debit: m(r.debit),
    credit: m(r.credit),
    closingDebit: m(r.closingDebit),
    closingCredit: m(r.closingCredit),
  };
}

/** One posting of the period as a debit/credit pair, the shape 1C's operations take. */
export type PostingPair = {
  date: string;
  debit: string;
  credit: string;
  amount: bigint;
  contract: string;
  inn: string | null;
  consumer: string;
  memo: string;
};

/**
 * The period's postings under the unit as debit/credit pairs: within each posting (one txn_id,
 * one contract) its debit rows are matched with its credit rows in order, splitting amounts.
 */
export async function postingPairs(
  db: Kysely<DB>,
  q: { tenantId: bigint; period: Period; unitPath: string; paths: readonly string[] },
): Promise<PostingPair[]> {
  const rows = await sql<{
    txn_id: string;
    posted_on: string;
    account_code: string;
    debit: bigint;
    credit: bigint;
    memo: string | null;
    number: string;
    name: string;
    inn: string | null;
  }>`
    select e.txn_id::text, e.posted_on::text, e.account_code, e.debit, e.credit, e.memo, k.number, c.name, c.inn
      from ledger_entry e
      join contract k on k.id = e.contract_id
      join consumer c on c.id = k.consumer_id
      join org_unit ou on ou.id = k.org_unit_id
     where e.tenant_id = ${q.tenantId} and e.posted_on between ${firstDay(q.period)}::date and ${lastDay(q.period)}::date
       and ou.path like ${`${q.unitPath}%`} and ${inScope('ou.path', q.paths)}
     order by e.posted_on, k.number, e.txn_id, e.id`.execute(db);
  const out: PostingPair[] = [];
  let i = 0;
  while (i < rows.rows.length) {
    const txn = rows.rows[i]?.txn_id;
    const group = [];
    while (i < rows.rows.length && rows.rows[i]?.txn_id === txn) group.push(rows.rows[i++]);
    const debits = group.flatMap((r) => (r && BigInt(r.debit) > 0n ? [{ r, left: BigInt(r.debit) }] : []));
    const credits = group.flatMap((r) => (r && BigInt(r.credit) > 0n ? [{ r, left: BigInt(r.credit) }] : []));
    let d = 0;
    let c = 0;
    while (d < debits.length && c < credits.length) {
      const dr = debits[d];
      const cr = credits[c];
      if (!dr || !cr) break;
      // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.min does not take
      const amount = dr.left < cr.left ? dr.left : cr.left;
      out.push({
        date: dr.r.posted_on,
        debit: dr.r.account_code,
        credit: cr.r.account_code,
        amount,
        contract: dr.r.number,
        inn: dr.r.inn,
        consumer: dr.r.name,
        memo: dr.r.memo ?? '',
      });
      dr.left -= amount;
      cr.left -= amount;
      if (dr.left === 0n) d++;
      if (cr.left === 0n) c++;
    }
  }
  return out;
}

/** Accounts kept per counterparty and contract (their subconto in 1C). */
const ANALYTIC = new Set(['4010', '6310']);

const csvField = (v: string) => (/[";\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * The 1C exchange file (decision 016): CSV, UTF-8 with BOM, `;`-separated, CRLF, one posting pair
 * a row with the columns of the "Operation (accounting)" document's postings table as 1C's
 * universal loader from a spreadsheet document maps them. Dates dd.mm.yyyy, amounts "1234.56".
 */
export function oneCCsv(pairs: readonly PostingPair[]): Buffer {
  const head = [
    'Дата',
    'СчетДт',
    'СубконтоДт1',
    'СубконтоДт2',
    'СчетКт',
    'СубконтоКт1',
    'СубконтоКт2',
    'Сумма',
    'ИНН',
    'Содержание',
  ];
  const lines = [head.join(';')];
  for (const p of pairs) {
    const [y, m, d] = p.date.split('-');
    lines.push(
      [
        `${d}.${m}.${y}`,
        p.debit,
        ANALYTIC.has(p.debit) ? p.consumer : '',
        ANALYTIC.has(p.debit) ? p.contract : '',
        p.credit,
        ANALYTIC.has(p.credit) ? p.consumer : '',
        ANALYTIC.has(p.credit) ? p.contract : '',
        formatMoney(tiyin(p.amount)),
        p.inn ?? '',
        p.memo,
      ]
        .map(csvField)
        .join(';'),
    );
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}
