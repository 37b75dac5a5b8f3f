import type { EventHub } from '../../events/hub';
import { formatDecimal } from '../../domain/money';
import type { Logger } from '../../observability/logger';
import type { EngineEventsListener } from './api';
import { listView } from './order-lists';
import type { Batch, ExchangeState } from './state';
import type { OrderList } from './types';
import { fillView, orderView } from './views';

/**
 * What a committed (and synced) batch tells the world: each changed order on its owner's
 * `orders` stream, each trade on both sides' `fills`, each order list placed or done on
 * `orderLists` (after its legs' reports, as Binance orders them), each moved balance once on
 * `balances`, and the engine events to market data. Views are built lazily: only for a subscriber.
 */
export function publishBatch(
  b: Batch,
  s: ExchangeState,
  hub: EventHub | undefined,
  engineListeners: readonly EngineEventsListener[],
  log: Logger | undefined,
): void {
  if (hub) {
    for (const id of b.orderUpdates) {
      const o = b.orders.get(id);
      const m = o && s.markets.get(o.symbol);
      if (!o || !m) continue;
      const spec = m.spec;
      hub.publishLazy('orders', () => orderView(o, spec), { kind: 'user', userId: o.userId });
    }
    for (const t of b.trades) {
      const spec = s.markets.get(t.symbol)?.spec;
      if (!spec) continue;
      const buyer = { kind: 'user', userId: t.buyerId } as const;
      const seller = { kind: 'user', userId: t.sellerId } as const;
      hub.publishLazy('fills', () => fillView(t, 'buy', spec), buyer);
      hub.publishLazy('fills', () => fillView(t, 'sell', spec), seller);
    }
    for (const list of b.lists.values()) publishList(hub, b, s, list);
    // The (user, asset) pairs whose balances moved, each once, in first-touched order.
    const touched = new Map<string, Set<string>>();
    for (const { entry } of b.entries) {
      for (const p of entry.postings) {
        const owner = p.account.owner;
        if (owner.startsWith('system:')) continue;
        let assets = touched.get(owner);
        if (!assets) touched.set(owner, (assets = new Set()));
        assets.add(p.asset);
      }
    }
    for (const [userId, assets] of touched) {
      for (const asset of assets) publishBalance(hub, s, userId, asset);
    }
  }
  for (const [symbol, events] of b.events) {
    for (const listener of engineListeners) {
      try {
        listener(symbol, events);
      } catch (error) {
        log?.warn({ err: error }, 'engine events listener failed');
      }
    }
  }
}

/** A list as it stands after the commit, its legs as the batch left them. */
function publishList(hub: EventHub, b: Batch, s: ExchangeState, list: OrderList): void {
  const spec = s.markets.get(list.symbol)?.spec;
  const limit = b.orders.get(list.limitOrderId) ?? s.open.get(list.limitOrderId);
  const stop = b.orders.get(list.stopOrderId) ?? s.open.get(list.stopOrderId);
  // Placing a list and ending it both change its legs in the same batch: they are there.
  if (!spec || !limit || !stop) return;
  const view = () => listView(list, [orderView(limit, spec), orderView(stop, spec)]);
  hub.publishLazy('orderLists', view, { kind: 'user', userId: list.userId });
}

/** A user's balance of one asset as it stands after the commit, on their `balances` stream. */
function publishBalance(hub: EventHub, s: ExchangeState, userId: string, asset: string): void {
  const bal = s.balancesOf(userId, asset);
  const scale = s.assets.get(asset)?.scale ?? 0;
  hub.publishLazy(
    'balances',
    () => ({
      asset,
      available: formatDecimal(bal.available, scale),
      held: formatDecimal(bal.held, scale),
    }),
    { kind: 'user', userId },
  );
}
