import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { formatMoney, tiyin } from '../../domain/money.ts';
import { parsePeriod } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZPeriod } from '../../http/common.schemas.ts';
import { cabinetActorOf, cabinetOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { invoiceOf, reconciliationActOf } from '../documents/documents.service.ts';
import { signedAct, signedInvoice } from '../signature/signed-documents.service.ts';
import {
  cabinetConsumption,
  cabinetMonths,
  cabinetPayments,
  cabinetSettlements,
  cabinetSummary,
} from './cabinet-billing.service.ts';

const ZMoney = z.string().describe('decimal so\u2019m, "1234.56"; a positive balance is a debt');
const ZAsOf = z.string().describe('when the figures were read (ISO timestamp)');

const ZSummary = z.object({
  dataAsOf: ZAsOf,
  balance: ZMoney,
  unit: z.enum(['kWh', 'Gcal']),
  currentBill: z
    .object({
      period: z.string(),
      number: z.string().nullable(),
      total: ZMoney,
      vat: ZMoney,
      issuedOn: z.string().nullable(),
      dueOn: z.string().nullable(),
      status: z.enum(['preliminary', 'issued']),
      consumption: z.string().nullable(),
    })
    .nullable(),
  lastPayment: z.object({ paidOn: z.string(), amount: ZMoney, channel: z.string() }).nullable(),
});

const ZSettlements = z.object({
  dataAsOf: ZAsOf,
  from: z.string(),
  to: z.string(),
  opening: ZMoney,
  months: z.array(
    z.object({
      period: z.string(),
      opening: ZMoney,
      charges: ZMoney,
      payments: ZMoney,
      closing: ZMoney,
      closed: z.boolean(),
    }),
  ),
  totals: z.object({ charges: ZMoney, payments: ZMoney }),
  closing: ZMoney,
});

const ZPayments = z.object({
  dataAsOf: ZAsOf,
  payments: z.array(
    z.object({
      id: z.string(),
      paidOn: z.string(),
      amount: ZMoney,
      channel: z.string(),
      channelKind: z.string(),
      status: z.enum(['booked', 'reversed']),
      reversedOn: z.string().nullable(),
    }),
  ),
});

const ZConsumption = z.object({
  dataAsOf: ZAsOf,
  unit: z.enum(['kWh', 'Gcal']),
  from: z.string(),
  to: z.string(),
  meters: z.array(
    z.object({
      serial: z.string(),
      inService: z.boolean(),
      registers: z.array(
        z.object({
          obis: z.string(),
          months: z.array(z.object({ period: z.string(), consumption: z.string().nullable() })),
        }),
      ),
    }),
  ),
});

const ZDocuments = z.object({
  dataAsOf: ZAsOf,
  months: z.array(
    z.object({
      period: z.string(),
      invoice: z.object({ number: z.string(), total: ZMoney, issuedOn: z.string().nullable() }).nullable(),
    }),
  ),
});

const ZFormat = z.object({
  format: z.enum(['json', 'pdf']).default('json'),
  lang: z.enum(LOCALES).optional(),
});

const ZLang = z.object({ lang: z.enum(LOCALES).optional() });

const P7S_TYPE = 'application/pkcs7-signature';

/**
 * The signed-in consumer's money and consumption (R6 functions 3, 4, 5, 6 and 9): settlements,
 * payments, the current position, consumption per meter, invoices and reconciliation acts. Every
 * route reads the contract of the cabinet session and takes no account id.
 */
export const cabinetBillingRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  const route = { config: { access: 'cabinet' as const } };

  app.get(
    '/api/cabinet/summary',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'Current bill, debt or advance, last payment, last billed consumption (R6 function 5)',
        response: { 200: ZSummary, ...ERROR_RESPONSES },
      },
    },
    async (request) => cabinetSummary(db, cabinetOf(request).contractId),
  );

  app.get(
    '/api/cabinet/settlements',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'Twelve months of accruals, payments and balance (R6 function 3)',
        response: { 200: ZSettlements, ...ERROR_RESPONSES },
      },
    },
    async (request) => cabinetSettlements(db, cabinetOf(request).contractId),
  );

  app.get(
    '/api/cabinet/payments',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'Payments received, newest first (R6 function 4)',
        response: { 200: ZPayments, ...ERROR_RESPONSES },
      },
    },
    async (request) => cabinetPayments(db, cabinetOf(request).contractId),
  );

  app.get(
    '/api/cabinet/consumption',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'Consumption per meter, register and month over 12 months (R6 function 6)',
        response: { 200: ZConsumption, ...ERROR_RESPONSES },
      },
    },
    async (request) => cabinetConsumption(db, cabinetOf(request).contractId),
  );

  app.get(
    '/api/cabinet/documents',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'The invoices of the last 12 closed months (R6 function 9)',
        response: { 200: ZDocuments, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { contractId } = cabinetOf(request);
      const { from, to } = cabinetMonths();
      const bills = await db
        .selectFrom('bill as b')
        .innerJoin('billing_period as p', (j) =>
          j.onRef('p.tenant_id', '=', 'b.tenant_id').onRef('p.period', '=', 'b.period'),
        )
        .select(['b.period', 'b.number', 'b.total', 'b.issued_on'])
        .where('b.contract_id', '=', contractId)
        .where('p.status', '=', 'closed')
        .where('b.period', '>=', from)
        .where('b.period', '<=', to)
        .orderBy('b.period', 'desc')
        .execute();
      return {
        dataAsOf: new Date().toISOString(),
        months: bills.map((b) => ({
          period: b.period,
          invoice:
            b.number === null
              ? null
              : { number: b.number, total: formatMoney(tiyin(b.total)), issuedOn: b.issued_on },
        })),
      };
    },
  );

  app.get(
    '/api/cabinet/invoices/:period',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary:
          'The invoice of a closed period (JSON, or with ?format=pdf the PDF signed by the supplier, the same file on every request)',
        params: z.object({ period: ZPeriod }),
        querystring: ZFormat,
        response: { 200: z.unknown().describe('the invoice (JSON), or application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = cabinetOf(request);
      const input = {
        tenantId: auth.tenantId,
        contractId: auth.contractId,
        period: parsePeriod(request.params.period),
      };
      if (request.query.format !== 'pdf') return reply.send(await invoiceOf(db, input));
      const doc = await signedInvoice(db, {
        ...input,
        lang: request.query.lang ?? request.locale,
        actor: cabinetActorOf(request),
      });
      return sendFile(reply, { type: 'application/pdf', fileName: doc.fileName, body: doc.pdf });
    },
  );

  app.get(
    '/api/cabinet/invoices/:period/signature',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary:
          "The supplier's detached signature (CMS/PKCS#7, DER) of the invoice PDF of a closed period, in the same language",
        params: z.object({ period: ZPeriod }),
        querystring: ZLang,
        response: { 200: z.unknown().describe(P7S_TYPE), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = cabinetOf(request);
      const doc = await signedInvoice(db, {
        tenantId: auth.tenantId,
        contractId: auth.contractId,
        period: parsePeriod(request.params.period),
        lang: request.query.lang ?? request.locale,
        actor: cabinetActorOf(request),
      });
      return sendFile(reply, { type: P7S_TYPE, fileName: `${doc.fileName}.p7s`, body: doc.p7s });
    },
  );

  app.get(
    '/api/cabinet/acts',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary:
          'The reconciliation act over closed periods from..to (JSON, or with ?format=pdf the PDF signed by the supplier)',
        querystring: ZFormat.extend({ from: ZPeriod, to: ZPeriod }),
        response: { 200: z.unknown().describe('the act (JSON), or application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = cabinetOf(request);
      const input = {
        tenantId: auth.tenantId,
        contractId: auth.contractId,
        from: parsePeriod(request.query.from),
        to: parsePeriod(request.query.to),
      };
      if (request.query.format !== 'pdf') return reply.send(await reconciliationActOf(db, input));
      const doc = await signedAct(db, {
        ...input,
        lang: request.query.lang ?? request.locale,
        actor: cabinetActorOf(request),
      });
      return sendFile(reply, { type: 'application/pdf', fileName: doc.fileName, body: doc.pdf });
    },
  );

  app.get(
    '/api/cabinet/acts/signature',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary:
          "The supplier's detached signature (CMS/PKCS#7, DER) of the reconciliation act PDF over closed periods from..to",
        querystring: ZLang.extend({ from: ZPeriod, to: ZPeriod }),
        response: { 200: z.unknown().describe(P7S_TYPE), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = cabinetOf(request);
      const doc = await signedAct(db, {
        tenantId: auth.tenantId,
        contractId: auth.contractId,
        from: parsePeriod(request.query.from),
        to: parsePeriod(request.query.to),
        lang: request.query.lang ?? request.locale,
        actor: cabinetActorOf(request),
      });
      return sendFile(reply, { type: P7S_TYPE, fileName: `${doc.fileName}.p7s`, body: doc.p7s });
    },
  );
};
