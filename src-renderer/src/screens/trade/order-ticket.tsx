import { useState, type FormEvent } from 'react';
import type { OperationInput } from '../../../../src-shared/contract';
import { DemoFundsButton } from '../../components/demo-funds';
import { messageOf } from '../../stores/session';
import { useTradeSlice, type Market } from '../../stores/trade';
import {
  add,
  decimalsOf,
  div,
  floorToStep,
  isPositive,
  mul,
  ppmOf,
  sub,
  toUnits,
} from '../../../../src-shared/decimal';
import { batchOutcome, ladder, type Ladder, type LadderField } from './ladder';
import { Outcome } from '../../components/outcome';

type Side = 'buy' | 'sell';
/** The engine's order types, plus a scaled order: limit orders over a price range. */
type OrderType = 'limit' | 'market' | 'stop_market' | 'stop_limit' | 'scaled';
type Tif = 'GTC' | 'IOC' | 'FOK';
type Stp = 'cancel_newest' | 'cancel_oldest' | 'cancel_both';

const TYPES: Array<[OrderType, string]> = [
  ['limit', 'Limit'],
  ['market', 'Market'],
  ['stop_limit', 'Stop limit'],
  ['stop_market', 'Stop market'],
  ['scaled', 'Scaled (price ladder)'],
];
const STP_TEXT: Record<Stp, string> = {
  cancel_newest: 'Cancel newest',
  cancel_oldest: 'Cancel oldest',
  cancel_both: 'Cancel both',
};

interface Form {
  side: Side;
  type: OrderType;
  by: 'base' | 'quote';
  price: string;
  /** The last price of a scaled order (`price` is its first). */
  priceTo: string;
  /** Orders in a scaled order. */
  count: string;
  stopPrice: string;
  qty: string;
  quoteQty: string;
  tif: Tif;
  postOnly: boolean;
  stp: Stp;
  clientOrderId: string;
}

const EMPTY: Form = {
  side: 'buy',
  type: 'limit',
  by: 'base',
  price: '',
  priceTo: '',
  count: '5',
  stopPrice: '',
  qty: '',
  quoteQty: '',
  tif: 'GTC',
  postOnly: false,
  stp: 'cancel_newest',
  clientOrderId: '',
};

const multipleOf = (value: string, step: string) => {
  const scale = Math.max(decimalsOf(value), decimalsOf(step));
  const v = toUnits(value, scale);
  const s = toUnits(step, scale);
  return v !== undefined && s !== undefined && s > 0n && v % s === 0n;
};

const LADDER_FIELD: Record<LadderField, keyof Form> = {
  from: 'price',
  to: 'priceTo',
  count: 'count',
  totalQty: 'qty',
};

const ladderOf = (f: Form, m: Market): Ladder =>
  ladder({
    from: f.price,
    to: f.priceTo,
    count: f.count,
    totalQty: f.qty,
    tickSize: m.tickSize,
    lotSize: m.lotSize,
  });

/** A scaled order's problems: the ladder's, then each leg against the market's minimums. */
function scaledProblems(f: Form, m: Market): Partial<Record<keyof Form, string>> {
  const l = ladderOf(f, m);
  if (!l.ok) return { [LADDER_FIELD[l.field]]: l.message };
  const out: Partial<Record<keyof Form, string>> = {};
  const smallest = l.legs.reduce((a, b) =>
    (toUnits(b.qty, 18) ?? 0n) < (toUnits(a.qty, 18) ?? 0n) ? b : a,
  );
  const lowest = l.legs.reduce((a, b) =>
    (toUnits(b.price, 18) ?? 0n) < (toUnits(a.price, 18) ?? 0n) ? b : a,
  );
  const scale = decimalsOf(m.tickSize) + decimalsOf(m.lotSize);
  const value = mul(lowest.price, smallest.qty, scale) ?? '0';
  if ((toUnits(smallest.qty, 18) ?? 0n) < (toUnits(m.minQty, 18) ?? 0n)) {
    out.qty = `Each order is ${smallest.qty} or more; the minimum is ${m.minQty}`;
  } else if ((toUnits(value, 18) ?? 0n) < (toUnits(m.minNotional, 18) ?? 0n)) {
    out.qty = `The smallest order is worth ${value} ${m.quote}; the minimum is ${m.minNotional}`;
  }
  if (f.clientOrderId.length > 60) {
    out.clientOrderId = 'At most 60 characters here (each order adds -1, -2, …)';
  }
  return out;
}

