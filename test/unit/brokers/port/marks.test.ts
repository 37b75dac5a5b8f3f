import { describe, expect, it } from 'vitest';
import {
  markOf,
  pointValue,
  valuePosition,
  watchedSymbols,
} from '../../../../src-main/connectors/broker/marks';
import type {
  BrokerInstrument,
  BrokerPosition,
  BrokerQuote,
} from '../../../../src-main/connectors/broker/port';

const pos = (over: Partial<BrokerPosition> = {}): BrokerPosition => ({
  symbol: 'ES',
  side: 'long',
  qty: '1',
  avgPrice: '6000',
  unrealisedPnl: null,
  ...over,
});
const quote = (over: Partial<BrokerQuote> = {}): BrokerQuote => ({
  symbol: 'ES',
  bid: '6001.25',
  ask: '6001.5',
  last: '6001.5',
  at: 0,
  ...over,
});
const es: BrokerInstrument = {
  symbol: 'ES',
  venueId: 'CON.F.US.EP.Z26',
  kind: 'future',
  tickSize: '0.25',
  tickValue: '12.5',
  lotSize: '1',
  minQty: '1',
};
const zn: BrokerInstrument = {
  ...es,
  symbol: 'ZN',
  // A 1/64 tick: the point value is a fraction no decimal scale holds in one step.
  tickSize: '0.015625',
  tickValue: '15.625',
};
const eurusd: BrokerInstrument = {
  symbol: 'EURUSD',
  venueId: '1',
  kind: 'forex',
  baseAsset: 'EUR',
  quoteAsset: 'USD',
  tickSize: '0.00001',
  lotSize: '0.01',
  minQty: '0.01',
  contractSize: '100000',
};

describe('position marks', () => {
  it('a long is marked at the bid, a short at the ask, else the last trade', () => {
    expect(markOf(pos(), quote())).toBe('6001.25');
    expect(markOf(pos({ side: 'short' }), quote())).toBe('6001.5');
    expect(markOf(pos(), quote({ bid: null }))).toBe('6001.5');
    expect(markOf(pos(), undefined)).toBeNull();
    // The broker's own mark (MetaTrader's current price) wins.
    expect(markOf(pos({ markPrice: '5999' }), quote())).toBe('5999');
  });

  it('values a future by tick value per tick, exactly, rounded half-even to cents', () => {
    // 1.25 points × 2 × $12.50 / 0.25 = $125.
    expect(valuePosition(pos({ qty: '2' }), quote(), es, 'USD')).toEqual({
      markPrice: '6001.25',
      unrealisedPnl: '125',
    });
    // A short loses when the ask rises: (6000 − 6001.5) × 1 × 50 = −$75.
    expect(valuePosition(pos({ side: 'short' }), quote(), es, 'USD').unrealisedPnl).toBe('-75');
    // 3/64 of a point on 7 contracts at $1000 a point: 328.125 → 328.12 (half-even).
    const z = valuePosition(
      pos({ symbol: 'ZN', qty: '7', avgPrice: '112' }),
      quote({ symbol: 'ZN', bid: '112.046875' }),
      zn,
      'USD',
    );
    expect(z.unrealisedPnl).toBe('328.12');
  });

  it('values forex only when the quote currency is the account currency', () => {
    const p = pos({ symbol: 'EURUSD', qty: '0.5', avgPrice: '1.1' });
    const q = quote({ symbol: 'EURUSD', bid: '1.10123', ask: '1.10125' });
    // 0.00123 × 0.5 lot × 100000 = $61.50.
    expect(valuePosition(p, q, eurusd, 'usd').unrealisedPnl).toBe('61.5');
    expect(valuePosition(p, q, eurusd, 'EUR')).toEqual({
      markPrice: '1.10123',
      unrealisedPnl: null,
    });
    expect(pointValue(undefined, 'USD')).toBeNull();
    expect(pointValue({ ...es, tickValue: null }, 'USD')).toBeNull();
  });

  it("keeps the broker's P&L when it gives one, and never invents one without a price", () => {
    expect(valuePosition(pos({ unrealisedPnl: '-3.2' }), quote(), es, 'USD').unrealisedPnl).toBe(
      '-3.2',
    );
    expect(valuePosition(pos(), undefined, es, 'USD')).toEqual({
      markPrice: null,
      unrealisedPnl: null,
    });
  });

  it('watches each held symbol once, in a stable order', () => {
    expect(
      watchedSymbols([pos({ symbol: 'NQ' }), pos({ symbol: 'ES' }), pos({ symbol: 'NQ' })]),
    ).toEqual(['ES', 'NQ']);
  });
});
