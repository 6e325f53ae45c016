import { sql, type Transaction } from 'kysely';
import { pgArray } from '../../db/arrays.ts';
import { keyedLookupsOnly } from '../../db/planner.ts';
import type { DB } from '../../db/schema.ts';
import {
  type BilledPeriod,
  billAccount,
  type DraftLine,
  type RegisterReads,
} from '../../domain/account-bill.ts';
import { isAppError } from '../../domain/errors.ts';
import { type Tiyin, tiyin, vatOf } from '../../domain/money.ts';
import { accruePenalty, type ExactPenalty, exactPenalty, penaltyLineAmount } from '../../domain/penalty.ts';
import {
  addPeriods,
  firstDay,
  type LocalDate,
  lastDay,
  type Period,
  parsePeriod,
  prevPeriod,
} from '../../domain/period.ts';
import { parseRatio, type Ratio } from '../../domain/price.ts';
import { type Milli, milli } from '../../domain/quantity.ts';
import type { TariffVersion } from '../../domain/tariff-pricing.ts';
import { applyAdvances } from '../payments/payments.service.ts';
import { loadVersions } from '../tariffs/tariffs.service.ts';

// The set-based heart of a bill run: bills a chunk of accounts for one period with a fixed
// number of statements whatever the chunk size (load everything the chunk needs, compute each
// account with the pure rules of src/domain, write bills, lines, penalties and allocations with
// one statement each). A chunk runs in the caller's transaction: all of it or none of it.

/** The supplier's rates (billing-rules: every rate is a per-supplier setting). */
export type Settings = {
  penaltyRate: Ratio;
  specialPenaltyRate: Ratio;
  penaltyCap: Ratio;
  rule: { threshold: Ratio; factor: Ratio };
  vatPercent: bigint;
};

/** What a chunk works on: the supplier, the period, and the date money is allocated on. */
export type ChunkContext = {
  tenantId: bigint;
  period: Period;
  settings: Settings;
  /** The day of the run: advances and credits cover items on this date. */
  runOn: LocalDate;
  runId: bigint | null;
  tariffs: Map<bigint, TariffVersion[]>;
};

/** An account to bill. */
export type ChunkContract = { id: bigint; number: string; commodity: string };

/** A problem found while billing one account. */
export type BillingIssue = {
  contractId: bigint;
  account: string;
  period: Period;
  severity: 'warning' | 'error';
  code: string;
  message: string;
};

export type ChunkResult = { billed: number; issues: BillingIssue[] };

export async function loadSettings(trx: Transaction<DB>, tenantId: bigint): Promise<Settings> {
  const t = await trx.selectFrom('tenant').selectAll().where('id', '=', tenantId).executeTakeFirstOrThrow();
  return {
    penaltyRate: parseRatio(String(t.penalty_rate)),
    specialPenaltyRate: parseRatio(String(t.special_penalty_rate)),
    penaltyCap: parseRatio(String(t.penalty_cap)),
    rule: {
      threshold: parseRatio(String(t.overconsumption_threshold)),
      factor: parseRatio(String(t.overconsumption_factor)),
    },
    vatPercent: BigInt(String(t.vat_rate).split('.')[0] ?? '12'),
  };
}

type Terms = {
  tariffId: bigint;
  defaultVolume: bigint | null;
  specialSupply: boolean;
  estimation: 'contract' | 'average_daily';
  tanPhiNorm: Ratio | null;
};

type ChunkData = {
  terms: Map<bigint, Terms>;
  volumes: Map<bigint, Map<string, bigint>>;
  registers: Map<bigint, RegisterReads[]>;
  history: Map<bigint, BilledPeriod[]>;
  overdue: Map<bigint, OverdueItem[]>;
};

type OverdueItem = {
  id: bigint;
  period: Period;
  amount: Tiyin;
  accrued: ExactPenalty;
  changes: { date: LocalDate; delta: Tiyin }[];
};

