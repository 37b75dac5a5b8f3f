import type {
  CancelReason,
  OrderBook,
  OrderKind,
  OrderStatus,
  Side,
  StpMode,
  TimeInForce,
} from '../../domain/exchange';
import type { OrderReservation } from '../../domain/ledger';
import type { Asset, MarketSpec } from '../../domain/markets';

/** A market at run time: its compiled rules and its book. */
export interface MarketRuntime {
  spec: MarketSpec;
  engine: OrderBook;
  /** The engine's last event seq and trade id, as last committed or seen in events. */
  lastSeq: number;
  lastTradeId: number;
}

/**
 * An order as the service tracks it (and stores it in `orders`): engine integers (ticks,
 * lots), quote minor units for `filledQuote`, and the reservation while it is open.
 */
export interface OrderState {
  id: number;
  userId: string;
  symbol: string;
  clientOrderId: string | null;
  side: Side;
  kind: OrderKind;
  tif: TimeInForce;
  postOnly: boolean;
  stp: StpMode;
  price: number;
  stopPrice: number;
  qty: number;
  /** Quote budget in notional units (ticks × lots) for quote-amount buys, else 0. */
  quoteQty: number;
  openQty: number;
  filledQty: number;
  filledQuote: bigint;
  status: OrderStatus;
  cancelReason: CancelReason | 'expired' | null;
  /** A stop still waiting for its trigger. */
  waiting: boolean;
  /**
   * A trailing stop (the engine's trailBps or trailAmount: one of `bps` and `amount` is 0):
   * `amount` is its distance in ticks; `anchor` is the best trade price since it started
   * tracking (0 while it waits for `from`, its activation price; `from` 0 when it tracked from
   * placement). Ticks. `since`: when it started tracking (ms; 0 not yet). Absent for every
   * other order.
   */
  trail?: { bps: number; amount: number; anchor: number; from: number; since: number };
  priority: number;
  res: OrderReservation;
  /** The order list (OCO) this order is a leg of, and the other leg; absent for a lone order. */
  listId?: number;
  siblingId?: number;
  tsCreated: number;
  tsUpdated: number;
}

/**
 * An order list (OCO pair) as the service tracks it and stores it in `order_lists`:
 * `executing` while the engine links both legs, `all_done` once the pair has acted.
 */
export interface OrderList {
  id: number;
  userId: string;
  symbol: string;
  listClientId: string | null;
  limitOrderId: number;
  stopOrderId: number;
  status: 'executing' | 'all_done';
  /** The stop follows a partial fill of the limit instead of ending (PlaceOcoCommand.bracket). */
  bracket: boolean;
  tsCreated: number;
  tsUpdated: number;
}

/** A fill as stored in `trades`. */
export interface TradeRow {
  symbol: string;
  tradeId: number;
  price: number;
  qty: number;
  quoteUnits: bigint;
  takerSide: Side;
  buyOrderId: number;
  sellOrderId: number;
  buyerId: string;
  sellerId: string;
  buyerFee: bigint;
  sellerFee: bigint;
  ts: number;
}

export type { Asset };
