import { formatMoney, groupDecimal, type MoneyLocale, type Tiyin, tiyin } from './money.ts';
import type { LocalDate, Period } from './period.ts';

/** The SMS the product sends to consumers (requirements R7). */
export const SMS_TEMPLATES = [
  'bill_issued',
  'payment_received',
  'due_reminder',
  'disconnection_warning',
  'reconnection',
] as const;
export type SmsTemplate = (typeof SMS_TEMPLATES)[number];

/** The language of an SMS: the four UI languages. */
export type SmsLocale = MoneyLocale;

/** What each template is filled from. Amounts in tiyin; `balance` > 0 is a debt, < 0 an advance. */
export type SmsParams = {
  bill_issued: { account: string; period: Period; amount: Tiyin; due: LocalDate };
  payment_received: { account: string; amount: Tiyin; date: LocalDate; balance: Tiyin };
  due_reminder: { account: string; amount: Tiyin; due: LocalDate };
  disconnection_warning: { account: string; amount: Tiyin; date: LocalDate };
  reconnection: { account: string };
};

/** A template with its parameters. */
export type SmsMessage = { [T in SmsTemplate]: { template: T; params: SmsParams[T] } }[SmsTemplate];

/** Money for an SMS: "1 234 567,89" (plain spaces: a no-break space is not in GSM 03.38), en "1,234,567.89". */
export function formatSmsMoney(t: Tiyin, locale: SmsLocale): string {
  return groupDecimal(formatMoney(t), locale).replace(/\u00a0/g, ' ');
}

/** A date for an SMS: dd.mm.yyyy. */
export function formatSmsDate(d: LocalDate): string {
  return `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
}

/** A period for an SMS: mm.yyyy. */
export function formatSmsPeriod(p: Period): string {
  return `${p.slice(5, 7)}.${p.slice(0, 4)}`;
}

const CURRENCY: Record<SmsLocale, string> = { uz: "so'm", 'uz-Cyrl': 'сўм', ru: 'сум', en: 'UZS' };

type Fill = { money: (t: Tiyin) => string; date: (d: LocalDate) => string };
type Texts = { [T in SmsTemplate]: (p: SmsParams[T], f: Fill) => string };

// Uzbek Latin is written with the ASCII apostrophe (o', g', so'm) so that it stays GSM-7: the
// proper modifier letter ʻ (U+02BB) would make every Uzbek SMS UCS-2 and cost twice the segments.
const TEXTS: Record<SmsLocale, Texts> = {
  uz: {
    bill_issued: (p, f) =>
      `Sh/h ${p.account}: ${formatSmsPeriod(p.period)} uchun ${f.money(p.amount)} hisoblandi. To'lov muddati ${f.date(p.due)}.`,
    payment_received: (p, f) =>
      `Sh/h ${p.account}: ${f.date(p.date)} ${f.money(p.amount)} to'lov qabul qilindi. ${
        p.balance > 0n
          ? `Qarz: ${f.money(p.balance)}.`
          : p.balance < 0n
            ? `Avans: ${f.money(tiyin(-p.balance))}.`
            : "Qarz yo'q."
      }`,
    due_reminder: (p, f) =>
      `Eslatma: sh/h ${p.account} bo'yicha ${f.money(p.amount)} qarzni ${f.date(p.due)} gacha to'lang.`,
    disconnection_warning: (p, f) =>
      `Ogohlantirish: sh/h ${p.account} bo'yicha ${f.money(p.amount)} qarz to'lanmasa, ${f.date(p.date)} dan energiya ta'minoti to'xtatiladi.`,
    reconnection: (p) => `Sh/h ${p.account}: energiya ta'minoti qayta tiklandi. Rahmat!`,
  },
  'uz-Cyrl': {
    bill_issued: (p, f) =>
      `Ш/ҳ ${p.account}: ${formatSmsPeriod(p.period)} учун ${f.money(p.amount)} ҳисобланди. Тўлов муддати ${f.date(p.due)}.`,
    payment_received: (p, f) =>
      `Ш/ҳ ${p.account}: ${f.date(p.date)} ${f.money(p.amount)} тўлов қабул қилинди. ${
        p.balance > 0n
          ? `Қарз: ${f.money(p.balance)}.`
          : p.balance < 0n
            ? `Аванс: ${f.money(tiyin(-p.balance))}.`
            : 'Қарз йўқ.'
      }`,
    due_reminder: (p, f) =>
      `Эслатма: ш/ҳ ${p.account} бўйича ${f.money(p.amount)} қарзни ${f.date(p.due)} гача тўланг.`,
    disconnection_warning: (p, f) =>
      `Огоҳлантириш: ш/ҳ ${p.account} бўйича ${f.money(p.amount)} қарз тўланмаса, ${f.date(p.date)} дан энергия таъминоти тўхтатилади.`,
    reconnection: (p) => `Ш/ҳ ${p.account}: энергия таъминоти қайта тикланди. Раҳмат!`,
  },
  ru: {
    bill_issued: (p, f) =>
      `Л/с ${p.account}: за ${formatSmsPeriod(p.period)} начислено ${f.money(p.amount)}. Оплатить до ${f.date(p.due)}.`,
    payment_received: (p, f) =>
      `Л/с ${p.account}: ${f.date(p.date)} получен платёж ${f.money(p.amount)}. ${
        p.balance > 0n
          ? `Долг: ${f.money(p.balance)}.`
          : p.balance < 0n
            ? `Аванс: ${f.money(tiyin(-p.balance))}.`
            : 'Долга нет.'
      }`,
    due_reminder: (p, f) =>
      `Напоминание: л/с ${p.account}, оплатите ${f.money(p.amount)} до ${f.date(p.due)}.`,
    disconnection_warning: (p, f) =>
      `Внимание: при неоплате долга ${f.money(p.amount)} по л/с ${p.account} подача энергии будет приостановлена с ${f.date(p.date)}.`,
    reconnection: (p) => `Л/с ${p.account}: подача энергии возобновлена. Спасибо!`,
  },
  en: {
    bill_issued: (p, f) =>
      `Account ${p.account}: ${f.money(p.amount)} billed for ${formatSmsPeriod(p.period)}. Due ${f.date(p.due)}.`,
    payment_received: (p, f) =>
      `Account ${p.account}: payment of ${f.money(p.amount)} received on ${f.date(p.date)}. ${
        p.balance > 0n
          ? `Debt: ${f.money(p.balance)}.`
          : p.balance < 0n
            ? `Advance: ${f.money(tiyin(-p.balance))}.`
            : 'No debt.'
      }`,
    due_reminder: (p, f) =>
      `Reminder: account ${p.account}, please pay ${f.money(p.amount)} by ${f.date(p.due)}.`,
    disconnection_warning: (p, f) =>
      `Warning: unless the debt of ${f.money(p.amount)} on account ${p.account} is paid, supply will be suspended from ${f.date(p.date)}.`,
    reconnection: (p) => `Account ${p.account}: supply has been restored. Thank you!`,
  },
};

