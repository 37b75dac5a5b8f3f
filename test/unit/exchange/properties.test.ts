import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command, MatchingEngine, PlaceCommand } from '../../../src-main/domain/exchange';
import { OrderBook, ReferenceBook } from '../../../src-main/domain/exchange';
import { market } from './helpers';

const side = fc.constantFrom('buy' as const, 'sell' as const);
const user = fc.constantFrom('a', 'b', 'c');
const price = fc.integer({ min: 95, max: 105 });
const qty = fc.integer({ min: 1, max: 6 });
const stp = fc.constantFrom(
  undefined,
  'cancel_newest' as const,
  'cancel_oldest' as const,
  'cancel_both' as const,
);
const clientId = fc.option(fc.constantFrom('x', 'y'), { nil: undefined });

/** A place command without its id (ids are given in stream order). */
const placeArb: fc.Arbitrary<Omit<PlaceCommand, 'orderId' | 'ts'>> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      type: fc.constant('place' as const),
      kind: fc.constant('limit' as const),
      side,
      userId: user,
      price,
      qty,
      tif: fc.constantFrom(
        'GTC' as const,
        'GTC' as const,
        'IOC' as const,
        'FOK' as const,
        'FOK' as const,
      ),
      stp,
      clientOrderId: clientId,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('place' as const),
      kind: fc.constant('limit' as const),
      side,
      userId: user,
      price,
      qty,
      postOnly: fc.constant(true),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('place' as const),
      kind: fc.constant('market' as const),
      side,
      userId: user,
      qty,
      stp,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('place' as const),
      kind: fc.constant('market' as const),
      side: fc.constant('buy' as const),
      userId: user,
      quoteQty: fc.integer({ min: 50, max: 700 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('place' as const),
      // A stop or a take-profit: the same order triggered from the other direction.
      kind: fc.constantFrom('stop_market' as const, 'take_profit_market' as const),
      side,
      userId: user,
      qty,
      stopPrice: price,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('place' as const),
      kind: fc.constantFrom('stop_limit' as const, 'take_profit_limit' as const),
      side,
      userId: user,
      qty,
      stopPrice: price,
      price,
      tif: fc.constantFrom('GTC' as const, 'IOC' as const),
    }),
  },
  {
    // Trailing stops, tracking from placement or waiting for an activation price: 1–8 % is
    // 1–8 ticks at these prices, so they move, activate and trigger within a stream; by an
    // amount in price units (TradersPost's trailAmount), 1–8 ticks too.
    weight: 3,
    arbitrary: fc
      .record({
        type: fc.constant('place' as const),
        // Now and then a trailing take-profit, which both engines must refuse alike.
        kind: fc.constantFrom(
          'stop_market' as const,
          'stop_limit' as const,
          'stop_market' as const,
          'stop_limit' as const,
          'take_profit_market' as const,
        ),
        side,
        userId: user,
        qty,
        stopPrice: fc.option(price, { nil: undefined }),
        price,
        trail: fc.oneof(
          {
            weight: 2,
            arbitrary: fc.constantFrom(100, 250, 500, 800).map((trailBps) => ({ trailBps })),
          },
          {
            weight: 1,
            arbitrary: fc.constantFrom(1, 3, 5, 8).map((trailAmount) => ({ trailAmount })),
          },
        ),
      })
      .map(({ kind, price: p, stopPrice, trail, ...rest }) => ({
        ...rest,
        ...trail,
        kind,
        ...(kind === 'stop_limit' ? { price: p } : {}),
        ...(stopPrice !== undefined ? { stopPrice } : {}),
      })),
  },
);

type Step =
  | { place: Omit<PlaceCommand, 'orderId' | 'ts'> }
  | { other: (ts: number, target: (back: number) => number) => Command };
