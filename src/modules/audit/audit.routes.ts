import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { addDays, type LocalDate, parseLocalDate } from '../../domain/period.ts';
import { accessOf } from '../../http/context.ts';
import { listQuery, sendXlsx, XLSX_MAX_ROWS, type XlsxColumn } from '../../http/list.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';

const ZDate = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'YYYY-MM-DD');

const ZAuditQuery = listQuery(['at'], 'at')
  .extend({
    entity: z.string().max(64).optional(),
    entityId: z.string().max(64).optional(),
    action: z.string().max(64).optional(),
    actorId: z.string().max(64).optional(),
    /** Actions starting with this text ('reading.' for every reading change). */
    actionPrefix: z.string().max(64).optional(),
    /** From this day (Tashkent) … */
    from: ZDate.optional(),
    /** … to this day, inclusive. */
    to: ZDate.optional(),
    /** Older than this row (paging by id for scripts). */
    beforeId: z
      .string()
      .regex(/^[0-9]{1,18}$/)
      .optional(),
  })
  .extend({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    dir: z.enum(['asc', 'desc']).default('desc'),
  });

const ZAuditRow = z.object({
  id: z.string(),
  at: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  /** The staff member's name and login, when a user acted. */
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
});
type AuditRow = z.infer<typeof ZAuditRow>;

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

const AUDIT_COLUMNS: XlsxColumn<AuditRow>[] = [
  { header: { uz: 'Vaqt', 'uz-Cyrl': 'Вақт', ru: 'Время', en: 'Time' }, value: (r) => r.at, width: 26 },
  {
    header: { uz: 'Kim', 'uz-Cyrl': 'Ким', ru: 'Кто', en: 'Who' },
    value: (r) => r.actorName ?? `${r.actorType}${r.actorId ? ` ${r.actorId}` : ''}`,
    width: 32,
  },
  {
    header: { uz: 'Amal', 'uz-Cyrl': 'Амал', ru: 'Действие', en: 'Action' },
    value: (r) => r.action,
    width: 26,
  },
  {
    header: { uz: 'Obyekt', 'uz-Cyrl': 'Объект', ru: 'Объект', en: 'Entity' },
    value: (r) => r.entity,
    width: 18,
  },
  { header: { uz: 'ID', 'uz-Cyrl': 'ID', ru: 'ID', en: 'ID' }, value: (r) => r.entityId, width: 14 },
  {
    header: { uz: 'Oldin', 'uz-Cyrl': 'Олдин', ru: 'До', en: 'Before' },
    value: (r) => json(r.before),
    width: 60,
  },
  {
    header: { uz: 'Keyin', 'uz-Cyrl': 'Кейин', ru: 'После', en: 'After' },
    value: (r) => json(r.after),
    width: 60,
  },
  { header: { uz: 'IP', 'uz-Cyrl': 'IP', ru: 'IP', en: 'IP' }, value: (r) => r.ip, width: 16 },
];

/** Midnight in Tashkent (UTC+5, no daylight saving) of a day, as an instant. */
function tashkentMidnight(d: LocalDate): Date {
  return new Date(`${d}T00:00:00+05:00`);
}

/**
 * The audit trail of the caller's supplier (R16, issue 6 point 7): who changed what, when, before
 * and after, newest first, filtered by entity, action, actor and day, as an office table or XLSX.
 */
export const auditRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  app.get(
    '/api/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary:
          'Audit log: who changed what, when, before and after (format=xlsx for the whole filtered list)',
        querystring: ZAuditQuery,
        response: {
          200: z.object({ items: z.array(ZAuditRow), total: z.number() }),
          400: ZErrorResponse,
          401: ZErrorResponse,
          403: ZErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const access = accessOf(request);
      const paths = access.scope('audit.read');
      // Rows of a unit go to readers scoped at or above it; supplier-wide rows to company level only.
      const companyWide = paths.some((p) => /^\/\d+\/$/.test(p));
      let base = opts.db
        .selectFrom('audit_log as a')
        .where('a.tenant_id', '=', access.user.tenantId)
        .where((eb) =>
          eb.or([
            inScope('a.org_unit_path', paths),
            ...(companyWide ? [eb('a.org_unit_path', 'is', null)] : []),
          ]),
        );
      if (q.entity) base = base.where('a.entity', '=', q.entity);
      if (q.entityId) base = base.where('a.entity_id', '=', q.entityId);
      if (q.action) base = base.where('a.action', '=', q.action);
      if (q.actionPrefix)
        base = base.where('a.action', 'like', `${q.actionPrefix.replace(/[\\%_]/g, '\\$&')}%`);
      if (q.actorId) base = base.where('a.actor_id', '=', q.actorId);
      if (q.beforeId) base = base.where('a.id', '<', BigInt(q.beforeId));
      if (q.from) base = base.where('a.at', '>=', tashkentMidnight(parseLocalDate(q.from)));
      if (q.to) base = base.where('a.at', '<', tashkentMidnight(addDays(parseLocalDate(q.to), 1)));
      const rows = base
        .leftJoin('app_user as u', (j) =>
          j.on('a.actor_type', '=', 'user').on(sql`u.id::text`, '=', sql.ref('a.actor_id')),
        )
        .select([
          'a.id',
          'a.at',
          'a.actor_type',
          'a.actor_id',
          'a.action',
          'a.entity',
          'a.entity_id',
          'a.before',
          'a.after',
          'a.ip',
          'a.request_id',
          sql<string | null>`u.full_name || ' (' || u.login || ')'`.as('actor_name'),
        ])
        .orderBy('a.id', q.dir);
      const view = (r: {
        id: bigint;
        at: Date;
        actor_type: string;
        actor_id: string | null;
        actor_name: string | null;
        action: string;
        entity: string;
        entity_id: string | null;
        before: unknown;
        after: unknown;
        ip: string | null;
        request_id: string | null;
      }): AuditRow => ({
        id: String(r.id),
        at: r.at.toISOString(),
        actorType: r.actor_type,
        actorId: r.actor_id,
        actorName: r.actor_name,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        before: r.before,
        after: r.after,
        ip: r.ip,
        requestId: r.request_id,
      });
      if (q.format === 'xlsx') {
        return sendXlsx(reply, {
          fileName: `audit${q.from ? `-${q.from}` : ''}${q.to ? `-${q.to}` : ''}.xlsx`,
          sheet: { uz: 'Audit', 'uz-Cyrl': 'Аудит', ru: 'Аудит', en: 'Audit' },
          columns: AUDIT_COLUMNS,
          rows: (await rows.limit(XLSX_MAX_ROWS).execute()).map(view),
          locale: q.lang ?? request.locale,
        });
      }
      const [items, count] = await Promise.all([
        rows.limit(q.limit).offset(q.offset).execute(),
        base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: items.map(view), total: Number(count.n) };
    },
  );
};
