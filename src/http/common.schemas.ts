import { z } from 'zod';
import { ZErrorResponse } from '../modules/auth/auth.schemas.ts';

/** A billing period 'YYYY-MM'. */
export const ZPeriod = z.string().regex(/^20[0-9]{2}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

/** A database id in a path or body: decimal digits. */
export const ZId = z.string().regex(/^[0-9]{1,18}$/);

/** The error answers most routes can give, for the OpenAPI description. */
export const ERROR_RESPONSES = {
  400: ZErrorResponse,
  401: ZErrorResponse,
  403: ZErrorResponse,
  404: ZErrorResponse,
  409: ZErrorResponse,
} as const;
