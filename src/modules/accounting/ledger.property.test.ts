import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_ENGINE } from '../../../test/support/db.ts';
import type { DB } from '../../db/schema.ts';
import { isAppError } from '../../domain/errors.ts';
import type { Period } from '../../domain/period.ts';
import { settlementsOf } from '../documents/documents.service.ts';
import { orderEvents, runEvent, type ScenarioEvent } from '../scenario/scenario.events.ts';
import { ZScenario } from '../scenario/scenario.schemas.ts';
import { setUpScenario } from '../scenario/scenario.setup.ts';
import { ledgerBalances } from './ledger.ts';

// Decision 016's invariant: for every contract the ledger's receivables net of advances received
// equal the charges of its closed periods less its payments, and — when no open period holds
// charges — the balance the cabinet shows. Random months of readings, illegal use (charges of an
// open period), payments, repeats and reversals run through the real services; the invariant is
// checked after every event, the 4010/6310 split and the balanced postings at the end.

const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04'];
const LAST = ['31', '28', '31', '30'];
const IDS = ['P1', 'P2', 'P3', 'P4', 'P5'];

const scenario = ZScenario.parse({
  scenario: 'ledger-property',
  tariffs: [
    { code: 'T', commodity: 'electricity', unit: 'kWh', versions: [{ from: '2025-01-01', price: '900.00' }] },
  ],
  accounts: ['A', 'B'].map((account, i) => ({
    account,
    name: `${account} LLC`,
    inn: `30100000${i + 1}`,
    category: 'legal',
    tariff: 'T',
    special_supply: account === 'B',
    contract_volume: '300',
    meters: [
      {
        serial: `M${account}`,
        digits: 6,
        multiplier: 1,
        installed: '2024-12-31',
        registers: { '1.8.0': '0.00' },
      },
    ],
  })),
  events: [],
});

const arbMonth = fc.record({
  readA: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: null }),
  readB: fc.option(fc.integer({ min: 0, max: 40_000 }), { nil: null }),
  illegal: fc.option(
    fc.record({ account: fc.constantFrom('A', 'B'), day: fc.integer({ min: 1, max: 20 }) }),
    {
      nil: null,
    },
  ),
  payments: fc.array(
    fc.record({
      account: fc.constantFrom('A', 'B'),
      id: fc.constantFrom(...IDS),
      channel: fc.constantFrom('bank', 'payme', 'cash'),
      amount: fc.constantFrom('50000.00', '120000.55', '270000.00', '400000.10'),
      day: fc.integer({ min: 1, max: 28 }),
    }),
    { maxLength: 3 },
  ),
  reversal: fc.option(
    fc.record({
      id: fc.constantFrom(...IDS),
      channel: fc.constantFrom('bank', 'payme', 'cash'),
      day: fc.integer({ min: 1, max: 28 }),
    }),
    { nil: null },
  ),
});
type Month = typeof arbMonth extends fc.Arbitrary<infer T> ? T : never;

function eventsOf(months: Month[]): ScenarioEvent[] {
  const out: ScenarioEvent[] = [];
  const meter = { A: 0, B: 0 };
  for (const [i, m] of months.entries()) {
    const month = MONTHS[i] ?? '2025-04';
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
    if (m.illegal)
      out.push({
        type: 'illegal_use',
        date: day(m.illegal.day),
        account: m.illegal.account,
        quantity: '57.5',
      });
    for (const p of m.payments)
      out.push({
        type: 'payment',
        date: day(p.day),
        account: p.account,
        channel: p.channel,
        id: p.id,
        amount: p.amount,
      });
    if (m.reversal)
      out.push({
        type: 'reversal',
        date: day(m.reversal.day),
        channel: m.reversal.channel,
        id: m.reversal.id,
      });
    out.push({ type: 'close', date: `${month}-${LAST[i]}`, period: month });
  }
  return out;
}

