// One-cancels-the-other pairs in the engine: both legs or neither, and the first fill,
// trigger, cancel or expiry of one leg ends the other in the same command (a bracket pair's
// stop follows a partial fill of its limit instead). Every case runs on
// the fast book and the reference oracle, which must also give identical events.
import { describe, expect, it } from 'vitest';
import type {
  Command,
  EngineEvent,
  MatchingEngine,
  PlaceCommand,
  PlaceOcoCommand,
  Side,
} from '../../../src-main/domain/exchange';
import { OrderBook, ReferenceBook } from '../../../src-main/domain/exchange';
import { ENGINES, cancels, levels, limit, market, mkt, setup, trades } from './helpers';

/**
 * An OCO of `user`: a post-only limit leg (id) at `price` and a stop leg (id + 1) at
 * `stopPrice` (stop-limit at `stopLimit`, else stop-market), `qty` lots each.
 */
function oco(
  id: number,
  user: string,
  side: Side,
  price: number,
  stopPrice: number,
  qty: number,
  stopLimit?: number,
): PlaceOcoCommand {
  const stop: PlaceCommand = {
    type: 'place',
    ts: id,
    orderId: id + 1,
    userId: user,
    side,
    kind: stopLimit === undefined ? 'stop_market' : 'stop_limit',
    stopPrice,
    qty,
    ...(stopLimit === undefined ? {} : { price: stopLimit }),
  };
  return {
    type: 'place_oco',
    ts: id,
    limit: limit(id, user, side, price, qty, { postOnly: true }),
    stop,
  };
}

/** A book with a last price of 100 (one trade between m1 and m2) and `more` on top. */
function bookAt100(make: () => MatchingEngine, more: Command[] = []): MatchingEngine {
  const book = make();
  setup(book, [limit(1, 'm1', 'sell', 100, 1), mkt(2, 'm2', 'buy', 1), ...more]);
  return book;
}

const openIds = (book: MatchingEngine) => {
  const s = book.snapshot();
  return [...s.orders, ...s.stops].map((o) => o.orderId).sort((a, b) => a - b);
};

