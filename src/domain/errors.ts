/**
 * The one error type of hisob. `code` is a stable SCREAMING_SNAKE string that clients and the UI
 * translate; `message` is an English explanation for logs and developers; `details` carries
 * machine-readable context (field names, limits). The HTTP status of each code lives in
 * src/http/error-codes.ts, the translations in src/i18n.
 */
export class AppError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** True when `e` is an AppError with the given code (or any AppError without a code). */
export function isAppError(e: unknown, code?: string): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
