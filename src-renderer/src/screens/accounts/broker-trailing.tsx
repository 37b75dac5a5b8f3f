import { useState } from 'react';
import type { BrokerOrder, BrokerOrderInput, BrokerState } from '../../stores/brokers';
import { trailBpsOf, typedPct } from '../trade/trailing';
import './broker-trailing.css';

/**
 * Native trailing stops at a broker, in the broker panel: the ticket's "Trailing stop" and
 * "Trail the stop-loss" choices (offered only where the account's broker places them, as its
 * state's `trailing` says), and the trailing label in the orders table. Distances are typed
 * and sent as decimal strings, never read into floats.
 */

/** What the account's broker places natively. */
export type BrokerTrailing = BrokerState['trailing'];

type TrailFields = Pick<BrokerOrderInput, 'trailPercent' | 'stopLossTrailPercent'>;

/** Why the form refuses a typed distance (blank: nothing to say yet). */
const refusal = (typed: string) => {
  if (typed.trim() === '') return undefined;
  const distance = trailBpsOf(typed);
  return distance.ok ? undefined : distance.message;
};

/**
 * The ticket's trailing choices for an order of `type`. `entry` and `stopLoss` are true only
 * when the broker offers them and they are ticked; the problems are the form's own refusals.
 */
export function useTicketTrailing(can: BrokerTrailing, type: BrokerOrderInput['type']) {
  const [entryTicked, setEntryTicked] = useState(false);
  const [entryPct, setEntryPct] = useState('');
  const [stopLossTicked, setStopLossTicked] = useState(false);
  const [stopLossPct, setStopLossPct] = useState('');
  const offersEntry = can.entry && type === 'stop';
  const entry = offersEntry && entryTicked;
  const stopLoss = can.stopLoss && stopLossTicked;
  const entryProblem = entry ? refusal(entryPct) : undefined;
  const stopLossProblem = stopLoss ? refusal(stopLossPct) : undefined;
  return {
    offersEntry,
    offersStopLoss: can.stopLoss,
    entry,
    entryTicked,
    setEntryTicked,
    entryPct,
    setEntryPct,
    entryProblem,
    stopLoss,
    stopLossTicked,
    setStopLossTicked,
    stopLossPct,
    setStopLossPct,
    stopLossProblem,
    /** A trailing stop needs its distance; a blank trailing stop-loss is no stop-loss. */
    blocked:
      (entry && (entryPct.trim() === '' || entryProblem !== undefined)) ||
      stopLossProblem !== undefined,
    /** The distances as the request takes them (".5" sent as "0.5"). */
    fields(): TrailFields {
      return {
        ...(entry ? { trailPercent: typedPct(entryPct) } : {}),
        ...(stopLoss && stopLossPct.trim() ? { stopLossTrailPercent: typedPct(stopLossPct) } : {}),
      };
    },
  };
}

export type TicketTrailing = ReturnType<typeof useTicketTrailing>;

/** A checkbox above the input it changes. */
export function TrailCheck(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="broker-trail-check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      {props.label}
    </label>
  );
}

export const TRAIL_HINT_ID = 'broker-trail-hint';

/** What the ticked trailing choices will do, in one line across the ticket. */
export function TrailHint({ t }: { t: TicketTrailing }) {
  if (!t.entry && !t.stopLoss) return null;
  // "2 % behind" once the distance is one the form takes; just "behind" before.
  const behind = (typed: string) =>
    typed.trim() && !refusal(typed) ? `${typedPct(typed)} % behind` : 'behind';
  const entry = t.entry
    ? `The broker trails the stop from its last price: the trigger stays ${behind(t.entryPct)} the best price since placing.`
    : '';
  // A blank trailing stop-loss is no stop-loss, as a blank price is.
  const stopLoss = !t.stopLoss
    ? ''
    : t.stopLossPct.trim()
      ? `The stop-loss trails ${behind(t.stopLossPct)} the best price from the fill on.`
      : 'Blank: no stop-loss.';
  return (
    <p className="muted small" id={TRAIL_HINT_ID}>
      {[entry, stopLoss].filter(Boolean).join(' ')}
    </p>
  );
}

/** A percent as people read it: "2.0000" → "2", "2.50" → "2.5" (text, not a float). */
const shortPct = (pct: string) => (pct.includes('.') ? pct.replace(/\.?0+$/, '') : pct);

/** An order's stop column: its trigger, and how far it trails ("58800 · trail 2 %"). */
export function stopText(o: Pick<BrokerOrder, 'stopPrice' | 'trailPercent'>): string {
  if (!o.trailPercent) return o.stopPrice ?? '—';
  const trail = `trail ${shortPct(o.trailPercent)} %`;
  return o.stopPrice === null ? trail : `${o.stopPrice} · ${trail}`;
}
