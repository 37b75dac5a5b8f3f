import { useState } from 'react';
import type { OperationInput } from '../../../../src-shared/contract';
import { useAccounts, type TradingAccount } from '../../stores/accounts';
import { InstrumentSpecCard, type PaperInstrument } from './instrument-spec';
import { Field } from './ticket-field';
import {
  stopLossHint,
  trailBehind,
  TrailCell,
  TrailHintLine,
  useTicketTrailing,
  type TicketTrailing,
} from './trailing-fields';

type PaperOrderInput = OperationInput<'accounts.placeOrder'>;
type PaperOrderType = NonNullable<PaperOrderInput['type']>;
const PAPER_TYPES: readonly PaperOrderType[] = ['market', 'limit', 'stop'];

/** The paper broker trails both: a stop order, and the stop-loss of any order. */
const PAPER_TRAILING = { entry: true, stopLoss: true } as const;
const HINT_ID = 'paper-trail-hint';

/**
 * What a ticked trailing stop will do. The side is the button pressed, so both are said: a
 * sell follows the bid up, a buy the ask down.
 */
function entryHint(t: TicketTrailing, start: string): string {
  if (!t.entry) return '';
  const follows = `the trigger stays ${trailBehind(t.entryPct)} the best quote (a sell's under the highest bid, a buy's over the lowest ask)`;
  return start.trim()
    ? `Waits until the book reaches ${start.trim()}, then ${follows} from there on.`
    : `Trails from the quote now: ${follows} since placing.`;
}

/** The server's refusal of a field, when it names that field. */
type ProblemAt = (field: string) => string | undefined;

/** The market (from the paper broker's instruments in the account's currency) and order type. */
function MarketCells(props: {
  a: TradingAccount;
  instruments: PaperInstrument[];
  symbol: string;
  setSymbol: (symbol: string) => void;
  type: PaperOrderType;
  setType: (type: PaperOrderType) => void;
  at: ProblemAt;
}) {
  return (
    <>
      <Field
        label="Market"
        value={props.symbol}
        onChange={props.setSymbol}
        problem={props.at('symbol')}
        list="paper-markets"
      />
      <datalist id="paper-markets">
        {props.instruments
          .filter((i) => i.quoteAsset === props.a.baseCurrency)
          .map((i) => (
            <option key={i.symbol} value={i.symbol}>
              {i.kind}
            </option>
          ))}
      </datalist>
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
 * The order's price: a limit or trigger price, or, for a trailing stop, its distance and the
 * optional price it starts trailing at (sent as `price`).
 */
function PriceCells(props: {
  type: PaperOrderType;
  trail: TicketTrailing;
  price: string;
  setPrice: (price: string) => void;
  start: string;
  setStart: (start: string) => void;
  at: ProblemAt;
}) {
  const { type, trail, at } = props;
  const input = trail.entry ? (
    <Field
      label="Trail %"
      value={trail.entryPct}
      onChange={trail.setEntryPct}
      problem={trail.entryProblem ?? at('trailPercent')}
      placeholder="e.g. 1"
      describedBy={HINT_ID}
      numeric="decimal"
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
      {trail.offersEntry ? (
        <TrailCell
          label="Trailing stop"
          checked={trail.entryTicked}
          onChange={trail.setEntryTicked}
        >
          {input}
        </TrailCell>
      ) : (
        input
      )}
      {trail.entry ? (
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

/** The stop-loss: a price, or ticked, how far it trails. */
function StopLossCell(props: {
  trail: TicketTrailing;
  sl: string;
  setSl: (sl: string) => void;
  at: ProblemAt;
}) {
  const { trail, at } = props;
  return (
    <TrailCell
      label="Trail the stop-loss"
      checked={trail.stopLossTicked}
      onChange={trail.setStopLossTicked}
    >
      {trail.stopLoss ? (
        <Field
          label="Stop-loss trail %"
          value={trail.stopLossPct}
          onChange={trail.setStopLossPct}
          problem={trail.stopLossProblem ?? at('stopLossTrailPercent')}
          placeholder="e.g. 0.5"
          describedBy={HINT_ID}
          numeric="decimal"
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
 * The paper broker's order ticket. A stop can trail (a distance in percent, from the quote
 * now or from a start price the book must reach first), and so can the stop-loss of any order.
 */
export function PaperTicket({
  a,
  instruments,
}: {
  a: TradingAccount;
  instruments: PaperInstrument[];
}) {
  const { busy, placeOrder, orderProblem: problem } = useAccounts();
  const [symbol, setSymbol] = useState('BTC/USDT');
  const spec = instruments.find((i) => i.symbol === symbol);
  // A future's or CFD's margin comes from its spec: no leverage is sent for it.
  const contract = spec !== undefined && spec.kind !== 'spot-cfd';
  const [type, setType] = useState<PaperOrderType>('market');
  const [price, setPrice] = useState('');
  const [start, setStart] = useState('');
  const [qty, setQty] = useState('0.01');
  const [leverage, setLeverage] = useState(String(a.paperConfig?.defaultLeverage ?? 1));
  const [sl, setSl] = useState('');
  const [tp, setTp] = useState('');
  const trail = useTicketTrailing(PAPER_TRAILING, type);
  const send = (side: PaperOrderInput['side']) => {
    // A trailing stop without a start price trails from the quote now.
    const p = trail.entry ? start.trim() : price.trim();
    void placeOrder({
      id: a.id,
      symbol,
      side,
      type,
      qty,
      ...(type !== 'market' && (p || !trail.entry) ? { price: p } : {}),
      ...(contract ? {} : { leverage: Number.parseInt(leverage, 10) || 1 }),
      ...(sl.trim() && !trail.stopLoss ? { stopLoss: sl.trim() } : {}),
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
    ...(trail.entry ? ['trailPercent'] : []),
    trail.stopLoss ? 'stopLossTrailPercent' : 'stopLoss',
    'takeProfit',
  ];
  const at: ProblemAt = (field) => (problem?.field === field ? problem.message : undefined);
  const elsewhere = problem && !(problem.field && shown.includes(problem.field));
  const cells = { trail, at };
  return (
    <form
      className={`accounts-ticket${trail.entry ? ' ticket-trail-wide' : ''}`}
      aria-label="Paper order"
      onSubmit={(e) => e.preventDefault()}
    >
      <MarketCells {...{ a, instruments, symbol, setSymbol, type, setType, at }} />
      <PriceCells {...cells} {...{ type, price, setPrice, start, setStart }} />
      <Field
        label={contract ? 'Contracts' : 'Quantity'}
        value={qty}
        onChange={setQty}
        problem={at('qty')}
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
      <TrailHintLine id={HINT_ID} lines={[entryHint(trail, start), stopLossHint(trail)]} />
      {elsewhere ? (
        <p className="error-text small accounts-ticket-problem" role="alert">
          {problem.message}
        </p>
      ) : null}
      {spec ? <InstrumentSpecCard i={spec} /> : null}
    </form>
  );
}
