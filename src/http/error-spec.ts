import type { Locale } from '../i18n/locale.ts';

/** An error code's HTTP status and its message in the four languages (`{name}` filled from details). */
export type ErrorSpec = { status: number } & Record<Locale, string>;
