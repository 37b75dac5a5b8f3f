import { useState } from 'react';
import { actionKey, useBrokers, type BrokerOrderInput } from '../../stores/brokers';
import { TRAIL_HINT_ID, TrailHint, type BrokerTrailing } from './broker-trailing';
import { quoteOfSymbol } from './trail-distance';
import { TrailCell, TrailDistanceField, useTicketTrailing, type TrailLeg } from './trailing-fields';
import { standingRefusal, type SentValues } from './standing-refusal';

type TicketType = BrokerOrderInput['type'];
const TYPES: readonly TicketType[] = ['market', 'limit', 'stop'];

/** Refusals after which the broker may still have the order: the ticket keeps its id. */
const MAYBE_PLACED = /unknown|unavailable|timeout|internal|conflict/;

/** A client order id: the broker places one order per id, however often the ticket is sent. */
const newClientId = () => `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** An input's options beyond its label, field and value. */
type InputExtra = {
  disabled?: boolean;
  placeholder?: string;
  list?: string;
};

/**
 * An order ticket for a broker account. The client order id changes only once the broker's
 * answer is known: sending again after a timeout (outcome unknown) cannot place a second order.
 * Where the broker trails natively (`trailing`), a stop can trail and so can the stop-loss, by
 * percent or, where the broker takes one (`trailing.amount`), by an amount in price units.
 */
export function BrokerTicket(props: { id: string; symbols: string[]; trailing: BrokerTrailing }) {
  const { id, symbols } = props;
  const place = useBrokers((s) => s.place);
  const key = actionKey.place(id);
  const pending = useBrokers((s) => s.pending[key] === true);
  const refusal = useBrokers((s) => s.problems[key]);
  const [symbol, setSymbol] = useState(symbols[0] ?? '');
  const [type, setType] = useState<TicketType>('market');
  const [qty, setQty] = useState('');
  const [price, setPrice] = useState('');
  const [sl, setSl] = useState('');
  const [tp, setTp] = useState('');
  const [clientOrderId, setClientOrderId] = useState(newClientId);
  const trail = useTicketTrailing(props.trailing, type);
  const priced = type !== 'market';
  // The form's text by the request field it goes in: a refusal of a field edited since the
  // send no longer describes the form (standing-refusal.ts).
  const values = {
    symbol,
    qty,
    price,
    stopPrice: price,
    stopLoss: sl,
    takeProfit: tp,
    [trail.entry.field]: trail.entry.typed,
    [trail.stopLoss.field]: trail.stopLoss.typed,
  };
  const [sent, setSent] = useState<SentValues>();
  const problem = standingRefusal(refusal, sent, values);
  // The amount's unit: the market's quote currency as its symbol says ("BTC/USD": USD).
  const quote = quoteOfSymbol(symbol);
  const send = async (side: BrokerOrderInput['side']) => {
    const p = price.trim();
    setSent(values);
    const order = await place({
      id,
      symbol: symbol.trim(),
      side,
      type,
      qty: qty.trim(),
      ...(type === 'limit' && p ? { price: p } : {}),
      ...(type === 'stop' && p && !trail.entry.on ? { stopPrice: p } : {}),
      ...(sl.trim() && !trail.stopLoss.on ? { stopLoss: sl.trim() } : {}),
      ...trail.fields(),
      ...(tp.trim() ? { takeProfit: tp.trim() } : {}),
      clientOrderId,
    });
    const refused = useBrokers.getState().problems[key];
    if (order || (refused && !MAYBE_PLACED.test(refused.code))) setClientOrderId(newClientId());
  };
  // The inputs on the form now, by the field the server names: a refusal of any other field
  // (stopPrice while the stop trails) is shown under the buttons, never hidden.
  const priceField = trail.entry.on ? trail.entry.field : type === 'stop' ? 'stopPrice' : 'price';
  const stopLossField = trail.stopLoss.on ? trail.stopLoss.field : 'stopLoss';
  const shown = ['symbol', 'qty', priceField, stopLossField, 'takeProfit'];
  const problemFor = (field: string) => (problem?.field === field ? problem : undefined);
  const fieldProblem = problem?.field ? shown.includes(problem.field) : false;
  const input = (
    label: string,
    field: string,
    value: string,
    set: (v: string) => void,
    extra: InputExtra = {},
  ) => {
    const message = problemFor(field)?.message;
    // The refusal sits between the label and the input: the ticket's inputs line up at the
    // bottom of the row, so a message under one would lift all the others.
    return (
      <label>
        {label}
        {message ? (
          <small className="error-text" role="alert">
            {message}
          </small>
        ) : null}
        <input
          value={value}
          onChange={(e) => set(e.target.value)}
          inputMode={field === 'symbol' ? undefined : 'decimal'}
          aria-invalid={message ? true : undefined}
          {...extra}
        />
      </label>
    );
  };
  const trailInput = (label: string, leg: TrailLeg) => (
    <TrailDistanceField
      label={label}
      leg={leg}
      offersAmount={trail.offersAmount}
      quote={quote}
      serverProblem={problemFor(leg.field)?.message}
      percentExample="2"
      describedBy={TRAIL_HINT_ID}
    />
  );
  const priceInput = trail.entry.on
    ? trailInput('Trail by', trail.entry)
    : input(
        type === 'stop' ? 'Trigger price' : 'Limit price',
        type === 'stop' ? 'stopPrice' : 'price',
        priced ? price : '',
        setPrice,
        { disabled: !priced, placeholder: priced ? '' : 'at the market' },
      );
  const stopLossInput = trail.stopLoss.on
    ? trailInput('Stop-loss trail by', trail.stopLoss)
    : input('Stop-loss', 'stopLoss', sl, setSl);
  const blocked = pending || !symbol.trim() || !qty.trim() || trail.blocked;
  return (
    <form
      className="accounts-ticket"
      aria-label="Broker order"
      onSubmit={(e) => e.preventDefault()}
    >
      {input('Market', 'symbol', symbol, setSymbol, { list: `broker-symbols-${id}` })}
      <datalist id={`broker-symbols-${id}`}>
        {symbols.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <label>
        Order type
        <select
          value={type}
          onChange={(e) => setType(TYPES.find((t) => t === e.target.value) ?? 'market')}
        >
          <option value="market">Market</option>
          <option value="limit">Limit</option>
          <option value="stop">Stop</option>
        </select>
      </label>
      {trail.entry.offered ? (
        <TrailCell
          label="Trailing stop"
          checked={trail.entry.ticked}
          onChange={trail.entry.setTicked}
        >
          {priceInput}
        </TrailCell>
      ) : (
        priceInput
      )}
      {input('Quantity', 'qty', qty, setQty)}
      {trail.stopLoss.offered ? (
        <TrailCell
          label="Trail the stop-loss"
          checked={trail.stopLoss.ticked}
          onChange={trail.stopLoss.setTicked}
        >
          {stopLossInput}
        </TrailCell>
      ) : (
        stopLossInput
      )}
      {input('Take-profit', 'takeProfit', tp, setTp)}
      <div className="accounts-ticket-buttons">
        <button
          className="btn buy"
          type="button"
          disabled={blocked}
          onClick={() => void send('buy')}
        >
          Buy
        </button>
        <button
          className="btn sell"
          type="button"
          disabled={blocked}
          onClick={() => void send('sell')}
        >
          Sell
        </button>
      </div>
      <TrailHint t={trail} quote={quote} />
      {problem && !fieldProblem ? (
        <p className="error-text small accounts-ticket-problem" role="alert">
          {problem.message}
          {MAYBE_PLACED.test(problem.code)
            ? ' The broker may have the order: check Open orders; sending this ticket again cannot place it twice.'
            : ''}
        </p>
      ) : null}
    </form>
  );
}