/** The text of an SMS in the consumer's language. */
export function renderSms(message: SmsMessage, locale: SmsLocale): string {
  const fill: Fill = {
    money: (t) => `${formatSmsMoney(t, locale)} ${CURRENCY[locale]}`,
    date: formatSmsDate,
  };
  const texts = TEXTS[locale];
  switch (message.template) {
    case 'bill_issued':
      return texts.bill_issued(message.params, fill);
    case 'payment_received':
      return texts.payment_received(message.params, fill);
    case 'due_reminder':
      return texts.due_reminder(message.params, fill);
    case 'disconnection_warning':
      return texts.disconnection_warning(message.params, fill);
    case 'reconnection':
      return texts.reconnection(message.params, fill);
    default: {
      const never: never = message;
      throw new Error(`unknown SMS template ${JSON.stringify(never)}`);
    }
  }
}

/** The parameters as stored (jsonb): amounts as decimal strings of tiyin, dates as text. */
export function smsParamsToJson(message: SmsMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(message.params).map(([k, v]) => [k, String(v)]));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PERIOD = /^\d{4}-\d{2}$/;
const INTEGER = /^-?\d{1,20}$/;

/** Reads stored parameters back; throws when they do not fit the template (a bug, not input). */
export function parseSmsMessage(template: string, json: unknown): SmsMessage {
  const o =
    json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : {};
  const text = (k: string, re?: RegExp): string => {
    const v = o[k];
    if (typeof v !== 'string' || v === '' || (re && !re.test(v)))
      throw new Error(`SMS ${template}: parameter ${k} is missing or malformed: ${JSON.stringify(v)}`);
    return v;
  };
  const money = (k: string) => tiyin(BigInt(text(k, INTEGER)));
  const date = (k: string) => text(k, DATE) as LocalDate;
  switch (template) {
    case 'bill_issued':
      return {
        template,
        params: {
          account: text('account'),
          period: text('period', PERIOD) as Period,
          amount: money('amount'),
          due: date('due'),
        },
      };
    case 'payment_received':
      return {
        template,
        params: {
          account: text('account'),
          amount: money('amount'),
          date: date('date'),
          balance: money('balance'),
        },
      };
    case 'due_reminder':
      return { template, params: { account: text('account'), amount: money('amount'), due: date('due') } };
    case 'disconnection_warning':
      return { template, params: { account: text('account'), amount: money('amount'), date: date('date') } };
    case 'reconnection':
      return { template, params: { account: text('account') } };
    default:
      throw new Error(`unknown SMS template ${template}`);
  }
}

