import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import { pgArray } from '../../../db/arrays.ts';
import type { DB } from '../../../db/schema.ts';
import { inScope } from '../../../db/scope.ts';
import { AppError } from '../../../domain/errors.ts';
import { formatMoney, tiyin } from '../../../domain/money.ts';
import type { PaymentDetail, PaymentListQuery, PaymentRow, PaymentStatus } from './office.schemas.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Who may see which payments: those of contracts under `paths`, and — for company-level staff
 * (`company`) — the payments without a contract (unmatched, or voided while unmatched).
 */
export type PaymentScope = { tenantId: bigint; paths: readonly string[]; company: boolean };

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Payments joined with their contract, consumer, org unit, channel and booking user. */
function paymentsIn(db: Db, scope: PaymentScope) {
  return db
    .selectFrom('payment as p')
    .innerJoin('payment_channel as ch', 'ch.code', 'p.channel')
    .leftJoin('contract as k', 'k.id', 'p.contract_id')
    .leftJoin('consumer as c', 'c.id', 'k.consumer_id')
    .leftJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .leftJoin('app_user as bu', 'bu.id', 'p.created_by')
    .where('p.tenant_id', '=', scope.tenantId)
    .where((eb) => {
      const contracts: Expression<SqlBool> = eb.and([
        eb('p.contract_id', 'is not', null),
        inScope('ou.path', scope.paths),
      ]);
      return scope.company ? eb.or([contracts, eb('p.contract_id', 'is', null)]) : contracts;
    });
}

const ROW_COLUMNS = [
  'p.id',
  'p.paid_on',
  'p.channel',
  'ch.name as channel_name',
  'p.external_id',
  'p.amount',
  'p.status',
  'p.payer',
  'p.purpose',
  'p.reversed_on',
  'p.reversal_reason',
  'p.received_at',
  'p.created_by',
  'p.import_batch_id',
  'bu.full_name as booked_by_name',
  'k.id as contract_id',
  'k.number as contract_number',
  'c.name as consumer_name',
  'ou.id as org_unit_id',
  'ou.name as org_unit_name',
] as const;

type RawRow = {
  id: bigint;
  paid_on: string;
  channel: string;
  channel_name: string;
  external_id: string;
  amount: bigint;
  status: string;
  payer: string | null;
  purpose: string | null;
  reversed_on: string | null;
  reversal_reason: string | null;
  received_at: Date | string;
  created_by: bigint | null;
  import_batch_id: bigint | null;
  booked_by_name: string | null;
  contract_id: bigint | null;
  contract_number: string | null;
  consumer_name: string | null;
  org_unit_id: bigint | null;
  org_unit_name: string | null;
};

type Reverser = { type: 'user' | 'consumer' | 'system' | 'provider'; id: string | null; name: string | null };

/** Who reversed each of the reversed payments among `ids`, from their audit rows. */
async function reversers(db: Db, ids: readonly bigint[]): Promise<Map<string, Reverser>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{
    entity_id: string;
    actor_type: string;
    actor_id: string | null;
    name: string | null;
  }>`
    select a.entity_id, a.actor_type, a.actor_id, u.full_name as name
      from audit_log a
      left join app_user u on a.actor_type = 'user' and u.id::text = a.actor_id
     where a.entity = 'payment' and a.action = 'payment.reverse'
       and a.entity_id = any(${pgArray(ids.map(String))}::text[])
     order by a.at`.execute(db);
  const out = new Map<string, Reverser>();
  for (const r of rows)
    out.set(r.entity_id, { type: r.actor_type as Reverser['type'], id: r.actor_id, name: r.name });
  return out;
}

function rowView(r: RawRow, by: Map<string, Reverser>): PaymentRow {
  return {
    id: String(r.id),
    paidOn: r.paid_on,
    channel: r.channel,
    channelName: r.channel_name,
    externalId: r.external_id,
    amount: formatMoney(tiyin(r.amount)),
    status: r.status as PaymentStatus,
    contract: r.contract_id === null ? null : { id: String(r.contract_id), number: r.contract_number ?? '' },
    consumerName: r.consumer_name,
    payer: r.payer,
    orgUnit: r.org_unit_id === null ? null : { id: String(r.org_unit_id), name: r.org_unit_name ?? '' },
    reversal:
      r.reversed_on === null
        ? null
        : { on: r.reversed_on, reason: r.reversal_reason, by: by.get(String(r.id)) ?? null },
    bookedBy: r.created_by === null ? null : { id: String(r.created_by), name: r.booked_by_name ?? '' },
    bookedAt: new Date(r.received_at).toISOString(),
  };
}