function groupBy<T>(rows: readonly T[], key: (r: T) => bigint): Map<bigint, T[]> {
  const out = new Map<bigint, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

async function loadChunk(
  trx: Transaction<DB>,
  ctx: ChunkContext,
  ids: readonly bigint[],
): Promise<ChunkData> {
  const { period } = ctx;
  const idArray = pgArray(ids);
  const first = firstDay(period);
  const last = lastDay(period);

  const terms = await sql<{
    contract_id: bigint;
    tariff_id: bigint;
    default_volume: bigint | null;
    special_supply: boolean;
    estimation: string;
    tan_phi_norm: string | null;
  }>`
    select k.id as contract_id, v.tariff_id, v.default_volume, v.special_supply, v.estimation,
           v.tan_phi_norm::text as tan_phi_norm
      from unnest(${idArray}::bigint[]) as k(id)
      join lateral (select * from contract_version cv
                     where cv.contract_id = k.id and cv.valid_from <= ${last}
                     order by cv.valid_from desc limit 1) v on true`.execute(trx);

  const volumes = await sql<{ contract_id: bigint; period: string; volume: bigint }>`
    select v.contract_id, v.period, v.volume
      from unnest(${idArray}::bigint[]) as c(id)
      cross join lateral (select * from contract_volume v where v.contract_id = c.id and v.period <= ${period} offset 0) v`.execute(
    trx,
  );

  const registers = await sql<{
    contract_id: bigint;
    id: bigint;
    obis: string;
    install_reading: bigint;
    digits: number;
    multiplier: bigint;
  }>`
    select p.contract_id, g.id, g.obis, g.install_reading, m.digits, m.multiplier
      from unnest(${idArray}::bigint[]) as c(id)
      cross join lateral (select * from metering_point p where p.contract_id = c.id offset 0) p
      cross join lateral (select * from meter m where m.metering_point_id = p.id
                            and m.installed_on <= ${last} and (m.removed_on is null or m.removed_on >= ${first}) offset 0) m
      cross join lateral (select * from register g where g.meter_id = m.id offset 0) g`.execute(trx);
  const regArray = pgArray(registers.rows.map((r) => r.id));
  const closingRows = await sql<{ register_id: bigint; value: bigint }>`
    select g.id as register_id, r.value
      from unnest(${regArray}::bigint[]) as g(id)
      cross join lateral (select value from reading
                           where register_id = g.id and status = 'accepted'
                             and read_on >= ${first} and read_on <= ${last}
                           order by read_on desc, id desc limit 1) r`.execute(trx);
  const previousRows = await sql<{ register_id: bigint; value: bigint }>`
    select g.id as register_id, r.value
      from unnest(${regArray}::bigint[]) as g(id)
      cross join lateral (select value from reading
                           where register_id = g.id and status = 'accepted'
                             and read_on <= ${lastDay(prevPeriod(period))}
                           order by read_on desc, id desc limit 1) r`.execute(trx);
  const closing = new Map(closingRows.rows.map((r) => [r.register_id, milli(r.value)]));
  const previous = new Map(previousRows.rows.map((r) => [r.register_id, milli(r.value)]));

  const historyRows = await sql<{
    contract_id: bigint;
    period: string;
    basis: string | null;
    obis: string | null;
    q: string | null;
    a: string;
  }>`
    select b.contract_id, b.period, l.basis, l.obis, sum(l.quantity)::text as q, sum(l.amount)::text as a
      from unnest(${idArray}::bigint[]) as c(id)
      cross join lateral (select * from bill b where b.contract_id = c.id and b.period < ${period} offset 0) b
      cross join lateral (select * from bill_line l where l.bill_id = b.id
                            and l.kind in ('energy', 'overconsumption') offset 0) l
     group by b.contract_id, b.period, l.basis, l.obis`.execute(trx);

  const overdueRows = await sql<{
    id: bigint;
    contract_id: bigint;
    period: string;
    amount: bigint;
    accrued: string;
  }>`
    select l.id, b.contract_id, b.period, l.amount, l.penalty_accrued::text as accrued
      from unnest(${idArray}::bigint[]) as c(id)
      cross join lateral (select * from bill b where b.contract_id = c.id and b.period <= ${addPeriods(period, -2)} offset 0) b
      cross join lateral (select * from bill_line l where l.bill_id = b.id and l.kind <> 'penalty' and l.amount > 0 offset 0) l
     where (l.amount > coalesce((select sum(a.amount) from allocation a
                                  where a.bill_line_id = l.id and a.allocated_on < ${first}), 0)
            or exists (select 1 from allocation a
                        where a.bill_line_id = l.id and a.allocated_on >= ${first} and a.allocated_on <= ${last}))`.execute(
    trx,
  );
  const changeRows =
    overdueRows.rows.length === 0
      ? []
      : (
          await sql<{ bill_line_id: bigint; allocated_on: string; amount: bigint }>`
            select a.bill_line_id, a.allocated_on, a.amount
              from unnest(${pgArray(overdueRows.rows.map((r) => r.id))}::bigint[]) as i(id)
              cross join lateral (select * from allocation a
                                   where a.bill_line_id = i.id and a.allocated_on <= ${last} offset 0) a`.execute(
            trx,
          )
        ).rows;
  const changes = groupBy(changeRows, (r) => r.bill_line_id);

  return {
    terms: new Map(
      terms.rows.map((t) => [
        t.contract_id,
        {
          tariffId: t.tariff_id,
          defaultVolume: t.default_volume,
          specialSupply: t.special_supply,
          estimation: t.estimation === 'average_daily' ? 'average_daily' : 'contract',
          tanPhiNorm: t.tan_phi_norm === null ? null : parseRatio(t.tan_phi_norm),
        },
      ]),
    ),
    volumes: new Map(
      [...groupBy(volumes.rows, (r) => r.contract_id)].map(([k, rows]) => [
        k,
        new Map(rows.map((r) => [r.period, r.volume])),
      ]),
    ),
    registers: new Map(
      [...groupBy(registers.rows, (r) => r.contract_id)].map(([k, rows]) => [
        k,
        rows.map((r) => ({
          obis: r.obis,
          digits: Number(r.digits),
          multiplier: BigInt(r.multiplier),
          previous: previous.get(r.id) ?? milli(BigInt(r.install_reading)),
          closing: closing.get(r.id) ?? null,
        })),
      ]),
    ),
    history: new Map(
      [...groupBy(historyRows.rows, (r) => r.contract_id)].map(([k, rows]) => [k, toHistory(rows)]),
    ),
    overdue: new Map(
      [...groupBy(overdueRows.rows, (r) => r.contract_id)].map(([k, rows]) => [
        k,
        rows.map((r) => ({
          id: r.id,
          period: parsePeriod(r.period),
          amount: tiyin(r.amount),
          accrued: exactPenalty(BigInt(r.accrued)),
          changes: (changes.get(r.id) ?? []).map((c) => ({
            date: c.allocated_on as LocalDate,
            delta: tiyin(-c.amount),
          })),
        })),
      ]),
    ),
  };
}

function toHistory(
  rows: readonly { period: string; basis: string | null; obis: string | null; q: string | null; a: string }[],
): BilledPeriod[] {
  const byPeriod = new Map<
    string,
    { actual: boolean; q: bigint; a: bigint; byRegister: Map<string, Milli> }
  >();
  for (const r of rows) {
    const h = byPeriod.get(r.period) ?? { actual: false, q: 0n, a: 0n, byRegister: new Map<string, Milli>() };
    const q = BigInt(r.q ?? '0');
    h.q += q;
    h.a += BigInt(r.a);
    if (r.basis === 'actual') {
      h.actual = true;
      const obis = r.obis ?? '1.8.0';
      h.byRegister.set(obis, milli((h.byRegister.get(obis) ?? 0n) + q));
    }
    byPeriod.set(r.period, h);
  }
  return [...byPeriod].map(([p, h]) => ({
    period: parsePeriod(p),
    actual: h.actual,
    quantity: milli(h.q),
    amount: tiyin(h.a),
    actualByRegister: h.byRegister,
  }));
}

/**
 * Bills `contracts` for the context's period in the caller's transaction: energy lines (§2–§7),
 * the penalty of the period's days (§9), then advances and credits cover what is open (§8).
 * Each contract gets a bill marked billed, with or without lines; a contract whose data the
 * rules refuse gets an error issue and no bill, so a rerun tries it again.
 */
export async function billChunk(
  trx: Transaction<DB>,
  ctx: ChunkContext,
  contracts: readonly ChunkContract[],
): Promise<ChunkResult> {
  if (contracts.length === 0) return { billed: 0, issues: [] };
  const { period, settings } = ctx;
  await keyedLookupsOnly(trx);
  const data = await loadChunk(
    trx,
    ctx,
    contracts.map((c) => c.id),
  );
  for (const t of data.terms.values()) {
    if (!ctx.tariffs.has(t.tariffId)) ctx.tariffs.set(t.tariffId, await loadVersions(trx, t.tariffId));
  }
  const issues: BillingIssue[] = [];
  const drafts = new Map<bigint, DraftLine[]>();
  const penalties: { contractId: bigint; id: bigint; cumulative: ExactPenalty }[] = [];
  for (const c of contracts) {
    const issue = (severity: 'warning' | 'error', code: string, message: string) =>
      issues.push({ contractId: c.id, account: c.number, period, severity, code, message });
    const terms = data.terms.get(c.id);
    if (!terms) {
      issue('warning', 'NO_CONTRACT_TERMS', 'The contract has no terms in force');
      drafts.set(c.id, []);
      continue;
    }
    try {
      const volumes = data.volumes.get(c.id);
      const bill = billAccount({
        period,
        versions: ctx.tariffs.get(terms.tariffId) ?? [],
        rule: c.commodity === 'electricity' ? settings.rule : null,
        volumeOf: (p) => {
          const v = volumes?.get(p) ?? terms.defaultVolume;
          return v !== null && v !== undefined && v > 0n ? milli(v) : null;
        },
        estimation: terms.estimation,
        tanPhiNorm: terms.tanPhiNorm,
        registers: data.registers.get(c.id) ?? [],
        history: data.history.get(c.id) ?? [],
      });
      if (bill.warning) issue('warning', bill.warning, 'No reading and no contract volume: nothing billed');
      const rate = terms.specialSupply ? settings.specialPenaltyRate : settings.penaltyRate;
      const exacts: ExactPenalty[] = [];
      for (const item of data.overdue.get(c.id) ?? []) {
        const result = accruePenalty({
          posted: item.period,
          amount: item.amount,
          changes: item.changes,
          rate,
          cap: settings.penaltyCap,
          period,
          accruedBefore: item.accrued,
        });
        if (result.exact === 0n) continue;
        exacts.push(result.exact);
        penalties.push({ contractId: c.id, id: item.id, cumulative: result.cumulative });
      }
      const penalty = penaltyLineAmount(exacts);
      const lines = [...bill.lines];
      if (penalty !== 0n)
        lines.push({
          kind: 'penalty',
          basis: null,
          obis: null,
          forPeriod: null,
          quantity: null,
          price: null,
          amount: penalty,
        });
      drafts.set(c.id, lines);
    } catch (e) {
      if (!isAppError(e)) throw e;
      issue('error', e.code, e.message);
    }
  }
  const billed = await writeBills(trx, ctx, [...drafts.keys()], drafts);
  const written = new Set(billed);
  const accrued = penalties.filter((p) => written.has(p.contractId));
  if (accrued.length > 0) {
    await sql`
      update bill_line l set penalty_accrued = v.p::numeric
        from unnest(${pgArray(accrued.map((p) => p.id))}::bigint[],
                    ${pgArray(accrued.map((p) => p.cumulative))}::text[]) as v(id, p)
       where l.id = v.id`.execute(trx);
  }
  await applyAdvances(trx, billed, ctx.runOn);
  return { billed: billed.length, issues };
}

/**
 * Writes the chunk's bills marked billed, with their totals, and appends the lines after any
 * already there. A bill another run marked billed meanwhile is left alone: the contracts actually
 * written are returned, and only they get lines.
 */
async function writeBills(
  trx: Transaction<DB>,
  ctx: ChunkContext,
  contractIds: readonly bigint[],
  drafts: ReadonlyMap<bigint, DraftLine[]>,
): Promise<bigint[]> {
  if (contractIds.length === 0) return [];
  const kept = new Map<bigint, DraftLine[]>();
  const totals = { total: [] as bigint[], vat: [] as bigint[] };
  for (const id of contractIds) {
    // §1: a line whose quantity and amount are both zero is not posted.
    const lines = (drafts.get(id) ?? []).filter((l) => (l.quantity ?? 0n) !== 0n || l.amount !== 0n);
    kept.set(id, lines);
    totals.total.push(lines.reduce((a, l) => a + l.amount, 0n));
    totals.vat.push(lines.reduce((a, l) => a + vatOf(l.amount, ctx.settings.vatPercent), 0n));
  }
  const bills = await sql<{ id: bigint; contract_id: bigint; fresh: boolean }>`
    insert into bill (tenant_id, contract_id, period, billed_at, bill_run_id, total, vat)
    select ${ctx.tenantId}, c, ${ctx.period}, now(), ${ctx.runId}, t, v
      from unnest(${pgArray(contractIds)}::bigint[], ${pgArray(totals.total)}::bigint[],
                  ${pgArray(totals.vat)}::bigint[]) as x(c, t, v)
    on conflict (contract_id, period) do update
       set billed_at = excluded.billed_at, bill_run_id = excluded.bill_run_id,
           total = bill.total + excluded.total, vat = bill.vat + excluded.vat
     where bill.billed_at is null
    returning id, contract_id, (xmax = 0) as fresh`.execute(trx);
  const billOf = new Map(bills.rows.map((b) => [b.contract_id, b.id]));
  // Only bills that existed before (lines posted during the period) can have lines already.
  const older = bills.rows.filter((b) => !b.fresh).map((b) => b.id);
  const lastSeq = new Map<bigint, number>();
  if (older.length > 0) {
    const seqRows = await sql<{ bill_id: bigint; seq: number }>`
      select bill_id, max(seq) as seq from bill_line where bill_id = any(${pgArray(older)}::bigint[])
       group by bill_id`.execute(trx);
    for (const r of seqRows.rows) lastSeq.set(r.bill_id, Number(r.seq));
  }
  const cols = {
    bill: [] as bigint[],
    seq: [] as number[],
    kind: [] as string[],
    basis: [] as (string | null)[],
    obis: [] as (string | null)[],
    forPeriod: [] as (string | null)[],
    quantity: [] as (bigint | null)[],
    price: [] as (bigint | null)[],
    amount: [] as bigint[],
    vat: [] as bigint[],
  };
  for (const [contractId, billId] of billOf) {
    let seq = lastSeq.get(billId) ?? 0;
    for (const l of kept.get(contractId) ?? []) {
      cols.bill.push(billId);
      cols.seq.push(++seq);
      cols.kind.push(l.kind);
      cols.basis.push(l.basis);
      cols.obis.push(l.obis);
      cols.forPeriod.push(l.forPeriod);
      cols.quantity.push(l.quantity);
      cols.price.push(l.price);
      cols.amount.push(l.amount);
      cols.vat.push(vatOf(l.amount, ctx.settings.vatPercent));
    }
  }
  if (cols.bill.length > 0) {
    await sql`
      insert into bill_line (bill_id, seq, kind, basis, obis, for_period, quantity, price, amount, vat)
      select * from unnest(${pgArray(cols.bill)}::bigint[], ${pgArray(cols.seq)}::int[], ${pgArray(cols.kind)}::text[],
                           ${pgArray(cols.basis)}::text[], ${pgArray(cols.obis)}::text[], ${pgArray(cols.forPeriod)}::text[],
                           ${pgArray(cols.quantity)}::bigint[], ${pgArray(cols.price)}::bigint[],
                           ${pgArray(cols.amount)}::bigint[], ${pgArray(cols.vat)}::bigint[])`.execute(trx);
  }
  return [...billOf.keys()];
}
