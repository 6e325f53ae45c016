import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Tiyin, tiyin } from './money.ts';
import type { LocalDate, Period } from './period.ts';
import {
  formatSmsMoney,
  parseSmsMessage,
  renderSms,
  SMS_TEMPLATES,
  type SmsLocale,
  type SmsMessage,
  smsExpiresAt,
  smsNotBefore,
  smsParamsToJson,
  smsSegments,
} from './sms-templates.ts';

const LOCALES: SmsLocale[] = ['uz', 'uz-Cyrl', 'ru', 'en'];
const d = (s: string) => s as LocalDate;

/** One message of each template, with the longest values a real account produces. */
function examples(account = '0012345', amount: Tiyin = tiyin(123_456_789n)): SmsMessage[] {
  return [
    {
      template: 'bill_issued',
      params: { account, period: '2025-03' as Period, amount, due: d('2025-04-30') },
    },
    {
      template: 'payment_received',
      params: { account, amount, date: d('2025-04-12'), balance: tiyin(1_500_000n) },
    },
    { template: 'due_reminder', params: { account, amount, due: d('2025-04-30') } },
    { template: 'disconnection_warning', params: { account, amount, date: d('2025-05-10') } },
    { template: 'reconnection', params: { account } },
  ];
}

describe('SMS templates', () => {
  it('formats money like "1 234 567,89" with plain spaces, and "1,234,567.89" in English', () => {
    expect(formatSmsMoney(tiyin(123_456_789n), 'uz')).toBe('1 234 567,89');
    expect(formatSmsMoney(tiyin(123_456_789n), 'ru')).toBe('1 234 567,89');
    expect(formatSmsMoney(tiyin(5n), 'uz-Cyrl')).toBe('0,05');
    expect(formatSmsMoney(tiyin(123_456_789n), 'en')).toBe('1,234,567.89');
  });

  it('fills every template in the four languages with the account, amount and dd.mm.yyyy dates', () => {
    const [bill, payment, reminder, warning, reconnection] = examples();
    if (!bill || !payment || !reminder || !warning || !reconnection) throw new Error('examples');
    expect(renderSms(bill, 'uz')).toBe(
      "Sh/h 0012345: 03.2025 uchun 1 234 567,89 so'm hisoblandi. To'lov muddati 30.04.2025.",
    );
    expect(renderSms(bill, 'ru')).toBe(
      'Л/с 0012345: за 03.2025 начислено 1 234 567,89 сум. Оплатить до 30.04.2025.',
    );
    expect(renderSms(payment, 'uz-Cyrl')).toBe(
      'Ш/ҳ 0012345: 12.04.2025 1 234 567,89 сўм тўлов қабул қилинди. Қарз: 15 000,00 сўм.',
    );
    expect(renderSms(payment, 'en')).toBe(
      'Account 0012345: payment of 1,234,567.89 UZS received on 12.04.2025. Debt: 15,000.00 UZS.',
    );
    expect(renderSms(reminder, 'en')).toBe(
      'Reminder: account 0012345, please pay 1,234,567.89 UZS by 30.04.2025.',
    );
    expect(renderSms(warning, 'ru')).toContain('с 10.05.2025');
    expect(renderSms(reconnection, 'uz')).toBe("Sh/h 0012345: energiya ta'minoti qayta tiklandi. Rahmat!");
  });

  it('says "advance" for a negative balance and "no debt" for zero after a payment', () => {
    const paid = (balance: bigint): SmsMessage => ({
      template: 'payment_received',
      params: { account: '7', amount: tiyin(100n), date: d('2025-01-02'), balance: tiyin(balance) },
    });
    expect(renderSms(paid(-250_00n), 'ru')).toContain('Аванс: 250,00 сум.');
    expect(renderSms(paid(-250_00n), 'uz')).toContain("Avans: 250,00 so'm.");
    expect(renderSms(paid(0n), 'uz')).toMatch(/Qarz yo'q\.$/);
    expect(renderSms(paid(0n), 'en')).toMatch(/No debt\.$/);
  });

  it('keeps Uzbek Latin and English in GSM-7 and every text within two segments', () => {
    for (const message of examples('ABCDEFGHIJ-123456789', tiyin(99_999_999_999_99n))) {
      for (const locale of LOCALES) {
        const text = renderSms(message, locale);
        const { encoding, segments } = smsSegments(text);
        expect(encoding, `${message.template} ${locale}`).toBe(
          locale === 'uz' || locale === 'en' ? 'GSM-7' : 'UCS-2',
        );
        expect(segments, `${message.template} ${locale}: ${text}`).toBeLessThanOrEqual(2);
      }
    }
  });

  it('counts 160/153 septets per GSM-7 segment and 70/67 characters per UCS-2 segment', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
    // Extension characters take two septets; an escape pair is never split across parts.
    expect(smsSegments('{'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(smsSegments('{'.repeat(81)).segments).toBe(2);
    // 306 septets would fill two parts, but the escape pair at 153/154 moves whole to the second.
    expect(smsSegments(`${'a'.repeat(152)}{${'a'.repeat(152)}`).segments).toBe(3);
    expect(smsSegments(`${'a'.repeat(151)}{${'a'.repeat(153)}`).segments).toBe(2);
    expect(smsSegments('ж'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(smsSegments('ж'.repeat(71))).toEqual({ encoding: 'UCS-2', segments: 2 });
    expect(smsSegments('ж'.repeat(134)).segments).toBe(2);
    expect(smsSegments('ж'.repeat(135)).segments).toBe(3);
    // One Cyrillic letter or an Uzbek ʻ makes the whole text UCS-2.
    expect(smsSegments(`${'a'.repeat(100)}ж`)).toEqual({ encoding: 'UCS-2', segments: 2 });
    expect(smsSegments('Oʻzbekiston').encoding).toBe('UCS-2');
    // A character beyond the BMP is two UTF-16 units and stays whole.
    expect(smsSegments(`${'ж'.repeat(68)}😀`).segments).toBe(1);
    expect(smsSegments(`${'ж'.repeat(66)}😀${'ж'.repeat(66)}`).segments).toBe(3);
    expect(smsSegments(`${'ж'.repeat(65)}😀${'ж'.repeat(67)}`).segments).toBe(2);
  });

  it('reads back exactly the parameters it stored', () => {
    const money = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).map((v) => tiyin(v));
    const date = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((x) => d(x.toISOString().slice(0, 10)));
    const account = fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/);
    const message: fc.Arbitrary<SmsMessage> = fc.oneof(
      fc
        .record({ account, amount: money, due: date, period: date.map((x) => x.slice(0, 7) as Period) })
        .map((params) => ({ template: 'bill_issued' as const, params })),
      fc
        .record({ account, amount: money, date, balance: money })
        .map((params) => ({ template: 'payment_received' as const, params })),
      fc
        .record({ account, amount: money, due: date })
        .map((params) => ({ template: 'due_reminder' as const, params })),
      fc
        .record({ account, amount: money, date })
        .map((params) => ({ template: 'disconnection_warning' as const, params })),
      fc.record({ account }).map((params) => ({ template: 'reconnection' as const, params })),
    );
    fc.assert(
      fc.property(message, (m) => {
        const stored = JSON.parse(JSON.stringify(smsParamsToJson(m)));
        expect(parseSmsMessage(m.template, stored)).toEqual(m);
      }),
    );
  });

  it('refuses stored parameters that do not fit the template', () => {
    expect(() =>
      parseSmsMessage('bill_issued', { account: '1', amount: '1.5', period: '2025-01', due: '2025-02-28' }),
    ).toThrow(/amount/);
    expect(() => parseSmsMessage('reconnection', {})).toThrow(/account/);
    expect(() => parseSmsMessage('birthday', { account: '1' })).toThrow(/unknown SMS template/);
    expect(SMS_TEMPLATES).toHaveLength(5);
  });

  it('sends answers at once but holds bulk notices until the Tashkent daytime (09:00–20:00)', () => {
    const at = (iso: string) => new Date(iso);
    // 23:30 in Tashkent (18:30 UTC): a period's bills wait until 09:00 the next morning.
    expect(smsNotBefore('bill_issued', at('2025-04-01T18:30:00Z'))).toEqual(at('2025-04-02T04:00:00Z'));
    // 06:00 in Tashkent: the same morning at 09:00.
    expect(smsNotBefore('due_reminder', at('2025-04-01T01:00:00Z'))).toEqual(at('2025-04-01T04:00:00Z'));
    // 14:00 in Tashkent: now.
    expect(smsNotBefore('bill_issued', at('2025-04-01T09:00:00Z'))).toEqual(at('2025-04-01T09:00:00Z'));
    // 20:00 sharp is already evening.
    expect(smsNotBefore('bill_issued', at('2025-04-01T15:00:00Z'))).toEqual(at('2025-04-02T04:00:00Z'));
    expect(smsNotBefore('payment_received', at('2025-04-01T18:30:00Z'))).toEqual(at('2025-04-01T18:30:00Z'));
  });

  it('lets a bill notice lapse at the end of its due date and a payment notice after three days', () => {
    const now = new Date('2025-04-10T10:00:00Z');
    const [bill, payment] = examples();
    if (!bill || !payment) throw new Error('examples');
    // The end of 30.04.2025 in Tashkent is 30.04 19:00 UTC.
    expect(smsExpiresAt(bill, now)).toEqual(new Date('2025-04-30T19:00:00Z'));
    expect(smsExpiresAt(payment, now)).toEqual(new Date('2025-04-13T10:00:00Z'));
  });
});
