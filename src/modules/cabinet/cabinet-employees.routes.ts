import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { cabinetActorOf, cabinetOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import {
  signatureBytes,
  ZEmployeeList,
  ZNewEmployeeList,
  ZSignatureUpload,
} from '../employee-lists/employee-lists.schemas.ts';
import {
  createEmployeeList,
  employeeListFiles,
  employeeListView,
  employeeListViews,
  submitEmployeeList,
} from '../employee-lists/employee-lists.service.ts';
import type { CabinetAuth } from './cabinet-auth.service.ts';

/** The id of the consumer's own list, or UNKNOWN_EMPLOYEE_LIST (also for another consumer's). */
async function ownList(db: Kysely<DB>, auth: CabinetAuth, id: string): Promise<bigint> {
  const row = await db
    .selectFrom('employee_list')
    .select('id')
    .where('id', '=', BigInt(id))
    .where('contract_id', '=', auth.contractId)
    .executeTakeFirst();
  if (!row) throw new AppError('UNKNOWN_EMPLOYEE_LIST', `Unknown employee list ${id}`, { id });
  return row.id;
}

/**
 * R6 function 7 in the cabinet: the company's employee list per procedure No. 1031. The consumer
 * makes a draft (the server renders the PDF to sign), downloads it, and sends the detached CMS
 * signature made with a key whose certificate carries the company's INN, in the browser or
 * elsewhere (E-IMZO); the district unit then confirms receipt.
 */
export const cabinetEmployeeRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  const route = { config: { access: 'cabinet' as const } };

  app.get(
    '/api/cabinet/employee-lists',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'The consumer’s employee lists (procedure No. 1031), newest first',
        response: {
          200: z.object({ dataAsOf: z.string(), items: z.array(ZEmployeeList) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const ids = await db
        .selectFrom('employee_list')
        .select('id')
        .where('contract_id', '=', cabinetOf(request).contractId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(200)
        .execute();
      return {
        dataAsOf: new Date().toISOString(),
        items: await employeeListViews(
          db,
          ids.map((r) => r.id),
        ),
      };
    },
  );

  app.post(
    '/api/cabinet/employee-lists',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary:
          'Make a draft list from 1–2,000 rows; the answer names the PDF to sign. Any bad row: 400 EMPLOYEE_LIST_INVALID with each row’s errors, nothing stored',
        body: ZNewEmployeeList,
        response: { 201: ZEmployeeList, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = cabinetOf(request);
      const view = await createEmployeeList(db, cabinetActorOf(request), {
        tenantId: auth.tenantId,
        contractId: auth.contractId,
        rows: request.body.rows,
        lang: request.body.lang ?? request.locale,
      });
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/api/cabinet/employee-lists/:id',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'One employee list with its rows',
        params: z.object({ id: ZId }),
        response: { 200: ZEmployeeList, ...ERROR_RESPONSES },
      },
    },
    async (request) => employeeListView(db, await ownList(db, cabinetOf(request), request.params.id)),
  );

  app.get(
    '/api/cabinet/employee-lists/:id/pdf',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'The PDF to sign: always the same bytes, the ones a signature must cover',
        params: z.object({ id: ZId }),
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const files = await employeeListFiles(db, await ownList(db, cabinetOf(request), request.params.id));
      return sendFile(reply, {
        type: 'application/pdf',
        fileName: `employee-list-${files.account}-${request.params.id}.pdf`,
        body: files.document,
      });
    },
  );

  app.get(
    '/api/cabinet/employee-lists/:id/signature',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'The accepted detached signature (.p7s) of a submitted list',
        params: z.object({ id: ZId }),
        response: { 200: z.unknown().describe('application/pkcs7-signature'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const files = await employeeListFiles(db, await ownList(db, cabinetOf(request), request.params.id));
      if (!files.signature)
        throw new AppError('EMPLOYEE_LIST_STATUS', 'The list is not signed yet', { status: 'draft' });
      return sendFile(reply, {
        type: 'application/pkcs7-signature',
        fileName: `employee-list-${files.account}-${request.params.id}.pdf.p7s`,
        body: files.signature,
      });
    },
  );

  app.post(
    '/api/cabinet/employee-lists/:id/signature',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary:
          'Submit the list: the detached CMS signature over its PDF, by a certificate carrying the consumer’s INN',
        params: z.object({ id: ZId }),
        body: ZSignatureUpload,
        response: { 200: ZEmployeeList, ...ERROR_RESPONSES, 422: ZErrorResponse },
      },
    },
    async (request) => {
      const auth = cabinetOf(request);
      const listId = await ownList(db, auth, request.params.id);
      const signature = signatureBytes(request.body.signature);
      if (!signature)
        throw new AppError('EMPLOYEE_LIST_SIGNATURE_INVALID', 'The signature is not base64 or PEM', {
          reason: 'malformed',
        });
      return submitEmployeeList(db, cabinetActorOf(request), {
        contractId: auth.contractId,
        listId,
        signature,
      });
    },
  );
};
