import { useEffect, useState } from 'react';
import { TICKERS_STREAM } from '../../../../src-shared/contract';
import { client } from '../../client/client';
import {
  actionKey,
  problemOf,
  sumPnl,
  useBrokers,
  type Portfolio,
  type PortfolioPosition,
  type Problem,
} from '../../stores/brokers';
import { call } from '../../stores/session';
import { useAssetScales, type AssetScales } from '../accounts/asset-scales';
import { ConnectionBadge } from '../accounts/broker-panel';
import { moneyIn, signClass } from '../accounts/format';
import '../accounts/accounts.css';
import './positions.css';

/** Paper and local positions are marked to the local book: re-read at most this often on ticks. */
const PAPER_REREAD_MS = 1000;

/** Totals of unrealised P&L per currency (accounts in different currencies are not added). */
function totalsByCurrency(p: Portfolio): { currency: string; pnl: string }[] {
  const by = new Map<string, (string | null)[]>();
  for (const a of p.accounts) by.set(a.currency, [...(by.get(a.currency) ?? []), a.unrealisedPnl]);
  return [...by]
    .map(([currency, values]) => ({ currency, pnl: sumPnl(values) }))
    .filter((t): t is { currency: string; pnl: string } => t.pnl !== null);
}

function AccountsPnl({ p, scales }: { p: Portfolio; scales: AssetScales }) {
  const totals = totalsByCurrency(p);
  return (
    <table className="table" aria-label="Account P&L">
      <thead>
        <tr>
          <th>Account</th>
          <th>Venue</th>
          <th>Connection</th>
          <th className="num">Positions</th>
          <th className="num">Unrealised P&amp;L</th>
        </tr>
      </thead>
      <tbody>
        {p.accounts.map((a) => (
          <tr key={a.accountId}>
            <td>{a.name}</td>
            <td>{a.venue}</td>
            <td>
              <ConnectionBadge state={a.connection} />
            </td>
            <td className="num">{a.positions}</td>
            <td className={`num ${signClass(a.unrealisedPnl)}`}>
              {moneyIn(a.unrealisedPnl, a.currency, scales)}
            </td>
          </tr>
        ))}
      </tbody>
      {totals.length > 0 ? (
        <tfoot>
          {totals.map((t) => (
            <tr key={t.currency}>
              <td colSpan={4}>Total in {t.currency}</td>
              <td className={`num ${signClass(t.pnl)}`}>{moneyIn(t.pnl, t.currency, scales)}</td>
            </tr>
          ))}
        </tfoot>
      ) : null}
    </table>
  );
}

function CloseButton({ x, onDone }: { x: PortfolioPosition; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const closeBroker = useBrokers((s) => s.close);
  const brokerProblem = useBrokers((s) => s.problems[actionKey.close(x.accountId, x.symbol)]);
  const local = x.venue === 'paper' || x.venue === 'local';
  const run = async () => {
    if (!window.confirm(`Close ${x.side} ${x.qty} ${x.symbol} on ${x.accountName}?`)) return;
    setBusy(true);
    setProblem(undefined);
    try {
      if (local) {
        await call('accounts.closePosition', { id: x.accountId, symbol: x.symbol });
        onDone();
      } else {
        await closeBroker(x.accountId, x.symbol);
      }
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  const shown = problem ?? (local ? undefined : brokerProblem);
  return (
    <>
      <button
        className="btn small"
        type="button"
        disabled={busy}
        aria-label={`Close ${x.symbol} on ${x.accountName}`}
        onClick={() => void run()}
      >
        {busy ? 'Closing…' : 'Close'}
      </button>
      {shown ? (
        <div className="error-text small" role="alert">
          {shown.message}
        </div>
      ) : null}
    </>
  );
}

function AllPositions(props: { p: Portfolio; scales: AssetScales; reload: () => void }) {
  const { p, scales, reload } = props;
  if (p.items.length === 0) return <p className="muted">No open positions in any account.</p>;
  return (
    <table className="table" aria-label="All positions">
      <thead>
        <tr>
          <th>Account</th>
          <th>Market</th>
          <th>Side</th>
          <th className="num">Qty</th>
          <th className="num">Entry</th>
          <th className="num">Mark</th>
          <th className="num">Unrealised</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {p.items.map((x) => (
          <tr key={`${x.accountId}-${x.symbol}-${x.side}`}>
            <td>
              {x.accountName} <span className="muted small">{x.venue}</span>
            </td>
            <td>
              <strong>{x.symbol}</strong>
            </td>
            <td className={x.side === 'long' ? 'gain' : 'loss'}>{x.side}</td>
            <td className="num">{x.qty}</td>
            <td className="num">{x.entryPrice}</td>
            <td className="num">{x.markPrice ?? '—'}</td>
            <td className={`num ${signClass(x.unrealisedPnl)}`}>
              {moneyIn(x.unrealisedPnl, x.currency, scales)}
            </td>
            <td>
              <CloseButton x={x} onDone={reload} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Every open position across all accounts (paper and brokers), with each account's
 * unrealised P&L and connection. Broker accounts update from the `brokers` stream; paper and
 * local ones are re-read when the local book's prices move.
 */
export function PositionsScreen() {
  const { portfolio, portfolioError, live, loadPortfolio } = useBrokers();
  // Every amount at its currency's decimals, in both tables (one rule for money).
  const scales = useAssetScales();
  useEffect(() => live(), [live]);
  useEffect(() => {
    void loadPortfolio();
  }, [loadPortfolio]);
  const localHeld = (portfolio?.accounts ?? []).some(
    (a) => a.connection === 'local' && a.positions > 0,
  );
  useEffect(() => {
    if (!localHeld) return undefined;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = client.subscribe(TICKERS_STREAM, () => {
      if (timer) return;
      const wait = Math.max(0, last + PAPER_REREAD_MS - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        void loadPortfolio();
      }, wait);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [localHeld, loadPortfolio]);
  return (
    <section className="screen accounts positions" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title">Positions</h1>
      </header>
      {portfolioError ? (
        <p className="error-text" role="alert">
          {portfolioError}
        </p>
      ) : null}
      {!portfolio ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="accounts-grid">
          <article className="card wide" aria-labelledby="pnl-title">
            <h2 id="pnl-title">Accounts</h2>
            {portfolio.accounts.length === 0 ? (
              <p className="muted">
                No trading accounts yet: create one under{' '}
                <a className="link" href="#/accounts">
                  Accounts
                </a>
                .
              </p>
            ) : (
              <AccountsPnl p={portfolio} scales={scales} />
            )}
          </article>
          <article className="card wide" aria-labelledby="all-title">
            <h2 id="all-title">Open positions</h2>
            <AllPositions p={portfolio} scales={scales} reload={() => void loadPortfolio()} />
          </article>
        </div>
      )}
    </section>
  );
}
