import { add, decimalsOf, isPositive, mul, ppmOf, sub } from '../../../../src-shared/decimal';
import type { Market } from '../../stores/trade';
import { ladderOf, shapeOf, type Form } from './ticket-form';
import { fixedTriggerOf, triggerSummary, triggersAtOnce } from './ticket-trigger';

/** Fee rate as the ticket shows it (1000 ppm → "0.10"). */
const feePercent = (ppm: number) => (ppm / 10_000).toFixed(2);

/** Value, fee and what it costs or brings in, in the quote asset ("—" until computable). */
function PreviewRows(props: {
  f: Form;
  m: Market;
  label: string;
  maker: boolean;
  ppm: number;
  value?: string | undefined;
  fee?: string | undefined;
  total?: string | undefined;
  est?: string;
}) {
  const { f, m, est = '' } = props;
  const shown = (v: string | undefined) => (v ? `${est}${v} ${m.quote}` : '—');
  return (
    <dl className="kv ticket-preview" aria-label="Order preview">
      <div className="kv-row">
        <dt>{props.label}</dt>
        <dd>{shown(props.value)}</dd>
      </div>
      <div className="kv-row">
        <dt>
          Fee {props.maker ? '' : '≤ '}
          {feePercent(props.ppm)}%
        </dt>
        <dd>{shown(props.fee)}</dd>
      </div>
      <div className="kv-row">
        <dt>{f.side === 'buy' ? 'Cost' : 'You receive'}</dt>
        <dd data-testid="ticket-total">{shown(props.total)}</dd>
      </div>
    </dl>
  );
}

/** A buy pays value + fee; a sell receives value − fee. */
const totalOf = (f: Form, value: string, fee: string, scale: number) =>
  f.side === 'buy' ? add(value, fee, scale) : sub(value, fee, scale);

/**
 * The price a market-priced order is estimated at: a stop-market's or take-profit market's
 * trigger while it waits (it runs when the price reaches it; a trailing stop's is not known
 * yet), else the book's touch.
 */
function estimateAt(f: Form, refPrice: string | undefined, last: string | undefined) {
  const fixed = fixedTriggerOf(f);
  const waits = isPositive(f.stopPrice) && !triggersAtOnce(f, last);
  if ((fixed === 'stop_market' || fixed === 'take_profit_market') && waits) {
    return f.stopPrice.trim();
  }
  return refPrice;
}

/**
 * One order's value, fee and total, exact; estimated (≈) when the price is the book's or a
 * market order's trigger. Above them, what a fixed stop or a take-profit will do.
 */
export function Preview(props: {
  f: Form;
  m: Market;
  refPrice?: string | undefined;
  last?: string | undefined;
  quoteScale: number;
}) {
  const { f, m, refPrice, last, quoteScale } = props;
  const { byQuote } = shapeOf(f);
  const limitPriced =
    f.type === 'limit' ||
    f.type === 'stop_limit' ||
    f.type === 'take_profit_limit' ||
    f.type === 'oco';
  const price = limitPriced ? f.price : estimateAt(f, refPrice, last);
  const notionalScale = decimalsOf(m.tickSize) + decimalsOf(m.lotSize);
  const notional = byQuote
    ? f.quoteQty || undefined
    : price && isPositive(f.qty) && isPositive(price)
      ? mul(price, f.qty, Math.max(notionalScale, quoteScale))
      : undefined;
  const maker = (f.type === 'limit' && f.postOnly) || f.type === 'oco';
  const ppm = maker ? m.makerFeePpm : m.takerFeePpm;
  const fee = notional ? ppmOf(notional, ppm, quoteScale) : undefined;
  const total = notional && fee ? totalOf(f, notional, fee, quoteScale) : undefined;
  const summary = triggerSummary(f, m, last);
  return (
    <>
      {summary ? (
        <p className="ticket-note ticket-summary" data-testid="ticket-summary">
          {summary}
        </p>
      ) : null}
      <PreviewRows
        {...{ f, m, maker, ppm, fee, total }}
        label="Value"
        value={notional}
        est={limitPriced ? '' : '≈ '}
      />
    </>
  );
}

/** A scaled order's legs and what they add up to (the fee is what each may pay at most). */
export function ScaledPreview(props: { f: Form; m: Market; quoteScale: number }) {
  const { f, m, quoteScale } = props;
  const l = ladderOf(f, m);
  const scale = Math.max(decimalsOf(m.tickSize) + decimalsOf(m.lotSize), quoteScale);
  const legs = l.ok ? l.legs : [];
  const value = legs.reduce<string | undefined>(
    (sum, leg) => sum && add(sum, mul(leg.price, leg.qty, scale) ?? '0', scale),
    '0',
  );
  const ppm = f.postOnly ? m.makerFeePpm : m.takerFeePpm;
  const fee = legs.length > 0 && value ? ppmOf(value, ppm, quoteScale) : undefined;
  const total = fee && value ? totalOf(f, value, fee, quoteScale) : undefined;
  return (
    <>
      {legs.length > 0 ? (
        <table className="ticket-legs" aria-label="Scaled orders">
          <thead>
            <tr>
              <th>#</th>
              <th>Price ({m.quote})</th>
              <th>Quantity ({m.base})</th>
            </tr>
          </thead>
          <tbody>
            {legs.map((leg, i) => (
              <tr key={leg.price}>
                <td>{i + 1}</td>
                <td>{leg.price}</td>
                <td>{leg.qty}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <PreviewRows
        {...{ f, m, ppm, fee, total }}
        maker={f.postOnly}
        label={`Value of ${legs.length || '—'} orders`}
        value={legs.length > 0 ? value : undefined}
      />
    </>
  );
}
