import { Fragment, useEffect, useState } from 'react';
import { useAccounts, type TradingAccount } from '../../stores/accounts';
import {
  actionKey,
  sumPnl,
  useBrokers,
  type BrokerOrder,
  type BrokerPosition,
  type BrokerState,
} from '../../stores/brokers';
import { closeParts, closesTitle } from './attached-close';
import { BrokerTicket } from './broker-ticket';
import { stopText } from './broker-trailing';
import { ConnectionReportView } from './connection-report';
import { money, signClass, skewText, when } from './format';
import { quoteOfSymbol } from './trail-distance';

const STATE_LABEL: Record<BrokerState['connection'] | 'local', string> = {
  up: 'connected',
  connecting: 'connecting…',
  down: 'unreachable',
  disabled: 'disabled',
  local: 'local',
};

/** The connection of an account as a coloured badge. */
export function ConnectionBadge(props: { state: BrokerState['connection'] | 'local' | undefined }) {
  const state = props.state ?? 'connecting';
  return <span className={`badge conn-${state}`}>{STATE_LABEL[state]}</span>;
}

/** An action's error, next to the control that caused it. */
function ProblemText({ k }: { k: string }) {
  const problem = useBrokers((s) => s.problems[k]);
  if (!problem) return null;
  return (
    <div className="error-text small" role="alert">
      {problem.message}
    </div>
  );
}

function Header({ a, s }: { a: TradingAccount; s: BrokerState | undefined }) {
  const { test, sync, pending } = useBrokers();
  const { busy, update, remove, error, errorAbout } = useAccounts();
  const notice = useBrokers((st) => st.notices[a.id]);
  return (
    <>
      <div className="broker-head">
        <h2 id="broker-title">{a.name}</h2>
        <span className="muted small">
          {a.venue} · {a.mode}
        </span>
        <div role="status" aria-label="Connection" className="broker-conn">
          <ConnectionBadge state={a.enabled ? s?.connection : 'disabled'} />
          {s?.lastError ? <span className="error-text small">{s.lastError}</span> : null}
        </div>
        <div className="broker-actions">
          <button
            className="btn small"
            type="button"
            disabled={pending[actionKey.test(a.id)] || !a.enabled}
            onClick={() => void test(a.id)}
          >
            {pending[actionKey.test(a.id)] ? 'Testing…' : 'Test connection'}
          </button>
          <button
            className="btn small"
            type="button"
            disabled={pending[actionKey.sync(a.id)] || !a.enabled}
            onClick={() => void sync(a.id)}
          >
            Sync
          </button>
          <button
            className="btn small"
            type="button"
            disabled={busy}
            onClick={() => void update({ id: a.id, enabled: !a.enabled })}
          >
            {a.enabled ? 'Disable' : 'Enable'}
          </button>
          <button
            className="btn small danger"
            type="button"
            disabled={busy}
            onClick={() => {
              if (
                window.confirm(
                  `Delete ${a.name}? Its credentials are removed from the keychain; orders and positions at the broker stay as they are.`,
                )
              )
                void remove(a.id);
            }}
          >
            Delete account
          </button>
        </div>
      </div>
      {error && errorAbout === a.id ? (
        <div className="error-text small" role="alert">
          {error}
        </div>
      ) : null}
      <ProblemText k={actionKey.test(a.id)} />
      <ProblemText k={actionKey.sync(a.id)} />
      <ProblemText k={actionKey.state(a.id)} />
      {notice ? <p className="ok-text small">{notice}</p> : null}
      {s ? (
        <p className="small muted broker-meta">
          {s.syncedAt ? `Synced ${when(s.syncedAt)}` : 'Not synced yet'}
          {s.skewMs !== null ? ` · broker clock ${skewText(s.skewMs)}` : ''}
          {` · ${s.instruments} instruments`}
          {a.outageQueueSec > 0
            ? ` · alerts wait up to ${a.outageQueueSec} s while the broker is unreachable`
            : ' · alerts are refused at once while the broker is unreachable'}
        </p>
      ) : null}
    </>
  );
}

