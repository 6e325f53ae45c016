import { pino } from 'pino';
import { loadConfig } from '../config.ts';
import { ensurePartitions } from '../db/migrate.ts';
import { isDatabaseEmpty, loadDemo } from '../demo/demo.ts';
import { addPeriods, firstDay, periodInTashkent } from '../domain/period.ts';
import { jobQueue } from '../jobs/queue.ts';
import { registerWorkers } from '../jobs/workers.ts';
import { smsGatewayFromConfig } from '../modules/sms/sms.providers.ts';
import { buildApp } from '../server.ts';
import { type GlobalOptions, openMigrated } from './runtime.ts';

/** Options of `hisob serve`. */
export type ServeOptions = GlobalOptions & { port: string; host: string; demo?: boolean | undefined };

const DAY_MS = 24 * 3_600_000;

/**
 * What `--demo` sets unless the environment says otherwise: Payme with the demo key, and the test
 * copy of Payme's checkout page at /fake/payme, so online payment works end to end offline; and
 * Paynet's demo credentials, so the Paynet endpoint answers curl on the demo.
 */
export const DEMO_ENV = {
  PAYME_KEY: 'hisob-demo-payme-key',
  PAYME_MERCHANT_ID: 'hisob-demo-merchant',
  PAYME_CHECKOUT_URL: '/fake/payme',
  DEMO_FAKES: 'true',
  SMS_PROVIDER: 'fake', // SMS to consumers go to the log (and count as delivered)
  PAYNET_LOGIN: 'hisob-demo',
  PAYNET_PASSWORD: 'hisob-demo-paynet',
} as const;

/** `hisob serve`: migrate, optionally load the demo, listen, and shut down gracefully on a signal. */
export async function runServe(opts: ServeOptions): Promise<void> {
  const config = loadConfig({
    ...(opts.demo ? DEMO_ENV : {}),
    ...process.env,
    PORT: opts.port,
    HOST: opts.host,
    ...(opts.dataDir ? { DATA_DIR: opts.dataDir } : {}),
  });
  const log = pino({
    level: config.logLevel,
    base: { app: 'hisob' },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
  });
  const database = await openMigrated({ ...opts, dataDir: config.dataDir }, log);
  const maintainPartitions = async () => {
    const now = periodInTashkent();
    await ensurePartitions(database.db, firstDay(addPeriods(now, -13)), firstDay(addPeriods(now, 3)));
  };
  await maintainPartitions();
  if (opts.demo && (await isDatabaseEmpty(database.db))) {
    log.info('empty database: loading the demo data (first start only)');
    const started = Date.now();
    const summary = await loadDemo(database.db);
    log.info({ ...summary, seconds: (Date.now() - started) / 1000 }, 'demo data loaded');
  }

  const jobs = jobQueue(database.db, log);
  const stopWorkers = await registerWorkers(jobs, {
    db: database.db,
    log,
    billRunWorkers: database.kind === 'postgres' ? 2 : 1,
    sms: smsGatewayFromConfig(config.sms, log),
  });
  const app = await buildApp({ config, database, logger: log, jobs });
  const timer = setInterval(() => {
    maintainPartitions().catch((err: unknown) => log.error({ err }, 'partition maintenance failed'));
  }, DAY_MS);
  timer.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    clearInterval(timer);
    stopWorkers();
    await app.close();
    await jobs.stop();
    await database.close();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ url: `http://${config.host}:${port}`, port, db: database.location }, 'hisob is ready');
}
