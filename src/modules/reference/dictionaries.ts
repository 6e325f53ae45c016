import { type RawBuilder, type Selectable, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { pgArray } from '../../db/arrays.ts';
import type { Bank, ConsumerCategory, DB, MeterType, PaymentChannel, ReasonCode } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type Dictionary, ZPatchBase } from './dictionary.ts';
import { type Db, uniqueOr } from './reference.shared.ts';

// The simple reference lists (R1). Banks, categories, meter types and reason codes belong to one
// supplier; payment channels are the installation's (their codes are protocol identifiers).

const ZCode = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'letters, digits, . _ -; up to 32');
const ZName = z.string().trim().min(1).max(200);
const ZMeta = { active: z.boolean(), revision: z.number(), updatedAt: z.string() };
const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const idOf = (id: string): bigint | null => (/^[0-9]{1,18}$/.test(id) ? BigInt(id) : null);
const meta = (r: { active: boolean; revision: number; updated_at: Date }) => ({
  active: r.active,
  revision: r.revision,
  updatedAt: r.updated_at.toISOString(),
});
const bump = (row: { revision: number }) => ({ revision: row.revision + 1, updated_at: new Date() });

function assertFree(taken: unknown, code: string): void {
  if (taken) throw new AppError('REFERENCE_CODE_TAKEN', `${code} exists`, { code });
}

