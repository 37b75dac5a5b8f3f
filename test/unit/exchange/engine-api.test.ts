import { describe, expect, it } from 'vitest';
import {
  IllegalTransitionError,
  ORDER_TRANSITIONS,
  OrderBook,
  ReferenceBook,
  bandLimit,
  canTransition,
  holdRequirement,
  isTerminal,
  restingChecksum,
  transition,
} from '../../../src-main/domain/exchange';
import type { OrderStatus, TradeEvent } from '../../../src-main/domain/exchange';
import { ENGINES, limit, market, mkt, setup } from './helpers';

describe('order lifecycle table', () => {
  const statuses = Object.keys(ORDER_TRANSITIONS) as OrderStatus[];

  it('allows exactly the documented transitions', () => {
    const allowed = statuses.flatMap((from) =>
      statuses.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`),
    );
    expect(allowed).toEqual([
      'new->partially_filled',
      'new->filled',
      'new->cancelled',
      'new->expired',
      'new->rejected',
      'partially_filled->partially_filled',
      'partially_filled->filled',
      'partially_filled->cancelled',
      'partially_filled->expired',
    ]);
    expect(statuses.filter(isTerminal)).toEqual(['filled', 'cancelled', 'expired', 'rejected']);
  });

  it('refuses an illegal transition with a named error', () => {
    expect(() => transition('filled', 'cancelled', 7)).toThrow(IllegalTransitionError);
    expect(() => transition('partially_filled', 'rejected', 7)).toThrow(
      'order 7: illegal transition partially_filled -> rejected',
    );
    expect(transition('new', 'filled', 7)).toBe('filled');
  });
});

describe.each(ENGINES)('%s API', (_name, make) => {
  it('trade events carry what the ledger settles', () => {
    const book = make(market());
    setup(book, [limit(1, 'seller', 'sell', 100, 5)]);
    const trade = book.run(limit(2, 'buyer', 'buy', 101, 3)).events[1] as TradeEvent;
    expect(trade).toMatchObject({
      type: 'trade',
      tradeId: 1,
      price: 100,
      qty: 3,
      notional: 300,
      takerSide: 'buy',
      takerOrderId: 2,
      makerOrderId: 1,
      buyerUserId: 'buyer',
      sellerUserId: 'seller',
      buyerIsMaker: false,
      makerRemainingQty: 2,
      takerRemainingQty: 0,
      tsEvent: 2,
    });
  });

  it('finds open orders by client id and forgets them once closed', () => {
    const book = make(market());
    setup(book, [limit(1, 'u', 'buy', 100, 5, { clientOrderId: 'c1' })]);
    expect(book.findByClientId('u', 'c1')).toMatchObject({ orderId: 1, qty: 5, status: 'new' });
    expect(book.findByClientId('v', 'c1')).toBeUndefined();
    setup(book, [limit(2, 'w', 'sell', 100, 2)]);
    expect(book.getOrder(1)).toMatchObject({ qty: 3, filledQty: 2, status: 'partially_filled' });
    setup(book, [limit(3, 'w', 'sell', 100, 3)]);
    expect(book.findByClientId('u', 'c1')).toBeUndefined();
    expect(book.getOrder(1)).toBeUndefined();
  });

  it('refuses a repeated fill on recovery', () => {
    const book = make(market());
    book.restOrder({ orderId: 1, userId: 'u', side: 'buy', price: 100, qty: 5 });
    expect(book.applyFill({ tradeId: 10, orderId: 1, price: 100, qty: 2 })).toBe('ok');
    expect(book.applyFill({ tradeId: 10, orderId: 1, price: 100, qty: 2 })).toBe('duplicate_trade');
    expect(book.applyFill({ tradeId: 9, orderId: 1, price: 100, qty: 1 })).toBe('duplicate_trade');
    expect(book.getOrder(1)).toMatchObject({ qty: 3, filledQty: 2 });
    expect(book.lastPrice).toBe(100);
    // New trades continue after the highest applied trade id.
    const trade = book.run(limit(2, 'v', 'sell', 100, 1)).events[1] as TradeEvent;
    expect(trade.tradeId).toBe(11);
  });

  it('replay operations keep CME queue priority', () => {
    const book = make(market());
    for (const id of [1, 2, 3])
      book.restOrder({ orderId: id, userId: 'm', side: 'sell', price: 100, qty: 5 });
    expect(book.modifyResting(1, 100, 4)).toBe('ok'); // decrease: keeps its place
    expect(book.modifyResting(2, 100, 6)).toBe('ok'); // increase: goes to the back
    expect(book.snapshot().orders.map((o) => o.orderId)).toEqual([1, 3, 2]);
    expect(book.reduceResting(3, 5)).toBe('ok');
    expect(book.modifyResting(3, 100, 1)).toBe('unknown_order');
    expect(book.restOrder({ orderId: 1, userId: 'm', side: 'sell', price: 100, qty: 1 })).toBe(
      'duplicate_order_id',
    );
    expect(book.depth('sell', 5)).toEqual([{ price: 100, qty: 10, count: 2 }]);
  });

  it('reports the band reference for holds', () => {
    const book = make(market());
    expect(book.marketReference('buy')).toBe(0);
    setup(book, [limit(1, 's', 'sell', 200, 5)]);
    expect(book.marketReference('buy')).toBe(200);
    setup(book, [mkt(2, 'b', 'buy', 1)]);
    setup(book, [limit(3, 's', 'sell', 210, 5)]);
    expect(book.marketReference('buy')).toBe(200);
  });
});

describe('reservations', () => {
  const config = market({ bandBps: 500 });
  const base = { type: 'place' as const, ts: 1, orderId: 1, userId: 'u' };

  it('holds base for sells and price × qty for limit buys', () => {
    expect(holdRequirement(config, { ...base, side: 'sell', kind: 'market', qty: 7 }, 0)).toEqual({
      asset: 'base',
      amount: 7,
    });
    expect(
      holdRequirement(config, { ...base, side: 'buy', kind: 'limit', price: 101, qty: 3 }, 0),
    ).toEqual({ asset: 'quote', amount: 303, priceTicks: 101 });
    expect(
      holdRequirement(config, { ...base, side: 'buy', kind: 'market', quoteQty: 999 }, 0),
    ).toEqual({ asset: 'quote', amount: 999 });
  });

  it('bounds market buys by quantity with the band ceiling, or refuses to guess', () => {
    expect(holdRequirement(config, { ...base, side: 'buy', kind: 'market', qty: 2 }, 1000)).toEqual(
      { asset: 'quote', amount: 2100, priceTicks: 1050 },
    );
    expect(holdRequirement(config, { ...base, side: 'buy', kind: 'market', qty: 2 }, 0)).toBeNull();
    expect(
      holdRequirement(
        config,
        { ...base, side: 'buy', kind: 'stop_market', stopPrice: 1000, qty: 1 },
        0,
      ),
    ).toEqual({ asset: 'quote', amount: 1050, priceTicks: 1050 });
  });

  it('a market buy never costs more than its hold', () => {
    const book = new OrderBook(config);
    setup(book, [
      limit(1, 's', 'sell', 1000, 1),
      limit(2, 's', 'sell', 1040, 1),
      limit(3, 's', 'sell', 1060, 5),
    ]);
    const cmd = mkt(4, 'b', 'buy', 4);
    const hold = holdRequirement(config, cmd, book.marketReference('buy'));
    const spent = book
      .run(cmd)
      .events.reduce((sum, e) => sum + (e.type === 'trade' ? e.notional : 0), 0);
    expect(spent).toBe(2040);
    expect(spent).toBeLessThanOrEqual(hold!.amount);
  });

  it('band limits round towards the reference', () => {
    expect(bandLimit('buy', 999, 100)).toBe(1008); // 1008.99 → 1008
    expect(bandLimit('sell', 999, 100)).toBe(990); // 989.01 → 990
    expect(bandLimit('buy', 999, 0)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('checksum', () => {
  it('depends on queue order, ids and quantities', () => {
    const a = restingChecksum([
      { side: 'buy', orderId: 1, price: 100, qty: 1 },
      { side: 'buy', orderId: 2, price: 100, qty: 1 },
    ]);
    const b = restingChecksum([
      { side: 'buy', orderId: 2, price: 100, qty: 1 },
      { side: 'buy', orderId: 1, price: 100, qty: 1 },
    ]);
    const c = restingChecksum([
      { side: 'buy', orderId: 1 + 2 ** 32, price: 100, qty: 1 },
      { side: 'buy', orderId: 2, price: 100, qty: 1 },
    ]);
    expect(new Set([a, b, c]).size).toBe(3);
    const fast = new OrderBook(market());
    const ref = new ReferenceBook(market());
    for (const book of [fast, ref])
      setup(book, [limit(5, 'u', 'buy', 100, 1), limit(6, 'u', 'sell', 105, 2)]);
    expect(fast.checksum()).toBe(ref.checksum());
  });
});