/** How far back (in placed orders) a cancel/amend/expire reaches: mostly recent orders. */
const target = fc.integer({ min: 0, max: 12 });

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 40, arbitrary: placeArb.map((place) => ({ place })) },
  {
    weight: 8,
    arbitrary: fc
      .record({ back: target, user: fc.option(user, { nil: undefined }) })
      .map(({ back, user: u }) => ({
        other: (ts: number, id: (b: number) => number): Command => ({
          type: 'cancel',
          ts,
          orderId: id(back),
          ...(u ? { userId: u } : {}),
        }),
      })),
  },
  {
    weight: 2,
    arbitrary: fc.record({ u: user, c: fc.constantFrom('x', 'y') }).map(({ u, c }) => ({
      other: (ts: number): Command => ({ type: 'cancel', ts, userId: u, clientOrderId: c }),
    })),
  },
  {
    weight: 14,
    arbitrary: fc
      .record({
        back: target,
        p: fc.option(price, { nil: undefined }),
        q: fc.option(qty, { nil: undefined }),
      })
      .map(({ back, p, q }) => ({
        other: (ts: number, id: (b: number) => number): Command => ({
          type: 'amend',
          ts,
          orderId: id(back),
          ...(p !== undefined ? { price: p } : {}),
          ...(q !== undefined ? { qty: q } : {}),
        }),
      })),
  },
  {
    weight: 2,
    arbitrary: target.map((back) => ({
      other: (ts: number, id: (b: number) => number): Command => ({
        type: 'expire',
        ts,
        orderId: id(back),
      }),
    })),
  },
  {
    weight: 1,
    arbitrary: fc.option(user, { nil: undefined }).map((u) => ({
      other: (ts: number): Command => ({ type: 'cancel_all', ts, ...(u ? { userId: u } : {}) }),
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        'trading' as const,
        'trading' as const,
        'trading' as const,
        'halted' as const,
        'cancel_only' as const,
      )
      .map((status) => ({ other: (ts: number): Command => ({ type: 'set_status', ts, status }) })),
  },
);

/** Gives place commands increasing ids; other commands target recent ids (or unknown 0). */
function toCommands(steps: Step[], lot = 1): Command[] {
  let nextId = 1;
  const recent = (back: number): number => Math.max(0, nextId - 1 - back);
  return steps.map((s, i) => {
    const cmd =
      'place' in s
        ? ({ ...s.place, orderId: nextId++, ts: 1000 + i } as PlaceCommand)
        : s.other(1000 + i, recent);
    // Quantities in lots of the market, so few orders are rejected for their lot size.
    if ((cmd.type === 'place' || cmd.type === 'amend') && cmd.qty !== undefined) cmd.qty *= lot;
    return cmd;
  });
}

const configArb = fc.record({
  bandBps: fc.constantFrom(0, 100, 500),
  lotSize: fc.constantFrom(1, 1, 2),
  minNotional: fc.constantFrom(0, 150),
});
const streamArb = fc.record({
  config: configArb,
  steps: fc.array(stepArb, { minLength: 10, maxLength: 150, size: 'max' }),
});

function expectSound(book: MatchingEngine): void {
  expect(book.checkInvariants()).toEqual([]);
}

describe('fast book against the reference book', () => {
  it('random command streams give the same codes, events and books', () => {
    fc.assert(
      fc.property(streamArb, ({ config, steps }) => {
        const fast = new OrderBook(market(config));
        const ref = new ReferenceBook(market(config));
        for (const cmd of toCommands(steps, config.lotSize)) {
          const a = fast.run(cmd);
          const b = ref.run(cmd);
          expect(a).toEqual(b);
          expectSound(fast);
          expectSound(ref);
        }
        expect(fast.snapshot()).toEqual(ref.snapshot());
        expect(fast.checksum()).toBe(ref.checksum());
      }),
      { numRuns: 300 },
    );
  });

  it('events are numbered without gaps and stamped with the command time', () => {
    fc.assert(
      fc.property(streamArb, ({ config, steps }) => {
        const book = new OrderBook(market(config));
        let seq = 0;
        let tradeId = 0;
        for (const cmd of toCommands(steps, config.lotSize)) {
          for (const e of book.run(cmd).events) {
            expect(e.seq).toBe(++seq);
            expect(e.tsEvent).toBe(cmd.ts);
            if (e.type === 'trade') expect(e.tradeId).toBe(++tradeId);
            if (e.type === 'trade') expect(e.buyerUserId).not.toBe(e.sellerUserId);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('is deterministic: the same stream gives byte-identical events', () => {
    fc.assert(
      fc.property(streamArb, ({ config, steps }) => {
        const cmds = toCommands(steps, config.lotSize);
        const runAll = (): string => {
          const book = new OrderBook(market(config));
          return JSON.stringify(cmds.map((c) => book.run(c)));
        };
        expect(runAll()).toBe(runAll());
      }),
      { numRuns: 50 },
    );
  });

  it('rebuild(snapshot(book)) equals book and behaves the same afterwards', () => {
    fc.assert(
      fc.property(streamArb, fc.nat(), ({ config, steps }, cut) => {
        const cmds = toCommands(steps, config.lotSize);
        const at = cut % (cmds.length + 1);
        const original = new OrderBook(market(config));
        for (const cmd of cmds.slice(0, at)) original.execute(cmd);
        const snap = original.snapshot();
        const rebuilt = OrderBook.fromSnapshot(structuredClone(snap));
        const refRebuilt = ReferenceBook.fromSnapshot(structuredClone(snap));
        expect(rebuilt.snapshot()).toEqual(snap);
        expect(refRebuilt.snapshot()).toEqual(snap);
        expectSound(rebuilt);
        for (const cmd of cmds.slice(at)) {
          const a = original.run(cmd);
          expect(rebuilt.run(cmd)).toEqual(a);
          expect(refRebuilt.run(cmd)).toEqual(a);
        }
        expect(rebuilt.snapshot()).toEqual(original.snapshot());
      }),
      { numRuns: 150 },
    );
  });
});
