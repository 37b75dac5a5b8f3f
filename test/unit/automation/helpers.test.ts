import { describe, expect, it } from 'vitest';
import {
  addDecimal,
  compareDecimal,
  maskSecrets,
  readDecimal,
  resolveSymbol,
  showDecimal,
} from '../../../src-main/domain/automation';

describe('exact decimals from alerts', () => {
  it.each([
    [0.1, '0.1'],
    ['0.10', '0.1'],
    [1e21, '1000000000000000000000'],
    [1.5e-8, '0.000000015'],
    ['+3', '3'],
    ['1,000.5', '1000.5'],
    ['-0', '0'],
  ])('%j → %s', (value, text) => {
    const r = readDecimal(value, 'x');
    expect(r.ok && r.value).toBe(text);
  });
  it('compares and adds without floats', () => {
    expect(compareDecimal('0.3', addDecimal('0.1', '0.2'))).toBe(0);
    expect(compareDecimal('500.00', '500')).toBe(0);
    expect(compareDecimal('512.4', '500')).toBe(1);
    expect(showDecimal('512.4')).toBe('512.40');
    expect(showDecimal('-3')).toBe('-3.00');
  });
});

describe('masking and symbols', () => {
  it('masks tokens wherever they appear', () => {
    const raw = '{"token":"s3cr3t-tok","ticker":"A","comment":"s3cr3t-tok"}';
    expect(maskSecrets(raw, ['s3cr3t-tok'])).not.toContain('s3cr3t-tok');
    expect(maskSecrets('action=buy\npassphrase=hunter22', [])).toBe('action=buy\npassphrase=***');
    expect(maskSecrets('x,buy,A,secret=abc', [])).toBe('x,buy,A,secret=***');
  });
  it('resolves TradingView symbols to markets', () => {
    const markets = ['BTC/USDT', 'ETH/USDT', 'ETH/BTC'];
    expect(resolveSymbol('BTC/USDT', markets)).toBe('BTC/USDT');
    expect(resolveSymbol('BINANCE:BTCUSDT', markets)).toBe('BTC/USDT');
    expect(resolveSymbol('ethusdt.p', markets)).toBe('ETH/USDT');
    expect(resolveSymbol('ETH-BTC', markets)).toBe('ETH/BTC');
    expect(resolveSymbol('SOLUSDT', markets)).toBeNull();
  });
});

describe('bracket levels from the entry price', () => {
  it('percent and amount, above or below by side, exact to the price scale', async () => {
    const { bracketPrice } = await import('../../../src-main/domain/automation');
    expect(bracketPrice({ percent: '10' }, 'takeProfit', 'buy', '143.12', 2)).toBe('157.43');
    expect(bracketPrice({ percent: '5' }, 'stopLoss', 'buy', '143.12', 2)).toBe('135.96');
    expect(bracketPrice({ percent: '5' }, 'stopLoss', 'sell', '143.12', 2)).toBe('150.28');
    expect(bracketPrice({ amount: '0.0050' }, 'takeProfit', 'sell', '1.0850', 4)).toBe('1.08');
    expect(bracketPrice({ price: '99' }, 'takeProfit', 'buy', '100', 2)).toBe('99');
    expect(bracketPrice({ percent: '100' }, 'stopLoss', 'buy', '100', 2)).toBeNull();
  });

  it('counts every digit of a percent written with more than 8 decimals', async () => {
    const { bracketPrice } = await import('../../../src-main/domain/automation');
    // Read at 8 decimals, "10.000000001" % used to become 100.00000001 % (a level of 200).
    expect(bracketPrice({ percent: '10.000000001' }, 'takeProfit', 'buy', '100', 2)).toBe('110');
  });
});
