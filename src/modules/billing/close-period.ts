import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { readingAdvance } from '../../domain/consumption.ts';
import { AppError } from '../../domain/errors.ts';
import { estimateQuantity, splitOverZones } from '../../domain/estimation.ts';
import { sumMoney, type Tiyin, tiyin, vatOf } from '../../domain/money.ts';
import { accruePenalty, type ExactPenalty, exactPenalty, penaltyLineAmount } from '../../domain/penalty.ts';
import {
  addPeriods,
  daysInPeriod,
  firstDay,
  type LocalDate,
  lastDay,
  nextPeriod,
  type Period,
  parsePeriod,
  prevPeriod,
} from '../../domain/period.ts';
import { parseRatio, type Ratio } from '../../domain/price.ts';
import { type Milli, milli } from '../../domain/quantity.ts';
import { reactiveLine } from '../../domain/reactive.ts';
import { recalculationLine, recalculationShares } from '../../domain/recalculation.ts';
import {
  type EnergyLine,
  priceEnergy,
  type TariffVersion,
  totalOf,
  versionFor,
} from '../../domain/tariff-pricing.ts';
import { termsInForce } from '../accounts/accounts.service.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { applyAdvances } from '../payments/payments.service.ts';
import { loadVersions } from '../tariffs/tariffs.service.ts';

/** A problem found while billing that did not stop the close (billing-rules §3). */
export type BillingWarning = { contractId: bigint; account: string; period: Period; code: string };

/** What closing a period did. */
export type CloseResult = { period: Period; bills: number; warnings: BillingWarning[] };

type Settings = {
  penaltyRate: Ratio;
  specialPenaltyRate: Ratio;
  penaltyCap: Ratio;
  rule: { threshold: Ratio; factor: Ratio };
  vatPercent: bigint;
};

/** A bill line to post. */
export type LineRow = {
  kind: string;
  basis: 'actual' | 'estimated' | null;
  obis: string | null;
  forPeriod: string | null;
  quantity: Milli | null;
  price: bigint | null;
  amount: Tiyin;
};

/**
 * Closes period P of a supplier (billing-rules §10): bills every contract for P (§2–§7), posts
 * the penalties of P's days (§9), lets advances cover the new charges, numbers the bills and
 * freezes P. Periods close in order; closing a closed period or skipping one is refused.
 */
export async function closePeriod(
  trx: Transaction<DB>,
  actor: Actor,
  input: { tenantId: bigint; period: Period; closedOn: LocalDate },
): Promise<CloseResult> {
  const { tenantId, period } = input;
  await assertClosable(trx, tenantId, period);
  const settings = await loadSettings(trx, tenantId);
  const contracts = await trx
    .selectFrom('contract')
    .select(['id', 'number', 'commodity'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'active')
    .where('start_date', '<=', lastDay(period))
    .orderBy('number')
    .execute();
  const tariffs = new Map<bigint, TariffVersion[]>();
  const warnings: BillingWarning[] = [];
  for (const c of contracts) {
    const warning = await billContract(trx, { settings, tariffs, period }, c);
    if (warning) warnings.push({ contractId: c.id, account: c.number, period, code: warning });
    await postPenalty(trx, settings, c.id, period);
    await applyAdvances(trx, c.id, input.closedOn);
  }
  const bills = await finishBills(trx, tenantId, period, settings.vatPercent);
  await trx
    .insertInto('billing_period')
    .values({ tenant_id: tenantId, period, status: 'closed', closed_at: sql<Date>`now()` })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'period']).doUpdateSet({ status: 'closed', closed_at: sql<Date>`now()` }),
    )
    .execute();
  await writeAudit(trx, actor, {
    action: 'period.close',
    entity: 'billing_period',
    entityId: `${tenantId}:${period}`,
    tenantId,
    after: { period, closed_on: input.closedOn, bills, warnings: warnings.length },
  });
  return { period, bills, warnings };
}