/** Field problems found before sending (the server checks everything again). */
function problems(f: Form, m: Market): Partial<Record<keyof Form, string>> {
  const out: Partial<Record<keyof Form, string>> = {};
  if (f.clientOrderId && !/^[A-Za-z0-9_.:-]{1,64}$/.test(f.clientOrderId))
    out.clientOrderId = 'Letters, digits and _ . : - only (64 at most)';
  if (f.type === 'scaled') return { ...out, ...scaledProblems(f, m) };
  const needsPrice = f.type === 'limit' || f.type === 'stop_limit';
  const isStop = f.type === 'stop_limit' || f.type === 'stop_market';
  const priced = (key: 'price' | 'stopPrice', v: string) => {
    if (!isPositive(v)) out[key] = 'Enter a price above 0';
    else if (!multipleOf(v, m.tickSize)) out[key] = `Use steps of ${m.tickSize}`;
  };
  if (needsPrice) priced('price', f.price);
  if (isStop) priced('stopPrice', f.stopPrice);
  if (f.type === 'market' && f.by === 'quote' && f.side === 'buy') {
    if (!isPositive(f.quoteQty)) out.quoteQty = `Enter an amount of ${m.quote}`;
  } else if (!isPositive(f.qty)) out.qty = 'Enter a quantity above 0';
  else if (!multipleOf(f.qty, m.lotSize)) out.qty = `Use steps of ${m.lotSize}`;
  return out;
}

type PlaceInput = OperationInput<'orders.place'>;

/** A scaled order's legs as limit orders (client ids `<id>-1`, `<id>-2`, … when one is set). */
function scaledInputs(f: Form, m: Market): PlaceInput[] {
  const l = ladderOf(f, m);
  if (!l.ok) return [];
  return l.legs.map((leg, i) => ({
    symbol: m.symbol,
    side: f.side,
    type: 'limit',
    price: leg.price,
    qty: leg.qty,
    tif: f.tif,
    ...(f.postOnly ? { postOnly: true } : {}),
    stp: f.stp,
    ...(f.clientOrderId ? { clientOrderId: `${f.clientOrderId}-${i + 1}` } : {}),
  }));
}

function toInput(f: Form, symbol: string): PlaceInput {
  const needsPrice = f.type === 'limit' || f.type === 'stop_limit';
  const isStop = f.type === 'stop_limit' || f.type === 'stop_market';
  const byQuote = f.type === 'market' && f.by === 'quote' && f.side === 'buy';
  return {
    symbol,
    side: f.side,
    type: f.type === 'scaled' ? 'limit' : f.type,
    ...(needsPrice ? { price: f.price, tif: f.tif } : {}),
    ...(isStop ? { stopPrice: f.stopPrice } : {}),
    ...(byQuote ? { quoteQty: f.quoteQty } : { qty: f.qty }),
    ...(f.type === 'limit' && f.postOnly ? { postOnly: true } : {}),
    stp: f.stp,
    ...(f.clientOrderId ? { clientOrderId: f.clientOrderId } : {}),
  };
}

function Preview(props: { f: Form; m: Market; refPrice?: string; quoteScale: number }) {
  const { f, m, refPrice, quoteScale } = props;
  const byQuote = f.type === 'market' && f.by === 'quote' && f.side === 'buy';
  const price = f.type === 'limit' || f.type === 'stop_limit' ? f.price : refPrice;
  const notionalScale = decimalsOf(m.tickSize) + decimalsOf(m.lotSize);
  const notional = byQuote
    ? f.quoteQty || undefined
    : price && isPositive(f.qty) && isPositive(price)
      ? mul(price, f.qty, Math.max(notionalScale, quoteScale))
      : undefined;
  const maker = f.type === 'limit' && f.postOnly;
  const ppm = maker ? m.makerFeePpm : m.takerFeePpm;
  const fee = notional ? ppmOf(notional, ppm, quoteScale) : undefined;
  const total =
    notional && fee
      ? f.side === 'buy'
        ? add(notional, fee, quoteScale)
        : sub(notional, fee, quoteScale)
      : undefined;
  const est = f.type !== 'limit' && f.type !== 'stop_limit' ? '≈ ' : '';
  return (
    <dl className="kv ticket-preview" aria-label="Order preview">
      <div className="kv-row">
        <dt>Value</dt>
        <dd>{notional ? `${est}${notional} ${m.quote}` : '—'}</dd>
      </div>
      <div className="kv-row">
        <dt>
          Fee {maker ? '' : '≤ '}
          {(ppm / 10_000).toFixed(2)}%
        </dt>
        <dd>{fee ? `${est}${fee} ${m.quote}` : '—'}</dd>
      </div>
      <div className="kv-row">
        <dt>{f.side === 'buy' ? 'Cost' : 'You receive'}</dt>
        <dd data-testid="ticket-total">{total ? `${est}${total} ${m.quote}` : '—'}</dd>
      </div>
    </dl>
  );
}

