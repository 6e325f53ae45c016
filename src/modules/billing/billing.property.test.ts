import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/db.ts';
import type { DB } from '../../db/schema.ts';
import { isAppError } from '../../domain/errors.ts';
import { orderEvents, runEvent, type ScenarioEvent } from '../scenario/scenario.events.ts';
import { buildOutput } from '../scenario/scenario.output.ts';
import { ZScenario } from '../scenario/scenario.schemas.ts';
import { setUpScenario } from '../scenario/scenario.setup.ts';

// Random months of readings, payments (with repeats and conflicting repeats), reversals and
// closes, through the real services and database; then the money invariants of billing-rules §8–§9.

const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05'];
const LAST = ['31', '28', '31', '30', '31'];
const IDS = ['P1', 'P2', 'P3', 'P4', 'P5'];

const scenario = ZScenario.parse({
  scenario: 'property',
  tariffs: [
    { code: 'T', commodity: 'electricity', unit: 'kWh', versions: [{ from: '2025-01-01', price: '900.00' }] },
  ],
  accounts: [
    {
      account: 'A',
      name: 'Plain LLC',
      inn: '301000001',
      category: 'legal',
      tariff: 'T',
      contract_volume: '300',
      meters: [
        { serial: 'MA', digits: 6, multiplier: 1, installed: '2024-12-31', registers: { '1.8.0': '0.00' } },
      ],
    },
    {
      account: 'B',
      name: 'Special JSC',
      inn: '301000002',
      category: 'legal',
      tariff: 'T',
      special_supply: true,
      contract_volume: '200',
      estimation: 'average_daily',
      meters: [
        { serial: 'MB', digits: 6, multiplier: 2, installed: '2024-12-31', registers: { '1.8.0': '0.00' } },
      ],
    },
  ],
  events: [],
});