function Bridge({ bridge }: { bridge: NonNullable<BrokerState['bridge']> }) {
  return (
    <p className="small broker-meta" aria-label="MetaTrader bridge">
      MetaTrader EA:{' '}
      <span className={bridge.online ? 'gain' : 'loss'}>
        {bridge.online ? 'online' : 'offline'}
      </span>
      {bridge.lastHeartbeatAt
        ? ` · last heartbeat ${when(bridge.lastHeartbeatAt)}`
        : ' · no heartbeat yet'}
      {` · ${bridge.queued} commands queued · allow `}
      <span className="mono">{bridge.allowUrl}</span>
    </p>
  );
}

function Balances({ s }: { s: BrokerState }) {
  if (s.balances.length === 0) return <p className="muted">No balances reported.</p>;
  return (
    <table className="table broker-balances" aria-label="Broker balances">
      <thead>
        <tr>
          <th>Asset</th>
          <th className="num">Total</th>
          <th className="num">Available</th>
        </tr>
      </thead>
      <tbody>
        {s.balances.map((b) => (
          <tr key={b.asset}>
            <td>{b.asset}</td>
            <td className="num">{money(b.total)}</td>
            <td className="num">{money(b.available)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PositionRow({ id, p }: { id: string; p: BrokerPosition }) {
  const close = useBrokers((s) => s.close);
  const key = actionKey.close(id, p.symbol);
  const pending = useBrokers((s) => s.pending[key] === true);
  const [qty, setQty] = useState('');
  return (
    <tr>
      <td>
        <strong>{p.symbol}</strong>
      </td>
      <td className={p.side === 'long' ? 'gain' : 'loss'}>{p.side}</td>
      <td className="num">{p.qty}</td>
      <td className="num">{p.avgPrice}</td>
      <td className="num">{p.markPrice ?? '—'}</td>
      <td className={`num ${signClass(p.unrealisedPnl)}`}>{money(p.unrealisedPnl)}</td>
      <td>
        <form
          className="accounts-inline"
          onSubmit={(e) => {
            e.preventDefault();
            const part = qty.trim();
            if (
              part === '' &&
              !window.confirm(`Close the whole ${p.side} position of ${p.qty} ${p.symbol}?`)
            )
              return;
            void close(id, p.symbol, part || undefined).then((ok) => ok && setQty(''));
          }}
        >
          <input
            aria-label={`Quantity to close ${p.symbol}`}
            placeholder="all"
            inputMode="decimal"
            value={qty}
            onChange={(e) => setQty(e.target.value)}
          />
          <button
            className="btn small"
            type="submit"
            disabled={pending}
            aria-label={`Close ${p.symbol}`}
          >
            {pending ? 'Closing…' : 'Close'}
          </button>
        </form>
        <ProblemText k={key} />
      </td>
    </tr>
  );
}

function Positions({ id, s }: { id: string; s: BrokerState }) {
  const total = sumPnl(s.positions.map((p) => p.unrealisedPnl));
  if (s.positions.length === 0) return <p className="muted">No open positions.</p>;
  return (
    <table className="table" aria-label="Broker positions">
      <thead>
        <tr>
          <th>Market</th>
          <th>Side</th>
          <th className="num">Qty</th>
          <th className="num">Avg. price</th>
          <th className="num">Mark</th>
          <th className="num">Unrealised</th>
          <th>Close (qty, empty: all)</th>
        </tr>
      </thead>
      <tbody>
        {s.positions.map((p) => (
          <PositionRow key={`${p.symbol}-${p.side}-${p.positionId ?? ''}`} id={id} p={p} />
        ))}
      </tbody>
      {total !== null ? (
        <tfoot>
          <tr>
            <td colSpan={5}>Total unrealised</td>
            <td className={`num ${signClass(total)}`}>{money(total)}</td>
            <td />
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}

const OPEN_STATES: ReadonlySet<BrokerOrder['status']> = new Set([
  'pending',
  'open',
  'partially_filled',
]);

/**
 * An order's attached closes, "SL 29000 · TP 33000" (the words of `closesText`): each close a
 * phrase kept on one line with the dot after it, a narrow column breaking between them.
 */
function ClosesCell({ order }: { order: BrokerOrder }) {
  const parts = closeParts(order.closes, order.side);
  if (parts.length === 0) return <>—</>;
  return parts.map((p, i) => (
    <Fragment key={i}>
      {i > 0 ? ' ' : null}
      <span className="broker-close-part">{i < parts.length - 1 ? `${p} ·` : p}</span>
    </Fragment>
  ));
}

function Orders({ id, s }: { id: string; s: BrokerState }) {
  const { cancel, pending } = useBrokers();
  const open = s.orders.filter((o) => OPEN_STATES.has(o.status));
  if (open.length === 0) return <p className="muted">No open orders.</p>;
  return (
    <>
      <table className="table" aria-label="Broker orders">
        <thead>
          <tr>
            <th>Order</th>
            <th>Market</th>
            <th>Type</th>
            <th>Side</th>
            <th className="num">Qty</th>
            <th className="num">Filled</th>
            <th className="num">Price</th>
            <th className="num">Stop</th>
            <th title="The closes the broker places when the order fills">SL / TP</th>
            <th>State</th>
            <th>
              {open.length > 1 ? (
                <button
                  className="btn small"
                  type="button"
                  disabled={pending[actionKey.cancel(id)]}
                  onClick={() => {
                    if (window.confirm(`Cancel all ${open.length} open orders?`)) void cancel(id);
                  }}
                >
                  Cancel all
                </button>
              ) : null}
            </th>
          </tr>
        </thead>
        <tbody>
          {open.map((o) => (
            <tr key={o.orderId}>
              <td className="mono" title={o.clientOrderId ?? undefined}>
                {o.orderId}
              </td>
              <td>{o.symbol}</td>
              <td>{o.type.replace('_', ' ')}</td>
              <td className={o.side === 'buy' ? 'gain' : 'loss'}>{o.side}</td>
              <td className="num">{o.qty}</td>
              <td className="num">{o.filledQty}</td>
              <td className="num">{o.price ?? '—'}</td>
              <td className="num broker-stop">{stopText(o)}</td>
              <td
                className="broker-close"
                title={closesTitle(o.closes, o.side, quoteOfSymbol(o.symbol))}
              >
                <ClosesCell order={o} />
              </td>
              <td>{o.status.replace('_', ' ')}</td>
              <td>
                <button
                  className="btn small"
                  type="button"
                  disabled={pending[actionKey.cancel(id, o.orderId)]}
                  aria-label={`Cancel order ${o.orderId}`}
                  onClick={() => void cancel(id, o.orderId)}
                >
                  Cancel
                </button>
                <ProblemText k={actionKey.cancel(id, o.orderId)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ProblemText k={actionKey.cancel(id)} />
    </>
  );
}

/** A broker account: connection, balances, positions and orders, live from the `brokers` stream. */
export function BrokerPanel({ a }: { a: TradingAccount }) {
  const s = useBrokers((st) => st.states[a.id]);
  const report = useBrokers((st) => st.reports[a.id]);
  const loadState = useBrokers((st) => st.loadState);
  const live = useBrokers((st) => st.live);
  useEffect(() => live(), [live]);
  useEffect(() => {
    void loadState(a.id);
  }, [a.id, a.enabled, loadState]);
  return (
    <article className="card wide accounts-detail broker-panel" aria-labelledby="broker-title">
      <Header a={a} s={s} />
      {report ? (
        <ConnectionReportView report={report} label={`Connection test of ${a.name}`} />
      ) : null}
      {s?.bridge ? <Bridge bridge={s.bridge} /> : null}
      {!s ? (
        <p className="muted">Loading the broker&apos;s state…</p>
      ) : (
        <div className="broker-sections">
          <section aria-label="Balances">
            <h3>Balances</h3>
            <Balances s={s} />
          </section>
          {a.enabled ? (
            <section aria-label="New order">
              <h3>New order</h3>
              <BrokerTicket
                id={a.id}
                symbols={s.positions.map((p) => p.symbol)}
                trailing={s.trailing}
              />
            </section>
          ) : null}
          <section aria-label="Positions">
            <h3>Positions</h3>
            <Positions id={a.id} s={s} />
          </section>
          <section aria-label="Open orders">
            <h3>Open orders</h3>
            <Orders id={a.id} s={s} />
          </section>
        </div>
      )}
    </article>
  );
}
