import { describe, expect, it } from 'vitest';
import {
  standingRefusal,
  withField,
} from '../../../src-renderer/src/screens/accounts/standing-refusal';

// A server refusal naming a field answers the value sent: editing that field drops it.

const refusal = {
  code: 'validation_failed',
  message: 'trailAmount: 250.505',
  field: 'trailAmount',
};
const sent = { qty: '0.01', trailAmount: '250.505' };

describe('standingRefusal', () => {
  it('stands while the field it names reads as it was sent', () => {
    expect(standingRefusal(refusal, sent, { qty: '0.02', trailAmount: '250.505' })).toBe(refusal);
  });

  it('is dropped once that field is edited, even back to a similar text', () => {
    expect(standingRefusal(refusal, sent, { ...sent, trailAmount: '250.50' })).toBeUndefined();
    expect(standingRefusal(refusal, sent, { ...sent, trailAmount: '250.5050' })).toBeUndefined();
  });

  it('stands when it names no field, a field the form does not show, or nothing was sent', () => {
    const general: { code: string; message: string; field?: string } = {
      code: 'broker_timeout',
      message: 'timed out',
    };
    expect(standingRefusal(general, sent, {})).toBe(general);
    const elsewhere = { ...refusal, field: 'stopPrice' };
    expect(standingRefusal(elsewhere, sent, { ...sent, trailAmount: '1' })).toBe(elsewhere);
    expect(standingRefusal(refusal, undefined, { trailAmount: '1' })).toBe(refusal);
    expect(standingRefusal(undefined, sent, sent)).toBeUndefined();
  });
});

describe('withField', () => {
  it('puts a paper refusal that names no field at the input its code is about', () => {
    const margin = {
      code: 'insufficient_margin',
      message: 'margin needed 6470666.856000 USDT exceeds equity 10889.441631 USDT at leverage 1',
    };
    expect(withField(margin)).toEqual({ ...margin, field: 'qty', across: true });
    const mismatch = { code: 'currency_mismatch', message: 'Paper one keeps USDT' };
    expect(withField(mismatch)).toEqual({ ...mismatch, field: 'symbol' });
    // Its own field first; an unknown code stays where it was (under the ticket).
    expect(withField({ ...margin, field: 'leverage' })?.field).toBe('leverage');
    expect(withField({ code: 'broker_timeout', message: 'x' })).toEqual({
      code: 'broker_timeout',
      message: 'x',
    });
    expect(withField(undefined)).toBeUndefined();
  });
});
