import type { OrderStatus } from './order-lifecycle';
import type { OrderKind, Side, StpMode, TimeInForce } from './types';

/**
 * An open order inside the fast book: one class so every order has the same hidden shape,
 * and intrusive `prev`/`next`/`level` links so queue removal needs no search or allocation.
 * Units: price/stopPrice ticks, qty (open) and filled lots, quote notional units.
 */
export class BookOrder {
  prev: BookOrder | null = null;
  next: BookOrder | null = null;
  level: PriceLevel | null = null;
  status: OrderStatus = 'new';
  filled = 0;
  /** The other leg of its OCO pair while both are open, else null. */
  linked: BookOrder | null = null;
  /** Its OCO pair is a bracket: the stop follows the limit's rest (PlaceOcoCommand). */
  bracket = false;
  /** Trailing stops (trailing.ts): basis points behind the anchor, 0 for a plain stop. */
  trailBps = 0;
  /** Trailing stops by an amount: price units behind the anchor (trailBps is then 0). */
  trailAmount = 0;
  /** The best trade price since it started tracking; 0 while it waits for its activation. */
  trailAnchor = 0;
  /** The activation price it was placed with, 0 when it tracked from placement. */
  trailFrom = 0;

  constructor(
    readonly id: number,
    readonly userId: string,
    readonly clientOrderId: string | undefined,
    readonly side: Side,
    readonly kind: OrderKind,
    readonly tif: TimeInForce,
    public price: number,
    /** Moves only for a trailing stop (see trailBps). */
    public stopPrice: number,
    /** Open quantity in lots (0 for a quote-amount market buy). */
    public qty: number,
    /** Remaining quote budget in notional units (quote-amount market buys only). */
    public quote: number,
    readonly byQuote: boolean,
    readonly postOnly: boolean,
    readonly stp: StpMode,
  ) {}
}

/** One price of one side: a FIFO queue of orders with its running totals. */
export class PriceLevel {
  head: BookOrder | null = null;
  tail: BookOrder | null = null;
  /** Sum of the open quantity of the queued orders, lots. */
  total = 0;
  count = 0;
  constructor(readonly price: number) {}
}
