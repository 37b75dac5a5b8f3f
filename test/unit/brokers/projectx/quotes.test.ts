import { describe, expect, it } from 'vitest';
import { mergeQuote } from '../../../../src-main/connectors/projectx/events';
import { marketHubUrlOf } from '../../../../src-main/connectors/projectx/hub-loop';
import { priceFromWire } from '../../../../src-main/connectors/projectx/protocol';

describe('ProjectX quote prices (float → decimal)', () => {
  it('removes binary noise by rounding to the decimals of the tick', () => {
    expect(priceFromWire(21000.25 + 1e-11, '0.25')).toBe('21000.25');
    expect(priceFromWire(61.370000000000005, '0.01')).toBe('61.37');
    expect(priceFromWire(0.1 + 0.2, '0.1')).toBe('0.3');
    expect(priceFromWire(61.38000000000001, '0.01')).toBe('61.38');
  });

  it('leaves a price within the tick decimals as the gateway wrote it', () => {
    expect(priceFromWire(21000, '0.25')).toBe('21000');
    expect(priceFromWire(21000.5, '0.25')).toBe('21000.5');
    expect(priceFromWire(1e-7, '0.0000001')).toBe('0.0000001');
    expect(priceFromWire(4512, '1')).toBe('4512');
  });

  it('rounds half to even, negatives included, and refuses non-finite numbers', () => {
    expect(priceFromWire(0.125, '0.01')).toBe('0.12');
    expect(priceFromWire(0.375, '0.01')).toBe('0.38');
    expect(priceFromWire(-0.125, '0.01')).toBe('-0.12');
    expect(priceFromWire(4512.5, '1')).toBe('4512');
    expect(() => priceFromWire(Number.NaN, '0.25')).toThrow(RangeError);
  });
});

describe('ProjectX quote merge', () => {
  const mnq = { symbol: 'MNQ', tickSize: '0.25' };
  const at = Date.parse('2026-12-07T15:30:00Z');

  it('builds a full quote, stamped with the gateway timestamp', () => {
    const q = mergeQuote(
      undefined,
      {
        bestBid: 21000.25,
        bestAsk: 21000.5,
        lastPrice: 21000.25,
        timestamp: '2026-12-07T15:30:00Z',
      },
      mnq,
      1,
    );
    expect(q).toEqual({ symbol: 'MNQ', bid: '21000.25', ask: '21000.5', last: '21000.25', at });
  });

  it('keeps the last known value of every field a partial (or null) quote lacks', () => {
    const prev = { symbol: 'MNQ', bid: '21000', ask: '21000.25', last: '21000', at: 1 };
    expect(mergeQuote(prev, { lastPrice: 21000.5 }, mnq, 99)).toEqual({
      ...prev,
      last: '21000.5',
      at: 99,
    });
    expect(
      mergeQuote(
        prev,
        { bestBid: null, bestAsk: 21000.5, lastUpdated: '2026-12-07T15:30:00Z' },
        mnq,
        99,
      ),
    ).toEqual({
      ...prev,
      ask: '21000.5',
      at,
    });
    // Nothing Bourse shows changed (volume only): no event.
    expect(mergeQuote(prev, { volume: 12 }, mnq, 99)).toBeNull();
  });

  it('a first partial quote leaves the unknown fields null', () => {
    expect(mergeQuote(undefined, { lastPrice: 21000 }, mnq, 5)).toEqual({
      symbol: 'MNQ',
      bid: null,
      ask: null,
      last: '21000',
      at: 5,
    });
  });
});

describe('ProjectX market hub URL', () => {
  it('is derived from the user hub URL', () => {
    expect(marketHubUrlOf('https://rtc.topstepx.com/hubs/user')).toBe(
      'https://rtc.topstepx.com/hubs/market',
    );
    expect(marketHubUrlOf('http://127.0.0.1:4000/hubs/user/')).toBe(
      'http://127.0.0.1:4000/hubs/market',
    );
    expect(marketHubUrlOf('https://rtc.example.com/other')).toBe(
      'https://rtc.example.com/hubs/market',
    );
  });
});