describe.each(ENGINES)('OCO on %s', (_name, make) => {
  const engine = () => make(market());

  it('accepts both legs, linked: the limit rests and the stop waits', () => {
    const book = bookAt100(engine);
    const r = book.run(oco(10, 'a', 'sell', 110, 90, 5, 89));
    expect(r.code).toBe('ok');
    expect(r.events.map((e) => [e.type, 'orderId' in e ? e.orderId : 0])).toEqual([
      ['accepted', 10],
      ['accepted', 11],
    ]);
    expect(r.events.map((e) => (e.type === 'accepted' ? e.linkedOrderId : 0))).toEqual([11, 10]);
    expect(levels(book, 'sell')).toEqual([[110, 5, 1]]);
    expect(book.getOrder(11)).toMatchObject({ kind: 'stop_limit', linkedOrderId: 10 });
    expect(book.getOrder(10)).toMatchObject({ kind: 'limit', linkedOrderId: 11 });
    expect(book.checkInvariants()).toEqual([]);
  });

  it('a fill of the limit leg, even partial, cancels the stop leg in the same command', () => {
    // Inside the 5 % band around the last price (100), as market orders must be.
    const book = bookAt100(engine, [oco(10, 'a', 'sell', 104, 97, 5, 96)]);
    const r = book.run(mkt(20, 'b', 'buy', 2));
    expect(trades(r.events)).toEqual([[104, 2, 10, 20]]);
    expect(cancels(r.events)).toEqual([[11, 'oco']]);
    expect(book.getOrder(10)).toMatchObject({ qty: 3, filledQty: 2 });
    expect(book.getOrder(10)?.linkedOrderId).toBeUndefined();
    expect(openIds(book)).toEqual([10]);
    // The rest of the limit leg now trades as a lone order: nothing more to cancel.
    const rest = book.run(mkt(21, 'b', 'buy', 3));
    expect(trades(rest.events)).toEqual([[104, 3, 10, 21]]);
    expect(cancels(rest.events)).toEqual([]);
    expect(book.checkInvariants()).toEqual([]);
  });

  it('the stop triggering cancels the limit leg before the stop runs', () => {
    const book = bookAt100(engine, [
      oco(10, 'a', 'sell', 104, 97, 5),
      limit(20, 'b', 'buy', 97, 1),
      limit(21, 'b', 'buy', 96, 10),
    ]);
    const r = book.run(mkt(30, 'c', 'sell', 1)); // trades at 97: the sell stop at 97 holds
    expect(r.events.map((e) => e.type)).toEqual([
      'accepted',
      'trade',
      'triggered',
      'cancelled',
      'trade',
    ]);
    expect(cancels(r.events)).toEqual([[10, 'oco']]);
    expect(trades(r.events)).toEqual([
      [97, 1, 20, 30],
      [96, 5, 21, 11],
    ]);
    expect(levels(book, 'sell')).toEqual([]);
    expect(openIds(book)).toEqual([21]);
  });

  it('cancelling or expiring one leg ends the other (reason oco)', () => {
    const book = bookAt100(engine, [oco(10, 'a', 'buy', 90, 110, 5, 111)]);
    const r = book.run({ type: 'cancel', ts: 20, orderId: 11, userId: 'a' });
    expect(cancels(r.events)).toEqual([
      [11, 'user'],
      [10, 'oco'],
    ]);
    expect(openIds(book)).toEqual([]);
    setup(book, [oco(30, 'a', 'buy', 90, 110, 5, 111)]);
    const e = book.run({ type: 'expire', ts: 40, orderId: 30 });
    expect(e.events.map((x) => x.type)).toEqual(['expired', 'cancelled']);
    expect(cancels(e.events)).toEqual([[31, 'oco']]);
    expect(openIds(book)).toEqual([]);
  });

  it('cancel-all ends both legs for the reason asked, once each', () => {
    const book = bookAt100(engine, [oco(10, 'a', 'sell', 110, 90, 5, 89)]);
    const r = book.run({ type: 'cancel_all', ts: 20, userId: 'a', reason: 'dead_man_switch' });
    expect(cancels(r.events)).toEqual([
      [10, 'dead_man_switch'],
      [11, 'dead_man_switch'],
    ]);
    expect(openIds(book)).toEqual([]);
  });

  it('self-trade prevention removing the limit leg ends the stop leg too', () => {
    const book = bookAt100(engine, [oco(10, 'a', 'sell', 110, 90, 5, 89)]);
    const r = book.run(limit(20, 'a', 'buy', 110, 1, { stp: 'cancel_oldest' }));
    expect(cancels(r.events)).toEqual([
      [10, 'stp'],
      [11, 'oco'],
    ]);
    expect(openIds(book)).toEqual([20]);
  });

  it('refuses to amend a linked leg', () => {
    const book = bookAt100(engine, [oco(10, 'a', 'sell', 110, 90, 5, 89)]);
    expect(book.execute({ type: 'amend', ts: 20, orderId: 10, price: 120 })).toBe(
      'order_not_amendable',
    );
  });

  it('refuses a malformed pair whole, with a rejected event per leg', () => {
    const cases: Array<[PlaceOcoCommand, string]> = [
      // A sell stop at or above the last price (100) would trigger at once.
      [oco(10, 'a', 'sell', 110, 100, 5, 99), 'stop_would_trigger'],
      [oco(10, 'a', 'buy', 90, 100, 5, 101), 'stop_would_trigger'],
      // The limit must be on the profit side of the stop.
      [oco(10, 'a', 'sell', 80, 90, 5, 89), 'invalid_price'],
      [
        { ...oco(10, 'a', 'sell', 110, 90, 5), stop: { ...oco(10, 'a', 'sell', 110, 90, 4).stop } },
        'invalid_order',
      ],
      [
        { ...oco(10, 'a', 'sell', 110, 90, 5), stop: { ...oco(10, 'b', 'sell', 110, 90, 5).stop } },
        'invalid_order',
      ],
      [
        { ...oco(10, 'a', 'sell', 110, 90, 5), limit: limit(10, 'a', 'sell', 110, 5) },
        'invalid_order',
      ],
      [
        { ...oco(10, 'a', 'sell', 110, 90, 5), stop: limit(11, 'a', 'sell', 120, 5) },
        'invalid_order',
      ],
      [
        {
          ...oco(10, 'a', 'sell', 110, 90, 5),
          stop: { ...oco(10, 'a', 'sell', 110, 90, 5).stop, orderId: 10 },
        },
        'invalid_order',
      ],
      // The limit leg is post-only: it may not cross the resting bid at 100.
      [oco(10, 'a', 'buy', 100, 120, 5), 'post_only_would_take'],
      // An id already open.
      [oco(3, 'a', 'sell', 110, 90, 5), 'duplicate_order_id'],
    ];
    for (const [cmd, code] of cases) {
      const book = bookAt100(engine, [
        limit(3, 'm3', 'sell', 100, 1),
        limit(4, 'm4', 'buy', 99, 1),
      ]);
      const before = book.snapshot();
      const r = book.run(cmd);
      expect([r.code, r.events.map((e) => e.type)], JSON.stringify(cmd)).toEqual([
        code,
        ['rejected', 'rejected'],
      ]);
      expect(book.snapshot()).toEqual({ ...before, lastSeq: before.lastSeq + 2 });
    }
  });

  it('a bracket pair: a partial fill of the limit shrinks the stop to the rest, a full fill ends it', () => {
    const book = bookAt100(engine, [{ ...oco(10, 'a', 'sell', 104, 97, 5, 96), bracket: true }]);
    const r = book.run(mkt(20, 'b', 'buy', 2));
    expect(trades(r.events)).toEqual([[104, 2, 10, 20]]);
    expect(cancels(r.events)).toEqual([]);
    expect(r.events.filter((e) => e.type === 'amended')).toMatchObject([
      { orderId: 11, oldQty: 5, qty: 3, lostPriority: false, followsLinked: true },
    ]);
    expect(book.getOrder(11)).toMatchObject({ qty: 3, linkedOrderId: 10, bracket: true });
    expect(book.getOrder(10)).toMatchObject({ qty: 3, filledQty: 2, linkedOrderId: 11 });
    expect(book.checkInvariants()).toEqual([]);
    // The rest fills: the stop ends with it.
    const rest = book.run(mkt(21, 'b', 'buy', 3));
    expect(cancels(rest.events)).toEqual([[11, 'oco']]);
    expect(openIds(book)).toEqual([]);
  });

  it('a bracket pair: the shrunk stop triggers for the rest, ending the limit', () => {
    const book = bookAt100(engine, [
      { ...oco(10, 'a', 'sell', 104, 97, 5), bracket: true },
      limit(20, 'b', 'buy', 97, 1),
      limit(21, 'b', 'buy', 96, 10),
    ]);
    book.run(mkt(30, 'c', 'buy', 2)); // 2 of the take-profit at 104: the stop covers 3
    const r = book.run(limit(31, 'c', 'sell', 97, 1)); // trades at 97: the stop triggers
    expect(cancels(r.events)).toEqual([[10, 'oco']]);
    expect(trades(r.events)).toEqual([
      [97, 1, 20, 31],
      [96, 3, 21, 11],
    ]);
    expect(openIds(book)).toEqual([21]);
  });

  it('keeps a bracket pair through a snapshot round trip', () => {
    const book = bookAt100(engine, [{ ...oco(10, 'a', 'sell', 104, 97, 5, 96), bracket: true }]);
    const snap = book.snapshot();
    expect(snap.stops[0]).toMatchObject({ orderId: 11, bracket: true });
    const copy =
      book instanceof OrderBook ? OrderBook.fromSnapshot(snap) : ReferenceBook.fromSnapshot(snap);
    expect(copy.snapshot()).toEqual(snap);
    const r = copy.run(mkt(20, 'b', 'buy', 1));
    expect(cancels(r.events)).toEqual([]);
    expect(copy.getOrder(11)).toMatchObject({ qty: 4 });
  });

  it('keeps the link through a snapshot round trip', () => {
    const book = bookAt100(engine, [oco(10, 'a', 'sell', 104, 97, 5, 96)]);
    const snap = book.snapshot();
    const copy =
      book instanceof OrderBook ? OrderBook.fromSnapshot(snap) : ReferenceBook.fromSnapshot(snap);
    expect(copy.snapshot()).toEqual(snap);
    expect(copy.checkInvariants()).toEqual([]);
    const r = copy.run(mkt(20, 'b', 'buy', 1));
    expect(cancels(r.events)).toEqual([[11, 'oco']]);
  });
});

