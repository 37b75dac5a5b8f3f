import { BrokerError } from '../broker/errors';
import type { BrokerOrder, BrokerOrderRequest } from '../broker/port';
import { isPositive } from '../../../src-shared/decimal';
import type { BridgeHub } from './hub';
import { closesOf, orderFromResult, toOrder, type SymbolMap } from './mapping';
import {
  commentFor,
  failureKind,
  type CommandBody,
  type HeartbeatBody,
  type Platform,
} from './protocol';
import type { CommandRow } from './store';

export type OpenCommand = Extract<CommandBody, { action: 'open' }>;

/** The `open` command for an order request, or `invalid` for what MetaTrader cannot take. */
export function openCommand(
  req: BrokerOrderRequest,
  platform: Platform,
  map: SymbolMap,
): OpenCommand {
  const bad = (m: string) => new BrokerError('invalid', 'metatrader', m);
  if (req.validateOnly) throw bad('the MetaTrader bridge has no validate-only orders');
  if (req.reduceOnly) throw bad('MetaTrader has no reduce-only orders: close the position');
  if (!isPositive(req.qty)) throw bad('the volume (lots) must be a positive decimal');
  if ((req.type === 'limit' || req.type === 'stop_limit') && !req.price) {
    throw bad(`a ${req.type} order needs a price`);
  }
  if ((req.type === 'stop' || req.type === 'stop_limit') && !req.stopPrice) {
    throw bad(`a ${req.type} order needs a stopPrice`);
  }
  for (const [name, value] of Object.entries({
    price: req.price,
    stopPrice: req.stopPrice,
    stopLoss: req.stopLoss,
    takeProfit: req.takeProfit,
  })) {
    if (value !== undefined && !isPositive(value)) {
      throw bad(`${name} must be a positive decimal, not ${value}`);
    }
  }
  if (req.type === 'stop_limit' && platform === 'MT4') throw bad('MT4 has no stop-limit orders');
  return {
    action: 'open',
    clientOrderId: req.clientOrderId,
    comment: commentFor(req.clientOrderId),
    symbol: map.toTerminal(req.symbol),
    side: req.side,
    type: req.type,
    volume: req.qty,
    ...(req.type !== 'market' && req.type !== 'stop' && req.price ? { price: req.price } : {}),
    ...(req.stopPrice && req.type !== 'market' && req.type !== 'limit'
      ? { stopPrice: req.stopPrice }
      : {}),
    ...(req.stopLoss ? { sl: req.stopLoss } : {}),
    ...(req.takeProfit ? { tp: req.takeProfit } : {}),
  };
}

/**
 * Orders as Bourse sees them through the bridge: the heartbeat's pending orders with the
 * results recorded since laid over, and an order's state by its command's result, the
 * heartbeat and the deals seen.
 */
export class OrderView {
  constructor(
    private readonly hub: BridgeHub,
    private readonly accountId: string,
    private readonly platform: Platform,
    private readonly map: SymbolMap,
  ) {}

  openOrders(hb: HeartbeatBody): BrokerOrder[] {
    const byTicket = new Map(hb.orders.map((o) => [o.ticket, this.fromHeartbeat(o)]));
    for (const row of this.hub.resultsSinceHeartbeat(this.accountId)) {
      const r = row.result;
      if (row.status !== 'done' || !r) continue;
      if (row.command.action === 'open' && r.ticket && (r.status ?? 'open') === 'open') {
        byTicket.set(r.ticket, orderFromResult(row.command, r, this.map));
      } else if (row.command.action === 'cancel') byTicket.delete(row.command.ticket);
      else if (row.command.action === 'cancel_all') {
        const sym = row.command.symbol;
        for (const [t, o] of byTicket) {
          if (!sym || this.map.toTerminal(o.symbol) === sym) byTicket.delete(t);
        }
      }
    }
    return [...byTicket.values()];
  }

  /** A heartbeat order with its client id (from its command, else its own comment). */
  fromHeartbeat(o: HeartbeatBody['orders'][number]): BrokerOrder {
    const row = this.hub.store.openByTicket(this.accountId, o.ticket);
    const cid = row?.command.action === 'open' ? row.command.clientOrderId : null;
    return toOrder(
      o,
      this.map,
      cid ?? (o.comment && !/^B[0-9a-f]{30}$/.test(o.comment) ? o.comment : null),
    );
  }

  /** The order of a settled `open` command, else the terminal's lists by the order comment. */
  find(row: CommandRow | null, clientOrderId: string): BrokerOrder | null {
    const unknown =
      row?.status === 'failed' &&
      row.result !== null &&
      failureKind(this.platform, row.result) === 'unknown_outcome';
    if (row && (row.status === 'done' || row.status === 'failed') && row.result && !unknown) {
      return this.current(orderFromResult(row.command as OpenCommand, row.result, this.map));
    }
    // No usable result (expired, the EA's outcome unknown, or placed before Bourse kept it).
    const hb = this.hub.status(this.accountId).heartbeat;
    const comment = commentFor(clientOrderId);
    const pending = hb?.orders.find((o) => o.comment === comment);
    if (pending) return { ...this.fromHeartbeat(pending), clientOrderId };
    const pos = hb?.positions.find((p) => p.comment === comment);
    if (!pos) return null;
    return {
      orderId: pos.ticket,
      clientOrderId,
      symbol: this.map.fromTerminal(pos.symbol),
      side: pos.side,
      type: 'market',
      qty: pos.volume,
      filledQty: pos.volume,
      price: null,
      stopPrice: null,
      // What its stop-loss and take-profit became: the position's, as the terminal has them now.
      closes: closesOf(pos.sl, pos.tp),
      avgPrice: pos.openPrice,
      status: 'filled',
    };
  }

  /** An order from a result, brought up to date with the heartbeat and the deals since. */
  current(order: BrokerOrder): BrokerOrder {
    if (order.status !== 'open') return order;
    const hb = this.hub.status(this.accountId).heartbeat;
    const since = this.hub.resultsSinceHeartbeat(this.accountId);
    const cancelled = since.some(
      (r) =>
        r.status === 'done' && r.command.action === 'cancel' && r.command.ticket === order.orderId,
    );
    if (cancelled) return { ...order, status: 'cancelled' };
    if (hb?.orders.some((o) => o.ticket === order.orderId)) return order;
    if (since.some((r) => r.result?.ticket === order.orderId)) return order; // newer than the heartbeat
    const filled = this.hub.filledOrders(this.accountId).get(order.orderId);
    if (filled !== undefined) return { ...order, status: 'filled', filledQty: filled };
    // A position opened by this order carries its ticket (MT5 position id, MT4 same ticket).
    if (hb?.positions.some((p) => p.ticket === order.orderId)) {
      return { ...order, status: 'filled', filledQty: order.qty };
    }
    // Gone with no fill seen: removed, expired, or filled and closed before Bourse watched.
    return {
      ...order,
      status: 'cancelled',
      reason: 'no longer among the terminal’s pending orders (no fill seen)',
    };
  }
}
