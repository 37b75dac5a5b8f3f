import { useState } from 'react';
import {
  useAccounts,
  type PaperOrder,
  type Position,
  type TradingAccount,
} from '../../stores/accounts';
import { signClass, when } from './format';
import type { PaperInstrument } from './instrument-spec';
import { PaperTicket } from './paper-ticket';
import {
  bracketsText,
  orderPriceText,
  orderTypeText,
  quoteOfSymbol,
  trailDistanceWords,
  trailText,
  trails,
} from './trail-distance';

/** A market's quote currency, the unit of a trailing amount (undefined: not known). */
type QuoteOf = (symbol: string) => string | undefined;

/** Why the stop-loss input says what it says, for a position whose stop-loss trails. */
const trailTitle = (p: Position, quoteOf: QuoteOf) => {
  const distance = trailDistanceWords(p, quoteOf(p.symbol));
  return distance
    ? `Trails ${distance} behind the ${p.side === 'long' ? 'bid' : 'ask'}, never back. Typing a stop-loss here fixes it there; saving without touching it keeps it trailing.`
    : undefined;
};

function PositionRow(props: { p: Position; contracts: boolean; quoteOf: QuoteOf }) {
  const { p, contracts } = props;
  const trail = trailText(p);
  const title = trailTitle(p, props.quoteOf);
  const { busy, close, brackets } = useAccounts();
  const [partial, setPartial] = useState('');
  // What was typed; null: the position's own level (a trailing stop-loss moves under it).
  const [sl, setSl] = useState<string | null>(null);
  const [tp, setTp] = useState<string | null>(null);
  const save = async () => {
    // Only what was typed is sent: an untouched level is kept as it is on the server (a
    // trailing stop-loss keeps trailing, whatever it moved to since the last refresh).
    const typed = (t: string | null) => (t === null ? undefined : t.trim() || null);
    if (await brackets(p.symbol, typed(sl), typed(tp))) {
      setSl(null);
      setTp(null);
    }
  };
  return (
    <tr>
      <td>
        <strong>{p.symbol}</strong>
      </td>
      <td className={p.side === 'long' ? 'gain' : 'loss'}>{p.side}</td>
      <td className="num">{p.qty}</td>
      <td className="num">{p.entryPrice}</td>
      <td className="num">{p.markPrice ?? '—'}</td>
      <td className="num">{p.kind && p.kind !== 'spot-cfd' ? '—' : `${p.leverage}×`}</td>
      <td className="num">{p.margin}</td>
      {contracts ? (
        <>
          <td className="num">{p.maintenanceMargin ?? '—'}</td>
          <td className="num loss">{p.liquidationPrice ?? '—'}</td>
        </>
      ) : null}
      <td className={`num ${signClass(p.unrealisedPnl)}`}>{p.unrealisedPnl ?? '—'}</td>
      <td className={`num ${signClass(p.realisedPnl)}`}>{p.realisedPnl}</td>
      <td>
        <form
          className="accounts-inline"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <input
            aria-label={`Stop-loss ${p.symbol}`}
            placeholder="SL"
            value={sl ?? p.stopLoss ?? ''}
            title={title}
            onChange={(e) => setSl(e.target.value)}
          />
          <input
            aria-label={`Take-profit ${p.symbol}`}
            placeholder="TP"
            value={tp ?? p.takeProfit ?? ''}
            onChange={(e) => setTp(e.target.value)}
          />
          <button className="btn small" type="submit" disabled={busy}>
            Save
          </button>
        </form>
        {/* Under the stop-loss it moves: the table is wide enough without one more column. */}
        {trail ? (
          <div className="small muted trail-tag" title={title}>
            {trail}
          </div>
        ) : null}
      </td>
      <td>
        <form
          className="accounts-inline"
          onSubmit={(e) => {
            e.preventDefault();
            void close(p.symbol, partial.trim() || undefined);
            setPartial('');
          }}
        >
          <input
            aria-label={`Quantity to close ${p.symbol}`}
            placeholder="all"
            value={partial}
            onChange={(e) => setPartial(e.target.value)}
          />
          <button className="btn small" type="submit" disabled={busy}>
            Close
          </button>
        </form>
      </td>
    </tr>
  );
}

/** What a waiting trailing stop's price means, on hover. */
const priceTitle = (o: PaperOrder, quoteOf: QuoteOf) =>
  trails(o) && o.status === 'open'
    ? o.trailTracking
      ? `Follows the ${o.side === 'sell' ? 'bid up' : 'ask down'} ${trailDistanceWords(o, quoteOf(o.symbol))} behind, never back`
      : `Starts trailing once the ${o.side === 'sell' ? 'bid is at or below' : 'ask is at or above'} ${o.price}`
    : undefined;

