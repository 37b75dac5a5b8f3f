import { describe, expect, it } from 'vitest';
import {
  buildRoundTrips,
  fx,
  holdingsAt,
  lotsUnrealised,
  totalIn,
  type AnalyticsFill,
  type OpenLot,
} from '../../../src-main/domain/analytics';

const fill = (over: Partial<AnalyticsFill>): AnalyticsFill => ({
  id: 'f',
  accountId: 'A',
  venue: 'memory',
  market: 'MNQ',
  side: 'buy',
  qty: '1',
  price: '100',
  fee: '0',
  feeAsset: 'USD',
  currency: 'USD',
  ts: 1,
  source: 'manual',
  ...over,
});

describe('round trips with a multiplier (futures, CFDs)', () => {
  it('scales the P&L and the notional, not the prices or quantities', () => {
    // 3 MNQ long from 21000.25 to 20990.75: −9.5 points × 3 × 2 USD = −57; fees 1.5 + 1.5.
    const book = buildRoundTrips([
      fill({ id: 'a', qty: '3', price: '21000.25', fee: '1.5', multiplier: '2', ts: 1 }),
      fill({
        id: 'b',
        side: 'sell',
        qty: '3',
        price: '20990.75',
        fee: '1.5',
        multiplier: '2',
        ts: 2,
      }),
    ]);
    expect(book.trips).toEqual([
      expect.objectContaining({
        qty: '3',
        entryPrice: '21000.25',
        exitPrice: '20990.75',
        grossPnl: '-57',
        fees: '3',
        netPnl: '-60',
        // −60 ÷ (3 × 21000.25 × 2 = 126001.5) = −0.000476…
        returnPct: '-0.000476',
      }),
    ]);
  });
});

describe('valuation helpers', () => {
  it('totals amounts in a quote, converting each currency once, naming what it cannot', () => {
    const amounts = new Map([
      ['USDT', fx('100.5')],
      ['BTC', fx('0.01')],
      ['USD', fx('7')],
    ]);
    const { total, missing } = totalIn(
      amounts,
      (c) =>
        c === 'USDT'
          ? { kind: 'same' }
          : c === 'BTC'
            ? { kind: 'direct', market: 'BTC/USDT', price: '30000' }
            : null,
      6,
    );
    // 100.5 + 0.01 × 30000 = 400.5; USD has no market.
    expect(total).toBe(fx('400.5'));
    expect(missing).toEqual(['USD']);
  });

  it('marks open lots long and short, and counts those without a mark', () => {
    const lot = (over: Partial<OpenLot>): OpenLot => ({
      accountId: 'A',
      venue: 'paper',
      market: 'BTC/USDT',
      currency: 'USDT',
      side: 'long',
      qty: '0.1',
      price: '30000',
      fee: '0',
      openedAt: 0,
      source: 'manual',
      ...over,
    });
    const u = lotsUnrealised(
      [lot({}), lot({ side: 'short', qty: '0.2', price: '31000' }), lot({ market: 'ETH/USDT' })],
      (m) => (m === 'BTC/USDT' ? fx('30500') : null),
    );
    // Long 0.1 × (30500 − 30000) = 50; short 0.2 × (31000 − 30500) = 100; ETH unmarked.
    expect(u.byCurrency.get('USDT')).toBe(fx('150'));
    expect(u.unmarked).toBe(1);
  });

  it('rebuilds spot holdings before the fills after a moment', () => {
    const now = new Map([
      ['BTC', fx('0.5')],
      ['USDT', fx('1000')],
    ]);
    const fills = [
      // At 5 a buy of 0.2 BTC at 30000 (6000 USDT), fee 0.0002 BTC; at 9 a sell of 0.1 at 31000.
      fill({
        market: 'BTC/USDT',
        currency: 'USDT',
        qty: '0.2',
        price: '30000',
        fee: '0.0002',
        feeAsset: 'BTC',
        ts: 5,
      }),
      fill({
        market: 'BTC/USDT',
        currency: 'USDT',
        side: 'sell',
        qty: '0.1',
        price: '31000',
        fee: '3.1',
        feeAsset: 'USDT',
        ts: 9,
      }),
    ];
    const at7 = holdingsAt(now, fills, 7, (m) => m.split('/')[0]!);
    // Undo the sell: BTC 0.5 + 0.1 = 0.6; USDT 1000 − 3100 + 3.1 = −2096.9.
    expect(at7.get('BTC')).toBe(fx('0.6'));
    expect(at7.get('USDT')).toBe(fx('-2096.9'));
    const at0 = holdingsAt(now, fills, 0, (m) => m.split('/')[0]!);
    // And the buy: BTC 0.6 − 0.2 + 0.0002 = 0.4002; USDT −2096.9 + 6000 = 3903.1.
    expect(at0.get('BTC')).toBe(fx('0.4002'));
    expect(at0.get('USDT')).toBe(fx('3903.1'));
  });
});
