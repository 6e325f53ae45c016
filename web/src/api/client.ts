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
  /** The error's details, e.g. every bad line of a refused file (`problems`). */
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

type ErrorAnswer = { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null;

function apiError(res: Response, data: unknown): ApiError {
  const err = (data as ErrorAnswer)?.error;
  return new ApiError(res.status, err?.code ?? 'INTERNAL', err?.message ?? res.statusText, err?.details);
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
  if (!res.ok) throw apiError(res, data);
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
  if (!res.ok) throw apiError(res, data);
  return data as T;
}

/** An upload's outcome: the result, or the refusal with the problems its details list (bad lines). */
export type Upload<R, P> = { ok: true; result: R } | { ok: false; error: ApiError; problems: P[] };

/** Posts a file like `apiUpload`, answering a refusal with the lines at fault rather than throwing. */
export async function uploadFile<R, P>(path: string, form: FormData): Promise<Upload<R, P>> {
  try {
    return { ok: true, result: await apiUpload<R>(path, form) };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const problems = e.details?.problems;
    return { ok: false, error: e, problems: Array.isArray(problems) ? (problems as P[]) : [] };
  }
}

/** Readiness of the server and its database. */
export type Readiness = { status: string; db: string; version: string };