async function rowViews(db: Db, rows: RawRow[]): Promise<PaymentRow[]> {
  const by = await reversers(
    db,
    rows.filter((r) => r.status === 'reversed').map((r) => r.id),
  );
  return rows.map((r) => rowView(r, by));
}

/** The path of one org unit of the supplier (for the org-unit filter), if it exists. */
export async function orgUnitPath(db: Db, tenantId: bigint, id: bigint): Promise<string | undefined> {
  const row = await db
    .selectFrom('org_unit')
    .select('path')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.path;
}

/** A page of the payments in scope, filtered and sorted as asked (or all of them, for XLSX). */
export async function listPayments(
  db: Db,
  scope: PaymentScope,
  q: PaymentListQuery & { unitPath?: string | undefined; all?: boolean },
): Promise<{ items: PaymentRow[]; total: number }> {
  let base = paymentsIn(db, scope);
  if (q.channel) base = base.where('p.channel', '=', q.channel);
  if (q.status) base = base.where('p.status', '=', q.status);
  if (q.from) base = base.where('p.paid_on', '>=', q.from);
  if (q.to) base = base.where('p.paid_on', '<=', q.to);
  if (q.orgUnitId) base = base.where(inScope('ou.path', q.unitPath ? [q.unitPath] : []));
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    base = base.where((eb) =>
      eb.or([
        eb('k.number', '=', q.q ?? ''),
        eb('k.number', 'ilike', like),
        eb('p.external_id', 'ilike', like),
        eb('c.name', 'ilike', like),
        eb('p.payer', 'ilike', like),
      ]),
    );
  }
  const column = { paidOn: 'p.paid_on', amount: 'p.amount', contract: 'k.number' } as const;
  let page = base.select(ROW_COLUMNS).orderBy(column[q.sort], q.dir).orderBy('p.id', q.dir);
  if (!q.all) page = page.limit(q.limit).offset(q.offset);
  const [rows, count] = await Promise.all([
    page.execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await rowViews(db, rows), total: Number(count.n) };
}

/** One payment in scope as a list row, with its purpose and batch, or undefined. */
async function findRow(db: Db, scope: PaymentScope, id: bigint): Promise<RawRow | undefined> {
  return paymentsIn(db, scope).select(ROW_COLUMNS).where('p.id', '=', id).executeTakeFirst();
}

/** One payment in scope as a list row. */
export async function findPaymentRow(
  db: Db,
  scope: PaymentScope,
  id: bigint,
): Promise<PaymentRow | undefined> {
  const row = await findRow(db, scope, id);
  return row ? (await rowViews(db, [row]))[0] : undefined;
}

/** One payment in scope with its allocations (to which bills and lines, and their reversal). */
export async function findPaymentDetail(
  db: Db,
  scope: PaymentScope,
  id: bigint,
): Promise<PaymentDetail | undefined> {
  const row = await findRow(db, scope, id);
  if (!row) return undefined;
  const [view] = await rowViews(db, [row]);
  if (!view) return undefined;
  const allocations = await db
    .selectFrom('allocation as a')
    .innerJoin('bill_line as l', 'l.id', 'a.bill_line_id')
    .innerJoin('bill as b', 'b.id', 'l.bill_id')
    .select([
      'a.id',
      'a.amount',
      'a.allocated_on',
      'l.id as line_id',
      'l.kind',
      'l.for_period',
      'l.amount as line_amount',
      'b.id as bill_id',
      'b.number as bill_number',
      'b.period',
    ])
    .where('a.payment_id', '=', id)
    .orderBy('a.id')
    .execute();
  const allocated = allocations.reduce((s, a) => s + BigInt(a.amount), 0n);
  const advance = row.status === 'booked' ? BigInt(row.amount) - allocated : 0n;
  return {
    ...view,
    purpose: row.purpose,
    importBatchId: row.import_batch_id === null ? null : String(row.import_batch_id),
    allocations: allocations.map((a) => ({
      id: String(a.id),
      bill: { id: String(a.bill_id), number: a.bill_number, period: a.period },
      line: {
        id: String(a.line_id),
        kind: a.kind,
        forPeriod: a.for_period,
        amount: formatMoney(tiyin(a.line_amount)),
      },
      amount: formatMoney(tiyin(a.amount)),
      allocatedOn: a.allocated_on,
    })),
    allocated: formatMoney(tiyin(allocated)),
    advance: formatMoney(tiyin(advance)),
  };
}

