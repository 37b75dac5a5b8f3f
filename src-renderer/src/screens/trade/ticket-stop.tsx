import { DecimalField, UnitDistance, type FieldProps } from './ticket-inputs';
import { ticketTrailOf, trailInputOf } from './ticket-trail';
import { triggerWarning } from './ticket-trigger';
import { trailNote } from './trailing';

const NOTE_ID = 'ticket-trail-note';
const DISTANCE_ID = 'ticket-trail-distance';
const TRIGGER_WARNING_ID = 'ticket-trigger-warning';

/**
 * A fixed trigger price (a stop's, a take-profit's), with a warning under it when the last
 * price has reached it already: the exchange would trigger the order as soon as it is placed.
 */
function TriggerPrice(props: FieldProps & { label: string; last: string | undefined }) {
  const { f, m, set, shown, last, label } = props;
  // A problem found on sending says more: the warning gives way to it.
  const warning = shown.stopPrice ? undefined : triggerWarning(f, last);
  return (
    <>
      <DecimalField
        label={`${label} (${m.quote})`}
        name="stopPrice"
        f={f}
        set={set}
        shown={shown}
        describedBy={warning ? TRIGGER_WARNING_ID : undefined}
      />
      {warning ? (
        <p className="ticket-note ticket-warning" id={TRIGGER_WARNING_ID} role="status">
          {warning}
        </p>
      ) : null}
    </>
  );
}

/**
 * A take-profit's trigger: a sell's waits for the price to rise to it, a buy's to fall to it;
 * then it runs as a market order or places its limit. Take-profits never trail.
 */
export function TakeProfitFields(props: FieldProps & { last: string | undefined }) {
  return <TriggerPrice {...props} label="Trigger price" />;
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
        <TriggerPrice f={f} m={m} set={set} shown={shown} last={last} label="Stop price" />
      )}
    </>
  );
}
