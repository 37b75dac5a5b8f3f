// Trailing stops in the engine (Binance's `trailingDelta`): the stop follows the best trade
// price since it started tracking, `trailBps` behind it; with a stop price it first waits for
// that activation price. Scenarios B and E are Binance's trailing-stop FAQ examples (prices in
// whole dollars, tick 1). Every case runs on the fast book and the reference oracle, and the
// two must give identical events.
import { describe, expect, it } from 'vitest';
import type {
  EngineEvent,
  MatchingEngine,
  PlaceCommand,
  PlaceOcoCommand,
} from '../../../src-main/domain/exchange';
import { OrderBook, ReferenceBook, trailStop } from '../../../src-main/domain/exchange';
import { ENGINES, limit, market, mkt, Tape } from './helpers';

/** A trailing stop of user `a` (stop-limit when `price` is given). */
function trailing(
  id: number,
  side: 'buy' | 'sell',
  qty: number,
  trailBps: number,
  extra: Partial<PlaceCommand> = {},
): PlaceCommand {
  return {
    type: 'place',
    ts: id,
    orderId: id,
    userId: 'a',
    side,
    kind: extra.price === undefined ? 'stop_market' : 'stop_limit',
    qty,
    trailBps,
    ...(extra.price === undefined ? {} : { tif: 'GTC' as const }),
    ...extra,
  };
}

const trailedOf = (events: EngineEvent[], orderId: number) =>
  events.flatMap((e) =>
    e.type === 'trailed' && e.orderId === orderId ? [[e.anchor, e.stopPrice]] : [],
  );
const triggeredOf = (events: EngineEvent[], orderId: number) =>
  events.filter((e) => e.type === 'triggered' && e.orderId === orderId);
const stopOf = (book: MatchingEngine, id: number) =>
  book.snapshot().stops.find((o) => o.orderId === id);

function bookAt(make: () => MatchingEngine, last: number): { book: MatchingEngine; tape: Tape } {
  const book = make();
  const tape = new Tape(book);
  tape.tradeAt(last);
  return { book, tape };
}

describe('trailStop', () => {
  it('rounds away from the anchor onto the tick grid', () => {
    expect(trailStop('sell', 45_500, 700, 0, 1)).toBe(42_315);
    expect(trailStop('sell', 110, 500, 0, 1)).toBe(104); // 104.5 floors
    expect(trailStop('buy', 42_000, 500, 0, 1)).toBe(44_100);
    expect(trailStop('buy', 101, 500, 0, 1)).toBe(107); // 106.05 ceils
    expect(trailStop('sell', 1000, 100, 0, 25)).toBe(975); // 990 → 975 on a 25-tick grid
    expect(trailStop('buy', 1000, 100, 0, 25)).toBe(1025);
    expect(trailStop('sell', 1, 5000, 0, 1)).toBe(1); // never below one tick
  });

  it('trails by an amount in price units when bps is 0', () => {
    expect(trailStop('sell', 45_500, 0, 250, 1)).toBe(45_250);
    expect(trailStop('buy', 42_000, 0, 250, 1)).toBe(42_250);
    expect(trailStop('sell', 1000, 0, 50, 25)).toBe(950);
    expect(trailStop('sell', 300, 0, 500, 25)).toBe(25); // never below one tick
  });
});

