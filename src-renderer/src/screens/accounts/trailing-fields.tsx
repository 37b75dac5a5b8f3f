import { useId, useState, type ReactNode } from 'react';
import {
  entryFieldOf,
  stopLossFieldOf,
  trailBehind,
  trailFields,
  trailRefusal,
  unitWord,
  type TrailUnit,
} from './trail-distance';
import './trailing-fields.css';

/**
 * Trailing stops in an order ticket, shared by the broker and paper tickets: the "Trailing
 * stop" and "Trail the stop-loss" choices, each with its distance in percent or (where the
 * broker takes one) in price units, and the form's refusals of a typed distance. The words
 * and the request are pure (`trail-distance.ts`).
 */

/**
 * The trailing choices a ticket offers: a trailing stop order, a trailing stop-loss, and
 * whether either may trail by an amount in price units (not only by percent).
 */
export interface TrailOffer {
  entry: boolean;
  stopLoss: boolean;
  amount?: boolean;
}

/**
 * One trailing choice: offered, ticked (`on` when both), its typed distance and unit (percent
 * whenever amounts are not offered), the form's refusal and the request field it goes in.
 */
function useTrailLeg(
  offered: boolean,
  amountOffered: boolean,
  fieldOf: (unit: TrailUnit) => string,
) {
  const [ticked, setTicked] = useState(false);
  const [typed, setTyped] = useState('');
  const [chosen, setUnit] = useState<TrailUnit>('percent');
  const unit: TrailUnit = amountOffered ? chosen : 'percent';
  const on = offered && ticked;
  return {
    offered,
    ticked,
    setTicked,
    on,
    typed,
    setTyped,
    unit,
    setUnit,
    /** The form's own refusal of the typed distance (blank: nothing to say yet). */
    problem: on ? trailRefusal(typed, unit) : undefined,
    /** The request field the distance goes in, by which the server names a refusal of it. */
    field: fieldOf(unit),
  };
}

export type TrailLeg = ReturnType<typeof useTrailLeg>;

/**
 * The ticket's trailing choices for an order of `type`: the trailing stop (offered on a stop
 * order) and the trailing stop-loss, each `on` only when offered and ticked.
 */
export function useTicketTrailing(can: TrailOffer, type: 'market' | 'limit' | 'stop') {
  const offersAmount = can.amount === true;
  const entry = useTrailLeg(can.entry && type === 'stop', offersAmount, entryFieldOf);
  const stopLoss = useTrailLeg(can.stopLoss, offersAmount, stopLossFieldOf);
  return {
    entry,
    stopLoss,
    offersAmount,
    /** A trailing stop needs its distance; a blank trailing stop-loss is no stop-loss. */
    blocked:
      (entry.on && (entry.typed.trim() === '' || entry.problem !== undefined)) ||
      stopLoss.problem !== undefined,
    /** The distances as the request takes them, each in the field of its unit. */
    fields: () => trailFields(entry, stopLoss),
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

/**
 * A trailing distance: its input with the unit beside it, a switch between "%" and the
 * market's quote currency where amounts are offered, a plain "%" where not. A refusal (the
 * form's, else the server's) sits between the label and the input, as the ticket's others do.
 */
export function TrailDistanceField(props: {
  label: string;
  leg: TrailLeg;
  offersAmount: boolean;
  /** The market's quote currency, the amount's unit (undefined: "price"). */
  quote: string | undefined;
  /** The server's refusal of `leg.field`, if it named it. */
  serverProblem?: string | undefined;
  /** An example distance in percent ("e.g. 2"). */
  percentExample: string;
  describedBy?: string;
}) {
  const { leg } = props;
  const id = useId();
  const message = leg.problem ?? props.serverProblem;
  const unit = unitWord(leg.unit, props.quote);
  return (
    <div className="ticket-trail-field">
      <label htmlFor={id}>
        {/* The unit is said beside the input; a screen reader hears it with the label. */}
        <span>
          {props.label}
          <span className="visually-hidden"> {unit}</span>
        </span>
        {message ? (
          <small className="error-text" role="alert">
            {message}
          </small>
        ) : null}
      </label>
      <div className="ticket-trail-input">
        <input
          id={id}
          value={leg.typed}
          onChange={(e) => leg.setTyped(e.target.value)}
          placeholder={leg.unit === 'percent' ? `e.g. ${props.percentExample}` : 'amount'}
          inputMode="decimal"
          aria-invalid={message ? true : undefined}
          aria-describedby={props.describedBy}
        />
        {props.offersAmount ? (
          <select
            aria-label={`${props.label} unit`}
            title="Trail by percent or by an amount in price units"
            value={leg.unit}
            onChange={(e) => leg.setUnit(e.target.value === 'amount' ? 'amount' : 'percent')}
          >
            <option value="percent">%</option>
            <option value="amount">{unitWord('amount', props.quote)}</option>
          </select>
        ) : (
          <span className="ticket-trail-unit" aria-hidden="true">
            {unit}
          </span>
        )}
      </div>
    </div>
  );
}

/** What a ticked trailing stop-loss will do (empty when it is not ticked). */
export function stopLossHint(t: TicketTrailing, quote?: string): string {
  const leg = t.stopLoss;
  if (!leg.on) return '';
  // A blank trailing stop-loss is no stop-loss, as a blank price is.
  return leg.typed.trim()
    ? `The stop-loss trails ${trailBehind(leg.typed, leg.unit, quote)} the best price from the fill on.`
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
