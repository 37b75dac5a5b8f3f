import type { BacktestAssumptions } from './assumptions';

/** Buy or sell. */
export type OrderSide = 'buy' | 'sell';
/** Market fills at the next bar; limit/stop fill when the bar's range touches their price. */
export type OrderType = 'market' | 'limit' | 'stop';
/** Order lifecycle: open → filled | cancelled | rejected. */
export type OrderStatus = 'open' | 'filled' | 'cancelled' | 'rejected';

/** What a strategy asks for. Without `quantity` the `sizing` assumption decides at fill. */
export interface OrderRequest {
  side: OrderSide;
  type?: OrderType;
  quantity?: number;
  /** Limit or stop price; required for those types (not for a trailing stop). */
  price?: number;
  /**
   * A trailing stop (type `stop`, no `price`): the stop starts this many percent (0 < p ≤ 50)
   * behind the close of the bar it is placed on and, on each bar that does not trigger it,
   * follows that bar's close — a sell's only up, a buy's only down (backtrader's StopTrail,
   * `trailpercent`). Not with `trailAmount`.
   */
  trailPercent?: number;
  /**
   * A trailing stop by a fixed distance in price units (finite, above 0): as `trailPercent`,
   * but the stop sits this much behind the close (backtrader's StopTrail, `trailamount`).
   * Not with `trailPercent`.
   */
  trailAmount?: number;
  /** Free text carried into the order and the trade (e.g. "entry", "stop-loss"). */
  tag?: string;
}

/** An order and what happened to it. Orders are plain data (structured-clone safe). */
export interface Order {
  id: number;
  side: OrderSide;
  type: OrderType;
  /** Requested quantity; NaN = decided by sizing at fill; see also `closesPosition`. */
  quantity: number;
  /** Limit/stop price (a trailing stop's where it is now); NaN for market orders. */
  price: number;
  /** A trailing stop's distance in percent; NaN when the order does not trail by percent. */
  trailPercent: number;
  /** A trailing stop's distance in price units; NaN when the order does not trail by amount. */
  trailAmount: number;
  /** Closes whatever position exists at fill time (from `closePosition`). */
  closesPosition: boolean;
  status: OrderStatus;
  tag: string;
  submittedIndex: number;
  submittedTime: number;
  /** Bar index/time of the fill or cancellation/rejection; -1 / NaN while open. */
  doneIndex: number;
  doneTime: number;
  filledQuantity: number;
  fillPrice: number;
  feeMinor: number;
  /** Why it was rejected or cancelled. */
  reason: string;
}

/** Adverse slippage in price units for a market/stop fill at `price`. */
function slippageAt(a: BacktestAssumptions, price: number): number {
  const s = a.slippage;
  if (s.kind === 'bps') return (price * s.bps) / 10_000;
  if (s.kind === 'ticks') return s.ticks * a.tickSize;
  return 0;
}

/**
 * Fill price of `order` on a bar, or NaN when it does not fill on this bar.
 *
 * - market: the open (or close with `marketFill: 'next-close'`) plus half the spread and
 *   slippage, both against the order.
 * - limit buy at L: fills when the ask (low + half spread) reaches L, at L — or at the ask
 *   at the open when the bar opened through L (a better price). No slippage. Sells mirror.
 * - stop buy at S: triggers when the ask (high + half spread) reaches S, at S — or at the
 *   ask at the open when the bar gapped through S — then slippage is added. Sells mirror.
 *
 * There is no intrabar path: orders on one bar are checked in submission order.
 */
export function fillPriceOn(
  order: Order,
  a: BacktestAssumptions,
  open: number,
  high: number,
  low: number,
  close: number,
): number {
  const half = a.spread / 2;
  const buy = order.side === 'buy';
  const dir = buy ? 1 : -1;
  if (order.type === 'market') {
    const base = (a.marketFill === 'next-close' ? close : open) + dir * half;
    return base + dir * slippageAt(a, base);
  }
  const p = order.price;
  if (order.type === 'limit') {
    if (buy) return low + half <= p ? Math.min(open + half, p) : NaN;
    return high - half >= p ? Math.max(open - half, p) : NaN;
  }
  if (buy) {
    if (high + half < p) return NaN;
    const base = Math.max(open + half, p);
    return base + slippageAt(a, base);
  }
  if (low - half > p) return NaN;
  const base = Math.min(open - half, p);
  return base - slippageAt(a, base);
}

/** Whether `order` is a trailing stop (by percent or by amount). */
export function trails(order: Readonly<Order>): boolean {
  return !Number.isNaN(order.trailPercent) || !Number.isNaN(order.trailAmount);
}

/**
 * A trailing stop after bar `close` left it untriggered: the level its distance behind the
 * close when that is better (a sell's higher, a buy's lower), else where it was. An equal
 * level changes nothing (backtrader discards it).
 */
export function trailAfterBar(order: Order, close: number): number {
  const level = trailLevelOf(order, close);
  return order.side === 'sell' ? Math.max(order.price, level) : Math.min(order.price, level);
}

/**
 * Where a trailing `order`'s stop sits behind `reference`: `trailAmount` price units, or
 * `trailPercent` percent, below it for a sell and above it for a buy. Prices are floats in
 * the backtest (as every fill price), so this is float arithmetic too.
 */
export function trailLevelOf(order: Readonly<Order>, reference: number): number {
  if (!Number.isNaN(order.trailAmount)) {
    return order.side === 'sell' ? reference - order.trailAmount : reference + order.trailAmount;
  }
  return trailLevelAt(order.side, reference, order.trailPercent);
}

/** The stop `percent` behind `reference`: below it for a sell, above it for a buy. */
export function trailLevelAt(side: OrderSide, reference: number, percent: number): number {
  return side === 'sell' ? reference * (1 - percent / 100) : reference * (1 + percent / 100);
}
