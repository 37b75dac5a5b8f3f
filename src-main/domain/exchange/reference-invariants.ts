import type { OpenOrder } from './snapshot';

/**
 * What must hold of the reference book after every command, as messages (empty when
 * consistent): unique order ids and client ids per user, nothing resting without quantity,
 * and, unless allowed, no crossed book.
 */
export function openOrderProblems(
  open: readonly OpenOrder[],
  resting: readonly OpenOrder[],
  bid: number,
  ask: number,
  opts: { allowCrossed?: boolean } = {},
): string[] {
  const out: string[] = [];
  const ids = new Set<number>();
  const clients = new Set<string>();
  for (const o of open) {
    if (ids.has(o.orderId)) out.push(`duplicate id ${o.orderId}`);
    ids.add(o.orderId);
    if (o.clientOrderId !== undefined) {
      const key = `${o.userId}\u0000${o.clientOrderId}`;
      if (clients.has(key)) out.push(`duplicate client id ${o.clientOrderId}`);
      clients.add(key);
    }
  }
  for (const o of resting) if (o.qty <= 0) out.push(`order ${o.orderId} rests with ${o.qty}`);
  if (!opts.allowCrossed && bid > 0 && ask > 0 && bid >= ask) out.push(`crossed ${bid}/${ask}`);
  return out;
}
