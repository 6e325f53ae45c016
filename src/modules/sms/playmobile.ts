import {
  gatewayId,
  gatewayPhone,
  httpCall,
  jsonOf,
  type SmsGateway,
  type SmsSendResult,
} from './sms.gateway.ts';

/** How to reach Play Mobile's broker API (send.smsxabar.uz): the account and the sender name. */
export type PlayMobileOptions = {
  /** https://send.smsxabar.uz */
  baseUrl: string;
  login: string;
  password: string;
  /** The sender name (originator) Play Mobile approved for the account. */
  originator: string;
  timeoutMs: number;
};

// Error codes Play Mobile answers with HTTP 400 that are its own trouble, not the message's.
const PLAY_MOBILE_TRANSIENT = new Set([100]);

/**
 * Play Mobile's broker API: POST /broker-api/send with HTTP Basic auth and the JSON body
 * {messages: [{recipient, "message-id", sms: {originator, content: {text}}}]}; 200 means received,
 * 400 carries {"error-code", "error-description"}. The message-id is ours (hisob<outbox id>); Play
 * Mobile reports delivery against it, but has no call to look a message up, so a message in doubt
 * is sent again (decision 011).
 */
export function playMobileGateway(opts: PlayMobileOptions): SmsGateway {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/broker-api/send`;
  const auth = `Basic ${Buffer.from(`${opts.login}:${opts.password}`).toString('base64')}`;

  const send = async (request: { outboxId: bigint; phone: string; text: string }): Promise<SmsSendResult> => {
    const messageId = gatewayId(request.outboxId);
    const body = {
      messages: [
        {
          recipient: gatewayPhone(request.phone),
          'message-id': messageId,
          sms: { originator: opts.originator, content: { text: request.text } },
        },
      ],
    };
    const res = await httpCall(
      url,
      {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
      },
      opts.timeoutMs,
    );
    if (!res.ok) return { kind: 'retry', error: `Play Mobile: ${res.error}`, inDoubt: res.inDoubt };
    const detail = `Play Mobile ${res.status}: ${res.body.slice(0, 300)}`;
    if (res.status === 200) return { kind: 'accepted', providerMessageId: messageId };
    if (res.status === 400) {
      const json = jsonOf(res.body) as { 'error-code'?: unknown; 'error-description'?: unknown } | null;
      const code = Number(json?.['error-code']);
      const text = `Play Mobile error ${Number.isFinite(code) ? code : '?'}: ${String(json?.['error-description'] ?? res.body.slice(0, 300))}`;
      return PLAY_MOBILE_TRANSIENT.has(code)
        ? { kind: 'retry', error: text, inDoubt: true }
        : { kind: 'rejected', error: text };
    }
    // Refused credentials or a throttle: nothing was sent; the message waits for the account to be fixed.
    if (res.status === 401 || res.status === 403 || res.status === 429)
      return { kind: 'retry', error: detail, inDoubt: false };
    if (res.status > 400 && res.status < 500) return { kind: 'rejected', error: detail };
    return { kind: 'retry', error: detail, inDoubt: true };
  };

  return { name: 'playmobile', send, lookup: null };
}
