import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.ts';
import type { Locale } from '../i18n/locale.ts';
import type { Actor } from '../modules/audit/audit.ts';
import type { Access } from '../modules/auth/access.ts';
import type { Permission } from '../modules/auth/permissions.ts';
import type { CabinetAuth } from '../modules/cabinet/cabinet-auth.service.ts';

/** The signed-in staff session of a request. */
export type RequestAuth = { sessionId: string; csrfSecret: string; access: Access };

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    auth: RequestAuth | null;
    /** The signed-in consumer on cabinet routes. */
    cabinet: CabinetAuth | null;
  }
  interface FastifyContextConfig {
    /**
     * Who may call: 'public' (anyone), 'session' (any signed-in staff user), 'cabinet' (a consumer
     * signed in to the cabinet), or staff with a permission.
     */
    access?: 'public' | 'session' | 'cabinet';
    permission?: Permission;
    /** State-changing routes check CSRF unless this is false (sign-in, provider callbacks). */
    csrf?: boolean;
    /** Reachable while the user still has to change the first password. */
    duringPasswordChange?: boolean;
  }
}

/** The access of the signed-in user; the auth hook has already refused anonymous calls. */
export function accessOf(request: FastifyRequest): Access {
  if (!request.auth) throw new AppError('AUTH_REQUIRED', 'Not signed in');
  return request.auth.access;
}

/** The actor for audit rows written on behalf of this request. */
export function actorOf(request: FastifyRequest): Actor {
  const user = request.auth?.access.user;
  return {
    type: user ? 'user' : 'system',
    id: user ? String(user.id) : null,
    tenantId: user?.tenantId ?? null,
    ip: request.ip,
    requestId: request.id,
  };
}

/** The consumer signed in to the cabinet; the auth hook has already refused anyone else. */
export function cabinetOf(request: FastifyRequest): CabinetAuth {
  if (!request.cabinet) throw new AppError('AUTH_REQUIRED', 'Not signed in');
  return request.cabinet;
}

/** The signed-in consumer as the actor of audit rows written on behalf of this request. */
export function cabinetActorOf(request: FastifyRequest): Actor {
  const auth = cabinetOf(request);
  return {
    type: 'consumer',
    id: auth.account,
    tenantId: auth.tenantId,
    ip: request.ip,
    requestId: request.id,
  };
}
