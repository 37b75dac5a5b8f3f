import { describe, expect, it } from 'vitest';
import { OrderBook, defaultMarketConfig } from '../../../src-main/domain/exchange';
import { CME_DIR, CME_FILE, loadMbo, replayMbo } from '../../bench/engine/cme-mbo';
import path from 'node:path';

const rows = loadMbo();
if (rows === null) console.log(`CME replay skipped: ${CME_FILE} is absent`);

/** ES ticks are quarter points; the README lists levels in points. */
const points = (levels: { price: number; qty: number; count: number }[]): number[][] =>
  levels.map((l) => [l.price / 4, l.qty, l.count]);

const esMarket = () => ({ ...defaultMarketConfig('ESH4'), maxQty: 10_000 });

describe.skipIf(rows === null)('replay of the CME ESH4 order-by-order file', () => {
  it('rebuilds the final book of the README exactly', () => {
    const book = new OrderBook(esMarket());
    replayMbo(book, rows!);
    expect(book.checkInvariants()).toEqual([]);
    const snap = book.snapshot();
    expect(snap.orders.length).toBe(11_217);
    const bids = book.depth('buy', 100_000);
    const asks = book.depth('sell', 100_000);
    expect([bids.length, asks.length]).toEqual([922, 565]);
    expect(bids.reduce((s, l) => s + l.qty, 0)).toBe(22_050);
    expect(asks.reduce((s, l) => s + l.qty, 0)).toBe(20_110);
    expect([book.bestBid() / 4, book.bestAsk() / 4]).toEqual([4810.0, 4810.25]);
    expect(points(bids.slice(0, 5))).toEqual([
      [4810.0, 22, 22],
      [4809.75, 47, 22],
      [4809.5, 50, 23],
      [4809.25, 60, 30],
      [4809.0, 85, 33],
    ]);
    expect(points(asks.slice(0, 5))).toEqual([
      [4810.25, 28, 18],
      [4810.5, 40, 27],
      [4810.75, 41, 24],
      [4811.0, 60, 29],
      [4811.25, 65, 36],
    ]);
    // Recovery path: the snapshot rebuilds the same book, queue order included.
    const rebuilt = OrderBook.fromSnapshot(snap);
    expect(rebuilt.checksum()).toBe(book.checksum());
  });

  it('loads the 20231224 snapshot file as documented', () => {
    const snapshotRows = loadMbo(path.join(CME_DIR, 'esh4-mbo-20231224.csv'));
    if (snapshotRows === null) {
      console.log('20231224 file absent: only the main replay ran');
      return;
    }
    const book = new OrderBook(esMarket());
    expect(replayMbo(book, snapshotRows)).toBe(8_725);
    expect([book.depth('buy', 1e5).length, book.depth('sell', 1e5).length]).toEqual([892, 559]);
    expect(points([...book.depth('buy', 1), ...book.depth('sell', 1)])).toEqual([
      [4799.0, 16, 4],
      [4799.5, 23, 4],
    ]);
  });

  it('the pre-open book is crossed and the replay does not match it', () => {
    const book = new OrderBook(esMarket());
    const partial = { ...rows!, length: 8_725 + 924 };
    replayMbo(book, partial);
    expect(book.bestBid()).toBeGreaterThan(book.bestAsk());
    expect(book.checkInvariants()).toContain(`crossed ${book.bestBid()}/${book.bestAsk()}`);
    expect(book.checkInvariants({ allowCrossed: true })).toEqual([]);
  });
});
