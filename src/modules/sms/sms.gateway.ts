import type { Logger } from 'pino';

/** The SMS gateways hisob speaks to. */
export type SmsProviderName = 'eskiz' | 'playmobile' | 'fake';

/** One SMS to send: our outbox id (the gateway's idempotency handle), the phone (+998…), the text. */
export type SmsSendRequest = { outboxId: bigint; phone: string; text: string };

/**
 * What a send attempt did. `retry` says whether the gateway may nonetheless have accepted the
 * message (`inDoubt`: a timeout, a dropped connection, a 5xx) or surely did not (connection
 * refused, credentials refused): a message in doubt is looked up before it is sent again.
 */
export type SmsSendResult =
  | { kind: 'accepted'; providerMessageId: string; delivered?: boolean }
  | { kind: 'rejected'; error: string }
  | { kind: 'retry'; error: string; inDoubt: boolean };

/** Whether the gateway holds a message we sent (looked up by our id). */
export type SmsLookupResult =
  | { kind: 'accepted'; providerMessageId: string }
  | { kind: 'not_found' }
  | { kind: 'unknown'; error: string };

/** An SMS gateway adapter. */
export type SmsGateway = {
  readonly name: SmsProviderName;
  send(request: SmsSendRequest): Promise<SmsSendResult>;
  /** Finds a message sent between `since` and `until` by our id; null when the gateway cannot tell. */
  readonly lookup:
    | ((request: { outboxId: bigint; since: Date; until: Date }) => Promise<SmsLookupResult>)
    | null;
};

/** The id we give the gateway for an outbox row (Eskiz user_sms_id, Play Mobile message-id): letters and digits only. */
export function gatewayId(outboxId: bigint): string {
  return `hisob${outboxId}`;
}

/** The outbox id in a gateway id, or null when it is not one of ours. */
export function parseGatewayId(value: unknown): bigint | null {
  const m = typeof value === 'string' ? /^hisob([0-9]{1,18})$/.exec(value) : null;
  return m?.[1] ? BigInt(m[1]) : null;
}

/** The phone as the gateways want it: 998XXXXXXXXX. */
export function gatewayPhone(phone: string): string {
  return phone.replace(/^\+/, '');
}

/** An HTTP answer, or a transport failure with whether the request may have reached the gateway. */
export type HttpOutcome =
  | { ok: true; status: number; body: string }
  | { ok: false; error: string; inDoubt: boolean };

// Failures that happen before a byte of the request leaves: the gateway cannot have seen it.
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Calls the gateway with a deadline; never throws. */
export async function httpCall(url: string, init: RequestInit, timeoutMs: number): Promise<HttpOutcome> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { ok: true, status: res.status, body: await res.text() };
  } catch (err) {
    const cause =
      err instanceof Error
        ? (err.cause as { code?: unknown; errors?: { code?: unknown }[] } | undefined)
        : undefined;
    // Node reports a refused connection to a name with several addresses as an AggregateError.
    const causeCode = cause?.code ?? cause?.errors?.[0]?.code;
    const code = typeof causeCode === 'string' ? causeCode : err instanceof Error ? err.name : 'error';
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `${code}: ${message}`.slice(0, 300), inDoubt: !NOT_SENT.has(code) };
  }
}

/** Parses a JSON body; null when it is not JSON. */
export function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/**
 * The demo's gateway: writes each SMS to the log and reports it delivered at once. Nothing leaves
 * the machine (SMS_PROVIDER=fake, set by `--demo`).
 */
export function fakeGateway(log: Logger | null): SmsGateway {
  return {
    name: 'fake',
    lookup: null,
    send: async (request) => {
      log?.info(
        { sms: String(request.outboxId), to: request.phone, text: request.text },
        'SMS (fake gateway)',
      );
      return { kind: 'accepted', providerMessageId: `fake-${request.outboxId}`, delivered: true };
    },
  };
}