// GSM 03.38 default alphabet, and its extension table (each extension character takes two septets).
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

/** How an SMS travels: GSM-7 (160 septets, 153 per part of a long SMS) or UCS-2 (70 / 67 characters). */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** The encoding a text needs and the number of SMS segments (parts) it takes. */
export function smsSegments(text: string): { encoding: SmsEncoding; segments: number } {
  const chars = [...text];
  const gsm = chars.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c));
  // A character's size in the encoding's units: septets, or UTF-16 code units (2 beyond the BMP).
  const size = gsm ? (c: string) => (GSM7_EXTENSION.has(c) ? 2 : 1) : (c: string) => c.length;
  const [single, part] = gsm ? [160, 153] : [70, 67];
  const total = chars.reduce((n, c) => n + size(c), 0);
  if (total <= single) return { encoding: gsm ? 'GSM-7' : 'UCS-2', segments: 1 };
  // A long SMS never splits an escape sequence or a surrogate pair across parts.
  let segments = 1;
  let used = 0;
  for (const c of chars) {
    if (used + size(c) > part) {
      segments += 1;
      used = 0;
    }
    used += size(c);
  }
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', segments };
}

const TASHKENT_OFFSET_MS = 5 * 3_600_000;
const HOUR_MS = 3_600_000;
/** Hours of the Tashkent day in which bulk SMS (bills, reminders) go out: 09:00 to 20:00. */
export const SMS_DAYTIME = { from: 9, to: 20 } as const;

/**
 * When an SMS may go out. Answers to the consumer's own action (a payment) and switching notices go
 * at once; bulk notices (a period's bills, reminders) wait for the Tashkent daytime, so that closing
 * a period at night does not wake a million households.
 */
export function smsNotBefore(template: SmsTemplate, now: Date): Date {
  switch (template) {
    case 'payment_received':
    case 'disconnection_warning':
    case 'reconnection':
      return now;
    case 'bill_issued':
    case 'due_reminder': {
      const local = now.getTime() + TASHKENT_OFFSET_MS;
      const dayStart = local - (local % (24 * HOUR_MS));
      const hour = (local - dayStart) / HOUR_MS;
      if (hour >= SMS_DAYTIME.from && hour < SMS_DAYTIME.to) return now;
      const next = hour < SMS_DAYTIME.from ? dayStart : dayStart + 24 * HOUR_MS;
      return new Date(next + SMS_DAYTIME.from * HOUR_MS - TASHKENT_OFFSET_MS);
    }
    default: {
      const never: never = template;
      throw new Error(`unknown SMS template ${String(never)}`);
    }
  }
}

const DAY_MS = 24 * HOUR_MS;

/** Midnight at the end of a Tashkent calendar day, as an instant. */
export function endOfTashkentDay(d: LocalDate): Date {
  const [y, m, day] = [Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))];
  return new Date(Date.UTC(y, m - 1, day) + DAY_MS - TASHKENT_OFFSET_MS);
}

/**
 * After when an SMS not yet sent is no longer worth sending (it is cancelled instead): a bill or a
 * reminder after its due date, a warning after its date, a payment notice after 3 days, a
 * reconnection notice after a day. Keeps a long outage or a gateway switched on late from sending
 * a flood of stale messages.
 */
export function smsExpiresAt(message: SmsMessage, now: Date): Date {
  switch (message.template) {
    case 'bill_issued':
    case 'due_reminder':
      return endOfTashkentDay(message.params.due);
    case 'disconnection_warning':
      return endOfTashkentDay(message.params.date);
    case 'payment_received':
      return new Date(now.getTime() + 3 * DAY_MS);
    case 'reconnection':
      return new Date(now.getTime() + DAY_MS);
    default: {
      const never: never = message;
      throw new Error(`unknown SMS template ${JSON.stringify(never)}`);
    }
  }
}
