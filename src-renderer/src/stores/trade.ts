import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import {
  ORDER_BATCH_MAX,
  type CandleIntervalName,
  type OperationInput,
  type OperationOutput,
} from '../../../src-shared/contract';
import type { LevelPair } from '../screens/trade/depth-book';
import { createFeed } from './trade-feed';
import {
  TAPE_ROWS,
  type Balance,
  type Candle,
  type Fill,
  type Order,
  type PublicTrade,
  type Ticker,
} from './trade-lists';
import { call, messageOf } from './session';

export type Market = OperationOutput<'markets.list'>['items'][number];
export type MarketSource = OperationOutput<'simulator.sources'>['items'][number];
export type { Balance, Candle, Fill, Order, PublicTrade, Ticker };

export { BOOK_ROWS } from './trade-feed';

export interface TradeState {
  markets: Market[];
  tickers: Record<string, Ticker>;
  symbol: string;
  interval: CandleIntervalName;
  candles: Candle[];
  /** Bumped whenever the candle series was replaced (not just its last bar updated). */
  candlesVersion: number;
  tape: PublicTrade[];
  bids: LevelPair[];
  asks: LevelPair[];
  openOrders: Order[];
  history: Order[];
  fills: Fill[];
  balances: Balance[];
  /** Whether each market is simulated and what its price follows, by symbol. */
  sources: Record<string, MarketSource>;
  /** Price picked in the book or trades tape, for the ticket. */
  pickedPrice?: { price: string; at: number };
  error?: string;
  busy: boolean;
  init(): Promise<void>;
  stop(): void;
  selectMarket(symbol: string): Promise<void>;
  /** Re-reads the markets' sources (on load, and after an admin changes the simulator). */
  loadSources(): Promise<void>;
  setInterval(interval: CandleIntervalName): Promise<void>;
  pickPrice(price: string): void;
  place(input: OperationInput<'orders.place'>): Promise<Order>;
  /** Several orders in one call, committed together; one outcome per order, in order. */
  placeBatch(
    orders: OperationInput<'orders.placeBatch'>['orders'],
  ): Promise<OperationOutput<'orders.placeBatch'>['results']>;
  cancel(orderId: number): Promise<void>;
  /** A one-cancels-the-other pair: a post-only take-profit limit and a stop. */
  placeOco(input: OperationInput<'orders.placeOco'>): Promise<OperationOutput<'orders.placeOco'>>;
  /** An order with a take-profit / stop-loss placed once it is done, for what it filled. */
  placeWithExits(
    input: OperationInput<'orders.placeWithExits'>,
  ): Promise<OperationOutput<'orders.placeWithExits'>>;
  /** Cancels both legs of an executing OCO list. */
  cancelList(orderListId: number): Promise<void>;
  /** Cancels these orders, 100 per call; one outcome per id, in order. */
  cancelBatch(orderIds: number[]): Promise<OperationOutput<'orders.cancelBatch'>['results']>;
  cancelAll(): Promise<void>;
  amend(orderId: number, price?: string, qty?: string): Promise<void>;
}

/**
 * Every open order of the user, page by page: the open-orders table is where orders are
 * cancelled, so it is complete (a bot's hundreds included), not the first page of it.
 */
