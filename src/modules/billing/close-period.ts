import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DraftLine } from '../../domain/account-bill.ts';
import { AppError } from '../../domain/errors.ts';
import { vatOf } from '../../domain/money.ts';
import { type LocalDate, lastDay, nextPeriod, type Period } from '../../domain/period.ts';
import { postPeriodClose } from '../accounting/ledger.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { queueBillsIssued } from '../sms/sms.outbox.ts';
import { type BillingIssue, loadSettings } from './bill-engine.ts';
import { assertBillable, billRemaining, lockBilling } from './bill-run.service.ts';

/** What closing a period did. */
export type CloseResult = { period: Period; bills: number; issues: BillingIssue[] };

/**
 * Closes period P of a supplier (billing-rules §10): bills every account a bill run has not billed
 * yet (§2–§9), numbers the bills and freezes P. Periods close in order; closing a closed period or
 * skipping one is refused.
 */
export async function closePeriod(
  trx: Transaction<DB>,
  actor: Actor,
  input: { tenantId: bigint; period: Period; closedOn: LocalDate },
): Promise<CloseResult> {
  const { tenantId, period } = input;
  await lockBilling(trx, tenantId);
  await assertBillable(trx, tenantId, period, input.closedOn);
  const settings = await loadSettings(trx, tenantId);
  const { issues } = await billRemaining(trx, {
    tenantId,
    period,
    settings,
    runOn: input.closedOn,
    runId: null,
    tariffs: new Map(),
  });
  const failed = issues.filter((i) => i.severity === 'error');
  if (failed.length > 0) {
    const first = failed[0];
    throw new AppError(
      'PERIOD_HAS_ERRORS',
      `${failed.length} account(s) cannot be billed for ${period}; first: ${first?.account}: ${first?.message}`,
      { period, count: failed.length, account: first?.account ?? '', reason: first?.message ?? '' },
    );
  }
  const bills = await numberBills(trx, tenantId, period);
  // The period's bills enter the ledger with the close (decision 016), set-based.
  await postPeriodClose(trx, { tenantId, period });
  // "Bill issued" SMS for the numbered bills, set-based, committed with the close or not at all.
  await queueBillsIssued(trx, { tenantId, period });
  const closedBy = actor.type === 'user' && actor.id ? BigInt(actor.id) : null;
  await trx
    .insertInto('billing_period')
    .values({
      tenant_id: tenantId,
      period,
      status: 'closed',
      closed_at: sql<Date>`now()`,
      closed_by: closedBy,
    })
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'period'])
        .doUpdateSet({ status: 'closed', closed_at: sql<Date>`now()`, closed_by: closedBy }),
    )
    .execute();
  await writeAudit(trx, actor, {
    action: 'period.close',
    entity: 'billing_period',
    entityId: `${tenantId}:${period}`,
    tenantId,
    after: { period, closed_on: input.closedOn, bills, issues: issues.length },
  });
  return { period, bills, issues };
}

/** Numbers the period's bills that have lines, in account order, and sets their dates. */
async function numberBills(trx: Transaction<DB>, tenantId: bigint, period: Period): Promise<number> {
  const result = await sql`
    update bill b set number = n.number, issued_on = ${lastDay(period)}, due_on = ${lastDay(nextPeriod(period))}
      from (select b2.id, ${period.replace('-', '')} || '-' || lpad((row_number() over (order by k.number))::text, 6, '0') as number
              from bill b2 join contract k on k.id = b2.contract_id
             where b2.tenant_id = ${tenantId} and b2.period = ${period}
               and exists (select 1 from bill_line l where l.bill_id = b2.id)) n
     where b.id = n.id`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Appends lines to the contract's bill of an open period (created on first use), in posting
 * order, with their VAT, and updates the bill's totals. Used for charges posted during a period
 * (illegal use, corrections); the bill run posts its own lines set-based.
 */
export async function postLines(
  trx: Transaction<DB>,
  contractId: bigint,
  period: Period,
  lines: readonly DraftLine[],
): Promise<void> {
  const kept = lines.filter((l) => (l.quantity ?? 0n) !== 0n || l.amount !== 0n);
  if (kept.length === 0) return;
  const contract = await trx
    .selectFrom('contract as k')
    .innerJoin('tenant as t', 't.id', 'k.tenant_id')
    .select(['k.tenant_id', 't.vat_rate'])
    .where('k.id', '=', contractId)
    .executeTakeFirstOrThrow();
  const vatPercent = BigInt(String(contract.vat_rate).split('.')[0] ?? '12');
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
        vat: vatOf(l.amount, vatPercent),
      })),
    )
    .execute();
  await sql`
    update bill b set total = s.total, vat = s.vat
      from (select sum(amount) as total, sum(vat) as vat from bill_line where bill_id = ${bill.id}) s
     where b.id = ${bill.id}`.execute(trx);
}
