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
  /** Paynet provider web service login (HTTP Basic user of Paynet's calls); with paynetPassword unset, Paynet's calls are refused. */
  paynetLogin: string | undefined;
  /** Paynet provider web service password (HTTP Basic password of Paynet's calls). */
  paynetPassword: string | undefined;
  /** SMS to consumers (README "SMS"): the gateway, its account, and the delivery-report callback. */
  sms: SmsConfig;
};

/** SMS settings; provider 'off' queues SMS but sends nothing. */
export type SmsConfig = {
  provider: 'eskiz' | 'playmobile' | 'fake' | 'off';
  eskiz: { url: string; email: string | undefined; password: string | undefined; from: string };
  playmobile: {
    url: string;
    login: string | undefined;
    password: string | undefined;
    originator: string | undefined;
  };
  /** The public address of this installation as the gateway reaches it (https://billing.example.uz). */
  callbackUrl: string | undefined;
  /** The secret in the delivery-report URL (Eskiz does not sign its callbacks); unset = reports refused. */
  callbackSecret: string | undefined;
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
  WEB_DIST: z.string().optional(),
  CLICK_SERVICE_ID: z
    .string()
    .regex(/^[0-9]{0,18}$/, 'digits only')
    .optional(),
  CLICK_SECRET_KEY: z.string().optional(),
  PAYNET_LOGIN: z.string().optional(),
  PAYNET_PASSWORD: z.string().optional(),
  SMS_PROVIDER: z.enum(['eskiz', 'playmobile', 'fake', 'off']).default('off'),
  ESKIZ_URL: z.string().optional(),
  ESKIZ_EMAIL: z.string().optional(),
  ESKIZ_PASSWORD: z.string().optional(),
  ESKIZ_FROM: z.string().optional(),
  PLAYMOBILE_URL: z.string().optional(),
  PLAYMOBILE_LOGIN: z.string().optional(),
  PLAYMOBILE_PASSWORD: z.string().optional(),
  PLAYMOBILE_ORIGINATOR: z.string().optional(),
  SMS_CALLBACK_URL: z.string().optional(),
  SMS_CALLBACK_SECRET: z.string().optional(),
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
    // WEB_DIST: another build of the web UI (development: several builds side by side).
    webDist: e.WEB_DIST ? resolve(e.WEB_DIST) : resolve(import.meta.dirname, '..', 'web', 'dist'),
    trustProxy: e.TRUST_PROXY === 'true',
    paymeKey: e.PAYME_KEY || undefined,
    paymeMerchantId: e.PAYME_MERCHANT_ID || undefined,
    paymeCheckoutUrl: e.PAYME_CHECKOUT_URL,
    demoFakes: e.DEMO_FAKES === 'true',
    clickServiceId: e.CLICK_SERVICE_ID || undefined,
    clickSecretKey: e.CLICK_SECRET_KEY || undefined,
    paynetLogin: e.PAYNET_LOGIN || undefined,
    paynetPassword: e.PAYNET_PASSWORD || undefined,
    sms: {
      provider: e.SMS_PROVIDER,
      eskiz: {
        url: e.ESKIZ_URL || 'https://notify.eskiz.uz',
        email: e.ESKIZ_EMAIL || undefined,
        password: e.ESKIZ_PASSWORD || undefined,
        from: e.ESKIZ_FROM || '4546',
      },
      playmobile: {
        url: e.PLAYMOBILE_URL || 'https://send.smsxabar.uz',
        login: e.PLAYMOBILE_LOGIN || undefined,
        password: e.PLAYMOBILE_PASSWORD || undefined,
        originator: e.PLAYMOBILE_ORIGINATOR || undefined,
      },
      callbackUrl: e.SMS_CALLBACK_URL || undefined,
      callbackSecret: e.SMS_CALLBACK_SECRET || undefined,
    },
  };
}