function WaitingOrders({ quoteOf }: { quoteOf: QuoteOf }) {
  const { orders, busy, cancelOrder } = useAccounts();
  const open = orders.filter((o) => o.status === 'open');
  const done = orders.filter((o) => o.status !== 'open').slice(0, 5);
  if (open.length === 0 && done.length === 0) return null;
  return (
    <>
      <h3>Limit and stop orders</h3>
      <table className="table" aria-label="Paper orders">
        <thead>
          <tr>
            <th>Placed</th>
            <th>Market</th>
            <th>Type</th>
            <th>Side</th>
            <th className="num">Qty</th>
            <th className="num">Price</th>
            <th>SL / TP</th>
            <th>State</th>
            <th>
              {open.length > 1 ? (
                <button
                  className="btn small"
                  type="button"
                  disabled={busy}
                  onClick={() => void cancelOrder()}
                >
                  Cancel all
                </button>
              ) : null}
            </th>
          </tr>
        </thead>
        <tbody>
          {[...open, ...done].map((o) => (
            <tr key={o.id}>
              <td>{when(o.createdAt)}</td>
              <td>{o.symbol}</td>
              <td>{orderTypeText(o)}</td>
              <td className={o.side === 'buy' ? 'gain' : 'loss'}>{o.side}</td>
              <td className="num">{o.qty}</td>
              <td className="num" title={priceTitle(o, quoteOf)}>
                {orderPriceText(o)}
              </td>
              <td>{bracketsText(o)}</td>
              <td title={o.reason ?? undefined}>
                {o.status}
                {o.status === 'rejected' && o.reason ? `: ${o.reason}` : ''}
              </td>
              <td>
                {o.status === 'open' ? (
                  <button
                    className="btn small"
                    type="button"
                    disabled={busy}
                    aria-label={`Cancel order ${o.id}`}
                    onClick={() => void cancelOrder(o.id)}
                  >
                    Cancel
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The paper broker: its ticket, positions, waiting orders and fills. */
export function PaperDetail(props: {
  a: TradingAccount;
  instruments: PaperInstrument[];
  /** Opens the new-account form on a paper account in this currency. */
  onAccountIn: (currency: string) => void;
}) {
  const { a, instruments } = props;
  const { positions, fills } = useAccounts();
  // Maintenance margin and liquidation price are a future's or CFD's: without one held, two
  // columns of dashes only pushed Close out of the card.
  const contracts = positions.some((p) => p.kind === 'future' || p.kind === 'cfd');
  const quoteOf: QuoteOf = (symbol) =>
    instruments.find((i) => i.symbol === symbol)?.quoteAsset ?? quoteOfSymbol(symbol);
  return (
    <article className="card wide accounts-detail" aria-labelledby="positions-title">
      <h2 id="positions-title">{a.name}: positions</h2>
      {/* Its own state per account: another account trades other markets at other terms. */}
      <PaperTicket key={a.id} a={a} instruments={instruments} onAccountIn={props.onAccountIn} />
      {positions.length === 0 ? (
        <p className="muted">No open positions.</p>
      ) : (
        <table className="table" aria-label="Positions">
          <thead>
            <tr>
              <th>Market</th>
              <th>Side</th>
              <th className="num">Qty</th>
              <th className="num">Entry</th>
              <th className="num">Mark</th>
              <th className="num">Lev.</th>
              <th className="num">Margin</th>
              {contracts ? (
                <>
                  <th className="num" title="What a future or CFD needs to stay open">
                    Maint.
                  </th>
                  <th className="num" title="Mark at which it is liquidated, the rest as now">
                    Liq. price
                  </th>
                </>
              ) : null}
              <th className="num">Unrealised</th>
              <th className="num">Realised</th>
              <th>SL / TP</th>
              <th>Close</th>
            </tr>
          </thead>
          <tbody>
            {positions.map((p) => (
              <PositionRow
                key={`${p.symbol}-${p.side}-${p.qty}`}
                p={p}
                contracts={contracts}
                quoteOf={quoteOf}
              />
            ))}
          </tbody>
        </table>
      )}
      <WaitingOrders quoteOf={quoteOf} />
      <h3>Fills</h3>
      {fills.length === 0 ? (
        <p className="muted">No fills yet.</p>
      ) : (
        <table className="table" aria-label="Paper fills">
          <thead>
            <tr>
              <th>Time</th>
              <th>Market</th>
              <th>Side</th>
              <th className="num">Qty</th>
              <th className="num">Price</th>
              <th className="num">Book</th>
              <th className="num">Commission</th>
              <th className="num">Realised</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {fills.map((f) => (
              <tr key={f.id}>
                <td>{when(f.ts)}</td>
                <td>{f.symbol}</td>
                <td className={f.side === 'buy' ? 'gain' : 'loss'}>{f.side}</td>
                <td className="num">{f.qty}</td>
                <td className="num">{f.price}</td>
                <td className="num">{f.touchPrice}</td>
                <td className="num">{f.commission}</td>
                <td className={`num ${signClass(f.realisedPnl)}`}>{f.realisedPnl}</td>
                <td>{f.reason.replace('_', ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
