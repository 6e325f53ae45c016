import { describe, expect, it } from 'vitest';
import {
  type ClickCompleteRequest,
  type ClickPrepareRequest,
  completeAnswer,
  completeSignSource,
  encodeClickAnswer,
  md5Hex,
  parseClickAmount,
  prepareAnswer,
  prepareSignSource,
  signMatches,
  ZClickCompleteRequest,
  ZClickPrepareRequest,
} from './click.protocol.ts';

const SECRET = 'hisob-demo-click-secret';

const prepare: ClickPrepareRequest = {
  click_trans_id: '2845093',
  service_id: '10001',
  click_paydoc_id: '3311022',
  merchant_trans_id: '00042',
  amount: '1000.00',
  action: '0',
  error: '0',
  error_note: 'Success',
  sign_time: '2025-05-10 12:00:00',
  sign_string: '88d6f79555147110da752187073a2952',
};

describe("Click's signature", () => {
  // Expected digests computed outside the code under test:
  //   printf '%s' '284509310001hisob-demo-click-secret000421000.0002025-05-10 12:00:00' | md5sum
  it('signs a Prepare over click_trans_id, service_id, secret, account, amount, action, sign_time', () => {
    const source = prepareSignSource(prepare, SECRET);
    expect(source).toBe('284509310001hisob-demo-click-secret000421000.0002025-05-10 12:00:00');
    expect(md5Hex(source)).toBe('88d6f79555147110da752187073a2952');
  });

  it('signs the amount exactly as sent: "1000" and "1000.00" sign differently', () => {
    const source = prepareSignSource({ ...prepare, amount: '1000' }, SECRET);
    expect(source).toBe('284509310001hisob-demo-click-secret00042100002025-05-10 12:00:00');
    expect(md5Hex(source)).toBe('cdb2b1a7d31bba3d2ca8bf65efaacf10');
  });

  it('signs a Complete with merchant_prepare_id between the account and the amount', () => {
    const complete: ClickCompleteRequest = {
      ...prepare,
      action: '1',
      merchant_prepare_id: '17',
      sign_time: '2025-05-10 12:00:05',
    };
    const source = completeSignSource(complete, SECRET);
    expect(source).toBe('284509310001hisob-demo-click-secret00042171000.0012025-05-10 12:00:05');
    expect(md5Hex(source)).toBe('4049535fda63d216e929000354050743');
  });

  it('accepts the right digest in either letter case and refuses any other', () => {
    const source = prepareSignSource(prepare, SECRET);
    expect(signMatches(source, '88d6f79555147110da752187073a2952')).toBe(true);
    expect(signMatches(source, '88D6F79555147110DA752187073A2952')).toBe(true);
    expect(signMatches(source, '88d6f79555147110da752187073a2953')).toBe(false);
    expect(signMatches(source, '88d6f795')).toBe(false);
    expect(
      signMatches(prepareSignSource(prepare, 'another-secret'), '88d6f79555147110da752187073a2952'),
    ).toBe(false);
  });
});

describe("Click's fields", () => {
  it('needs every signed field; click_paydoc_id and error_note may be missing', () => {
    const { click_paydoc_id: _p, error_note: _n, ...minimal } = prepare;
    expect(ZClickPrepareRequest.safeParse(minimal).success).toBe(true);
    for (const field of [
      'click_trans_id',
      'service_id',
      'merchant_trans_id',
      'amount',
      'action',
      'sign_time',
    ]) {
      const { [field]: _gone, ...rest } = prepare as Record<string, string>;
      expect(ZClickPrepareRequest.safeParse(rest).success, field).toBe(false);
    }
    expect(ZClickCompleteRequest.safeParse(prepare).success).toBe(false);
    expect(ZClickCompleteRequest.safeParse({ ...prepare, merchant_prepare_id: '1' }).success).toBe(true);
  });

  it('refuses ids that are not digits', () => {
    expect(ZClickPrepareRequest.safeParse({ ...prepare, click_trans_id: '12a' }).success).toBe(false);
    expect(ZClickPrepareRequest.safeParse({ ...prepare, click_trans_id: '1'.repeat(19) }).success).toBe(
      false,
    );
  });
});

describe("Click's amount", () => {
  it("reads so'm as tiyin without floats", () => {
    expect(parseClickAmount('1000')).toBe(100000n);
    expect(parseClickAmount('1000.5')).toBe(100050n);
    expect(parseClickAmount('1000.05')).toBe(100005n);
    expect(parseClickAmount('1000.000')).toBe(100000n);
    expect(parseClickAmount('0.01')).toBe(1n);
    expect(parseClickAmount('123456789012345.99')).toBe(12345678901234599n);
  });

  it('refuses zero, negatives, fractions of a tiyin and anything but digits', () => {
    for (const bad of ['0', '0.00', '-1', '1000.001', '1e3', '1,000', ' 1000', '', '.5', '1000.']) {
      expect(parseClickAmount(bad), bad).toBeNull();
    }
  });
});

describe("Click's answers", () => {
  it('answers a Prepare with the fields Click expects, in its order', () => {
    const text = encodeClickAnswer(prepareAnswer(prepare, 'success', 17n));
    expect(text).toBe(
      '{"click_trans_id":2845093,"merchant_trans_id":"00042","merchant_prepare_id":17,"error":0,"error_note":"Success"}',
    );
  });

  it('keeps every digit of a large id and echoes what it can of a broken request', () => {
    const big = prepareAnswer({ ...prepare, click_trans_id: '900719925474099312' }, 'success', 1n);
    expect(encodeClickAnswer(big)).toContain('"click_trans_id":900719925474099312,');
    expect(JSON.parse(encodeClickAnswer(completeAnswer(undefined, 'badRequest', null)))).toEqual({
      click_trans_id: null,
      merchant_trans_id: null,
      merchant_confirm_id: null,
      error: -8,
      error_note: 'Error in request from click',
    });
  });

  it.each([
    ['success', 0, 'Success'],
    ['signCheckFailed', -1, 'SIGN CHECK FAILED!'],
    ['incorrectAmount', -2, 'Incorrect parameter amount'],
    ['actionNotFound', -3, 'Action not found'],
    ['alreadyPaid', -4, 'Already paid'],
    ['userNotFound', -5, 'User does not exist'],
    ['transactionNotFound', -6, 'Transaction does not exist'],
    ['failedToUpdateUser', -7, 'Failed to update user'],
    ['badRequest', -8, 'Error in request from click'],
    ['transactionCancelled', -9, 'Transaction cancelled'],
  ] as const)('answers %s as error %i "%s" (docs.click.uz "Click-API – Error")', (outcome, error, note) => {
    expect(completeAnswer(prepare, outcome, null)).toMatchObject({ error, error_note: note });
  });
});
