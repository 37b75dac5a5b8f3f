import { useState } from 'react';
import { actionKey, useBrokers, type BrokerOrderInput } from '../../stores/brokers';

type TicketType = BrokerOrderInput['type'];
const TYPES: readonly TicketType[] = ['market', 'limit', 'stop'];

/** Refusals after which the broker may still have the order: the ticket keeps its id. */
const MAYBE_PLACED = /unknown|unavailable|timeout|internal|conflict/;

/** A client order id: the broker places one order per id, however often the ticket is sent. */
const newClientId = () => `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * An order ticket for a broker account. The client order id changes only once the broker's
 * answer is known: sending again after a timeout (outcome unknown) cannot place a second order.
 */
export function BrokerTicket({ id, symbols }: { id: string; symbols: string[] }) {
  const place = useBrokers((s) => s.place);
  const key = actionKey.place(id);
  const pending = useBrokers((s) => s.pending[key] === true);
  const problem = useBrokers((s) => s.problems[key]);
  const [symbol, setSymbol] = useState(symbols[0] ?? '');
  const [type, setType] = useState<TicketType>('market');
  const [qty, setQty] = useState('');
  const [price, setPrice] = useState('');
  const [sl, setSl] = useState('');
  const [tp, setTp] = useState('');
  const [clientOrderId, setClientOrderId] = useState(newClientId);
  const priced = type !== 'market';
  const send = async (side: BrokerOrderInput['side']) => {
    const p = price.trim();
    const order = await place({
      id,
      symbol: symbol.trim(),
      side,
      type,
      qty: qty.trim(),
      ...(type === 'limit' && p ? { price: p } : {}),
      ...(type === 'stop' && p ? { stopPrice: p } : {}),
      ...(sl.trim() ? { stopLoss: sl.trim() } : {}),
      ...(tp.trim() ? { takeProfit: tp.trim() } : {}),
      clientOrderId,
    });
    const refused = useBrokers.getState().problems[key];
    if (order || (refused && !MAYBE_PLACED.test(refused.code))) setClientOrderId(newClientId());
  };
  const problemFor = (field: string) => (problem?.field === field ? problem : undefined);
  const fieldProblem = problem?.field
    ? ['symbol', 'qty', 'price', 'stopPrice', 'stopLoss', 'takeProfit'].includes(problem.field)
    : false;
  const input = (
    label: string,
    field: string,
    value: string,
    set: (v: string) => void,
    extra: { disabled?: boolean; placeholder?: string; list?: string } = {},
  ) => (
    <label>
      {label}
      <input
        value={value}
        onChange={(e) => set(e.target.value)}
        inputMode={field === 'symbol' ? undefined : 'decimal'}
        aria-invalid={problemFor(field) ? true : undefined}
        {...extra}
      />
      {problemFor(field) ? (
        <small className="error-text" role="alert">
          {problemFor(field)?.message}
        </small>
      ) : null}
    </label>
  );
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
      {input(
        type === 'stop' ? 'Trigger price' : 'Limit price',
        type === 'stop' ? 'stopPrice' : 'price',
        priced ? price : '',
        setPrice,
        { disabled: !priced, placeholder: priced ? '' : 'at the market' },
      )}
      {input('Quantity', 'qty', qty, setQty)}
      {input('Stop-loss', 'stopLoss', sl, setSl)}
      {input('Take-profit', 'takeProfit', tp, setTp)}
      <div className="accounts-ticket-buttons">
        <button
          className="btn buy"
          type="button"
          disabled={pending || !symbol.trim() || !qty.trim()}
          onClick={() => void send('buy')}
        >
          Buy
        </button>
        <button
          className="btn sell"
          type="button"
          disabled={pending || !symbol.trim() || !qty.trim()}
          onClick={() => void send('sell')}
        >
          Sell
        </button>
      </div>
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
