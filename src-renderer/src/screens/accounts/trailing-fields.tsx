import { useState, type ReactNode } from 'react';
import { trailBpsOf, typedPct } from '../trade/trailing';
import './trailing-fields.css';

/**
 * Trailing stops in an order ticket, shared by the broker and paper tickets: the "Trailing
 * stop" and "Trail the stop-loss" choices, the refusals of a typed distance and the words for
 * a distance in the tables. Distances are typed and sent as decimal strings, never read into
 * floats.
 */

/** The trailing choices a ticket offers: a trailing stop order, a trailing stop-loss. */
export interface TrailOffer {
  entry: boolean;
  stopLoss: boolean;
}

/** The distances as an order request takes them. */
interface TrailFields {
  trailPercent?: string;
  stopLossTrailPercent?: string;
}

/** Why the form refuses a typed distance (blank: nothing to say yet). */
const refusal = (typed: string) => {
  if (typed.trim() === '') return undefined;
  const distance = trailBpsOf(typed);
  return distance.ok ? undefined : distance.message;
};

/**
 * The ticket's trailing choices for an order of `type`. `entry` and `stopLoss` are true only
 * when the ticket offers them and they are ticked; the problems are the form's own refusals.
 */
export function useTicketTrailing(can: TrailOffer, type: 'market' | 'limit' | 'stop') {
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
function TrailCheck(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="ticket-trail-check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      {props.label}
    </label>
  );
}

/** A trailing choice's checkbox above the input it changes, in one cell of the ticket. */
export function TrailCell(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <div className="ticket-trail-cell">
      <TrailCheck label={props.label} checked={props.checked} onChange={props.onChange} />
      {props.children}
    </div>
  );
}

/** "2 % behind" once the distance is one the form takes; just "behind" before. */
export const trailBehind = (typed: string) =>
  typed.trim() && !refusal(typed) ? `${typedPct(typed)} % behind` : 'behind';

/** What a ticked trailing stop-loss will do (empty when it is not ticked). */
export function stopLossHint(t: TicketTrailing): string {
  if (!t.stopLoss) return '';
  // A blank trailing stop-loss is no stop-loss, as a blank price is.
  return t.stopLossPct.trim()
    ? `The stop-loss trails ${trailBehind(t.stopLossPct)} the best price from the fill on.`
    : 'Blank: no stop-loss.';
}

/** What the ticked trailing choices will do, in one line across the ticket. */
export function TrailHintLine({ id, lines }: { id: string; lines: string[] }) {
  const text = lines.filter(Boolean).join(' ');
  if (!text) return null;
  return (
    <p className="muted small" id={id}>
      {text}
    </p>
  );
}

/** A percent as people read it: "2.0000" → "2", "2.50" → "2.5" (text, not a float). */
export const shortPct = (pct: string) => (pct.includes('.') ? pct.replace(/\.?0+$/, '') : pct);

/** How far something trails, for the tables ("trail 2 %"). */
export const trailText = (pct: string) => `trail ${shortPct(pct)} %`;
