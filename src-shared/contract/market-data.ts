import { Type } from '@sinclair/typebox';
import { Decimal, Obj, TimestampMs } from './common';
import { defineOperation } from './define';
import { ORDER_SIDES } from './exchange';

/**
 * Public market data derived from the engine: aggregated depth, the trade tape, OHLCV
 * candles and 24 h tickers. Prices and quantities are decimal strings; everything here is
 * readable without signing in, as `markets.list` is.
 */

export const CHART_INTERVALS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type CandleIntervalName = (typeof CHART_INTERVALS)[number];

/** Levels per side carried by the `depth:<symbol>` stream; resync with a snapshot this deep. */
export const DEPTH_STREAM_LEVELS = 50;

/** The deepest snapshot a client may ask for (Binance's REST depth goes to 5000 levels). */
export const MAX_DEPTH_LEVELS = 5000;

const MarketSymbol = Type.String({
  pattern: '^[A-Z0-9]{1,12}/[A-Z0-9]{1,12}$',
  examples: ['BTC/USDT'],
});
const Interval = Type.Union(CHART_INTERVALS.map((v) => Type.Literal(v)));
const Level = Type.Tuple([Decimal, Decimal], { description: '[price, quantity]' });

export const DepthView = Obj({
  symbol: MarketSymbol,
  /** Sequence of the last `depth:<symbol>` diff this snapshot contains. */
  seq: Type.Integer({ minimum: 0 }),
  /**
   * The market's last engine event this snapshot reflects: the update id of the full-book
   * update stream (the Binance facade's `lastUpdateId`).
   */
  updateId: Type.Integer({ minimum: 0 }),
  bids: Type.Array(Level),
  asks: Type.Array(Level),
});

export const PublicTradeView = Obj({
  tradeId: Type.Integer({ minimum: 1 }),
  price: Decimal,
  qty: Decimal,
  quoteQty: Decimal,
  takerSide: Type.Union(ORDER_SIDES.map((side) => Type.Literal(side))),
  ts: TimestampMs,
});

export const CandleView = Obj({
  openTime: TimestampMs,
  open: Decimal,
  high: Decimal,
  low: Decimal,
  close: Decimal,
  volume: Decimal,
  quoteVolume: Decimal,
  trades: Type.Integer({ minimum: 0 }),
});

const NullableDecimal = Type.Union([Decimal, Type.Null()]);

export const TickerView = Obj({
  symbol: MarketSymbol,
  open: NullableDecimal,
  high: NullableDecimal,
  low: NullableDecimal,
  last: NullableDecimal,
  volume: Decimal,
  quoteVolume: Decimal,
  change: Decimal,
  /** Percent with two decimals, e.g. "-1.23". */
  changePercent: Type.String(),
  trades: Type.Integer({ minimum: 0 }),
  bestBid: NullableDecimal,
  bestAsk: NullableDecimal,
  ts: TimestampMs,
});

export const marketDataDepth = defineOperation({
  name: 'marketData.depth',
  summary: 'Aggregated order book (best levels per side) with its stream sequence',
  description: `A snapshot consistent with the \`depth:<symbol>\` stream at \`seq\`. To resync after a gap, fetch depth ${DEPTH_STREAM_LEVELS} (the stream's depth) and apply the buffered diffs with a larger seq.`,
  access: 'public',
  tag: 'market-data',
  http: { method: 'GET', path: '/market-data/depth' },
  input: Obj({
    symbol: MarketSymbol,
    depth: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_DEPTH_LEVELS, default: DEPTH_STREAM_LEVELS }),
    ),
  }),
  output: DepthView,
});

export const marketDataTrades = defineOperation({
  name: 'marketData.trades',
  summary: 'Latest public trades of a market, newest first',
  access: 'public',
  tag: 'market-data',
  http: { method: 'GET', path: '/market-data/trades' },
  input: Obj({
    symbol: MarketSymbol,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  }),
  output: Obj({ items: Type.Array(PublicTradeView) }),
});

export const marketDataCandles = defineOperation({
  name: 'marketData.candles',
  summary: 'OHLCV candles of a market, oldest first',
  description:
    'Bars exist only where trades happened. `from`/`to` are bucket-start bounds (inclusive); without `from` the latest `limit` bars are returned.',
  access: 'public',
  tag: 'market-data',
  http: { method: 'GET', path: '/market-data/candles' },
  input: Obj({
    symbol: MarketSymbol,
    interval: Interval,
    from: Type.Optional(TimestampMs),
    to: Type.Optional(TimestampMs),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
  }),
  output: Obj({ symbol: MarketSymbol, interval: Interval, items: Type.Array(CandleView) }),
});

export const marketDataTickers = defineOperation({
  name: 'marketData.tickers',
  summary: 'Rolling 24 h statistics per market',
  access: 'public',
  tag: 'market-data',
  http: { method: 'GET', path: '/market-data/tickers' },
  input: Obj({ symbol: Type.Optional(MarketSymbol) }),
  output: Obj({ items: Type.Array(TickerView) }),
});

export const marketDataOperations = [
  marketDataDepth,
  marketDataTrades,
  marketDataCandles,
  marketDataTickers,
] as const;

/** A `depth:<symbol>` message: changed levels since `seq - 1` (quantity "0" = level gone). */
export interface DepthDiffMessage {
  symbol: string;
  seq: number;
  bids: [string, string][];
  asks: [string, string][];
}

/**
 * A `bookUpdates:<symbol>` message: the quantity now at every level the engine events with
 * seq `firstUpdateId`..`finalUpdateId` may have changed ("0" = level gone).
 */
export interface BookUpdateMessage {
  symbol: string;
  firstUpdateId: number;
  finalUpdateId: number;
  bids: [string, string][];
  asks: [string, string][];
}

/** A `candles:<symbol>:<interval>` message: the bar as it stands now. */
export interface CandleMessage {
  symbol: string;
  interval: CandleIntervalName;
  candle: {
    openTime: number;
    open: string;
    high: string;
    low: string;
    close: string;
    volume: string;
    quoteVolume: string;
    trades: number;
  };
}