describe.each(ENGINES)('trailing stops (%s)', (_name, make) => {
  const fresh = () => make(market());

  it("Binance's scenario E: a sell tracks from placement and triggers 7 % under the high", () => {
    const { book, tape } = bookAt(fresh, 40_000);
    const placed = book.run(trailing(1, 'sell', 1, 700, { price: 39_000 }));
    const accepted = placed.events[0];
    expect(accepted).toMatchObject({ type: 'accepted', stopPrice: 37_200, trailBps: 700 });
    expect(accepted).toMatchObject({ trailAnchor: 40_000 });
    const up = tape.path(41_000, 42_000, 39_500);
    expect(trailedOf(up, 1)).toEqual([
      [41_000, 38_130],
      [42_000, 39_060],
    ]);
    expect(triggeredOf(up, 1)).toEqual([]);
    const more = tape.path(45_500, 42_316);
    expect(trailedOf(more, 1)).toEqual([[45_500, 42_315]]);
    expect(triggeredOf(more, 1)).toEqual([]);
    const fall = tape.tradeAt(42_315);
    expect(triggeredOf(fall, 1)).toMatchObject([{ stopPrice: 42_315, lastPrice: 42_315 }]);
    // A stop-limit: it now rests at its fixed limit price of 39,000 (nothing bids there).
    expect(book.snapshot().orders.find((o) => o.orderId === 1)).toMatchObject({ price: 39_000 });
  });

  it("Binance's scenario B: with a stop price it waits, then trails from the first trade under it", () => {
    const { book, tape } = bookAt(fresh, 40_000);
    book.run(trailing(1, 'sell', 1, 1000, { stopPrice: 39_000, price: 38_000 }));
    // Above the activation price nothing moves: the order is not tracking yet.
    expect(trailedOf(tape.path(41_500, 40_000), 1)).toEqual([]);
    expect(stopOf(book, 1)).toMatchObject({ stopPrice: 39_000, trailAnchor: 0 });
    const activated = tape.tradeAt(39_000);
    expect(trailedOf(activated, 1)).toEqual([[39_000, 35_100]]);
    expect(triggeredOf(activated, 1)).toEqual([]);
    expect(trailedOf(tape.path(37_000), 1)).toEqual([]); // down ~5 %: no trigger, no move
    expect(trailedOf(tape.path(41_000), 1)).toEqual([[41_000, 36_900]]);
    expect(triggeredOf(tape.tradeAt(36_901), 1)).toEqual([]);
    expect(triggeredOf(tape.tradeAt(36_900), 1)).toHaveLength(1);
  });

  it('a buy follows the low and triggers the delta above it', () => {
    const { book, tape } = bookAt(fresh, 100);
    book.run(trailing(1, 'buy', 1, 500, { price: 120 }));
    expect(stopOf(book, 1)).toMatchObject({ stopPrice: 105, trailAnchor: 100 });
    expect(trailedOf(tape.path(101, 104, 90, 95), 1)).toEqual([[90, 95]]);
    // 95 itself meets the stop of 94.5 → 95: the trade at 95 triggered it.
    const snap = book.snapshot();
    expect(snap.stops.find((o) => o.orderId === 1)).toBeUndefined();
  });

  it('a trade that is not a new best leaves the stop where it is', () => {
    const { book, tape } = bookAt(fresh, 100);
    book.run(trailing(1, 'sell', 1, 1000));
    expect(trailedOf(tape.path(100, 99, 95, 100), 1)).toEqual([]);
    expect(stopOf(book, 1)).toMatchObject({ stopPrice: 90, trailAnchor: 100 });
  });

  it('an activation price already met at placement starts tracking at once', () => {
    const { book } = bookAt(fresh, 100);
    const r = book.run(trailing(1, 'sell', 1, 500, { stopPrice: 102 }));
    expect(r.events.map((e) => e.type)).toEqual(['accepted', 'trailed']);
    expect(stopOf(book, 1)).toMatchObject({ stopPrice: 95, trailAnchor: 100, trailFrom: 102 });
  });

  it('refuses one without a stop price on a market that never traded', () => {
    const book = fresh();
    const r = book.run(trailing(1, 'sell', 1, 500));
    expect(r.code).toBe('no_reference_price');
    expect(r.events).toMatchObject([{ type: 'rejected', code: 'no_reference_price' }]);
    // With an activation price it waits for the first trade instead.
    expect(book.run(trailing(2, 'sell', 1, 500, { stopPrice: 100 })).code).toBe('ok');
  });

  it.each([
    ['0 bps', { trailBps: 0 }],
    ['over 5000 bps', { trailBps: 5001 }],
    ['a fraction', { trailBps: 2.5 }],
    ['on a limit order', { kind: 'limit' as const, price: 100, tif: 'GTC' as const }],
  ])('refuses a trail of %s', (_label, extra) => {
    const { book } = bookAt(fresh, 100);
    expect(book.run(trailing(1, 'sell', 1, 500, extra)).code).toBe('invalid_order');
  });

  it('an OCO pair with a trailing stop leg: the stop trails, the limit still takes profit', () => {
    const { book, tape } = bookAt(fresh, 100);
    const pair = (id: number, extra: Partial<PlaceCommand> = {}): PlaceOcoCommand => ({
      type: 'place_oco',
      ts: id,
      limit: limit(id, 'a', 'sell', 110, 2, { postOnly: true }),
      stop: trailing(id + 1, 'sell', 2, 500, extra),
      bracket: true,
    });
    expect(book.run(pair(1)).code).toBe('ok');
    expect(stopOf(book, 2)).toMatchObject({ stopPrice: 95, linkedOrderId: 1, trailAnchor: 100 });
    expect(trailedOf(tape.path(104, 108), 2)).toEqual([
      [104, 98],
      [108, 102],
    ]);
    // A buyer takes 1 of the take-profit at 110: the bracket's stop follows the rest, trailing
    // from 110 (the trade at the limit's price is a new high).
    const r = book.run(limit(50, 'b', 'buy', 110, 1, { tif: 'IOC' }));
    expect(r.events.map((e) => e.type)).toEqual(['accepted', 'trade', 'amended', 'trailed']);
    expect(stopOf(book, 2)).toMatchObject({ qty: 1, stopPrice: 104, trailAnchor: 110 });
    // The fall to 104 triggers the stop for the rest and ends the take-profit.
    const fall = tape.tradeAt(104);
    expect(triggeredOf(fall, 2)).toHaveLength(1);
    expect(fall).toContainEqual(
      expect.objectContaining({ type: 'cancelled', orderId: 1, reason: 'oco' }),
    );
    // With an activation price the leg waits; one the last price already meets is refused.
    expect(book.run(pair(60, { stopPrice: 90 })).code).toBe('ok');
    expect(stopOf(book, 61)).toMatchObject({ stopPrice: 90, trailAnchor: 0, trailFrom: 90 });
    expect(book.run(pair(70, { stopPrice: 105 })).code).toBe('stop_would_trigger');
  });

  it('refuses an OCO whose trailing stop leg has nothing to trail from', () => {
    const book = fresh();
    const pair: PlaceOcoCommand = {
      type: 'place_oco',
      ts: 1,
      limit: limit(1, 'a', 'sell', 110, 1, { postOnly: true }),
      stop: trailing(2, 'sell', 1, 500),
    };
    const r = book.run(pair);
    expect(r.code).toBe('no_reference_price');
    expect(r.events.map((e) => e.type)).toEqual(['rejected', 'rejected']);
  });

  it('a moved stop goes behind the stops already at its new price', () => {
    const { book, tape } = bookAt(fresh, 100);
    book.run({ ...trailing(1, 'sell', 1, 1000), trailBps: undefined, stopPrice: 99 });
    book.run(trailing(2, 'sell', 1, 100)); // stop 99 from 100: placed behind order 1
    book.run({ ...trailing(3, 'sell', 1, 1000), trailBps: undefined, stopPrice: 99 });
    tape.tradeAt(101); // order 2's stop: floor(99.99) = 99, anchor 101: moved? no, same price
    expect(book.snapshot().stops.map((s) => s.orderId)).toEqual([1, 2, 3]);
    tape.tradeAt(102); // 100.98 → 100: order 2 leaves 99 for 100
    tape.tradeAt(101); // neither triggers nor moves
    expect(book.snapshot().stops.map((s) => [s.orderId, s.stopPrice])).toEqual([
      [2, 100],
      [1, 99],
      [3, 99],
    ]);
  });

  it('a gap above a buy stop-market’s activation does not band it past what it holds', () => {
    const { book, tape } = bookAt(() => make(market({ bandBps: 100 })), 100);
    // Activation 110, 5 %: held and banded around 116 (110 × 1.05 = 115.5 → 116), +1 %.
    book.run(trailing(1, 'buy', 2, 500, { stopPrice: 110 }));
    // An ask at 138: inside a band around the stop it reached (137 × 1.01), outside its hold's.
    book.run(limit(50, 'm3', 'sell', 138, 5));
    const gap = tape.tradeAt(130); // activates at 130: stop 137
    expect(trailedOf(gap, 1)).toEqual([[130, 137]]);
    const r = tape.tradeAt(137);
    expect(triggeredOf(r, 1)).toHaveLength(1);
    // Banded around min(137, 116) = 116 → at most 117: the ask at 138 is not bought.
    expect(r.filter((e) => e.type === 'trade' && e.takerOrderId === 1)).toEqual([]);
    expect(r).toContainEqual(
      expect.objectContaining({ type: 'cancelled', orderId: 1, reason: 'price_band' }),
    );
  });

  it('a sell trailing by an amount follows the high that many price units behind', () => {
    const { book, tape } = bookAt(fresh, 40_000);
    const placed = book.run(trailing(1, 'sell', 1, 0, { trailBps: undefined, trailAmount: 500 }));
    expect(placed.events[0]).toMatchObject({ type: 'accepted', stopPrice: 39_500 });
    expect(placed.events[0]).toMatchObject({ trailAmount: 500, trailAnchor: 40_000 });
    expect(placed.events[0]).not.toHaveProperty('trailBps');
    expect(trailedOf(tape.path(41_000, 40_800, 42_250), 1)).toEqual([
      [41_000, 40_500],
      [42_250, 41_750],
    ]);
    expect(triggeredOf(tape.tradeAt(41_751), 1)).toEqual([]);
    expect(triggeredOf(tape.tradeAt(41_750), 1)).toMatchObject([{ stopPrice: 41_750 }]);
  });

  it('a buy trailing by an amount waits for its activation price, then follows the low', () => {
    const { book, tape } = bookAt(fresh, 100);
    book.run(trailing(1, 'buy', 1, 0, { trailBps: undefined, trailAmount: 4, stopPrice: 104 }));
    expect(trailedOf(tape.path(101, 103), 1)).toEqual([]);
    expect(trailedOf(tape.tradeAt(104), 1)).toEqual([[104, 108]]);
    expect(trailedOf(tape.path(101, 102), 1)).toEqual([[101, 105]]);
    expect(triggeredOf(tape.tradeAt(105), 1)).toHaveLength(1);
  });

  it.each([
    ['0', { trailAmount: 0 }, 'invalid_price'],
    ['a fraction', { trailAmount: 2.5 }, 'invalid_price'],
    ['off the tick', { trailAmount: 30 }, 'tick_size'],
    ['with trailBps too', { trailAmount: 50, trailBps: 500 }, 'invalid_order'],
    [
      'on a limit order',
      { kind: 'limit' as const, price: 100, tif: 'GTC' as const },
      'invalid_order',
    ],
  ])('refuses a trail by an amount of %s', (_label, extra, code) => {
    const { book } = bookAt(() => make(market({ tickSize: 25 })), 1000);
    const cmd = trailing(1, 'sell', 1, 0, { trailBps: undefined, trailAmount: 50, ...extra });
    expect(book.run(cmd).code).toBe(code);
  });

  it('an OCO stop leg may trail by an amount', () => {
    const { book, tape } = bookAt(fresh, 100);
    const r = book.run({
      type: 'place_oco',
      ts: 1,
      limit: limit(1, 'a', 'sell', 110, 1, { postOnly: true }),
      stop: trailing(2, 'sell', 1, 0, { trailBps: undefined, trailAmount: 6 }),
    });
    expect(r.code).toBe('ok');
    expect(stopOf(book, 2)).toMatchObject({ stopPrice: 94, trailAmount: 6, trailAnchor: 100 });
    expect(trailedOf(tape.path(105), 2)).toEqual([[105, 99]]);
    const fall = tape.tradeAt(99);
    expect(triggeredOf(fall, 2)).toHaveLength(1);
    expect(fall).toContainEqual(
      expect.objectContaining({ type: 'cancelled', orderId: 1, reason: 'oco' }),
    );
  });

  it('snapshots keep the anchor and the activation, and a rebuilt book trails on', () => {
    const { book, tape } = bookAt(fresh, 100);
    book.run(trailing(1, 'sell', 1, 500));
    book.run(trailing(2, 'buy', 1, 500, { stopPrice: 110 }));
    book.run(trailing(3, 'sell', 1, 0, { trailBps: undefined, trailAmount: 7 }));
    tape.path(104);
    const snap = book.snapshot();
    expect(snap.stops).toContainEqual(
      expect.objectContaining({ orderId: 3, trailAmount: 7, trailAnchor: 104, stopPrice: 97 }),
    );
    expect(snap.stops).toContainEqual(
      expect.objectContaining({ orderId: 1, trailBps: 500, trailAnchor: 104, stopPrice: 98 }),
    );
    expect(snap.stops).toContainEqual(
      expect.objectContaining({ orderId: 2, trailAnchor: 0, trailFrom: 110, stopPrice: 110 }),
    );
    for (const rebuilt of [
      OrderBook.fromSnapshot(structuredClone(snap)),
      ReferenceBook.fromSnapshot(structuredClone(snap)),
    ]) {
      expect(rebuilt.snapshot()).toEqual(snap);
      expect(rebuilt.checkInvariants()).toEqual([]);
      const t = new Tape(rebuilt);
      const moved = t.path(110);
      expect(trailedOf(moved, 1)).toEqual([[110, 104]]);
      expect(trailedOf(moved, 3)).toEqual([[110, 103]]);
    }
  });
});

