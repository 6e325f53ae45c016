import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { parsePeriod } from '../../domain/period.ts';
import { accessOf } from '../../http/context.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import { renderActPdf, renderInvoicePdf } from './documents.pdf.ts';
import { invoiceOf, reconciliationActOf } from './documents.service.ts';

const ZPeriod = z.string().regex(/^20[0-9]{2}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
const ZFormat = z.object({
  format: z.enum(['json', 'pdf']).default('json'),
  lang: z.enum(LOCALES).optional(),
});
const errors = {
  400: ZErrorResponse,
  401: ZErrorResponse,
  403: ZErrorResponse,
  404: ZErrorResponse,
  409: ZErrorResponse,
};

/**
 * Invoices and reconciliation acts of an account, as JSON or PDF (`?format=pdf`, in the user's
 * language or `?lang=`). Staff see accounts under their `billing.read` scope only; any other
 * account is unknown to them (404).
 */
export const documentRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;

  const accountInScope = async (contractId: string, request: Parameters<typeof accessOf>[0]) => {
    const access = accessOf(request);
    const contract = await db
      .selectFrom('contract as k')
      .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
      .select(['k.id', 'k.number', 'ou.path'])
      .where('k.id', '=', BigInt(contractId))
      .where('k.tenant_id', '=', access.user.tenantId)
      .executeTakeFirst();
    if (!contract || !access.canAt('billing.read', contract.path))
      throw new AppError('UNKNOWN_ACCOUNT', `Unknown account ${contractId}`, { account: contractId });
    return { tenantId: access.user.tenantId, contract };
  };

  app.get(
    '/api/accounts/:contractId/invoices/:period',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['documents'],
        summary: 'The invoice of a closed period (JSON, or PDF with ?format=pdf)',
        params: z.object({ contractId: z.string().regex(/^[0-9]{1,18}$/), period: ZPeriod }),
        querystring: ZFormat,
        response: { 200: z.unknown().describe('the document (JSON), or application/pdf'), ...errors },
      },
    },
    async (request, reply) => {
      const { tenantId, contract } = await accountInScope(request.params.contractId, request);
      const invoice = await invoiceOf(db, {
        tenantId,
        contractId: contract.id,
        period: parsePeriod(request.params.period),
      });
      if (request.query.format === 'pdf') {
        const pdf = await renderInvoicePdf(invoice, request.query.lang ?? request.locale);
        return reply
          .type('application/pdf')
          .header(
            'content-disposition',
            `inline; filename="invoice-${invoice.account}-${invoice.period}.pdf"`,
          )
          .send(pdf);
      }
      return reply.send(invoice);
    },
  );

  app.get(
    '/api/accounts/:contractId/acts',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['documents'],
        summary: 'The reconciliation act over closed periods from..to (JSON, or PDF with ?format=pdf)',
        params: z.object({ contractId: z.string().regex(/^[0-9]{1,18}$/) }),
        querystring: ZFormat.extend({ from: ZPeriod, to: ZPeriod }),
        response: { 200: z.unknown().describe('the document (JSON), or application/pdf'), ...errors },
      },
    },
    async (request, reply) => {
      const { tenantId, contract } = await accountInScope(request.params.contractId, request);
      const act = await reconciliationActOf(db, {
        tenantId,
        contractId: contract.id,
        from: parsePeriod(request.query.from),
        to: parsePeriod(request.query.to),
      });
      if (request.query.format === 'pdf') {
        const pdf = await renderActPdf(act, request.query.lang ?? request.locale);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="act-${act.account}-${act.from}-${act.to}.pdf"`)
          .send(pdf);
      }
      return reply.send(act);
    },
  );
};
