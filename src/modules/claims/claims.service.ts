import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { formatMoney, parseMoney, tiyin } from '../../domain/money.ts';
import { addDays, type LocalDate, parseLocalDate, todayInTashkent } from '../../domain/period.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import type { Permission } from '../auth/permissions.ts';
import {
  type ClaimGround,
  type ClaimKind,
  claimNumber,
  ESCALATABLE,
  initialStatus,
  isFinal,
} from './claim-status.ts';
import { checkDate, moveStatus } from './claims.move.ts';
import type { ClaimInput } from './claims.schemas.ts';
import { claimView } from './claims.views.ts';
import { debtOf } from './debtors.ts';

// Use cases of claims and litigation (R11, docs/decisions/018-claims.md): find a claim in scope,
// open one against a contract (in one transaction with its history row and its audit row), and the
// claims open on a day for the Vitrina. Moving a claim on is claims.move.ts.

/** How far back a claim's dates may go. */
const MAX_DAYS_BACK = 366;

/**
 * The claim `id` of the caller's supplier when `permission` holds at its unit; otherwise
 * UNKNOWN_CLAIM, so that ids outside the caller's scope cannot be probed.
 */
export async function claimInScope(
  db: Kysely<DB>,
  access: Access,
  permission: Permission,
  id: string,
): Promise<{ id: bigint; tenantId: bigint; path: string }> {
  const row = await db
    .selectFrom('claim as cl')
    .innerJoin('org_unit as ou', 'ou.id', 'cl.org_unit_id')
    .select(['cl.id', 'cl.tenant_id', 'ou.path'])
    .where('cl.id', '=', BigInt(id))
    .where('cl.tenant_id', '=', access.user.tenantId)
    .executeTakeFirst();
  if (!row || !access.canAt(permission, row.path))
    throw new AppError('UNKNOWN_CLAIM', `Unknown claim ${id}`, { id });
  return { id: row.id, tenantId: row.tenant_id, path: row.path };
}

/** True when the claim asks for a debt to be paid (it cannot be made without one). */
function needsDebt(kind: ClaimKind, ground: ClaimGround | null): boolean {
  return (
    kind === 'warning_letter' ||
    kind === 'pretrial_claim' ||
    (kind === 'disconnection_order' && ground === 'debt')
  );
}

/** The next number of a kind in a year at a supplier; the counter row serialises concurrent claims. */
async function nextNumber(
  trx: Transaction<DB>,
  tenantId: bigint,
  kind: ClaimKind,
  year: number,
): Promise<string> {
  const row = await sql<{ last: number }>`
    insert into claim_counter (tenant_id, kind, year, last) values (${tenantId}, ${kind}, ${year}, 1)
    on conflict (tenant_id, kind, year) do update set last = claim_counter.last + 1
    returning last`.execute(trx);
  const last = row.rows[0]?.last;
  if (last === undefined) throw new Error('claim counter returned nothing');
  return claimNumber(kind, year, Number(last));
}

/** CLAIM_OPEN_EXISTS when the contract has an open claim of `kind`. */
async function assertNoOpen(trx: Transaction<DB>, contractId: bigint, kind: ClaimKind): Promise<void> {
  const open = await trx
    .selectFrom('claim')
    .select('number')
    .where('contract_id', '=', contractId)
    .where('kind', '=', kind)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  if (open)
    throw new AppError('CLAIM_OPEN_EXISTS', `Contract ${contractId} has open ${kind} ${open.number}`, {
      number: open.number,
    });
}

function isOpenClaimConflict(e: unknown): boolean {
  const err = e as { code?: unknown; constraint?: unknown; message?: unknown };
  return err?.code === '23505' && String(err.constraint ?? err.message ?? '').includes('claim_open_idx');
}

/**
 * Opens a claim against a contract in the caller's `claim.write` scope (UNKNOWN_ACCOUNT outside
 * it). The debt defaults to the contract's debt on `debtAsOf` (the Vitrina's balance), or to the
 * pre-trial claim's for a court case filed from one, which becomes `escalated`. A letter, a
 * pre-trial claim and a disconnection order for debt need a debt (CLAIM_NO_DEBT); a second open
 * claim of a kind is refused (CLAIM_OPEN_EXISTS). Audited with its history row.
 */
