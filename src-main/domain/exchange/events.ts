import type { ResultCode } from './result-codes';
import type { MarketStatus, OrderKind, Side, StpMode, TimeInForce } from './types';

/**
 * Fields on every event: `seq` is the market's event sequence (1, 2, 3… with no gaps, so a
 * consumer detects a lost event) and `tsEvent` is the `ts` of the command that caused it.
 */
export interface EventBase {
  seq: number;
  tsEvent: number;
}

/** An order entered the lifecycle (status `new`); a stop now waits in the trigger book. */
export interface AcceptedEvent extends EventBase {
  type: 'accepted';
  orderId: number;
  userId: string;
  clientOrderId: string | undefined;
  side: Side;
  kind: OrderKind;
  tif: TimeInForce;
  /** Limit price in ticks; 0 for market and stop-market orders. */
  price: number;
  /** Stop price in ticks; 0 for non-stop orders. */
  stopPrice: number;
  /** Quantity in lots; 0 for a quote-amount market buy. */
  qty: number;
  /** Quote budget in notional units (ticks × lots); 0 unless a quote-amount market buy. */
  quoteQty: number;
  postOnly: boolean;
  stp: StpMode;
  /** The other leg of an OCO pair (see PlaceOcoCommand); absent for a lone order. */
  linkedOrderId?: number;
  /** A trailing stop: its distance in basis points (`stopPrice` is its first stop price). */
  trailBps?: number;
  /** A trailing stop by an amount: price units behind its anchor (instead of trailBps). */
  trailAmount?: number;
  /** A trailing stop tracking from placement: the last price it tracks from (else 0). */
  trailAnchor?: number;
}

/** A place command was refused (status `rejected`); nothing was held by the engine. */
export interface RejectedEvent extends EventBase {
  type: 'rejected';
  orderId: number;
  userId: string;
  clientOrderId: string | undefined;
  code: ResultCode;
}

/**
 * One fill between a resting (maker) order and the incoming (taker) order, at the maker's
 * price. It is the lifecycle transition of both orders to `partially_filled` or `filled`
 * (filled ⇔ remaining is 0). Units: price ticks, qty lots, notional = price × qty.
 */
export interface TradeEvent extends EventBase {
  type: 'trade';
  /** Per-market trade sequence (1, 2, 3…); a ledger refuses a tradeId it already settled. */
  tradeId: number;
  price: number;
  qty: number;
  notional: number;
  takerSide: Side;
  takerOrderId: number;
  takerUserId: string;
  makerOrderId: number;
  makerUserId: string;
  buyerUserId: string;
  sellerUserId: string;
  /** True when the buyer was the resting order (fee: buyer pays maker rate). */
  buyerIsMaker: boolean;
  /** Maker's open quantity after this fill, lots (0 ⇒ maker filled). */
  makerRemainingQty: number;
  /** Taker's unfilled quantity after this fill, lots (0 for quote-amount orders). */
  takerRemainingQty: number;
  /** Quote-amount taker: budget left after this fill, notional units; otherwise 0. */
  takerRemainingQuote: number;
}

/** Why an order ended as `cancelled`. */
export type CancelReason =
  | 'user'
  | 'ioc_remainder'
  /**
   * A market buy by quote amount whose budget left cannot buy one lot at the next price:
   * it spent its amount as closely as lots allow (Binance's FILLED), not a remainder.
   */
  | 'quote_spent'
  | 'fok'
  | 'stp'
  | 'price_band'
  | 'no_liquidity'
  | 'market_closed'
  | 'dead_man_switch'
  /** The other leg of its OCO pair filled, triggered, or was cancelled or expired. */
  | 'oco';

/**
 * An open order ended (status `cancelled`). What it still held is released by the caller:
 * `remainingQty` lots (at `price` for a buy limit) or `remainingQuote` for a quote-amount buy.
 */
export interface CancelledEvent extends EventBase {
  type: 'cancelled';
  orderId: number;
  userId: string;
  side: Side;
  /** Limit price in ticks, 0 for market orders. */
  price: number;
  reason: CancelReason;
  remainingQty: number;
  remainingQuote: number;
  filledQty: number;
}

/** An open order ended because its time ran out (status `expired`); release as for cancel. */
export interface ExpiredEvent extends EventBase {
  type: 'expired';
  orderId: number;
  userId: string;
  side: Side;
  price: number;
  remainingQty: number;
  remainingQuote: number;
  filledQty: number;
}

/**
 * A resting order changed price and/or open quantity. The caller adjusts the hold from
 * oldPrice × oldQty to price × qty (buys) or oldQty to qty (sells). Trades may follow.
 */
export interface AmendedEvent extends EventBase {
  type: 'amended';
  orderId: number;
  userId: string;
  side: Side;
  oldPrice: number;
  oldQty: number;
  price: number;
  qty: number;
  /** True when the order went to the back of its (new) price level. */
  lostPriority: boolean;
  /**
   * The stop of a bracket pair following what is left of its limit after a partial fill: the
   * limit leg carries the pair's hold, so no hold changes with it.
   */
  followsLinked?: true;
}

/** A stop order's condition was met; it now matches as a market or limit order. */
export interface TriggeredEvent extends EventBase {
  type: 'triggered';
  orderId: number;
  userId: string;
  stopPrice: number;
  /** The last trade price that met the condition. */
  lastPrice: number;
}

/**
 * A trailing stop started tracking (its activation price was met) or found a new best price:
 * `anchor` is that price and `stopPrice` the stop price now (it may equal `oldStopPrice` when
 * the move was under a tick). A stop whose price changed goes behind the stops already at its
 * new price. No hold changes.
 */
export interface TrailedEvent extends EventBase {
  type: 'trailed';
  orderId: number;
  userId: string;
  side: Side;
  anchor: number;
  oldStopPrice: number;
  stopPrice: number;
}

/** The market's status changed. */
export interface StatusEvent extends EventBase {
  type: 'status';
  status: MarketStatus;
}

/** Everything the engine emits. */
export type EngineEvent =
  | AcceptedEvent
  | RejectedEvent
  | TradeEvent
  | CancelledEvent
  | ExpiredEvent
  | AmendedEvent
  | TriggeredEvent
  | TrailedEvent
  | StatusEvent;
