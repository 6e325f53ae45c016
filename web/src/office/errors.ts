import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.ts';

/** A message for the user: the API's own (already in the user's language), or a network one. */
export function errorMessage(e: unknown, t: TFunction): string {
  if (e instanceof ApiError) return e.message;
  return t('errors.NETWORK');
}