export async function createClaim(
  db: Kysely<DB>,
  access: Access,
  actor: Actor,
  input: ClaimInput,
  now: Date = new Date(),
) {
  const contract = await db
    .selectFrom('contract as k')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['k.id', 'k.number', 'k.tenant_id', 'k.org_unit_id', 'ou.path'])
    .where('k.id', '=', BigInt(input.contractId))
    .where('k.tenant_id', '=', access.user.tenantId)
    .executeTakeFirst();
  if (!contract || !access.canAt('claim.write', contract.path))
    throw new AppError('UNKNOWN_ACCOUNT', `Unknown account ${input.contractId}`, {
      account: input.contractId,
    });

  const kind = input.kind;
  const ground = input.ground ?? null;
  if ((kind === 'disconnection_order') !== (ground !== null))
    throw new AppError('CLAIM_GROUND', 'A disconnection order, and only it, has a ground');
  const courtFields = input.courtName ?? input.caseNumber ?? input.hearingOn ?? input.parentId;
  if (kind !== 'court_case' && courtFields !== undefined)
    throw new AppError('VALIDATION_FAILED', 'Court fields belong to court cases', {
      issues: 'courtName, caseNumber, hearingOn and parentId are for court cases only',
    });

  const today = todayInTashkent(now);
  const openedOn = parseLocalDate(input.openedOn ?? today);
  checkDate(openedOn, addDays(today, -MAX_DAYS_BACK), today);
  const debtAsOf = parseLocalDate(input.debtAsOf ?? openedOn);
  checkDate(debtAsOf, addDays(openedOn, -MAX_DAYS_BACK), openedOn);
  if (input.hearingOn) checkDate(parseLocalDate(input.hearingOn), openedOn, addDays(today, 3 * 366));
  if (input.dueOn) checkDate(parseLocalDate(input.dueOn), openedOn, addDays(today, 3 * 366));

  const id = await db.transaction().execute(async (trx) => {
    let parent: {
      id: bigint;
      number: string;
      status: string;
      debt_amount: bigint;
      penalty_amount: bigint;
      debt_as_of: string;
      debt_since: string | null;
    } | null = null;
    if (input.parentId) {
      const row = await trx
        .selectFrom('claim')
        .select(['id', 'number', 'kind', 'status', 'contract_id', 'opened_on'])
        .select(['debt_amount', 'penalty_amount', 'debt_as_of', 'debt_since'])
        .where('id', '=', BigInt(input.parentId))
        .where('tenant_id', '=', contract.tenant_id)
        .forUpdate()
        .executeTakeFirst();
      if (
        row?.kind !== 'pretrial_claim' ||
        row.contract_id !== contract.id ||
        !(ESCALATABLE as readonly string[]).includes(row.status)
      )
        throw new AppError('CLAIM_PARENT_INVALID', `Claim ${input.parentId} cannot be escalated`);
      // The escalation is the claim's next move: not before its last one.
      const last = await trx
        .selectFrom('claim_event')
        .select((eb) => eb.fn.max('on_date').as('on'))
        .where('claim_id', '=', row.id)
        .executeTakeFirst();
      checkDate(openedOn, (last?.on ?? row.opened_on) as LocalDate, today);
      parent = row;
    }
    await assertNoOpen(trx, contract.id, kind);

    const computed = await debtOf(trx, contract.tenant_id, contract.id, debtAsOf);
    if (needsDebt(kind, ground) && computed.debt <= 0n)
      throw new AppError('CLAIM_NO_DEBT', `No debt on ${debtAsOf}`, { on: debtAsOf });
    const fromParent = parent !== null && input.debtAmount === undefined;
    const debtAmount = input.debtAmount
      ? parseMoney(input.debtAmount)
      : fromParent && parent
        ? parent.debt_amount
        : computed.debt > 0n
          ? computed.debt
          : 0n;
    const penaltyAmount = input.penaltyAmount
      ? parseMoney(input.penaltyAmount)
      : fromParent && parent
        ? parent.penalty_amount
        : 0n;
    const status = initialStatus(kind);
    const number = await nextNumber(trx, contract.tenant_id, kind, Number(openedOn.slice(0, 4)));
    const values = {
      tenant_id: contract.tenant_id,
      org_unit_id: contract.org_unit_id,
      contract_id: contract.id,
      kind,
      number,
      status,
      ground,
      debt_amount: debtAmount,
      debt_as_of: fromParent && parent ? parent.debt_as_of : debtAsOf,
      debt_since: fromParent && parent ? parent.debt_since : computed.oldestPeriod,
      penalty_amount: penaltyAmount,
      court_name: input.courtName ?? null,
      case_number: input.caseNumber ?? null,
      due_on: input.dueOn ?? null,
      hearing_on: input.hearingOn ?? null,
      parent_id: parent?.id ?? null,
      note: input.note || null,
      opened_on: openedOn,
      created_by: actor.type === 'user' && actor.id ? BigInt(actor.id) : null,
    };
    let created: { id: bigint };
    try {
      created = await trx.insertInto('claim').values(values).returning('id').executeTakeFirstOrThrow();
    } catch (e) {
      if (isOpenClaimConflict(e))
        throw new AppError('CLAIM_OPEN_EXISTS', 'An open claim of this kind appeared meanwhile', {
          number: '—',
        });
      throw e;
    }
    await trx
      .insertInto('claim_event')
      .values({
        claim_id: created.id,
        from_status: null,
        to_status: status,
        on_date: openedOn,
        note: input.note || null,
        user_id: values.created_by,
      })
      .execute();
    await writeAudit(trx, actor, {
      action: 'claim.create',
      entity: 'claim',
      entityId: created.id,
      tenantId: contract.tenant_id,
      orgUnitPath: contract.path,
      after: { ...values, contract: contract.number },
    });
    if (parent) {
      await moveStatus(trx, actor, {
        claim: { id: parent.id, kind: 'pretrial_claim', status: parent.status, path: contract.path },
        to: 'escalated',
        on: openedOn,
        note: `→ ${number}`,
        extra: {},
      });
    }
    return created.id;
  });
  return claimView(db, id);
}

