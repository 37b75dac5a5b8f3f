import { DecimalField, type FieldProps } from './ticket-inputs';
import { trailNote } from './trailing';

const NOTE_ID = 'ticket-trail-note';

/**
 * A stop-market's or stop-limit's stop: a fixed stop price, or (Trailing stop ticked) a
 * distance in percent and an optional price to start trailing at, with a line saying what the
 * order will do and, tracking from the last price, where its stop starts.
 */
export function StopFields(props: FieldProps & { last: string | undefined }) {
  const { f, m, set, shown, last } = props;
  const type = f.type === 'stop_limit' ? 'stop_limit' : 'stop_market';
  const note = f.trailing
    ? trailNote({
        side: f.side,
        type,
        pct: f.trailPct,
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
          <DecimalField
            label="Trail distance (%)"
            name="trailPct"
            f={f}
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
