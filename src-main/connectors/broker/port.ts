import type { DecimalText } from '../../domain/automation';

/**
 * The broker port: what Bourse asks of any external venue (Kraken, TradeLocker, ProjectX,
 * the MetaTrader bridge), in Bourse's neutral words. A connector translates these calls to
 * its broker's protocol and back; everything above it (accounts, automation, the screens)
 * speaks only this. Amounts and prices are exact decimal strings, never floats.
 *
 * Errors: connectors throw `BrokerError` (./errors.ts) so callers can tell a refusal from an
 * outage from an unknown outcome.
 */

export type BrokerSide = 'buy' | 'sell';
export type BrokerOrderType = 'market' | 'limit' | 'stop' | 'stop_limit';
export type BrokerOrderStatus =
  | 'pending' // accepted by the broker, not yet working (e.g. a bracket child waiting for its entry)
  | 'open'
  | 'partially_filled'
  | 'filled'
  | 'cancelled'
  | 'rejected'
  | 'expired';

/** A tradable instrument with the rules an order must meet. */
export interface BrokerInstrument {
  /** The name alerts and screens use (e.g. `BTC/USD`, `EURUSD`, `MNQ`). */
  symbol: string;
  /** The broker's own identifier (Kraken `XXBTZUSD`, TradeLocker tradableInstrumentId, ProjectX contract id). */
  venueId: string;
  /** Other names an alert may use for it (Kraken altname `XBTUSD`, TradingView `NQ1!`…). */
  aliases?: string[];
  kind: 'spot' | 'future' | 'cfd' | 'forex';
  baseAsset?: string;
  quoteAsset?: string;
  tickSize: DecimalText;
  /** Quantity step (lot step; `1` for contracts). */
  lotSize: DecimalText;
  minQty: DecimalText;
  minNotional?: DecimalText | null;
  /** Value of one price tick per contract (futures), when known. */
  tickValue?: DecimalText | null;
  /** Units per lot (CFDs/forex), when known. */
  contractSize?: DecimalText | null;
}

export interface BrokerCandle {
  /** Bar open, epoch ms. */
  time: number;
  open: DecimalText;
  high: DecimalText;
  low: DecimalText;
  close: DecimalText;
  volume: DecimalText;
}

export interface BrokerBalance {
  asset: string;
  total: DecimalText;
  available: DecimalText;
}

export interface BrokerPosition {
  symbol: string;
  side: 'long' | 'short';
  /** Always positive; `side` gives the sign. */
  qty: DecimalText;
  avgPrice: DecimalText;
  unrealisedPnl: DecimalText | null;
  /** The broker's position id when it has one (TradeLocker, MetaTrader tickets). */
  positionId?: string;
  /**
   * The price the broker values the position at, when it reports one with the position
   * (MetaTrader's current price). Otherwise the session takes it from `quote` events.
   */
  markPrice?: DecimalText | null;
}

/** Top of book of an instrument, pushed for the symbols a session watches. */
export interface BrokerQuote {
  symbol: string;
  bid: DecimalText | null;
  ask: DecimalText | null;
  last: DecimalText | null;
  /** Epoch ms of the broker's quote (or of receipt when it gives none). */
  at: number;
}

/**
 * An order a broker places by itself once an order fills, to close what the fill opened, as
 * the broker reports it (same quantity, other side): a stop-loss, a take-profit, a trailing
 * stop-loss or a plain limit. Kraken attaches one (its conditional close); TradeLocker and
 * MetaTrader a stop-loss and a take-profit side by side. Prices and distances are exact
 * decimal strings.
 */
export interface BrokerAttachedClose {
  type: 'stop_loss' | 'take_profit' | 'trailing_stop' | 'limit';
  /**
   * Its trigger (stop-loss, take-profit) or its limit (limit). Null on a trailing stop, whose
   * trigger exists only once it is placed, and when the broker gives it relative to a price
   * rather than as one (then `offset` says how far, if the broker says).
   */
  price: DecimalText | null;
  /**
   * How far from the order's own price it is, in price units, when the broker gives it as a
   * distance (TradeLocker's `offset`): always positive, the side follows from the type and the
   * order's side (a buy's stop-loss below, its take-profit above). Null otherwise.
   */
  offset: DecimalText | null;
  /**
   * The limit it becomes once triggered (Kraken's `stop loss 22000.0 -> limit 21000.0`); null
   * when it closes at market, or when the broker gives that limit relative to the trigger.
   */
  limitPrice: DecimalText | null;
  /** A trailing stop's distance in percent, when it trails by percent. */
  trailPercent: DecimalText | null;
  /** A trailing stop's distance in price units (quote currency), when it trails by an amount. */
  trailAmount: DecimalText | null;
}

