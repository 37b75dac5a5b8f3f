import type Database from 'better-sqlite3';
import type { Candle, CandleInterval, MarketTrade } from '../../domain/market-data';

interface CandleRow {
  interval: string;
  open_time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quote_volume: string;
  trades: number;
}

function toCandle(r: CandleRow): Candle {
  return {
    interval: r.interval as CandleInterval,
    openTime: r.open_time,
    open: r.open,
    high: r.high,
    low: r.low,
    close: r.close,
    volume: r.volume,
    quoteVolume: BigInt(r.quote_volume),
    trades: r.trades,
  };
}

interface TradeRowLite {
  trade_id: number;
  price: number;
  qty: number;
  taker_side: 'buy' | 'sell';
  ts: number;
}

const toTrade = (r: TradeRowLite): MarketTrade => ({
  id: r.trade_id,
  price: r.price,
  qty: r.qty,
  ts: r.ts,
  takerSide: r.taker_side,
});

/** SQL of the market-data tables, plus the reads of the exchange's `trades` it rebuilds from. */
export class MarketDataStore {
  private readonly upsertCandle: Database.Statement;
  private readonly upsertProgress: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.upsertCandle = db.prepare(
      `INSERT INTO market_candles (symbol, interval, open_time, open, high, low, close, volume, quote_volume, trades)
       VALUES (@symbol, @interval, @openTime, @open, @high, @low, @close, @volume, @quoteVolume, @trades)
       ON CONFLICT (symbol, interval, open_time) DO UPDATE SET high = excluded.high,
         low = excluded.low, close = excluded.close, volume = excluded.volume,
         quote_volume = excluded.quote_volume, trades = excluded.trades`,
    );
    this.upsertProgress = db.prepare(
      `INSERT INTO market_data_progress (symbol, last_trade_id) VALUES (?, ?)
       ON CONFLICT (symbol) DO UPDATE SET last_trade_id = excluded.last_trade_id`,
    );
  }

  /** Writes bars (inside the caller's transaction). */
  writeCandles(symbol: string, bars: Iterable<Candle>): void {
    for (const c of bars) {
      this.upsertCandle.run({ symbol, ...c, quoteVolume: c.quoteVolume.toString() });
    }
  }

  writeProgress(symbol: string, lastTradeId: number): void {
    this.upsertProgress.run(symbol, lastTradeId);
  }

  progress(symbol: string): number {
    const row = this.db
      .prepare('SELECT last_trade_id AS id FROM market_data_progress WHERE symbol = ?')
      .get(symbol) as { id: number } | undefined;
    return row?.id ?? 0;
  }

  /** The latest stored bar of each interval (the open bar to resume). */
  latestBars(symbol: string): Candle[] {
    const rows = this.db
      .prepare(
        `SELECT c.* FROM market_candles c JOIN (
           SELECT interval, MAX(open_time) AS t FROM market_candles WHERE symbol = ? GROUP BY interval
         ) m ON c.interval = m.interval AND c.open_time = m.t WHERE c.symbol = ?`,
      )
      .all(symbol, symbol) as CandleRow[];
    return rows.map(toCandle);
  }

  /** Bars in [from, to] oldest first, or the latest `limit` when `from` is absent. */
  candles(
    symbol: string,
    interval: CandleInterval,
    range: { from?: number; to?: number; limit: number },
  ): Candle[] {
    const to = range.to ?? Number.MAX_SAFE_INTEGER;
    if (range.from !== undefined) {
      return (
        this.db
          .prepare(
            `SELECT * FROM market_candles WHERE symbol = ? AND interval = ? AND open_time >= ?
             AND open_time <= ? ORDER BY open_time LIMIT ?`,
          )
          .all(symbol, interval, range.from, to, range.limit) as CandleRow[]
      ).map(toCandle);
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM market_candles WHERE symbol = ? AND interval = ? AND open_time <= ?
         ORDER BY open_time DESC LIMIT ?`,
      )
      .all(symbol, interval, to, range.limit) as CandleRow[];
    return rows.reverse().map(toCandle);
  }

  /** Trades after `afterId`, in id order. */
  tradesAfter(symbol: string, afterId: number): MarketTrade[] {
    return (
      this.db
        .prepare(
          'SELECT trade_id, price, qty, taker_side, ts FROM trades WHERE symbol = ? AND trade_id > ? ORDER BY trade_id',
        )
        .all(symbol, afterId) as TradeRowLite[]
    ).map(toTrade);
  }

  /**
   * Trades at or after `since` (ms), in id order. Walks the market's trades newest first and
   * stops at the first older one (trade ids grow with time): `ts >= ?` has no index, and
   * filtering on it read every trade the market ever had at each start.
   */
  tradesSince(symbol: string, since: number): MarketTrade[] {
    const recent: TradeRowLite[] = [];
    const newestFirst = this.db
      .prepare(
        'SELECT trade_id, price, qty, taker_side, ts FROM trades WHERE symbol = ? ORDER BY trade_id DESC',
      )
      .iterate(symbol) as IterableIterator<TradeRowLite>;
    for (const r of newestFirst) {
      if (r.ts < since) break;
      recent.push(r);
    }
    return recent.reverse().map(toTrade);
  }

  /** The latest `limit` trades, oldest first. */
  latestTrades(symbol: string, limit: number): MarketTrade[] {
    const rows = this.db
      .prepare(
        'SELECT trade_id, price, qty, taker_side, ts FROM trades WHERE symbol = ? ORDER BY trade_id DESC LIMIT ?',
      )
      .all(symbol, limit) as TradeRowLite[];
    return rows.reverse().map(toTrade);
  }
}
