import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { SESSION_COOKIE, sessionCookieOptions } from '../../http/access-control.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import type { Access } from './access.ts';
import { ZChangePasswordRequest, ZErrorResponse, ZLoginRequest, ZSessionResponse } from './auth.schemas.ts';
import { changePassword, csrfTokenFor, login, logout, type SessionPolicy } from './auth.service.ts';
import { PERMISSIONS } from './permissions.ts';

/** Options of the auth routes. */
export type AuthRoutesOptions = { db: Kysely<DB>; policy: SessionPolicy; cookieSecure: boolean };

function sessionBody(access: Access, csrfToken: string): z.infer<typeof ZSessionResponse> {
  const home = access.homeUnit();
  return {
    user: {
      id: String(access.user.id),
      login: access.user.login,
      fullName: access.user.fullName,
      roles: access.roles(),
      permissions: PERMISSIONS.filter((p) => access.can(p)),
      orgUnit: { id: home ? String(home.orgUnitId) : '', name: home?.orgUnitName ?? '' },
      locale: access.user.locale,
      mustChangePassword: access.user.mustChangePassword,
    },
    csrfToken,
  };
}

/** Staff sign-in, session and password routes under /api/auth. */
export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, opts) => {
  await app.register(rateLimit, { global: false });

  app.post(
    '/api/auth/login',
    {
      config: {
        access: 'public',
        csrf: false,
        rateLimit: { max: 20, timeWindow: '1 minute', keyGenerator: (req) => req.ip },
      },
      schema: {
        tags: ['auth'],
        summary: 'Staff sign-in: opens a session (HTTP-only cookie) and returns a CSRF token',
        body: ZLoginRequest,
        response: { 200: ZSessionResponse, 400: ZErrorResponse, 401: ZErrorResponse, 423: ZErrorResponse },
      },
    },
    async (request, reply) => {
      const result = await login(
        opts.db,
        {
          login: request.body.login,
          password: request.body.password,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          requestId: request.id,
        },
        opts.policy,
      );
      reply.setCookie(SESSION_COOKIE, result.token, sessionCookieOptions(opts.cookieSecure));
      return sessionBody(result.access, csrfTokenFor(result.csrfSecret));
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'session', duringPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, with a fresh CSRF token',
        response: { 200: ZSessionResponse, 401: ZErrorResponse },
      },
    },
    async (request) => {
      const auth = request.auth;
      if (!auth) throw new Error('unreachable: access control admits only signed-in users');
      return sessionBody(auth.access, csrfTokenFor(auth.csrfSecret));
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'session', duringPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Ends the session',
        response: { 204: z.null(), 401: ZErrorResponse },
      },
    },
    async (request, reply) => {
      if (request.auth) {
        const home = request.auth.access.homeUnit();
        await logout(opts.db, request.auth.sessionId, actorOf(request), home?.orgUnitPath ?? null);
      }
      reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(opts.cookieSecure));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: {
        access: 'session',
        duringPasswordChange: true,
        rateLimit: { max: 10, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Changes the own password (required after the first sign-in with a given password)',
        body: ZChangePasswordRequest,
        response: { 204: z.null(), 400: ZErrorResponse, 401: ZErrorResponse },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      await changePassword(
        opts.db,
        {
          userId: access.user.id,
          login: access.user.login,
          current: request.body.current,
          next: request.body.next,
          keepSession: request.auth?.sessionId ?? '',
        },
        actorOf(request),
      );
      return reply.code(204).send(null);
    },
  );
};