/** A close's fields all unsaid: spread it, then give the type and the fields the broker gives. */
export const CLOSE_UNSAID = {
  price: null,
  offset: null,
  limitPrice: null,
  trailPercent: null,
  trailAmount: null,
} as const satisfies Omit<BrokerAttachedClose, 'type'>;

export interface BrokerOrder {
  orderId: string;
  clientOrderId: string | null;
  symbol: string;
  side: BrokerSide;
  type: BrokerOrderType;
  qty: DecimalText;
  filledQty: DecimalText;
  price: DecimalText | null;
  /** The trigger price; on a trailing stop, where the broker has it now (null if it does not say). */
  stopPrice: DecimalText | null;
  /** A trailing stop's distance in percent, when the order trails by percent. */
  trailPercent?: DecimalText | null;
  /** A trailing stop's distance in price units (quote currency), when it trails by an amount. */
  trailAmount?: DecimalText | null;
  /**
   * The closes the broker places when this order fills (`stopLoss`, `takeProfit` or a trailing
   * stop-loss sent with it), stop-losses first: `[]` when the broker says it has none. Absent:
   * the connector does not say (the views show null).
   */
  closes?: BrokerAttachedClose[];
  avgPrice: DecimalText | null;
  status: BrokerOrderStatus;
  /** Why the broker rejected or cancelled it, when it said. */
  reason?: string | null;
  /** Epoch ms of the broker's last change, when it says. */
  updatedAt?: number | null;
}

export interface BrokerFill {
  fillId: string;
  orderId: string;
  clientOrderId: string | null;
  symbol: string;
  side: BrokerSide;
  qty: DecimalText;
  price: DecimalText;
  fee?: DecimalText | null;
  feeAsset?: string | null;
  time: number;
}

export interface BrokerOrderRequest {
  /**
   * Bourse's id for this order, sent to the broker (Kraken `cl_ord_id`, ProjectX `customTag`,
   * TradeLocker `strategyId`, MetaTrader comment/command id). A retry with the same id must
   * never create a second order: connectors look it up before re-sending.
   */
  clientOrderId: string;
  symbol: string;
  side: BrokerSide;
  type: BrokerOrderType;
  qty: DecimalText;
  /** Limit price (limit, stop_limit). */
  price?: DecimalText;
  /** Trigger price (stop, stop_limit); absent on a trailing stop. */
  stopPrice?: DecimalText;
  /**
   * A trailing stop (type `stop`): the broker keeps its trigger this percent behind the best
   * price since placement, starting from its own last price. Only where the connector says it
   * can (`trailing.entry`).
   */
  trailPercent?: DecimalText;
  /**
   * The same trailing stop with its distance in price units (50 = 50 quote units behind the
   * best price) instead of percent: one of the two, never both. Only where the connector says
   * it can (`trailing.entry` and `trailing.amount`); the connector checks the amount against
   * the instrument's price decimals and refuses, never rounds.
   */
  trailAmount?: DecimalText;
  timeInForce?: 'GTC' | 'IOC';
  /** Absolute protective levels, when the broker attaches them to the order. */
  stopLoss?: DecimalText;
  /**
   * A trailing protective stop instead of `stopLoss`: it trails the best price this percent
   * behind once the order fills. Only where the connector says it can (`trailing.stopLoss`).
   */
  stopLossTrailPercent?: DecimalText;
  /** That trailing stop-loss by an amount in price units (`trailing.stopLoss` and `.amount`). */
  stopLossTrailAmount?: DecimalText;
  takeProfit?: DecimalText;
  reduceOnly?: boolean;
  /** Check only (Kraken `validate=true`): nothing is placed; the answer has status `pending`. */
  validateOnly?: boolean;
}

export interface BrokerAmendRequest {
  orderId: string;
  qty?: DecimalText;
  price?: DecimalText;
  stopPrice?: DecimalText;
}

