import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';
import { type ClaimGround, type ClaimKind, ESCALATABLE, isFinal, nextStatuses } from './claim-status.ts';
import type { ZClaim, ZClaimSummary } from './claims.schemas.ts';

// How claims are shown: the summary of lists and the card with history and next moves.

export type ClaimSummary = z.infer<typeof ZClaimSummary>;
export type ClaimView = z.infer<typeof ZClaim>;

const money = (t: bigint) => formatMoney(tiyin(t));

/** The kinds that have a printable form (GET /api/claims/:id/pdf). */
export const PRINTABLE: ReadonlySet<ClaimKind> = new Set(['warning_letter', 'pretrial_claim']);

/** Claims as lists show them, in the order of `ids`. */
export async function claimSummaries(db: Kysely<DB>, ids: readonly bigint[]): Promise<ClaimSummary[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('claim as cl')
    .innerJoin('contract as k', 'k.id', 'cl.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('org_unit as ou', 'ou.id', 'cl.org_unit_id')
    .selectAll('cl')
    .select(['k.number as contract_number', 'c.id as consumer_id', 'c.name as consumer_name', 'c.inn'])
    .select('ou.name as unit_name')
    .where('cl.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const kind = r.kind as ClaimKind;
    return [
      {
        id: String(r.id),
        number: r.number,
        kind,
        status: r.status,
        open: !isFinal(kind, r.status),
        ground: r.ground as ClaimGround | null,
        contract: { id: String(r.contract_id), number: r.contract_number },
        consumer: { id: String(r.consumer_id), name: r.consumer_name, inn: r.inn },
        orgUnit: { id: String(r.org_unit_id), name: r.unit_name },
        debtAmount: money(r.debt_amount),
        penaltyAmount: money(r.penalty_amount),
        totalAmount: money(r.debt_amount + r.penalty_amount),
        debtAsOf: r.debt_as_of,
        debtSince: r.debt_since,
        openedOn: r.opened_on,
        dueOn: r.due_on,
        hearingOn: r.hearing_on,
        courtName: r.court_name,
        caseNumber: r.case_number,
        closedOn: r.closed_on,
      },
    ];
  });
}

/** One claim with its parent and court cases, history, author and the moves open to it. */
export async function claimView(db: Kysely<DB>, id: bigint): Promise<ClaimView> {
  const [summary] = await claimSummaries(db, [id]);
  if (!summary) throw new AppError('UNKNOWN_CLAIM', `Unknown claim ${id}`, { id: String(id) });
  const [row, related, events] = await Promise.all([
    db
      .selectFrom('claim as cl')
      .leftJoin('app_user as u', 'u.id', 'cl.created_by')
      .select(['cl.note', 'cl.parent_id', 'cl.created_at', 'u.full_name'])
      .where('cl.id', '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('claim')
      .select(['id', 'number', 'kind', 'status', 'parent_id'])
      .where((eb) =>
        eb.or([
          eb('parent_id', '=', id),
          eb('id', '=', eb.selectFrom('claim as p').select('p.parent_id').where('p.id', '=', id)),
        ]),
      )
      .orderBy('id')
      .execute(),
    db
      .selectFrom('claim_event as e')
      .leftJoin('app_user as u', 'u.id', 'e.user_id')
      .select(['e.from_status', 'e.to_status', 'e.on_date', 'e.note', 'e.at', 'u.full_name'])
      .where('e.claim_id', '=', id)
      .orderBy('e.on_date')
      .orderBy('e.id')
      .execute(),
  ]);
  const ref = (r: (typeof related)[number]) => ({
    id: String(r.id),
    number: r.number,
    kind: r.kind as ClaimKind,
    status: r.status,
  });
  const parent = related.find((r) => r.id === row.parent_id);
  return {
    ...summary,
    note: row.note,
    parent: parent ? ref(parent) : null,
    children: related.filter((r) => r.parent_id === id).map(ref),
    createdBy: row.full_name,
    createdAt: new Date(row.created_at).toISOString(),
    // Escalation is not a move of its own: it happens by filing a court case (canEscalate).
    next: nextStatuses(summary.kind, summary.status).filter((s) => s !== 'escalated'),
    canEscalate:
      summary.kind === 'pretrial_claim' && (ESCALATABLE as readonly string[]).includes(summary.status),
    printable: PRINTABLE.has(summary.kind),
    events: events.map((e) => ({
      from: e.from_status,
      to: e.to_status,
      on: e.on_date,
      note: e.note,
      by: e.full_name,
      at: new Date(e.at).toISOString(),
    })),
  };
}
