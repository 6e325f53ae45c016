import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { fakeKeyIssuer } from './demo/fake-key-issuer.ts';
import { fakePaymeCheckout } from './demo/fake-payme-checkout.ts';
import { installAccessControl } from './http/access-control.ts';
import { installErrorHandler, sendError } from './http/errors.ts';
import { registerSystemRoutes } from './http/system.routes.ts';
import { type Jobs, jobQueue } from './jobs/queue.ts';
import { accountingRoutes } from './modules/accounting/accounting.routes.ts';
import { applicationRoutes } from './modules/applications/applications.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { roleRoutes } from './modules/auth/roles.routes.ts';
import { billingRoutes } from './modules/billing/billing.routes.ts';
import { cabinetRoutes } from './modules/cabinet/cabinet.routes.ts';
import { cabinetApplicationRoutes } from './modules/cabinet/cabinet-applications.routes.ts';
import { cabinetBillingRoutes } from './modules/cabinet/cabinet-billing.routes.ts';
import { cabinetEmployeeRoutes } from './modules/cabinet/cabinet-employees.routes.ts';
import { cabinetNotificationRoutes } from './modules/cabinet/cabinet-notifications.ts';
import { cabinetPayRoutes } from './modules/cabinet/cabinet-pay.routes.ts';
import { cabinetReadingRoutes } from './modules/cabinet/cabinet-readings.routes.ts';
import { cabinetRecoveryRoutes } from './modules/cabinet/cabinet-recovery.ts';
import { claimRoutes } from './modules/claims/claims.routes.ts';
import { consumerRoutes } from './modules/consumers/consumers.routes.ts';
import { documentRoutes } from './modules/documents/documents.routes.ts';
import { periodDocumentRoutes } from './modules/documents/period-documents.routes.ts';
import { employeeListRoutes } from './modules/employee-lists/employee-lists.routes.ts';
import { meterRoutes } from './modules/meters/meters.routes.ts';
import { orgRoutes } from './modules/orgs/orgs.routes.ts';
import { clickRoutes } from './modules/payments/click/click.routes.ts';
import { paymentImportRoutes } from './modules/payments/imports/imports.routes.ts';
import { paymeRoutes } from './modules/payments/payme/payme.routes.ts';
import { paymentRoutes } from './modules/payments/payments.routes.ts';
import { paynetRoutes } from './modules/payments/paynet/paynet.routes.ts';
import { readingConfirmationRoutes } from './modules/readings/confirmation.routes.ts';
import { readingRoutes } from './modules/readings/readings.routes.ts';
import { documentTemplateRoutes } from './modules/reference/document-templates.routes.ts';
import { referenceRoutes } from './modules/reference/reference.routes.ts';
import { signatureRoutes } from './modules/signature/signature.routes.ts';
import { smsRoutes } from './modules/sms/sms.routes.ts';
import { userRoutes } from './modules/users/users.routes.ts';
import { VERSION } from './version.ts';

/** What the app is built from. */
export type AppDeps = {
  config: Config;
  database: Database;
  logger?: Logger | false;
  /** The job queue; without one the app makes its own (started on first use, stopped on close). */
  jobs?: Jobs;
  /** The clock of provider protocols with deadlines (Payme's 12-hour timeout); tests move it. */
  now?: () => Date;
};

/** Builds the Fastify app: security, API modules, OpenAPI at /docs, the web UI. Not yet listening. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger as FastifyBaseLogger } : { logger: false }),
    trustProxy: config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'hisob API',
        version: VERSION,
        description: 'Billing and customer information for energy suppliers',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'hisob_sid' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  const policy = { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours };
  installAccessControl(app, { db: database.db, policy, cookieSecure: config.cookieSecure });
  registerSystemRoutes(app, database);

  await app.register(authRoutes, { db: database.db, policy, cookieSecure: config.cookieSecure });
  await app.register(orgRoutes, { db: database.db });
  await app.register(userRoutes, { db: database.db });
  await app.register(roleRoutes, { db: database.db });
  await app.register(referenceRoutes, { db: database.db });
  await app.register(documentTemplateRoutes, { db: database.db });
  await app.register(consumerRoutes, { db: database.db });
  await app.register(meterRoutes, { db: database.db });
  await app.register(auditRoutes, { db: database.db });
  const jobs = deps.jobs ?? jobQueue(database.db, deps.logger || null);
  if (!deps.jobs) app.addHook('onClose', () => jobs.stop());
  await app.register(billingRoutes, { db: database.db, jobs });
  await app.register(accountingRoutes, { db: database.db, jobs });
  await app.register(documentRoutes, { db: database.db });
  await app.register(periodDocumentRoutes, { db: database.db, jobs });
  await app.register(cabinetRoutes, { db: database.db, cookieSecure: config.cookieSecure });
  await app.register(cabinetReadingRoutes, { db: database.db });
  await app.register(signatureRoutes, { db: database.db });
  await app.register(cabinetBillingRoutes, { db: database.db });
  await app.register(cabinetApplicationRoutes, { db: database.db });
  await app.register(cabinetRecoveryRoutes, { db: database.db });
  await app.register(cabinetNotificationRoutes, { db: database.db });
  await app.register(applicationRoutes, { db: database.db });
  await app.register(claimRoutes, { db: database.db });
  await app.register(cabinetEmployeeRoutes, { db: database.db });
  await app.register(employeeListRoutes, { db: database.db });
  await app.register(smsRoutes, { db: database.db, callbackSecret: config.sms.callbackSecret });
  await app.register(paymentImportRoutes, { db: database.db });
  await app.register(paymentRoutes, { db: database.db });
  await app.register(readingRoutes, { db: database.db });
  await app.register(readingConfirmationRoutes, { db: database.db });
  await app.register(paymeRoutes, { db: database.db, config, ...(deps.now ? { now: deps.now } : {}) });
  await app.register(clickRoutes, {
    db: database.db,
    serviceId: config.clickServiceId,
    secretKey: config.clickSecretKey,
  });
  await app.register(paynetRoutes, { db: database.db, config, ...(deps.now ? { now: deps.now } : {}) });
  const payme =
    config.paymeKey && config.paymeMerchantId
      ? { merchantId: config.paymeMerchantId, checkoutUrl: config.paymeCheckoutUrl }
      : null;
  await app.register(cabinetPayRoutes, { db: database.db, providers: { payme } });
  if (config.demoFakes) {
    // Stand-ins for outside parties, demo and browser tests only (README "Configuration").
    await app.register(fakeKeyIssuer, { db: database.db });
    if (config.paymeMerchantId)
      await app.register(fakePaymeCheckout, {
        merchantId: config.paymeMerchantId,
        key: async () => config.paymeKey,
      });
  }

  await registerWebUi(app, config.webDist);
  return app;
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>hisob</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>hisob</h1><p>The API is running (<a href="/docs">/docs</a>), but the web UI has not been built.
Run <code>npm run build:web</code> and reload.</p></body></html>`;

/** Serves the built SPA from web/dist; unknown non-API GETs get index.html (client-side routes). */
async function registerWebUi(app: FastifyInstance, webDist: string): Promise<void> {
  const built = existsSync(join(webDist, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isApi = path.startsWith('/api/') || path === '/api' || path.startsWith('/docs');
    if (request.method === 'GET' && !isApi) {
      if (built) return reply.type('text/html; charset=utf-8').sendFile('index.html');
      return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    }
    return sendError(request, reply, 'NOT_FOUND', { path });
  });
}
