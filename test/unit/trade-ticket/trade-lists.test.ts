import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RECENT_ROWS,
  TAPE_ROWS,
  applyUserMessages,
  foldCandles,
  foldTape,
  type Balance,
  type Candle,
  type Fill,
  type Order,
  type PublicTrade,
  type UserLists,
  type UserMessage,
} from '../../../src-renderer/src/stores/trade-lists';

const order = (orderId: number, status: string, filledQty = '0'): Order =>
  ({ orderId, status, filledQty, symbol: 'BTC/USDT' }) as unknown as Order;
const fill = (tradeId: number): Fill => ({ tradeId, symbol: 'BTC/USDT' }) as unknown as Fill;
const balance = (asset: string, available: string): Balance =>
  ({ asset, available, held: '0' }) as unknown as Balance;
const empty = (): UserLists => ({
  openOrders: [],
  history: [],
  fills: [],
  balances: [],
  tickers: {},
});
const apply = (lists: UserLists, messages: UserMessage[]): UserLists => ({
  ...lists,
  ...applyUserMessages(lists, messages),
});
const ids = (orders: Order[]) => orders.map((o) => o.orderId);

describe('the trade screen’s lists, applied a frame at a time', () => {
  it('moves an order from open to history within one batch, newest first', () => {
    const lists = apply(empty(), [
      { kind: 'order', order: order(1, 'new') },
      { kind: 'order', order: order(2, 'new') },
      { kind: 'order', order: order(3, 'new') },
      { kind: 'order', order: order(2, 'partially_filled', '0.1') },
      { kind: 'order', order: order(1, 'filled', '1') },
    ]);
    expect(ids(lists.openOrders)).toEqual([3, 2]);
    expect(lists.openOrders[1]?.filledQty).toBe('0.1');
    expect(ids(lists.history)).toEqual([1]);
    expect(lists.history[0]?.status).toBe('filled');
  });

  it('changes only the lists a batch touches, so the others keep their identity', () => {
    const before = apply(empty(), [{ kind: 'order', order: order(1, 'new') }]);
    const changed = applyUserMessages(before, [{ kind: 'fill', fill: fill(7) }]);
    expect(Object.keys(changed)).toEqual(['fills']);
    expect(applyUserMessages(before, [])).toEqual({});
  });

  it('keeps the newest fills first and at most the recent rows', () => {
    let lists = apply(
      empty(),
      [1, 2, 3].map((t) => ({ kind: 'fill', fill: fill(t) }) as const),
    );
    expect(lists.fills.map((f) => f.tradeId)).toEqual([3, 2, 1]);
    const many = Array.from({ length: RECENT_ROWS + 5 }, (_, i) => ({
      kind: 'fill' as const,
      fill: fill(10 + i),
    }));
    lists = apply(lists, many);
    expect(lists.fills).toHaveLength(RECENT_ROWS);
    expect(lists.fills[0]?.tradeId).toBe(10 + RECENT_ROWS + 4);
  });

  it('replaces a balance per asset, sorted by asset', () => {
    const lists = apply({ ...empty(), balances: [balance('USDT', '5'), balance('BTC', '1')] }, [
      { kind: 'balance', balance: balance('USDT', '4') },
      { kind: 'balance', balance: balance('ETH', '2') },
      { kind: 'balance', balance: balance('USDT', '3') },
    ]);
    expect(lists.balances.map((b) => `${b.asset}=${b.available}`)).toEqual([
      'BTC=1',
      'ETH=2',
      'USDT=3',
    ]);
  });

  it('ends in the same lists however the stream is cut into frames', () => {
    const statuses = ['new', 'partially_filled', 'filled', 'cancelled'];
    const message = fc.oneof(
      fc
        .record({ id: fc.integer({ min: 1, max: 30 }), s: fc.constantFrom(...statuses) })
        .map(({ id, s }): UserMessage => ({ kind: 'order', order: order(id, s) })),
      fc.integer({ min: 1, max: 500 }).map((t): UserMessage => ({ kind: 'fill', fill: fill(t) })),
      fc
        .record({ a: fc.constantFrom('BTC', 'USDT'), v: fc.integer({ min: 0, max: 9 }) })
        .map(({ a, v }): UserMessage => ({ kind: 'balance', balance: balance(a, String(v)) })),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 80 }), fc.array(fc.nat(80)), (ms, cuts) => {
        const oneByOne = ms.reduce((l, m) => apply(l, [m]), empty());
        const points = [...new Set([0, ...cuts.filter((c) => c < ms.length), ms.length])].sort(
          (a, b) => a - b,
        );
        let framed = empty();
        for (let i = 1; i < points.length; i++) {
          framed = apply(framed, ms.slice(points[i - 1], points[i]));
        }
        expect(framed).toEqual(oneByOne);
        // What the lists must say: each order's last state, open ones open, the rest history.
        const last = new Map(ms.flatMap((m) => (m.kind === 'order' ? [[m.order.orderId, m]] : [])));
        const open = [...last.values()].filter((m) =>
          ['new', 'partially_filled'].includes((m as { order: Order }).order.status),
        );
        expect(ids(framed.openOrders)).toEqual(
          open.map((m) => (m as { order: Order }).order.orderId).sort((a, b) => b - a),
        );
      }),
    );
  });
});

describe('the tape and the candles', () => {
  const trade = (id: number): PublicTrade => ({ tradeId: id }) as unknown as PublicTrade;
  const bar = (openTime: number, close: string): Candle =>
    ({ openTime, close }) as unknown as Candle;

  it('puts new trades on top and keeps the tape’s length', () => {
    const tape = foldTape([trade(2), trade(1)], [trade(3), trade(4)]);
    expect(tape.map((t) => t.tradeId)).toEqual([4, 3, 2, 1]);
    const long = foldTape(
      [],
      Array.from({ length: TAPE_ROWS + 3 }, (_, i) => trade(i)),
    );
    expect(long).toHaveLength(TAPE_ROWS);
    expect(long[0]?.tradeId).toBe(TAPE_ROWS + 2);
  });

  it('replaces the open bar, appends a new one and ignores a stale one', () => {
    const series = [bar(0, '1'), bar(60, '2')];
    const out = foldCandles(series, [bar(60, '3'), bar(120, '4'), bar(60, '9'), bar(120, '5')]);
    expect(out.map((c) => `${c.openTime}:${c.close}`)).toEqual(['0:1', '60:3', '120:5']);
    expect(series.map((c) => c.close)).toEqual(['1', '2']);
  });
});
