import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { eskizCallbackUrl, smsGatewayFromConfig } from './sms.providers.ts';

const sms = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/nonexistent', ...env }).sms;

describe('SMS settings', () => {
  it('sends nothing by default', () => {
    expect(sms({}).provider).toBe('off');
    expect(smsGatewayFromConfig(sms({}), null)).toBeNull();
  });

  it('builds the gateway SMS_PROVIDER names, with Eskiz and Play Mobile defaults', () => {
    const eskiz = sms({ SMS_PROVIDER: 'eskiz', ESKIZ_EMAIL: 'a@b.uz', ESKIZ_PASSWORD: 'p' });
    expect(eskiz.eskiz).toEqual({
      url: 'https://notify.eskiz.uz',
      email: 'a@b.uz',
      password: 'p',
      from: '4546',
    });
    expect(smsGatewayFromConfig(eskiz, null)?.name).toBe('eskiz');
    const pm = sms({
      SMS_PROVIDER: 'playmobile',
      PLAYMOBILE_LOGIN: 'l',
      PLAYMOBILE_PASSWORD: 'p',
      PLAYMOBILE_ORIGINATOR: '3700',
    });
    expect(pm.playmobile.url).toBe('https://send.smsxabar.uz');
    expect(smsGatewayFromConfig(pm, null)?.name).toBe('playmobile');
    expect(smsGatewayFromConfig(sms({ SMS_PROVIDER: 'fake' }), null)?.name).toBe('fake');
  });

  it('refuses to start with a gateway whose account is incomplete', () => {
    expect(() => smsGatewayFromConfig(sms({ SMS_PROVIDER: 'eskiz', ESKIZ_EMAIL: 'a@b.uz' }), null)).toThrow(
      /ESKIZ_PASSWORD/,
    );
    expect(() =>
      smsGatewayFromConfig(
        sms({ SMS_PROVIDER: 'playmobile', PLAYMOBILE_LOGIN: 'l', PLAYMOBILE_PASSWORD: 'p' }),
        null,
      ),
    ).toThrow(/PLAYMOBILE_ORIGINATOR/);
    expect(() => loadConfig({ SMS_PROVIDER: 'twilio' })).toThrow(/SMS_PROVIDER/);
  });

  it('gives Eskiz a callback URL with the secret, and wants a long secret with it', () => {
    expect(eskizCallbackUrl(sms({}))).toBeNull();
    expect(
      eskizCallbackUrl(
        sms({ SMS_CALLBACK_URL: 'https://billing.example.uz/', SMS_CALLBACK_SECRET: 'a b&c-0123456789' }),
      ),
    ).toBe('https://billing.example.uz/api/sms/callback/eskiz?secret=a%20b%26c-0123456789');
    expect(() => eskizCallbackUrl(sms({ SMS_CALLBACK_URL: 'https://billing.example.uz' }))).toThrow(
      /SMS_CALLBACK_SECRET/,
    );
    expect(() =>
      eskizCallbackUrl(sms({ SMS_CALLBACK_URL: 'billing', SMS_CALLBACK_SECRET: 'x'.repeat(20) })),
    ).toThrow(/not a URL/);
  });
});
