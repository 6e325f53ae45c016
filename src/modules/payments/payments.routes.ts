import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { todayInTashkent } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { sendXlsx, XLSX_MAX_ROWS, ZListPage } from '../../http/list.ts';
import { LOCALES } from '../../i18n/locale.ts';
import type { Access } from '../auth/access.ts';
import type { Permission } from '../auth/permissions.ts';
import { companyPath } from './imports/imports.repository.ts';
import {
  findContracts,
  findPaymentDetail,
  findPaymentRow,
  listPayments,
  orgUnitPath,
  type PaymentScope,
  paymentChannels,
} from './office/office.repository.ts';
import {
  ZBookRequest,
  ZBookResult,
  ZContractHit,
  ZDesk,
  ZPaymentDetail,
  ZPaymentListQuery,
  ZPaymentRow,
  ZReverseRequest,
} from './office/office.schemas.ts';
import { bookDeskPayment, reverseDeskPayment } from './office/office.service.ts';
import { PAYMENTS_SHEET, paymentColumns } from './office/office.xlsx.ts';
import { receiptOf, renderReceiptPdf } from './receipt.ts';

/**
 * The payments `permission` reaches: those of contracts in its org units and, when it holds at
 * the supplier's company unit, those without a contract (as the unmatched queue is scoped).
 */
async function scopeOf(db: Kysely<DB>, access: Access, permission: Permission): Promise<PaymentScope> {
  const tenantId = access.user.tenantId;
  return {
    tenantId,
    paths: access.scope(permission),
    company: access.canAt(permission, await companyPath(db, tenantId)),
  };
}

/** The office payment desk: the payment list, manual booking and reversal (R5). */
export const paymentRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  const tags = ['payments'];

  app.get(
    '/api/payments',
    {
      config: { permission: 'payment.read' },
      schema: {
        tags,
        summary:
          'Payments in the caller’s org units (and, for company-level staff, those without a contract): filter, sort, page; format=xlsx for the whole filtered list',
        querystring: ZPaymentListQuery,
        response: {
          200: ZListPage(ZPaymentRow).describe('or the XLSX workbook with format=xlsx'),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const q = request.query;
      const scope = await scopeOf(db, access, 'payment.read');
      const unitPath = q.orgUnitId ? await orgUnitPath(db, scope.tenantId, BigInt(q.orgUnitId)) : undefined;
      if (q.format === 'json') return listPayments(db, scope, { ...q, unitPath });
      const counted = await listPayments(db, scope, { ...q, unitPath, limit: 1, offset: 0 });
      if (counted.total > XLSX_MAX_ROWS)
        throw new AppError('PAYMENT_EXPORT_TOO_LARGE', 'Too many rows to export', {
          total: counted.total,
          max: XLSX_MAX_ROWS,
        });
      const all = await listPayments(db, scope, { ...q, unitPath, all: true });
      const locale = q.lang ?? request.locale;
      return sendXlsx(reply, {
        fileName: `payments-${todayInTashkent()}.xlsx`,
        sheet: PAYMENTS_SHEET,
        columns: paymentColumns(locale),
        rows: all.items,
        locale,
      });
    },
  );

  app.get(
    '/api/payments/desk',
    {
      config: { permission: 'payment.read' },
      schema: {
        tags,
        summary:
          'What the caller may do at the payment desk (book, reverse, the company-level bank-and-post desk)',
        response: { 200: ZDesk, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const company = await companyPath(db, access.user.tenantId);
      return {
        canWrite: access.can('payment.write'),
        canReverse: access.can('payment.reverse'),
        company: {
          read: access.canAt('payment.read', company),
          write: access.canAt('payment.write', company),
        },
        channels: await paymentChannels(db),
        today: todayInTashkent(),
      };
    },
  );

  app.get(
    '/api/payments/contracts',
    {
      config: { permission: 'payment.write' },
      schema: {
        tags,
        summary: 'Contracts the caller may book payments to, by number (prefix), consumer name or INN',
        querystring: z.object({
          q: z.string().trim().min(1).max(100),
          limit: z.coerce.number().int().min(1).max(50).default(20),
        }),
        response: { 200: z.object({ items: z.array(ZContractHit) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      return {
        items: await findContracts(db, {
          tenantId: access.user.tenantId,
          paths: access.scope('payment.write'),
          q: request.query.q,
          limit: request.query.limit,
        }),
      };
    },
  );

  app.get(
    '/api/payments/:id',
    {
      config: { permission: 'payment.read' },
      schema: {
        tags,
        summary: 'One payment with its allocations (bills, periods, penalties), its advance and its reversal',
        params: z.object({ id: ZId }),
        response: { 200: ZPaymentDetail, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const scope = await scopeOf(db, accessOf(request), 'payment.read');
      const detail = await findPaymentDetail(db, scope, BigInt(request.params.id));
      if (!detail)
        throw new AppError('PAYMENT_NOT_FOUND', `No payment ${request.params.id}`, { id: request.params.id });
      return detail;
    },
  );

  app.get(
    '/api/payments/:id/receipt',
    {
      config: { permission: 'payment.read' },
      schema: {
        tags,
        summary: 'The printable receipt (PDF) of a payment, as the cabinet serves it',
        params: z.object({ id: ZId }),
        querystring: z.object({ lang: z.enum(LOCALES).optional() }),
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const scope = await scopeOf(db, access, 'payment.read');
      const row = await findPaymentRow(db, scope, BigInt(request.params.id));
      if (!row?.contract)
        throw new AppError('PAYMENT_NOT_FOUND', `No payment ${request.params.id}`, { id: request.params.id });
      const receipt = await receiptOf(db, scope.tenantId, BigInt(row.contract.id), BigInt(row.id));
      return sendFile(reply, {
        type: 'application/pdf',
        fileName: `receipt-${receipt.account}-${receipt.paymentId}.pdf`,
        body: await renderReceiptPdf(receipt, request.query.lang ?? request.locale),
      });
    },
  );

  app.post(
    '/api/payments',
    {
      config: { permission: 'payment.write' },
      schema: {
        tags,
        summary:
          'Book a payment taken at the cash desk (channel cash or manual, the receipt number as its id): 201 new, 200 a repeat of the same receipt',
        body: ZBookRequest,
        response: { 200: ZBookResult, 201: ZBookResult, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const booked = await bookDeskPayment(db, actorOf(request), access, request.body);
      const scope = await scopeOf(db, access, 'payment.write');
      const payment = await findPaymentRow(db, scope, booked.paymentId);
      if (!payment) throw new AppError('PAYMENT_NOT_FOUND', 'The payment vanished');
      return reply
        .code(booked.duplicate ? 200 : 201)
        .send({ payment, allocated: booked.allocated, duplicate: booked.duplicate });
    },
  );

  app.post(
    '/api/payments/:id/reverse',
    {
      config: { permission: 'payment.reverse' },
      schema: {
        tags,
        summary:
          'Reverse a payment by an explicit entry dated today, with a reason (its allocations are undone)',
        params: z.object({ id: ZId }),
        body: ZReverseRequest,
        response: { 200: ZPaymentRow, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const paymentId = BigInt(request.params.id);
      await reverseDeskPayment(db, actorOf(request), access, {
        paymentId,
        reason: request.body.reason,
        companyPath: await companyPath(db, access.user.tenantId),
      });
      const row = await findPaymentRow(db, await scopeOf(db, access, 'payment.read'), paymentId);
      if (!row) throw new AppError('PAYMENT_NOT_FOUND', 'The payment vanished');
      return row;
    },
  );
};
