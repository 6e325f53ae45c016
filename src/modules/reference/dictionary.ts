import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { ERROR_RESPONSES } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { listQuery, sendXlsx, XLSX_MAX_ROWS, type XlsxColumn, ZListPage } from '../../http/list.ts';
import type { Locale } from '../../i18n/locale.ts';
import { writeAudit } from '../audit/audit.ts';
import { assertReferenceWriter, assertRevision, type Db } from './reference.shared.ts';

/** What every editable dictionary row carries. */
export type DictionaryRow = { revision: number; active: boolean };

/** A list request of a dictionary: search text, active filter, sort and page. */
export type DictionaryQuery = {
  q?: string | undefined;
  active?: boolean | undefined;
  sort: string;
  dir: 'asc' | 'desc';
  limit: number;
  offset: number;
};

/**
 * One simple reference list (banks, consumer categories, meter types, payment channels, reason
 * codes): how to list, create, lock, change and count the uses of its rows. The routes, the
 * write permission at the company, the revision check and the audit rows are shared.
 */
export type Dictionary<Row extends DictionaryRow, View, Create, Patch extends { revision: number }> = {
  /** URL segment under /api/reference/ and the audit entity. */
  path: string;
  entity: string;
  title: string;
  ZView: z.ZodType<View>;
  ZCreate: z.ZodType<Create>;
  ZPatch: z.ZodType<Patch>;
  sortable: readonly [string, ...string[]];
  defaultSort: string;
  xlsx?: { sheet: Record<Locale, string>; columns: XlsxColumn<View>[] };
  list(db: Db, tenantId: bigint, q: DictionaryQuery): Promise<{ items: View[]; total: number }>;
  create(trx: Transaction<DB>, tenantId: bigint, body: Create): Promise<Row>;
  lock(trx: Transaction<DB>, tenantId: bigint, id: string): Promise<Row | undefined>;
  update(trx: Transaction<DB>, row: Row, patch: Patch): Promise<Row>;
  /** How many records refer to the row (0 = it may be deleted); absent = rows are never deleted. */
  usage?: (trx: Transaction<DB>, tenantId: bigint, row: Row) => Promise<number>;
  remove?: (trx: Transaction<DB>, row: Row) => Promise<void>;
  view(row: Row): View;
  id(row: Row): string;
};

/** Base of every patch body: the revision the editor saw and an optional (de)activation. */
export const ZPatchBase = z.object({
  revision: z.number().int().min(1),
  active: z.boolean().optional(),
});

/** The changed fields of a patch (anything but the revision), to refuse an empty one. */
function changedFields(patch: object): string[] {
  return Object.entries(patch)
    .filter(([k, v]) => k !== 'revision' && v !== undefined)
    .map(([k]) => k);
}

/**
 * Registers the routes of one dictionary: GET list (reference.read), POST, PATCH /:id and, when
 * the rows may be deleted, DELETE /:id (reference.write at the company; in use → REFERENCE_IN_USE).
 */
export function registerDictionary<
  Row extends DictionaryRow,
  View,
  Create,
  Patch extends { revision: number },
>(app: FastifyInstance, db: Kysely<DB>, d: Dictionary<Row, View, Create, Patch>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const url = `/api/reference/${d.path}`;
  const tags = ['reference'];
  const ZId = z.string().min(1).max(32);
  // The answers are checked against the view schema; typed loosely here because the view is generic.
  const ZView: z.ZodType = d.ZView;

  r.get(
    url,
    {
      config: { permission: 'reference.read' },
      schema: {
        tags,
        summary: `${d.title}: search (q), active filter, page, sort; format=xlsx for the whole list`,
        querystring: listQuery(d.sortable, d.defaultSort).extend({
          q: z.string().trim().max(100).optional(),
          active: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: ZListPage(ZView), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const tenantId = accessOf(request).user.tenantId;
      const query: DictionaryQuery = {
        q: q.q || undefined,
        active: q.active === undefined ? undefined : q.active === 'true',
        sort: q.sort,
        dir: q.dir,
        limit: q.format === 'xlsx' ? XLSX_MAX_ROWS : q.limit,
        offset: q.format === 'xlsx' ? 0 : q.offset,
      };
      const page = await d.list(db, tenantId, query);
      if (q.format === 'xlsx' && d.xlsx)
        return sendXlsx(reply, {
          fileName: `${d.path}.xlsx`,
          sheet: d.xlsx.sheet,
          columns: d.xlsx.columns,
          rows: page.items,
          locale: q.lang ?? request.locale,
        });
      return page;
    },
  );

  r.post(
    url,
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: `Add to ${d.title}`,
        body: d.ZCreate,
        response: { 201: ZView, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const view = await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        const row = await d.create(trx, access.user.tenantId, request.body as Create);
        const after = d.view(row);
        await writeAudit(trx, actorOf(request), {
          action: `${d.entity}.create`,
          entity: d.entity,
          entityId: d.id(row),
          tenantId: access.user.tenantId,
          after,
        });
        return after;
      });
      return reply.code(201).send(view);
    },
  );

  r.patch(
    `${url}/:id`,
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: `Change or (de)activate an entry of ${d.title} (send the revision you saw)`,
        params: z.object({ id: ZId }),
        body: d.ZPatch,
        response: { 200: ZView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const patch = request.body as Patch;
      return db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        const row = await d.lock(trx, access.user.tenantId, request.params.id);
        if (!row) throw new AppError('REFERENCE_NOT_FOUND', `No ${d.entity} ${request.params.id}`);
        assertRevision(row.revision, patch.revision);
        if (changedFields(patch).length === 0)
          throw new AppError('REFERENCE_NOTHING_TO_CHANGE', 'Nothing to change');
        const updated = await d.update(trx, row, patch);
        const after = d.view(updated);
        await writeAudit(trx, actorOf(request), {
          action: `${d.entity}.change`,
          entity: d.entity,
          entityId: d.id(row),
          tenantId: access.user.tenantId,
          before: d.view(row),
          after,
        });
        return after;
      });
    },
  );

  const { usage, remove } = d;
  if (!usage || !remove) return;
  r.delete(
    `${url}/:id`,
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: `Delete an entry of ${d.title} that nothing refers to (deactivate it otherwise)`,
        params: z.object({ id: ZId }),
        response: { 204: z.null(), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        const row = await d.lock(trx, access.user.tenantId, request.params.id);
        if (!row) throw new AppError('REFERENCE_NOT_FOUND', `No ${d.entity} ${request.params.id}`);
        const count = await usage(trx, access.user.tenantId, row);
        if (count > 0)
          throw new AppError('REFERENCE_IN_USE', `${count} records refer to ${d.entity} ${d.id(row)}`, {
            count,
          });
        await remove(trx, row);
        await writeAudit(trx, actorOf(request), {
          action: `${d.entity}.remove`,
          entity: d.entity,
          entityId: d.id(row),
          tenantId: access.user.tenantId,
          before: d.view(row),
        });
      });
      return reply.code(204).send(null);
    },
  );
}
