import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { formatMoney, parseMoney, type Tiyin, tiyin } from '../../domain/money.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { cabinetActorOf, cabinetOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { writeAudit } from '../audit/audit.ts';
import { paymeCheckoutUrl, paymeLang } from '../payments/checkout.ts';
import { INTENT_LIFETIME_MS } from '../payments/provider-accounts.ts';
import { receiptOf, renderReceiptPdf } from '../payments/receipt.ts';

// Online payment from the cabinet (R5, R6 "online payment", issue 5 point 4): "Pay" records a
// payment intent and hands the consumer over to the provider's checkout; the provider's own
// server-to-server calls (Payme Merchant API) book the payment and mark the intent paid; the
// consumer comes back to /cabinet/pay/:id, which follows the intent to its receipt.

/** Where the cabinet can send a consumer to pay; null when the installation has no such provider. */
export type PayProviders = {
  payme: { merchantId: string; checkoutUrl: string } | null;
};

/** The smallest and largest amount one online payment may carry, in tiyin (1 000 and 1 000 000 000 so'm). */
export const ONLINE_PAYMENT_LIMITS = { min: 100_000n, max: 100_000_000_000n } as const;

const ZIntent = z.object({
  id: z.string(),
  provider: z.enum(['payme', 'click']),
  amount: z.string().describe('decimal so\u2019m'),
  status: z.enum(['created', 'pending', 'paid', 'cancelled', 'expired']),
  createdAt: z.string(),
  paymentId: z.string().nullable(),
});

type IntentRow = {
  id: bigint;
  provider: string;
  amount: bigint;
  status: string;
  created_at: Date | string;
  payment_id: bigint | null;
};

/** The intent as the consumer sees it; an unpaid intent past its lifetime reads as expired. */
function intentView(row: IntentRow, now = new Date()) {
  const createdAt = new Date(row.created_at);
  const lapsed =
    (row.status === 'created' || row.status === 'pending') &&
    now.getTime() - createdAt.getTime() > INTENT_LIFETIME_MS;
  return {
    id: String(row.id),
    provider: row.provider as 'payme' | 'click',
    amount: formatMoney(tiyin(row.amount)),
    status: (lapsed ? 'expired' : row.status) as z.infer<typeof ZIntent>['status'],
    createdAt: createdAt.toISOString(),
    paymentId: row.payment_id === null ? null : String(row.payment_id),
  };
}

export const cabinetPayRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB>; providers: PayProviders }> = async (
  app,
  opts,
) => {
  const { db, providers } = opts;
  const route = { config: { access: 'cabinet' as const } };

  app.get(
    '/api/cabinet/pay/providers',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'The online payment providers the consumer can pay through, and the amount limits',
        response: {
          200: z.object({ providers: z.array(z.enum(['payme', 'click'])), min: z.string(), max: z.string() }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async () => ({
      providers: providers.payme ? (['payme'] as const).slice() : [],
      min: formatMoney(tiyin(ONLINE_PAYMENT_LIMITS.min)),
      max: formatMoney(tiyin(ONLINE_PAYMENT_LIMITS.max)),
    }),
  );

  app.post(
    '/api/cabinet/pay',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: "Starts an online payment: records the intent and answers the provider's checkout URL",
        body: z
          .object({
            provider: z.enum(['payme']),
            amount: z.string().describe('decimal so\u2019m, "1234.56" (a comma is accepted)'),
            lang: z.enum(LOCALES).optional(),
          })
          .strict(),
        response: { 201: z.object({ intent: ZIntent, checkoutUrl: z.string() }), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = cabinetOf(request);
      const payme = providers.payme;
      if (!payme)
        throw new AppError('PAYMENT_PROVIDER_UNAVAILABLE', 'Online payment through Payme is not configured', {
          provider: request.body.provider,
        });
      const amount: Tiyin = parseMoney(request.body.amount, { allowComma: true });
      if (amount < ONLINE_PAYMENT_LIMITS.min || amount > ONLINE_PAYMENT_LIMITS.max)
        throw new AppError('PAYMENT_AMOUNT_OUT_OF_RANGE', 'The amount is outside the online payment limits', {
          min: formatMoney(tiyin(ONLINE_PAYMENT_LIMITS.min)),
          max: formatMoney(tiyin(ONLINE_PAYMENT_LIMITS.max)),
        });
      const { row, supplier } = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('payment_intent')
          .values({
            tenant_id: auth.tenantId,
            contract_id: auth.contractId,
            provider: request.body.provider,
            amount,
          })
          .returning(['id', 'provider', 'amount', 'status', 'created_at', 'payment_id'])
          .executeTakeFirstOrThrow();
        const k = await trx
          .selectFrom('contract as k')
          .innerJoin('tenant as t', 't.id', 'k.tenant_id')
          .innerJoin('org_unit as u', 'u.id', 'k.org_unit_id')
          .select(['t.code', 'u.path'])
          .where('k.id', '=', auth.contractId)
          .executeTakeFirstOrThrow();
        await writeAudit(trx, cabinetActorOf(request), {
          action: 'payment_intent.create',
          entity: 'payment_intent',
          entityId: row.id,
          tenantId: auth.tenantId,
          orgUnitPath: k.path,
          after: { contract_id: auth.contractId, provider: row.provider, amount },
        });
        return { row, supplier: k.code };
      });
      const checkoutUrl = paymeCheckoutUrl(payme.checkoutUrl, {
        merchantId: payme.merchantId,
        account: { account: auth.account, supplier, intent: String(row.id) },
        amount,
        returnUrl: `${request.protocol}://${request.host}/cabinet/pay/${row.id}`,
        lang: paymeLang(request.body.lang ?? request.locale),
      });
      return reply.code(201).send({ intent: intentView(row), checkoutUrl });
    },
  );

  app.get(
    '/api/cabinet/pay/:id',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'An online payment of the consumer: its status and, once paid, the booked payment',
        params: z.object({ id: ZId }),
        response: { 200: ZIntent, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const auth = cabinetOf(request);
      const row = await db
        .selectFrom('payment_intent')
        .select(['id', 'provider', 'amount', 'status', 'created_at', 'payment_id'])
        .where('id', '=', BigInt(request.params.id))
        .where('contract_id', '=', auth.contractId)
        .executeTakeFirst();
      if (!row) throw new AppError('PAYMENT_NOT_FOUND', 'No such online payment', { id: request.params.id });
      return intentView(row);
    },
  );

  app.get(
    '/api/cabinet/payments/:id/receipt',
    {
      ...route,
      schema: {
        tags: ['cabinet'],
        summary: 'The printable receipt (PDF) of a payment of the consumer',
        params: z.object({ id: ZId }),
        querystring: z.object({ lang: z.enum(LOCALES).optional() }),
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = cabinetOf(request);
      const receipt = await receiptOf(db, auth.tenantId, auth.contractId, BigInt(request.params.id));
      const pdf = await renderReceiptPdf(receipt, request.query.lang ?? request.locale);
      return sendFile(reply, {
        type: 'application/pdf',
        fileName: `receipt-${receipt.account}-${receipt.paymentId}.pdf`,
        body: pdf,
      });
    },
  );
};
