import { describe, expect, it } from 'vitest';
import { grouped, priceDigits } from '../../../src-renderer/src/screens/backtest/format';

describe('backtest trades table figures', () => {
  it('groups thousands in an exact P&L or fee, keeping every digit', () => {
    expect(grouped('31546.73')).toBe('31,546.73');
    expect(grouped('-6213.90')).toBe('-6,213.90');
    expect(grouped('1234567.000001')).toBe('1,234,567.000001');
    expect(grouped('799.92')).toBe('799.92');
    expect(grouped('-0.5')).toBe('-0.5');
    expect(grouped('n/a')).toBe('n/a');
  });

  it('shows prices with the decimals they need, 2 to 4', () => {
    expect(priceDigits([29057.99, 29383.07, 100])).toBe(2);
    expect(priceDigits([1.0798, 1.08])).toBe(4);
    expect(priceDigits([29072.518995])).toBe(4);
    expect(priceDigits([12.345])).toBe(3);
    expect(priceDigits([])).toBe(2);
  });
});
