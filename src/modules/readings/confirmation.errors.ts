import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of the signed confirmation of readings (R3.4). */
export const READING_CONFIRMATION_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
