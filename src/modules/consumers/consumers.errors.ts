import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of the consumer card and the Vitrina. */
export const CONSUMER_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
