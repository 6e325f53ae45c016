import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerOf, fail, PAYME_ERRORS } from './payme.errors.ts';
import {
  decideCancel,
  decideCreateRepeat,
  decidePerform,
  isAuthorized,
  isExpired,
  keyDigest,
  keyInForce,
  PAYME_MAX_AMOUNT,
  PAYME_TIMEOUT_MS,
  type PaymeState,
  parseAccount,
  parseAmount,
  parseJson,
  parseRequest,
  reversalReason,
  sameJson,
} from './payme.protocol.ts';

const basic = (login: string, key: string) => `Basic ${Buffer.from(`${login}:${key}`).toString('base64')}`;
const STATES: PaymeState[] = [1, 2, -1, -2];

describe('Payme requests', () => {
  it('tells a body that is not JSON from one that is', () => {
    expect(parseJson('{"id":1')).toEqual({ ok: false });
    expect(parseJson('')).toEqual({ ok: false });
    expect(parseJson('{"id":1}')).toEqual({ ok: true, value: { id: 1 } });
  });

  it('refuses a request without id or method, or with params of the wrong type (−32600)', () => {
    expect(parseRequest([])).toMatchObject({ ok: false, error: 'INVALID_REQUEST' });
    expect(parseRequest({ method: 'CheckTransaction', params: { id: 'a' } })).toMatchObject({
      ok: false,
      error: 'INVALID_REQUEST',
      data: 'id',
    });
    expect(parseRequest({ id: 1, params: {} })).toMatchObject({ error: 'INVALID_REQUEST', data: 'method' });
    expect(
      parseRequest({ id: 1, method: 'CheckPerformTransaction', params: { amount: '500', account: {} } }),
    ).toMatchObject({ error: 'INVALID_REQUEST', data: 'params.amount' });
    expect(
      parseRequest({ id: 1, method: 'CancelTransaction', params: { id: 'x', reason: 11 } }),
    ).toMatchObject({
      error: 'INVALID_REQUEST',
      data: 'params.reason',
    });
  });

  it('names an unknown method in data (−32601)', () => {
    expect(parseRequest({ id: 7, method: 'GetBalance', params: {} })).toEqual({
      ok: false,
      error: 'METHOD_NOT_FOUND',
      data: 'GetBalance',
    });
    expect(parseRequest({ id: 7, method: 'toString', params: {} })).toMatchObject({
      error: 'METHOD_NOT_FOUND',
    });
  });

  it('accepts each method with its params', () => {
    expect(
      parseRequest({
        jsonrpc: '2.0',
        id: 1,
        method: 'CreateTransaction',
        params: {
          id: '5305e3bab097f420a62ced0b',
          time: 1399114284039,
          amount: 500000,
          account: { account: '1' },
        },
      }),
    ).toMatchObject({ ok: true, request: { method: 'CreateTransaction' } });
    expect(parseRequest({ id: 2, method: 'GetStatement', params: { from: 1, to: 2 } })).toMatchObject({
      ok: true,
    });
    expect(parseRequest({ id: 3, method: 'ChangePassword', params: { password: 'k' } })).toMatchObject({
      ok: true,
    });
  });
});

describe('Payme account fields', () => {
  it('keeps the contract number exactly as given, leading zeros included', () => {
    expect(parseAccount({ account: '00042' })).toEqual({ ok: true, account: { number: '00042' } });
  });

  it('refuses a number that is not a string: it may have lost its leading zeros', () => {
    expect(parseAccount({ account: 42 })).toEqual({ error: 'ACCOUNT_NOT_FOUND', data: 'account' });
    expect(parseAccount({})).toEqual({ error: 'ACCOUNT_NOT_FOUND', data: 'account' });
  });

  it('takes an optional supplier and intent; empty counts as absent', () => {
    expect(parseAccount({ account: '1', supplier: '', intent: '' })).toEqual({
      ok: true,
      account: { number: '1' },
    });
    expect(parseAccount({ account: '1', supplier: 'uzenergo', intent: 17 })).toEqual({
      ok: true,
      account: { number: '1', supplier: 'uzenergo', intent: '17' },
    });
    expect(parseAccount({ account: '1', intent: 'x1' })).toEqual({
      error: 'INTENT_NOT_FOUND',
      data: 'intent',
    });
    expect(parseAccount({ account: '1', supplier: 5 })).toEqual({
      error: 'ACCOUNT_NOT_FOUND',
      data: 'supplier',
    });
  });

  it('takes a positive whole number of tiyin up to the maximum', () => {
    expect(parseAmount(500_000)).toBe(500_000n);
    expect(parseAmount(Number(PAYME_MAX_AMOUNT))).toBe(PAYME_MAX_AMOUNT);
    for (const bad of [0, -100, 1.5, Number.NaN, Number(PAYME_MAX_AMOUNT) + 1, 2 ** 60])
      expect(parseAmount(bad)).toBeNull();
  });

  it('compares account objects whatever their key order', () => {
    expect(sameJson({ account: '1', intent: '2' }, { intent: '2', account: '1' })).toBe(true);
    expect(sameJson({ account: '1' }, { account: '01' })).toBe(false);
  });
});

