import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { acceptFormBodies } from '../http/forms.ts';
import { type PaymeCheckout, type PaymeLang, parsePaymeCheckout } from '../modules/payments/checkout.ts';
import { escapeHtml } from './html.ts';

// A stand-in for Payme's checkout page (checkout.paycom.uz) in the demo and the browser tests.
// It takes the same base64 parameter segment, shows a card form, and then does what Payme's
// servers do: calls our Merchant API over HTTP with Basic `Paycom:<key>` —
// CheckPerformTransaction, CreateTransaction, then PerformTransaction (or CancelTransaction with
// reason 2 when the card is declined) — and sends the payer back to the return URL. It holds no
// money logic of ours; it only speaks the provider's side of the protocol.

/** The test card that is always declined ("insufficient funds"). */
export const DECLINED_CARD = '8600000000000000';

type Options = {
  merchantId: string;
  /** Payme's copy of the merchant key (what Payme sends in Basic auth). */
  key: () => Promise<string | undefined>;
  /** Our Merchant API; by default this server's own /api/payments/payme. */
  endpoint?: string;
};

const TEXT: Record<PaymeLang, Record<string, string>> = {
  uz: {
    title: "Payme orqali to'lov (sinov sahifasi)",
    note: "Bu Payme to'lov sahifasining sinov nusxasi: haqiqiy pul yechilmaydi.",
    merchant: 'Qabul qiluvchi',
    account: 'Hisob raqami',
    amount: 'Summa',
    card: 'Karta raqami',
    expiry: 'Amal qilish muddati (OO/YY)',
    pay: "To'lash",
    cancel: 'Bekor qilish',
    paid: "To'lov muvaffaqiyatli amalga oshirildi",
    back: "Do'konga qaytish",
    declined: "Karta rad etildi: mablag' yetarli emas",
    badCard: "Karta raqami yoki muddati noto'g'ri",
    failed: "To'lov amalga oshmadi",
  },
  ru: {
    title: 'Оплата через Payme (тестовая страница)',
    note: 'Это тестовая копия страницы оплаты Payme: деньги не списываются.',
    merchant: 'Получатель',
    account: 'Лицевой счёт',
    amount: 'Сумма',
    card: 'Номер карты',
    expiry: 'Срок действия (ММ/ГГ)',
    pay: 'Оплатить',
    cancel: 'Отменить',
    paid: 'Оплата прошла успешно',
    back: 'Вернуться в магазин',
    declined: 'Карта отклонена: недостаточно средств',
    badCard: 'Неверный номер карты или срок действия',
    failed: 'Оплата не прошла',
  },
  en: {
    title: 'Pay with Payme (test page)',
    note: 'This is a test copy of the Payme checkout: no money is taken.',
    merchant: 'Merchant',
    account: 'Account',
    amount: 'Amount',
    card: 'Card number',
    expiry: 'Expiry (MM/YY)',
    pay: 'Pay',
    cancel: 'Cancel',
    paid: 'The payment went through',
    back: 'Back to the merchant',
    declined: 'Card declined: insufficient funds',
    badCard: 'The card number or expiry is not valid',
    failed: 'The payment did not go through',
  },
};

