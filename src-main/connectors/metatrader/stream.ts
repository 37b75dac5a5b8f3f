import type { BrokerEvent } from '../broker/port';
import type { BridgeHub, HubEvent } from './hub';
import type { SymbolMap } from './mapping';
import {
  orderFromResult,
  positionChanged,
  toBalances,
  toFill,
  toOrder,
  toPosition,
} from './mapping';
import type { HeartbeatBody } from './protocol';

/**
 * The push stream of a MetaTrader account: hub events turned into broker events. Results give
 * order answers at once; heartbeats give fills (new deals), orders that appeared or went,
 * positions and balances (by difference with the previous heartbeat); the EA's coming and
 * going gives `connection` up/down. Nothing is replayed: after `up` the caller re-syncs.
 */
export function streamEvents(
  hub: BridgeHub,
  accountId: string,
  map: SymbolMap,
  listener: (e: BrokerEvent) => void,
): () => void {
  const clientIdOf = (ticket: string): string | null => {
    const row = hub.store.openByTicket(accountId, ticket);
    return row?.command.action === 'open' ? row.command.clientOrderId : null;
  };
  let stopped = false;
  const emit = (e: BrokerEvent) => {
    if (!stopped) listener(e);
  };
  const off = hub.on(accountId, (e) => onHubEvent(e));
  function onHubEvent(e: HubEvent): void {
    switch (e.type) {
      case 'online':
        return emit({ type: 'connection', state: 'up' });
      case 'offline':
        return emit({
          type: 'connection',
          state: 'down',
          reason: `EA offline since ${new Date(e.since).toISOString()} (${e.reason})`,
        });
      case 'result': {
        const c = e.command;
        if (c.command.action === 'open' && c.result) {
          emit({ type: 'order', order: orderFromResult(c.command, c.result, map) });
        }
        return;
      }
      case 'heartbeat':
        return diff(e.prev, e.next, e.newDeals);
    }
  }
  function diff(prev: HeartbeatBody | null, next: HeartbeatBody, deals: HeartbeatBody['deals']) {
    const dealt = new Set<string>();
    for (const d of deals ?? []) {
      dealt.add(d.order);
      emit({ type: 'fill', fill: toFill(d, map, clientIdOf(d.order)) });
    }
    if (!prev) return;
    const nowOrders = new Map(next.orders.map((o) => [o.ticket, o]));
    for (const o of prev.orders) {
      if (nowOrders.has(o.ticket)) continue;
      const order = toOrder(o, map, clientIdOf(o.ticket));
      const filled = dealt.has(o.ticket) || hub.filledOrders(accountId).has(o.ticket);
      emit({
        type: 'order',
        order: filled
          ? { ...order, status: 'filled', filledQty: o.volume }
          : { ...order, status: 'cancelled' },
      });
    }
    const before = new Map(prev.orders.map((o) => [o.ticket, o]));
    for (const o of next.orders) {
      const was = before.get(o.ticket);
      // A stop-loss or take-profit moved in the terminal changes the order's closes.
      const same =
        was &&
        was.price === o.price &&
        was.stopPrice === o.stopPrice &&
        was.sl === o.sl &&
        was.tp === o.tp;
      if (!same) {
        emit({ type: 'order', order: toOrder(o, map, clientIdOf(o.ticket)) });
      }
    }
    const held = new Map(prev.positions.map((p) => [p.ticket, p]));
    const nowHeld = new Set(next.positions.map((p) => p.ticket));
    for (const p of next.positions) {
      const was = held.get(p.ticket);
      if (!was || positionChanged(was, p)) emit({ type: 'position', position: toPosition(p, map) });
    }
    // Hedging accounts hold several positions per symbol: closed means none is left.
    const symbolsLeft = new Set(next.positions.map((p) => p.symbol));
    const closed = new Set(
      prev.positions.filter((p) => !nowHeld.has(p.ticket) && !symbolsLeft.has(p.symbol)),
    );
    for (const sym of new Set([...closed].map((p) => p.symbol))) {
      emit({ type: 'position_closed', symbol: map.fromTerminal(sym) });
    }
    const a = prev.account;
    const b = next.account;
    if (a.balance !== b.balance || a.freeMargin !== b.freeMargin || a.currency !== b.currency) {
      emit({ type: 'balances', balances: toBalances(next) });
    }
  }
  // The state now, after the caller has its unsubscribe function.
  queueMicrotask(() => {
    const s = hub.status(accountId);
    emit(
      s.online
        ? { type: 'connection', state: 'up' }
        : {
            type: 'connection',
            state: 'down',
            reason:
              s.offlineSince === null
                ? 'the EA has never connected'
                : `EA offline since ${new Date(s.offlineSince).toISOString()}`,
          },
    );
  });
  return () => {
    stopped = true;
    off();
  };
}
