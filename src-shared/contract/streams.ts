/**
 * Event streams pushed to clients (WebSocket channels, IPC events). A stream name is a
 * channel; `seq` increases by one per channel so a client can detect a gap and resync.
 */
export const PUBLIC_STREAMS = ['system.notice', 'tickers'] as const;
/** Delivered only to the signed-in user they belong to (`orders`, `fills`, `balances`). */
export const PRIVATE_STREAMS = ['notifications', 'jobs', 'orders', 'fills', 'balances'] as const;

export type StreamName = (typeof PUBLIC_STREAMS)[number] | (typeof PRIVATE_STREAMS)[number];

/**
 * Public per-market channels (market data). `depth:<symbol>` carries aggregated depth diffs
 * whose `data.seq` increases by one per diff: a client that sees a gap refetches
 * `marketData.depth` and resyncs. `tape:<symbol>` carries public trades in decimals,
 * `candles:<symbol>:<interval>` the bar a trade updated, `tickers` every market's 24 h
 * statistics as they change.
 */
export const depthStream = (symbol: string): string => `depth:${symbol}`;
export const tapeStream = (symbol: string): string => `tape:${symbol}`;
export const candlesStream = (symbol: string, interval: string): string =>
  `candles:${symbol}:${interval}`;
export const TICKERS_STREAM = 'tickers';

export interface StreamMessage<T = unknown> {
  stream: string;
  seq: number;
  data: T;
}
