/** The signed-in staff user, as /api/auth/login and /api/auth/me return it. */
export type SessionUser = {
  id: string;
  login: string;
  fullName: string;
  roles: string[];
  permissions: string[];
  orgUnit: { id: string; name: string };
  locale: string;
  mustChangePassword: boolean;
};

/** Login and /me response. */
export type SessionResponse = { user: SessionUser; csrfToken: string };

/** An error answer of the API: a stable code, a message in the user's language. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let csrfToken = '';

/** Remembers the CSRF token every state-changing request must send. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Calls the API with the session cookie (and the CSRF header on writes); throws ApiError on 4xx/5xx. */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? 'INTERNAL', err?.message ?? res.statusText);
  }
  return data as T;
}

/** Posts a multipart form (files) with the session cookie and the CSRF header; throws ApiError on 4xx/5xx. */
export async function apiUpload<T>(path: string, form: FormData): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { accept: 'application/json', 'x-csrf-token': csrfToken },
    credentials: 'same-origin',
    body: form,
  });
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? 'INTERNAL', err?.message ?? res.statusText);
  }
  return data as T;
}

/** Readiness of the server and its database. */
export type Readiness = { status: string; db: string; version: string };
