import type { Logger } from 'pino';
import {
  gatewayId,
  gatewayPhone,
  type HttpOutcome,
  httpCall,
  jsonOf,
  type SmsGateway,
  type SmsLookupResult,
  type SmsSendResult,
} from './sms.gateway.ts';

/** How to reach Eskiz (notify.eskiz.uz): the account, the sender name and where delivery reports go. */
export type EskizOptions = {
  /** https://notify.eskiz.uz */
  baseUrl: string;
  email: string;
  password: string;
  /** The sender name ("nick") Eskiz approved for the account; 4546 is Eskiz's own test sender. */
  from: string;
  /** Where Eskiz posts delivery reports (with our secret in it); null = no reports. */
  callbackUrl: string | null;
  timeoutMs: number;
  log?: Logger | null;
};

// A lookup pages through Eskiz's message list; beyond this many pages of 200 it gives up ("unknown").
const LOOKUP_MAX_PAGES = 50;
const TASHKENT_OFFSET_MS = 5 * 3_600_000;

/** "YYYY-MM-DD HH:mm" in Tashkent time, the format of Eskiz's report filters. */
function eskizMinute(t: Date): string {
  return new Date(t.getTime() + TASHKENT_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

function tokenOf(body: string): string | null {
  const json = jsonOf(body) as { data?: { token?: unknown } } | null;
  return typeof json?.data?.token === 'string' && json.data.token !== '' ? json.data.token : null;
}

/**
 * Eskiz's SMS API (notify.eskiz.uz, documented at documenter.getpostman.com/view/663428/RzfmES4z):
 * POST /api/auth/login {email, password} → a bearer token (valid about 30 days); PATCH
 * /api/auth/refresh renews it; POST /api/message/sms/send {mobile_phone, message, from,
 * callback_url, user_sms_id} → {id, status: "waiting"}; POST /api/message/sms/get-user-messages
 * lists what was sent, with our user_sms_id, which is how a message in doubt is found again. All
 * bodies are multipart/form-data, as Eskiz documents them. A 401 renews the token once (refresh,
 * else a new login) and repeats the call.
 */
export function eskizGateway(opts: EskizOptions): SmsGateway {
  const base = opts.baseUrl.replace(/\/+$/, '');
  let token: string | null = null;
  let renewing: Promise<string | null> | null = null;

  const login = async (): Promise<string | null> => {
    const res = await httpCall(
      `${base}/api/auth/login`,
      { method: 'POST', body: form({ email: opts.email, password: opts.password }) },
      opts.timeoutMs,
    );
    if (res.ok && res.status === 200) return tokenOf(res.body);
    opts.log?.error({ status: res.ok ? res.status : res.error }, 'Eskiz login failed');
    return null;
  };

  const refresh = async (old: string): Promise<string | null> => {
    const res = await httpCall(
      `${base}/api/auth/refresh`,
      { method: 'PATCH', headers: { authorization: `Bearer ${old}` } },
      opts.timeoutMs,
    );
    return (res.ok && res.status === 200 ? tokenOf(res.body) : null) ?? login();
  };

  // One renewal at a time: concurrent sends that all met a 401 share it.
  const renew = (old: string | null): Promise<string | null> => {
    if (token !== old && token !== null) return Promise.resolve(token);
    renewing ??= (old ? refresh(old) : login()).then((t) => {
      token = t;
      renewing = null;
      return t;
    });
    return renewing;
  };

  /** Calls with the token; on 401 renews it once and calls again. Null when no token could be had. */
  const authorized = async (call: (t: string) => Promise<HttpOutcome>): Promise<HttpOutcome | null> => {
    const first = token ?? (await renew(null));
    if (!first) return null;
    const res = await call(first);
    if (!res.ok || res.status !== 401) return res;
    const second = await renew(first);
    return second ? call(second) : null;
  };

  const send = async (request: { outboxId: bigint; phone: string; text: string }): Promise<SmsSendResult> => {
    const fields: Record<string, string> = {
      mobile_phone: gatewayPhone(request.phone),
      message: request.text,
      from: opts.from,
      user_sms_id: gatewayId(request.outboxId),
    };
    if (opts.callbackUrl) fields.callback_url = opts.callbackUrl;
    const res = await authorized((t) =>
      httpCall(
        `${base}/api/message/sms/send`,
        { method: 'POST', headers: { authorization: `Bearer ${t}` }, body: form(fields) },
        opts.timeoutMs,
      ),
    );
    if (res === null) return { kind: 'retry', error: 'Eskiz: no token (login refused)', inDoubt: false };
    if (!res.ok) return { kind: 'retry', error: `Eskiz: ${res.error}`, inDoubt: res.inDoubt };
    const detail = `Eskiz ${res.status}: ${res.body.slice(0, 300)}`;
    if (res.status === 200) {
      const json = jsonOf(res.body) as { id?: unknown } | null;
      if (typeof json?.id === 'string' && json.id !== '')
        return { kind: 'accepted', providerMessageId: json.id };
      // A 200 without an id: Eskiz may or may not have taken it; look it up before sending again.
      return { kind: 'retry', error: detail, inDoubt: true };
    }
    if (res.status === 401) return { kind: 'retry', error: detail, inDoubt: false };
    if (res.status === 429) return { kind: 'retry', error: detail, inDoubt: false };
    if (res.status >= 400 && res.status < 500) return { kind: 'rejected', error: detail };
    return { kind: 'retry', error: detail, inDoubt: true };
  };

  const lookup = async (request: {
    outboxId: bigint;
    since: Date;
    until: Date;
  }): Promise<SmsLookupResult> => {
    const id = gatewayId(request.outboxId);
    const fields = {
      start_date: eskizMinute(new Date(request.since.getTime() - 60_000)),
      to_date: eskizMinute(new Date(request.until.getTime() + 120_000)),
      page_size: '200',
      count: '0',
    };
    // The whole lookup keeps to one HTTP deadline, so that a try (lookup + send) stays within its lease.
    const deadline = Date.now() + opts.timeoutMs;
    for (let page = 1; page <= LOOKUP_MAX_PAGES; page++) {
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'unknown', error: `Eskiz: lookup took longer than ${opts.timeoutMs} ms` };
      const res = await authorized((t) =>
        httpCall(
          `${base}/api/message/sms/get-user-messages?page=${page}`,
          { method: 'POST', headers: { authorization: `Bearer ${t}` }, body: form(fields) },
          left,
        ),
      );
      if (res === null) return { kind: 'unknown', error: 'Eskiz: no token (login refused)' };
      if (!res.ok) return { kind: 'unknown', error: `Eskiz: ${res.error}` };
      const json = jsonOf(res.body) as {
        data?: { result?: unknown; current_page?: unknown; last_page?: unknown };
      } | null;
      const list = json?.data?.result;
      if (res.status !== 200 || !Array.isArray(list))
        return { kind: 'unknown', error: `Eskiz ${res.status}: ${res.body.slice(0, 300)}` };
      for (const item of list as { user_sms_id?: unknown; request_id?: unknown }[]) {
        if (item.user_sms_id === id && typeof item.request_id === 'string')
          return { kind: 'accepted', providerMessageId: item.request_id };
      }
      const last = Number(json?.data?.last_page ?? page);
      if (!(page < last)) return { kind: 'not_found' };
    }
    return { kind: 'unknown', error: `Eskiz: more than ${LOOKUP_MAX_PAGES} pages of messages to search` };
  };

  return { name: 'eskiz', send, lookup };
}
