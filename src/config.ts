import { resolve } from 'node:path';
import { z } from 'zod';

/** Runtime settings, read from the environment (see README "Configuration"). */
export type Config = {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  webDist: string;
  trustProxy: boolean;
  /** Payme Merchant API key (HTTP Basic password of Payme's calls); unset = Payme is switched off. */
  paymeKey: string | undefined;
  /** Payme cashbox (merchant) id, for the checkout page. */
  paymeMerchantId: string | undefined;
  /** Where the cabinet sends a consumer to pay with Payme (https://checkout.paycom.uz). */
  paymeCheckoutUrl: string;
  /** Serve the demo's stand-ins for outside parties under /fake: Payme's checkout, a key issuer (demo and browser tests only). */
  demoFakes: boolean;
  /** Click SHOP API service id (digits); with clickSecretKey unset, Click's calls are refused. */
  clickServiceId: string | undefined;
  /** Click SHOP API secret key (signs Click's Prepare/Complete calls). */
  clickSecretKey: string | undefined;
};

const EnvSchema = z.object({
  HOST: z.string().default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(12),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  PAYME_KEY: z.string().optional(),
  PAYME_MERCHANT_ID: z.string().optional(),
  PAYME_CHECKOUT_URL: z.string().default('https://checkout.paycom.uz'),
  DEMO_FAKES: z.enum(['true', 'false']).default('false'),
  CLICK_SERVICE_ID: z
    .string()
    .regex(/^[0-9]{0,18}$/, 'digits only')
    .optional(),
  CLICK_SECRET_KEY: z.string().optional(),
});

/** Reads the configuration from `env`; throws a readable error on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    cookieSecure: e.COOKIE_SECURE === 'true',
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    webDist: resolve(import.meta.dirname, '..', 'web', 'dist'),
    trustProxy: e.TRUST_PROXY === 'true',
    paymeKey: e.PAYME_KEY || undefined,
    paymeMerchantId: e.PAYME_MERCHANT_ID || undefined,
    paymeCheckoutUrl: e.PAYME_CHECKOUT_URL,
    demoFakes: e.DEMO_FAKES === 'true',
    clickServiceId: e.CLICK_SERVICE_ID || undefined,
    clickSecretKey: e.CLICK_SECRET_KEY || undefined,
  };
}
