/**
 * Every outcome of an engine command, as a stable machine code. The service maps them to the
 * API's error codes; tests and clients may rely on the spelling. Grouped like exchange-core's
 * result codes: success, market state, order validation, identity, matching outcomes.
 */
export const ResultCode = {
  /** The command was applied. */
  ok: 'ok',

  /** The market is halted: only cancels (and expiries) are accepted. */
  marketHalted: 'market_halted',
  /** The market is cancel-only: only cancels (and expiries) are accepted. */
  marketCancelOnly: 'market_cancel_only',

  /** Malformed command: missing or contradictory fields for its order kind. */
  invalidOrder: 'invalid_order',
  /** Price (or stop price) is not a positive safe integer within the market's bounds. */
  invalidPrice: 'invalid_price',
  /** Quantity (or quote amount) is not a positive safe integer within the market's bounds. */
  invalidQuantity: 'invalid_quantity',
  /** Price is not a multiple of the market's tickSize (in engine ticks). */
  tickSize: 'tick_size',
  /** Quantity is not a multiple of the market's lotSize (in engine lots). */
  lotSize: 'lot_size',
  /** Quantity is below the market's minQty. */
  minQty: 'min_qty',
  /** price × qty (or the quote amount) is below the market's minNotional. */
  minNotional: 'min_notional',

  /** Another open order (resting or stop) already has this order id. */
  duplicateOrderId: 'duplicate_order_id',
  /** This user already has an open order with this client order id. */
  duplicateClientOrderId: 'duplicate_client_order_id',
  /** No open order with this id (or client id, or owner). */
  unknownOrder: 'unknown_order',
  /** The order exists but cannot be amended (stop orders waiting for their trigger). */
  orderNotAmendable: 'order_not_amendable',
  /** An OCO whose stop leg would trigger at the last price at once. */
  stopWouldTrigger: 'stop_would_trigger',
  /** A trailing stop without a stop price on a market that has not traded: nothing to trail. */
  noReferencePrice: 'no_reference_price',
  /** A fill replayed on recovery carries a trade id that was already applied. */
  duplicateTrade: 'duplicate_trade',

  /** A post-only order (or amend of one) would have traded as taker: rejected unchanged. */
  postOnlyWouldTake: 'post_only_would_take',
  /** A fill-or-kill order could not fill entirely at once: accepted then cancelled (`fok`). */
  fokCannotFill: 'fok_cannot_fill',
  /** The incoming order was cancelled by self-trade prevention (reason `stp`). */
  selfTradePrevented: 'self_trade_prevented',
  /** A market order's remainder was cancelled outside the price band (reason `price_band`). */
  priceBand: 'price_band',
  /** A market order found nothing to trade against (reason `no_liquidity`). */
  noLiquidity: 'no_liquidity',
} as const;

/** One of the engine's stable result codes (see {@link ResultCode}). */
export type ResultCode = (typeof ResultCode)[keyof typeof ResultCode];
