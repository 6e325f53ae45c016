import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError, isAppError } from '../domain/errors.ts';
import { isLocale, pickLocale } from '../i18n/locale.ts';
import { authenticate, type SessionPolicy, verifyCsrfToken } from '../modules/auth/auth.service.ts';
import type { Permission } from '../modules/auth/permissions.ts';
import { cabinetAuthenticate } from '../modules/cabinet/cabinet-auth.service.ts';

/** The session cookie's name. */
export const SESSION_COOKIE = 'hisob_sid';
/** The consumers' cabinet session cookie's name. */
export const CABINET_COOKIE = 'hisob_cab';
/** The language cookie's name (set by the web UI). */
export const LANG_COOKIE = 'hisob_lang';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Cookie attributes of the session cookie. */
export function sessionCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure };
}

/** Who may call one API route: staff with a permission, or a kind of caller. */
export type AccessRule = {
  method: string;
  url: string;
  permission?: Permission;
  access?: 'public' | 'session' | 'cabinet';
};

declare module 'fastify' {
  interface FastifyInstance {
    /** Every API route with its access rule, in registration order: the matrix's route side. */
    accessRules: readonly AccessRule[];
  }
}

/**
 * Installs access control for every `/api/` route: each route must declare who may call it
 * (refused at start-up otherwise); each call is checked for session, CSRF, forced password change
 * and permission before its body is even parsed.
 */
export function installAccessControl(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; policy: SessionPolicy; cookieSecure: boolean },
): void {
  const rules: AccessRule[] = [];
  app.decorate('accessRules', rules);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const config = route.config ?? {};
    if (!config.access && !config.permission) {
      throw new Error(
        `Route ${String(route.method)} ${route.url} declares no access rule (config.access or permission)`,
      );
    }
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      rules.push({
        method,
        url: route.url,
        ...(config.permission ? { permission: config.permission } : { access: config.access ?? 'session' }),
      });
    }
  });

  app.decorateRequest('auth', null);
  app.decorateRequest('cabinet', null);
  app.decorateRequest('locale', 'uz');

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    request.locale = pickLocale(request.cookies[LANG_COOKIE], request.headers['accept-language']);
    const url = request.routeOptions.url;
    if (!url?.startsWith('/api/')) return;
    const config = request.routeOptions.config;
    if (config.access === 'public') return;
    if (config.access === 'cabinet') {
      const token = request.cookies[CABINET_COOKIE];
      if (!token) throw new AppError('AUTH_REQUIRED', 'Not signed in');
      try {
        request.cabinet = await cabinetAuthenticate(deps.db, token);
      } catch (e) {
        if (isAppError(e)) reply.clearCookie(CABINET_COOKIE, sessionCookieOptions(deps.cookieSecure));
        throw e;
      }
      if (STATE_CHANGING.has(request.method) && config.csrf !== false) {
        const header = request.headers['x-csrf-token'];
        if (!verifyCsrfToken(request.cabinet.csrfSecret, typeof header === 'string' ? header : undefined)) {
          throw new AppError('CSRF_INVALID', 'Missing or invalid x-csrf-token header');
        }
      }
      if (request.cabinet.mustChangePassword && !config.duringPasswordChange) {
        throw new AppError('AUTH_PASSWORD_CHANGE_REQUIRED', 'Change the first password before anything else');
      }
      return;
    }

    const token = request.cookies[SESSION_COOKIE];
    if (!token) throw new AppError('AUTH_REQUIRED', 'Not signed in');
    try {
      request.auth = await authenticate(deps.db, token, deps.policy);
    } catch (e) {
      if (isAppError(e)) reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(deps.cookieSecure));
      throw e;
    }
    const { access } = request.auth;
    if (!isLocale(request.cookies[LANG_COOKIE]) && isLocale(access.user.locale))
      request.locale = access.user.locale;

    if (STATE_CHANGING.has(request.method) && config.csrf !== false) {
      const header = request.headers['x-csrf-token'];
      if (!verifyCsrfToken(request.auth.csrfSecret, typeof header === 'string' ? header : undefined)) {
        throw new AppError('CSRF_INVALID', 'Missing or invalid x-csrf-token header');
      }
    }
    if (access.user.mustChangePassword && !config.duringPasswordChange) {
      throw new AppError('AUTH_PASSWORD_CHANGE_REQUIRED', 'Change the first password before anything else');
    }
    if (config.permission) access.assert(config.permission);
  });
}
