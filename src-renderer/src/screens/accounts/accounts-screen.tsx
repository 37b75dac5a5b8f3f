import { useEffect, useState, type FormEvent } from 'react';
import type { OperationInput } from '../../../../src-shared/contract';
import { useAccounts, type Position, type TradingAccount } from '../../stores/accounts';
import { useAutomation } from '../../stores/automation';
import { CopyButton, hookUrl } from '../automation/copy-button';
import './accounts.css';

type PaperOrderInput = OperationInput<'accounts.placeOrder'>;
type PaperOrderType = NonNullable<PaperOrderInput['type']>;
const PAPER_TYPES: readonly PaperOrderType[] = ['market', 'limit', 'stop'];

const when = (ms: number) => new Date(ms).toLocaleString();
const signClass = (v: string | null) =>
  v === null ? '' : v.startsWith('-') ? 'loss' : /^0*\.?0*$/.test(v) ? '' : 'gain';

function CreateForm() {
  const { venues, busy, create } = useAccounts();
  const [venue, setVenue] = useState('paper');
  const [name, setName] = useState('');
  const [balance, setBalance] = useState('100000');
  const [leverage, setLeverage] = useState('10');
  const paper = venue === 'paper';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await create({
      venue,
      name,
      ...(paper
        ? {
            initialBalance: balance,
            paperConfig: { maxLeverage: Number.parseInt(leverage, 10) || 1 },
          }
        : {}),
    });
    if (ok) setName('');
  };
  return (
    <form
      className="card accounts-create"
      onSubmit={(e) => void submit(e)}
      aria-label="New account"
    >
      <h2>New trading account</h2>
      <div className="accounts-create-fields">
        <label>
          Venue
          <select value={venue} onChange={(e) => setVenue(e.target.value)}>
            {venues.map((v) => (
              <option key={v.venue} value={v.venue}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Account name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={60} />
        </label>
        {paper ? (
          <>
            <label>
              Demo balance (USDT)
              <input
                value={balance}
                onChange={(e) => setBalance(e.target.value)}
                inputMode="decimal"
              />
            </label>
            <label>
              Maximum leverage
              <input
                value={leverage}
                onChange={(e) => setLeverage(e.target.value)}
                inputMode="numeric"
              />
            </label>
          </>
        ) : (
          <p className="small muted">
            Local accounts trade your spot balances on Bourse&apos;s exchange.
          </p>
        )}
        <button className="btn primary" type="submit" disabled={busy || name.trim() === ''}>
          Create account
        </button>
      </div>
    </form>
  );
}

function FreshTokenBanner() {
  const { fresh, dismissToken } = useAccounts();
  const base = useAutomation((s) => s.receiver?.localBaseUrl) ?? window.location.origin;
  if (!fresh) return null;
  const url = hookUrl(base, fresh.token);
  return (
    <div className="card accounts-token" role="status" aria-label="Webhook URL">
      <div>
        <strong>Webhook URL of {fresh.accountName}</strong>
        <div className="small muted">
          Shown once: Bourse keeps only a hash of the token. Paste it into the TradingView alert
          (through a tunnel — see Automation).
        </div>
        <div className="mono accounts-url">{url}</div>
      </div>
      <div className="accounts-token-actions">
        <CopyButton text={url} label="Copy URL" />
        <button className="btn small" type="button" onClick={dismissToken}>
          Done
        </button>
      </div>
    </div>
  );
}

function Summary({ a }: { a: TradingAccount }) {
  const s = a.summary;
  if (!s) return <span className="muted small">spot balances (Wallet)</span>;
  return (
    <dl className="accounts-figures">
      <div>
        <dt>Balance</dt>
        <dd className="num">{s.balance}</dd>
      </div>
      <div>
        <dt>Equity</dt>
        <dd className="num">{s.equity}</dd>
      </div>
      <div>
        <dt>Unrealised</dt>
        <dd className={`num ${signClass(s.unrealisedPnl)}`}>{s.unrealisedPnl}</dd>
      </div>
      <div>
        <dt>Margin used</dt>
        <dd className="num">{s.marginUsed}</dd>
      </div>
      <div>
        <dt>Free margin</dt>
        <dd className="num">{s.freeMargin}</dd>
      </div>
      <div>
        <dt>Margin level</dt>
        <dd className={`num ${s.marginState !== 'ok' ? 'loss' : ''}`}>
          {s.marginLevelPct === null ? '—' : `${s.marginLevelPct} %`}
          {s.marginState === 'margin_call' ? ' · margin call' : ''}
        </dd>
      </div>
    </dl>
  );
}

function AccountsTable() {
  const { accounts, selectedId, busy, select, update, regenerate, remove, sync } = useAccounts();
  if (accounts.length === 0) {
    return (
      <p className="muted">
        No trading accounts yet. A paper account gives you a simulated broker with leverage on
        Bourse&apos;s own markets; a local account trades your spot balances.
      </p>
    );
  }
  return (
    <table className="table" aria-label="Trading accounts">
      <thead>
        <tr>
          <th>Account</th>
          <th>Venue</th>
          <th>Token</th>
          <th>Figures ({accounts[0]?.baseCurrency})</th>
          <th>Enabled</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {accounts.map((a) => (
          <tr key={a.id} className={a.id === selectedId ? 'accounts-selected' : ''}>
            <td>
              <button type="button" className="btn-link" onClick={() => void select(a.id)}>
                {a.name}
              </button>
            </td>
            <td>
              {a.venue} · {a.mode}
            </td>
            <td className="mono">…{a.tokenHint}</td>
            <td>
              <Summary a={a} />
            </td>
            <td>
              <input
                type="checkbox"
                aria-label={`Enable ${a.name}`}
                checked={a.enabled}
                disabled={busy}
                onChange={(e) => void update({ id: a.id, enabled: e.target.checked })}
              />
            </td>
            <td className="actions">
              <button
                className="btn small"
                type="button"
                disabled={busy}
                onClick={() => void sync(a.id)}
              >
                Sync
              </button>
              <button
                className="btn small"
                type="button"
                disabled={busy}
                onClick={() => {
                  if (
                    window.confirm(
                      `Issue a new webhook token for ${a.name}? The old URL stops working.`,
                    )
                  )
                    void regenerate(a.id);
                }}
              >
                New token
              </button>
              <button
                className="btn small danger"
                type="button"
                disabled={busy}
                onClick={() => {
                  if (window.confirm(`Delete ${a.name}?`)) void remove(a.id);
                }}
              >
                Delete
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

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
      <td className="num">{p.leverage}×</td>
      <td className="num">{p.margin}</td>
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

function PaperTicket({ a }: { a: TradingAccount }) {
  const { busy, placeOrder } = useAccounts();
  const [symbol, setSymbol] = useState('BTC/USDT');
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
      leverage: Number.parseInt(leverage, 10) || 1,
      ...(sl.trim() ? { stopLoss: sl.trim() } : {}),
      ...(tp.trim() ? { takeProfit: tp.trim() } : {}),
    });
  return (
    <form className="accounts-ticket" aria-label="Paper order" onSubmit={(e) => e.preventDefault()}>
      <label>
        Market
        <input value={symbol} onChange={(e) => setSymbol(e.target.value)} />
      </label>
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
        Quantity
        <input value={qty} onChange={(e) => setQty(e.target.value)} inputMode="decimal" />
      </label>
      <label>
        Leverage (max {a.paperConfig?.maxLeverage})
        <input value={leverage} onChange={(e) => setLeverage(e.target.value)} inputMode="numeric" />
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

function PaperDetail({ a }: { a: TradingAccount }) {
  const { positions, fills } = useAccounts();
  const cfg = a.paperConfig;
  return (
    <article className="card wide accounts-detail" aria-labelledby="positions-title">
      <h2 id="positions-title">{a.name}: positions</h2>
      <PaperTicket a={a} />
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

/** Trading accounts: venues, webhook tokens, the paper broker's positions and fills. */
export function AccountsScreen() {
  const { accounts, selectedId, error, notice, load, refreshSelected } = useAccounts();
  const loadReceiver = useAutomation((s) => s.load);
  useEffect(() => {
    void load();
    void loadReceiver();
  }, [load, loadReceiver]);
  // Positions are marked to the moving local book: re-read them while the screen is open.
  useEffect(() => {
    const timer = setInterval(() => void refreshSelected(), 5000);
    return () => clearInterval(timer);
  }, [refreshSelected]);
  const selected = accounts.find((a) => a.id === selectedId);
  return (
    <section className="screen accounts" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title">Accounts</h1>
      </header>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {notice ? <p className="ok-text">{notice}</p> : null}
      <FreshTokenBanner />
      <div className="accounts-grid">
        <article className="card wide accounts-list" aria-labelledby="accounts-title">
          <h2 id="accounts-title">Your trading accounts</h2>
          <AccountsTable />
        </article>
        <CreateForm />
        {selected?.venue === 'paper' ? <PaperDetail a={selected} /> : null}
      </div>
    </section>
  );
}
