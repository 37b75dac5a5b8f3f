import { describe, expect, it } from 'vitest';
import { envelopeError, isDuplicateTag } from '../../../../src-main/connectors/projectx/errors';
import {
  decimalFromWire,
  JsonDecimal,
  statusOf,
  stringifyBody,
  typeOf,
} from '../../../../src-main/connectors/projectx/protocol';
import { redact, unwrap } from '../../../../src-main/connectors/projectx/stream';

describe('ProjectX wire format', () => {
  it('reads JSON numbers as the decimal text the broker wrote', () => {
    expect(decimalFromWire(21000.25)).toBe('21000.25');
    expect(decimalFromWire(61.37)).toBe('61.37');
    expect(decimalFromWire(1e-7)).toBe('0.0000001');
    expect(decimalFromWire(-12.5)).toBe('-12.5');
    expect(() => decimalFromWire(Number.NaN)).toThrow(RangeError);
  });

  it('writes decimals into JSON bodies digit for digit', () => {
    const body = {
      a: new JsonDecimal('20000.50'),
      b: [new JsonDecimal('-0.000000000000000001')],
      c: 'x',
    };
    expect(stringifyBody(body)).toBe('{"a":20000.50,"b":[-0.000000000000000001],"c":"x"}');
    expect(() => new JsonDecimal('1e5')).toThrow(RangeError);
    // A string that merely looks like the marker is left alone.
    expect(stringifyBody({ s: 'dec:1' })).toBe('{"s":"dec:1"}');
  });

  it('maps statuses, including the undocumented 8, and order types', () => {
    expect(statusOf(1, false)).toBe('open');
    expect(statusOf(1, true)).toBe('partially_filled');
    expect(statusOf(2, true)).toBe('filled');
    expect(statusOf(3, false)).toBe('cancelled');
    expect(statusOf(4, false)).toBe('expired');
    expect(statusOf(5, false)).toBe('rejected');
    expect(statusOf(6, false)).toBe('pending');
    expect(statusOf(8, false)).toBe('pending');
    expect([1, 2, 3, 4, 5, 6, 7].map(typeOf)).toEqual([
      'limit',
      'market',
      'stop_limit',
      'stop',
      'stop',
      'limit',
      'limit',
    ]);
  });

  it('maps envelope error codes to error kinds by endpoint', () => {
    const env = (errorCode: number, errorMessage: string | null = null) => ({
      success: false,
      errorCode,
      errorMessage,
    });
    expect(envelopeError('place', env(3)).kind).toBe('rejected');
    expect(envelopeError('place', env(5)).kind).toBe('rejected');
    expect(envelopeError('place', env(7)).kind).toBe('unknown_outcome');
    expect(envelopeError('place', env(8)).kind).toBe('invalid');
    expect(envelopeError('place', env(10)).kind).toBe('permission');
    expect(envelopeError('login', env(3)).kind).toBe('auth');
    expect(envelopeError('login', env(10)).kind).toBe('permission');
    expect(envelopeError('login', env(8)).kind).toBe('unavailable');
    expect(envelopeError('mutate', env(2, 'Cannot cancel order: already filled'))).toMatchObject({
      kind: 'rejected',
      brokerMessage: '2: Cannot cancel order: already filled',
    });
    expect(envelopeError('mutate', env(1, 'Order 5 not found.')).kind).toBe('invalid');
    expect(envelopeError('read', env(4)).kind).toBe('invalid');
  });

  it('recognises the duplicate customTag refusal loosely (its wording is unverified)', () => {
    expect(isDuplicateTag("2: An order with customTag 'x' already exists")).toBe(true);
    expect(isDuplicateTag('Custom tag must be unique')).toBe(true);
    expect(isDuplicateTag('Insufficient funds')).toBe(false);
    expect(isDuplicateTag(null)).toBe(false);
  });

  it('unwraps hub payloads both ways and hides tokens', () => {
    expect(unwrap({ action: 1, data: { id: 5 } })).toEqual({ id: 5 });
    expect(unwrap({ id: 5, status: 1 })).toEqual({ id: 5, status: 1 });
    expect(redact('ws://h/hubs/user?access_token=eyJ.abc&x=1 Bearer eyJ.def')).toBe(
      'ws://h/hubs/user?access_token=***&x=1 Bearer ***',
    );
  });
});