describe('Payme states', () => {
  it('times a waiting transaction out 12 hours after Payme created it, not a moment before', () => {
    const t = 1_700_000_000_000;
    expect(isExpired({ state: 1, time: t }, t + PAYME_TIMEOUT_MS)).toBe(false);
    expect(isExpired({ state: 1, time: t }, t + PAYME_TIMEOUT_MS + 1)).toBe(true);
    expect(isExpired({ state: 2, time: t }, t + 10 * PAYME_TIMEOUT_MS)).toBe(false);
  });

  it('performs only a waiting transaction in time, answers a performed one again, refuses the rest', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATES), fc.nat(2 * PAYME_TIMEOUT_MS), (state, age) => {
        const d = decidePerform({ state, time: 0 }, age);
        if (state === 1) expect(d).toBe(age > PAYME_TIMEOUT_MS ? 'expire' : 'perform');
        else expect(d).toBe(state === 2 ? 'answer' : 'refuse');
        const c = decideCreateRepeat({ state, time: 0 }, age);
        if (state === 1) expect(c).toBe(age > PAYME_TIMEOUT_MS ? 'expire' : 'answer');
        else expect(c).toBe('refuse');
      }),
    );
  });

  it('cancels a waiting or performed transaction and answers a cancelled one again', () => {
    expect(STATES.map((state) => decideCancel({ state }))).toEqual([
      'cancel_created',
      'cancel_performed',
      'answer',
      'answer',
    ]);
  });

  it('names the Payme reason in the reversal', () => {
    expect(reversalReason(5)).toBe('Payme CancelTransaction, reason 5 (refund)');
    expect(reversalReason(7)).toBe('Payme CancelTransaction, reason 7 (unnamed)');
  });
});

describe('Payme answers', () => {
  it('has a code and a message in ru, uz and en for every error; account errors in −31050…−31099', () => {
    const codes = Object.values(PAYME_ERRORS).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [name, e] of Object.entries(PAYME_ERRORS)) {
      expect(e.message.ru && e.message.uz && e.message.en, name).toBeTruthy();
      if (/ACCOUNT|SUPPLIER|INTENT/.test(name)) expect(e.code >= -31099 && e.code <= -31050, name).toBe(true);
    }
  });

  it('answers a result or an error with the request id', () => {
    expect(answerOf(3, { result: { allow: true } })).toEqual({
      jsonrpc: '2.0',
      id: 3,
      result: { allow: true },
    });
    expect(answerOf(4, fail('ACCOUNT_NOT_FOUND', 'account'))).toEqual({
      jsonrpc: '2.0',
      id: 4,
      error: { code: -31050, message: PAYME_ERRORS.ACCOUNT_NOT_FOUND.message, data: 'account' },
    });
    expect(answerOf(null, fail('PARSE_ERROR'))).toMatchObject({
      id: null,
      error: { code: -32700, data: null },
    });
  });
});

describe('Payme authorization', () => {
  const digest = keyDigest('secret-key');

  it('accepts Basic Paycom:<key> and nothing else', () => {
    expect(isAuthorized(basic('Paycom', 'secret-key'), digest)).toBe(true);
    expect(isAuthorized(basic('Paycom', 'secret-key').replace('Basic', 'basic'), digest)).toBe(true);
    expect(isAuthorized(basic('Paycom', 'secret-key2'), digest)).toBe(false);
    expect(isAuthorized(basic('paycom', 'secret-key'), digest)).toBe(false);
    expect(isAuthorized(basic('Paycom', ''), digest)).toBe(false);
    expect(isAuthorized('Bearer secret-key', digest)).toBe(false);
    expect(isAuthorized(undefined, digest)).toBe(false);
    expect(isAuthorized(`Basic ${Buffer.from('no-colon').toString('base64')}`, digest)).toBe(false);
  });

  it('refuses every key when Payme is switched off', () => {
    expect(keyInForce(undefined, undefined)).toBeNull();
    expect(keyInForce('', { keySha256: keyDigest('x'), envKeySha256: keyDigest('') })).toBeNull();
    expect(isAuthorized(basic('Paycom', 'secret-key'), null)).toBe(false);
  });

  it('prefers the key Payme set while PAYME_KEY is the one it replaced', () => {
    const stored = { keySha256: keyDigest('new'), envKeySha256: keyDigest('old') };
    expect(keyInForce('old', stored)).toBe(keyDigest('new'));
    expect(keyInForce('operator-set', stored)).toBe(keyDigest('operator-set'));
    expect(keyInForce('old', undefined)).toBe(keyDigest('old'));
  });
});