async function countOf(db: Db, query: RawBuilder<{ n: string }>): Promise<number> {
  const r = await query.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

// Banks -----------------------------------------------------------------------------------------

type BankRow = Selectable<Bank>;
const ZBank = z.object({
  id: z.string(),
  mfo: z.string(),
  name: z.string(),
  ...ZMeta,
  uses: z.number().optional(),
});
type BankView = z.infer<typeof ZBank>;

async function lockBank(trx: Transaction<DB>, tenantId: bigint, id: string) {
  const key = idOf(id);
  if (key === null) return undefined;
  return trx
    .selectFrom('bank')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', key)
    .forUpdate()
    .executeTakeFirst();
}

function bankView(r: BankRow): BankView {
  return { id: String(r.id), mfo: r.mfo, name: r.name, ...meta(r) };
}

const ZBankPatch = ZPatchBase.extend({ name: ZName.optional() });

/** Banks by MFO: a bank a consumer or the supplier itself names is deactivated, never deleted. */
export const BANKS: Dictionary<
  BankRow,
  BankView,
  { mfo: string; name: string },
  z.infer<typeof ZBankPatch>
> = {
  path: 'banks',
  entity: 'bank',
  title: 'Banks (MFO)',
  ZView: ZBank,
  ZCreate: z.object({ mfo: z.string().regex(/^[0-9]{5}$/, 'MFO: 5 digits'), name: ZName }),
  ZPatch: ZBankPatch,
  sortable: ['mfo', 'name'],
  defaultSort: 'mfo',
  xlsx: {
    sheet: { uz: 'Banklar', 'uz-Cyrl': 'Банклар', ru: 'Банки', en: 'Banks' },
    columns: [
      { header: { uz: 'MFO', 'uz-Cyrl': 'МФО', ru: 'МФО', en: 'MFO' }, value: (b) => b.mfo, width: 8 },
      {
        header: { uz: 'Nomi', 'uz-Cyrl': 'Номи', ru: 'Название', en: 'Name' },
        value: (b) => b.name,
        width: 50,
      },
      {
        header: { uz: 'Faol', 'uz-Cyrl': 'Фаол', ru: 'Активен', en: 'Active' },
        value: (b) => (b.active ? '✓' : '—'),
        width: 8,
      },
      {
        header: { uz: "Iste'molchilar", 'uz-Cyrl': 'Истеъмолчилар', ru: 'Потребителей', en: 'Consumers' },
        type: 'number',
        value: (b) => b.uses ?? 0,
        width: 12,
      },
    ],
  },
  async list(db, tenantId, q) {
    let base = db.selectFrom('bank as b').where('b.tenant_id', '=', tenantId);
    if (q.q) {
      const text = q.q;
      base = base.where((eb) => eb.or([eb('b.mfo', 'like', `${text}%`), eb('b.name', 'ilike', like(text))]));
    }
    if (q.active !== undefined) base = base.where('b.active', '=', q.active);
    const [rows, count] = await Promise.all([
      base
        .selectAll('b')
        .select(
          sql<string>`(select count(*) from consumer c where c.tenant_id = b.tenant_id and c.bank_mfo = b.mfo)`.as(
            'uses',
          ),
        )
        .orderBy(q.sort === 'name' ? 'b.name' : 'b.mfo', q.dir)
        .orderBy('b.mfo')
        .limit(q.limit)
        .offset(q.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map((r) => ({ ...bankView(r), uses: Number(r.uses) })), total: Number(count.n) };
  },
  async create(trx, tenantId, body) {
    assertFree(
      await trx
        .selectFrom('bank')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('mfo', '=', body.mfo)
        .executeTakeFirst(),
      body.mfo,
    );
    return uniqueOr(body.mfo, () =>
      trx
        .insertInto('bank')
        .values({ tenant_id: tenantId, mfo: body.mfo, name: body.name })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  },
  lock: lockBank,
  update: (trx, row, p) =>
    trx
      .updateTable('bank')
      .set({ name: p.name ?? row.name, active: p.active ?? row.active, ...bump(row) })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  usage: (trx, tenantId, row) =>
    countOf(
      trx,
      sql<{ n: string }>`
        select (select count(*) from consumer where tenant_id = ${tenantId} and bank_mfo = ${row.mfo})
             + (select count(*) from tenant where id = ${tenantId} and bank_mfo = ${row.mfo}) as n`,
    ),
  async remove(trx, row) {
    await trx.deleteFrom('bank').where('id', '=', row.id).execute();
  },
  view: bankView,
  id: (r) => r.mfo,
};

// Consumer categories ---------------------------------------------------------------------------

type CategoryRow = Selectable<ConsumerCategory>;
const KINDS = ['legal', 'household'] as const;
const ZCategory = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(KINDS),
  ...ZMeta,
  uses: z.number().optional(),
});
type CategoryView = z.infer<typeof ZCategory>;
const ZCategoryPatch = ZPatchBase.extend({ name: ZName.optional() });

function categoryView(r: CategoryRow): CategoryView {
  return {
    id: String(r.id),
    code: r.code,
    name: r.name,
    kind: r.kind === 'household' ? 'household' : 'legal',
    ...meta(r),
  };
}

/** Consumer categories (legal or household); the kind is fixed once made, the name may change. */
export const CATEGORIES: Dictionary<
  CategoryRow,
  CategoryView,
  { code: string; name: string; kind: (typeof KINDS)[number] },
  z.infer<typeof ZCategoryPatch>
> = {
  path: 'categories',
  entity: 'consumer_category',
  title: 'Consumer categories',
  ZView: ZCategory,
  ZCreate: z.object({ code: ZCode, name: ZName, kind: z.enum(KINDS) }),
  ZPatch: ZCategoryPatch,
  sortable: ['code', 'name', 'kind'],
  defaultSort: 'code',
  async list(db, tenantId, q) {
    let base = db.selectFrom('consumer_category as c').where('c.tenant_id', '=', tenantId);
    if (q.q) {
      const text = like(q.q);
      base = base.where((eb) => eb.or([eb('c.code', 'ilike', text), eb('c.name', 'ilike', text)]));
    }
    if (q.active !== undefined) base = base.where('c.active', '=', q.active);
    const rows = await base
      .selectAll('c')
      .select(sql<string>`(select count(*) from consumer k where k.category_id = c.id)`.as('uses'))
      .orderBy(q.sort === 'name' ? 'c.name' : q.sort === 'kind' ? 'c.kind' : 'c.code', q.dir)
      .orderBy('c.code')
      .execute();
    const items = rows.map((r) => ({ ...categoryView(r), uses: Number(r.uses) }));
    return { items: items.slice(q.offset, q.offset + q.limit), total: items.length };
  },
  async create(trx, tenantId, body) {
    assertFree(
      await trx
        .selectFrom('consumer_category')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('code', '=', body.code)
        .executeTakeFirst(),
      body.code,
    );
    return uniqueOr(body.code, () =>
      trx
        .insertInto('consumer_category')
        .values({ tenant_id: tenantId, ...body })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  },
  lock: async (trx, tenantId, id) => {
    const key = idOf(id);
    if (key === null) return undefined;
    return trx
      .selectFrom('consumer_category')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', key)
      .forUpdate()
      .executeTakeFirst();
  },
  update: (trx, row, p) =>
    trx
      .updateTable('consumer_category')
      .set({ name: p.name ?? row.name, active: p.active ?? row.active, ...bump(row) })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  usage: (trx, _tenantId, row) =>
    countOf(trx, sql<{ n: string }>`select count(*) as n from consumer where category_id = ${row.id}`),
  async remove(trx, row) {
    await trx.deleteFrom('consumer_category').where('id', '=', row.id).execute();
  },
  view: categoryView,
  id: (r) => r.code,
};

// Meter types -----------------------------------------------------------------------------------

type MeterTypeRow = Selectable<MeterType>;
export const METER_REGISTERS = [
  '1.8.0',
  '1.8.1',
  '1.8.2',
  '1.8.3',
  '1.8.4',
  '2.8.0',
  '3.8.0',
  '4.8.0',
] as const;
const ZMeterType = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  digits: z.number(),
  accuracyClass: z.string().nullable(),
  registers: z.array(z.string()),
  remoteSwitch: z.boolean(),
  ...ZMeta,
  uses: z.number().optional(),
});
type MeterTypeView = z.infer<typeof ZMeterType>;
const ZDigits = z.number().int().min(3).max(10);
const ZAccuracy = z.string().regex(/^[0-9](\.[0-9]{1,2})?S?$/, 'an accuracy class such as 0.5S, 1.0, 2');
const ZRegisters = z
  .array(z.enum(METER_REGISTERS))
  .min(1)
  .max(8)
  .refine((a) => new Set(a).size === a.length, 'registers repeat');
const ZMeterTypePatch = ZPatchBase.extend({
  name: ZName.optional(),
  digits: ZDigits.optional(),
  accuracyClass: ZAccuracy.nullable().optional(),
  registers: ZRegisters.optional(),
  remoteSwitch: z.boolean().optional(),
});
const ZMeterTypeCreate = z.object({
  code: ZCode,
  name: ZName,
  digits: ZDigits,
  accuracyClass: ZAccuracy.nullable().default(null),
  registers: ZRegisters,
  remoteSwitch: z.boolean().default(false),
});

function meterTypeView(r: MeterTypeRow): MeterTypeView {
  return {
    id: String(r.id),
    code: r.code,
    name: r.name,
    digits: r.digits,
    accuracyClass: r.accuracy_class,
    registers: r.registers,
    remoteSwitch: r.remote_switch,
    ...meta(r),
  };
}

/** Meter types: digits, accuracy class, registers and whether the meter can be switched remotely. */
export const METER_TYPES: Dictionary<
  MeterTypeRow,
  MeterTypeView,
  z.infer<typeof ZMeterTypeCreate>,
  z.infer<typeof ZMeterTypePatch>
> = {
  path: 'meter-types',
  entity: 'meter_type',
  title: 'Meter types',
  ZView: ZMeterType,
  ZCreate: ZMeterTypeCreate,
  ZPatch: ZMeterTypePatch,
  sortable: ['code', 'name', 'digits'],
  defaultSort: 'code',
  async list(db, tenantId, q) {
    let base = db.selectFrom('meter_type as t').where('t.tenant_id', '=', tenantId);
    if (q.q) {
      const text = like(q.q);
      base = base.where((eb) => eb.or([eb('t.code', 'ilike', text), eb('t.name', 'ilike', text)]));
    }
    if (q.active !== undefined) base = base.where('t.active', '=', q.active);
    const rows = await base
      .selectAll('t')
      .select(sql<string>`(select count(*) from meter m where m.meter_type_id = t.id)`.as('uses'))
      .orderBy(q.sort === 'name' ? 't.name' : q.sort === 'digits' ? 't.digits' : 't.code', q.dir)
      .orderBy('t.code')
      .execute();
    const items = rows.map((r) => ({ ...meterTypeView(r), uses: Number(r.uses) }));
    return { items: items.slice(q.offset, q.offset + q.limit), total: items.length };
  },
  async create(trx, tenantId, body) {
    assertFree(
      await trx
        .selectFrom('meter_type')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('code', '=', body.code)
        .executeTakeFirst(),
      body.code,
    );
    return uniqueOr(body.code, () =>
      trx
        .insertInto('meter_type')
        .values({
          tenant_id: tenantId,
          code: body.code,
          name: body.name,
          digits: body.digits,
          accuracy_class: body.accuracyClass,
          registers: sql<string[]>`${pgArray(body.registers)}::text[]`,
          remote_switch: body.remoteSwitch,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  },
  lock: async (trx, tenantId, id) => {
    const key = idOf(id);
    if (key === null) return undefined;
    return trx
      .selectFrom('meter_type')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', key)
      .forUpdate()
      .executeTakeFirst();
  },
  update: (trx, row, p) =>
    trx
      .updateTable('meter_type')
      .set({
        name: p.name ?? row.name,
        digits: p.digits ?? row.digits,
        accuracy_class: p.accuracyClass === undefined ? row.accuracy_class : p.accuracyClass,
        registers: sql<string[]>`${pgArray(p.registers ?? row.registers)}::text[]`,
        remote_switch: p.remoteSwitch ?? row.remote_switch,
        active: p.active ?? row.active,
        ...bump(row),
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  usage: (trx, _tenantId, row) =>
    countOf(trx, sql<{ n: string }>`select count(*) as n from meter where meter_type_id = ${row.id}`),
  async remove(trx, row) {
    await trx.deleteFrom('meter_type').where('id', '=', row.id).execute();
  },
  view: meterTypeView,
  id: (r) => r.code,
};

// Payment channels ------------------------------------------------------------------------------

type ChannelRow = Selectable<PaymentChannel>;
const CHANNEL_KINDS = ['bank', 'post', 'online', 'card', 'cash', 'sms'] as const;
const ZChannel = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(CHANNEL_KINDS),
  ...ZMeta,
});
type ChannelView = z.infer<typeof ZChannel>;
const ZChannelPatch = ZPatchBase.extend({ name: ZName.optional(), kind: z.enum(CHANNEL_KINDS).optional() });

function channelView(r: ChannelRow): ChannelView {
  const kind = CHANNEL_KINDS.find((k) => k === r.kind) ?? 'cash';
  return { id: r.code, code: r.code, name: r.name, kind, ...meta(r) };
}

/**
 * Payment channels. Their codes are the installation's protocol identifiers (payme, click, bank…),
 * referred to by payments forever: a channel is deactivated, never deleted.
 */
export const CHANNELS: Dictionary<
  ChannelRow,
  ChannelView,
  { code: string; name: string; kind: (typeof CHANNEL_KINDS)[number] },
  z.infer<typeof ZChannelPatch>
> = {
  path: 'payment-channels',
  entity: 'payment_channel',
  title: 'Payment channels',
  ZView: ZChannel,
  ZCreate: z.object({
    code: z.string().regex(/^[a-z0-9_]{2,32}$/, 'a-z, 0-9, _; 2 to 32'),
    name: ZName,
    kind: z.enum(CHANNEL_KINDS),
  }),
  ZPatch: ZChannelPatch,
  sortable: ['code', 'name', 'kind'],
  defaultSort: 'code',
  async list(db, _tenantId, q) {
    let base = db.selectFrom('payment_channel as p');
    if (q.q) {
      const text = like(q.q);
      base = base.where((eb) => eb.or([eb('p.code', 'ilike', text), eb('p.name', 'ilike', text)]));
    }
    if (q.active !== undefined) base = base.where('p.active', '=', q.active);
    const rows = await base
      .selectAll('p')
      .orderBy(q.sort === 'name' ? 'p.name' : q.sort === 'kind' ? 'p.kind' : 'p.code', q.dir)
      .orderBy('p.code')
      .execute();
    const items = rows.map(channelView);
    return { items: items.slice(q.offset, q.offset + q.limit), total: items.length };
  },
  async create(trx, _tenantId, body) {
    assertFree(
      await trx.selectFrom('payment_channel').select('code').where('code', '=', body.code).executeTakeFirst(),
      body.code,
    );
    return uniqueOr(body.code, () =>
      trx.insertInto('payment_channel').values(body).returningAll().executeTakeFirstOrThrow(),
    );
  },
  lock: (trx, _tenantId, id) =>
    trx.selectFrom('payment_channel').selectAll().where('code', '=', id).forUpdate().executeTakeFirst(),
  update: (trx, row, p) =>
    trx
      .updateTable('payment_channel')
      .set({
        name: p.name ?? row.name,
        kind: p.kind ?? row.kind,
        active: p.active ?? row.active,
        ...bump(row),
      })
      .where('code', '=', row.code)
      .returningAll()
      .executeTakeFirstOrThrow(),
  view: channelView,
  id: (r) => r.code,
};

// Reason codes ----------------------------------------------------------------------------------

type ReasonRow = Selectable<ReasonCode>;
export const REASON_PURPOSES = [
  'disconnection',
  'reconnection',
  'recalculation',
  'correction',
  'payment_reversal',
  'application_refusal',
  'meter_replacement',
] as const;
const ZReason = z.object({
  id: z.string(),
  code: z.string(),
  purpose: z.enum(REASON_PURPOSES),
  name: z.string(),
  ...ZMeta,
});
type ReasonView = z.infer<typeof ZReason>;
const ZReasonPatch = ZPatchBase.extend({
  name: ZName.optional(),
  purpose: z.enum(REASON_PURPOSES).optional(),
});

function reasonView(r: ReasonRow): ReasonView {
  const purpose = REASON_PURPOSES.find((p) => p === r.purpose) ?? 'correction';
  return { id: String(r.id), code: r.code, purpose, name: r.name, ...meta(r) };
}

/** Reason codes for disconnections, recalculations, corrections, reversals and refusals. */
export const REASONS: Dictionary<
  ReasonRow,
  ReasonView,
  { code: string; name: string; purpose: (typeof REASON_PURPOSES)[number] },
  z.infer<typeof ZReasonPatch>
> = {
  path: 'reason-codes',
  entity: 'reason_code',
  title: 'Reason codes',
  ZView: ZReason,
  ZCreate: z.object({ code: ZCode, name: ZName, purpose: z.enum(REASON_PURPOSES) }),
  ZPatch: ZReasonPatch,
  sortable: ['code', 'name', 'purpose'],
  defaultSort: 'code',
  async list(db, tenantId, q) {
    let base = db.selectFrom('reason_code as r').where('r.tenant_id', '=', tenantId);
    if (q.q) {
      const text = like(q.q);
      base = base.where((eb) => eb.or([eb('r.code', 'ilike', text), eb('r.name', 'ilike', text)]));
    }
    if (q.active !== undefined) base = base.where('r.active', '=', q.active);
    const rows = await base
      .selectAll('r')
      .orderBy(q.sort === 'name' ? 'r.name' : q.sort === 'purpose' ? 'r.purpose' : 'r.code', q.dir)
      .orderBy('r.code')
      .execute();
    const items = rows.map(reasonView);
    return { items: items.slice(q.offset, q.offset + q.limit), total: items.length };
  },
  async create(trx, tenantId, body) {
    assertFree(
      await trx
        .selectFrom('reason_code')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('code', '=', body.code)
        .executeTakeFirst(),
      body.code,
    );
    return uniqueOr(body.code, () =>
      trx
        .insertInto('reason_code')
        .values({ tenant_id: tenantId, ...body })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  },
  lock: async (trx, tenantId, id) => {
    const key = idOf(id);
    if (key === null) return undefined;
    return trx
      .selectFrom('reason_code')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', key)
      .forUpdate()
      .executeTakeFirst();
  },
  update: (trx, row, p) =>
    trx
      .updateTable('reason_code')
      .set({
        name: p.name ?? row.name,
        purpose: p.purpose ?? row.purpose,
        active: p.active ?? row.active,
        ...bump(row),
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  // Nothing refers to a reason code by key yet: the modules that use one copy its text.
  usage: async () => 0,
  async remove(trx, row) {
    await trx.deleteFrom('reason_code').where('id', '=', row.id).execute();
  },
  view: reasonView,
  id: (r) => r.code,
};
