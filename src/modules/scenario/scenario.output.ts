import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';
import { lastDay, type Period } from '../../domain/period.ts';
import { formatPrice, price } from '../../domain/price.ts';
import { formatQuantity, milli } from '../../domain/quantity.ts';
import type { ScenarioWorld } from './scenario.setup.ts';

/** A bill line in the scenario output (absent fields are left out). */
export type OutputLine = {
  kind: string;
  basis?: string;
  register?: string;
  for_period?: string;
  quantity?: string;
  price?: string;
  amount: string;
};

/** One closed period of an account. */
export type OutputPeriod = {
  period: string;
  charges: string;
  payments: string;
  closing_balance: string;
  lines: OutputLine[];
};

/** One account of the output. */
export type OutputAccount = { account: string; balance: string; periods: OutputPeriod[] };

/** Builds the §12 output from the database: every closed period of every account. */
export async function buildOutput(db: Kysely<DB>, world: ScenarioWorld): Promise<OutputAccount[]> {
  const closed = await db
    .selectFrom('billing_period')
    .select('period')
    .where('tenant_id', '=', world.tenantId)
    .where('status', '=', 'closed')
    .orderBy('period')
    .execute();
  const out: OutputAccount[] = [];
  for (const [account, { contractId }] of world.accounts) {
    const lines = await db
      .selectFrom('bill_line as l')
      .innerJoin('bill as b', 'b.id', 'l.bill_id')
      .select([
        'b.period',
        'l.kind',
        'l.basis',
        'l.obis',
        'l.for_period',
        'l.quantity',
        'l.price',
        'l.amount',
      ])
      .where('b.contract_id', '=', contractId)
      .orderBy('b.period')
      .orderBy('l.seq')
      .execute();
    // Payments count at their date; a reversal counts negative at its own date.
    const moves = await db
      .selectFrom('payment')
      .select(['paid_on', 'amount', 'reversed_on'])
      .where('contract_id', '=', contractId)
      .execute();
    const paidBetween = (from: string, to: string) =>
      moves.reduce(
        (a, m) =>
          a +
          (m.paid_on >= from && m.paid_on <= to ? m.amount : 0n) -
          (m.reversed_on && m.reversed_on >= from && m.reversed_on <= to ? m.amount : 0n),
        0n,
      );
    let charged = 0n;
    const periods: OutputPeriod[] = closed.map(({ period }) => {
      const own = lines.filter((l) => l.period === period);
      const charges = own.reduce((a, l) => a + l.amount, 0n);
      charged += charges;
      return {
        period,
        charges: formatMoney(tiyin(charges)),
        payments: formatMoney(tiyin(paidBetween(`${period}-01`, lastDay(period as Period)))),
        closing_balance: formatMoney(tiyin(charged - paidBetween('0000-01-01', lastDay(period as Period)))),
        lines: own.map((l) => ({
          kind: l.kind,
          ...(l.basis ? { basis: l.basis } : {}),
          ...(l.obis ? { register: l.obis } : {}),
          ...(l.for_period ? { for_period: l.for_period } : {}),
          ...(l.quantity !== null ? { quantity: formatQuantity(milli(l.quantity)) } : {}),
          ...(l.price !== null ? { price: formatPrice(price(l.price)) } : {}),
          amount: formatMoney(tiyin(l.amount)),
        })),
      };
    });
    const allCharges = lines.reduce((a, l) => a + l.amount, 0n);
    out.push({
      account,
      balance: formatMoney(tiyin(allCharges - paidBetween('0000-01-01', '9999-12-31'))),
      periods,
    });
  }
  return out;
}

/** Differences between the output and `expect` (fields of §12), as readable strings. */
export function compareWithExpect(
  result: { accounts: OutputAccount[]; rejected: unknown[] },
  expect: unknown,
): string[] {
  const diffs: string[] = [];
  const e = (expect ?? {}) as { rejected?: number; accounts?: Partial<OutputAccount>[] };
  if (e.rejected !== undefined && e.rejected !== result.rejected.length) {
    diffs.push(`rejected: expected ${e.rejected}, got ${result.rejected.length}`);
  }
  for (const ea of e.accounts ?? []) {
    const a = result.accounts.find((x) => x.account === ea.account);
    if (!a) {
      diffs.push(`account ${ea.account}: missing`);
      continue;
    }
    if (ea.balance !== undefined && ea.balance !== a.balance)
      diffs.push(`${a.account} balance: expected ${ea.balance}, got ${a.balance}`);
    for (const ep of ea.periods ?? []) {
      const p = a.periods.find((x) => x.period === ep.period);
      if (!p) {
        diffs.push(`${a.account} ${ep.period}: period missing`);
        continue;
      }
      for (const key of ['charges', 'payments', 'closing_balance'] as const) {
        if (ep[key] !== undefined && ep[key] !== p[key])
          diffs.push(`${a.account} ${p.period} ${key}: expected ${ep[key]}, got ${p[key]}`);
      }
      if (ep.lines) {
        const key = (l: Partial<OutputLine>) =>
          JSON.stringify([l.kind, l.for_period ?? null, l.quantity ?? null, l.amount]);
        const want = ep.lines.map(key).sort();
        const got = p.lines.map(key).sort();
        if (JSON.stringify(want) !== JSON.stringify(got)) {
          diffs.push(`${a.account} ${p.period} lines: expected ${want.join(' ')}, got ${got.join(' ')}`);
        }
      }
    }
  }
  return diffs;
}
