import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { addDays, type LocalDate, parseLocalDate, todayInTashkent } from '../../domain/period.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { ANSWER_DAYS, type ClaimKind, checkTransition, isFinal } from './claim-status.ts';
import type { ClaimMove } from './claims.schemas.ts';
import { claimView } from './claims.views.ts';

// Moving a claim along its kind's state machine (docs/decisions/018-claims.md): the claim row,
// its history row and the audit row in one transaction.

/** CLAIM_DATE_INVALID unless `day` lies in [from, to]. */
export function checkDate(day: LocalDate, from: LocalDate, to: LocalDate): void {
  if (day < from || day > to)
    throw new AppError('CLAIM_DATE_INVALID', `${day} is outside ${from}..${to}`, { from, to, day });
}

/** Writes one status move of a locked claim: the row, its history row and the audit row. */
export async function moveStatus(
  trx: Transaction<DB>,
  actor: Actor,
  m: {
    claim: { id: bigint; kind: ClaimKind; status: string; path: string };
    to: string;
    on: LocalDate;
    note: string | null;
    extra: { due_on?: string | null; hearing_on?: string | null };
  },
): Promise<void> {
  const before = await trx
    .selectFrom('claim')
    .select(['status', 'due_on', 'hearing_on', 'closed_on', 'tenant_id'])
    .where('id', '=', m.claim.id)
    .executeTakeFirstOrThrow();
  const final = isFinal(m.claim.kind, m.to);
  const change = {
    status: m.to,
    ...m.extra,
    ...(final ? { closed_on: m.on, closed_at: sql<Date>`now()` } : {}),
  };
  await trx.updateTable('claim').set(change).where('id', '=', m.claim.id).execute();
  await trx
    .insertInto('claim_event')
    .values({
      claim_id: m.claim.id,
      from_status: m.claim.status,
      to_status: m.to,
      on_date: m.on,
      note: m.note,
      user_id: actor.type === 'user' && actor.id ? BigInt(actor.id) : null,
    })
    .execute();
  await writeAudit(trx, actor, {
    action: 'claim.status',
    entity: 'claim',
    entityId: m.claim.id,
    tenantId: before.tenant_id,
    orgUnitPath: m.claim.path,
    before: {
      status: before.status,
      due_on: before.due_on,
      hearing_on: before.hearing_on,
      closed_on: before.closed_on,
    },
    after: {
      status: m.to,
      on: m.on,
      note: m.note,
      due_on: m.extra.due_on ?? before.due_on,
      hearing_on: m.extra.hearing_on ?? before.hearing_on,
      closed_on: final ? m.on : null,
    },
  });
}

/**
 * Moves a claim to `move.status` on `move.on` (default today; not before its last move, not in
 * the future): CLAIM_TRANSITION when its kind's machine does not allow it, CLAIM_HEARING_REQUIRED
 * for a hearing without its date. Sending a letter or claim sets its answer due date. Executing a
 * disconnection order only records it: no command goes to a meter (there is no head-end module).
 */
export async function changeClaimStatus(
  db: Kysely<DB>,
  actor: Actor,
  input: { claimId: bigint; move: ClaimMove },
  now: Date = new Date(),
) {
  const { move } = input;
  await db.transaction().execute(async (trx) => {
    const claim = await trx
      .selectFrom('claim as cl')
      .innerJoin('org_unit as ou', 'ou.id', 'cl.org_unit_id')
      .select(['cl.id', 'cl.kind', 'cl.status', 'cl.number', 'cl.opened_on', 'ou.path'])
      .where('cl.id', '=', input.claimId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const kind = claim.kind as ClaimKind;
    checkTransition({ kind, number: claim.number, status: claim.status }, move.status);
    const last = await trx
      .selectFrom('claim_event')
      .select((eb) => eb.fn.max('on_date').as('on'))
      .where('claim_id', '=', claim.id)
      .executeTakeFirst();
    const today = todayInTashkent(now);
    const on = parseLocalDate(move.on ?? today);
    const earliest = (last?.on ?? claim.opened_on) as LocalDate;
    checkDate(on, earliest > claim.opened_on ? earliest : (claim.opened_on as LocalDate), today);
    const extra: { due_on?: string | null; hearing_on?: string | null } = {};
    if (move.status === 'hearing') {
      if (!move.hearingOn) throw new AppError('CLAIM_HEARING_REQUIRED', 'A hearing needs its date');
      checkDate(parseLocalDate(move.hearingOn), on, addDays(today, 3 * 366));
      extra.hearing_on = move.hearingOn;
    }
    if (move.status === 'sent') {
      const days = ANSWER_DAYS[kind] ?? 0;
      const due = parseLocalDate(move.dueOn ?? addDays(on, days));
      checkDate(due, on, addDays(today, 3 * 366));
      extra.due_on = due;
    }
    await moveStatus(trx, actor, {
      claim: { id: claim.id, kind, status: claim.status, path: claim.path },
      to: move.status,
      on,
      note: move.note || null,
      extra,
    });
  });
  return claimView(db, input.claimId);
}