/** A scaled order's legs and what they add up to (the fee is what each may pay at most). */
function ScaledPreview(props: { f: Form; m: Market; quoteScale: number }) {
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
  const total =
    fee && value
      ? f.side === 'buy'
        ? add(value, fee, quoteScale)
        : sub(value, fee, quoteScale)
      : undefined;
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
      <dl className="kv ticket-preview" aria-label="Order preview">
        <div className="kv-row">
          <dt>Value of {legs.length || '—'} orders</dt>
          <dd>{legs.length > 0 && value ? `${value} ${m.quote}` : '—'}</dd>
        </div>
        <div className="kv-row">
          <dt>
            Fee {f.postOnly ? '' : '≤ '}
            {(ppm / 10_000).toFixed(2)}%
          </dt>
          <dd>{fee ? `${fee} ${m.quote}` : '—'}</dd>
        </div>
        <div className="kv-row">
          <dt>{f.side === 'buy' ? 'Cost' : 'You receive'}</dt>
          <dd data-testid="ticket-total">{total ? `${total} ${m.quote}` : '—'}</dd>
        </div>
      </dl>
    </>
  );
}

/**
 * Every order type and option the engine supports, with helpers and a cost preview. Keyed by
 * market in the screen, so switching markets starts a fresh ticket.
 */
