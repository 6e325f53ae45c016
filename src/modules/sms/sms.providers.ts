import type { Logger } from 'pino';
import type { SmsConfig } from '../../config.ts';
import { eskizGateway } from './eskiz.ts';
import { playMobileGateway } from './playmobile.ts';
import { fakeGateway, type SmsGateway } from './sms.gateway.ts';

/** The path of Eskiz's delivery reports on this installation. */
export const ESKIZ_CALLBACK_PATH = '/api/sms/callback/eskiz';

const HTTP_TIMEOUT_MS = 30_000;

function configError(message: string): Error {
  return new Error(`Invalid configuration: ${message}`);
}

function httpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(`${name}: not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw configError(`${name}: not an http(s) URL`);
  return value.replace(/\/+$/, '');
}

/** The URL Eskiz posts delivery reports to (with the secret), or null when none is configured. */
export function eskizCallbackUrl(sms: SmsConfig): string | null {
  if (!sms.callbackUrl) return null;
  const base = httpUrl('SMS_CALLBACK_URL', sms.callbackUrl);
  if (!sms.callbackSecret || sms.callbackSecret.length < 16)
    throw configError('SMS_CALLBACK_SECRET: at least 16 characters are needed with SMS_CALLBACK_URL');
  return `${base}${ESKIZ_CALLBACK_PATH}?secret=${encodeURIComponent(sms.callbackSecret)}`;
}

/**
 * The gateway SMS_PROVIDER names, checked at start-up (a missing password fails `hisob serve`
 * rather than every message); null when SMS is off.
 */
export function smsGatewayFromConfig(sms: SmsConfig, log: Logger | null): SmsGateway | null {
  switch (sms.provider) {
    case 'off':
      return null;
    case 'fake':
      return fakeGateway(log);
    case 'eskiz': {
      const { email, password, from } = sms.eskiz;
      if (!email || !password)
        throw configError('ESKIZ_EMAIL and ESKIZ_PASSWORD are needed with SMS_PROVIDER=eskiz');
      return eskizGateway({
        baseUrl: httpUrl('ESKIZ_URL', sms.eskiz.url),
        email,
        password,
        from,
        callbackUrl: eskizCallbackUrl(sms),
        timeoutMs: HTTP_TIMEOUT_MS,
        log,
      });
    }
    case 'playmobile': {
      const { login, password, originator } = sms.playmobile;
      if (!login || !password || !originator)
        throw configError(
          'PLAYMOBILE_LOGIN, PLAYMOBILE_PASSWORD and PLAYMOBILE_ORIGINATOR are needed with SMS_PROVIDER=playmobile',
        );
      return playMobileGateway({
        baseUrl: httpUrl('PLAYMOBILE_URL', sms.playmobile.url),
        login,
        password,
        originator,
        timeoutMs: HTTP_TIMEOUT_MS,
      });
    }
    default: {
      const never: never = sms.provider;
      throw configError(`SMS_PROVIDER: unknown ${String(never)}`);
    }
  }
}
