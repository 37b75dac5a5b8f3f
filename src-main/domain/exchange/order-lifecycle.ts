import type { OrderStatus } from '../../../src-shared/contract/exchange';

/** Where an order is in its life (the contract's list). Terminal: filled, cancelled, expired, rejected. */
export type { OrderStatus };

/**
 * The one transition table of the order lifecycle. Events map onto it: accepted → new,
 * trade → partially_filled / filled, cancelled, expired, rejected. A partially filled order
 * may be partially filled again; terminal statuses go nowhere.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  new: ['partially_filled', 'filled', 'cancelled', 'expired', 'rejected'],
  partially_filled: ['partially_filled', 'filled', 'cancelled', 'expired'],
  filled: [],
  cancelled: [],
  expired: [],
  rejected: [],
};

/** Thrown when code tries a transition the table does not allow: always an engine bug. */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
    readonly orderId: number,
  ) {
    super(`order ${orderId}: illegal transition ${from} -> ${to}`);
  }
}

/** True when the table allows `from → to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Returns `to`, or throws {@link IllegalTransitionError}; both engines route through it. */
export function transition(from: OrderStatus, to: OrderStatus, orderId: number): OrderStatus {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, orderId);
  return to;
}

/** True for statuses an order never leaves. */
export function isTerminal(status: OrderStatus): boolean {
  return ORDER_TRANSITIONS[status].length === 0;
}
