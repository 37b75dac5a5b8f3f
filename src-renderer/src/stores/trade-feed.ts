import {
  TICKERS_STREAM,
  candlesStream,
  depthStream,
  tapeStream,
  type CandleIntervalName,
  type StreamPayloads,
} from '../../../src-shared/contract';
import { client } from '../client/client';
import { ClientDepthBook } from '../screens/trade/depth-book';
import { call, messageOf } from './session';
import type { TradeState } from './trade';
import {
  applyUserMessages,
  foldCandles,
  foldTape,
  type Candle,
  type PublicTrade,
  type UserMessage,
} from './trade-lists';

/** Levels shown per side of the ladder. */
export const BOOK_ROWS = 14;
/**
 * How long stream messages gather before the screen applies them together. Timers, not
 * animation frames: a hidden window gets no frames, and its queue would grow until shown.
 */
const APPLY_EVERY_MS = 40;

/** One message of the shown market's streams, kept with its stream name until applied. */
type MarketMessage =
  | { kind: 'depth'; stream: string; data: StreamPayloads[`depth:${string}`] }
  | { kind: 'tape'; stream: string; data: StreamPayloads[`tape:${string}`] }
  | { kind: 'candle'; stream: string; data: StreamPayloads[`candles:${string}`] };

type Set = (partial: Partial<TradeState>) => void;

/**
 * The trade store's live part: the streams of the shown market and of the user, gathered
 * and applied to the store together every APPLY_EVERY_MS, and the depth book they keep.
 */
export function createFeed(set: Set, get: () => TradeState) {
  let book = new ClientDepthBook();
  let offMarket: (() => void) | undefined;
  let offUser: (() => void) | undefined;

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

  // Stream messages wait here until the next apply; the user's lists also wait for their
  // first load, so that an event newer than the loaded snapshot is applied on top of it
  // instead of being overwritten by it.
  let marketInbox: MarketMessage[] = [];
  let userInbox: UserMessage[] = [];
  let listsLoaded = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function later(): void {
    timer ??= setTimeout(applyInbox, APPLY_EVERY_MS);
  }

  function onMarket(m: MarketMessage): void {
    marketInbox.push(m);
    later();
  }

  function onUser(m: UserMessage): void {
    userInbox.push(m);
    later();
  }

  /** The user's streams and the tickers, each into the user inbox in arrival order. */
  function subscribeGlobal(): () => void {
    const offs = [
      client.subscribe(TICKERS_STREAM, (ticker) => onUser({ kind: 'ticker', ticker })),
      client.subscribe('orders', (order) => onUser({ kind: 'order', order })),
      client.subscribe('fills', (fill) => onUser({ kind: 'fill', fill })),
      client.subscribe('balances', (balance) => onUser({ kind: 'balance', balance })),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Applies everything received since the last apply, as one state change. */
  function applyInbox(): void {
    timer = undefined;
    const { symbol, interval } = get();
    const arrived = marketInbox;
    marketInbox = [];
    let bookChanged = false;
    const trades: PublicTrade[] = [];
    const bars: Candle[] = [];
    for (const m of arrived) {
      // A message of the market shown before a switch is dropped.
      if (m.kind === 'depth' && m.stream === depthStream(symbol)) {
        const r = book.onDiff(m.data);
        if (r === 'applied') bookChanged = true;
        else if (r === 'gap') void resync(symbol);
      } else if (m.kind === 'tape' && m.stream === tapeStream(symbol)) {
        trades.push(m.data);
      } else if (m.kind === 'candle' && m.stream === candlesStream(symbol, interval)) {
        bars.push(m.data.candle);
      }
    }
    const s = get();
    const next: Partial<TradeState> = listsLoaded ? applyUserMessages(s, userInbox) : {};
    if (listsLoaded) userInbox = [];
    if (bookChanged) {
      next.bids = book.levels('bids', BOOK_ROWS);
      next.asks = book.levels('asks', BOOK_ROWS);
    }
    if (trades.length > 0) next.tape = foldTape(s.tape, trades);
    if (bars.length > 0) next.candles = foldCandles(s.candles, bars);
    if (Object.keys(next).length > 0) set(next);
  }

  function subscribeMarket(symbol: string, interval: CandleIntervalName): void {
    offMarket?.();
    marketInbox = [];
    book = new ClientDepthBook();
    const offs = [
      client.subscribe(depthStream(symbol), (data, m) =>
        onMarket({ kind: 'depth', stream: m.stream, data }),
      ),
      client.subscribe(tapeStream(symbol), (data, m) =>
        onMarket({ kind: 'tape', stream: m.stream, data }),
      ),
      client.subscribe(candlesStream(symbol, interval), (data, m) =>
        onMarket({ kind: 'candle', stream: m.stream, data }),
      ),
    ];
    offMarket = () => offs.forEach((off) => off());
  }

  /** Streams the user's lists and the tickers; they wait in the inbox until `listsLoaded`. */
  function startUser(): void {
    offUser?.();
    listsLoaded = false;
    userInbox = [];
    offUser = subscribeGlobal();
  }

  return {
    resync,
    startUser,
    /** The lists are loaded (or failed to): what arrived meanwhile applies on top of them. */
    listsLoaded(): void {
      listsLoaded = true;
      applyInbox();
    },
    /** Streams `symbol` at `interval` from now on, into a fresh book. */
    showMarket: subscribeMarket,
    stop(): void {
      offMarket?.();
      offUser?.();
      offMarket = undefined;
      offUser = undefined;
      clearTimeout(timer);
      timer = undefined;
      marketInbox = [];
      userInbox = [];
    },
  };
}
