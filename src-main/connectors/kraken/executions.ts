import type {
  BrokerAttachedClose,
  BrokerEvent,
  BrokerOrder,
  BrokerOrderStatus,
  BrokerOrderType,
} from '../broker/port';
import { decimalOf, numberOf } from './json';

/** One item of the WebSocket v2 `executions` channel (fields Bourse reads). */
export interface Execution {
  exec_type: string;
  order_id: string;
  cl_ord_id?: string;
  symbol?: string;
  side?: 'buy' | 'sell';
  order_type?: string;
  order_qty?: unknown;
  limit_price?: unknown;
  stop_price?: unknown;
  /**
   * Trigger parameters of stop, take-profit and trailing orders: `price` as sent, read per
   * `price_type` (`static` a price, `pct` a percent, `quote` a price distance), and
   * `actual_price`, the effective trigger now (a trailing stop's moves show there).
   */
  triggers?: { price?: unknown; price_type?: string; actual_price?: unknown };
  order_status?: string;
  cum_qty?: unknown;
  avg_price?: unknown;
  exec_id?: string;
  trade_id?: unknown;
  last_qty?: unknown;
  last_price?: unknown;
  fees?: { asset: string; qty: unknown }[];
  timestamp?: string;
  reason?: string;
}

const STATUS: Record<string, BrokerOrderStatus> = {
  pending_new: 'pending',
  new: 'open',
  partially_filled: 'partially_filled',
  filled: 'filled',
  canceled: 'cancelled',
  expired: 'expired',
};

const TYPE: Record<string, BrokerOrderType> = {
  market: 'market',
  limit: 'limit',
  iceberg: 'limit',
  'stop-loss': 'stop',
  'take-profit': 'stop',
  'trailing-stop': 'stop',
  'stop-loss-limit': 'stop_limit',
  'take-profit-limit': 'stop_limit',
  'trailing-stop-limit': 'stop_limit',
};

/** A decimal above zero, or null (Kraken sends `stop_price: 0.0` on orders without one). */
function positive(v: unknown): string | null {
  const d = decimalOf(v);
  return d && !/^0(\.0*)?$/.test(d) ? d : null;
}

/**
 * A trailing stop's distance from its `triggers` (WS v2 `price_type`, as add_order and
 * amend_order document it: "`pct`: a percentage offset from the reference price", "`quote`: a
 * notional offset from the reference price in the quote currency"): `pct` is `trailPercent`,
 * `quote` is `trailAmount` (its size: the docs write a drop as a negative offset, while a
 * trailing stop's direction comes from its side). A report without its order type or
 * triggers (a fill, a cancel) keeps what the order had.
 */
function trailOf(
  x: Execution,
  prev: BrokerOrder | undefined,
): Pick<BrokerOrder, 'trailPercent' | 'trailAmount'> {
  const kept = { trailPercent: prev?.trailPercent ?? null, trailAmount: prev?.trailAmount ?? null };
  if (!(x.order_type ?? '').startsWith('trailing-stop')) return kept;
  const t = x.triggers;
  if (t?.price_type === 'pct') return { trailPercent: positive(t.price), trailAmount: null };
  if (t?.price_type === 'quote') {
    const size = decimalOf(t.price)?.replace(/^-/, '');
    return { trailPercent: null, trailAmount: size ? positive(size) : null };
  }
  return kept;
}

/** The closes known for an order (by txid, else client id); undefined: nothing known. */
export type CloseOf = (
  orderId: string,
  clientOrderId: string | null,
) => BrokerAttachedClose[] | undefined;

/**
 * Turns execution reports into Bourse events. Kraken sends an order's full description on
 * `new` (and in the snapshot) and only the changed fields afterwards, so the last known state
 * of each order is kept here and each report is merged into it. A report never describes the
 * order's conditional close: `closeOf` gives what REST reported or Bourse sent (else the
 * order keeps what it had).
 */
export class ExecutionMapper {
  private readonly orders = new Map<string, BrokerOrder>();

  constructor(private readonly closeOf?: CloseOf) {}

  map(x: Execution): BrokerEvent[] {
    const prev = this.orders.get(x.order_id);
    const type = (x.order_type ? TYPE[x.order_type] : undefined) ?? prev?.type ?? 'limit';
    const t = x.triggers;
    const relative = t?.price_type === 'pct' || t?.price_type === 'quote';
    const stop =
      positive(t?.actual_price) ?? positive(x.stop_price) ?? (relative ? null : positive(t?.price));
    const trail = trailOf(x, prev);
    const clientOrderId = x.cl_ord_id ?? prev?.clientOrderId ?? null;
    const closes = this.closeOf?.(x.order_id, clientOrderId) ?? prev?.closes;
    const order: BrokerOrder = {
      orderId: x.order_id,
      clientOrderId,
      symbol: x.symbol ?? prev?.symbol ?? '',
      side: x.side ?? prev?.side ?? 'buy',
      type,
      qty: decimalOf(x.order_qty) ?? prev?.qty ?? '0',
      filledQty: decimalOf(x.cum_qty) ?? prev?.filledQty ?? '0',
      price: decimalOf(x.limit_price) ?? prev?.price ?? null,
      stopPrice: stop ?? prev?.stopPrice ?? null,
      ...(trail.trailPercent ? { trailPercent: trail.trailPercent } : {}),
      ...(trail.trailAmount ? { trailAmount: trail.trailAmount } : {}),
      ...(closes !== undefined ? { closes } : {}),
      avgPrice: decimalOf(x.avg_price) ?? prev?.avgPrice ?? null,
      status: (x.order_status ? STATUS[x.order_status] : undefined) ?? prev?.status ?? 'open',
      reason: x.reason ?? prev?.reason ?? null,
      updatedAt: x.timestamp ? Date.parse(x.timestamp) : (prev?.updatedAt ?? null),
    };
    const done = ['filled', 'cancelled', 'expired', 'rejected'].includes(order.status);
    if (done) this.orders.delete(x.order_id);
    else this.orders.set(x.order_id, order);
    const events: BrokerEvent[] = [];
    if (x.exec_type === 'trade') {
      const qty = decimalOf(x.last_qty);
      const price = decimalOf(x.last_price);
      if (qty && price) {
        events.push({
          type: 'fill',
          fill: {
            fillId: x.exec_id ?? String(numberOf(x.trade_id)),
            orderId: order.orderId,
            clientOrderId: order.clientOrderId,
            symbol: order.symbol,
            side: order.side,
            qty,
            price,
            fee: decimalOf(x.fees?.[0]?.qty),
            feeAsset: x.fees?.[0]?.asset ?? null,
            time: order.updatedAt ?? Date.now(),
          },
        });
      }
    }
    events.push({ type: 'order', order });
    return events;
  }
}
