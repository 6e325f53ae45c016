import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { addDays, type LocalDate } from '../domain/period.ts';
import { SYSTEM_ACTOR, writeAudit } from '../modules/audit/audit.ts';
import { ANSWER_DAYS, type ClaimKind, claimNumber, isFinal } from '../modules/claims/claim-status.ts';
import { type Debtor, listDebtors } from '../modules/claims/debtors.ts';
import { allocateIds, at } from './batch.ts';

// A handful of claims of the electricity supplier's lawyers, so that their pages are not empty
// (R11): warning letters, a pre-trial claim escalated to a court case that awaits its hearing, and
// a disconnection order for debt — against the largest debtors of the Toshkent and Samarqand
// regions, taken from the debtor list itself. Inserted set-based: a few statements in all.

type Plan = {
  debtor: Debtor;
  kind: ClaimKind;
  ground: 'debt' | null;
  lawyer: bigint | null;
  parent: number | null; // index in the plan
  hearingOn: LocalDate | null;
  court: { name: string; caseNumber: string } | null;
  /** [status, days before today] from the creation on. */
  steps: [string, number][];
};

/** Loads the demo claims of `tenantId` as of `today`; returns how many were made. */
export async function loadDemoClaims(
  trx: Transaction<DB>,
  input: { tenantId: bigint; today: LocalDate },
): Promise<number> {
  const { tenantId, today } = input;
  const units = await trx
    .selectFrom('org_unit')
    .select(['code', 'path'])
    .where('tenant_id', '=', tenantId)
    .where('code', 'in', ['TSH', 'SAM'])
    .execute();
  const lawyers = await trx
    .selectFrom('app_user')
    .select(['id', 'login'])
    .where('login', 'in', ['lawyer.toshkent', 'lawyer.samarqand'])
    .execute();
  const lawyerOf = (login: string) => lawyers.find((u) => u.login === login)?.id ?? null;
  // The debt the claims ask for: the balance six weeks ago, overdue by more than a month then.
  const asOf = addDays(today, -41);
  const debtorsOf = async (code: string, n: number) => {
    const path = units.find((u) => u.code === code)?.path;
    if (!path) return [];
    const page = await listDebtors(trx, {
      tenantId,
      scope: [path],
      on: asOf,
      unitPath: null,
      minDebt: 0n,
      minDays: 30,
      sort: 'debt',
      dir: 'desc',
      limit: n,
      offset: 0,
    });
    return page.items;
  };
  const [t1, t2, t3, t4] = await debtorsOf('TSH', 4);
  const [s1] = await debtorsOf('SAM', 1);
  const tsh = lawyerOf('lawyer.toshkent');
  const sam = lawyerOf('lawyer.samarqand');
  const plans: Plan[] = [];
  const add = (p: Omit<Plan, 'ground' | 'parent' | 'hearingOn' | 'court'> & Partial<Plan>) =>
    plans.push({ ground: null, parent: null, hearingOn: null, court: null, ...p }) - 1;
  if (t1) {
    add({
      debtor: t1,
      kind: 'warning_letter',
      lawyer: tsh,
      steps: [
        ['draft', 40],
        ['sent', 38],
        ['expired', 27],
      ],
    });
    const claim = add({
      debtor: t1,
      kind: 'pretrial_claim',
      lawyer: tsh,
      steps: [
        ['draft', 25],
        ['sent', 24],
        ['rejected', 10],
        ['escalated', 5],
      ],
    });
    add({
      debtor: t1,
      kind: 'court_case',
      lawyer: tsh,
      parent: claim,
      hearingOn: addDays(today, 14),
      court: {
        name: 'Toshkent shahar iqtisodiy sudi',
        caseNumber: `4-1001-${today.slice(2, 4)}01/${100 + plans.length}`,
      },
      steps: [
        ['filed', 5],
        ['hearing', 3],
      ],
    });
  }
  if (t2) {
    add({
      debtor: t2,
      kind: 'warning_letter',
      lawyer: tsh,
      steps: [
        ['draft', 12],
        ['sent', 11],
      ],
    });
    add({ debtor: t2, kind: 'disconnection_order', ground: 'debt', lawyer: tsh, steps: [['issued', 1]] });
  }
  if (t3) add({ debtor: t3, kind: 'warning_letter', lawyer: tsh, steps: [['draft', 2]] });
  if (t4)
    add({
      debtor: t4,
      kind: 'warning_letter',
      lawyer: tsh,
      steps: [
        ['draft', 9],
        ['sent', 8],
        ['paid', 4],
      ],
    });
  if (s1)
    add({
      debtor: s1,
      kind: 'warning_letter',
      lawyer: sam,
      steps: [
        ['draft', 6],
        ['sent', 6],
      ],
    });
  if (plans.length === 0) return 0;

  // Numbers per kind and year of the opening day, in the order above.
  const counters = new Map<string, number>();
  const rows = plans.map((p) => {
    const openedOn = addDays(today, -(p.steps[0]?.[1] ?? 0));
    const key = `${p.kind}|${openedOn.slice(0, 4)}`;
    const seq = (counters.get(key) ?? 0) + 1;
    counters.set(key, seq);
    const [last, lastDays] = p.steps.at(-1) ?? ['', 0];
    const sent = p.steps.find(([s]) => s === 'sent');
    const closedOn = isFinal(p.kind, last) ? addDays(today, -lastDays) : null;
    return {
      number: claimNumber(p.kind, Number(openedOn.slice(0, 4)), seq),
      openedOn,
      status: last,
      closedOn,
      dueOn: sent ? addDays(addDays(today, -sent[1]), ANSWER_DAYS[p.kind] ?? 0) : null,
    };
  });
  const ids = await allocateIds(trx, 'claim', plans.length);
  const idAt = (i: number) => at(ids, i);
  await trx
    .insertInto('claim')
    .values(
      plans.map((p, i) => {
        const r = rows[i];
        if (!r) throw new Error('claim row missing');
        return {
          id: idAt(i),
          tenant_id: tenantId,
          org_unit_id: BigInt(p.debtor.orgUnit.id),
          contract_id: BigInt(p.debtor.contractId),
          kind: p.kind,
          number: r.number,
          status: r.status,
          ground: p.ground,
          debt_amount: BigInt(p.debtor.debt.replace('.', '')),
          debt_as_of: asOf,
          debt_since: p.debtor.oldestPeriod,
          penalty_amount: 0n,
          court_name: p.court?.name ?? null,
          case_number: p.court?.caseNumber ?? null,
          due_on: r.dueOn,
          hearing_on: p.hearingOn,
          parent_id: p.parent === null ? null : idAt(p.parent),
          opened_on: r.openedOn,
          created_by: p.lawyer,
          closed_on: r.closedOn,
          closed_at: r.closedOn === null ? null : new Date(`${r.closedOn}T12:00:00+05:00`),
          created_at: new Date(`${r.openedOn}T10:00:00+05:00`),
        };
      }),
    )
    .execute();
  await trx
    .insertInto('claim_event')
    .values(
      plans.flatMap((p, i) =>
        p.steps.map(([status, days], j) => ({
          claim_id: idAt(i),
          from_status: j === 0 ? null : (p.steps[j - 1]?.[0] ?? null),
          to_status: status,
          on_date: addDays(today, -days),
          user_id: p.lawyer,
          note: null,
          at: new Date(`${addDays(today, -days)}T11:00:00+05:00`),
        })),
      ),
    )
    .execute();
  await trx
    .insertInto('claim_counter')
    .values(
      [...counters].map(([key, last]) => {
        const [kind = '', year = '0'] = key.split('|');
        return { tenant_id: tenantId, kind, year: Number(year), last };
      }),
    )
    .execute();
  await writeAudit(trx, SYSTEM_ACTOR, {
    action: 'demo.claims',
    entity: 'claim',
    entityId: null,
    tenantId,
    after: { count: plans.length, numbers: rows.map((r) => r.number) },
  });
  return plans.length;
}
