import { useEffect } from 'react';
import { useDashboard, type Part } from '../../stores/dashboard';
import { when } from '../accounts/format';
import { EquityCurve } from './equity-chart';
import { Headline } from './headline';
import { PERIODS } from './model';
import { PnlTables } from './pnl-tables';
import { useDashboardReference } from './reference';
import { ReportsCard } from './reports-card';
import { TotalEquity } from './total-equity';
import { TradeAnalytics } from './trade-stats';
import '../accounts/accounts.css';
import './dashboard.css';

/** A part's loading and error states around what it shows once answered. */
function Loaded<T>({ part, children }: { part: Part<T>; children: (data: T) => React.ReactNode }) {
  if (part.problem) {
    return (
      <p className="error-text" role="alert">
        {part.problem.message}
      </p>
    );
  }
  if (part.data === undefined) return <p className="muted">Loading…</p>;
  return <>{children(part.data)}</>;
}

function PeriodPicker() {
  const period = useDashboard((s) => s.period);
  const setPeriod = useDashboard((s) => s.setPeriod);
  return (
    <fieldset className="segmented" aria-label="Period">
      {PERIODS.map((p) => (
        <label key={p.id} className={period === p.id ? 'active' : ''}>
          <input
            type="radio"
            name="dash-period"
            value={p.id}
            checked={period === p.id}
            onChange={() => void setPeriod(p.id)}
          />
          {p.label}
        </label>
      ))}
    </fieldset>
  );
}

function QuotePicker() {
  const quote = useDashboard((s) => s.quote);
  const assets = useDashboard((s) => s.assets);
  const setQuote = useDashboard((s) => s.setQuote);
  return (
    <label className="dash-quote">
      <span className="muted small">Value totals in</span>{' '}
      <select value={quote} onChange={(e) => void setQuote(e.target.value)}>
        <option value="">each currency</option>
        {assets.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
    </label>
  );
}

function TotalEquityCard() {
  const total = useDashboard((s) => s.total);
  return (
    <section className="card wide dash-total" aria-labelledby="dash-total-title">
      <h2 id="dash-total-title">Total equity{total.data ? ` (${total.data.quote})` : ''}</h2>
      {!total.data && !total.loading && !total.problem ? (
        <p className="muted">No market to value the accounts in.</p>
      ) : (
        <Loaded part={total}>{(t) => <TotalEquity total={t} />}</Loaded>
      )}
    </section>
  );
}

function EquityCard() {
  const { summary, equity, equityAccount, benchmark, markets } = useDashboard();
  const setAccount = useDashboard((s) => s.setEquityAccount);
  const setBenchmark = useDashboard((s) => s.setBenchmark);
  const accounts = (summary.data?.accounts ?? []).filter((a) => a.coverage === 'fills');
  return (
    <section className="card dash-equity" aria-labelledby="dash-equity-title">
      <h2 id="dash-equity-title">Equity curve by account</h2>
      {!summary.data ? (
        <p className="muted">Loading…</p>
      ) : accounts.length === 0 ? (
        <p className="muted">No account with stored fills to draw.</p>
      ) : (
        <>
          <div className="row dash-pickers">
            <label className="field">
              <span>Account</span>
              <select value={equityAccount ?? ''} onChange={(e) => void setAccount(e.target.value)}>
                {accounts.map((a) => (
                  <option key={a.accountId} value={a.accountId}>
                    {a.name} ({a.venue})
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Benchmark</span>
              <select value={benchmark} onChange={(e) => void setBenchmark(e.target.value)}>
                <option value="">None</option>
                {markets.map((m) => (
                  <option key={m} value={m}>
                    Buy and hold {m}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <Loaded part={equity}>{(e) => <EquityCurve equity={e} />}</Loaded>
        </>
      )}
    </section>
  );
}

/**
 * The signed-in trader's home: P&L today and over the chosen period, realised and unrealised,
 * where it comes from, every account's equity together, each account's curve against a
 * benchmark, trade statistics and statements.
 * Figures follow the `pnl` stream; nothing polls.
 */
export function DashboardScreen() {
  const { summary, trades, tz, load, live } = useDashboard();
  const loadReference = useDashboardReference((s) => s.load);
  useEffect(() => live(), [live]);
  useEffect(() => {
    void load();
    void loadReference();
  }, [load, loadReference]);
  return (
    <section className="screen accounts dashboard" aria-labelledby="screen-title">
      <header className="screen-header dash-header">
        <h1 id="screen-title">Dashboard</h1>
        <PeriodPicker />
        <QuotePicker />
        <span className="muted small">
          {summary.data ? `As of ${when(summary.data.asOf)} · ${tz}` : tz}
        </span>
      </header>
      <Loaded part={summary}>{(s) => <Headline summary={s} />}</Loaded>
      <div className="dash-grid">
        <TotalEquityCard />
        <EquityCard />
        <ReportsCard />
        {summary.data ? <PnlTables summary={summary.data} /> : null}
        <section className="card wide" aria-labelledby="dash-trades-title">
          <h2 id="dash-trades-title">Trade analytics</h2>
          <Loaded part={trades}>{(t) => <TradeAnalytics trades={t} />}</Loaded>
        </section>
      </div>
    </section>
  );
}
