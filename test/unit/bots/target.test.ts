import { describe, expect, it } from 'vitest';
import { diffOrder, targetPosition } from '../../../src-main/domain/bots';

describe('targetPosition: the shadow position rounded toward zero to the lot step', () => {
  it.each([
    // shadow units, lot step, target
    [1.2345, '0.01', '1.23'],
    [0.3, '0.1', '0.3'], // 0.3 / 0.1 = 2.9999999999999996 lots: float noise is 3 lots
    [0.29999, '0.1', '0.2'],
    [-0.37, '0.1', '-0.3'], // a short rounds toward zero too: never more than the backtest
    [0.0099, '0.01', '0'],
    [0, '0.0001', '0'],
    [7, '1', '7'],
    [-12.9, '5', '-10'],
    [3.14159, '0.0001', '3.1415'],
  ])('%s with lot %s → %s', (units, step, want) => {
    expect(targetPosition(units, step)).toBe(want);
  });

  it('refuses a lot step that is not positive', () => {
    expect(() => targetPosition(1, '0')).toThrow(RangeError);
  });
});

describe('diffOrder: one market order from the live position to the target', () => {
  it('flat to long buys the target', () => {
    expect(diffOrder('0.5', '0')).toEqual({ side: 'buy', qty: '0.5' });
  });
  it('long to a smaller long sells the difference exactly', () => {
    expect(diffOrder('0.3', '1.25')).toEqual({ side: 'sell', qty: '0.95' });
  });
  it('long to short is one sell of both legs', () => {
    expect(diffOrder('-0.4', '0.6')).toEqual({ side: 'sell', qty: '1' });
  });
  it('short to long is one buy of both legs', () => {
    expect(diffOrder('2', '-3')).toEqual({ side: 'buy', qty: '5' });
  });
  it('to flat closes', () => {
    expect(diffOrder('0', '-0.07')).toEqual({ side: 'buy', qty: '0.07' });
  });
  it('at the target there is nothing to send', () => {
    expect(diffOrder('1.50', '1.5')).toBeNull();
    expect(diffOrder('0', '0')).toBeNull();
  });
});
