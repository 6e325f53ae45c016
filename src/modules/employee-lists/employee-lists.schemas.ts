import { z } from 'zod';
import { MAX_EMPLOYEES } from '../../domain/employee-list.ts';
import { ZId } from '../../http/common.schemas.ts';
import { listQuery } from '../../http/list.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { EMPLOYEE_LIST_STATUSES } from './employee-lists.service.ts';

// Request and answer shapes of the employee list routes (cabinet and staff).

const ZRow = z.object({
  fullName: z.string(),
  position: z.string(),
  pinfl: z.string(),
  passport: z.string().nullable(),
  phone: z.string().nullable(),
});

export const ZEmployeeList = z.object({
  id: z.string(),
  account: z.string(),
  consumer: z.object({ name: z.string(), inn: z.string().nullable() }),
  status: z.enum(EMPLOYEE_LIST_STATUSES),
  rowCount: z.number().int(),
  lang: z.enum(LOCALES).describe('language of the signed document'),
  document: z.object({ sha256: z.string(), size: z.number().int() }).describe('the PDF the signature covers'),
  createdAt: z.string(),
  signer: z
    .object({
      commonName: z.string(),
      organization: z.string().nullable(),
      serialNumber: z.string().describe('certificate serial number, hex'),
      inn: z.string(),
    })
    .nullable()
    .describe('who signed, from the verified certificate'),
  signedAt: z.string().nullable().describe('signing time stated in the signature'),
  submittedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  receivedBy: z.string().nullable().describe('the staff member who confirmed receipt'),
  orgUnit: z.object({ id: z.string(), name: z.string() }).optional().describe('in staff lists'),
  rows: z.array(ZRow).optional(),
});

/** The office table of lists: newest first by default, by status, unit, contract or consumer. */
export const ZEmployeeListQuery = listQuery(
  ['createdAt', 'submittedAt', 'status', 'account'],
  'createdAt',
).extend({
  dir: z.enum(['asc', 'desc']).default('desc'),
  status: z.enum(EMPLOYEE_LIST_STATUSES).optional(),
  orgUnitId: ZId.optional().describe('the unit and everything below it'),
  q: z.string().trim().max(60).optional().describe('contract number or consumer name'),
});
export type EmployeeListQuery = z.infer<typeof ZEmployeeListQuery>;

/** The stored signature checked again now. */
export const ZVerification = z.object({
  valid: z.boolean(),
  reason: z
    .enum([
      'digest_mismatch',
      'bad_signature',
      'untrusted',
      'expired',
      'malformed',
      'not_signed',
      'signer_inn',
    ])
    .nullable(),
  signer: z
    .object({
      commonName: z.string(),
      organization: z.string().nullable(),
      serialNumber: z.string(),
      inn: z.string().nullable(),
    })
    .nullable(),
  signedAt: z.string().nullable(),
  documentSha256: z.string(),
  checkedAt: z.string(),
});
export type Verification = z.infer<typeof ZVerification>;

/** A row as typed or imported; the server checks and cleans it (src/domain/employee-list.ts). */
const cell = () => z.string().max(1000).nullable().optional();
const ZRowInput = z
  .object({ fullName: cell(), position: cell(), pinfl: cell(), passport: cell(), phone: cell() })
  .strict();

export const ZNewEmployeeList = z
  .object({
    // A longer list is refused by the domain check (row 0, code too_many) rather than here.
    rows: z.array(ZRowInput).max(MAX_EMPLOYEES * 2),
    lang: z.enum(LOCALES).optional().describe('language of the document (default: the request’s)'),
  })
  .strict();

export const ZSignatureUpload = z
  .object({
    signature: z
      .string()
      .min(1)
      .max(1_000_000)
      .describe('the detached CMS (.p7s) over the list’s PDF: base64 of the DER, or PEM'),
  })
  .strict();

/** The DER bytes of an uploaded signature: base64, or a PEM block (PKCS7 / CMS). */
export function signatureBytes(text: string): Buffer | null {
  const armored = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/.exec(text);
  const b64 = (armored?.[1] ?? text).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length > 0 ? bytes : null;
}
