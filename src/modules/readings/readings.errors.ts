import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of staff reading entry, the VEE queue and confirmation. */
export const READING_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