/** Per contract: charges of closed periods, of open ones, and payments net of reversals. */
async function billingSums(db: Kysely<DB>) {
  const rows = await sql<{ id: bigint; closed: string; open: string; paid: string }>`
    select k.id,
           coalesce((select sum(l.amount) from bill_line l join bill b on b.id = l.bill_id
                      where b.contract_id = k.id and exists (select 1 from billing_period bp
                        where bp.tenant_id = b.tenant_id and bp.period = b.period and bp.status = 'closed')), 0)::text as closed,
           coalesce((select sum(l.amount) from bill_line l join bill b on b.id = l.bill_id
                      where b.contract_id = k.id and not exists (select 1 from billing_period bp
                        where bp.tenant_id = b.tenant_id and bp.period = b.period and bp.status = 'closed')), 0)::text as open,
           coalesce((select sum(p.amount) from payment p where p.contract_id = k.id and p.status = 'booked'), 0)::text as paid
      from contract k order by k.id`.execute(db);
  return rows.rows.map((r) => ({
    id: BigInt(r.id),
    closed: BigInt(r.closed),
    open: BigInt(r.open),
    paid: BigInt(r.paid),
  }));
}

async function assertLedger(db: Kysely<DB>, tenantId: bigint, label: string): Promise<void> {
  const ledger = await ledgerBalances(db, tenantId);
  for (const c of await billingSums(db))
    expect(ledger.get(c.id) ?? 0n, `${label}: contract ${c.id}`).toBe(c.closed - c.paid);
}

describe(`ledger receivables = billing balance under random months (${TEST_ENGINE})`, () => {
  it('keeps 4010 − 6310 equal to closed charges − payments after every event, and to the cabinet at the end', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbMonth, { minLength: 2, maxLength: 4 }), async (months) => {
        const database = await openTestDatabase();
        const db = database.db;
        try {
          const world = await setUpScenario(db, scenario);
          for (const { event, index } of orderEvents(eventsOf(months))) {
            try {
              await runEvent(db, world, event);
            } catch (e) {
              if (!isAppError(e)) throw e;
            }
            await assertLedger(db, world.tenantId, `after event ${index} ${event.type} ${event.date}`);
          }
          // Every period ended with its close: no open charges, so the ledger equals the cabinet.
          const ledger = await ledgerBalances(db, world.tenantId);
          const last = MONTHS[months.length - 1] as Period;
          for (const [account, a] of world.accounts) {
            const s = await settlementsOf(db, a.contractId, '2025-01' as Period, last);
            expect(ledger.get(a.contractId) ?? 0n, account).toBe(s.closing);
          }
          // 4010 alone: recognised charges less the payments allocated to them.
          const split = await sql<{ id: bigint; ledger: string; expected: string }>`
            select k.id,
                   coalesce((select sum(e.debit - e.credit) from ledger_entry e
                              where e.contract_id = k.id and e.account_code = '4010'), 0)::text as ledger,
                   (coalesce((select sum(l.amount) from bill_line l join bill b on b.id = l.bill_id
                               where b.contract_id = k.id), 0)
                    - coalesce((select sum(a.amount) from allocation a join payment p on p.id = a.payment_id
                                 where p.contract_id = k.id), 0))::text as expected
              from contract k`.execute(db);
          for (const r of split.rows) expect(BigInt(r.ledger), `4010 of ${r.id}`).toBe(BigInt(r.expected));
          // Every posting balances, and the whole ledger does.
          const unbalanced = await sql<{ n: number }>`
            select count(*)::int as n from (select txn_id from ledger_entry group by txn_id
                                             having sum(debit) <> sum(credit)) t`.execute(db);
          expect(unbalanced.rows[0]?.n).toBe(0);
        } finally {
          await database.close();
        }
      }),
      { numRuns: 4, seed: Number(process.env.PROPERTY_SEED ?? 20250716) },
    );
  }, 300_000);
});
