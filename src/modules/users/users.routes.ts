import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { sendXlsx, XLSX_MAX_ROWS, ZListPage } from '../../http/list.ts';
import { findOrgUnit } from '../orgs/orgs.repository.ts';
import { USERS_SHEET, userXlsxColumns } from './users.export.ts';
import { searchUsers } from './users.repository.ts';
import { ZCreateUserRequest, ZPatchUserRequest, ZRolesRequest, ZUser, ZUserQuery } from './users.schemas.ts';
import { changeUser, createUser, getUser, replaceRoles, resetPassword, userView } from './users.service.ts';

const grantsOf = (roles: z.infer<typeof ZRolesRequest>['roles']) =>
  roles.map((r) => ({ role: r.role, orgUnitId: BigInt(r.orgUnitId) }));

/**
 * Staff users (issue 6 point 1): the office table (search, role, unit, status, sort, XLSX), one
 * user, creation, changes (name, language, PINFL, block/unblock), the grants, and a password
 * reset. Reading needs `user.read` (users with a grant inside that scope show); changing needs
 * `user.write` over every grant the user holds. Every change is audited.
 */
export const userRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  const tags = ['users'];
  const params = z.object({ id: ZId });

  app.get(
    '/api/users',
    {
      config: { permission: 'user.read' },
      schema: {
        tags,
        summary:
          'Staff users holding a role inside the caller’s scope: search, filters, sort, page; format=xlsx for the whole list',
        querystring: ZUserQuery,
        response: { 200: ZListPage(ZUser), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const q = request.query;
      let underPath: string | undefined;
      if (q.orgUnitId) {
        const unit = await findOrgUnit(db, access.user.tenantId, BigInt(q.orgUnitId));
        if (!unit) throw new AppError('NOT_FOUND', `Unknown org unit ${q.orgUnitId}`, { id: q.orgUnitId });
        access.assertAt('user.read', unit.path);
        underPath = unit.path;
      }
      const xlsx = q.format === 'xlsx';
      const { rows, total } = await searchUsers(db, {
        tenantId: access.user.tenantId,
        scopePaths: access.scope('user.read'),
        q: q.q,
        role: q.role,
        underPath,
        status: q.status,
        sort: q.sort,
        dir: q.dir,
        limit: xlsx ? XLSX_MAX_ROWS : q.limit,
        offset: xlsx ? 0 : q.offset,
      });
      const items = rows.map((u) => userView(access, u));
      if (xlsx) {
        const locale = q.lang ?? request.locale;
        return sendXlsx(reply, {
          fileName: 'users.xlsx',
          sheet: USERS_SHEET,
          columns: userXlsxColumns(locale),
          rows: items,
          locale,
        });
      }
      return { items, total };
    },
  );

  app.get(
    '/api/users/:id',
    {
      config: { permission: 'user.read' },
      schema: {
        tags,
        summary: 'One staff user with the grants',
        params,
        response: { 200: ZUser, ...ERROR_RESPONSES },
      },
    },
    async (request) => getUser(db, accessOf(request), BigInt(request.params.id)),
  );

  app.post(
    '/api/users',
    {
      config: { permission: 'user.write' },
      schema: {
        tags,
        summary:
          'Creates a staff user; the first sign-in forces a password change. Without `password` a temporary one is made and answered once',
        body: ZCreateUserRequest,
        response: {
          201: z.object({ id: z.string(), temporaryPassword: z.string().optional() }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await createUser(
        db,
        accessOf(request),
        { ...body, roles: grantsOf(body.roles) },
        actorOf(request),
      );
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({
        id: String(created.id),
        ...(created.temporaryPassword ? { temporaryPassword: created.temporaryPassword } : {}),
      });
    },
  );

  app.patch(
    '/api/users/:id',
    {
      config: { permission: 'user.write' },
      schema: {
        tags,
        summary:
          'Changes name, language, PINFL (14 digits, unique in the supplier, or null) or status; blocking ends the user’s sessions',
        params,
        body: ZPatchUserRequest,
        response: { 200: ZUser, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      changeUser(db, accessOf(request), BigInt(request.params.id), request.body, actorOf(request)),
  );

  app.put(
    '/api/users/:id/roles',
    {
      config: { permission: 'user.write' },
      schema: {
        tags,
        summary: 'Replaces the user’s grants (roles at org units inside your scope)',
        params,
        body: ZRolesRequest,
        response: { 200: ZUser, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      replaceRoles(
        db,
        accessOf(request),
        BigInt(request.params.id),
        grantsOf(request.body.roles),
        actorOf(request),
      ),
  );

  app.post(
    '/api/users/:id/password-reset',
    {
      config: { permission: 'user.write' },
      schema: {
        tags,
        summary:
          'Sets a temporary password, answered once; the user must change it at the next sign-in and is signed out everywhere',
        params,
        response: { 200: z.object({ temporaryPassword: z.string() }), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await resetPassword(db, accessOf(request), BigInt(request.params.id), actorOf(request));
      reply.header('cache-control', 'no-store');
      return result;
    },
  );
};
