import { DecimalField, FieldError, type FieldProps } from './ticket-inputs';
import { ticketTrailOf, trailInputOf } from './ticket-trail';
import { trailNote } from './trailing';

const NOTE_ID = 'ticket-trail-note';
const DISTANCE_ID = 'ticket-trail-distance';

/**
 * The trailing distance: its input, and beside it the switch between "%" and the market's
 * quote currency (an amount in price units). Each unit keeps what was typed in it.
 */
function TrailDistance(props: FieldProps & { describedBy: string | undefined }) {
  const { f, m, set, shown, describedBy } = props;
  const name = trailInputOf(f.trailUnit);
  return (
    <div className="field">
      <label htmlFor={DISTANCE_ID}>
        Trail distance ({f.trailUnit === 'percent' ? '%' : m.quote})
      </label>
      <div className="ticket-inline">
        <input
          id={DISTANCE_ID}
          inputMode="decimal"
          value={f[name]}
          onChange={(e) => set(name, e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={shown[name] ? true : undefined}
        />
        <select
          aria-label="Trail distance unit"
          title={`Trail by percent or by an amount in ${m.quote}`}
          value={f.trailUnit}
          onChange={(e) => set('trailUnit', e.target.value === 'amount' ? 'amount' : 'percent')}
        >
          <option value="percent">%</option>
          <option value="amount">{m.quote}</option>
        </select>
      </div>
      <FieldError shown={shown} name={name} />
    </div>
  );
}

/**
 * A stop-market's, stop-limit's or an OCO's stop leg: a fixed stop price, or (Trailing stop
 * ticked) a distance in percent or in the quote currency and an optional price to start
 * trailing at, with a line saying what the stop will do and, tracking from the last price,
 * where it starts.
 */
export function StopFields(props: FieldProps & { last: string | undefined }) {
  const { f, m, set, shown, last } = props;
  // An OCO's stop leg is a stop-limit when it has a stop-limit price.
  const limited = f.type === 'stop_limit' || (f.type === 'oco' && f.stopLimitPrice.trim() !== '');
  const type = limited ? 'stop_limit' : 'stop_market';
  const distance = ticketTrailOf(f, m);
  const note =
    f.trailing && distance.ok
      ? trailNote({
          side: f.side,
          type,
          by: distance.by,
          words: distance.words,
          activation: f.stopPrice,
          last,
          tickSize: m.tickSize,
        })
      : undefined;
  return (
    <>
      <label className="checkbox ticket-trail">
        <input
          type="checkbox"
          checked={f.trailing}
          onChange={(e) => set('trailing', e.target.checked)}
        />
        Trailing stop (follows the price)
      </label>
      {f.trailing ? (
        <>
          <TrailDistance
            f={f}
            m={m}
            set={set}
            shown={shown}
            describedBy={note ? NOTE_ID : undefined}
          />
          <DecimalField
            label={`Start trailing at (${m.quote}, optional)`}
            name="stopPrice"
            f={f}
            set={set}
            shown={shown}
          />
          {note ? (
            <p className="muted ticket-note" id={NOTE_ID}>
              {note}
            </p>
          ) : null}
        </>
      ) : (
        <DecimalField
          label={`Stop price (${m.quote})`}
          name="stopPrice"
          f={f}
          set={set}
          shown={shown}
        />
      )}
    </>
  );
}
