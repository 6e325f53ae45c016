import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the fake Eskiz accepted. */
export type EskizMessage = {
  id: number;
  requestId: string;
  userSmsId: string | null;
  to: string;
  text: string;
  from: string;
  callbackUrl: string | null;
  acceptedAt: Date;
};

/** A scripted answer to the next send(s): an HTTP status with a body, or accept-then-hang-up. */
type Script = { status: number; body: string } | { dropAfterAccepting: true };

/** The fake Eskiz and its controls. */
export type FakeEskiz = {
  url: string;
  email: string;
  password: string;
  from: string;
  messages: EskizMessage[];
  /** Every request as "METHOD /path status". */
  log: string[];
  /** Requests the fake did not expect (wrong path, method, or body): a test asserts it stays empty. */
  unexpected: string[];
  /** Sends received and not yet answered (held, see holdSends). */
  inFlight(): number;
  /** How many messages the fake accepted with this user_sms_id (the "sent exactly once" check). */
  acceptedCount(userSmsId: string): number;
  /** Makes every token issued so far expired: the next call with one gets 401. */
  expireTokens(): void;
  /** Answers the next `times` sends so. */
  script(answer: Script, times?: number): void;
  /** Holds each send this long before accepting it (messages in flight). */
  holdSends(ms: number): void;
  /** Calls each message's callback_url with DELIVRD this long after accepting (null: never). */
  callbackAfter(ms: number | null): void;
  /** Sends a delivery report to a message's callback now. */
  report(message: EskizMessage, status: string): Promise<number>;
  close(): Promise<void>;
};

