import type { Order } from '../../stores/trade';

/**
 * Open orders with the two legs of an OCO list next to each other (where its first leg
 * comes), so the pair reads as one list.
 */
export function groupLists<T extends Pick<Order, 'orderId' | 'orderListId'>>(
  orders: readonly T[],
): T[] {
  const out: T[] = [];
  const placed = new Set<number>();
  for (const o of orders) {
    if (placed.has(o.orderId)) continue;
    out.push(o);
    placed.add(o.orderId);
    if (o.orderListId === undefined) continue;
    for (const leg of orders) {
      if (leg.orderListId === o.orderListId && !placed.has(leg.orderId)) {
        out.push(leg);
        placed.add(leg.orderId);
      }
    }
  }
  return out;
}