async function assertClosable(trx: Transaction<DB>, tenantId: bigint, period: Period): Promise<void> {
  const last = await trx
    .selectFrom('billing_period')
    .select(sql<string | null>`max(period)`.as('period'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  const lastClosed = last?.period ?? null;
  if (lastClosed !== null && period <= lastClosed) {
    throw new AppError('PERIOD_ALREADY_CLOSED', `Period ${period} is already closed`, { period });
  }
  if (lastClosed !== null && period !== nextPeriod(parsePeriod(lastClosed))) {
    throw new AppError(
      'PERIOD_OUT_OF_ORDER',
      `Close ${nextPeriod(parsePeriod(lastClosed))} before ${period}`,
      {
        period,
        next: nextPeriod(parsePeriod(lastClosed)),
      },
    );
  }
}

async function loadSettings(trx: Transaction<DB>, tenantId: bigint): Promise<Settings> {
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

type BillContext = { settings: Settings; tariffs: Map<bigint, TariffVersion[]>; period: Period };

/** Bills one contract for the period; returns a warning code when nothing could be billed. */
async function billContract(
  trx: Transaction<DB>,
  ctx: BillContext,
  c: { id: bigint; number: string; commodity: string },
): Promise<string | null> {
  const { period, settings } = ctx;
  const terms = await termsInForce(trx, c.id, lastDay(period));
  if (!terms) return 'NO_CONTRACT_TERMS';
  let versions = ctx.tariffs.get(terms.tariff_id);
  if (!versions) {
    versions = await loadVersions(trx, terms.tariff_id);
    ctx.tariffs.set(terms.tariff_id, versions);
  }
  const volumeOf = async (p: Period): Promise<Milli | null> => {
    const row = await trx
      .selectFrom('contract_volume')
      .select('volume')
      .where('contract_id', '=', c.id)
      .where('period', '=', p)
      .executeTakeFirst();
    const v = row?.volume ?? terms.default_volume;
    return v !== null && v !== undefined && v > 0n ? milli(v) : null;
  };
  const rule = c.commodity === 'electricity' ? settings.rule : null;
  const registers = await trx
    .selectFrom('register as g')
    .innerJoin('meter as m', 'm.id', 'g.meter_id')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .select(['g.id', 'g.obis', 'g.install_reading', 'm.digits', 'm.multiplier'])
    .where('p.contract_id', '=', c.id)
    .where('m.installed_on', '<=', lastDay(period))
    .where((eb) => eb.or([eb('m.removed_on', 'is', null), eb('m.removed_on', '>=', firstDay(period))]))
    .orderBy('g.obis')
    .execute();
  const closing = async (registerId: bigint, before: LocalDate, from?: LocalDate) => {
    let q = trx
      .selectFrom('reading')
      .select('value')
      .where('register_id', '=', registerId)
      .where('status', '=', 'accepted')
      .where('read_on', '<=', before);
    if (from) q = q.where('read_on', '>=', from);
    const row = await q.orderBy('read_on', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row ? milli(row.value) : null;
  };
  const active = registers.filter((r) => r.obis.startsWith('1.8.'));
  const quantities = new Map<string, Milli>();
  let hasActual = false;
  for (const r of active) {
    const now = await closing(r.id, lastDay(period), firstDay(period));
    if (now === null) continue;
    hasActual = true;
    const before = (await closing(r.id, lastDay(prevPeriod(period)))) ?? milli(r.install_reading);
    quantities.set(
      r.obis,
      milli(readingAdvance({ previous: before, value: now, digits: r.digits }) * r.multiplier),
    );
  }
  const lines: LineRow[] = [];
  const pricing = versionFor(versions, period).pricing;
  const toRows = (energy: EnergyLine[], basis: 'actual' | 'estimated'): LineRow[] =>
    energy.map((l) => ({
      kind: l.kind,
      basis,
      obis: l.register,
      forPeriod: null,
      quantity: l.quantity,
      price: l.price,
      amount: l.amount,
    }));

  if (hasActual) {
    for (const r of active) if (!quantities.has(r.obis)) quantities.set(r.obis, milli(0n));
    const estimated = await estimatedPeriodsBefore(trx, c.id, period);
    let current = quantities;
    if (estimated.length > 0) {
      const days = [...estimated.map((p) => daysInPeriod(p)), daysInPeriod(period)];
      const shares = new Map([...quantities].map(([obis, t]) => [obis, recalculationShares(t, days)]));
      const shareOf = (i: number) => new Map([...shares].map(([obis, s]) => [obis, s[i] ?? milli(0n)]));
      for (const [i, p] of estimated.entries()) {
        const billed = await billedEnergy(trx, c.id, p);
        const own = shareOf(i);
        const recomputed = totalOf(
          priceEnergy({
            pricing: versionFor(versions, p).pricing,
            quantities: own,
            volume: await volumeOf(p),
            rule,
          }),
        );
        const share = milli([...own.values()].reduce((a, b) => a + b, 0n));
        const line = recalculationLine({
          forPeriod: p,
          share,
          billedQuantity: billed.quantity,
          billedAmount: billed.amount,
          recomputedAmount: recomputed,
        });
        if (line)
          lines.push({
            kind: 'recalculation',
            basis: null,
            obis: null,
            forPeriod: p,
            quantity: line.quantity,
            price: null,
            amount: line.amount,
          });
      }
      current = shareOf(estimated.length);
    }
    lines.unshift(
      ...toRows(
        priceEnergy({ pricing, quantities: current, volume: await volumeOf(period), rule }),
        'actual',
      ),
    );
    const reactiveRegister = registers.find((r) => r.obis === '3.8.0');
    const reactivePrice = versionFor(versions, period).reactivePrice;
    if (reactiveRegister && terms.tan_phi_norm !== null && reactivePrice !== null) {
      const now = await closing(reactiveRegister.id, lastDay(period), firstDay(period));
      if (now !== null) {
        const before =
          (await closing(reactiveRegister.id, lastDay(prevPeriod(period)))) ??
          milli(reactiveRegister.install_reading);
        const reactive = milli(
          readingAdvance({ previous: before, value: now, digits: reactiveRegister.digits }) *
            reactiveRegister.multiplier,
        );
        const activeTotal = milli([...current.values()].reduce((a, b) => a + b, 0n));
        const line = reactiveLine({
          active: activeTotal,
          reactive,
          tanPhiNorm: parseRatio(String(terms.tan_phi_norm)),
          price: reactivePrice,
        });
        if (line)
          lines.push({
            kind: 'reactive',
            basis: 'actual',
            obis: '3.8.0',
            forPeriod: null,
            quantity: line.quantity,
            price: line.price,
            amount: line.amount,
          });
      }
    }
  } else {
    const last = await lastActual(trx, c.id, period);
    const estimate = estimateQuantity({
      method: terms.estimation === 'average_daily' ? 'average_daily' : 'contract',
      days: daysInPeriod(period),
      volume: await volumeOf(period),
      lastActual: last ? { quantity: last.quantity, days: daysInPeriod(last.period) } : null,
    });
    if (!estimate || active.length === 0) return 'NO_READING_NO_VOLUME';
    const registersOf = active.map((r) => r.obis);
    const split =
      registersOf.length > 1
        ? splitOverZones(estimate.quantity, registersOf, last?.byRegister ?? null)
        : new Map([[registersOf[0] ?? '1.8.0', estimate.quantity]]);
    lines.push(...toRows(priceEnergy({ pricing, quantities: split }), 'estimated'));
  }
  await postLines(trx, c.id, period, lines);
  return null;
}

/** The closed periods right before `period` billed on an estimate, oldest first. */
async function estimatedPeriodsBefore(
  trx: Transaction<DB>,
  contractId: bigint,
  period: Period,
): Promise<Period[]> {
  const out: Period[] = [];
  for (let p = prevPeriod(period); ; p = prevPeriod(p)) {
    const bases = await trx
      .selectFrom('bill_line as l')
      .innerJoin('bill as b', 'b.id', 'l.bill_id')
      .select('l.basis')
      .distinct()
      .where('b.contract_id', '=', contractId)
      .where('b.period', '=', p)
      .where('l.kind', 'in', ['energy', 'overconsumption'])
      .execute();
    if (bases.length === 0 || bases.some((b) => b.basis === 'actual')) break;
    out.unshift(p);
  }
  return out;
}

/** Energy and overconsumption billed for a period: quantity and amount, each the sum of its lines. */
async function billedEnergy(
  trx: Transaction<DB>,
  contractId: bigint,
  p: Period,
): Promise<{ quantity: Milli; amount: Tiyin }> {
  const row = await trx
    .selectFrom('bill_line as l')
    .innerJoin('bill as b', 'b.id', 'l.bill_id')
    .select([
      sql<string>`coalesce(sum(l.quantity), 0)`.as('q'),
      sql<string>`coalesce(sum(l.amount), 0)`.as('a'),
    ])
    .where('b.contract_id', '=', contractId)
    .where('b.period', '=', p)
    .where('l.kind', 'in', ['energy', 'overconsumption'])
    .executeTakeFirstOrThrow();
  return { quantity: milli(BigInt(row.q)), amount: tiyin(BigInt(row.a)) };
}

/** The latest period billed on actual readings before `period`, with its quantity per register. */
async function lastActual(
  trx: Transaction<DB>,
  contractId: bigint,
  period: Period,
): Promise<{ period: Period; quantity: Milli; byRegister: Map<string, Milli> } | null> {
  const rows = await trx
    .selectFrom('bill_line as l')
    .innerJoin('bill as b', 'b.id', 'l.bill_id')
    .select(['b.period', 'l.obis', 'l.quantity'])
    .where('b.contract_id', '=', contractId)
    .where('b.period', '<', period)
    .where('l.basis', '=', 'actual')
    .where('l.kind', 'in', ['energy', 'overconsumption'])
    .orderBy('b.period', 'desc')
    .execute();
  const latest = rows[0]?.period;
  if (!latest) return null;
  const byRegister = new Map<string, Milli>();
  let total = 0n;
  for (const r of rows.filter((x) => x.period === latest)) {
    const q = r.quantity ?? 0n;
    total += q;
    byRegister.set(r.obis ?? '1.8.0', milli((byRegister.get(r.obis ?? '1.8.0') ?? 0n) + q));
  }
  return { period: parsePeriod(latest), quantity: milli(total), byRegister };
}

/** Appends lines to the contract's bill of the period (created on first use), in posting order. */
export async function postLines(
  trx: Transaction<DB>,
  contractId: bigint,
  period: Period,
  lines: readonly LineRow[],
): Promise<void> {
  const kept = lines.filter((l) => (l.quantity ?? 0n) !== 0n || l.amount !== 0n);
  if (kept.length === 0) return;
  const contract = await trx
    .selectFrom('contract')
    .select('tenant_id')
    .where('id', '=', contractId)
    .executeTakeFirstOrThrow();
  const bill = await trx
    .insertInto('bill')
    .values({ tenant_id: contract.tenant_id, contract_id: contractId, period })
    .onConflict((oc) => oc.columns(['contract_id', 'period']).doUpdateSet({ period }))
    .returning('id')
    .executeTakeFirstOrThrow();
  const last = await trx
    .selectFrom('bill_line')
    .select(sql<number>`coalesce(max(seq), 0)`.as('seq'))
    .where('bill_id', '=', bill.id)
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('bill_line')
    .values(
      kept.map((l, i) => ({
        bill_id: bill.id,
        seq: Number(last.seq) + i + 1,
        kind: l.kind,
        basis: l.basis,
        obis: l.obis,
        for_period: l.forPeriod,
        quantity: l.quantity,
        price: l.price,
        amount: l.amount,
      })),
    )
    .execute();
}

/** Accrues the penalties of the period's days on the contract's overdue items and posts one line. */
async function postPenalty(
  trx: Transaction<DB>,
  settings: Settings,
  contractId: bigint,
  period: Period,
): Promise<void> {
  const terms = await termsInForce(trx, contractId, lastDay(period));
  const rate = terms?.special_supply ? settings.specialPenaltyRate : settings.penaltyRate;
  const items = await trx
    .selectFrom('bill_line as l')
    .innerJoin('bill as b', 'b.id', 'l.bill_id')
    .select(['l.id', 'l.amount', 'l.penalty_accrued', 'b.period'])
    .where('b.contract_id', '=', contractId)
    .where('b.period', '<=', addPeriods(period, -2))
    .where('l.kind', '<>', 'penalty')
    .where('l.amount', '>', 0n)
    .execute();
  const exacts: ExactPenalty[] = [];
  for (const item of items) {
    const changes = await trx
      .selectFrom('allocation')
      .select(['allocated_on', 'amount'])
      .where('bill_line_id', '=', item.id)
      .where('allocated_on', '<=', lastDay(period))
      .execute();
    const result = accruePenalty({
      posted: parsePeriod(item.period),
      amount: tiyin(item.amount),
      changes: changes.map((a) => ({ date: a.allocated_on as LocalDate, delta: tiyin(-a.amount) })),
      rate,
      cap: settings.penaltyCap,
      period,
      accruedBefore: exactPenalty(BigInt(String(item.penalty_accrued))),
    });
    if (result.exact === 0n) continue;
    exacts.push(result.exact);
    await trx
      .updateTable('bill_line')
      .set({ penalty_accrued: result.cumulative.toString() })
      .where('id', '=', item.id)
      .execute();
  }
  const amount = penaltyLineAmount(exacts);
  if (amount !== 0n) {
    await postLines(trx, contractId, period, [
      { kind: 'penalty', basis: null, obis: null, forPeriod: null, quantity: null, price: null, amount },
    ]);
  }
}

/** Numbers the period's bills and fills in totals, VAT and dates; returns how many there are. */
async function finishBills(
  trx: Transaction<DB>,
  tenantId: bigint,
  period: Period,
  vatPercent: bigint,
): Promise<number> {
  const bills = await trx
    .selectFrom('bill as b')
    .innerJoin('contract as k', 'k.id', 'b.contract_id')
    .select(['b.id', 'k.number'])
    .where('b.tenant_id', '=', tenantId)
    .where('b.period', '=', period)
    .orderBy('k.number')
    .execute();
  for (const [i, b] of bills.entries()) {
    const lines = await trx
      .selectFrom('bill_line')
      .select(['id', 'amount'])
      .where('bill_id', '=', b.id)
      .execute();
    for (const l of lines)
      await trx
        .updateTable('bill_line')
        .set({ vat: vatOf(tiyin(l.amount), vatPercent) })
        .where('id', '=', l.id)
        .execute();
    await trx
      .updateTable('bill')
      .set({
        number: `${period.replace('-', '')}-${String(i + 1).padStart(6, '0')}`,
        issued_on: lastDay(period),
        due_on: lastDay(nextPeriod(period)),
        total: sumMoney(lines.map((l) => tiyin(l.amount))),
        vat: sumMoney(lines.map((l) => vatOf(tiyin(l.amount), vatPercent))),
      })
      .where('id', '=', b.id)
      .execute();
  }
  return bills.length;
}
