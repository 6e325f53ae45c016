import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/db.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { LocalDate, Period } from '../../domain/period.ts';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import { runEvent, type ScenarioEvent } from '../scenario/scenario.events.ts';
import { ZScenario } from '../scenario/scenario.schemas.ts';
import { type ScenarioWorld, setUpScenario } from '../scenario/scenario.setup.ts';
import { createBillRun, executeBillRun, findUnfinishedRun } from './bill-run.service.ts';
import { closePeriod } from './close-period.ts';

const ACCOUNTS = 23;
const JAN = '2025-01' as Period;
const FEB = '2025-02' as Period;
const ON = '2025-01-31' as LocalDate;

const opened: Database[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
});

/** A supplier with 23 accounts: most read in January, every fifth on an estimate, some with a volume. */
async function world(): Promise<{ db: Kysely<DB>; w: ScenarioWorld }> {
  const database = await openTestDatabase();
  opened.push(database);
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
    account: `A${String(i + 1).padStart(3, '0')}`,
    name: `Consumer ${i + 1}`,
    inn: String(300000000 + i),
    category: 'legal',
    tariff: 'T',
    ...(i % 3 === 0 ? { contract_volume: '500' } : {}),
    meters: [
      {
        serial: `M${i}`,
        digits: 6,
        multiplier: 1 + (i % 4),
        installed: '2024-12-31',
        registers: { '1.8.0': '100.00' },
      },
    ],
  }));
  const scenario = ZScenario.parse({
    scenario: 'bill-run',
    tariffs: [
      {
        code: 'T',
        commodity: 'electricity',
        unit: 'kWh',
        versions: [{ from: '2025-01-01', price: '900.00' }],
      },
    ],
    accounts,
    events: [],
  });
  const w = await setUpScenario(database.db, scenario);
  for (const [i, a] of accounts.entries()) {
    if (i % 5 === 4) continue;
    const e: ScenarioEvent = {
      type: 'reading',
      date: '2025-01-25',
      account: a.account,
      meter: `M${i}`,
      register: '1.8.0',
      value: `${100 + 37 * (i + 1)}.50`,
    };
    await runEvent(database.db, w, e);
  }
  return { db: database.db, w };
}

/** Every bill line, as account / kind / quantity / amount, sorted. */
async function lines(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('bill_line as l')
    .innerJoin('bill as b', 'b.id', 'l.bill_id')
    .innerJoin('contract as k', 'k.id', 'b.contract_id')
    .select(['k.number', 'b.period', 'l.seq', 'l.kind', 'l.quantity', 'l.amount'])
    .execute();
  return rows.map((r) => `${r.number} ${r.period} ${r.seq} ${r.kind} ${r.quantity} ${r.amount}`).sort();
}

async function run(db: Kysely<DB>, w: ScenarioWorld, opts: { chunk: number; workers?: number }) {
  const id = await createBillRun(db, SYSTEM_ACTOR, {
    tenantId: w.tenantId,
    period: JAN,
    orgUnitId: null,
    on: ON,
  });
  return executeBillRun(db, SYSTEM_ACTOR, id, { on: ON, ...opts });
}

