import {
  DEPTH_STREAM_LEVELS,
  TICKERS_STREAM,
  bookUpdatesStream,
  candlesStream,
  depthStream,
  tapeStream,
} from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import type { EngineEvent } from '../../domain/exchange';
import {
  BookUpdateIds,
  CANDLE_INTERVALS,
  CandleSet,
  DepthPublisher,
  RecentTrades,
  TICKER_WINDOW_MS,
  TickerWindow,
  touchedLevels,
  type Candle,
  type CandleInterval,
  type DepthView,
  type MarketTrade,
} from '../../domain/market-data';
import type { EventHub } from '../../events/hub';
import type { Logger } from '../../observability/logger';
import type { ExchangeApi } from '../exchange/api';
import { MarketDataStore } from './store';
import { bookUpdateMessage, candleView, depthMessage, tickerView, tradeView } from './views';

/** Trades kept in memory per market for `marketData.trades` and the tape. */
export const RECENT_TRADES = 500;
/** Candle writes wait this long so one transaction carries many trades' bar updates. */
export const CANDLE_FLUSH_MS = 250;

export interface MarketDataOptions {
  store: DatabaseHandle;
  exchange: ExchangeApi;
  hub?: EventHub;
  log?: Logger;
  now: () => number;
  flushDelayMs?: number;
}

interface MarketState {
  symbol: string;
  candles: CandleSet;
  ticker: TickerWindow;
  recent: RecentTrades;
  depth: DepthPublisher;
  /** Ids of the full-book update stream (the engine's event seq). */
  updates: BookUpdateIds;
  /** Last trade folded into candles, ticker and tape. */
  lastTradeId: number;
  /** Bars changed since the last write, by `interval:openTime`. */
  dirty: Map<string, Candle>;
  top: string;
}

/**
 * Market data derived from the exchange's committed engine events: candles (stored in
 * batches), the 24 h ticker, the recent-trades tape and aggregated depth with diffs. It
 * only listens: the order path never waits for it.
 */
export class MarketDataService {
  private readonly markets = new Map<string, MarketState>();
  private readonly db: MarketDataStore;
  private flushTimer: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;

  constructor(private readonly opts: MarketDataOptions) {
    this.db = new MarketDataStore(opts.store.sqlite);
  }

  /** Loads every market (stored bars, catch-up from trades) and starts listening. */
  start(): void {
    for (const symbol of this.opts.exchange.symbols()) this.ensure(symbol);
    this.flush();
    this.unlisten = this.opts.exchange.onEngineEvents((symbol, events) =>
      this.onEvents(symbol, events),
    );
  }

  stop(): void {
    this.unlisten?.();
    this.unlisten = null;
    this.flush();
  }

  /** Writes pending bar updates in one transaction. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const pending = [...this.markets.values()].filter((m) => m.dirty.size > 0);
    if (pending.length === 0) return;
    this.opts.store.write('marketData.candles', () => {
      for (const m of pending) {
        this.db.writeCandles(m.symbol, m.dirty.values());
        this.db.writeProgress(m.symbol, m.lastTradeId);
      }
    });
    for (const m of pending) m.dirty.clear();
  }

  /** Aggregated depth with the sequence of the last published diff. */
  depth(symbol: string, levels = DEPTH_STREAM_LEVELS) {
    const m = this.ensure(symbol);
    const spec = this.opts.exchange.spec(symbol);
    const view = this.view(symbol, levels);
    const pair = (l: { price: number; qty: number }): [number, number] => [l.price, l.qty];
    const snapshot = depthMessage(spec, {
      seq: m.depth.snapshot().seq,
      bids: view.bids.map(pair),
      asks: view.asks.map(pair),
    });
    return { ...snapshot, updateId: m.updates.current };
  }

  /** Latest public trades, newest first. */
  trades(symbol: string, limit = 100) {
    const spec = this.opts.exchange.spec(symbol);
    return this.ensure(symbol)
      .recent.list(limit)
      .map((t) => tradeView(spec, t));
  }

  candles(
    symbol: string,
    interval: CandleInterval,
    range: { from?: number; to?: number; limit?: number },
  ) {
    const spec = this.opts.exchange.spec(symbol);
    this.ensure(symbol);
    this.flush();
    const bars = this.db.candles(symbol, interval, { ...range, limit: range.limit ?? 500 });
    return bars.map((c) => candleView(spec, c));
  }

  tickers(symbol?: string) {
    const symbols = symbol ? [symbol] : this.opts.exchange.symbols();
    return symbols.map((s) => this.ticker(s));
  }

  private ticker(symbol: string) {
    const m = this.ensure(symbol);
    const rt = this.opts.exchange.market(symbol);
    const now = this.opts.now();
    const book = { bestBid: rt.engine.bestBid(), bestAsk: rt.engine.bestAsk() };
    return tickerView(rt.spec, m.ticker.snapshot(now), book, now);
  }

  private view(symbol: string, levels: number): DepthView {
    const engine = this.opts.exchange.market(symbol).engine;
    const side = (s: 'buy' | 'sell') =>
      engine.depth(s, levels).map((l) => ({ price: l.price, qty: l.qty, orders: l.count }));
    return { bids: side('buy'), asks: side('sell') };
  }