/** The stop leg of an OCO made trailing (activation price optional). */
function trailStopLeg(
  id: number,
  user: string,
  side: Side,
  qty: number,
  trailBps: number,
  activation?: number,
): PlaceCommand {
  return {
    type: 'place',
    ts: id,
    orderId: id,
    userId: user,
    side,
    kind: 'stop_market',
    qty,
    trailBps,
    ...(activation !== undefined ? { stopPrice: activation } : {}),
  };
}

it('the fast book and the oracle give the same events for a run of OCO commands', () => {
  const cmds: Command[] = [
    limit(1, 'm1', 'sell', 100, 1),
    mkt(2, 'm2', 'buy', 1), // last 100; market orders trade within 5 % of the last price
    oco(10, 'a', 'sell', 104, 97, 5, 96),
    oco(12, 'b', 'buy', 98, 103, 3),
    oco(14, 'c', 'sell', 102, 96, 2),
    limit(20, 'd', 'buy', 99, 4),
    mkt(21, 'e', 'sell', 5), // 4 at 99, 1 at 98 (b's limit leg): b's stop 13 goes
    limit(22, 'f', 'sell', 101, 2),
    mkt(23, 'g', 'buy', 4), // 2 at 101, 2 at 102 (c's limit leg): c's stop 15 goes
    limit(25, 'i', 'buy', 97, 1),
    mkt(26, 'h', 'sell', 8), // 98, then 97: a's stop triggers, a's limit 10 goes
    oco(40, 'j', 'buy', 90, 110, 1),
    { type: 'cancel', ts: 41, orderId: 41 }, // its limit leg 40 goes
    { type: 'cancel_all', ts: 50 },
    // Bracket pairs on an empty book: a partial fill of k's take-profit shrinks its stop; the
    // trade at 103 triggers l's buy stop, which ends l's limit and buys k's rest, ending k's stop.
    limit(60, 'm1', 'sell', 100, 1),
    mkt(61, 'm2', 'buy', 1), // last 100
    { ...oco(62, 'k', 'sell', 103, 95, 4), bracket: true },
    { ...oco(64, 'l', 'buy', 97, 102, 3), bracket: true },
    mkt(66, 'n', 'buy', 1),
    // Trailing stop legs: p's sell stop trails the rise to 104 and triggers on the fall to 99,
    // ending p's limit; q's buy stop waits for 101 to start trailing.
    { type: 'cancel_all', ts: 70 },
    limit(71, 'm1', 'sell', 100, 1),
    mkt(72, 'm2', 'buy', 1), // last 100
    { ...oco(73, 'p', 'sell', 106, 1, 2), stop: { ...trailStopLeg(74, 'p', 'sell', 2, 500) } },
    { ...oco(75, 'q', 'buy', 95, 101, 1), stop: { ...trailStopLeg(76, 'q', 'buy', 1, 300, 101) } },
    limit(77, 'm1', 'sell', 104, 1),
    mkt(78, 'm2', 'buy', 1), // last 104: p's stop 98.8 → 98; q activates at 104 (stop 108)
    limit(79, 'm2', 'buy', 99, 3),
    mkt(80, 'm1', 'sell', 1), // last 99: p's stop (98) holds…
    limit(81, 'm2', 'buy', 98, 3),
    mkt(82, 'm1', 'sell', 3), // 99 × 2 then 98: p's stop triggers, sells 2 at 98; p's limit goes
  ];
  const fast = new OrderBook(market());
  const oracle = new ReferenceBook(market());
  const events: EngineEvent[][] = [[], []];
  for (const cmd of cmds) {
    events[0]!.push(...fast.run(cmd).events);
    events[1]!.push(...oracle.run(cmd).events);
    expect(fast.snapshot()).toEqual(oracle.snapshot());
    expect(fast.checkInvariants({ allowCrossed: true })).toEqual([]);
  }
  expect(events[0]).toEqual(events[1]);
  expect(events[0]!.filter((e) => e.type === 'cancelled' && e.reason === 'oco')).toMatchObject([
    { orderId: 13 },
    { orderId: 15 },
    { orderId: 10 },
    { orderId: 40 },
    { orderId: 64 },
    { orderId: 63 },
    { orderId: 73 },
  ]);
  expect(events[0]!.filter((e) => e.type === 'amended')).toMatchObject([
    { orderId: 63, oldQty: 4, qty: 3, followsLinked: true },
  ]);
  // p's stop moves once (104); q's activates at 104, then follows the lows 99 and 98.
  expect(events[0]!.filter((e) => e.type === 'trailed').map((e) => e.orderId)).toEqual([
    74, 76, 76, 76,
  ]);
  expect(events[0]!.filter((e) => e.type === 'triggered').map((e) => e.orderId)).toContain(74);
});
