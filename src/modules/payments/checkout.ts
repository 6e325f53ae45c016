// Hand-over to a provider's checkout page (R6 "online payment"). Payme's checkout takes its
// parameters as one base64 path segment: `m=<merchant id>;ac.<field>=<value>;a=<tiyin>;c=<return
// url>;l=<uz|ru|en>` (Payme "Sending a check via GET"). The provider's server then calls our
// Merchant API with the same account fields, so the intent travels as the `intent` account field.

/** Payme's checkout languages; Uzbek Cyrillic users get Uzbek. */
export type PaymeLang = 'uz' | 'ru' | 'en';

/** What a Payme checkout URL carries. */
export type PaymeCheckout = {
  merchantId: string;
  account: Record<string, string>;
  /** Tiyin. */
  amount: bigint;
  returnUrl: string;
  lang: PaymeLang;
};

/** The checkout language for a UI locale. */
export function paymeLang(locale: string): PaymeLang {
  return locale === 'ru' || locale === 'en' ? locale : 'uz';
}

// A value may not contain the separators of the parameter string.
const safe = (v: string) => {
  if (/[;=]/.test(v)) throw new Error(`A Payme checkout parameter may not contain ';' or '=': ${v}`);
  return v;
};

/** The checkout URL under `base` (https://checkout.paycom.uz in production). */
export function paymeCheckoutUrl(base: string, c: PaymeCheckout): string {
  const parts = [
    `m=${safe(c.merchantId)}`,
    ...Object.entries(c.account).map(([k, v]) => `ac.${safe(k)}=${safe(v)}`),
    `a=${c.amount}`,
    `c=${safe(c.returnUrl)}`,
    `l=${c.lang}`,
  ];
  return `${base.replace(/\/$/, '')}/${Buffer.from(parts.join(';'), 'utf8').toString('base64')}`;
}

/** Reads a checkout path segment back; null when it is not one. */
export function parsePaymeCheckout(segment: string): PaymeCheckout | null {
  let text: string;
  try {
    text = Buffer.from(decodeURIComponent(segment), 'base64').toString('utf8');
  } catch {
    return null;
  }
  const account: Record<string, string> = {};
  let merchantId = '';
  let amount: bigint | null = null;
  let returnUrl = '';
  let lang: PaymeLang = 'uz';
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'm') merchantId = value;
    else if (key === 'a' && /^[1-9][0-9]{0,17}$/.test(value)) amount = BigInt(value);
    else if (key === 'c') returnUrl = value;
    else if (key === 'l') lang = paymeLang(value);
    else if (key.startsWith('ac.') && key.length > 3) account[key.slice(3)] = value;
  }
  if (!merchantId || amount === null || Object.keys(account).length === 0) return null;
  return { merchantId, account, amount, returnUrl, lang };
}