const arbMonth = fc.record({
  readA: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: null }), // hundredths of kWh added
  readB: fc.option(fc.integer({ min: 0, max: 40_000 }), { nil: null }),
  payments: fc.array(
    fc.record({
      account: fc.constantFrom('A', 'B'),
      id: fc.constantFrom(...IDS),
      amount: fc.constantFrom('50000.00', '120000.55', '270000.00', '400000.10'),
      day: fc.integer({ min: 1, max: 28 }),
      repeat: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
  reversal: fc.option(fc.record({ id: fc.constantFrom(...IDS), day: fc.integer({ min: 1, max: 28 }) }), {
    nil: null,
  }),
});

type Month = typeof arbMonth extends fc.Arbitrary<infer T> ? T : never;

function eventsOf(months: Month[], withRepeats: boolean): ScenarioEvent[] {
  const out: ScenarioEvent[] = [];
  const meter = { A: 0, B: 0 };
  for (const [i, m] of months.entries()) {
    const month = MONTHS[i] ?? '2025-05';
    const day = (d: number) => `${month}-${String(d).padStart(2, '0')}`;
    for (const [account, add] of [
      ['A', m.readA],
      ['B', m.readB],
    ] as const) {
      if (add === null) continue;
      meter[account] += add;
      const value = `${Math.floor(meter[account] / 100)}.${String(meter[account] % 100).padStart(2, '0')}`;
      out.push({ type: 'reading', date: day(25), account, meter: `M${account}`, register: '1.8.0', value });
    }
    for (const p of m.payments) {
      const e = {
        type: 'payment',
        date: day(p.day),
        account: p.account,
        channel: 'bank',
        id: p.id,
        amount: p.amount,
      };
      out.push(e);
      if (withRepeats && p.repeat) out.push({ ...e });
    }
    if (m.reversal)
      out.push({ type: 'reversal', date: day(m.reversal.day), channel: 'bank', id: m.reversal.id });
    out.push({ type: 'close', date: `${month}-${LAST[i]}`, period: month });
  }
  return out;
}

type State = { balances: string[]; lines: string[]; allocatedPerLine: string[] };

async function run(
  events: ScenarioEvent[],
): Promise<{ db: Kysely<DB>; state: State; close(): Promise<void> }> {
  const database = await openTestDatabase();
  const db = database.db;
  const world = await setUpScenario(db, scenario);
  for (const { event } of orderEvents(events)) {
    try {
      await runEvent(db, world, event);
    } catch (e) {
      if (!isAppError(e)) throw e;
    }
  }
  const output = await buildOutput(db, world);
  const lines = await sql<{ k: string }>`
    select k.number || ' ' || b.period || ' ' || l.seq || ' ' || l.kind || ' ' || l.amount as k
      from bill_line l join bill b on b.id = l.bill_id join contract k on k.id = b.contract_id`.execute(db);
  const allocated = await sql<{ k: string }>`
    select k.number || ' ' || b.period || ' ' || l.seq || ' ' || coalesce(sum(a.amount), 0) as k
      from bill_line l join bill b on b.id = l.bill_id join contract k on k.id = b.contract_id
      left join allocation a on a.bill_line_id = l.id
     group by k.number, b.period, l.seq`.execute(db);
  return {
    db,
    state: {
      balances: output.map((a) => `${a.account} ${a.balance}`),
      lines: lines.rows.map((r) => r.k).sort(),
      allocatedPerLine: allocated.rows.map((r) => r.k).sort(),
    },
    close: database.close,
  };
}

async function assertInvariants(db: Kysely<DB>, balances: string[]): Promise<void> {
  // Balance = charges − payments (a reversed payment counts nothing overall).
  const sums = await sql<{ number: string; charges: string; paid: string }>`
    select k.number,
           coalesce((select sum(l.amount) from bill_line l join bill b on b.id = l.bill_id
                      where b.contract_id = k.id), 0)::text as charges,
           coalesce((select sum(p.amount) from payment p where p.contract_id = k.id and p.status = 'booked'), 0)::text as paid
      from contract k order by k.number`.execute(db);
  const expected = sums.rows.map((r) => {
    const t = BigInt(r.charges) - BigInt(r.paid);
    const abs = t < 0n ? -t : t;
    return `${r.number} ${t < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
  });
  expect(balances).toEqual(expected);
  // A payment never gives more than it has; a reversed one keeps nothing.
  const payments = await sql<{ amount: bigint; status: string; used: string }>`
    select p.amount, p.status, coalesce(sum(a.amount), 0)::text as used
      from payment p left join allocation a on a.payment_id = p.id group by p.id`.execute(db);
  for (const p of payments.rows) {
    expect(BigInt(p.used)).toBeGreaterThanOrEqual(0n);
    expect(BigInt(p.used)).toBeLessThanOrEqual(p.amount);
    if (p.status === 'reversed') expect(BigInt(p.used)).toBe(0n);
  }
  // An item never gets more than it owes; a credit never gives more than it is.
  const lines = await sql<{ amount: bigint; got: string; gave: string; accrued: string }>`
    select l.amount, l.penalty_accrued::text as accrued,
           coalesce((select sum(a.amount) from allocation a where a.bill_line_id = l.id), 0)::text as got,
           coalesce((select sum(a.amount) from allocation a where a.credit_line_id = l.id), 0)::text as gave
      from bill_line l`.execute(db);
  for (const l of lines.rows) {
    const got = BigInt(l.got);
    expect(got).toBeGreaterThanOrEqual(0n);
    expect(got).toBeLessThanOrEqual(l.amount > 0n ? l.amount : 0n);
    expect(BigInt(l.gave)).toBeLessThanOrEqual(l.amount < 0n ? -l.amount : 0n);
    // Penalty never exceeds the cap (50 % of at most the whole item), in 10^-9 tiyin.
    expect(BigInt(l.accrued)).toBeLessThanOrEqual((l.amount > 0n ? l.amount : 0n) * 500_000_000n);
  }
  // After a close no money lies idle while something is owed.
  const idle = await sql<{ number: string; free: string; owed: string }>`
    select k.number,
           coalesce((select sum(p.amount - coalesce((select sum(a.amount) from allocation a where a.payment_id = p.id), 0))
                       from payment p where p.contract_id = k.id and p.status = 'booked'), 0)::text as free,
           coalesce((select sum(l.amount - coalesce((select sum(a.amount) from allocation a where a.bill_line_id = l.id), 0))
                       from bill_line l join bill b on b.id = l.bill_id where b.contract_id = k.id and l.amount > 0), 0)::text as owed
      from contract k`.execute(db);
  for (const r of idle.rows) expect(BigInt(r.free) > 0n && BigInt(r.owed) > 0n, r.number).toBe(false);
}

describe('money invariants under random months (real services, real database)', () => {
  it('keeps balance = charges − payments, never over-allocates, caps penalties, and ignores repeats', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbMonth, { minLength: 3, maxLength: 5 }), async (months) => {
        const plain = await run(eventsOf(months, false));
        const repeated = await run(eventsOf(months, true));
        try {
          await assertInvariants(plain.db, plain.state.balances);
          await assertInvariants(repeated.db, repeated.state.balances);
          // A repeated payment (same channel, id and amount) changes nothing.
          expect(repeated.state).toEqual(plain.state);
        } finally {
          await plain.close();
          await repeated.close();
        }
      }),
      { numRuns: 5, seed: Number(process.env.PROPERTY_SEED ?? 20251) },
    );
  }, 240_000);
});
