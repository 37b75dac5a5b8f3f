import { describe, expect, it } from 'vitest';
import {
  ORDERS_PER_10_SECONDS,
  OrderCounter,
  placedState,
} from '../../../src-main/transports/binance/order-count';

/** A clock at the start of a UTC day, so the 10-second and day windows start together. */
const DAY_START = Date.UTC(2026, 0, 5);

const resting = (orderId: number) => [{ orderId, state: 'resting' as const }];

describe("the Binance facade's unfilled order count", () => {
  it('counts placements per account and window, answering the count at placement', () => {
    let t = DAY_START;
    const counter = new OrderCounter(true, () => t);
    expect(counter.add('alice', resting(1))).toEqual({ tenSeconds: 1, day: 1 });
    expect(counter.add('alice', resting(2))).toEqual({ tenSeconds: 2, day: 2 });
    expect(counter.add('bob', resting(3))).toEqual({ tenSeconds: 1, day: 1 });
    t += 10_000; // a new 10-second window; the day goes on
    expect(counter.add('alice', resting(4))).toEqual({ tenSeconds: 1, day: 3 });
    t = DAY_START + 86_400_000; // the next UTC day
    expect(counter.add('alice', resting(5))).toEqual({ tenSeconds: 1, day: 1 });
  });

  it('takes an order off at its first fill only, and an order filled at once right after', () => {
    const t = DAY_START;
    const counter = new OrderCounter(true, () => t);
    counter.add('alice', resting(1));
    counter.add('alice', resting(2));
    expect(counter.watching).toBe(true);
    counter.filled(1);
    counter.filled(1); // a second fill of the same order takes nothing more
    counter.filled(99); // an order the facade did not count
    expect(counter.usage('alice').map((l) => l.count)).toEqual([1, 1]);
    // A market order that fills: answered with itself counted, then taken off.
    expect(counter.add('alice', [{ orderId: 3, state: 'filled' }])).toEqual({
      tenSeconds: 2,
      day: 2,
    });
    expect(counter.usage('alice').map((l) => l.count)).toEqual([1, 1]);
    // An IOC that found nothing stays counted, and waits for no fill.
    counter.add('alice', [{ orderId: 4, state: 'ended' }]);
    counter.filled(2);
    expect(counter.usage('alice').map((l) => l.count)).toEqual([1, 1]);
    expect(counter.watching).toBe(false);
  });

  it('never goes below zero when a fill lands in a later window', () => {
    let t = DAY_START;
    const counter = new OrderCounter(true, () => t);
    counter.add('alice', resting(1));
    t += 10_000;
    counter.filled(1);
    expect(counter.usage('alice').map((l) => l.count)).toEqual([0, 0]);
  });

  it('refuses (-1015, 429) what would pass the 10-second limit, and serves the next window', () => {
    let t = DAY_START;
    const counter = new OrderCounter(true, () => t);
    for (let i = 0; i < ORDERS_PER_10_SECONDS - 1; i++) {
      counter.check('alice', 1);
      counter.add('alice', resting(i));
    }
    // An OCO's two orders no longer fit; one more order does.
    expect(() => counter.check('alice', 2)).toThrow(
      expect.objectContaining({
        code: -1015,
        status: 429,
        message: 'Too many new orders; current limit is 100 orders per 10 SECOND.',
      }),
    );
    counter.check('alice', 1);
    counter.add('alice', resting(1000));
    expect(() => counter.check('alice', 1)).toThrow(expect.objectContaining({ code: -1015 }));
    expect(() => counter.check('bob', 1)).not.toThrow(); // per account
    counter.filled(1000); // a fill makes room again
    expect(() => counter.check('alice', 1)).not.toThrow();
    counter.add('alice', resting(1001));
    t += 10_000;
    expect(() => counter.check('alice', 1)).not.toThrow();
  });

  it('forgets the oldest unfilled order past its bound, so a late fill takes nothing off', () => {
    const counter = new OrderCounter(true, () => DAY_START, 2);
    for (const id of [1, 2, 3]) counter.add('alice', resting(id));
    counter.filled(1); // pushed out by order 3: the count errs high
    counter.filled(3);
    expect(counter.usage('alice').map((l) => l.count)).toEqual([2, 2]);
  });

  it('counts without refusing when the limits are off', () => {
    const counter = new OrderCounter(false, () => DAY_START);
    for (let i = 0; i < ORDERS_PER_10_SECONDS + 5; i++) counter.add('alice', resting(i));
    expect(() => counter.check('alice', 1)).not.toThrow();
    expect(counter.usage('alice')).toEqual([
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100, count: 105 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200_000, count: 105 },
    ]);
  });

  it("reads an order's state from its status and filled quantity", () => {
    expect(placedState({ status: 'new', filledQty: '0.0000' })).toBe('resting');
    expect(placedState({ status: 'partially_filled', filledQty: '0.0010' })).toBe('filled');
    expect(placedState({ status: 'filled', filledQty: '1' })).toBe('filled');
    expect(placedState({ status: 'cancelled', filledQty: '0.5' })).toBe('filled');
    expect(placedState({ status: 'cancelled', filledQty: '0' })).toBe('ended');
  });
});
