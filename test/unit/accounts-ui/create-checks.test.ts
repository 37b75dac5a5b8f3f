import { describe, expect, it } from 'vitest';
import {
  balanceProblem,
  leverageProblem,
  paperProblems,
  refusalAt,
} from '../../../src-renderer/src/screens/accounts/create-checks';

describe('the new paper account form', () => {
  it('refuses a maximum leverage outside 1 to 500 in words, before sending', () => {
    for (const ok of ['1', '10', '500', ' 20 ']) expect(leverageProblem(ok)).toBeUndefined();
    for (const bad of ['1000', '501', '0', '1.5', '', 'ten', '-5']) {
      expect(leverageProblem(bad)).toBe('A whole number from 1 to 500.');
    }
  });

  it("refuses a demo balance that is not a positive amount at the currency's decimals", () => {
    expect(balanceProblem('25000', 'USD', 2)).toBeUndefined();
    expect(balanceProblem('25000.50', 'USD', 2)).toBeUndefined();
    expect(balanceProblem('25000.005', 'USD', 2)).toBe(
      'Enter a USD amount above 0, at most 2 decimals.',
    );
    expect(balanceProblem('0.000001', 'USDT', 6)).toBeUndefined();
    expect(balanceProblem('0', 'USDT', 6)).toBe('Enter a USDT amount above 0, at most 6 decimals.');
    expect(balanceProblem('1e5', 'USDT', 6)).toBe(
      'Enter a USDT amount above 0, at most 6 decimals.',
    );
    expect(balanceProblem('', 'USD', 2)).toBe('Enter the demo balance in USD.');
    // Decimals not known yet: any positive decimal (the server checks them).
    expect(balanceProblem('1.123456789', 'BTC', undefined)).toBeUndefined();
    expect(paperProblems({ balance: '100', leverage: '1000', currency: 'USD', scale: 2 })).toEqual({
      leverage: 'A whole number from 1 to 500.',
    });
  });

  it("puts the server's refusal at the input its field path names, in the input's words", () => {
    const ctx = { currency: 'USD', scale: 2 };
    expect(
      refusalAt(
        {
          code: 'validation_failed',
          message: 'Invalid input: paperConfig.maxLeverage must be <= 500',
          field: 'maxLeverage',
        },
        ctx,
      ),
    ).toEqual({ input: 'leverage', message: 'A whole number from 1 to 500.' });
    expect(
      refusalAt(
        {
          code: 'invalid_amount',
          message: 'initialBalance must be a positive USD amount with at most 2 decimals',
          field: 'initialBalance',
        },
        ctx,
      ),
    ).toEqual({ input: 'balance', message: 'Enter a USD amount above 0, at most 2 decimals.' });
    // A refusal in words stays as it is.
    expect(
      refusalAt(
        { code: 'conflict', message: 'You already have an account named "A"', field: 'name' },
        ctx,
      ),
    ).toEqual({ input: 'name', message: 'You already have an account named "A"' });
    expect(
      refusalAt({ code: 'unknown_asset', message: 'No asset XYZ', field: 'baseCurrency' }, ctx),
    ).toEqual({ input: 'currency', message: 'No asset XYZ' });
    // Nothing on this form to put it at: the form says it under itself.
    expect(refusalAt({ code: 'x', message: 'y', field: 'apiKey' }, ctx)).toBeUndefined();
    expect(refusalAt({ code: 'x', message: 'y' }, ctx)).toBeUndefined();
  });
});
