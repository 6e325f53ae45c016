import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { parsePeriod } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId, ZPeriod } from '../../http/common.schemas.ts';
import { accessOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { contractInScope } from '../accounts/accounts.service.ts';
import { contractDocumentOf, renderContractPdf } from './contract.pdf.ts';
import { renderActPdf, renderInvoicePdf } from './documents.pdf.ts';
import { invoiceOf, reconciliationActOf } from './documents.service.ts';

const ZFormat = z.object({
  format: z.enum(['json', 'pdf']).default('json'),
  lang: z.enum(LOCALES).optional(),
});

/**
 * Invoices and reconciliation acts of an account, as JSON or PDF (`?format=pdf`, in the user's
 * language or `?lang=`). Staff see accounts under their `billing.read` scope only; any other
 * account is unknown to them (404).
 */
export const documentRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;

  app.get(
    '/api/accounts/:contractId/invoices/:period',
    {
      config: { permission: 'billing.read' },
      schema: {
        tags: ['documents'],
        summary: 'The invoice of a closed period (JSON, or PDF with ?format=pdf)',
        params: z.object({ contractId: ZId, period: ZPeriod }),
        querystring: ZFormat,
        response: {
          200: z.unknown().describe('the document (JSON), or application/pdf'),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const contract = await contractInScope(db, access, request.params.contractId, 'billing.read');
      const invoice = await invoiceOf(db, {
        tenantId,
        contractId: contract.id,
        period: parsePeriod(request.params.period),
      });
      if (request.query.format === 'pdf') {
        const pdf = await renderInvoicePdf(invoice, request.query.lang ?? request.locale);
        return sendFile(reply, {
          type: 'application/pdf',
          fileName: `invoice-${invoice.account}-${invoice.period}.pdf`,
          body: pdf,
        });
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
        params: z.object({ contractId: ZId }),
        querystring: ZFormat.extend({ from: ZPeriod, to: ZPeriod }),
        response: {
          200: z.unknown().describe('the document (JSON), or application/pdf'),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const contract = await contractInScope(db, access, request.params.contractId, 'billing.read');
      const act = await reconciliationActOf(db, {
        tenantId,
        contractId: contract.id,
        from: parsePeriod(request.query.from),
        to: parsePeriod(request.query.to),
      });
      if (request.query.format === 'pdf') {
        const pdf = await renderActPdf(act, request.query.lang ?? request.locale);
        return sendFile(reply, {
          type: 'application/pdf',
          fileName: `act-${act.account}-${act.from}-${act.to}.pdf`,
          body: pdf,
        });
      }
      return reply.send(act);
    },
  );

  app.get(
    '/api/accounts/:contractId/contract',
    {
      config: { permission: 'consumer.read' },
      schema: {
        tags: ['documents'],
        summary: 'The supply contract as a PDF, in the user’s language or ?lang=',
        params: z.object({ contractId: ZId }),
        querystring: z.object({ lang: z.enum(LOCALES).optional() }),
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const contract = await contractInScope(db, access, request.params.contractId, 'consumer.read');
      const doc = await contractDocumentOf(db, access.user.tenantId, contract.id);
      const pdf = await renderContractPdf(doc, request.query.lang ?? request.locale);
      return sendFile(reply, { type: 'application/pdf', fileName: `contract-${doc.number}.pdf`, body: pdf });
    },
  );
};
