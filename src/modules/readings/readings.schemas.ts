import { z } from 'zod';
import { VEE_CODES } from '../../domain/vee.ts';
import { ZId, ZPeriod } from '../../http/common.schemas.ts';
import { listQuery } from '../../http/list.ts';

/** The statuses of a reading (migration 0001). */
export const READING_STATUSES = ['submitted', 'suspect', 'accepted', 'rejected'] as const;
export type ReadingStatus = (typeof READING_STATUSES)[number];

/** Where a reading came from (migration 0001). */
export const READING_SOURCES = ['cabinet', 'inspector', 'ami', 'operator', 'import'] as const;
export type ReadingSource = (typeof READING_SOURCES)[number];

/** The columns the readings table sorts by. */
export const READING_SORTS = ['readOn', 'contract', 'enteredAt'] as const;
export type ReadingSort = (typeof READING_SORTS)[number];

/** A reading as typed: XXXXXX,XX with a comma or a dot, at most 2 decimals. */
const ZReadingValue = z.string().trim().min(1).max(20);

/** One status or several separated by commas ("suspect,submitted", the VEE queue). */
const ZStatusList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()))
  .pipe(z.array(z.enum(READING_STATUSES)).min(1).max(READING_STATUSES.length));

/** The query of GET /api/readings. */
export const ZReadingListQuery = listQuery(READING_SORTS, 'enteredAt').extend({
  status: ZStatusList.optional(),
  source: z.enum(READING_SOURCES).optional(),
  period: ZPeriod.optional(),
  orgUnitId: ZId.optional(),
  q: z.string().trim().max(40).optional(),
});
export type ReadingListQuery = z.infer<typeof ZReadingListQuery>;

const ZDecimal = z.string().describe('decimal, 2 places: "1250.00"');

/** A row of the office readings table. */
export const ZReadingRow = z.object({
  id: z.string(),
  readOn: z.string(),
  value: ZDecimal,
  source: z.enum(READING_SOURCES),
  status: z.enum(READING_STATUSES),
  veeCode: z
    .string()
    .nullable()
    .describe(`VEE rule that made it suspect: ${VEE_CODES.join(', ')}`),
  note: z.string().nullable(),
  contract: z.object({ id: z.string(), number: z.string() }),
  consumerName: z.string(),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  meterSerial: z.string(),
  registerId: z.string(),
  obis: z.string(),
  previous: z
    .object({ readOn: z.string(), value: ZDecimal, installation: z.boolean() })
    .nullable()
    .describe('the accepted reading before this one, or the installation reading'),
  advance: ZDecimal.nullable().describe('value − previous on the dial (before the multiplier)'),
  enteredBy: z.string().nullable(),
  enteredAt: z.string(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
});
export type ReadingRow = z.infer<typeof ZReadingRow>;

/** The body of POST /api/readings. */
export const ZEnterReading = z.object({
  registerId: ZId,
  readOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
  value: ZReadingValue,
});

/** The body of POST /api/readings/:id/accept. */
export const ZAcceptReading = z.object({ note: z.string().trim().max(500).optional() }).default({});

/** The body of POST /api/readings/:id/reject. */
export const ZRejectReading = z.object({ reason: z.string().trim().min(1).max(500) });

/** The body of POST /api/readings/:id/correct. */
export const ZCorrectReading = z.object({ value: ZReadingValue, reason: z.string().trim().min(1).max(500) });

/** The answer of a correction: the rejected reading and the one recorded in its place. */
export const ZCorrection = z.object({ rejected: ZReadingRow, corrected: ZReadingRow });

/** A meter in service found for the entry form, with each register's last readings. */
export const ZRegisterSearchItem = z.object({
  meterId: z.string(),
  serial: z.string(),
  digits: z.number().int(),
  multiplier: z.string(),
  contract: z.object({ id: z.string(), number: z.string() }),
  consumerName: z.string(),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  registers: z.array(
    z.object({
      registerId: z.string(),
      obis: z.string(),
      last: z.object({ readOn: z.string(), value: ZDecimal }).nullable().describe('last accepted reading'),
      pending: z
        .object({ id: z.string(), readOn: z.string(), value: ZDecimal, status: z.enum(READING_STATUSES) })
        .nullable()
        .describe('the newest reading still waiting (submitted or suspect)'),
    }),
  ),
});

/** The answer of a good import. */
export const ZImportResult = z.object({
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  rows: z.number().int(),
  submitted: z.number().int(),
  suspect: z.number().int(),
});

/** One line of an import's error report (in the details of READING_IMPORT_INVALID). */
export type ImportProblem = {
  row: number;
  field: 'contract' | 'meter' | 'register' | 'date' | 'value' | null;
  code: string;
  message: string;
  value?: string;
};