describe('bill run', () => {
  it('bills every account once, with progress, and a second run adds nothing', async () => {
    const { db, w } = await world();
    const seen: number[] = [];
    const id = await createBillRun(db, SYSTEM_ACTOR, {
      tenantId: w.tenantId,
      period: JAN,
      orgUnitId: null,
      on: ON,
    });
    const view = await executeBillRun(db, SYSTEM_ACTOR, id, {
      on: ON,
      chunk: 5,
      workers: 2,
      onProgress: (v) => seen.push(v.done),
    });
    // Accounts 5, 15 and 20 have neither a reading nor a volume: billed with a warning, no line.
    expect(view).toMatchObject({
      status: 'done',
      total: ACCOUNTS,
      done: ACCOUNTS,
      billed: ACCOUNTS,
      warnings: 3,
      errors: 0,
      percent: 100,
    });
    expect(seen.length).toBe(Math.ceil(ACCOUNTS / 5));
    expect(Math.max(...seen)).toBe(ACCOUNTS);
    const once = await lines(db);
    expect(once.filter((l) => l.includes(' energy ')).length).toBe(ACCOUNTS - 3);
    expect(once.some((l) => l.includes(' overconsumption '))).toBe(true);

    const again = await run(db, w, { chunk: 4 });
    expect(again).toMatchObject({ status: 'done', total: 0, billed: 0 });
    expect(await lines(db)).toEqual(once);
    const bills = await db.selectFrom('bill').select(['total', 'vat']).execute();
    expect(bills.length).toBe(ACCOUNTS);
    expect(bills.filter((b) => b.total > 0n && b.vat > 0n).length).toBe(ACCOUNTS - 3);
  });

  it('loses nothing when it stops part-way: the rerun bills exactly the accounts left', async () => {
    const reference = await world();
    await run(reference.db, reference.w, { chunk: 100 });
    const expected = await lines(reference.db);

    const { db, w } = await world();
    const id = await createBillRun(db, SYSTEM_ACTOR, {
      tenantId: w.tenantId,
      period: JAN,
      orgUnitId: null,
      on: ON,
    });
    let chunks = 0;
    await expect(
      executeBillRun(db, SYSTEM_ACTOR, id, {
        on: ON,
        chunk: 4,
        onProgress: () => {
          chunks += 1;
          if (chunks === 3) throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    const failed = await db.selectFrom('bill_run').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(failed.status).toBe('failed');
    const partial = await lines(db);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(ACCOUNTS);

    expect(await findUnfinishedRun(db, { tenantId: w.tenantId, period: JAN, orgUnitId: null })).toBe(id);
    const resumed = await executeBillRun(db, SYSTEM_ACTOR, id, { on: ON, chunk: 4 });
    expect(resumed).toMatchObject({ status: 'done', done: ACCOUNTS, billed: ACCOUNTS, errors: 0 });
    expect(await lines(db)).toEqual(expected);
    expect(await findUnfinishedRun(db, { tenantId: w.tenantId, period: JAN, orgUnitId: null })).toBeNull();
  });

  it('writes no line twice when two runs bill the same accounts at once', async () => {
    const reference = await world();
    await run(reference.db, reference.w, { chunk: 100 });
    const { db, w } = await world();
    await Promise.all([run(db, w, { chunk: 3, workers: 2 }), run(db, w, { chunk: 2, workers: 2 })]);
    expect(await lines(db)).toEqual(await lines(reference.db));
  });

  it('bills only the scope of a district', async () => {
    const { db, w } = await world();
    const units = await db
      .selectFrom('org_unit')
      .select(['id', 'kind'])
      .where('tenant_id', '=', w.tenantId)
      .execute();
    const unit = units.find((u) => u.kind !== 'company') ?? units[0];
    if (!unit) throw new Error('no org unit');
    const id = await createBillRun(db, SYSTEM_ACTOR, {
      tenantId: w.tenantId,
      period: JAN,
      orgUnitId: unit.id,
      on: ON,
    });
    const view = await executeBillRun(db, SYSTEM_ACTOR, id, { on: ON, chunk: 10 });
    const inUnit = await db
      .selectFrom('contract')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .where('org_unit_id', '=', unit.id)
      .executeTakeFirstOrThrow();
    expect(view.billed).toBe(Number(inUnit.n));
  });

  it('refuses a period not ended, one out of order and a closed one', async () => {
    const { db, w } = await world();
    const scope = { tenantId: w.tenantId, orgUnitId: null };
    await expect(
      createBillRun(db, SYSTEM_ACTOR, { ...scope, period: JAN, on: '2025-01-30' as LocalDate }),
    ).rejects.toMatchObject({ code: 'BILL_RUN_TOO_EARLY' });
    await run(db, w, { chunk: 10 });
    await db
      .transaction()
      .execute((trx) => closePeriod(trx, SYSTEM_ACTOR, { tenantId: w.tenantId, period: JAN, closedOn: ON }));
    await expect(createBillRun(db, SYSTEM_ACTOR, { ...scope, period: JAN, on: ON })).rejects.toMatchObject({
      code: 'PERIOD_ALREADY_CLOSED',
    });
    await expect(
      createBillRun(db, SYSTEM_ACTOR, {
        ...scope,
        period: '2025-03' as Period,
        on: '2025-04-01' as LocalDate,
      }),
    ).rejects.toMatchObject({ code: 'PERIOD_OUT_OF_ORDER' });
    const feb = await createBillRun(db, SYSTEM_ACTOR, {
      ...scope,
      period: FEB,
      on: '2025-02-28' as LocalDate,
    });
    expect(feb).toBeGreaterThan(0n);
  });

  it('closing after a run numbers the bills with lines and keeps the run’s lines', async () => {
    const { db, w } = await world();
    await run(db, w, { chunk: 6 });
    const before = await lines(db);
    const closed = await db
      .transaction()
      .execute((trx) => closePeriod(trx, SYSTEM_ACTOR, { tenantId: w.tenantId, period: JAN, closedOn: ON }));
    expect(closed.bills).toBe(ACCOUNTS - 3);
    expect(await lines(db)).toEqual(before);
    const numbers = await db.selectFrom('bill').select('number').where('period', '=', JAN).execute();
    const numbered = numbers.flatMap((n) => (n.number ? [n.number] : []));
    expect(new Set(numbered).size).toBe(ACCOUNTS - 3);
    expect(numbered.every((n) => /^202501-\d{6}$/.test(n))).toBe(true);
  });
});
