import type { Static } from '@sinclair/typebox';
import type { BalanceView, OrderView, TradeView } from './exchange';
import type { OrderListView } from './order-lists';
import {
  CHART_INTERVALS,
  type BookUpdateMessage,
  type CandleMessage,
  type DepthDiffMessage,
  type PublicTradeView,
  type TickerView,
} from './market-data';
import type { JobRun, Notification } from './system';
import type { BrokerStateView } from './brokers';
import type { PnlUpdateView } from './analytics';
import type { BotView } from './bots';
import type { WithdrawalView } from './withdrawals';
import type { DepositView } from './funding';

/**
 * Event streams pushed to clients (WebSocket channels, IPC events). A stream name is a
 * channel; `seq` increases by one per channel so a client can detect a gap and resync.
 */
export const PUBLIC_STREAMS = ['system.notice', 'tickers'] as const;
/** Delivered only to the signed-in user they belong to (`orders`, `fills`, `balances`). */
export const PRIVATE_STREAMS = [
  'notifications',
  'jobs',
  'orders',
  'orderLists',
  'fills',
  'balances',
  'brokers',
  'pnl',
  'bots',
  'withdrawals',
  'deposits',
] as const;

/** The streams with a fixed name (the others are per market: `depth:<symbol>` and so on). */
export type FixedStreamName = (typeof PUBLIC_STREAMS)[number] | (typeof PRIVATE_STREAMS)[number];

/** An operator's broadcast on `system.notice`. */
export interface SystemNotice {
  text: string;
}

/**
 * What each stream carries, by name or name pattern: the one place a client (the renderer's
 * `subscribe`) and the backend agree on a payload. The views are the operations' schemas, so
 * a stream message has the same shape as the row a list operation returns.
 */
export interface StreamPayloads {
  'system.notice': SystemNotice;
  tickers: Static<typeof TickerView>;
  notifications: Static<typeof Notification>;
  jobs: Static<typeof JobRun>;
  orders: Static<typeof OrderView>;
  /** An order list (OCO) when it is placed and when it is done, after its legs' `orders`. */
  orderLists: Static<typeof OrderListView>;
  fills: Static<typeof TradeView>;
  balances: Static<typeof BalanceView>;
  /** A broker account's state after any change (connection, balances, positions, orders). */
  brokers: Static<typeof BrokerStateView>;
  /** Accounts' P&L figures after fills, positions or prices moved them (bursts coalesced). */
  pnl: Static<typeof PnlUpdateView>;
  /** A bot's view whenever its status, position or last bar changes. */
  bots: Static<typeof BotView>;
  /** One of your withdrawals after any change of status or confirmations. */
  withdrawals: Static<typeof WithdrawalView>;
  /** A deposit of yours whenever it is seen, gains a confirmation, or changes status. */
  deposits: Static<typeof DepositView>;
  [depth: `depth:${string}`]: DepthDiffMessage;
  [tape: `tape:${string}`]: Static<typeof PublicTradeView>;
  [candles: `candles:${string}`]: CandleMessage;
  [bookUpdates: `bookUpdates:${string}`]: BookUpdateMessage;
}

/** Every stream name, fixed or per market (`depth:${string}`, …). */
export type StreamName = keyof StreamPayloads & string;

/** A message of stream `S`, its payload typed from `StreamPayloads`. */
export type StreamMessageOf<S extends StreamName> = StreamMessage<StreamPayloads[S]> & {
  stream: S;
};

/**
 * Public per-market channels (market data). `depth:<symbol>` carries aggregated depth diffs
 * whose `data.seq` increases by one per diff: a client that sees a gap refetches
 * `marketData.depth` and resyncs. `tape:<symbol>` carries public trades in decimals,
 * `candles:<symbol>:<interval>` the bar a trade updated, `tickers` every market's 24 h
 * statistics as they change.
 */
export const depthStream = (symbol: string): `depth:${string}` => `depth:${symbol}`;
export const tapeStream = (symbol: string): `tape:${string}` => `tape:${symbol}`;
export const candlesStream = (symbol: string, interval: string): `candles:${string}` =>
  `candles:${symbol}:${interval}`;
export const TICKERS_STREAM = 'tickers' satisfies FixedStreamName;
/**
 * Full-book updates of a market (every level a batch changed, with ids from the market's
 * event sequence): what the Binance door's diff-depth stream serves. Not a `/ws` channel.
 */
export const bookUpdatesStream = (symbol: string): `bookUpdates:${string}` =>
  `bookUpdates:${symbol}`;

export interface StreamMessage<T = unknown> {
  stream: string;
  seq: number;
  data: T;
}

/**
 * True when `m` is a message of `stream`. Its payload is then `StreamPayloads[S]`: the
 * backend publishes each stream's payload from this map, and the wire carries no type, so
 * this is where a client takes it as given.
 */
export function isMessageOf<S extends StreamName>(
  m: StreamMessage,
  stream: S,
): m is StreamMessageOf<S> {
  return m.stream === stream;
}

/**
 * The `/ws` protocol, client to server: `{op:'auth', token}`, `{op:'subscribe', streams}`,
 * `{op:'unsubscribe', streams}`, `{op:'ping'}`. Errors come back as `{op:'error', code, message}`.
 *
 * A connection authenticated with a token lasts as long as the token: send `auth` again with the
 * refreshed token before it expires (the renderer does so whenever it refreshes its session).
 * When it expires unrefreshed, the server sends `{op:'error', code:'token_expired'}` and closes
 * with `WS_CLOSE.tokenExpired`; a client refreshes and reconnects.
 */
export const WS_CLOSE = {
  /** Logout, ban, revoked key or session: sign in again. */
  sessionEnded: 4001,
  /** The access (or listen) token expired without a new `auth`. */
  tokenExpired: 4002,
  originNotAllowed: 4003,
  /** The client read too slowly: reconnect and resync from a snapshot. */
  tooSlow: 4008,
  /** The client sent messages faster than a connection may (a burst of 100, then 20 a second). */
  tooManyMessages: 4009,
} as const;

/** Most streams one `/ws` connection may hold; a subscribe past it is refused as a whole. */
export const MAX_STREAMS_PER_CONNECTION = 256;

/** The per-market part of a stream name (`depth:BTC-USDT` → BTC-USDT), if it has one. */
export function marketOfStream(name: string): string | undefined {
  const [kind, symbol, interval, ...rest] = name.split(':');
  if (rest.length > 0 || symbol === undefined || symbol === '') return undefined;
  if ((kind === 'depth' || kind === 'tape') && interval === undefined) return symbol;
  if (kind === 'candles' && (CHART_INTERVALS as readonly string[]).includes(interval ?? '')) {
    return symbol;
  }
  return undefined;
}

/** A stream the backend serves: a fixed one, or a per-market one of an existing market. */
export function isKnownStream(name: string, markets: ReadonlySet<string>): boolean {
  if ((PUBLIC_STREAMS as readonly string[]).includes(name)) return true;
  if ((PRIVATE_STREAMS as readonly string[]).includes(name)) return true;
  const symbol = marketOfStream(name);
  return symbol !== undefined && markets.has(symbol);
}
