import type { OrderStatus } from './order-lifecycle';
import type {
  EngineMarketConfig,
  MarketStatus,
  OrderKind,
  Side,
  StpMode,
  TimeInForce,
} from './types';

/**
 * An open order as stored for recovery and shown in snapshots. Units: price/stopPrice ticks,
 * qty (open) and filledQty lots, quoteQty notional units (quote-amount stop-market buys).
 */
export interface OpenOrder {
  orderId: number;
  userId: string;
  clientOrderId?: string;
  side: Side;
  kind: OrderKind;
  tif: TimeInForce;
  /** Limit price in ticks (0 for stop-market). */
  price: number;
  /** Stop price in ticks (0 for orders in the book). */
  stopPrice: number;
  qty: number;
  quoteQty: number;
  filledQty: number;
  postOnly: boolean;
  stp: StpMode;
  status: OrderStatus;
  /** The other leg of its OCO pair, while both are open. */
  linkedOrderId?: number;
  /** Its OCO pair is a bracket (the stop follows the limit's rest). */
  bracket?: true;
  /** A trailing stop: basis points behind its anchor (stopPrice is its stop price now). */
  trailBps?: number;
  /** A trailing stop by an amount: price units behind its anchor (instead of trailBps). */
  trailAmount?: number;
  /** A trailing stop's best price since it started tracking; 0 while it waits to activate. */
  trailAnchor?: number;
  /** A trailing stop's activation price, 0 when it tracked from placement. */
  trailFrom?: number;
}

/**
 * Everything needed to rebuild a book exactly: `orders` are the resting orders in priority
 * order (bids best→worst, then asks best→worst, each level front→back of its queue) and
 * `stops` the waiting stops in trigger order. `lastSeq`/`lastTradeId` are the last numbers
 * used, so a rebuilt book continues both sequences without reuse.
 */
export interface BookSnapshot {
  config: EngineMarketConfig;
  status: MarketStatus;
  /** Last trade price in ticks, 0 when nothing has traded. */
  lastPrice: number;
  lastSeq: number;
  lastTradeId: number;
  orders: OpenOrder[];
  stops: OpenOrder[];
}

/** One aggregated price level: price ticks, total open lots, number of orders. */
export interface DepthLevel {
  price: number;
  qty: number;
  count: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_32 = 0x1_0000_0000;

/** FNV-1a step over one 32-bit word (as four bytes). */
function mixWord(hash: number, word: number): number {
  let h = hash;
  for (let shift = 0; shift < 32; shift += 8) {
    h = Math.imul(h ^ ((word >>> shift) & 0xff), FNV_PRIME);
  }
  return h >>> 0;
}

/**
 * A running 32-bit FNV-1a checksum over non-negative safe integers, for comparing books
 * cheaply (benches, tests). Start with {@link CHECKSUM_SEED}, fold with {@link checksumAdd}.
 */
export const CHECKSUM_SEED = FNV_OFFSET;

/** Folds one non-negative safe integer into a checksum. */
export function checksumAdd(hash: number, value: number): number {
  return mixWord(mixWord(hash, value % TWO_32), Math.floor(value / TWO_32));
}

/**
 * The checksum of a resting book given in priority order: for each order, its side
 * (0 buy, 1 sell), id, price and open qty. Any engine that lists its orders the same way
 * (ours, the reference, another library) gets the same value for the same book.
 */
export function restingChecksum(
  orders: Iterable<{ side: Side; orderId: number; price: number; qty: number }>,
): number {
  let h = CHECKSUM_SEED;
  for (const o of orders) {
    h = checksumAdd(h, o.side === 'buy' ? 0 : 1);
    h = checksumAdd(h, o.orderId);
    h = checksumAdd(h, o.price);
    h = checksumAdd(h, o.qty);
  }
  return h;
}
