import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tiyin } from '../../../domain/money.ts';
import { answerOf, fail, PAYNET_ERRORS } from './paynet.errors.ts';
import {
  cancelResult,
  checkResult,
  credentialsDigest,
  decideCancel,
  formatTimestamp,
  idOf,
  informationResult,
  isAuthorized,
  PAYNET_MAX_AMOUNT,
  type PaynetTx,
  parseAccount,
  parseAmount,
  parseJson,
  parseRequest,
  parseTimestamp,
  performResult,
  reversalReason,
  statementEntry,
} from './paynet.protocol.ts';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const rpc = (method: string, params: unknown) => ({ jsonrpc: '2.0', id: 7, method, params });
const perform = (over: Record<string, unknown> = {}) =>
  rpc('PerformTransaction', {
    serviceId: 1,
    transactionId: 12_345_678_900,
    amount: 100_000,
    transactionTime: '2025-06-01 01:30:00',
    fields: { account: '00042' },
    ...over,
  });

describe('Paynet requests', () => {
  it('tells a body that is not JSON from one that is, and reads the id of any object', () => {
    expect(parseJson('{"id":1')).toEqual({ ok: false });
    expect(parseJson('')).toEqual({ ok: false });
    expect(parseJson('{"id":1}')).toEqual({ ok: true, value: { id: 1 } });
    expect(idOf({ id: 'x' })).toBe('x');
    expect(idOf([1])).toBeNull();
    expect(idOf({ id: {} })).toBeNull();
  });

  it('refuses a wrong envelope with −32600 and names an unknown method with −32601', () => {
    expect(parseRequest([])).toMatchObject({ ok: false, error: 'INVALID_REQUEST' });
    expect(parseRequest({ method: 'CheckTransaction', params: {} })).toMatchObject({
      error: 'INVALID_REQUEST',
      data: 'id',
    });
    expect(parseRequest({ id: 1, params: {} })).toMatchObject({ error: 'INVALID_REQUEST', data: 'method' });
    expect(parseRequest(rpc('ChangePassword', { newPassword: 'x' }))).toEqual({
      ok: false,
      error: 'METHOD_NOT_FOUND',
      data: 'ChangePassword',
    });
    expect(parseRequest(rpc('toString', {}))).toMatchObject({ error: 'METHOD_NOT_FOUND' });
  });

  it('answers a missing required parameter with 411 naming it', () => {
    expect(parseRequest({ id: 1, method: 'GetStatement' })).toMatchObject({
      error: 'PARAMETER_MISSING',
      data: 'params',
    });
    expect(parseRequest(rpc('CheckTransaction', { transactionId: 5 }))).toMatchObject({
      error: 'PARAMETER_MISSING',
      data: 'serviceId',
    });
    for (const name of ['transactionId', 'amount', 'fields']) {
      expect(parseRequest(perform({ [name]: undefined })), name).toMatchObject({
        error: 'PARAMETER_MISSING',
        data: name,
      });
    }
    expect(parseRequest(perform({ fields: { supplier: 'scenario' } }))).toMatchObject({
      error: 'PARAMETER_MISSING',
      data: 'fields.account',
    });
    expect(
      parseRequest(rpc('GetStatement', { serviceId: 1, dateFrom: '2025-06-01 00:00:00' })),
    ).toMatchObject({
      error: 'PARAMETER_MISSING',
      data: 'dateTo',
    });
    expect(parseRequest(rpc('CancelTransaction', { serviceId: 1 }))).toMatchObject({
      error: 'PARAMETER_MISSING',
      data: 'transactionId',
    });
  });

  it('answers an id that is not a long with −32602', () => {
    for (const bad of [1.5, -3, 0, 'abc', '12a', true, 2 ** 60, '99999999999999999999'])
      expect(parseRequest(perform({ transactionId: bad })), String(bad)).toMatchObject({
        error: 'INVALID_PARAMS',
        data: 'transactionId',
      });
    expect(parseRequest(perform({ serviceId: 'one' }))).toMatchObject({
      error: 'INVALID_PARAMS',
      data: 'serviceId',
    });
    expect(parseRequest(perform({ fields: ['00042'] }))).toMatchObject({
      error: 'INVALID_PARAMS',
      data: 'fields',
    });
  });

  it('takes a transactionId as a number or its digits, the same transaction either way', () => {
    const a = parseRequest(perform({ transactionId: 12_345_678_900 }));
    const b = parseRequest(perform({ transactionId: '0012345678900' }));
    expect(a).toMatchObject({ ok: true, value: { params: { transactionId: '12345678900' } } });
    expect(b).toMatchObject({ ok: true, value: { params: { transactionId: '12345678900' } } });
  });

  it('answers an amount that is not a positive whole number of tiyin up to the maximum with 413', () => {
    expect(parseAmount(100_000)).toBe(100_000n);
    expect(parseAmount(Number(PAYNET_MAX_AMOUNT))).toBe(PAYNET_MAX_AMOUNT);
    for (const bad of [0, -100, 1.5, '100000', Number.NaN, Number(PAYNET_MAX_AMOUNT) + 1, 2 ** 60]) {
      expect(parseAmount(bad), String(bad)).toBeNull();
      expect(parseRequest(perform({ amount: bad })), String(bad)).toMatchObject({
        error: 'WRONG_AMOUNT',
        data: 'amount',
      });
    }
  });

  it('answers a date-time in another format with 414', () => {
    for (const bad of ['2025-06-01', '2025-06-01T01:30:00', '2025-02-29 10:00:00', '2025-06-01 24:00:00', 17])
      expect(parseRequest(perform({ transactionTime: bad })), String(bad)).toMatchObject({
        error: 'WRONG_DATE',
        data: 'transactionTime',
      });
    expect(
      parseRequest(
        rpc('GetStatement', { serviceId: 1, dateFrom: '01/06/2025', dateTo: '2025-06-02 00:00:00' }),
      ),
    ).toMatchObject({ error: 'WRONG_DATE', data: 'dateFrom' });
    expect(parseRequest(perform({ transactionTime: undefined }))).toMatchObject({
      ok: true,
      value: { params: { transactionTime: null } },
    });
  });

  it('accepts each method with its params', () => {
    expect(parseRequest(perform())).toEqual({
      ok: true,
      value: {
        method: 'PerformTransaction',
        params: {
          serviceId: 1n,
          transactionId: '12345678900',
          amount: 100_000n,
          transactionTime: new Date('2025-05-31T20:30:00Z'),
          account: { number: '00042' },
          fields: { account: '00042' },
        },
      },
    });
    expect(
      parseRequest(rpc('GetInformation', { serviceId: '3', fields: { account: '42', supplier: 's' } })),
    ).toEqual({
      ok: true,
      value: {
        method: 'GetInformation',
        params: { serviceId: 3n, account: { number: '42', supplier: 's' } },
      },
    });
    expect(
      parseRequest(
        rpc('CheckTransaction', { serviceId: 1, transactionId: 5, timestamp: '2025-06-01 00:00:00' }),
      ),
    ).toMatchObject({ ok: true, value: { params: { transactionId: '5' } } });
    expect(
      parseRequest(
        rpc('GetStatement', { serviceId: 1, dateFrom: '01.06.2025 00:00:00', dateTo: '2025-06-02 00:00:00' }),
      ),
    ).toMatchObject({
      ok: true,
      value: {
        params: { dateFrom: new Date('2025-05-31T19:00:00Z'), dateTo: new Date('2025-06-01T19:00:00Z') },
      },
    });
  });
});