/**
 * The contract's claims open at the end of `on`, for the Vitrina (R14): opened by then and, by
 * their history, not in a final status that day; each with its status that day. Newest first.
 */
export async function claimsOpenOn(db: Kysely<DB>, contractId: bigint, on: LocalDate) {
  const rows = await db
    .selectFrom('claim as cl')
    .select(['cl.id', 'cl.number', 'cl.kind', 'cl.ground', 'cl.debt_amount', 'cl.penalty_amount'])
    .select(['cl.debt_as_of', 'cl.opened_on', 'cl.due_on', 'cl.hearing_on'])
    .select((eb) =>
      eb
        .selectFrom('claim_event as e')
        .select('e.to_status')
        .whereRef('e.claim_id', '=', 'cl.id')
        .where('e.on_date', '<=', on)
        .orderBy('e.on_date', 'desc')
        .orderBy('e.id', 'desc')
        .limit(1)
        .as('status_then'),
    )
    .where('cl.contract_id', '=', contractId)
    .where('cl.opened_on', '<=', on)
    .orderBy('cl.opened_on', 'desc')
    .orderBy('cl.id', 'desc')
    .execute();
  return rows
    .filter((r) => r.status_then !== null && !isFinal(r.kind as ClaimKind, r.status_then))
    .map((r) => ({
      id: String(r.id),
      number: r.number,
      kind: r.kind as ClaimKind,
      status: r.status_then ?? '',
      ground: r.ground as ClaimGround | null,
      debtAmount: formatMoney(tiyin(r.debt_amount)),
      penaltyAmount: formatMoney(tiyin(r.penalty_amount)),
      debtAsOf: r.debt_as_of,
      openedOn: r.opened_on,
      dueOn: r.due_on,
      hearingOn: r.hearing_on,
    }));
}
