import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the fake Play Mobile received. */
export type PlayMobileMessage = { messageId: string; recipient: string; originator: string; text: string };

/** The fake Play Mobile broker and its controls. */
export type FakePlayMobile = {
  url: string;
  login: string;
  password: string;
  messages: PlayMobileMessage[];
  log: string[];
  unexpected: string[];
  /** Answers the next `times` sends with this status and body. */
  script(answer: { status: number; body: string }, times?: number): void;
  close(): Promise<void>;
};

function isMessage(v: unknown): v is {
  recipient: string;
  'message-id': string;
  sms: { originator: string; content: { text: string } };
} {
  const m = v as Record<string, unknown> | null;
  const sms = m?.sms as Record<string, unknown> | undefined;
  const content = sms?.content as Record<string, unknown> | undefined;
  return (
    typeof m?.recipient === 'string' &&
    typeof m['message-id'] === 'string' &&
    typeof sms?.originator === 'string' &&
    typeof content?.text === 'string'
  );
}

/**
 * A stand-in for Play Mobile's broker API (send.smsxabar.uz): POST /broker-api/send with Basic auth
 * and {messages: [{recipient, "message-id", sms: {originator, content: {text}}}]}; 200 "Request is
 * received", 400 {"error-code", "error-description"} for a malformed request, 401 for bad credentials.
 */
export async function startFakePlayMobile(
  opts: { login?: string; password?: string; originator?: string } = {},
): Promise<FakePlayMobile> {
  const login = opts.login ?? 'hisob';
  const password = opts.password ?? 'pm-secret';
  const originator = opts.originator ?? '3700';
  const messages: PlayMobileMessage[] = [];
  const log: string[] = [];
  const unexpected: string[] = [];
  const scripts: { status: number; body: string }[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const route = `${req.method} ${req.url}`;
    const answer = (status: number, body: string, type = 'application/json') => {
      log.push(`${route} ${status}`);
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    if (route !== 'POST /broker-api/send') {
      unexpected.push(`${route}: unknown route`);
      return answer(404, 'Not found', 'text/plain');
    }
    const expected = `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return answer(401, 'Unauthorized', 'text/plain');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      unexpected.push(`${route}: content-type ${req.headers['content-type']}`);
      return answer(400, JSON.stringify({ 'error-code': 101, 'error-description': 'Syntax error' }));
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return answer(400, JSON.stringify({ 'error-code': 101, 'error-description': 'Syntax error' }));
    }
    const list = (body as { messages?: unknown } | null)?.messages;
    if (!Array.isArray(list) || list.length === 0 || !list.every(isMessage)) {
      unexpected.push(`${route}: malformed ${JSON.stringify(body)}`);
      return answer(400, JSON.stringify({ 'error-code': 101, 'error-description': 'Syntax error' }));
    }
    const scripted = scripts.shift();
    if (scripted) return answer(scripted.status, scripted.body);
    for (const m of list) {
      if (!/^998[0-9]{9}$/.test(m.recipient))
        return answer(400, JSON.stringify({ 'error-code': 202, 'error-description': 'Empty recipient' }));
      if (m.sms.originator !== originator)
        return answer(400, JSON.stringify({ 'error-code': 401, 'error-description': 'Empty originator' }));
    }
    for (const m of list)
      messages.push({
        messageId: m['message-id'],
        recipient: m.recipient,
        originator: m.sms.originator,
        text: m.sms.content.text,
      });
    return answer(200, 'Request is received', 'text/plain');
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
    login,
    password,
    messages,
    log,
    unexpected,
    script: (answer, times = 1) => {
      for (let i = 0; i < times; i++) scripts.push(answer);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
