import { STP_TEXT, TIF_TEXT, TYPE_TEXT, shapeOf, sizesByQuote } from './ticket-form';
import { DecimalField, FieldError, pick, type FieldProps } from './ticket-inputs';
import { StopFields, TakeProfitFields } from './ticket-stop';

export type { FieldProps };

/** Buy or sell, and the order type. */
export function SideAndType({ f, set }: FieldProps) {
  return (
    <>
      <div className="ticket-sides" role="radiogroup" aria-label="Side">
        {(['buy', 'sell'] as const).map((s) => (
          <label key={s} className={`ticket-side ${s} ${f.side === s ? 'active' : ''}`}>
            <input
              type="radio"
              name="side"
              checked={f.side === s}
              onChange={() => set('side', s)}
            />
            {s === 'buy' ? 'Buy' : 'Sell'}
          </label>
        ))}
      </div>
      <label className="field">
        <span>Order type</span>
        <select
          value={f.type}
          onChange={(e) => {
            const type = pick(TYPE_TEXT, e.target.value);
            if (type) set('type', type);
          }}
        >
          {Object.entries(TYPE_TEXT).map(([v, t]) => (
            <option key={v} value={v}>
              {t}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

/**
 * Stop price (or a trailing stop's distance) or a take-profit's trigger price, limit price
 * (with best bid/ask buttons), and a scaled order's range.
 */
export function PriceFields(
  props: FieldProps & { bestBid?: string; bestAsk?: string; last?: string | undefined },
) {
  const { f, m, set, shown, bestBid, bestAsk, last } = props;
  const { scaled, needsPrice, isStop, takeProfit, oco } = shapeOf(f);
  // A stop-limit's or take-profit limit's price is the limit it places once triggered.
  const priceLabel = scaled
    ? 'From price'
    : oco
      ? 'Take-profit price'
      : isStop || takeProfit
        ? 'Limit price'
        : 'Price';
  return (
    <>
      {/* An OCO reads as its two legs: the take profit first, then the stop (below). */}
      {isStop && !oco ? <StopFields f={f} m={m} set={set} shown={shown} last={last} /> : null}
      {takeProfit ? <TakeProfitFields f={f} m={m} set={set} shown={shown} last={last} /> : null}
      {needsPrice ? (
        <div className="field">
          <label htmlFor="ticket-price">
            {priceLabel} ({m.quote})
          </label>
          <div className="ticket-inline">
            <input
              id="ticket-price"
              inputMode="decimal"
              value={f.price}
              onChange={(e) => set('price', e.target.value)}
            />
            <button
              type="button"
              className="btn small"
              disabled={!bestBid}
              onClick={() => bestBid && set('price', bestBid)}
            >
              Bid
            </button>
            <button
              type="button"
              className="btn small"
              disabled={!bestAsk}
              onClick={() => bestAsk && set('price', bestAsk)}
            >
              Ask
            </button>
          </div>
          <FieldError shown={shown} name="price" />
        </div>
      ) : null}
      {scaled ? <ScaledRange {...props} /> : null}
      {oco ? (
        // A line between the legs: the trailing box belongs to the stop, not the take profit.
        <div className="ticket-leg">
          <StopFields f={f} m={m} set={set} shown={shown} last={last} />
          <DecimalField
            label={`Stop-limit price (${m.quote}, optional)`}
            name="stopLimitPrice"
            f={f}
            set={set}
            shown={shown}
          />
        </div>
      ) : null}
    </>
  );
}

function ScaledRange({ f, m, set, shown }: FieldProps) {
  return (
    <div className="ticket-pair">
      <DecimalField label={`To price (${m.quote})`} name="priceTo" f={f} set={set} shown={shown} />
      <label className="field">
        <span>Orders</span>
        <input inputMode="numeric" value={f.count} onChange={(e) => set('count', e.target.value)} />
        <FieldError shown={shown} name="count" />
      </label>
    </div>
  );
}

/**
 * Quantity of base, or for a market buy (or a take-profit market buy) optionally the quote
 * amount to spend.
 */
export function QuantityFields({ f, m, set, shown }: FieldProps) {
  const { scaled, byQuote } = shapeOf(f);
  return (
    <>
      {sizesByQuote(f.type) && f.side === 'buy' ? (
        <div className="segmented ticket-by" role="radiogroup" aria-label="Buy by">
          {(['base', 'quote'] as const).map((b) => (
            <label key={b} className={f.by === b ? 'active' : ''}>
              <input type="radio" name="by" checked={f.by === b} onChange={() => set('by', b)} />
              {b === 'base' ? `Quantity (${m.base})` : `Amount (${m.quote})`}
            </label>
          ))}
        </div>
      ) : null}
      {byQuote ? (
        <DecimalField label={`Amount (${m.quote})`} name="quoteQty" f={f} set={set} shown={shown} />
      ) : (
        <DecimalField
          label={`${scaled ? 'Total quantity' : 'Quantity'} (${m.base})`}
          name="qty"
          f={f}
          set={set}
          shown={shown}
        />
      )}
    </>
  );
}

/** Time in force, post-only, self-trade prevention and the client order id. */
export function TicketOptions({ f, set, shown }: FieldProps) {
  const { scaled, needsPrice, oco } = shapeOf(f);
  return (
    <details className="ticket-options">
      <summary>Options</summary>
      {/* An OCO's limit leg is always post-only GTC. */}
      {needsPrice && !oco ? (
        <label className="field">
          <span>Time in force</span>
          <select
            value={f.tif}
            onChange={(e) => {
              const tif = pick(TIF_TEXT, e.target.value);
              if (tif) set('tif', tif);
            }}
          >
            {Object.entries(TIF_TEXT).map(([v, t]) => (
              <option key={v} value={v}>
                {t}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {f.type === 'limit' || scaled ? (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={f.postOnly}
            onChange={(e) => set('postOnly', e.target.checked)}
          />
          Post only (maker only, refused if it would trade at once)
        </label>
      ) : null}
      {oco ? (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={f.bracket}
            onChange={(e) => set('bracket', e.target.checked)}
          />
          Bracket: a take profit filled in part keeps the stop on the rest
        </label>
      ) : null}
      <label className="field">
        <span>Self-trade prevention</span>
        <select
          value={f.stp}
          onChange={(e) => {
            const stp = pick(STP_TEXT, e.target.value);
            if (stp) set('stp', stp);
          }}
        >
          {Object.entries(STP_TEXT).map(([v, t]) => (
            <option key={v} value={v}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>
          {oco ? 'List client id' : 'Client order id'} (optional
          {scaled ? '; each order adds -1, -2, …' : ''})
        </span>
        <input value={f.clientOrderId} onChange={(e) => set('clientOrderId', e.target.value)} />
        <FieldError shown={shown} name="clientOrderId" />
      </label>
    </details>
  );
}
