import { describe, expect, it } from 'vitest';
import { BookUpdateIds, touchedLevels } from '../../../src-main/domain/market-data';

describe('touchedLevels', () => {
  it('lists every price an event names, on the side where quantity rests', () => {
    const t = touchedLevels(
      [
        { type: 'accepted', side: 'buy', price: 100 },
        { type: 'accepted', side: 'sell', price: 0 }, // a market order rests nowhere
        { type: 'trade', takerSide: 'buy', price: 101 }, // the maker was an ask
        { type: 'trade', takerSide: 'sell', price: 99 },
        { type: 'cancelled', side: 'sell', price: 103 },
        { type: 'expired', side: 'buy', price: 98 },
        { type: 'amended', side: 'sell', oldPrice: 104, price: 105 },
        { type: 'triggered', orderId: 7 },
        { type: 'triggered', orderId: 8 }, // filled at once: rests nowhere
        { type: 'rejected' },
      ],
      (id) => (id === 7 ? { side: 'buy', price: 97 } : undefined),
    );
    expect([...t.bids].sort()).toEqual([100, 97, 98, 99].sort());
    expect([...t.asks].sort()).toEqual([101, 103, 104, 105]);
  });
});

describe('BookUpdateIds', () => {
  it('chains published ranges with no hole across batches that moved nothing', () => {
    const ids = new BookUpdateIds(10);
    expect(ids.current).toBe(10);
    expect(ids.advance(12, true)).toEqual({ first: 11, final: 12 });
    expect(ids.advance(15, false)).toBeUndefined(); // a rejected order: nothing to send
    expect(ids.current).toBe(15); // a snapshot now says 15 …
    expect(ids.advance(16, true)).toEqual({ first: 13, final: 16 }); // … and this spans 16
    expect(ids.advance(16, true)).toBeUndefined(); // a batch already folded in
  });
});
