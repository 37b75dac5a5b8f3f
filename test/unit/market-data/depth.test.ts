import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookOrderView, DepthMessage } from '../../../src-main/domain/market-data';
import {
  DepthBook,
  LevelBook,
  DepthPublisher,
  aggregateDepth,
  diffDepth,
  toSnapshot,
} from '../../../src-main/domain/market-data';

const order = (side: 'buy' | 'sell', price: number, qty: number): BookOrderView => ({
  side,
  price,
  qty,
});

const ordersArb = fc.array(
  fc.record({
    side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
    price: fc.integer({ min: 1, max: 40 }),
    qty: fc.integer({ min: 1, max: 50 }),
  }),
  { maxLength: 40 },
);

/** Keeps the random books uncrossed: bids below 20, asks from 21. */
const uncross = (os: BookOrderView[]): BookOrderView[] =>
  os.map((o) => ({
    ...o,
    price: o.side === 'buy' ? Math.min(o.price, 20) : Math.max(o.price, 21),
  }));

describe('aggregateDepth', () => {
  it('sums lots and counts orders per level, best first, cut at depth', () => {
    const book = [
      order('buy', 99, 1),
      order('buy', 100, 2),
      order('buy', 99, 3),
      order('sell', 102, 5),
      order('sell', 101, 1),
      order('sell', 103, 1),
    ];
    expect(aggregateDepth(book, 2)).toEqual({
      bids: [
        { price: 100, qty: 2, orders: 1 },
        { price: 99, qty: 4, orders: 2 },
      ],
      asks: [
        { price: 101, qty: 1, orders: 1 },
        { price: 102, qty: 5, orders: 1 },
      ],
    });
  });

  it('groups prices away from the spread', () => {
    const v = aggregateDepth(
      [order('buy', 109, 1), order('buy', 101, 1), order('sell', 111, 2)],
      5,
      10,
    );
    expect(v.bids).toEqual([{ price: 100, qty: 2, orders: 2 }]);
    expect(v.asks).toEqual([{ price: 120, qty: 2, orders: 1 }]);
    expect(() => aggregateDepth([], 1, 0)).toThrow();
  });
});

describe('depth diffs', () => {
  it('turn any previous view into the next one', () => {
    fc.assert(
      fc.property(ordersArb, ordersArb, fc.integer({ min: 1, max: 8 }), (a, b, depth) => {
        const prev = aggregateDepth(uncross(a), depth);
        const next = aggregateDepth(uncross(b), depth);
        const client = new DepthBook();
        client.applySnapshot(toSnapshot(prev, 7));
        expect(client.applyDiff(diffDepth(prev, next, 8))).toBe('applied');
        expect(client.snapshot()).toEqual(toSnapshot(next, 8));
      }),
    );
  });

  it('report removed levels with qty 0 and nothing for unchanged ones', () => {
    const prev = aggregateDepth([order('buy', 10, 1), order('buy', 9, 1), order('sell', 12, 3)], 5);
    const next = aggregateDepth([order('buy', 10, 1), order('sell', 12, 4)], 5);
    expect(diffDepth(prev, next, 3)).toEqual({ seq: 3, bids: [[9, 0]], asks: [[12, 4]] });
  });
});

describe('resync after a dropped diff', () => {
  it('detects the gap, takes a fresh snapshot and ends equal to the server', () => {
    fc.assert(
      fc.property(fc.array(ordersArb, { minLength: 4, maxLength: 12 }), fc.nat(), (books, pick) => {
        const server = new DepthPublisher();
        const client = new DepthBook();
        expect(client.applyDiff({ seq: 1, bids: [], asks: [] })).toBe('awaiting-snapshot');
        client.applySnapshot(server.snapshot());
        const sent: DepthMessage[] = [];
        for (const b of books) {
          const d = server.publish(aggregateDepth(uncross(b), 5));
          if (d) sent.push(d);
        }
        fc.pre(sent.length >= 2);
        const dropped = pick % (sent.length - 1);
        let sawGap = false;
        for (const [i, d] of sent.entries()) {
          if (i === dropped) continue;
          const r = client.applyDiff(d);
          if (r === 'gap') sawGap = true;
          if (client.needsResync) {
            client.applySnapshot(server.snapshot());
            break;
          }
        }
        expect(sawGap).toBe(true);
        expect(client.needsResync).toBe(false);
        // The snapshot is the newest view, so diffs still in flight are stale.
        expect(client.applyDiff(sent.at(-1)!)).toBe('stale');
        expect(client.snapshot()).toEqual(server.snapshot());
      }),
    );
  });

  it('replays diffs buffered during the snapshot fetch, skipping those it already holds', () => {
    const server = new DepthPublisher(100);
    const d1 = server.publish(aggregateDepth([order('buy', 5, 1)], 5))!;
    const snap = server.snapshot();
    const d2 = server.publish(aggregateDepth([order('buy', 5, 2), order('sell', 6, 1)], 5))!;
    expect(
      server.publish(aggregateDepth([order('buy', 5, 2), order('sell', 6, 1)], 5)),
    ).toBeUndefined();
    const client = new DepthBook();
    client.applySnapshot(snap);
    expect([client.applyDiff(d1), client.applyDiff(d2)]).toEqual(['stale', 'applied']);
    expect(client.snapshot()).toEqual(server.snapshot());
    expect(client.seq).toBe(102);
  });
});

describe('LevelBook', () => {
  it('kept from add/reduce events equals aggregating the resting orders', () => {
    const eventArb = fc.array(
      fc.record({
        side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
        price: fc.integer({ min: 1, max: 30 }),
        qty: fc.integer({ min: 1, max: 20 }),
        take: fc.nat(),
        cut: fc.nat(),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(
        eventArb,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (events, depth, group) => {
          const levels = new LevelBook();
          const resting: BookOrderView[] = [];
          for (const e of events) {
            levels.add(e.side, e.price, e.qty);
            resting.push(order(e.side, e.price, e.qty));
            // Then fill or cancel part (or all) of some resting order.
            const victim = resting[e.take % resting.length]!;
            const cut = 1 + (e.cut % victim.qty);
            victim.qty -= cut;
            levels.reduce(victim.side, victim.price, cut, victim.qty === 0);
            if (victim.qty === 0) resting.splice(resting.indexOf(victim), 1);
          }
          expect(levels.view(depth, group)).toEqual(aggregateDepth(resting, depth, group));
        },
      ),
    );
  });
});
