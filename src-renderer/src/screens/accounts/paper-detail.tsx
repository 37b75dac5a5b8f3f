import { useState } from 'react';
import type { OperationInput } from '../../../../src-shared/contract';
import { useAccounts, type Position, type TradingAccount } from '../../stores/accounts';
import { signClass, when } from './format';
import { InstrumentSpecCard, usePaperInstruments, type PaperInstrument } from './instrument-spec';

type PaperOrderInput = OperationInput<'accounts.placeOrder'>;
type PaperOrderType = NonNullable<PaperOrderInput['type']>;
const PAPER_TYPES: readonly PaperOrderType[] = ['market', 'limit', 'stop'];

function PositionRow({ p }: { p: Position }) {
  const { busy, close, brackets } = useAccounts();
  const [partial, setPartial] = useState('');
  const [sl, setSl] = useState(p.stopLoss ?? '');
  const [tp, setTp] = useState(p.takeProfit ?? '');
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
      <td className="num">{p.maintenanceMargin ?? '—'}</td>
      <td className="num loss">{p.liquidationPrice ?? '—'}</td>
      <td className={`num ${signClass(p.unrealisedPnl)}`}>{p.unrealisedPnl ?? '—'}</td>
      <td className={`num ${signClass(p.realisedPnl)}`}>{p.realisedPnl}</td>
      <td>
        <form
          className="accounts-inline"
          onSubmit={(e) => {
            e.preventDefault();
            void brackets(p.symbol, sl.trim() || null, tp.trim() || null);
          }}
        >
          <input
            aria-label={`Stop-loss ${p.symbol}`}
            placeholder="SL"
            value={sl}
            onChange={(e) => setSl(e.target.value)}
          />
          <input
            aria-label={`Take-profit ${p.symbol}`}
            placeholder="TP"
            value={tp}
            onChange={(e) => setTp(e.target.value)}
          />
          <button className="btn small" type="submit" disabled={busy}>
            Save
          </button>
        </form>
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

function PaperTicket({ a, instruments }: { a: TradingAccount; instruments: PaperInstrument[] }) {
  const { busy, placeOrder } = useAccounts();
  const [symbol, setSymbol] = useState('BTC/USDT');
  const spec = instruments.find((i) => i.symbol === symbol);
  // A future's or CFD's margin comes from its spec: no leverage is sent for it.
  const contract = spec !== undefined && spec.kind !== 'spot-cfd';
  const [type, setType] = useState<PaperOrderType>('market');
  const [price, setPrice] = useState('');
  const [qty, setQty] = useState('0.01');
  const [leverage, setLeverage] = useState(String(a.paperConfig?.defaultLeverage ?? 1));
  const [sl, setSl] = useState('');
  const [tp, setTp] = useState('');
  const send = (side: PaperOrderInput['side']) =>
    void placeOrder({
      id: a.id,
      symbol,
      side,
      type,
      qty,
      ...(type !== 'market' ? { price: price.trim() } : {}),
      ...(contract ? {} : { leverage: Number.parseInt(leverage, 10) || 1 }),
      ...(sl.trim() ? { stopLoss: sl.trim() } : {}),
      ...(tp.trim() ? { takeProfit: tp.trim() } : {}),
    });
  return (
    <form className="accounts-ticket" aria-label="Paper order" onSubmit={(e) => e.preventDefault()}>
      <label>
        Market
        <input value={symbol} list="paper-markets" onChange={(e) => setSymbol(e.target.value)} />
      </label>
      <datalist id="paper-markets">
        {instruments
          .filter((i) => i.quoteAsset === a.baseCurrency)
          .map((i) => (
            <option key={i.symbol} value={i.symbol}>
              {i.kind}
            </option>
          ))}
      </datalist>
      <label>
        Order type
        <select
          value={type}
          onChange={(e) => setType(PAPER_TYPES.find((t) => t === e.target.value) ?? 'market')}
        >
          <option value="market">Market</option>
          <option value="limit">Limit</option>
          <option value="stop">Stop</option>
        </select>
      </label>
      <label>
        {type === 'stop' ? 'Trigger price' : 'Limit price'}
        <input
          value={type === 'market' ? '' : price}
          placeholder={type === 'market' ? 'at the book' : ''}
          disabled={type === 'market'}
          onChange={(e) => setPrice(e.target.value)}
          inputMode="decimal"
        />
      </label>
      <label>
        {contract ? 'Contracts' : 'Quantity'}
        <input value={qty} onChange={(e) => setQty(e.target.value)} inputMode="decimal" />
      </label>
      <label>
        Leverage {contract ? '(set by margin)' : `(max ${a.paperConfig?.maxLeverage})`}
        <input
          value={contract ? '' : leverage}
          disabled={contract}
          onChange={(e) => setLeverage(e.target.value)}
          inputMode="numeric"
        />
      </label>
      <label>
        Stop-loss
        <input value={sl} onChange={(e) => setSl(e.target.value)} inputMode="decimal" />
      </label>
      <label>
        Take-profit
        <input value={tp} onChange={(e) => setTp(e.target.value)} inputMode="decimal" />
      </label>
      <div className="accounts-ticket-buttons">
        <button className="btn buy" type="button" disabled={busy} onClick={() => send('buy')}>
          Buy / long
        </button>
        <button className="btn sell" type="button" disabled={busy} onClick={() => send('sell')}>
          Sell / short
        </button>
      </div>
      {spec ? <InstrumentSpecCard i={spec} /> : null}
    </form>
  );
}

function WaitingOrders() {
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
              <td>{o.type}</td>
              <td className={o.side === 'buy' ? 'gain' : 'loss'}>{o.side}</td>
              <td className="num">{o.qty}</td>
              <td className="num">{o.price}</td>
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
export function PaperDetail({ a }: { a: TradingAccount }) {
  const { positions, fills } = useAccounts();
  const instruments = usePaperInstruments();
  const cfg = a.paperConfig;
  return (
    <article className="card wide accounts-detail" aria-labelledby="positions-title">
      <h2 id="positions-title">{a.name}: positions</h2>
      <PaperTicket a={a} instruments={instruments} />
      {cfg ? (
        <p className="small muted">
          Execution: book touch ± {cfg.spreadPpm / 20_000} % half-spread, slippage{' '}
          {cfg.slippagePpmPer10k / 10_000} % per 10,000 of size (max {cfg.maxSlippagePpm / 10_000}{' '}
          %), commission {cfg.commissionPpm / 10_000} %. Margin call at {cfg.marginCallLevelPct} %,
          stop-out at {cfg.stopOutLevelPct} %.
        </p>
      ) : null}
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
              <th className="num" title="What a future or CFD needs to stay open">
                Maint.
              </th>
              <th className="num" title="Mark at which it is liquidated, the rest as now">
                Liq. price
              </th>
              <th className="num">Unrealised</th>
              <th className="num">Realised</th>
              <th>SL / TP</th>
              <th>Close</th>
            </tr>
          </thead>
          <tbody>
            {positions.map((p) => (
              <PositionRow
                key={`${p.symbol}-${p.side}-${p.qty}-${p.stopLoss}-${p.takeProfit}`}
                p={p}
              />
            ))}
          </tbody>
        </table>
      )}
      <WaitingOrders />
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
