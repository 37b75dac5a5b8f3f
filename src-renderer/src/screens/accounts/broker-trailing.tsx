import type { BrokerOrder, BrokerState } from '../../stores/brokers';
import { levelWithTrail, trailBehind } from './trail-distance';
import { stopLossHint, TrailHintLine, type TicketTrailing } from './trailing-fields';

/**
 * Native trailing stops at a broker, in the broker panel: what the broker's ticket says about
 * its trailing choices (offered only where the account's broker places them, as its state's
 * `trailing` says; by an amount in price units only where `trailing.amount`), and the trailing
 * label in the orders table. The choices themselves are the tickets' shared ones
 * (`trailing-fields.tsx`).
 */

/** What the account's broker places natively. */
export type BrokerTrailing = BrokerState['trailing'];

export const TRAIL_HINT_ID = 'broker-trail-hint';

/** What the ticked trailing choices will do, in one line across the ticket. */
export function TrailHint({ t, quote }: { t: TicketTrailing; quote: string | undefined }) {
  const { entry } = t;
  const says = entry.on
    ? `The broker trails the stop from its last price: the trigger stays ${trailBehind(entry.typed, entry.unit, quote)} the best price since placing.`
    : '';
  return <TrailHintLine id={TRAIL_HINT_ID} lines={[says, stopLossHint(t, quote)]} />;
}

/**
 * An order's stop column: its trigger, and how far it trails ("58800 · trail 2 %",
 * "58800 · trail 250.5").
 */
export const stopText = (o: Pick<BrokerOrder, 'stopPrice' | 'trailPercent' | 'trailAmount'>) =>
  levelWithTrail(o.stopPrice, o);
