import { useState } from 'react';
import type { OperationInput } from '../../../../src-shared/contract';
import { useAccounts, type TradingAccount } from '../../stores/accounts';
import { InstrumentSpecCard, type PaperInstrument } from './instrument-spec';
import { executionText, listWords, marketsIn, otherCurrencies } from './paper-terms';
import { Field } from './ticket-field';
import { quoteOfSymbol, trailBehind } from './trail-distance';
import {
  stopLossHint,
  TrailCell,
  TrailDistanceField,
  TrailHintLine,
  useTicketTrailing,
  type TicketTrailing,
} from './trailing-fields';
import { standingRefusal, withField, type SentValues } from './standing-refusal';

type PaperOrderInput = OperationInput<'accounts.placeOrder'>;
type PaperOrderType = NonNullable<PaperOrderInput['type']>;
const PAPER_TYPES: readonly PaperOrderType[] = ['market', 'limit', 'stop'];

/**
 * The paper broker trails both, a stop order and the stop-loss of any order, by percent or by
 * an amount in price units.
 */
const PAPER_TRAILING = { entry: true, stopLoss: true, amount: true } as const;
const HINT_ID = 'paper-trail-hint';
const MARKET_ID = 'paper-market';
const PROBLEM_ID = 'paper-ticket-problem';

/**
 * What a ticked trailing stop will do. The side is the button pressed, so both are said: a
 * sell follows the bid up, a buy the ask down.
 */
function entryHint(t: TicketTrailing, start: string, quote: string | undefined): string {
  const { entry } = t;
  if (!entry.on) return '';
  const follows = `the trigger stays ${trailBehind(entry.typed, entry.unit, quote)} the best quote (a sell's under the highest bid, a buy's over the lowest ask)`;
  return start.trim()
    ? `Waits until the book reaches ${start.trim()}, then ${follows} from there on.`
    : `Trails from the quote now: ${follows} since placing.`;
}

/** The server's refusal of a field, when it names that field. */
type ProblemAt = (field: string) => string | undefined;

/** The market, one the account's currency settles (the broker refuses the others), and order type. */
function MarketCells(props: {
  markets: PaperInstrument[];
  symbol: string;
  setSymbol: (symbol: string) => void;
  type: PaperOrderType;
  setType: (type: PaperOrderType) => void;
  at: ProblemAt;
}) {
  const { markets, symbol } = props;
  const problem = props.at('symbol');
  const local = markets.filter((m) => m.kind === 'spot-cfd');
  const contracts = markets.filter((m) => m.kind !== 'spot-cfd');
  const option = (m: PaperInstrument) => (
    <option key={m.symbol} value={m.symbol}>
      {m.symbol}
    </option>
  );
  // The select outside its label: a label around a select reads its options into its name.
  return (
    <>
      <div className="ticket-cell">
        <label htmlFor={MARKET_ID}>
          Market
          {problem ? (
            <small className="error-text" role="alert">
              {problem}
            </small>
          ) : null}
        </label>
        <select
          id={MARKET_ID}
          value={symbol}
          onChange={(e) => props.setSymbol(e.target.value)}
          aria-invalid={problem ? true : undefined}
        >
          {/* Until the list arrives: the market the ticket starts on. */}
          {markets.some((m) => m.symbol === symbol) ? null : (
            <option value={symbol}>{symbol}</option>
          )}
          {local.length > 0 && contracts.length > 0 ? (
            <>
              <optgroup label="Local markets">{local.map(option)}</optgroup>
              <optgroup label="Futures and CFDs">{contracts.map(option)}</optgroup>
            </>
          ) : (
            markets.map(option)
          )}
        </select>
      </div>
      <label>
        Order type
        <select
          value={props.type}
          onChange={(e) => props.setType(PAPER_TYPES.find((t) => t === e.target.value) ?? 'market')}
        >
          <option value="market">Market</option>
          <option value="limit">Limit</option>
          <option value="stop">Stop</option>
        </select>
      </label>
    </>
  );
}

/**
 * The markets this account cannot trade because they settle in another currency, and a way to
 * an account that can: "… Others need a paper account in their currency: [New USD account]
 * for EUR/USD and SPX-FUT".
 */