  private ensure(symbol: string): MarketState {
    const known = this.markets.get(symbol);
    if (known) return known;
    const rt = this.opts.exchange.market(symbol);
    const open: Partial<Record<CandleInterval, Candle>> = {};
    for (const c of this.db.latestBars(symbol)) open[c.interval] = c;
    const m: MarketState = {
      symbol,
      candles: new CandleSet(CANDLE_INTERVALS, open),
      ticker: new TickerWindow(),
      recent: new RecentTrades(RECENT_TRADES),
      depth: new DepthPublisher(),
      updates: new BookUpdateIds(rt.lastSeq),
      lastTradeId: this.db.progress(symbol),
      dirty: new Map(),
      top: '',
    };
    // Trades committed after the last candle write (a crash between the two) are folded in.
    let caughtUp = false;
    for (const t of this.db.tradesAfter(symbol, m.lastTradeId)) {
      this.foldCandles(m, t);
      caughtUp = true;
    }
    if (caughtUp) this.openBarsChanged(m);
    for (const t of this.db.tradesSince(symbol, this.opts.now() - TICKER_WINDOW_MS)) {
      m.ticker.addTrade(t);
    }
    for (const t of this.db.latestTrades(symbol, RECENT_TRADES)) m.recent.push(t);
    m.lastTradeId = Math.max(m.lastTradeId, rt.lastTradeId);
    m.depth.publish(this.view(symbol, DEPTH_STREAM_LEVELS));
    m.top = `${rt.engine.bestBid()}/${rt.engine.bestAsk()}`;
    this.markets.set(symbol, m);
    return m;
  }

  /** Folds a trade into every interval's open bar; bars it closes are marked for writing. */
  private foldCandles(m: MarketState, t: MarketTrade): Candle[] | undefined {
    const closed = m.candles.fold(t);
    if (closed) for (const c of closed) m.dirty.set(`${c.interval}:${c.openTime}`, c);
    m.lastTradeId = Math.max(m.lastTradeId, Number(t.id ?? 0));
    return closed;
  }

  /** Marks every open bar for writing and returns them (copies, safe to publish). */
  private openBarsChanged(m: MarketState): Candle[] {
    const bars = m.candles.current();
    for (const c of bars) m.dirty.set(`${c.interval}:${c.openTime}`, c);
    return bars;
  }

  /**
   * One batch of committed engine events. Trades go to the tape one by one; each interval's
   * bar is published once per batch, as it stands after the batch's last trade (and a bar
   * the batch closed, once, as it closed), instead of a copy per trade and interval.
   */
  private onEvents(symbol: string, events: readonly EngineEvent[]): void {
    const m = this.ensure(symbol);
    const spec = this.opts.exchange.spec(symbol);
    const hub = this.opts.hub;
    let traded = false;
    let closedBars: Candle[] | undefined;
    for (const e of events) {
      if (e.type !== 'trade' || e.tradeId <= m.lastTradeId) continue;
      const t: MarketTrade = {
        id: e.tradeId,
        price: e.price,
        qty: e.qty,
        ts: e.tsEvent,
        takerSide: e.takerSide,
      };
      const closed = this.foldCandles(m, t);
      if (closed) (closedBars ??= []).push(...closed);
      m.ticker.addTrade(t);
      m.recent.push(t);
      traded = true;
      hub?.publishLazy(tapeStream(symbol), () => tradeView(spec, t));
    }
    if (traded) {
      for (const bar of [...(closedBars ?? []), ...this.openBarsChanged(m)]) {
        hub?.publishLazy(candlesStream(symbol, bar.interval), () => ({
          symbol,
          interval: bar.interval,
          candle: candleView(spec, bar),
        }));
      }
    }
    this.publishBookUpdate(m, events);
    const diff = m.depth.publish(this.view(symbol, DEPTH_STREAM_LEVELS));
    if (diff) hub?.publishLazy(depthStream(symbol), () => depthMessage(spec, diff));
    const engine = this.opts.exchange.market(symbol).engine;
    const top = `${engine.bestBid()}/${engine.bestAsk()}`;
    if (traded || top !== m.top) {
      m.top = top;
      hub?.publishLazy(TICKERS_STREAM, () => this.ticker(symbol));
    }
    if (traded) this.scheduleFlush();
  }

  /**
   * Publishes the levels a batch touched, with their quantities read from the engine when a
   * listener reads the message (synchronously, so they are the quantities after the batch).
   */
  private publishBookUpdate(m: MarketState, events: readonly EngineEvent[]): void {
    const last = events.at(-1);
    if (last === undefined) return;
    const rt = this.opts.exchange.market(m.symbol);
    const touched = touchedLevels(events, (id) => rt.engine.getOrder(id));
    const range = m.updates.advance(last.seq, touched.bids.size + touched.asks.size > 0);
    if (!range) return;
    this.opts.hub?.publishLazy(bookUpdatesStream(m.symbol), () =>
      bookUpdateMessage(rt.spec, range, touched, (side, price) => rt.engine.levelQty(side, price)),
    );
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      try {
        this.flush();
      } catch (error) {
        this.opts.log?.error({ err: error }, 'market data: writing candles failed');
      }
    }, this.opts.flushDelayMs ?? CANDLE_FLUSH_MS);
    this.flushTimer.unref();
  }
}
