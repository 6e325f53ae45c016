import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of the office payment desk: manual booking, reversal, the payment list. */
export const PAYMENT_OFFICE_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
