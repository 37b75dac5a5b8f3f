import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketTrade } from '../../../src-main/domain/market-data';
import {
  CANDLE_INTERVALS,
  CandleBuilder,
  CandleSet,
  aggregate,
  bucketStart,
  candlesFromTrades,
  fillGaps,
} from '../../../src-main/domain/market-data';
import { naiveCandles, readTape, tradesArb } from './fixtures';

const tape = readTape();
const H = 3_600_000;

describe('candles on the real ETH/USDT tape', () => {
  it.skipIf(tape === null)('equal a naive recomputation at every interval', () => {
    const t0 = tape![0]!.ts;
    // Stretch 3.5 minutes of trades over ~29 hours so every interval sees several bars.
    const stretched = tape!.map((t) => ({ ...t, ts: t0 + (t.ts - t0) * 500 }));
    for (const trades of [tape!, stretched]) {
      for (const iv of CANDLE_INTERVALS) {
        expect(candlesFromTrades(trades, iv)).toEqual(naiveCandles(trades, iv));
      }
    }
    expect(candlesFromTrades(stretched, '1d').length).toBe(2);
  });

  it.skipIf(tape === null)('rebuild higher intervals from 1m identically', () => {
    const t0 = tape![0]!.ts;
    const stretched = tape!.map((t) => ({ ...t, ts: t0 + (t.ts - t0) * 500 }));
    const m1 = candlesFromTrades(stretched, '1m');
    for (const iv of CANDLE_INTERVALS) {
      expect(aggregate(m1, iv)).toEqual(candlesFromTrades(stretched, iv));
    }
  });
});

describe('CandleBuilder', () => {
  it('equals the naive oracle on random trades, and aggregation from 1m matches', () => {
    fc.assert(
      fc.property(tradesArb, (trades) => {
        const m1 = candlesFromTrades(trades, '1m');
        for (const iv of CANDLE_INTERVALS) {
          const direct = candlesFromTrades(trades, iv);
          expect(direct).toEqual(naiveCandles(trades, iv));
          expect(aggregate(m1, iv)).toEqual(direct);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('closes the previous bar on the first trade of a new bucket, with no bars for gaps', () => {
    const b = new CandleBuilder('1m');
    const t = (ts: number, price: number): MarketTrade => ({ ts, price, qty: 2 });
    expect(b.addTrade(t(60_000, 10)).closed).toBeUndefined();
    expect(b.addTrade(t(119_999, 12)).updated).toMatchObject({
      open: 10,
      high: 12,
      close: 12,
      volume: 4,
      quoteVolume: 44n,
      trades: 2,
    });
    const u = b.addTrade(t(600_000, 9));
    expect(u.closed).toEqual([expect.objectContaining({ openTime: 60_000, close: 12 })]);
    expect(u.updated).toMatchObject({ openTime: 600_000, open: 9, trades: 1 });
    expect(b.closeDue(659_999)).toBeUndefined();
    expect(b.closeDue(660_000)).toMatchObject({ openTime: 600_000 });
    expect(b.current()).toBeUndefined();
  });

  it('aligns 4h and 1d buckets to UTC', () => {
    const ts = Date.UTC(2024, 2, 10, 23, 59, 59, 999);
    expect(bucketStart(ts, '1d')).toBe(Date.UTC(2024, 2, 10));
    expect(bucketStart(ts, '4h')).toBe(Date.UTC(2024, 2, 10, 20));
    expect(bucketStart(ts + 1, '1d')).toBe(Date.UTC(2024, 2, 11));
    expect(bucketStart(-1, '1h')).toBe(-H);
  });

  it('restores an open bar and keeps a clock step back inside it', () => {
    const open = candlesFromTrades([{ ts: 5 * H + 10, price: 100, qty: 1 }], '1h')[0]!;
    const b = new CandleBuilder('1h', open);
    const u = b.addTrade({ ts: 5 * H - 1, price: 90, qty: 1 });
    expect(u.closed).toBeUndefined();
    expect(u.updated).toMatchObject({ openTime: 5 * H, low: 90, close: 90, trades: 2 });
    expect(() => new CandleBuilder('1m', open)).toThrow();
  });

  it('keeps quote volume exact beyond 2^53', () => {
    const big = { ts: 0, price: 9_000_000_000, qty: 9_000_000_000 };
    const [c] = candlesFromTrades([big, big], '1m');
    expect(c!.quoteVolume).toBe(2n * 81_000_000_000_000_000_000n);
  });
});

describe('fillGaps', () => {
  it('carries the close forward with zero volume, only when asked', () => {
    const bars = candlesFromTrades(
      [
        { ts: 0, price: 5, qty: 1 },
        { ts: 3 * 60_000, price: 7, qty: 1 },
      ],
      '1m',
    );
    expect(bars.length).toBe(2);
    const filled = fillGaps(bars, '1m', 0, 4 * 60_000);
    expect(filled.map((c) => [c.openTime / 60_000, c.close, c.volume])).toEqual([
      [0, 5, 1],
      [1, 5, 0],
      [2, 5, 0],
      [3, 7, 1],
      [4, 7, 0],
    ]);
    expect(fillGaps(bars, '1m', 60_000, 60_000)[0]).toMatchObject({
      open: 5,
      trades: 0,
      quoteVolume: 0n,
    });
    expect(fillGaps(bars.slice(1), '1m', 0, 3 * 60_000).length).toBe(1);
  });
});

describe('CandleSet', () => {
  it('feeds every interval and closes due bars together', () => {
    const set = new CandleSet();
    const first = set.addTrade({ ts: Date.UTC(2024, 0, 1, 23, 59), price: 10, qty: 1 });
    expect(first.map((u) => u.interval)).toEqual(['1m', '5m', '15m', '1h', '4h', '1d']);
    const next = set.addTrade({ ts: Date.UTC(2024, 0, 1, 23, 59, 30), price: 11, qty: 1 });
    expect(next.every((u) => u.closed === undefined && u.updated.close === 11)).toBe(true);
    const rolled = set.addTrade({ ts: Date.UTC(2024, 0, 2), price: 12, qty: 1 });
    expect(rolled.every((u) => u.closed?.[0]?.close === 11)).toBe(true);
    expect(set.closeDue(Date.UTC(2024, 0, 2, 0, 5)).map((c) => c.interval)).toEqual(['1m', '5m']);
    expect(set.current().map((c) => c.interval)).toEqual(['15m', '1h', '4h', '1d']);
  });

  it('fold (no copies) closes and leaves open the same bars as addTrade', () => {
    fc.assert(
      fc.property(tradesArb, (trades) => {
        const copying = new CandleSet();
        const folding = new CandleSet();
        const closedByCopy: unknown[] = [];
        const closedByFold: unknown[] = [];
        for (const t of trades) {
          for (const u of copying.addTrade(t)) closedByCopy.push(...(u.closed ?? []));
          closedByFold.push(...(folding.fold(t) ?? []));
        }
        const byTime = (a: unknown[]) =>
          (a as Array<{ interval: string; openTime: number }>)
            .map((c) => `${c.interval}@${c.openTime}`)
            .sort();
        expect(byTime(closedByFold)).toEqual(byTime(closedByCopy));
        expect(closedByFold).toEqual(expect.arrayContaining(closedByCopy));
        expect(folding.current()).toEqual(copying.current());
      }),
      { numRuns: 150 },
    );
  });
});