describe('Paynet account fields', () => {
  it('keeps the contract number exactly as given, leading zeros included; an empty supplier is absent', () => {
    expect(parseAccount({ account: '00042', supplier: '' })).toEqual({
      ok: true,
      value: { number: '00042' },
    });
    expect(parseAccount({ account: '42', supplier: 'grid' })).toEqual({
      ok: true,
      value: { number: '42', supplier: 'grid' },
    });
  });

  it('refuses a number that is not a string as an unknown client: it may have lost its leading zeros', () => {
    expect(parseAccount({ account: 42 })).toMatchObject({
      error: 'CLIENT_NOT_FOUND',
      data: 'fields.account',
    });
    expect(parseAccount({ account: '1', supplier: 5 })).toMatchObject({
      error: 'CLIENT_NOT_FOUND',
      data: 'fields.supplier',
    });
  });
});

describe('Paynet date-times', () => {
  it('reads and writes Tashkent time (UTC+5) to the second', () => {
    expect(parseTimestamp('2025-06-01 01:30:00')).toEqual(new Date('2025-05-31T20:30:00Z'));
    expect(parseTimestamp('16.06.2021 12:44:57')).toEqual(new Date('2021-06-16T07:44:57Z'));
    expect(formatTimestamp(new Date('2025-05-31T20:30:00.999Z'))).toBe('2025-06-01 01:30:00');
    expect(formatTimestamp(new Date('2025-12-31T19:00:00Z'))).toBe('2026-01-01 00:00:00');
  });

  it('reads back every moment it writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1, 5), max: Date.UTC(2199, 11, 31, 18) }), (ms) => {
        const whole = new Date(Math.floor(ms / 1000) * 1000);
        expect(parseTimestamp(formatTimestamp(whole))).toEqual(whole);
      }),
    );
  });
});