async function allOpenOrders(): Promise<Order[]> {
  const out: Order[] = [];
  let cursor: string | undefined;
  do {
    const page = await call('orders.list', {
      scope: 'open',
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Market data of the selected market and the user's orders, fills and balances, live. */
export const useTrade = create<TradeState>((set, get) => {
  const feed = createFeed(set, get);
  const { resync } = feed;

  async function loadCandles(symbol: string, interval: CandleIntervalName): Promise<void> {
    const page = await call('marketData.candles', { symbol, interval, limit: 300 });
    if (get().symbol === symbol && get().interval === interval) {
      set((s) => ({ candles: page.items, candlesVersion: s.candlesVersion + 1 }));
    }
  }

  async function act(fn: () => Promise<unknown>): Promise<void> {
    set({ error: undefined });
    try {
      await fn();
    } catch (err) {
      set({ error: messageOf(err) });
      throw err;
    }
  }

  return {
    markets: [],
    tickers: {},
    symbol: 'BTC/USDT',
    interval: '1m',
    candles: [],
    candlesVersion: 0,
    tape: [],
    bids: [],
    asks: [],
    openOrders: [],
    history: [],
    fills: [],
    balances: [],
    sources: {},
    busy: false,
    async init() {
      // Subscribe first so nothing that happens while the lists load is missed.
      feed.startUser();
      try {
        const [markets, tickers, open, history, fills, balances] = await Promise.all([
          call('markets.list', {}),
          call('marketData.tickers', {}),
          allOpenOrders(),
          call('orders.list', { scope: 'history', limit: 100 }),
          call('trades.list', { limit: 100 }),
          call('balances.get', {}),
        ]);
        const symbol = markets.items.some((m) => m.symbol === get().symbol)
          ? get().symbol
          : (markets.items[0]?.symbol ?? get().symbol);
        set({
          markets: markets.items,
          tickers: Object.fromEntries(tickers.items.map((t) => [t.symbol, t])),
          openOrders: open,
          history: history.items,
          fills: fills.items,
          balances: balances.items,
        });
        feed.listsLoaded();
        await Promise.all([get().selectMarket(symbol), get().loadSources()]);
      } catch (err) {
        // The lists stay as they were; the streams go on updating them.
        feed.listsLoaded();
        set({ error: messageOf(err) });
      }
    },
    stop: feed.stop,
    async selectMarket(symbol) {
      set({ symbol, candles: [], tape: [], bids: [], asks: [], pickedPrice: undefined });
      feed.showMarket(symbol, get().interval);
      try {
        const [trades] = await Promise.all([
          call('marketData.trades', { symbol, limit: TAPE_ROWS }),
          resync(symbol),
          loadCandles(symbol, get().interval),
        ]);
        if (get().symbol === symbol) set({ tape: trades.items });
      } catch (err) {
        set({ error: messageOf(err) });
      }
    },
    async loadSources() {
      const out = await call('simulator.sources', {});
      set({ sources: Object.fromEntries(out.items.map((x) => [x.symbol, x])) });
    },
    async setInterval(interval) {
      set({ interval, candles: [] });
      feed.showMarket(get().symbol, interval);
      await Promise.all([resync(get().symbol), loadCandles(get().symbol, interval)]);
    },
    pickPrice(price) {
      set({ pickedPrice: { price, at: Date.now() } });
    },
    async place(input) {
      set({ error: undefined, busy: true });
      try {
        return await call('orders.place', input);
      } finally {
        set({ busy: false });
      }
    },
    async placeBatch(orders) {
      set({ error: undefined, busy: true });
      try {
        return (await call('orders.placeBatch', { orders })).results;
      } finally {
        set({ busy: false });
      }
    },
    cancel: (orderId) => act(() => call('orders.cancel', { orderId })),
    async placeOco(input) {
      set({ error: undefined, busy: true });
      try {
        return await call('orders.placeOco', input);
      } finally {
        set({ busy: false });
      }
    },
    async placeWithExits(input) {
      set({ error: undefined, busy: true });
      try {
        return await call('orders.placeWithExits', input);
      } finally {
        set({ busy: false });
      }
    },
    cancelList: (orderListId) => act(() => call('orders.cancelList', { orderListId })),
    async cancelBatch(orderIds) {
      const results: OperationOutput<'orders.cancelBatch'>['results'] = [];
      await act(async () => {
        for (let i = 0; i < orderIds.length; i += ORDER_BATCH_MAX) {
          const orders = orderIds.slice(i, i + ORDER_BATCH_MAX).map((orderId) => ({ orderId }));
          results.push(...(await call('orders.cancelBatch', { orders })).results);
        }
      });
      return results;
    },
    cancelAll: () => act(() => call('orders.cancelAll', { symbol: get().symbol })),
    amend: (orderId, price, qty) =>
      act(() =>
        call('orders.amend', {
          orderId,
          ...(price ? { price } : {}),
          ...(qty ? { qty } : {}),
        }),
      ),
  };
});

/**
 * These fields of the trade store; the component re-renders only when one of them changes
 * (a ticker tick does not re-render the open-orders table).
 */
export function useTradeSlice<K extends keyof TradeState>(...keys: K[]): Pick<TradeState, K> {
  return useTrade(
    useShallow((s) => {
      const out = {} as Pick<TradeState, K>;
      for (const k of keys) out[k] = s[k];
      return out;
    }),
  );
}
