import type { ReactNode } from 'react';
import type { Market } from '../../stores/trade';
import type { Form, Problems } from './ticket-form';

/** What every field group gets: the form, its setter, the market and the shown problems. */
export interface FieldProps {
  f: Form;
  m: Market;
  set: <K extends keyof Form>(k: K, v: Form[K]) => void;
  shown: Problems;
}

/** A field's problem under it, announced when it appears. */
export function FieldError(props: { shown: Problems; name: keyof Form }): ReactNode {
  const text = props.shown[props.name];
  return text ? (
    <small className="error-text" role="alert">
      {text}
    </small>
  ) : null;
}

/** The form's fields typed as decimals. */
type DecimalName =
  | 'stopPrice'
  | 'stopLimitPrice'
  | 'priceTo'
  | 'qty'
  | 'quoteQty'
  | 'takeProfit'
  | 'stopLoss'
  | 'stopLossTrailPct';

/** A labelled decimal input of the form, with its problem under it. */
export function DecimalField(props: {
  label: string;
  name: DecimalName;
  f: Form;
  set: FieldProps['set'];
  shown: Problems;
  /** The id of a note that explains the field (read with it by screen readers). */
  describedBy?: string;
}) {
  const { label, name, f, set, shown, describedBy } = props;
  return (
    <label className="field">
      <span>{label}</span>
      <input
        inputMode="decimal"
        value={f[name]}
        onChange={(e) => set(name, e.target.value)}
        aria-describedby={describedBy}
      />
      <FieldError shown={shown} name={name} />
    </label>
  );
}

/**
 * A trailing distance's input, and beside it the switch between "%" and the market's quote
 * currency (an amount in price units). Each unit keeps what was typed in it: `name` is the
 * input of the unit chosen.
 */
export function UnitDistance(
  props: FieldProps & {
    id: string;
    /** The label's words before the unit: "Trail distance" → "Trail distance (%)". */
    label: string;
    name: 'trailPct' | 'trailAmount' | 'stopLossTrailPct' | 'stopLossTrailAmount';
    unitName: 'trailUnit' | 'stopLossTrailUnit';
    /** The unit switch's accessible name. */
    unitLabel: string;
    describedBy: string | undefined;
  },
) {
  const { f, m, set, shown, id, name, unitName, describedBy } = props;
  const unit = f[unitName];
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label} ({unit === 'percent' ? '%' : m.quote})
      </label>
      <div className="ticket-inline">
        <input
          id={id}
          inputMode="decimal"
          value={f[name]}
          onChange={(e) => set(name, e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={shown[name] ? true : undefined}
        />
        <select
          aria-label={props.unitLabel}
          title={`Trail by percent or by an amount in ${m.quote}`}
          value={unit}
          onChange={(e) => set(unitName, e.target.value === 'amount' ? 'amount' : 'percent')}
        >
          <option value="percent">%</option>
          <option value="amount">{m.quote}</option>
        </select>
      </div>
      <FieldError shown={shown} name={name} />
    </div>
  );
}

/** Options come from a table keyed by the contract's values: the select yields one of them. */
export function pick<K extends string>(table: Record<K, unknown>, value: string): K | undefined {
  return Object.keys(table).find((k): k is K => k === value);
}
