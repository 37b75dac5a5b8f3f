import { describe, expect, it } from 'vitest';
import { moneyIn } from '../../../src-renderer/src/screens/accounts/format';

// One rule for money on the Positions screen: the asset's decimals, in both tables.
describe('moneyIn', () => {
  const scales = { USDT: 6, USD: 2, BTC: 8 };

  it("shows an amount at its asset's decimals whatever decimals it came with", () => {
    expect(moneyIn('-12.867', 'USDT', scales)).toBe('-12.867000 USDT');
    expect(moneyIn('-12.867000', 'USDT', scales)).toBe('-12.867000 USDT');
    expect(moneyIn('-60', 'USD', scales)).toBe('-60.00 USD');
    expect(moneyIn('0', 'BTC', scales)).toBe('0.00000000 BTC');
  });

  it('never drops a digit, and gives a currency Bourse does not keep at least cents', () => {
    expect(moneyIn('1.2345', 'USD', scales)).toBe('1.2345 USD');
    expect(moneyIn('120.5', 'ZUSD', scales)).toBe('120.50 ZUSD');
    expect(moneyIn(null, 'USDT', scales)).toBe('—');
  });
});
