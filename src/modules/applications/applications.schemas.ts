import { z } from 'zod';
import { APPLICATION_STATUSES, APPLICATION_TYPES } from '../../domain/application.ts';
import { ZId } from '../../http/common.schemas.ts';
import { listQuery } from '../../http/list.ts';
import { ZApplication } from '../cabinet/cabinet-applications.routes.ts';

// Request and answer shapes of the office's side of applications (the inbox).

const ZRequisites = z.record(z.string(), z.string().nullable());

/** An application as the office sees it: the cabinet's shape plus consumer, unit and assignee. */
export const ZOfficeApplication = ZApplication.extend({
  consumer: z.object({ id: z.string(), name: z.string(), inn: z.string().nullable() }),
  orgUnit: z.object({ id: z.string(), name: z.string() }),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  requisites: z
    .object({
      current: ZRequisites.describe('the consumer card now'),
      requested: ZRequisites.describe('what the consumer asked for'),
      applied: z
        .object({
          at: z.string(),
          by: z.string().nullable(),
          before: ZRequisites,
          after: ZRequisites,
        })
        .nullable()
        .describe('what approving changed on the card'),
    })
    .nullable()
    .describe('a change of requisites: the card and the request side by side'),
});

/** `open` = submitted, accepted or scheduled: what still needs staff. */
export const OPEN_STATUSES = ['submitted', 'accepted', 'scheduled'] as const;

export const ZApplicationListQuery = listQuery(
  ['createdAt', 'updatedAt', 'number', 'status', 'type', 'visitDate'],
  'createdAt',
).extend({
  dir: z.enum(['asc', 'desc']).default('desc'),
  status: z.enum([...APPLICATION_STATUSES, 'open']).optional(),
  type: z.enum(APPLICATION_TYPES).optional(),
  orgUnitId: ZId.optional().describe('the unit and everything below it'),
  assignee: z
    .union([z.enum(['me', 'none']), ZId])
    .optional()
    .describe('me, none (unassigned) or a user id'),
  q: z.string().trim().max(60).optional().describe('application number, contract number or consumer name'),
});
export type ApplicationListQuery = z.infer<typeof ZApplicationListQuery>;

export const ZAssignee = z.object({
  id: z.string(),
  name: z.string(),
  login: z.string(),
  orgUnit: z.string().describe('the unit of the grant that reaches the application'),
});