function OtherCurrencies(props: {
  a: TradingAccount;
  instruments: PaperInstrument[];
  onAccountIn: (currency: string) => void;
}) {
  const { a } = props;
  const others = otherCurrencies(props.instruments, a.baseCurrency);
  if (others.length === 0) return null;
  return (
    <p className="small muted paper-other-currencies">
      {a.name} keeps {a.baseCurrency}: it trades the markets settled in {a.baseCurrency}. Others
      need a paper account in their currency:{' '}
      {others.map((o, i) => (
        <span key={o.currency} className="paper-other-currency">
          {i > 0 ? ' · ' : ''}
          <button type="button" className="btn-link" onClick={() => props.onAccountIn(o.currency)}>
            New {o.currency} account
          </button>{' '}
          for {listWords(o.symbols)}
        </span>
      ))}
      .
    </p>
  );
}

/**
 * The order's price: a limit or trigger price, or, for a trailing stop, its distance (in % or
 * in the quote currency) and the optional price it starts trailing at (sent as `price`).
 */
function PriceCells(props: {
  type: PaperOrderType;
  trail: TicketTrailing;
  quote: string | undefined;
  price: string;
  setPrice: (price: string) => void;
  start: string;
  setStart: (start: string) => void;
  at: ProblemAt;
}) {
  const { type, trail, at } = props;
  const input = trail.entry.on ? (
    <TrailDistanceField
      label="Trail by"
      leg={trail.entry}
      offersAmount={trail.offersAmount}
      quote={props.quote}
      serverProblem={at(trail.entry.field)}
      percentExample="1"
      describedBy={HINT_ID}
    />
  ) : (
    <Field
      label={type === 'stop' ? 'Trigger price' : 'Limit price'}
      value={type === 'market' ? '' : props.price}
      onChange={props.setPrice}
      problem={at('price')}
      placeholder={type === 'market' ? 'at the book' : ''}
      disabled={type === 'market'}
      numeric="decimal"
    />
  );
  return (
    <>
      {trail.entry.offered ? (
        <TrailCell
          label="Trailing stop"
          checked={trail.entry.ticked}
          onChange={trail.entry.setTicked}
        >
          {input}
        </TrailCell>
      ) : (
        input
      )}
      {trail.entry.on ? (
        <Field
          label="Start trailing at"
          value={props.start}
          onChange={props.setStart}
          problem={at('price')}
          placeholder="now"
          describedBy={HINT_ID}
          numeric="decimal"
        />
      ) : null}
    </>
  );
}

/** The stop-loss: a price, or ticked, how far it trails (in % or in the quote currency). */
function StopLossCell(props: {
  trail: TicketTrailing;
  quote: string | undefined;
  sl: string;
  setSl: (sl: string) => void;
  at: ProblemAt;
}) {
  const { trail, at } = props;
  return (
    <TrailCell
      label="Trail the stop-loss"
      checked={trail.stopLoss.ticked}
      onChange={trail.stopLoss.setTicked}
    >
      {trail.stopLoss.on ? (
        <TrailDistanceField
          label="Stop-loss trail by"
          leg={trail.stopLoss}
          offersAmount={trail.offersAmount}
          quote={props.quote}
          serverProblem={at(trail.stopLoss.field)}
          percentExample="0.5"
          describedBy={HINT_ID}
        />
      ) : (
        <Field
          label="Stop-loss"
          value={props.sl}
          onChange={props.setSl}
          problem={at('stopLoss')}
          numeric="decimal"
        />
      )}
    </TrailCell>
  );
}

/**
 * The paper broker's order ticket. A stop can trail (a distance in percent or in the quote
 * currency, from the quote now or from a start price the book must reach first), and so can the
 * stop-loss of any order.
 */
