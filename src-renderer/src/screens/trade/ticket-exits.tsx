import { stopLossTrailInputOf, stopLossTrailOf } from './exit-trail';
import { shapeOf } from './ticket-form';
import { DecimalField, UnitDistance, type FieldProps } from './ticket-inputs';

const EXITS_NOTE_ID = 'ticket-exits-note';
const STOP_LOSS_TRAIL_ID = 'ticket-stop-loss-trail';

/**
 * Take-profit and stop-loss prices, placed as exits for what the order fills; the stop loss
 * may instead trail the best price by a distance in percent or in the quote currency.
 */
export function ExitFields({ f, m, set, shown }: FieldProps) {
  if (!shapeOf(f).exits) return null;
  const exit = f.side === 'buy' ? 'sell' : 'buy';
  const typed = [f.takeProfit, f.stopLoss, f.stopLossTrailPct, f.stopLossTrailAmount].some(
    (v) => v !== '',
  );
  const distance = stopLossTrailOf(f, m);
  const stop = !f.stopLossTrails
    ? 'at the stop loss'
    : distance.ok
      ? `that follows the best price ${distance.words} behind it`
      : 'that follows the best price by the distance you give';
  return (
    <details className="ticket-options" open={typed}>
      <summary>TP / SL</summary>
      <p className="muted" id={EXITS_NOTE_ID}>
        Placed for what this order fills, as it fills: a {exit} limit at the take profit, a {exit}{' '}
        stop {stop} (one cancels the other; a take profit filled in part keeps the stop on the
        rest).
      </p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={f.stopLossTrails}
          onChange={(e) => set('stopLossTrails', e.target.checked)}
        />
        Trail the stop loss
      </label>
      {/* Trailing, the distance and its unit switch need the ticket's width, as the stop's do. */}
      <div className={f.stopLossTrails ? undefined : 'ticket-pair'}>
        <DecimalField
          label={`Take profit (${m.quote})`}
          name="takeProfit"
          f={f}
          set={set}
          shown={shown}
        />
        {f.stopLossTrails ? (
          <UnitDistance
            id={STOP_LOSS_TRAIL_ID}
            label="Trail by"
            name={stopLossTrailInputOf(f.stopLossTrailUnit)}
            unitName="stopLossTrailUnit"
            unitLabel="Trail by unit"
            f={f}
            m={m}
            set={set}
            shown={shown}
            describedBy={EXITS_NOTE_ID}
          />
        ) : (
          <DecimalField
            label={`Stop loss (${m.quote})`}
            name="stopLoss"
            f={f}
            set={set}
            shown={shown}
          />
        )}
      </div>
    </details>
  );
}
