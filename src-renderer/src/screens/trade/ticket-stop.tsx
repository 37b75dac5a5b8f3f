import { DecimalField, UnitDistance, type FieldProps } from './ticket-inputs';
import { ticketTrailOf, trailInputOf } from './ticket-trail';
import { trailNote } from './trailing';

const NOTE_ID = 'ticket-trail-note';
const DISTANCE_ID = 'ticket-trail-distance';

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
          <UnitDistance
            id={DISTANCE_ID}
            label="Trail distance"
            name={trailInputOf(f.trailUnit)}
            unitName="trailUnit"
            unitLabel="Trail distance unit"
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
