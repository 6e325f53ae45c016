import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client.ts';
import { errorMessage } from '../errors.ts';

/** Messages by form field; `form` holds what belongs to no single field. */
export type FieldErrors = Partial<Record<string, string>>;

/** The form field each API error code concerns. */
const FIELD_OF_CODE: Record<string, string> = {
  LOGIN_TAKEN: 'login',
  USER_PINFL_TAKEN: 'pinfl',
  AUTH_WEAK_PASSWORD: 'password',
  NOT_FOUND: 'roles',
  ORG_UNIT_OUT_OF_SCOPE: 'roles',
  USER_SELF_LAST_ADMIN: 'roles',
  ORG_UNIT_CODE_TAKEN: 'code',
  ORG_UNIT_PARENT_INVALID: 'kind',
};

/**
 * Puts an API error beside the field it concerns: the API's own message (already in the user's
 * language) for codes that name a field, a field hint for a refused shape (VALIDATION_FAILED
 * names the field in its details), and everything else above the form.
 */
export function fieldErrorsOf(e: unknown, t: TFunction, fields: readonly string[]): FieldErrors {
  if (!(e instanceof ApiError)) return { form: errorMessage(e, t) };
  const field = FIELD_OF_CODE[e.code];
  if (field && fields.includes(field)) return { [field]: e.message };
  if (e.code === 'VALIDATION_FAILED') {
    const listed = Array.isArray(e.details?.fields) ? (e.details.fields as unknown[]) : [];
    const out: FieldErrors = {};
    for (const item of listed) {
      const name = String(item).split(/[/ ]/)[1] ?? '';
      if (fields.includes(name)) out[name] = t(`admin.fieldErrors.${name}`);
    }
    if (Object.keys(out).length > 0) return out;
  }
  return { form: e.message };
}