export function PaperTicket({
  a,
  instruments,
  onAccountIn,
}: {
  a: TradingAccount;
  instruments: PaperInstrument[];
  onAccountIn: (currency: string) => void;
}) {
  const { busy, placeOrder, orderProblem } = useAccounts();
  const refusal = withField(orderProblem);
  // The markets of the account's currency; the one chosen, or the first of them.
  const markets = marketsIn(instruments, a.baseCurrency);
  const [chosen, setSymbol] = useState(`BTC/${a.baseCurrency}`);
  const symbol = markets.some((m) => m.symbol === chosen) ? chosen : (markets[0]?.symbol ?? chosen);
  const spec = instruments.find((i) => i.symbol === symbol);
  // A future's or CFD's margin comes from its spec: no leverage is sent for it.
  const contract = spec !== undefined && spec.kind !== 'spot-cfd';
  // A trailing amount's unit: the market's quote currency.
  const quote = spec?.quoteAsset ?? quoteOfSymbol(symbol);
  const [type, setType] = useState<PaperOrderType>('market');
  const [price, setPrice] = useState('');
  const [start, setStart] = useState('');
  const [qty, setQty] = useState('0.01');
  const [leverage, setLeverage] = useState(String(a.paperConfig?.defaultLeverage ?? 1));
  const [sl, setSl] = useState('');
  const [tp, setTp] = useState('');
  const trail = useTicketTrailing(PAPER_TRAILING, type);
  // The form's text by the request field it goes in (a trailing stop's start price is sent as
  // its price): a refusal of a field edited since the send is dropped (standing-refusal.ts).
  const values = {
    symbol,
    price: trail.entry.on ? start : price,
    qty,
    leverage,
    stopLoss: sl,
    takeProfit: tp,
    [trail.entry.field]: trail.entry.typed,
    [trail.stopLoss.field]: trail.stopLoss.typed,
  };
  const [sent, setSent] = useState<SentValues>();
  const problem = standingRefusal(refusal, sent, values);
  const send = (side: PaperOrderInput['side']) => {
    setSent(values);
    // A trailing stop without a start price trails from the quote now.
    const p = trail.entry.on ? start.trim() : price.trim();
    void placeOrder({
      id: a.id,
      symbol,
      side,
      type,
      qty,
      ...(type !== 'market' && (p || !trail.entry.on) ? { price: p } : {}),
      ...(contract ? {} : { leverage: Number.parseInt(leverage, 10) || 1 }),
      ...(sl.trim() && !trail.stopLoss.on ? { stopLoss: sl.trim() } : {}),
      ...trail.fields(),
      ...(tp.trim() ? { takeProfit: tp.trim() } : {}),
    });
  };
  // The server's refusal at the input of the field it names, if that input is on the form;
  // any other under the buttons, never hidden.
  const shown = [
    'symbol',
    'price',
    'qty',
    ...(contract ? [] : ['leverage']),
    ...(trail.entry.on ? [trail.entry.field] : []),
    trail.stopLoss.on ? trail.stopLoss.field : 'stopLoss',
    'takeProfit',
  ];
  // A refusal too long for its cell (`across`) is said under the buttons, its input marked.
  const across = problem?.across === true;
  const at: ProblemAt = (field) =>
    problem?.field === field && !across ? problem.message : undefined;
  const marked = (field: string) => (problem?.field === field && across ? PROBLEM_ID : undefined);
  const elsewhere = problem && !(problem.field && shown.includes(problem.field) && !across);
  const cells = { trail, quote, at };
  return (
    <form
      className={`accounts-ticket paper-ticket${trail.entry.on ? ' ticket-trail-wide' : ''}`}
      aria-label="Paper order"
      onSubmit={(e) => e.preventDefault()}
    >
      <MarketCells {...{ markets, symbol, setSymbol, type, setType, at }} />
      <PriceCells {...cells} {...{ type, price, setPrice, start, setStart }} />
      <Field
        label={contract ? 'Contracts' : 'Quantity'}
        value={qty}
        onChange={setQty}
        problem={at('qty')}
        invalidBy={marked('qty')}
        numeric="decimal"
      />
      <Field
        label={`Leverage ${contract ? '(set by margin)' : `(max ${a.paperConfig?.maxLeverage})`}`}
        value={contract ? '' : leverage}
        onChange={setLeverage}
        problem={contract ? undefined : at('leverage')}
        disabled={contract}
        numeric="numeric"
      />
      <StopLossCell {...cells} sl={sl} setSl={setSl} />
      <Field
        label="Take-profit"
        value={tp}
        onChange={setTp}
        problem={at('takeProfit')}
        numeric="decimal"
      />
      <div className="accounts-ticket-buttons">
        {(['buy', 'sell'] as const).map((side) => (
          <button
            key={side}
            className={`btn ${side}`}
            type="button"
            disabled={busy || trail.blocked}
            onClick={() => send(side)}
          >
            {side === 'buy' ? 'Buy / long' : 'Sell / short'}
          </button>
        ))}
      </div>
      <TrailHintLine
        id={HINT_ID}
        lines={[entryHint(trail, start, quote), stopLossHint(trail, quote)]}
      />
      {elsewhere ? (
        <p id={PROBLEM_ID} className="error-text small accounts-ticket-problem" role="alert">
          {across && problem.field === 'qty' ? `${contract ? 'Contracts' : 'Quantity'}: ` : ''}
          {problem.message}
        </p>
      ) : null}
      {spec ? <InstrumentSpecCard i={spec} /> : null}
      {a.paperConfig ? <p className="small muted">{executionText(a.paperConfig, spec)}</p> : null}
      <OtherCurrencies a={a} instruments={instruments} onAccountIn={onAccountIn} />
    </form>
  );
}
