import type { BrokerOrder, BrokerState } from '../../stores/brokers';
import {
  stopLossHint,
  trailBehind,
  trailText,
  TrailHintLine,
  type TicketTrailing,
} from './trailing-fields';

/**
 * Native trailing stops at a broker, in the broker panel: what the broker's ticket says about
 * its trailing choices (offered only where the account's broker places them, as its state's
 * `trailing` says), and the trailing label in the orders table. The choices themselves are the
 * tickets' shared ones (`trailing-fields.tsx`).
 */

/** What the account's broker places natively. */
export type BrokerTrailing = BrokerState['trailing'];

export const TRAIL_HINT_ID = 'broker-trail-hint';

/** What the ticked trailing choices will do, in one line across the ticket. */
export function TrailHint({ t }: { t: TicketTrailing }) {
  const entry = t.entry
    ? `The broker trails the stop from its last price: the trigger stays ${trailBehind(t.entryPct)} the best price since placing.`
    : '';
  return <TrailHintLine id={TRAIL_HINT_ID} lines={[entry, stopLossHint(t)]} />;
}

/** An order's stop column: its trigger, and how far it trails ("58800 · trail 2 %"). */
export function stopText(o: Pick<BrokerOrder, 'stopPrice' | 'trailPercent'>): string {
  if (!o.trailPercent) return o.stopPrice ?? '—';
  const trail = trailText(o.trailPercent);
  return o.stopPrice === null ? trail : `${o.stopPrice} · ${trail}`;
}
