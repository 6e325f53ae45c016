import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { todayInTashkent } from '../../domain/period.ts';
import { formatQuantity, milli } from '../../domain/quantity.ts';
import { CABINET_COOKIE, sessionCookieOptions } from '../../http/access-control.ts';
import { ERROR_RESPONSES } from '../../http/common.schemas.ts';
import { cabinetOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { meteringPointsOf, termsInForce } from '../accounts/accounts.service.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import { csrfTokenFor } from '../auth/auth.service.ts';
import { contractDocumentOf, renderContractPdf } from '../documents/contract.pdf.ts';
import {
  CABINET_POLICY,
  type CabinetAuth,
  cabinetChangePassword,
  cabinetLogin,
  cabinetLogout,
} from './cabinet-auth.service.ts';

const ZCabinetSession = z.object({
  account: z.string(),
  consumerName: z.string(),
  commodity: z.enum(['electricity', 'heat']),
  mustChangePassword: z.boolean(),
  idleMinutes: z.number(),
  expiresAt: z.string(),
  csrfToken: z.string(),
});

const ZCabinetAccount = z.object({
  account: z.string(),
  commodity: z.string(),
  startDate: z.string(),
  consumer: z.object({
    name: z.string(),
    inn: z.string().nullable(),
    legalAddress: z.string().nullable(),
    postalAddress: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    bankMfo: z.string().nullable(),
    bankAccount: z.string().nullable(),
  }),
  terms: z
    .object({
      validFrom: z.string(),
      monthlyVolume: z.string().nullable(),
      contractedLoad: z.string().nullable(),
      specialSupply: z.boolean(),
    })
    .nullable(),
  meteringPoints: z.array(
    z.object({
      code: z.string(),
      name: z.string().nullable(),
      address: z.string().nullable(),
      meters: z.array(
        z.object({
          serial: z.string(),
          type: z.string().nullable(),
          digits: z.number(),
          multiplier: z.string(),
          installedOn: z.string(),
          registers: z.array(z.string()),
        }),
      ),
    }),
  ),
});

const session = (auth: CabinetAuth, csrfToken: string): z.infer<typeof ZCabinetSession> => ({
  account: auth.account,
  consumerName: auth.consumerName,
  commodity: auth.commodity,
  mustChangePassword: auth.mustChangePassword,
  idleMinutes: CABINET_POLICY.idleMinutes,
  expiresAt: auth.expiresAt.toISOString(),
  csrfToken,
});

/**
 * The consumers' cabinet (requirements R6): sign-in with the contract number, the first password
 * (the INN) replaced before anything else opens, and the account's own data. Every route answers
 * for the signed-in consumer's contract only: no route takes another account's id.
 */
export const cabinetRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB>; cookieSecure: boolean }> = async (
  app,
  opts,
) => {
  const { db } = opts;
  await app.register(rateLimit, { global: false });

  app.post(
    '/api/cabinet/login',
    {
      config: {
        access: 'public',
        csrf: false,
        rateLimit: { max: 20, timeWindow: '1 minute', keyGenerator: (req) => req.ip },
      },
      schema: {
        tags: ['cabinet'],
        summary: 'Consumer sign-in: contract number and password (the INN the first time)',
        body: z.object({
          contract: z.string().min(1).max(20),
          password: z.string().min(1).max(200),
          supplier: z.string().max(32).optional(),
        }),
        response: { 200: ZCabinetSession, ...ERROR_RESPONSES, 423: ZErrorResponse },
      },
    },
    async (request, reply) => {
      const result = await cabinetLogin(db, {
        contract: request.body.contract,
        password: request.body.password,
        ...(request.body.supplier ? { supplier: request.body.supplier } : {}),
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      reply.setCookie(CABINET_COOKIE, result.token, sessionCookieOptions(opts.cookieSecure));
      return session(result.auth, result.csrfToken);
    },
  );

  app.get(
    '/api/cabinet/suppliers',
    {
      config: { access: 'public' },
      schema: {
        tags: ['cabinet'],
        summary: 'The suppliers of this installation, for a contract number that exists at several',
        response: {
          200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string() })) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async () => ({
      items: await db.selectFrom('tenant').select(['code', 'name']).orderBy('name').execute(),
    }),
  );

  app.get(
    '/api/cabinet/me',
    {
      config: { access: 'cabinet', duringPasswordChange: true },
      schema: {
        tags: ['cabinet'],
        summary: 'The signed-in consumer, with a fresh CSRF token',
        response: { 200: ZCabinetSession, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const auth = cabinetOf(request);
      return session(auth, csrfTokenFor(auth.csrfSecret));
    },
  );

  app.post(
    '/api/cabinet/password',
    {
      config: { access: 'cabinet', duringPasswordChange: true },
      schema: {
        tags: ['cabinet'],
        summary: 'Set a new password (≥ 10 characters with letters and digits, not the INN)',
        body: z.object({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) }),
        response: { 204: z.null(), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      await cabinetChangePassword(db, cabinetOf(request), {
        current: request.body.current,
        next: request.body.next,
        ip: request.ip,
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/cabinet/logout',
    {
      config: { access: 'cabinet', duringPasswordChange: true },
      schema: { tags: ['cabinet'], summary: 'Sign out', response: { 204: z.null(), ...ERROR_RESPONSES } },
    },
    async (request, reply) => {
      await cabinetLogout(db, cabinetOf(request));
      reply.clearCookie(CABINET_COOKIE, sessionCookieOptions(opts.cookieSecure));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/cabinet/account',
    {
      config: { access: 'cabinet' },
      schema: {
        tags: ['cabinet'],
        summary: 'Consumer and contract data: requisites, terms, metering points and meters (R6 function 1)',
        response: { 200: ZCabinetAccount, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const auth = cabinetOf(request);
      const row = await db
        .selectFrom('contract as k')
        .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
        .select([
          'k.number',
          'k.commodity',
          'k.start_date',
          'c.name',
          'c.inn',
          'c.legal_address',
          'c.postal_address',
          'c.phone',
          'c.email',
          'c.bank_mfo',
          'c.bank_account',
        ])
        .where('k.id', '=', auth.contractId)
        .executeTakeFirstOrThrow();
      const terms = await db
        .transaction()
        .execute((trx) => termsInForce(trx, auth.contractId, todayInTashkent()));
      return {
        account: row.number,
        commodity: row.commodity,
        startDate: row.start_date,
        consumer: {
          name: row.name,
          inn: row.inn,
          legalAddress: row.legal_address,
          postalAddress: row.postal_address,
          phone: row.phone,
          email: row.email,
          bankMfo: row.bank_mfo,
          bankAccount: row.bank_account,
        },
        terms: terms
          ? {
              validFrom: terms.valid_from,
              monthlyVolume:
                terms.default_volume === null ? null : formatQuantity(milli(terms.default_volume)),
              contractedLoad:
                terms.contracted_load === null ? null : formatQuantity(milli(terms.contracted_load)),
              specialSupply: terms.special_supply,
            }
          : null,
        meteringPoints: await meteringPointsOf(db, auth.contractId),
      };
    },
  );

  app.get(
    '/api/cabinet/contract',
    {
      config: { access: 'cabinet' },
      schema: {
        tags: ['cabinet'],
        summary: 'The supply contract with its terms, volumes and meters as a PDF (R6 function 6)',
        querystring: z.object({ lang: z.enum(LOCALES).optional() }),
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const auth = cabinetOf(request);
      const contract = await contractDocumentOf(db, auth.tenantId, auth.contractId);
      const pdf = await renderContractPdf(contract, request.query.lang ?? request.locale);
      return sendFile(reply, {
        type: 'application/pdf',
        fileName: `contract-${contract.number}.pdf`,
        body: pdf,
      });
    },
  );
};