/** A payment of the supplier with the org-unit path of its contract (null while it has none). */
export async function paymentWithPath(
  db: Db,
  tenantId: bigint,
  id: bigint,
): Promise<
  | { id: bigint; contractId: bigint | null; channel: string; externalId: string; path: string | null }
  | undefined
> {
  const row = await db
    .selectFrom('payment as p')
    .leftJoin('contract as k', 'k.id', 'p.contract_id')
    .leftJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['p.id', 'p.contract_id', 'p.channel', 'p.external_id', 'ou.path'])
    .where('p.tenant_id', '=', tenantId)
    .where('p.id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        contractId: row.contract_id,
        channel: row.channel,
        externalId: row.external_id,
        path: row.path,
      }
    : undefined;
}

/** A contract of the supplier with its org-unit path. */
export async function contractWithPath(
  db: Db,
  tenantId: bigint,
  id: bigint,
): Promise<{ id: bigint; number: string; path: string } | undefined> {
  return db
    .selectFrom('contract as k')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select(['k.id', 'k.number', 'ou.path'])
    .where('k.tenant_id', '=', tenantId)
    .where('k.id', '=', id)
    .executeTakeFirst();
}

/** Contracts under `paths` whose number, consumer name or INN matches `q`, exact numbers first. */
export async function findContracts(
  db: Db,
  q: { tenantId: bigint; paths: readonly string[]; q: string; limit: number },
) {
  const like = `%${escapeLike(q.q)}%`;
  const rows = await db
    .selectFrom('contract as k')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
    .select([
      'k.id',
      'k.number',
      'k.commodity',
      'k.status',
      'c.name as consumer_name',
      'c.inn',
      'ou.id as org_unit_id',
      'ou.name as org_unit_name',
    ])
    .where('k.tenant_id', '=', q.tenantId)
    .where(inScope('ou.path', q.paths))
    .where((eb) =>
      eb.or([
        eb('k.number', 'ilike', `${escapeLike(q.q)}%`),
        eb('c.name', 'ilike', like),
        eb('c.inn', '=', q.q),
      ]),
    )
    .orderBy(sql`case when k.number = ${q.q} then 0 else 1 end`)
    .orderBy('k.number')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    number: r.number,
    consumerName: r.consumer_name,
    inn: r.inn,
    commodity: r.commodity,
    status: r.status,
    orgUnit: { id: String(r.org_unit_id), name: r.org_unit_name },
  }));
}

/** The latest closed period of the supplier, if any (periods close in order). */
export async function lastClosedPeriod(db: Db, tenantId: bigint): Promise<string | null> {
  const row = await db
    .selectFrom('billing_period')
    .select((eb) => eb.fn.max('period').as('period'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  return row?.period ?? null;
}

/** The payment channels, for the filter (all) and the booking form (the active ones). */
export async function paymentChannels(db: Db): Promise<{ code: string; name: string; active: boolean }[]> {
  return db.selectFrom('payment_channel').select(['code', 'name', 'active']).orderBy('code').execute();
}

/** Refuses a channel deactivated in the reference data (or unknown): nothing is booked through it. */
export async function assertChannelActive(db: Db, channel: string): Promise<void> {
  const row = await db
    .selectFrom('payment_channel')
    .select('active')
    .where('code', '=', channel)
    .executeTakeFirst();
  if (!row?.active)
    throw new AppError('PAYMENT_CHANNEL_INACTIVE', `Channel ${channel} is not active`, { channel });
}