const TASHKENT_OFFSET_MS = 5 * 3_600_000;
const minute = (t: Date) =>
  new Date(t.getTime() + TASHKENT_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
const stamp = (t: Date) =>
  new Date(t.getTime() + TASHKENT_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The form fields of a multipart/form-data (or urlencoded) body, as Eskiz reads them. */
async function formOf(req: IncomingMessage, body: Buffer): Promise<Map<string, string> | null> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data') && !type.startsWith('application/x-www-form-urlencoded'))
    return null;
  const parsed = await new Request('http://fake.invalid/', {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  }).formData();
  const out = new Map<string, string>();
  for (const [k, v] of parsed.entries()) if (typeof v === 'string') out.set(k, v);
  return out;
}

/**
 * A stand-in for notify.eskiz.uz speaking its API as documented (docs/decisions/011-sms.md):
 * login → bearer token; a token expired → 401 until PATCH /api/auth/refresh; send → {id, message,
 * status: "waiting"} and later a POST of the delivery report to callback_url; get-user-messages →
 * the paginated list with user_sms_id. Anything else is recorded as unexpected and answered 404.
 */
export async function startFakeEskiz(
  opts: { email?: string; password?: string; from?: string } = {},
): Promise<FakeEskiz> {
  const email = opts.email ?? 'billing@example.uz';
  const password = opts.password ?? 'eskiz-secret';
  const from = opts.from ?? '4546';
  const tokens = new Map<string, { expired: boolean }>();
  const messages: EskizMessage[] = [];
  const log: string[] = [];
  const unexpected: string[] = [];
  const scripts: Script[] = [];
  let holdMs = 0;
  let callbackMs: number | null = 20;
  let nextId = 4_385_000;
  let held = 0;

  const issue = () => {
    const token = `eyFake.${randomUUID()}`;
    tokens.set(token, { expired: false });
    return token;
  };
  const bearer = (req: IncomingMessage) => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    return m?.[1] ?? null;
  };
  const json = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  };

  const report = async (m: EskizMessage, status: string): Promise<number> => {
    if (!m.callbackUrl) return 0;
    const res = await fetch(m.callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        request_id: m.requestId,
        message_id: String(m.id),
        user_sms_id: m.userSmsId,
        country: 'UZ',
        phone_number: m.to,
        sms_count: '1',
        status,
        status_date: stamp(new Date()),
      }),
    });
    await res.text();
    return res.status;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const body = await readBody(req);
    const route = `${req.method} ${url.pathname}`;
    const answer = (status: number, value: unknown) => {
      log.push(`${route} ${status}`);
      json(res, status, value);
    };
    const refuse = (why: string) => {
      unexpected.push(`${route}: ${why}`);
      answer(404, { message: 'Not found' });
    };
    const authorized = () => {
      const t = bearer(req);
      const known = t ? tokens.get(t) : undefined;
      if (!known || known.expired) {
        answer(401, { status: 'token-invalid', message: 'Token has expired' });
        return false;
      }
      return true;
    };

    if (route === 'POST /api/auth/login') {
      const f = await formOf(req, body);
      if (!f) return refuse('login body is not form data');
      if (f.get('email') !== email || f.get('password') !== password)
        return answer(401, { message: 'Incorrect email or password' });
      return answer(200, { message: 'token_generated', data: { token: issue() }, token_type: 'bearer' });
    }
    if (route === 'PATCH /api/auth/refresh') {
      const t = bearer(req);
      if (!t || !tokens.has(t)) return answer(401, { status: 'token-invalid', message: 'Unauthenticated' });
      tokens.delete(t);
      return answer(200, { message: 'token_generated', data: { token: issue() }, token_type: 'bearer' });
    }
    if (route === 'POST /api/message/sms/send') {
      if (!authorized()) return;
      const f = await formOf(req, body);
      if (!f) return refuse('send body is not form data');
      const to = f.get('mobile_phone') ?? '';
      const text = f.get('message') ?? '';
      if (!/^998[0-9]{9}$/.test(to) || text === '' || f.get('from') !== from)
        return answer(400, { status: 'error', message: { mobile_phone: ['invalid'], from: f.get('from') } });
      const scripted = scripts.shift();
      if (scripted && 'status' in scripted) {
        log.push(`${route} ${scripted.status}`);
        res.writeHead(scripted.status, { 'content-type': 'application/json' }).end(scripted.body);
        return;
      }
      if (holdMs > 0) {
        held += 1;
        await new Promise((r) => setTimeout(r, holdMs));
        held -= 1;
      }
      const m: EskizMessage = {
        id: nextId++,
        requestId: randomUUID(),
        userSmsId: f.get('user_sms_id') ?? null,
        to,
        text,
        from,
        callbackUrl: f.get('callback_url') ?? null,
        acceptedAt: new Date(),
      };
      messages.push(m);
      if (callbackMs !== null && m.callbackUrl) {
        const delay = callbackMs;
        setTimeout(() => void report(m, 'DELIVRD').catch(() => {}), delay);
      }
      if (scripted) {
        // Accepted, but the answer never arrives: the caller cannot know.
        log.push(`${route} dropped`);
        res.socket?.destroy();
        return;
      }
      return answer(200, { id: m.requestId, message: 'Waiting for SMS provider', status: 'waiting' });
    }
    if (route === 'POST /api/message/sms/get-user-messages') {
      if (!authorized()) return;
      const f = await formOf(req, body);
      const format = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
      const start = f?.get('start_date') ?? '';
      const end = f?.get('to_date') ?? '';
      const size = Number(f?.get('page_size') ?? '20');
      if (!format.test(start) || !format.test(end) || !(size >= 20 && size <= 200))
        return refuse(`bad filter ${start} ${end} ${size}`);
      const page = Number(url.searchParams.get('page') ?? '1');
      const hits = messages.filter((m) => minute(m.acceptedAt) >= start && minute(m.acceptedAt) <= end);
      const last = Math.max(1, Math.ceil(hits.length / size));
      const slice = hits.slice((page - 1) * size, page * size);
      const path = `${url.origin}/api/message/sms/get-user-messages`;
      return answer(200, {
        data: {
          current_page: page,
          path,
          prev_page_url: page > 1 ? `${path}?page=${page - 1}` : null,
          first_page_url: `${path}?page=1`,
          last_page_url: `${path}?page=${last}`,
          next_page_url: page < last ? `${path}?page=${page + 1}` : null,
          per_page: size,
          last_page: last,
          from: slice.length ? (page - 1) * size + 1 : null,
          to: slice.length ? (page - 1) * size + slice.length : null,
          total: hits.length,
          result: slice.map((m) => ({
            id: m.id,
            user_id: 378,
            country_id: null,
            connection_id: 1,
            smsc_id: 1,
            dispatch_id: null,
            user_sms_id: m.userSmsId,
            request_id: m.requestId,
            price: 50,
            is_ad: false,
            nick: m.from,
            to: m.to,
            message: m.text,
            encoding: /^[\x20-\x7e]*$/.test(m.text) ? 0 : 8,
            parts_count: 1,
            parts: {},
            status: 'DELIVERED',
            smsc_data: {},
            sent_at: m.acceptedAt.toISOString(),
            created_at: m.acceptedAt.toISOString(),
            updated_at: m.acceptedAt.toISOString(),
          })),
          links: [],
        },
        status: 'success',
      });
    }
    return refuse('unknown route');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      unexpected.push(`${req.method} ${req.url}: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  // Idle connections stay open longer than the client keeps them, so a test never races a
  // connection the server is closing (which the adapters rightly treat as a try in doubt).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    email,
    password,
    from,
    messages,
    log,
    unexpected,
    inFlight: () => held,
    acceptedCount: (id) => messages.filter((m) => m.userSmsId === id).length,
    expireTokens: () => {
      for (const t of tokens.values()) t.expired = true;
    },
    script: (answer, times = 1) => {
      for (let i = 0; i < times; i++) scripts.push(answer);
    },
    holdSends: (ms) => {
      holdMs = ms;
    },
    callbackAfter: (ms) => {
      callbackMs = ms;
    },
    report,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