/** What a connection test found: who the credentials are and what they may do. */
export interface ConnectionReport {
  account: { id: string; name: string; currency: string | null };
  permissions: {
    read: boolean;
    trade: boolean;
    /** True when the key can withdraw; null when the broker has no withdrawals over this API. */
    withdraw: boolean | null;
  };
  /** Broker clock minus local clock, in ms (positive: the broker is ahead). */
  skewMs: number;
  serverTime: number;
  /** Anything the user should know (e.g. "2FA otp in use", "simulated account"). */
  notes: string[];
}

export type ConnectionState = 'connecting' | 'up' | 'down';

export type BrokerEvent =
  | { type: 'order'; order: BrokerOrder }
  | { type: 'fill'; fill: BrokerFill }
  | { type: 'position'; position: BrokerPosition }
  | { type: 'position_closed'; symbol: string }
  | { type: 'balances'; balances: BrokerBalance[] }
  /** A price of a watched symbol (see `watchQuotes`). */
  | { type: 'quote'; quote: BrokerQuote }
  /** Stream state. After `up` following a `down`, the session re-syncs over REST. */
  | { type: 'connection'; state: ConnectionState; reason?: string };

/** The trailing stops a broker places natively (`BrokerConnector.trailing`). */
export interface BrokerTrailing {
  /** A trailing stop order (type `stop`, `trailPercent`). */
  entry: boolean;
  /** A trailing stop-loss attached to an order (`stopLossTrailPercent`). */
  stopLoss: boolean;
  /** Either of them by an amount in price units, not only by percent. */
  amount: boolean;
}

/** What a connector that declares no `trailing` can do: no trailing stop at all. */
export const NO_TRAILING: Readonly<BrokerTrailing> = Object.freeze({
  entry: false,
  stopLoss: false,
  amount: false,
});

export interface BrokerConnector {
  readonly venue: string;
  /**
   * True when the push stream reports every balance change (ProjectX's account events,
   * MetaTrader's heartbeats): the session then does not re-read balances after each fill,
   * which would spend the broker's request budget on what is already pushed.
   */
  readonly streamsBalances?: boolean;
  /**
   * True when `place` hands nothing to the broker before every commit made ahead of the call
   * is on disk (the MetaTrader bridge: the EA is handed a command only once its queue row is
   * synced). The journal's pending row then rides on that same sync instead of a wait of its
   * own before `place`; either way no order reaches a broker unrecorded.
   */
  readonly syncsBeforeSending?: boolean;
  /**
   * Which trailing stops the broker places natively: a trailing stop entry (`trailPercent`)
   * and a trailing protective stop on an order (`stopLossTrailPercent`), and whether either
   * may trail by an amount in price units (`trailAmount`, `stopLossTrailAmount`). Absent:
   * none, and an alert asking for one is refused before anything is sent.
   */
  readonly trailing?: BrokerTrailing;
  /** Logs in (if the broker has sessions) and reports identity, permissions and clock skew. */
  testConnection(): Promise<ConnectionReport>;
  serverTime(): Promise<{ serverTime: number; skewMs: number }>;
  instruments(): Promise<BrokerInstrument[]>;
  balances(): Promise<BrokerBalance[]>;
  positions(): Promise<BrokerPosition[]>;
  openOrders(): Promise<BrokerOrder[]>;
  /** The order placed with this client id (open or recently closed), or null if none exists. */
  findOrder(clientOrderId: string): Promise<BrokerOrder | null>;
  place(request: BrokerOrderRequest): Promise<BrokerOrder>;
  amend(request: BrokerAmendRequest): Promise<BrokerOrder>;
  cancel(orderId: string): Promise<void>;
  /** Cancels every open order (on one symbol when given); returns how many. */
  cancelAll(symbol?: string): Promise<number>;
  /** Closes a position (all of it, or `qty`); returns the closing order when the broker gives one. */
  closePosition(symbol: string, qty?: DecimalText): Promise<BrokerOrder | null>;
  /**
   * Starts the push stream (WebSocket, SignalR, polling) and delivers events until the
   * returned function is called. The connector reconnects by itself and reports
   * `connection` events; it never replays, so the caller re-syncs on `up`.
   */
  subscribe(listener: (event: BrokerEvent) => void): () => void;
  /** Closes sockets and timers. */
  close(): Promise<void>;
  /**
   * Bars of an instrument, oldest first, for brokers that serve history (Kraken OHLC,
   * ProjectX retrieveBars). `intervalMin` is one of 1, 5, 15, 30, 60, 240, 1440.
   */
  candles?(symbol: string, intervalMin: number, sinceMs?: number): Promise<BrokerCandle[]>;
  /**
   * The account's latest fills over REST (Kraken's TradesHistory), for brokers whose stream
   * does not replay what it missed: the session reads them at each sync, so fills made while
   * the stream was down (or Bourse was off) are still stored. Stored once by fill id.
   */
  recentFills?(): Promise<BrokerFill[]>;
  /** Net P&L (after fees) of trades since `sinceMs`, for brokers whose API reports it. */
  realisedPnlSince?(sinceMs: number): Promise<DecimalText>;
  /**
   * The symbols whose prices the session wants (those of open positions): the connector
   * (un)subscribes so its streams push `quote` events for exactly these, and keeps them
   * across reconnects. Each call replaces the previous set. Absent: no live prices.
   */
  watchQuotes?(symbols: string[]): void;
}