it('both engines give the same events for a trailing walk', () => {
  const fast = new OrderBook(market());
  const ref = new ReferenceBook(market());
  const cmds: PlaceCommand[] = [limit(1, 'm1', 'sell', 100, 1), mkt(2, 'm2', 'buy', 1)];
  cmds.push(trailing(3, 'sell', 2, 300), trailing(4, 'buy', 2, 300, { stopPrice: 97 }));
  cmds.push(trailing(5, 'sell', 1, 0, { trailBps: undefined, trailAmount: 4 }));
  cmds.push(trailing(6, 'buy', 1, 0, { trailBps: undefined, trailAmount: 2, stopPrice: 98 }));
  let id = 10;
  for (const p of [101, 103, 99, 97, 96, 98, 100, 104, 100, 95]) {
    cmds.push(limit(id++, 'm1', 'sell', p, 1), limit(id++, 'm2', 'buy', p, 1, { tif: 'IOC' }));
  }
  const kinds = new Set<string>();
  for (const c of cmds) {
    const a = fast.run(c);
    expect(ref.run(c)).toEqual(a);
    for (const e of a.events) kinds.add(e.type);
  }
  expect([...kinds]).toEqual(expect.arrayContaining(['trailed', 'triggered']));
  expect(fast.snapshot()).toEqual(ref.snapshot());
});
