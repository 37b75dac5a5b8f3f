import { describe, expect, it } from 'vitest';
import { fillKey, valuationOf } from '../../../src-main/connectors/broker/fills';
import type { BrokerFill, BrokerInstrument } from '../../../src-main/connectors/broker/port';

const fill = (over: Partial<BrokerFill> = {}): BrokerFill => ({
  fillId: 'T-1',
  orderId: 'O-1',
  clientOrderId: null,
  symbol: 'EURUSD',
  side: 'buy',
  qty: '1000',
  price: '1.1',
  time: 1_700_000_000_000,
  ...over,
});

describe('fillKey', () => {
  it("is the venue's own id when it gives one", () => {
    expect(fillKey(fill())).toBe('T-1');
  });

  it('is a digest of the execution when the venue gives none: equal for a replay only', () => {
    const a = fillKey(fill({ fillId: '' }));
    expect(a).toMatch(/^derived:[0-9a-f]{32}$/);
    expect(fillKey(fill({ fillId: 'NaN' }))).toBe(a); // a connector's missing number
    expect(fillKey(fill({ fillId: '', qty: '500' }))).not.toBe(a);
    expect(fillKey(fill({ fillId: '', time: 1_700_000_000_001 }))).not.toBe(a);
    expect(fillKey(fill({ fillId: '', orderId: 'O-2' }))).not.toBe(a);
  });
});

describe('valuationOf', () => {
  const inst = (over: Partial<BrokerInstrument>): BrokerInstrument => ({
    symbol: 'X',
    venueId: 'X',
    kind: 'spot',
    tickSize: '0.01',
    lotSize: '1',
    minQty: '1',
    ...over,
  });

  it("a future: tick value per tick size, in the account's currency", () => {
    expect(
      valuationOf(inst({ kind: 'future', tickSize: '0.25', tickValue: '0.5' }), 'USD'),
    ).toEqual({
      currency: 'USD',
      multiplier: '2',
    });
  });

  it("a CFD quoted in the account's currency: its contract size", () => {
    expect(
      valuationOf(inst({ kind: 'cfd', quoteAsset: 'usd', contractSize: '100000' }), 'USD'),
    ).toEqual({ currency: 'USD', multiplier: '100000' });
  });

  it('quoted in another currency: that currency (converted later), times the contract size', () => {
    expect(
      valuationOf(inst({ kind: 'forex', quoteAsset: 'JPY', contractSize: '1000' }), 'USD'),
    ).toEqual({ currency: 'JPY', multiplier: '1000' });
  });

  it("unknown instrument: the account's currency at 1", () => {
    expect(valuationOf(undefined, 'EUR')).toEqual({ currency: 'EUR', multiplier: '1' });
  });
});
