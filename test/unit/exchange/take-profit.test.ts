// Take-profit orders (Binance's TAKE_PROFIT / TAKE_PROFIT_LIMIT): they wait like stops, but
// trigger when the price moves for the order — a sell's when the last trade is at or above its
// stop price, a buy's at or below — and then run as a market or limit order. Every case runs
// on the fast book and the reference oracle with the same expectations written out here (the
// property test only checks that the two agree, so the direction itself is pinned here).
import { describe, expect, it } from 'vitest';
import type { EngineEvent, MatchingEngine, PlaceCommand } from '../../../src-main/domain/exchange';
import { holdRequirement, OrderBook, ReferenceBook } from '../../../src-main/domain/exchange';
import { ENGINES, limit, market, Tape, trades } from './helpers';

function takeProfit(
  id: number,
  side: 'buy' | 'sell',
  qty: number,
  stopPrice: number,
  extra: Partial<PlaceCommand> = {},
): PlaceCommand {
  const limitPrice = extra.price !== undefined;
  return {
    type: 'place',
    ts: id,
    orderId: id,
    userId: 'a',
    side,
    kind: limitPrice ? 'take_profit_limit' : 'take_profit_market',
    qty,
    stopPrice,
    ...(limitPrice ? { tif: 'GTC' as const } : {}),
    ...extra,
  };
}

const triggered = (events: EngineEvent[]) =>
  events.flatMap((e) => (e.type === 'triggered' ? [[e.orderId, e.stopPrice, e.lastPrice]] : []));
const waiting = (book: MatchingEngine) => book.snapshot().stops.map((o) => o.orderId);

function bookAt(make: () => MatchingEngine, last: number): { book: MatchingEngine; tape: Tape } {
  const book = make();
  const tape = new Tape(book);
  tape.tradeAt(last);
  return { book, tape };
}

describe.each(ENGINES)('take-profit orders (%s)', (_name, make) => {
  const engine = () => make(market());

  it('a sell take-profit waits below its price and sells at market once the price rises to it', () => {
    const { book, tape } = bookAt(engine, 100);
    expect(book.execute(takeProfit(1, 'sell', 2, 110))).toBe('ok');
    expect(tape.path(105, 109)).toSatisfy((ev: EngineEvent[]) => triggered(ev).length === 0);
    expect(waiting(book)).toEqual([1]);
    // A bid for it to sell into, then a trade at 110.
    expect(book.execute(limit(2, 'b', 'buy', 108, 5))).toBe('ok');
    const ev = tape.path(110);
    expect(triggered(ev)).toEqual([[1, 110, 110]]);
    expect(trades(ev).filter((t) => t[3] === 1)).toEqual([[108, 2, 2, 1]]);
    expect(waiting(book)).toEqual([]);
  });

  it('a sell take-profit does not trigger when the price falls (a stop would)', () => {
    const { book, tape } = bookAt(engine, 100);
    expect(book.execute(takeProfit(1, 'sell', 1, 110))).toBe('ok');
    expect(triggered(tape.path(95, 90, 80))).toEqual([]);
    expect(waiting(book)).toEqual([1]);
  });

  it('a buy take-profit limit triggers when the price falls to it and rests at its limit', () => {
    const { book, tape } = bookAt(engine, 100);
    expect(book.execute(takeProfit(1, 'buy', 3, 90, { price: 89 }))).toBe('ok');
    expect(triggered(tape.path(105, 95, 91))).toEqual([]);
    const ev = tape.path(90);
    expect(triggered(ev)).toEqual([[1, 90, 90]]);
    expect(book.snapshot().orders.find((o) => o.orderId === 1)).toMatchObject({
      price: 89,
      qty: 3,
      kind: 'take_profit_limit',
    });
  });

  it('triggers at once when the last price already meets it', () => {
    const { book } = bookAt(engine, 100);
    expect(book.execute(limit(2, 'b', 'buy', 99, 1))).toBe('ok');
    const r = book.run(takeProfit(1, 'sell', 1, 95));
    expect(r.code).toBe('ok');
    expect(triggered(r.events)).toEqual([[1, 95, 100]]);
    expect(trades(r.events)).toEqual([[99, 1, 2, 1]]);
  });

  it('rising orders trigger lowest first, buy stops and sell take-profits alike, before falling ones', () => {
    const { book, tape } = bookAt(engine, 100);
    expect(book.execute(takeProfit(1, 'sell', 1, 104, { price: 50 }))).toBe('ok');
    expect(book.execute({ ...takeProfit(2, 'buy', 1, 102), kind: 'stop_market' })).toBe('ok');
    expect(book.execute(takeProfit(3, 'sell', 1, 103, { price: 50 }))).toBe('ok');
    // Liquidity far away so nothing the triggered orders do moves the last price back.
    expect(book.execute(limit(10, 'z', 'sell', 104, 1))).toBe('ok');
    const ev = tape.path(104);
    expect(triggered(ev).map(([id]) => id)).toEqual([2, 3, 1]);
  });

  it('refuses a trailing take-profit, a post-only one, a GTC market one and one without a stop price', () => {
    const { book } = bookAt(engine, 100);
    expect(book.execute(takeProfit(1, 'sell', 1, 110, { trailBps: 100 }))).toBe('invalid_order');
    expect(book.execute(takeProfit(2, 'sell', 1, 110, { trailAmount: 2 }))).toBe('invalid_order');
    expect(book.execute(takeProfit(3, 'sell', 1, 110, { price: 109, postOnly: true }))).toBe(
      'invalid_order',
    );
    const { stopPrice: _drop, ...noStop } = takeProfit(4, 'sell', 1, 110);
    expect(book.execute(noStop)).toBe('invalid_order');
    // A take-profit market runs as a market order: IOC only.
    expect(book.execute(takeProfit(6, 'sell', 1, 110, { tif: 'GTC' }))).toBe('invalid_order');
    expect(waiting(book)).toEqual([]);
  });

  it('survives a snapshot: rebuilt, it triggers the same', () => {
    const { book } = bookAt(engine, 100);
    expect(book.execute(takeProfit(1, 'sell', 1, 104))).toBe('ok');
    expect(book.execute(takeProfit(2, 'buy', 1, 96, { price: 96 }))).toBe('ok');
    const rebuilt =
      book instanceof OrderBook
        ? OrderBook.fromSnapshot(book.snapshot())
        : ReferenceBook.fromSnapshot(book.snapshot());
    expect(rebuilt.snapshot()).toEqual(book.snapshot());
    expect(rebuilt.checkInvariants()).toEqual([]);
    expect(triggered(new Tape(rebuilt).path(104, 96)).map(([id]) => id)).toEqual([1, 2]);
  });
});

describe('holds of take-profit buys', () => {
  const config = market({ bandBps: 500 });
  it('hold a take-profit market buy by quantity at the band ceiling around its stop price', () => {
    const cmd = takeProfit(1, 'buy', 4, 90);
    // Triggered, it buys within the band around its stop price, whatever the last price was.
    expect(holdRequirement(config, cmd, 100)).toEqual({
      asset: 'quote',
      amount: 94 * 4,
      priceTicks: 94,
    });
  });
  it('hold a take-profit limit buy at its limit price', () => {
    const cmd = takeProfit(1, 'buy', 4, 90, { price: 91 });
    expect(holdRequirement(config, cmd, 100)).toEqual({
      asset: 'quote',
      amount: 91 * 4,
      priceTicks: 91,
    });
  });
});
