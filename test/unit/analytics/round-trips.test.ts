import { describe, expect, it } from 'vitest';
import { buildRoundTrips, type AnalyticsFill } from '../../../src-main/domain/analytics';

let seq = 0;
/** A fill on account A, BTC/USDT, fees in USDT unless told. */
function fill(
  side: 'buy' | 'sell',
  qty: string,
  price: string,
  fee: string,
  ts: number,
  extra: Partial<AnalyticsFill> = {},
): AnalyticsFill {
  return {
    id: `f${++seq}`,
    accountId: 'A',
    venue: 'paper',
    market: 'BTC/USDT',
    side,
    qty,
    price,
    fee,
    feeAsset: 'USDT',
    currency: 'USDT',
    ts,
    source: 'manual',
    ...extra,
  };
}

describe('round trips (FIFO)', () => {
  it('closes a long in two partial closes, charging the entry fee pro rata', () => {
    const book = buildRoundTrips([
      fill('buy', '2', '100', '0.4', 1),
      fill('sell', '0.5', '110', '0.11', 2),
      fill('sell', '1.5', '90', '0.27', 3),
    ]);
    // 1st close: 0.5 × (110 − 100) = 5 gross; fees = 0.4 × 0.5/2 = 0.1 entry + 0.11 exit
    // = 0.21; net 4.79; return 4.79 / (0.5 × 100) = 0.0958.
    // 2nd close: 1.5 × (90 − 100) = −15; fees = the 0.3 entry fee left + 0.27 = 0.57;
    // net −15.57; return −15.57 / 150 = −0.1038.
    expect(book.trips).toMatchObject([
      {
        side: 'long',
        qty: '0.5',
        entryPrice: '100',
        exitPrice: '110',
        grossPnl: '5',
        fees: '0.21',
        netPnl: '4.79',
        returnPct: '0.0958',
        openedAt: 1,
        closedAt: 2,
      },
      { side: 'long', qty: '1.5', grossPnl: '-15', fees: '0.57', netPnl: '-15.57' },
    ]);
    expect(book.trips[1]!.returnPct).toBe('-0.1038');
    // Every fee paid (0.4 + 0.11 + 0.27 = 0.78) is in exactly one round trip: 0.21 + 0.57.
    expect(book.open).toEqual([]);
  });

  it('flips a long to a short in one fill, splitting that fill’s fee', () => {
    const book = buildRoundTrips([
      fill('buy', '1', '100', '0.1', 1),
      fill('sell', '3', '120', '0.36', 2, { source: 'bot:b1' }),
      fill('buy', '2', '110', '0.22', 3),
    ]);
    // The sell of 3 closes the long of 1 (fee share 0.36 × 1/3 = 0.12): gross 1 × 20 = 20,
    // fees 0.1 + 0.12 = 0.22, net 19.78. Its other 2 open a short at 120 with fee 0.24.
    // The buy of 2 closes it: gross 2 × (120 − 110) = 20, fees 0.24 + 0.22 = 0.46, net 19.54.
    expect(book.trips).toMatchObject([
      { side: 'long', qty: '1', netPnl: '19.78', fees: '0.22', source: 'manual' },
      {
        side: 'short',
        qty: '2',
        entryPrice: '120',
        grossPnl: '20',
        fees: '0.46',
        netPnl: '19.54',
        openedAt: 2,
        source: 'bot:b1',
        closeSource: 'manual',
      },
    ]);
  });

  it('matches the oldest lots first and leaves the rest open', () => {
    const book = buildRoundTrips([
      fill('buy', '1', '100', '0', 1),
      fill('buy', '1', '200', '0.2', 2),
      fill('sell', '1.5', '180', '0', 3),
    ]);
    // Entry notional 1 × 100 + 0.5 × 200 = 200 over 1.5: 133.33…; gross 1.5 × 180 − 200 = 70;
    // the second lot's fee is charged half (0.1) to this trip.
    expect(book.trips).toMatchObject([
      {
        qty: '1.5',
        entryPrice: '133.333333333333333333',
        grossPnl: '70',
        fees: '0.1',
        netPnl: '69.9',
        openedAt: 1,
      },
    ]);
    expect(book.open).toMatchObject([{ side: 'long', qty: '0.5', price: '200', fee: '0.1' }]);
  });

  it('keeps accounts and markets apart and sorts fills by time', () => {
    const book = buildRoundTrips([
      fill('sell', '1', '110', '0', 2, { accountId: 'B' }),
      fill('buy', '1', '100', '0', 1, { accountId: 'B' }),
      fill('sell', '1', '50', '0', 3, { market: 'ETH/USDT' }),
    ]);
    expect(book.trips).toMatchObject([{ accountId: 'B', side: 'long', netPnl: '10' }]);
    expect(book.open).toMatchObject([{ accountId: 'A', market: 'ETH/USDT', side: 'short' }]);
  });

  it('on a spot account, a sell of coins never bought is unmatched, not a short', () => {
    const book = buildRoundTrips(
      [fill('buy', '1', '100', '0', 1), fill('sell', '3', '110', '0.33', 2)],
      { spotAccounts: new Set(['A']) },
    );
    // 1 closes the lot (fee share 0.33 × 1/3 = 0.11: net 10 − 0.11); 2 have no cost basis.
    expect(book.trips).toMatchObject([{ qty: '1', netPnl: '9.89' }]);
    expect(book.unmatched).toEqual([{ accountId: 'A', market: 'BTC/USDT', qty: '2', ts: 2 }]);
    expect(book.open).toEqual([]);
  });

  it('leaves a fee in another asset out of P&L and reports it', () => {
    const book = buildRoundTrips([
      fill('buy', '1', '100', '0.001', 1, { feeAsset: 'BNB' }),
      fill('sell', '1', '100', '0.002', 2, { feeAsset: 'BNB' }),
    ]);
    expect(book.trips).toMatchObject([{ grossPnl: '0', fees: '0', netPnl: '0' }]);
    expect(book.otherFees).toEqual({ BNB: '0.003' });
  });
});
