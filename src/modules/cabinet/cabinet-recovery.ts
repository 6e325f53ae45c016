import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { AppError } from '../../domain/errors.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { listQuery, sendXlsx, XLSX_MAX_ROWS, type XlsxColumn, ZListPage } from '../../http/list.ts';
import type { Locale } from '../../i18n/locale.ts';
import { writeAudit } from '../audit/audit.ts';
import { filterUnitPath } from '../auth/unit-filter.ts';

// Password recovery of the cabinet (R6): "recovery falls back to the primary (INN) password flow
// through a request that staff confirm". The consumer gives the contract number, the INN and a
// contact; staff of the district check the consumer (by phone, letter or visit) and confirm. The
// confirmation clears the cabinet password, unlocks it and ends its sessions: the next sign-in
// is with the INN and forces a new password, exactly like the first one.

const RECOVERY_STATUSES = ['requested', 'confirmed', 'rejected'] as const;
type RecoveryStatus = (typeof RECOVERY_STATUSES)[number];

const ZRecovery = z.object({
  id: z.string(),
  account: z.string(),
  consumerName: z.string(),
  inn: z.string().nullable(),
  contact: z.string(),
  status: z.enum(RECOVERY_STATUSES),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable().describe('the staff member who decided'),
  note: z.string().nullable(),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
});
type Recovery = z.infer<typeof ZRecovery>;

const ZRecoveryQuery = listQuery(['requestedAt', 'decidedAt', 'account', 'status'], 'requestedAt').extend({
  dir: z.enum(['asc', 'desc']).default('desc'),
  status: z.enum(RECOVERY_STATUSES).optional(),
  orgUnitId: ZId.optional().describe('the unit and everything below it'),
});

const RECOVERY_SORT = {
  requestedAt: 'r.requested_at',
  decidedAt: 'r.decided_at',
  account: 'k.number',
  status: 'r.status',
} as const;

const RECOVERY_STATUS_TEXT: Record<RecoveryStatus, Record<Locale, string>> = {
  requested: { uz: 'Kutilmoqda', 'uz-Cyrl': 'Кутилмоқда', ru: 'Ожидает', en: 'Pending' },
  confirmed: { uz: 'Tasdiqlangan', 'uz-Cyrl': 'Тасдиқланган', ru: 'Подтверждён', en: 'Confirmed' },
  rejected: { uz: 'Rad etilgan', 'uz-Cyrl': 'Рад этилган', ru: 'Отклонён', en: 'Refused' },
};

/** The workbook of recovery requests, statuses in `locale`. */
const recoveryColumns = (locale: Locale): XlsxColumn<Recovery>[] => [
  {
    header: { uz: "So'ralgan", 'uz-Cyrl': 'Сўралган', ru: 'Запрошено', en: 'Requested' },
    value: (r) => r.requestedAt,
    width: 26,
  },
  {
    header: { uz: 'Shartnoma', 'uz-Cyrl': 'Шартнома', ru: 'Договор', en: 'Contract' },
    value: (r) => r.account,
    width: 12,
  },
  {
    header: { uz: "Iste'molchi", 'uz-Cyrl': 'Истеъмолчи', ru: 'Потребитель', en: 'Consumer' },
    value: (r) => r.consumerName,
    width: 32,
  },
  { header: { uz: 'STIR', 'uz-Cyrl': 'СТИР', ru: 'ИНН', en: 'INN' }, value: (r) => r.inn, width: 12 },
  {
    header: { uz: 'Aloqa', 'uz-Cyrl': 'Алоқа', ru: 'Контакт', en: 'Contact' },
    value: (r) => r.contact,
    width: 24,
  },
  {
    header: { uz: 'Holati', 'uz-Cyrl': 'Ҳолати', ru: 'Статус', en: 'Status' },
    value: (r) => RECOVERY_STATUS_TEXT[r.status][locale],
    width: 14,
  },
  {
    header: { uz: 'Hal qilgan', 'uz-Cyrl': 'Ҳал қилган', ru: 'Решил', en: 'Decided by' },
    value: (r) => r.decidedBy,
    width: 28,
  },
  {
    header: { uz: 'Izoh', 'uz-Cyrl': 'Изоҳ', ru: 'Примечание', en: 'Note' },
    value: (r) => r.note,
    width: 40,
  },
];