describe('Paynet answers', () => {
  const tx: PaynetTx = {
    id: 17n,
    transactionId: '12345678900',
    amount: tiyin(100_000n),
    state: 1,
    performTime: new Date('2025-05-31T20:30:00Z'),
    cancelTime: null,
  };
  const cancelled: PaynetTx = { ...tx, state: 2, cancelTime: new Date('2025-05-31T21:30:00Z') };

  it('has a code and a message for every error; JSON-RPC codes negative, Paynet’s positive', () => {
    const byCode = new Map<number, string[]>();
    for (const [name, e] of Object.entries(PAYNET_ERRORS)) {
      expect(e.message, name).toBeTruthy();
      byCode.set(e.code, [...(byCode.get(e.code) ?? []), name]);
    }
    // 302 is "client not found" with two messages: unknown, or known at several suppliers.
    for (const [code, names] of byCode) expect(names.length, String(code)).toBe(code === 302 ? 2 : 1);
    expect(PAYNET_ERRORS.WRONG_CREDENTIALS.code).toBe(412);
  });

  it('answers a result or an error with the request id', () => {
    expect(answerOf(3, { result: { a: 1 } })).toEqual({ jsonrpc: '2.0', id: 3, result: { a: 1 } });
    expect(answerOf(4, fail('WRONG_AMOUNT', 'amount'))).toEqual({
      jsonrpc: '2.0',
      id: 4,
      error: { code: 413, message: PAYNET_ERRORS.WRONG_AMOUNT.message, data: 'amount' },
    });
    expect(answerOf(null, fail('PARSE_ERROR'))).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: PAYNET_ERRORS.PARSE_ERROR.message },
    });
  });

  it('shapes each method’s result as the specification’s examples do', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    expect(
      informationResult(now, { account: '00042', supplier: 's', name: 'N', balance: 386_913_566n }),
    ).toEqual({
      status: '0',
      timestamp: '2025-06-01 05:00:00',
      fields: { account: '00042', supplier: 's', name: 'N', balance: -386_913_566 },
    });
    expect(performResult(tx, { account: '00042', balance: -5n })).toEqual({
      providerTrnId: 17,
      timestamp: '2025-06-01 01:30:00',
      fields: { account: '00042', balance: 5 },
    });
    expect(checkResult(tx, now)).toEqual({
      providerTrnId: 17,
      timestamp: '2025-06-01 01:30:00',
      transactionState: 1,
    });
    expect(checkResult(cancelled, now)).toEqual({
      providerTrnId: 17,
      timestamp: '2025-06-01 02:30:00',
      transactionState: 2,
    });
    expect(checkResult(undefined, now)).toEqual({
      providerTrnId: 0,
      timestamp: '2025-06-01 05:00:00',
      transactionState: 3,
    });
    expect(cancelResult(cancelled)).toEqual({
      providerTrnId: 17,
      timestamp: '2025-06-01 02:30:00',
      transactionState: 2,
    });
    expect(statementEntry(tx)).toEqual({
      amount: 100_000,
      providerTrnId: 17,
      transactionId: 12_345_678_900,
      timestamp: '2025-06-01 01:30:00',
    });
    // A transactionId past 2^53 goes back as its digits rather than as a rounded number.
    expect(statementEntry({ ...tx, transactionId: '9223372036854775807' }).transactionId).toBe(
      '9223372036854775807',
    );
  });

  it('cancels a performed transaction and refuses a cancelled one', () => {
    expect(decideCancel(tx)).toBe('cancel');
    expect(decideCancel(cancelled)).toBe('already_cancelled');
    expect(reversalReason('12345678900')).toBe('Paynet CancelTransaction, transactionId 12345678900');
  });
});

describe('Paynet authorization', () => {
  const digest = credentialsDigest('paynet', 'S3cret:pass');

  it('accepts Basic with the configured login and password and nothing else', () => {
    expect(isAuthorized(basic('paynet', 'S3cret:pass'), digest)).toBe(true);
    expect(isAuthorized(basic('paynet', 'S3cret:pass').replace('Basic', 'basic'), digest)).toBe(true);
    expect(isAuthorized(basic('paynet', 'S3cret:pas'), digest)).toBe(false);
    expect(isAuthorized(basic('Paynet', 'S3cret:pass'), digest)).toBe(false);
    expect(isAuthorized(basic('', 'S3cret:pass'), digest)).toBe(false);
    expect(isAuthorized('Bearer S3cret:pass', digest)).toBe(false);
    expect(isAuthorized(undefined, digest)).toBe(false);
    expect(isAuthorized(`Basic ${Buffer.from('paynetS3cret').toString('base64')}`, digest)).toBe(false);
  });

  it('refuses everyone while the login or the password is unset', () => {
    expect(credentialsDigest(undefined, 'x')).toBeNull();
    expect(credentialsDigest('paynet', '')).toBeNull();
    expect(isAuthorized(basic('paynet', ''), credentialsDigest('paynet', ''))).toBe(false);
  });
});
