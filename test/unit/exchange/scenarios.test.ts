import { describe, expect, it } from 'vitest';
import type { Command, EngineMarketConfig, PlaceCommand } from '../../../src-main/domain/exchange';
import { ENGINES, cancels, levels, limit, market, mkt, setup, trades } from './helpers';

/** One tricky case: a book built by `given`, one command `when`, what must come out. */
interface Scenario {
  name: string;
  config?: Partial<EngineMarketConfig>;
  given: Command[];
  when: Command;
  code: string;
  /** [price, qty, makerOrderId, takerOrderId] per trade, in order. */
  trades?: number[][];
  /** [orderId, reason] per cancellation, in order. */
  cancels?: [number, string][];
  /** Event types in order. */
  types?: string[];
  /** [price, qty, orders] per level, best first. */
  bids?: number[][];
  asks?: number[][];
}

const stop = (
  id: number,
  user: string,
  side: 'buy' | 'sell',
  stopPrice: number,
  qty: number,
  price?: number,
): PlaceCommand => ({
  type: 'place',
  ts: id,
  orderId: id,
  userId: user,
  side,
  kind: price === undefined ? 'stop_market' : 'stop_limit',
  stopPrice,
  qty,
  ...(price === undefined ? {} : { price }),
});

const SCENARIOS: Scenario[] = [
  // Limit orders and priority
  {
    name: 'limit rests when nothing crosses',
    given: [],
    when: limit(1, 'a', 'buy', 100, 5),
    code: 'ok',
    types: ['accepted'],
    bids: [[100, 5, 1]],
  },
  {
    name: 'limit takes what crosses and rests the rest',
    given: [limit(1, 'b', 'sell', 100, 3)],
    when: limit(2, 'a', 'buy', 101, 5),
    code: 'ok',
    trades: [[100, 3, 1, 2]],
    bids: [[101, 2, 1]],
    asks: [],
  },
  {
    name: 'better price first, then time at one price',
    given: [
      limit(1, 'b', 'sell', 100, 2),
      limit(2, 'c', 'sell', 100, 2),
      limit(3, 'd', 'sell', 99, 1),
    ],
    when: limit(4, 'a', 'buy', 100, 4),
    code: 'ok',
    trades: [
      [99, 1, 3, 4],
      [100, 2, 1, 4],
      [100, 1, 2, 4],
    ],
    asks: [[100, 1, 1]],
  },
  {
    name: 'sell limit walks the bids down to its price only',
    given: [limit(1, 'b', 'buy', 100, 1), limit(2, 'b', 'buy', 99, 1), limit(3, 'b', 'buy', 98, 1)],
    when: limit(4, 'a', 'sell', 99, 5),
    code: 'ok',
    trades: [
      [100, 1, 1, 4],
      [99, 1, 2, 4],
    ],
    bids: [[98, 1, 1]],
    asks: [[99, 3, 1]],
  },
  // Time in force
  {
    name: 'IOC cancels its remainder',
    given: [limit(1, 'b', 'sell', 100, 2)],
    when: limit(2, 'a', 'buy', 100, 5, { tif: 'IOC' }),
    code: 'ok',
    trades: [[100, 2, 1, 2]],
    cancels: [[2, 'ioc_remainder']],
    bids: [],
  },
  {
    name: 'IOC that fills entirely leaves no cancel',
    given: [limit(1, 'b', 'sell', 100, 5)],
    when: limit(2, 'a', 'buy', 100, 5, { tif: 'IOC' }),
    code: 'ok',
    trades: [[100, 5, 1, 2]],
    cancels: [],
    asks: [],
  },
  {
    name: 'FOK that cannot fill trades nothing',
    given: [limit(1, 'b', 'sell', 100, 2), limit(2, 'b', 'sell', 101, 2)],
    when: limit(3, 'a', 'buy', 100, 3, { tif: 'FOK' }),
    code: 'fok_cannot_fill',
    trades: [],
    cancels: [[3, 'fok']],
    asks: [
      [100, 2, 1],
      [101, 2, 1],
    ],
  },
  {
    name: 'FOK fills across levels',
    given: [limit(1, 'b', 'sell', 100, 2), limit(2, 'b', 'sell', 101, 2)],
    when: limit(3, 'a', 'buy', 101, 4, { tif: 'FOK' }),
    code: 'ok',
    trades: [
      [100, 2, 1, 3],
      [101, 2, 2, 3],
    ],
    asks: [],
  },
  {
    name: 'FOK counts nothing behind an own order (cancel_newest)',
    given: [limit(1, 'a', 'sell', 100, 2), limit(2, 'b', 'sell', 100, 5)],
    when: limit(3, 'a', 'buy', 100, 3, { tif: 'FOK' }),
    code: 'fok_cannot_fill',
    trades: [],
    cancels: [[3, 'fok']],
    asks: [[100, 7, 2]],
  },
  {
    name: 'FOK with cancel_oldest skips own orders',
    given: [limit(1, 'a', 'sell', 100, 2), limit(2, 'b', 'sell', 100, 3)],
    when: limit(3, 'a', 'buy', 100, 3, { tif: 'FOK', stp: 'cancel_oldest' }),
    code: 'ok',
    trades: [[100, 3, 2, 3]],
    cancels: [[1, 'stp']],
    asks: [],
  },
  // Post-only
  {
    name: 'post-only that would take is rejected',
    given: [limit(1, 'b', 'sell', 100, 1)],
    when: limit(2, 'a', 'buy', 100, 1, { postOnly: true }),
    code: 'post_only_would_take',
    types: ['rejected'],
    bids: [],
    asks: [[100, 1, 1]],
  },
  {
    name: 'post-only that does not cross rests',
    given: [limit(1, 'b', 'sell', 100, 1)],
    when: limit(2, 'a', 'buy', 99, 1, { postOnly: true }),
    code: 'ok',
    types: ['accepted'],
    bids: [[99, 1, 1]],
  },
  // Self-trade prevention
  {
    name: 'STP cancel_newest cancels the taker',
    given: [limit(1, 'a', 'sell', 100, 1), limit(2, 'b', 'sell', 101, 1)],
    when: limit(3, 'a', 'buy', 101, 2),
    code: 'self_trade_prevented',
    trades: [],
    cancels: [[3, 'stp']],
    asks: [
      [100, 1, 1],
      [101, 1, 1],
    ],
    bids: [],
  },
  {
    name: 'STP cancel_oldest cancels the maker and goes on',
    given: [limit(1, 'a', 'sell', 100, 1), limit(2, 'b', 'sell', 101, 1)],
    when: limit(3, 'a', 'buy', 101, 2, { stp: 'cancel_oldest' }),
    code: 'ok',
    trades: [[101, 1, 2, 3]],
    cancels: [[1, 'stp']],
    asks: [],
    bids: [[101, 1, 1]],
  },
  {
    name: 'STP cancel_both cancels maker then taker',
    given: [limit(1, 'a', 'sell', 100, 1), limit(2, 'b', 'sell', 101, 1)],
    when: limit(3, 'a', 'buy', 101, 2, { stp: 'cancel_both' }),
    code: 'self_trade_prevented',
    trades: [],
    cancels: [
      [1, 'stp'],
      [3, 'stp'],
    ],
    asks: [[101, 1, 1]],
    bids: [],
  },
  {
    name: 'STP after a partial fill keeps the fill',
    given: [limit(1, 'b', 'sell', 100, 1), limit(2, 'a', 'sell', 100, 1)],
    when: limit(3, 'a', 'buy', 100, 3),
    code: 'self_trade_prevented',
    trades: [[100, 1, 1, 3]],
    cancels: [[3, 'stp']],
    asks: [[100, 1, 1]],
  },
  // Market orders and the band
  {
    name: 'market buy by quantity walks the asks',
    given: [limit(1, 'b', 'sell', 100, 2), limit(2, 'b', 'sell', 101, 2)],
    when: mkt(3, 'a', 'buy', 3),
    code: 'ok',
    trades: [
      [100, 2, 1, 3],
      [101, 1, 2, 3],
    ],
    asks: [[101, 1, 1]],
  },
  {
    name: 'market buy stops at the band around the best ask when nothing traded',
    config: { bandBps: 100 },
    given: [limit(1, 'b', 'sell', 100, 1), limit(2, 'b', 'sell', 102, 5)],
    when: mkt(3, 'a', 'buy', 3),
    code: 'price_band',
    trades: [[100, 1, 1, 3]],
    cancels: [[3, 'price_band']],
    asks: [[102, 5, 1]],
  },
  {
    name: 'market band is around the last trade price',
    config: { bandBps: 200 },
    given: [
      limit(1, 'b', 'sell', 100, 1),
      mkt(2, 'a', 'buy', 1),
      limit(3, 'b', 'sell', 101, 1),
      limit(4, 'b', 'sell', 103, 1),
    ],
    when: mkt(5, 'a', 'buy', 2),
    code: 'price_band',
    trades: [[101, 1, 3, 5]],
    cancels: [[5, 'price_band']],
    asks: [[103, 1, 1]],
  },
  {
    name: 'market sell band floor rounds inwards',
    config: { bandBps: 100 },
    given: [limit(1, 'b', 'buy', 100, 1), limit(2, 'b', 'buy', 98, 1)],
    when: mkt(3, 'a', 'sell', 2),
    code: 'price_band',
    trades: [[100, 1, 1, 3]],
    cancels: [[3, 'price_band']],
    bids: [[98, 1, 1]],
  },
  {
    name: 'market order on an empty side',
    given: [limit(1, 'b', 'buy', 100, 1)],
    when: mkt(2, 'a', 'buy', 1),
    code: 'no_liquidity',
    trades: [],
    cancels: [[2, 'no_liquidity']],
    bids: [[100, 1, 1]],
  },
  {
    name: 'market order that empties the side',
    given: [limit(1, 'b', 'sell', 100, 1)],
    when: mkt(2, 'a', 'buy', 3),
    code: 'no_liquidity',
    trades: [[100, 1, 1, 2]],
    cancels: [[2, 'no_liquidity']],
  },
  // Quote-amount market buys
  {
    name: 'quote-amount buy spends at most its budget',
    config: { bandBps: 0 },
    given: [limit(1, 'b', 'sell', 100, 2), limit(2, 'b', 'sell', 150, 5)],
    when: mkt(3, 'a', 'buy', undefined, { quoteQty: 450 }),
    code: 'ok',
    trades: [
      [100, 2, 1, 3],
      [150, 1, 2, 3],
    ],
    // 50 left buys no lot at 150: the budget is spent as closely as lots allow.
    cancels: [[3, 'quote_spent']],
    asks: [[150, 4, 1]],
  },
  {
    name: 'quote-amount buy that spends it all is filled',
    given: [limit(1, 'b', 'sell', 100, 5)],
    when: mkt(2, 'a', 'buy', undefined, { quoteQty: 300 }),
    code: 'ok',
    trades: [[100, 3, 1, 2]],
    cancels: [],
    asks: [[100, 2, 1]],
  },
  {
    name: 'quote-amount buy rounds down to whole lots',
    config: { lotSize: 2 },
    given: [limit(1, 'b', 'sell', 100, 4)],
    when: mkt(2, 'a', 'buy', undefined, { quoteQty: 300 }),
    code: 'ok',
    trades: [[100, 2, 1, 2]],
    cancels: [[2, 'quote_spent']],
    asks: [[100, 2, 1]],
  },
  // Amend
  {
    name: 'amend down keeps time priority',
    given: [
      limit(1, 'a', 'buy', 100, 5),
      limit(2, 'b', 'buy', 100, 5),
      { type: 'amend', ts: 3, orderId: 1, qty: 3 },
    ],
    when: limit(4, 'c', 'sell', 100, 3),
    code: 'ok',
    trades: [[100, 3, 1, 4]],
    bids: [[100, 5, 1]],
  },
  {
    name: 'amend up loses time priority',
    given: [
      limit(1, 'a', 'buy', 100, 5),
      limit(2, 'b', 'buy', 100, 5),
      { type: 'amend', ts: 3, orderId: 1, qty: 6 },
    ],
    when: limit(4, 'c', 'sell', 100, 5),
    code: 'ok',
    trades: [[100, 5, 2, 4]],
    bids: [[100, 6, 1]],
  },
  {
    name: 'amend to a crossing price trades first',
    given: [limit(1, 'b', 'sell', 105, 2), limit(2, 'a', 'buy', 100, 5)],
    when: { type: 'amend', ts: 3, orderId: 2, price: 105 },
    code: 'ok',
    types: ['amended', 'trade'],
    trades: [[105, 2, 1, 2]],
    bids: [[105, 3, 1]],
    asks: [],
  },
  {
    name: 'amend of a post-only order that would take is refused',
    given: [limit(1, 'b', 'sell', 105, 2), limit(2, 'a', 'buy', 100, 5, { postOnly: true })],
    when: { type: 'amend', ts: 3, orderId: 2, price: 105 },
    code: 'post_only_would_take',
    types: [],
    bids: [[100, 5, 1]],
  },
  {
    name: 'amend of a stop is refused',
    given: [stop(1, 'a', 'buy', 110, 1)],
    when: { type: 'amend', ts: 2, orderId: 1, qty: 2 },
    code: 'order_not_amendable',
    types: [],
  },
  {
    name: 'amend of an unknown order',
    given: [],
    when: { type: 'amend', ts: 1, orderId: 9, qty: 2 },
    code: 'unknown_order',
    types: [],
  },
  {
    name: 'amend by another user is unknown',
    given: [limit(1, 'a', 'buy', 100, 5)],
    when: { type: 'amend', ts: 2, orderId: 1, userId: 'b', qty: 2 },
    code: 'unknown_order',
    bids: [[100, 5, 1]],
  },
  // Identity
  {
    name: 'cancel by client order id',
    given: [limit(1, 'a', 'buy', 100, 5, { clientOrderId: 'x' })],
    when: { type: 'cancel', ts: 2, userId: 'a', clientOrderId: 'x' },
    code: 'ok',
    cancels: [[1, 'user']],
    bids: [],
  },
  {
    name: 'cancel of an unknown order',
    given: [],
    when: { type: 'cancel', ts: 1, orderId: 7 },
    code: 'unknown_order',
    types: [],
  },
  {
    name: 'duplicate client order id among open orders',
    given: [limit(1, 'a', 'buy', 100, 5, { clientOrderId: 'x' })],
    when: limit(2, 'a', 'buy', 99, 1, { clientOrderId: 'x' }),
    code: 'duplicate_client_order_id',
    types: ['rejected'],
  },
  {
    name: 'client order id is free again once the order is closed',
    given: [
      limit(1, 'a', 'buy', 100, 5, { clientOrderId: 'x' }),
      { type: 'cancel', ts: 2, orderId: 1 },
    ],
    when: limit(3, 'a', 'buy', 99, 1, { clientOrderId: 'x' }),
    code: 'ok',
    bids: [[99, 1, 1]],
  },
  {
    name: 'same client order id for another user is fine',
    given: [limit(1, 'a', 'buy', 100, 5, { clientOrderId: 'x' })],
    when: limit(2, 'b', 'buy', 99, 1, { clientOrderId: 'x' }),
    code: 'ok',
  },
  {
    name: 'duplicate order id',
    given: [limit(1, 'a', 'buy', 100, 5)],
    when: limit(1, 'b', 'sell', 101, 1),
    code: 'duplicate_order_id',
    types: ['rejected'],
  },
  // Market status
  {
    name: 'halted market rejects new orders',
    given: [{ type: 'set_status', ts: 1, status: 'halted' }],
    when: limit(2, 'a', 'buy', 100, 1),
    code: 'market_halted',
    types: ['rejected'],
  },
  {
    name: 'halted market still cancels',
    given: [limit(1, 'a', 'buy', 100, 1), { type: 'set_status', ts: 2, status: 'halted' }],
    when: { type: 'cancel', ts: 3, orderId: 1 },
    code: 'ok',
    cancels: [[1, 'user']],
  },
  {
    name: 'halted market refuses amends',
    given: [limit(1, 'a', 'buy', 100, 1), { type: 'set_status', ts: 2, status: 'halted' }],
    when: { type: 'amend', ts: 3, orderId: 1, qty: 2 },
    code: 'market_halted',
    types: [],
  },
  {
    name: 'cancel-only market rejects new orders',
    given: [{ type: 'set_status', ts: 1, status: 'cancel_only' }],
    when: limit(2, 'a', 'buy', 100, 1),
    code: 'market_cancel_only',
  },
  {
    name: 'trading resumes',
    given: [
      { type: 'set_status', ts: 1, status: 'halted' },
      { type: 'set_status', ts: 2, status: 'trading' },
    ],
    when: limit(3, 'a', 'buy', 100, 1),
    code: 'ok',
  },
  // Validation
  {
    name: 'price off the tick grid',
    config: { tickSize: 5 },
    given: [],
    when: limit(1, 'a', 'buy', 102, 1),
    code: 'tick_size',
  },
  {
    name: 'quantity off the lot grid',
    config: { lotSize: 10 },
    given: [],
    when: limit(1, 'a', 'buy', 100, 15),
    code: 'lot_size',
  },
  {
    name: 'quantity below the minimum',
    config: { minQty: 5 },
    given: [],
    when: limit(1, 'a', 'buy', 100, 4),
    code: 'min_qty',
  },
  {
    name: 'notional below the minimum',
    config: { minNotional: 1000 },
    given: [],
    when: limit(1, 'a', 'buy', 99, 10),
    code: 'min_notional',
  },
  { name: 'zero price', given: [], when: limit(1, 'a', 'buy', 0, 1), code: 'invalid_price' },
  {
    name: 'fractional quantity',
    given: [],
    when: limit(1, 'a', 'buy', 100, 1.5),
    code: 'invalid_quantity',
  },
  {
    name: 'quote amount on a sell',
    given: [],
    when: mkt(1, 'a', 'sell', undefined, { quoteQty: 100 }),
    code: 'invalid_order',
  },
  {
    name: 'post-only IOC is contradictory',
    given: [],
    when: limit(1, 'a', 'buy', 100, 1, { postOnly: true, tif: 'IOC' }),
    code: 'invalid_order',
  },
  // Stops
  {
    name: 'stop-market triggers on the last trade and matches',
    given: [
      limit(1, 'b', 'sell', 100, 1),
      limit(2, 'b', 'sell', 101, 5),
      stop(3, 'c', 'buy', 100, 2),
    ],
    when: limit(4, 'a', 'buy', 100, 1),
    code: 'ok',
    types: ['accepted', 'trade', 'triggered', 'trade'],
    trades: [
      [100, 1, 1, 4],
      [101, 2, 2, 3],
    ],
    asks: [[101, 3, 1]],
  },
  {
    name: 'stops cascade one by one, lowest buy stop first',
    given: [
      limit(1, 'b', 'sell', 100, 1),
      limit(2, 'b', 'sell', 101, 1),
      limit(3, 'b', 'sell', 102, 1),
      stop(4, 'c', 'buy', 101, 1),
      stop(5, 'd', 'buy', 100, 1),
    ],
    when: limit(6, 'a', 'buy', 100, 1),
    code: 'ok',
    types: ['accepted', 'trade', 'triggered', 'accepted']
      .slice(0, 3)
      .concat(['trade', 'triggered', 'trade']),
    trades: [
      [100, 1, 1, 6],
      [101, 1, 2, 5],
      [102, 1, 3, 4],
    ],
    asks: [],
  },
  {
    name: 'sell stop-limit triggers and rests its remainder',
    given: [limit(1, 'b', 'buy', 100, 1), stop(2, 'c', 'sell', 100, 3, 99)],
    when: limit(3, 'a', 'sell', 100, 1),
    code: 'ok',
    types: ['accepted', 'trade', 'triggered'],
    asks: [[99, 3, 1]],
    bids: [],
  },
  {
    name: 'stop placed beyond the last price triggers at once',
    given: [limit(1, 'b', 'sell', 100, 1), mkt(2, 'a', 'buy', 1), limit(3, 'b', 'sell', 101, 1)],
    when: stop(4, 'c', 'buy', 99, 1),
    code: 'ok',
    types: ['accepted', 'triggered', 'trade'],
    trades: [[101, 1, 3, 4]],
  },
  {
    name: 'stop-market protected by the band around its stop price',
    config: { bandBps: 100 },
    given: [
      limit(1, 'b', 'sell', 100, 1),
      limit(2, 'b', 'sell', 110, 1),
      stop(3, 'c', 'buy', 100, 1),
    ],
    when: limit(4, 'a', 'buy', 100, 1),
    code: 'ok',
    cancels: [[3, 'price_band']],
    asks: [[110, 1, 1]],
  },
  {
    name: 'cancel a waiting stop',
    given: [stop(1, 'a', 'buy', 110, 1)],
    when: { type: 'cancel', ts: 2, orderId: 1 },
    code: 'ok',
    cancels: [[1, 'user']],
  },
  // Cancel-all and expiry
  {
    name: 'cancel-all for one user, in id order, stops included',
    given: [
      limit(3, 'a', 'buy', 100, 1),
      limit(1, 'b', 'buy', 99, 1),
      stop(2, 'a', 'buy', 110, 1),
      limit(4, 'a', 'sell', 120, 1),
    ],
    when: { type: 'cancel_all', ts: 5, userId: 'a' },
    code: 'ok',
    cancels: [
      [2, 'user'],
      [3, 'user'],
      [4, 'user'],
    ],
    bids: [[99, 1, 1]],
    asks: [],
  },
  {
    name: 'cancel-all when closing the market',
    given: [limit(1, 'a', 'buy', 100, 1), limit(2, 'b', 'sell', 101, 1)],
    when: { type: 'cancel_all', ts: 3, reason: 'market_closed' },
    code: 'ok',
    cancels: [
      [1, 'market_closed'],
      [2, 'market_closed'],
    ],
    bids: [],
    asks: [],
  },
  {
    name: 'expire ends an order as expired',
    given: [limit(1, 'a', 'buy', 100, 1)],
    when: { type: 'expire', ts: 2, orderId: 1 },
    code: 'ok',
    types: ['expired'],
    bids: [],
  },
];

describe.each(ENGINES)('%s scenarios', (_name, make) => {
  it.each(SCENARIOS)('$name', (s) => {
    const book = make(market(s.config));
    setup(book, s.given);
    const { code, events } = book.run(s.when);
    expect(code).toBe(s.code);
    if (s.types) expect(events.map((e) => e.type)).toEqual(s.types);
    if (s.trades) expect(trades(events)).toEqual(s.trades);
    if (s.cancels) expect(cancels(events)).toEqual(s.cancels);
    if (s.bids) expect(levels(book, 'buy')).toEqual(s.bids);
    if (s.asks) expect(levels(book, 'sell')).toEqual(s.asks);
    expect(book.checkInvariants()).toEqual([]);
  });
});