/** The cabinet's recovery request (public) and staff's inbox and decision. */
export const cabinetRecoveryRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  await app.register(rateLimit, { global: false });

  app.post(
    '/api/cabinet/recovery',
    {
      config: {
        access: 'public',
        csrf: false,
        rateLimit: { max: 5, timeWindow: '1 minute', keyGenerator: (req) => req.ip },
      },
      schema: {
        tags: ['cabinet'],
        summary: 'Ask staff to restore the first password (the INN); always answers 202',
        body: z
          .object({
            contract: z.string().trim().min(1).max(20),
            inn: z
              .string()
              .trim()
              .regex(/^\d{9}$/, '9 digits'),
            contact: z.string().trim().min(3).max(200),
          })
          .strict(),
        response: { 202: z.object({ accepted: z.literal(true) }), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { contract, inn, contact } = request.body;
      // The same answer whether or not the contract and INN match: numbers cannot be probed.
      const found = await db
        .selectFrom('contract as k')
        .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
        .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
        .select(['k.id', 'k.tenant_id', 'ou.path'])
        .where('k.number', '=', contract)
        .where('c.inn', '=', inn)
        .where('k.status', '=', 'active')
        .where('c.kind', '<>', 'household')
        .execute();
      for (const k of found) {
        await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('cabinet_recovery')
            .values({ tenant_id: k.tenant_id, contract_id: k.id, contact, ip: request.ip })
            .onConflict((oc) => oc.column('contract_id').where('status', '=', 'requested').doNothing())
            .returning('id')
            .executeTakeFirst();
          if (!row) return;
          await writeAudit(
            trx,
            { type: 'consumer', id: contract, tenantId: k.tenant_id, ip: request.ip },
            {
              action: 'cabinet.recovery_requested',
              entity: 'cabinet_recovery',
              entityId: row.id,
              tenantId: k.tenant_id,
              orgUnitPath: k.path,
              after: { contract, contact },
            },
          );
        });
      }
      return reply.code(202).send({ accepted: true });
    },
  );

  app.get(
    '/api/cabinet-recoveries',
    {
      config: { permission: 'consumer.read' },
      schema: {
        tags: ['cabinet'],
        summary: 'Recovery requests of the caller’s org units, newest first: filter, sort, page, format=xlsx',
        querystring: ZRecoveryQuery,
        response: { 200: ZListPage(ZRecovery), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const q = request.query;
      const unitPath = q.orgUnitId ? await filterUnitPath(db, access, 'consumer.read', q.orgUnitId) : null;
      let base = db
        .selectFrom('cabinet_recovery as r')
        .innerJoin('contract as k', 'k.id', 'r.contract_id')
        .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
        .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
        .where('r.tenant_id', '=', access.user.tenantId)
        .where(inScope('ou.path', access.scope('consumer.read')));
      if (unitPath) base = base.where(inScope('ou.path', [unitPath]));
      if (q.status) base = base.where('r.status', '=', q.status);
      const counted = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const xlsx = q.format === 'xlsx';
      const rows = await base
        .leftJoin('app_user as u', 'u.id', 'r.decided_by')
        .select([
          'r.id',
          'k.number',
          'c.name',
          'c.inn',
          'r.contact',
          'r.status',
          'r.requested_at',
          'r.decided_at',
          'r.note',
          'u.full_name as decided_by',
          'ou.id as unit_id',
          'ou.name as unit_name',
        ])
        .orderBy(sql.ref(RECOVERY_SORT[q.sort]), q.dir)
        .orderBy('r.id', q.dir)
        .limit(xlsx ? XLSX_MAX_ROWS : q.limit)
        .offset(xlsx ? 0 : q.offset)
        .execute();
      const items = rows.map((r) => ({
        id: String(r.id),
        account: r.number,
        consumerName: r.name,
        inn: r.inn,
        contact: r.contact,
        status: r.status as RecoveryStatus,
        requestedAt: r.requested_at.toISOString(),
        decidedAt: r.decided_at?.toISOString() ?? null,
        decidedBy: r.decided_by,
        note: r.note,
        orgUnit: { id: String(r.unit_id), name: r.unit_name },
      }));
      if (xlsx) {
        const locale = q.lang ?? request.locale;
        return sendXlsx(reply, {
          fileName: 'cabinet-recoveries.xlsx',
          sheet: {
            uz: 'Parolni tiklash',
            'uz-Cyrl': 'Паролни тиклаш',
            ru: 'Восстановление пароля',
            en: 'Password recovery',
          },
          columns: recoveryColumns(locale),
          rows: items,
          locale,
        });
      }
      return { items, total: Number(counted.n) };
    },
  );

  app.post(
    '/api/cabinet-recoveries/:id/decision',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags: ['cabinet'],
        summary: 'Confirm (the INN opens the cabinet again) or reject a recovery request',
        params: z.object({ id: ZId }),
        body: z.object({ confirm: z.boolean(), note: z.string().trim().max(500).optional() }).strict(),
        response: { 204: z.null(), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .selectFrom('cabinet_recovery as r')
          .innerJoin('contract as k', 'k.id', 'r.contract_id')
          .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
          .select(['r.id', 'r.contract_id', 'r.status', 'ou.path'])
          .where('r.id', '=', BigInt(request.params.id))
          .where('r.tenant_id', '=', access.user.tenantId)
          .forUpdate()
          .executeTakeFirst();
        if (!r || !access.canAt('consumer.write', r.path))
          throw new AppError('NOT_FOUND', `Recovery request ${request.params.id} not found`, {
            path: request.url,
          });
        if (r.status !== 'requested')
          throw new AppError('RECOVERY_DECIDED', 'This request has been decided already');
        const status = request.body.confirm ? 'confirmed' : 'rejected';
        await trx
          .updateTable('cabinet_recovery')
          .set({
            status,
            decided_at: sql<Date>`now()`,
            decided_by: access.user.id,
            note: request.body.note ?? null,
          })
          .where('id', '=', r.id)
          .execute();
        if (request.body.confirm) {
          await trx
            .updateTable('cabinet_account')
            .set({ password_hash: null, must_change_password: true, failed_attempts: 0, locked_until: null })
            .where('contract_id', '=', r.contract_id)
            .execute();
          await trx.deleteFrom('cabinet_session').where('contract_id', '=', r.contract_id).execute();
        }
        await writeAudit(trx, actorOf(request), {
          action: `cabinet.recovery_${status}`,
          entity: 'cabinet_recovery',
          entityId: r.id,
          tenantId: access.user.tenantId,
          orgUnitPath: r.path,
          before: { status: 'requested' },
          after: { status, note: request.body.note ?? null },
        });
      });
      return reply.code(204).send(null);
    },
  );
};