/** A field of a venue's connection form. Secret fields go to the secret store only. */
export interface BrokerField {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  /** Shown under the field. */
  help?: string;
  /** Allowed values (renders a select). */
  options?: string[];
  /** Default for non-secret fields. */
  default?: string;
  /** A whole number from `min` to `max`: checked, with a clear refusal, before any connection. */
  integer?: { min: number; max: number };
  /** Tuning most users leave alone (timeouts, polling): the form shows it under "Advanced". */
  advanced?: boolean;
}

/**
 * The per-request deadline every HTTP venue offers under "Advanced" (`timeoutMs`), with the
 * venue's own words for what it bounds when they differ.
 */
export function requestTimeoutField(
  help = 'How long a call to the broker may take. An order whose answer does not come in time is looked up by its client id before anything is retried.',
): BrokerField {
  return {
    name: 'timeoutMs',
    label: 'Request timeout (ms)',
    secret: false,
    required: false,
    default: '10000',
    integer: { min: 1_000, max: 120_000 },
    advanced: true,
    help,
  };
}

export interface BrokerDeps {
  now: () => number;
  /** The Bourse trading account this connector serves (logs, the MetaTrader queue). */
  accountId?: string;
  /** The account's mode: a venue with separate demo and live hosts picks by it. */
  mode?: 'demo' | 'live';
  /** Injected so tests can count and fail requests; defaults to global fetch. */
  fetch?: typeof fetch;
  /** Random source for jitter (tests make it deterministic). */
  random?: () => number;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /**
   * State every connector of this backend shares, by a key the venue chooses: what the broker
   * counts per API key (Kraken's call counter and nonce order) must be counted once, though
   * the connection test and the account's session each build a connector with the same key.
   */
  shared?: Map<string, unknown>;
}

/** Settings every venue may accept for where the broker is (`BrokerDefinition.addresses`). */
export const BROKER_ADDRESSES = ['baseUrl', 'wsUrl', 'hubUrl'] as const;
export type BrokerAddress = (typeof BROKER_ADDRESSES)[number];

/** How the accounts feature learns a venue exists and builds a connector for an account. */
export interface BrokerDefinition {
  venue: string;
  label: string;
  /** True for CFD/futures brokers (positions); false for spot (balances). */
  positions: boolean;
  modes: ReadonlyArray<'demo' | 'live'>;
  defaultCurrency: string;
  fields: BrokerField[];
  /**
   * The broker addresses its connector reads besides its own fields (a proxy, a test server),
   * offered under the form's "Advanced"; any other is refused. Default: all three.
   */
  addresses?: ReadonlyArray<BrokerAddress>;
  /**
   * The broker side calls Bourse (the MetaTrader bridge EA): there is nothing to test before
   * the account exists; Bourse issues the token the remote side presents, shown once.
   */
  inbound?: boolean;
  /**
   * Builds a connector. `settings` holds the non-secret fields (and the addresses, which tests
   * and advanced users point at another host), `secrets` the secret ones.
   */
  create(
    settings: Record<string, string>,
    secrets: Record<string, string>,
    deps: BrokerDeps,
  ): BrokerConnector;
}
