import { describe, expect, it } from 'vitest';
import { applyFill, EMPTY_BOOK, unrealisedPnl } from '../../../src-main/domain/bots';

describe("a bot's book: average cost over its own fills, exact decimals", () => {
  it('averages entries and realises on the way out', () => {
    let b = applyFill(EMPTY_BOOK, 'buy', '1', '100');
    b = applyFill(b, 'buy', '3', '120'); // avg (100 + 360) / 4 = 115
    expect(b).toEqual({ position: '4', avgPrice: '115', realisedPnl: '0' });
    b = applyFill(b, 'sell', '1.5', '130'); // (130 - 115) × 1.5 = 22.5
    expect(b).toEqual({ position: '2.5', avgPrice: '115', realisedPnl: '22.5' });
    expect(unrealisedPnl(b, '110')).toBe('-12.5'); // (110 - 115) × 2.5
  });

  it('flips in one fill: closes the long, opens the short at the fill price', () => {
    let b = applyFill(EMPTY_BOOK, 'buy', '2', '50');
    b = applyFill(b, 'sell', '5', '45'); // realises (45 - 50) × 2 = -10, short 3 at 45
    expect(b).toEqual({ position: '-3', avgPrice: '45', realisedPnl: '-10' });
    expect(unrealisedPnl(b, '40')).toBe('15'); // a short gains as the price falls
    b = applyFill(b, 'buy', '3', '41'); // (45 - 41) × 3 = 12
    expect(b).toEqual({ position: '0', avgPrice: null, realisedPnl: '2' });
    expect(unrealisedPnl(b, '40')).toBe('0');
  });

  it('keeps ten decimals of an average that does not divide', () => {
    const b = applyFill(applyFill(EMPTY_BOOK, 'buy', '1', '1'), 'buy', '2', '2');
    expect(b.avgPrice).toBe('1.6666666667');
  });

  it('ignores an empty fill', () => {
    expect(applyFill(EMPTY_BOOK, 'buy', '0', '10')).toBe(EMPTY_BOOK);
  });
});