const sum = (tiyin: bigint) => {
  const whole = (tiyin / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${whole},${(tiyin % 100n).toString().padStart(2, '0')}`;
};

function page(c: PaymeCheckout, segment: string, body: string): string {
  const t = TEXT[c.lang];
  return `<!doctype html><html lang="${c.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t.title ?? '')}</title>
<style>body{font-family:sans-serif;background:#f4f6f8;margin:0;padding:1rem}main{max-width:26rem;margin:2rem auto;background:#fff;
border-radius:12px;padding:1.5rem;box-shadow:0 2px 8px #0002}h1{font-size:1.2rem;color:#00a6a6}dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}
dt{color:#667}label{display:block;margin-top:.8rem}input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem;border:0;border-radius:6px}.pay{background:#00a6a6;color:#fff}
.note{font-size:.8rem;color:#667}.err{color:#b00020}.ok{color:#007a4d}</style></head>
<body><main data-checkout="${escapeHtml(segment)}"><h1>${escapeHtml(t.title ?? '')}</h1><p class="note">${escapeHtml(t.note ?? '')}</p>
<dl><dt>${escapeHtml(t.merchant ?? '')}</dt><dd>${escapeHtml(c.merchantId)}</dd><dt>${escapeHtml(t.account ?? '')}</dt><dd>${escapeHtml(c.account.account ?? '')}</dd>
<dt>${escapeHtml(t.amount ?? '')}</dt><dd><b>${sum(c.amount)} so'm</b></dd></dl>${body}</main></body></html>`;
}

function form(c: PaymeCheckout, segment: string, error?: string): string {
  const t = TEXT[c.lang];
  return page(
    c,
    segment,
    `${error ? `<p class="err" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/fake/payme/${encodeURIComponent(segment)}">
<label>${escapeHtml(t.card ?? '')}<input name="card" inputmode="numeric" autocomplete="cc-number" placeholder="8600 1234 5678 9012" required></label>
<label>${escapeHtml(t.expiry ?? '')}<input name="expiry" placeholder="12/29" autocomplete="cc-exp" required></label>
<button class="pay" name="action" value="pay">${escapeHtml(t.pay ?? '')}</button>
<button name="action" value="cancel" formnovalidate>${escapeHtml(t.cancel ?? '')}</button></form>`,
  );
}

/** A card a test may pay with: 16 digits of UZCARD (8600) or HUMO (9860), not expired. */
function cardProblem(card: string, expiry: string, now: Date): boolean {
  if (!/^(8600|9860)\d{12}$/.test(card)) return true;
  const m = /^(0[1-9]|1[0-2])\/(\d{2})$/.exec(expiry);
  if (!m) return true;
  const end = Date.UTC(2000 + Number(m[2]), Number(m[1]), 1);
  return end <= now.getTime();
}

type RpcAnswer = {
  result?: Record<string, unknown>;
  error?: { code: number; message?: Record<string, string> };
};

export const fakePaymeCheckout: FastifyPluginAsync<Options> = async (app, opts) => {
  acceptFormBodies(app);

  const endpointOf = (request: FastifyRequest): string => {
    if (opts.endpoint) return opts.endpoint;
    const a = request.server.server.address() as AddressInfo;
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `http://${host}:${a.port}/api/payments/payme`;
  };

  let rpcId = 0;
  const rpc = async (request: FastifyRequest, method: string, params: Record<string, unknown>) => {
    const key = (await opts.key()) ?? '';
    const res = await fetch(endpointOf(request), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`Paycom:${key}`).toString('base64')}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }),
    });
    return (await res.json()) as RpcAnswer;
  };

  app.get('/fake/payme/*', async (request, reply) => {
    const segment = (request.params as { '*': string })['*'];
    const c = parsePaymeCheckout(segment);
    if (!c) return reply.code(400).type('text/plain').send('Bad checkout parameters');
    return reply.type('text/html; charset=utf-8').send(form(c, segment));
  });

  app.post('/fake/payme/*', async (request, reply) => {
    const segment = (request.params as { '*': string })['*'];
    const c = parsePaymeCheckout(segment);
    if (!c) return reply.code(400).type('text/plain').send('Bad checkout parameters');
    const t = TEXT[c.lang];
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    if (body.action === 'cancel') return reply.redirect(c.returnUrl || '/');
    const card = (body.card ?? '').replace(/\s+/g, '');
    if (cardProblem(card, (body.expiry ?? '').trim(), new Date()))
      return reply.type('text/html; charset=utf-8').send(form(c, segment, t.badCard));
    const html = (s: string) => reply.type('text/html; charset=utf-8').send(s);
    const refused = (a: RpcAnswer) =>
      html(form(c, segment, `${t.failed}: ${a.error?.message?.[c.lang] ?? a.error?.code ?? ''}`));

    const params = { amount: Number(c.amount), account: c.account };
    const check = await rpc(request, 'CheckPerformTransaction', params);
    if (check.error) return refused(check);
    const id = randomBytes(12).toString('hex');
    const created = await rpc(request, 'CreateTransaction', { ...params, id, time: Date.now() });
    if (created.error) return refused(created);
    if (card === DECLINED_CARD) {
      await rpc(request, 'CancelTransaction', { id, reason: 2 });
      return html(form(c, segment, t.declined));
    }
    const performed = await rpc(request, 'PerformTransaction', { id });
    if (performed.error) return refused(performed);
    const back = c.returnUrl
      ? `<p><a href="${escapeHtml(c.returnUrl)}" data-testid="back">${escapeHtml(t.back ?? '')}</a></p>`
      : '';
    return html(
      page(c, segment, `<p class="ok" role="status">${escapeHtml(t.paid ?? '')}</p><p>№ ${id}</p>${back}`),
    );
  });
};
