import type { MarketStatus, OrderKind, Side, StpMode, TimeInForce } from './types';

/**
 * Place a new order. Ids are assigned by the caller (the service owns the id sequence) and
 * must be unique among open orders. Units: `price`/`stopPrice` in ticks, `qty` in lots,
 * `quoteQty` in notional units (ticks × lots).
 *
 * - limit: price, qty; tif GTC (default) / IOC / FOK; optional postOnly.
 * - market: qty (either side) or, for buys only, quoteQty (spend at most this much); always IOC.
 * - stop_limit: stopPrice + the limit fields (postOnly not allowed).
 * - stop_market: stopPrice + the market fields.
 * - take_profit_limit / take_profit_market: as the stop kinds, triggered when the price moves
 *   for the order (a sell's rises to stopPrice, a buy's falls to it); they never trail.
 * - a trailing stop (either stop kind with `trailBps` or `trailAmount`): stopPrice is optional and is then an
 *   activation price (see trailing.ts); without it the order tracks from the last price.
 */
export interface PlaceCommand {
  type: 'place';
  /** Caller's clock, copied verbatim onto every event the command produces. */
  ts: number;
  orderId: number;
  userId: string;
  clientOrderId?: string;
  side: Side;
  kind: OrderKind;
  price?: number;
  stopPrice?: number;
  qty?: number;
  quoteQty?: number;
  tif?: TimeInForce;
  postOnly?: boolean;
  /** Defaults to `cancel_newest`. */
  stp?: StpMode;
  /** Stop kinds only: a trailing stop, this many basis points behind the best price (1–5000). */
  trailBps?: number;
  /**
   * Stop kinds only, instead of `trailBps`: a trailing stop this far behind the best price, in
   * price units (a positive multiple of the tick).
   */
  trailAmount?: number;
}

/**
 * Cancel one open order (resting or stop) by orderId, or by userId + clientOrderId. When
 * userId is given with an orderId, an order of another user is reported as unknown.
 */
export interface CancelCommand {
  type: 'cancel';
  ts: number;
  orderId?: number;
  userId?: string;
  clientOrderId?: string;
}

/** Cancel every open order of the market, or of one user, in ascending orderId order. */
export interface CancelAllCommand {
  type: 'cancel_all';
  ts: number;
  userId?: string;
  /**
   * `user` (default), `market_closed` when the service is closing the market, or
   * `dead_man_switch` when the owner's cancel-all-after countdown ran out.
   */
  reason?: 'user' | 'market_closed' | 'dead_man_switch';
}

/**
 * Change a resting limit order's price and/or remaining quantity (lots, the new open amount,
 * not a difference). A decrease at the same price keeps time priority; a price change or an
 * increase re-queues it at the back, and a new price that crosses trades first.
 */
export interface AmendCommand {
  type: 'amend';
  ts: number;
  orderId: number;
  userId?: string;
  price?: number;
  qty?: number;
}

/** End an open order because its time ran out (the service owns clocks and GTD dates). */
export interface ExpireCommand {
  type: 'expire';
  ts: number;
  orderId: number;
}

/** Change the market's status; resting orders stay. */
export interface SetStatusCommand {
  type: 'set_status';
  ts: number;
  status: MarketStatus;
}

/**
 * Place a one-cancels-the-other pair (Binance's OCO), both legs or neither: a post-only GTC
 * `limit` leg that rests and a `stop` leg (stop_limit or stop_market) that waits, of the same
 * user, side and quantity. The limit is on the profit side of the stop (a sell's limit above
 * its stop, a buy's below) and the stop must not hold at the last price. From then on the
 * first of a fill (even partial) of the limit leg, the stop's trigger, or a cancel or expiry
 * of either leg ends the other one in the same command (reason `oco`). Linked legs cannot be
 * amended. The legs' own `ts` is ignored. The stop leg may trail (`trailBps`): it then starts
 * at its activation price, or tracks from the last price.
 */
export interface PlaceOcoCommand {
  type: 'place_oco';
  ts: number;
  limit: PlaceCommand;
  stop: PlaceCommand;
  /**
   * A take-profit / stop-loss pair protecting a position: when the limit fills in part, the
   * stop follows what is left of it (an `amended` event with `followsLinked`) instead of
   * ending. Without it, Binance's rule: any fill of the limit ends the stop.
   */
  bracket?: boolean;
}

/** Everything the engine accepts. */
export type Command =
  | PlaceCommand
  | PlaceOcoCommand
  | CancelCommand
  | CancelAllCommand
  | AmendCommand
  | ExpireCommand
  | SetStatusCommand;