export function OrderTicket() {
  const { markets, symbol, bids, asks, balances, pickedPrice, place, placeBatch, busy } =
    useTradeSlice(
      'markets',
      'symbol',
      'bids',
      'asks',
      'balances',
      'pickedPrice',
      'place',
      'placeBatch',
      'busy',
    );
  const m = markets.find((x) => x.symbol === symbol);
  const [f, setF] = useState<Form>(EMPTY);
  const [shown, setShown] = useState<Partial<Record<keyof Form, string>>>({});
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  // Editing starts a new order: the last one's outcome no longer describes the form.
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setF((p) => ({ ...p, [k]: v }));
    setNotice(undefined);
    setError(undefined);
  };

  // A price picked in the book or the tape goes into the ticket (state adjusted in render).
  const [seenPick, setSeenPick] = useState(pickedPrice);
  if (pickedPrice !== seenPick) {
    setSeenPick(pickedPrice);
    if (pickedPrice) setF((p) => ({ ...p, price: pickedPrice.price }));
  }

  if (!m) return <section className="card trade-ticket" aria-label="Order ticket" />;
  const bal = (asset: string) => balances.find((b) => b.asset === asset);
  const quoteBal = bal(m.quote);
  const baseBal = bal(m.base);
  const quoteScale = decimalsOf(quoteBal?.available ?? '0.000000');
  const bestBid = bids[0]?.[0];
  const bestAsk = asks[0]?.[0];
  const refPrice = f.side === 'buy' ? bestAsk : bestBid;
  const byQuote = f.type === 'market' && f.by === 'quote' && f.side === 'buy';
  const scaled = f.type === 'scaled';
  const needsPrice = f.type === 'limit' || f.type === 'stop_limit' || scaled;
  const isStop = f.type === 'stop_limit' || f.type === 'stop_market';
  /** What a buy's quantity is sized on: a scaled order's highest price, so it stays affordable. */
  const sizingPrice = () => {
    if (!scaled) return needsPrice ? f.price : refPrice;
    const [a, b] = [f.price, f.priceTo];
    if (!isPositive(b)) return a;
    if (!isPositive(a)) return b;
    const scale = Math.max(decimalsOf(a), decimalsOf(b));
    return (toUnits(a, scale) ?? 0n) >= (toUnits(b, scale) ?? 0n) ? a : b;
  };

  const percent = (pct: number) => {
    const share = (amount: string) => mul(amount, String(pct / 100), decimalsOf(amount));
    if (f.side === 'sell') {
      const q = baseBal && share(baseBal.available);
      if (q) set('qty', floorToStep(q, m.lotSize) ?? '');
      return;
    }
    const spend = quoteBal && share(quoteBal.available);
    if (!spend) return;
    if (byQuote) return set('quoteQty', spend);
    const px = sizingPrice();
    if (!px || !isPositive(px)) return setShown({ price: 'Set a price first' });
    // Leave room for the taker fee the exchange holds on top of the value.
    const net = div(spend, String(1 + m.takerFeePpm / 1_000_000), quoteScale);
    const q = net && div(net, px, decimalsOf(m.lotSize));
    if (q) set('qty', floorToStep(q, m.lotSize) ?? '');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(undefined);
    setError(undefined);
    const found = problems(f, m);
    setShown(found);
    if (Object.keys(found).length > 0) return;
    try {
      if (scaled) {
        const outcome = batchOutcome(await placeBatch(scaledInputs(f, m)));
        setNotice(outcome.notice);
        setError(outcome.error);
      } else {
        const o = await place(toInput(f, symbol));
        setNotice(`Order ${o.orderId} ${o.status.replace('_', ' ')}`);
      }
      setF((p) => ({ ...p, clientOrderId: '' }));
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const fieldError = (k: keyof Form) =>
    shown[k] ? (
      <small className="error-text" role="alert">
        {shown[k]}
      </small>
    ) : null;

  return (
    <section className="card trade-ticket" aria-label="Order ticket">
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Order ticket form">
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
          <select value={f.type} onChange={(e) => set('type', e.target.value as OrderType)}>
            {TYPES.map(([v, t]) => (
              <option key={v} value={v}>
                {t}
              </option>
            ))}
          </select>
        </label>
        {isStop ? (
          <label className="field">
            <span>Stop price ({m.quote})</span>
            <input
              inputMode="decimal"
              value={f.stopPrice}
              onChange={(e) => set('stopPrice', e.target.value)}
            />
            {fieldError('stopPrice')}
          </label>
        ) : null}
        {needsPrice ? (
          <div className="field">
            <label htmlFor="ticket-price">
              {scaled ? 'From price' : 'Price'} ({m.quote})
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
            {fieldError('price')}
          </div>
        ) : null}
        {scaled ? (
          <div className="ticket-pair">
            <label className="field">
              <span>To price ({m.quote})</span>
              <input
                inputMode="decimal"
                value={f.priceTo}
                onChange={(e) => set('priceTo', e.target.value)}
              />
              {fieldError('priceTo')}
            </label>
            <label className="field">
              <span>Orders</span>
              <input
                inputMode="numeric"
                value={f.count}
                onChange={(e) => set('count', e.target.value)}
              />
              {fieldError('count')}
            </label>
          </div>
        ) : null}
        {f.type === 'market' && f.side === 'buy' ? (
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
          <label className="field">
            <span>Amount ({m.quote})</span>
            <input
              inputMode="decimal"
              value={f.quoteQty}
              onChange={(e) => set('quoteQty', e.target.value)}
            />
            {fieldError('quoteQty')}
          </label>
        ) : (
          <label className="field">
            <span>
              {scaled ? 'Total quantity' : 'Quantity'} ({m.base})
            </span>
            <input inputMode="decimal" value={f.qty} onChange={(e) => set('qty', e.target.value)} />
            {fieldError('qty')}
          </label>
        )}
        <div className="ticket-pcts" aria-label="Share of balance">
          {[25, 50, 75, 100].map((p) => (
            <button key={p} type="button" className="btn small" onClick={() => percent(p)}>
              {p}%
            </button>
          ))}
        </div>
        <p className="muted ticket-avail">
          Available:{' '}
          {f.side === 'buy'
            ? `${quoteBal?.available ?? '0'} ${m.quote}`
            : `${baseBal?.available ?? '0'} ${m.base}`}
        </p>
        {/* Nothing to trade with: one click away from trying the market. */}
        <DemoFundsButton
          offer={!isPositive((f.side === 'buy' ? quoteBal : baseBal)?.available ?? '0')}
        />
        <details className="ticket-options">
          <summary>Options</summary>
          {needsPrice ? (
            <label className="field">
              <span>Time in force</span>
              <select value={f.tif} onChange={(e) => set('tif', e.target.value as Tif)}>
                <option value="GTC">Good till cancelled (GTC)</option>
                <option value="IOC">Immediate or cancel (IOC)</option>
                <option value="FOK">Fill or kill (FOK)</option>
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
          <label className="field">
            <span>Self-trade prevention</span>
            <select value={f.stp} onChange={(e) => set('stp', e.target.value as Stp)}>
              {Object.entries(STP_TEXT).map(([v, t]) => (
                <option key={v} value={v}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Client order id (optional{scaled ? '; each order adds -1, -2, …' : ''})</span>
            <input value={f.clientOrderId} onChange={(e) => set('clientOrderId', e.target.value)} />
            {fieldError('clientOrderId')}
          </label>
        </details>
        {scaled ? (
          <ScaledPreview f={f} m={m} quoteScale={quoteScale} />
        ) : (
          <Preview f={f} m={m} refPrice={refPrice} quoteScale={quoteScale} />
        )}
        <button type="submit" className={`btn primary ticket-submit ${f.side}`} disabled={busy}>
          {f.side === 'buy' ? 'Buy' : 'Sell'} {m.base}
          {scaled ? ' in steps' : ''}
        </button>
        <Outcome error={error} notice={notice} />
      </form>
    </section>
  );
}
