import { create } from 'zustand';
import {
  ORDER_BATCH_MAX,
  TICKERS_STREAM,
  candlesStream,
  depthStream,
  tapeStream,
  type CandleIntervalName,
  type CandleMessage,
  type OperationInput,
  type OperationOutput,
  type StreamMessage,
} from '../../../src-shared/contract';
import { client } from '../client/client';
import { ClientDepthBook, type DepthMessage, type LevelPair } from '../screens/trade/depth-book';
import { call, messageOf } from './session';

export type Market = OperationOutput<'markets.list'>['items'][number];
export type Ticker = OperationOutput<'marketData.tickers'>['items'][number];
export type Candle = OperationOutput<'marketData.candles'>['items'][number];
export type PublicTrade = OperationOutput<'marketData.trades'>['items'][number];
export type Order = OperationOutput<'orders.get'>;
export type Fill = OperationOutput<'trades.list'>['items'][number];
export type Balance = OperationOutput<'balances.get'>['items'][number];
export type MarketSource = OperationOutput<'simulator.sources'>['items'][number];

/** Levels shown per side of the ladder. */
export const BOOK_ROWS = 14;
const TAPE_ROWS = 60;
const OPEN_STATUSES = new Set(['new', 'partially_filled']);

interface TradeState {
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
  /** Cancels these orders, 100 per call; one outcome per id, in order. */
  cancelBatch(orderIds: number[]): Promise<OperationOutput<'orders.cancelBatch'>['results']>;
  cancelAll(): Promise<void>;
  amend(orderId: number, price?: string, qty?: string): Promise<void>;
}

let book = new ClientDepthBook();
let offMarket: (() => void) | undefined;
let offGlobal: (() => void) | undefined;

function upsertOrder(list: Order[], o: Order): Order[] {
  return [o, ...list.filter((x) => x.orderId !== o.orderId)].sort((a, b) => b.orderId - a.orderId);
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
  const showBook = () =>
    set({ bids: book.levels('bids', BOOK_ROWS), asks: book.levels('asks', BOOK_ROWS) });

  async function resync(symbol: string): Promise<void> {
    try {
      const snap = await call('marketData.depth', { symbol });
      if (get().symbol !== symbol) return;
      book.applySnapshot(snap);
      showBook();
    } catch (err) {
      set({ error: messageOf(err) });
    }
  }

  function onMarket(m: StreamMessage): void {
    const { symbol, interval } = get();
    if (m.stream === depthStream(symbol)) {
      const r = book.onDiff(m.data as DepthMessage);
      if (r === 'applied') showBook();
      else if (r === 'gap') void resync(symbol);
    } else if (m.stream === tapeStream(symbol)) {
      set((s) => ({ tape: [m.data as PublicTrade, ...s.tape].slice(0, TAPE_ROWS) }));
    } else if (m.stream === candlesStream(symbol, interval)) {
      const c = (m.data as CandleMessage).candle;
      set((s) => {
        const last = s.candles.at(-1);
        if (last && last.openTime === c.openTime)
          return { candles: [...s.candles.slice(0, -1), c] };
        if (last && last.openTime > c.openTime) return {};
        return { candles: [...s.candles, c] };
      });
    }
  }

  function onGlobal(m: StreamMessage): void {
    if (m.stream === TICKERS_STREAM) {
      const t = m.data as Ticker;
      set((s) => ({ tickers: { ...s.tickers, [t.symbol]: t } }));
    } else if (m.stream === 'orders') {
      const o = m.data as Order;
      set((s) =>
        OPEN_STATUSES.has(o.status)
          ? { openOrders: upsertOrder(s.openOrders, o) }
          : {
              openOrders: s.openOrders.filter((x) => x.orderId !== o.orderId),
              history: upsertOrder(s.history, o).slice(0, 200),
            },
      );
    } else if (m.stream === 'fills') {
      const f = m.data as Fill;
      set((s) => ({ fills: [f, ...s.fills].slice(0, 200) }));
    } else if (m.stream === 'balances') {
      const b = m.data as Balance;
      set((s) => ({
        balances: [...s.balances.filter((x) => x.asset !== b.asset), b].sort((x, y) =>
          x.asset.localeCompare(y.asset),
        ),
      }));
    }
  }

  function subscribeMarket(symbol: string, interval: CandleIntervalName): void {
    offMarket?.();
    book = new ClientDepthBook();
    offMarket = client.subscribe(
      [depthStream(symbol), tapeStream(symbol), candlesStream(symbol, interval)],
      onMarket,
    );
  }

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
      offGlobal?.();
      // Subscribe first so nothing that happens while the lists load is missed.
      offGlobal = client.subscribe([TICKERS_STREAM, 'orders', 'fills', 'balances'], onGlobal);
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
        await Promise.all([get().selectMarket(symbol), get().loadSources()]);
      } catch (err) {
        set({ error: messageOf(err) });
      }
    },
    stop() {
      offMarket?.();
      offGlobal?.();
      offMarket = undefined;
      offGlobal = undefined;
    },
    async selectMarket(symbol) {
      set({ symbol, candles: [], tape: [], bids: [], asks: [], pickedPrice: undefined });
      subscribeMarket(symbol, get().interval);
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
      subscribeMarket(get().symbol, interval);
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
