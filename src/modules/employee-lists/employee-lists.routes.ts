import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { sendXlsx, XLSX_MAX_ROWS, ZListPage } from '../../http/list.ts';
import type { Access } from '../auth/access.ts';
import type { Permission } from '../auth/permissions.ts';
import { filterUnitPath } from '../auth/unit-filter.ts';
import { employeeListColumns, listEmployeeLists, verifyEmployeeList } from './employee-lists.office.ts';
import { ZEmployeeList, ZEmployeeListQuery, ZVerification } from './employee-lists.schemas.ts';
import { employeeListFiles, employeeListView, receiveEmployeeList } from './employee-lists.service.ts';

/**
 * The list's id when it lies in the caller's org units for `permission`; UNKNOWN_EMPLOYEE_LIST
 * otherwise, exactly as if it did not exist (as applications do).
 */
async function listInScope(
  db: Kysely<DB>,
  access: Access,
  permission: Permission,
  id: string,
): Promise<bigint> {
  const row = await db
    .selectFrom('employee_list as l')
    .innerJoin('org_unit as ou', 'ou.id', 'l.org_unit_id')
    .select(['l.id', 'ou.path'])
    .where('l.id', '=', BigInt(id))
    .where('l.tenant_id', '=', access.user.tenantId)
    .executeTakeFirst();
  if (!row || !access.canAt(permission, row.path))
    throw new AppError('UNKNOWN_EMPLOYEE_LIST', `Unknown employee list ${id}`, { id });
  return row.id;
}

/**
 * Staff's side of the employee lists (R6 function 7): the lists consumers of their org units sent,
 * the signed PDF and its `.p7s`, and the confirmation "list per procedure No. 1031 received".
 * Lists are consumer documents like applications, so the same permissions and scope apply.
 */
export const employeeListRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;

  app.get(
    '/api/employee-lists',
    {
      config: { permission: 'application.read' },
      schema: {
        tags: ['employee-lists'],
        summary:
          'Employee lists (procedure No. 1031) in the caller’s org units: filter, sort, page, format=xlsx',
        querystring: ZEmployeeListQuery,
        response: { 200: ZListPage(ZEmployeeList), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const q = request.query;
      const unitPath = q.orgUnitId ? await filterUnitPath(db, access, 'application.read', q.orgUnitId) : null;
      if (q.format === 'xlsx') {
        const all = await listEmployeeLists(db, access, { ...q, unitPath, limit: XLSX_MAX_ROWS, offset: 0 });
        const locale = q.lang ?? request.locale;
        return sendXlsx(reply, {
          fileName: 'employee-lists.xlsx',
          sheet: {
            uz: "Xodimlar ro'yxatlari",
            'uz-Cyrl': 'Ходимлар рўйхатлари',
            ru: 'Списки сотрудников',
            en: 'Employee lists',
          },
          columns: employeeListColumns(locale),
          rows: all.items,
          locale,
        });
      }
      return listEmployeeLists(db, access, { ...q, unitPath });
    },
  );

  app.get(
    '/api/employee-lists/:id/verification',
    {
      config: { permission: 'application.read' },
      schema: {
        tags: ['employee-lists'],
        summary:
          'Check the stored signature again now: over these PDF bytes, chained to a trusted root, the consumer’s INN',
        params: z.object({ id: ZId }),
        response: { 200: ZVerification, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const id = await listInScope(db, accessOf(request), 'application.read', request.params.id);
      return verifyEmployeeList(db, id);
    },
  );

  app.get(
    '/api/employee-lists/:id',
    {
      config: { permission: 'application.read' },
      schema: {
        tags: ['employee-lists'],
        summary: 'One employee list with its rows',
        params: z.object({ id: ZId }),
        response: { 200: ZEmployeeList, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      employeeListView(db, await listInScope(db, accessOf(request), 'application.read', request.params.id)),
  );

  app.get(
    '/api/employee-lists/:id/pdf',
    {
      config: { permission: 'application.read' },
      schema: {
        tags: ['employee-lists'],
        summary: 'The list’s PDF, the bytes its signature covers',
        params: z.object({ id: ZId }),
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const id = await listInScope(db, accessOf(request), 'application.read', request.params.id);
      const files = await employeeListFiles(db, id);
      return sendFile(reply, {
        type: 'application/pdf',
        fileName: `employee-list-${files.account}-${id}.pdf`,
        body: files.document,
      });
    },
  );

  app.get(
    '/api/employee-lists/:id/signature',
    {
      config: { permission: 'application.read' },
      schema: {
        tags: ['employee-lists'],
        summary: 'The consumer’s detached signature (.p7s) over the list’s PDF',
        params: z.object({ id: ZId }),
        response: { 200: z.unknown().describe('application/pkcs7-signature'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const id = await listInScope(db, accessOf(request), 'application.read', request.params.id);
      const files = await employeeListFiles(db, id);
      if (!files.signature)
        throw new AppError('EMPLOYEE_LIST_STATUS', 'The list is not signed yet', { status: 'draft' });
      return sendFile(reply, {
        type: 'application/pkcs7-signature',
        fileName: `employee-list-${files.account}-${id}.pdf.p7s`,
        body: files.signature,
      });
    },
  );

  app.post(
    '/api/employee-lists/:id/receipt',
    {
      config: { permission: 'application.write' },
      schema: {
        tags: ['employee-lists'],
        summary: 'Confirm receipt of a submitted list: “list per procedure No. 1031 received”',
        params: z.object({ id: ZId }),
        body: z.object({}).strict().optional(),
        response: { 200: ZEmployeeList, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const listId = await listInScope(db, access, 'application.write', request.params.id);
      return receiveEmployeeList(db, actorOf(request), {
        listId,
        userId: access.user.id,
        userName: access.user.fullName,
      });
    },
  );
};
