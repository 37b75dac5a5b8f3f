import { useMemo, useState } from 'react';
import { useBacktest, type RunDetail, type RunView } from '../../stores/backtest';
import { DrawdownChart, EquityChart, PriceChart } from './charts';
import {
  METRICS,
  assumptionRows,
  date,
  duration,
  grouped,
  int,
  num,
  pct,
  priceDigits,
} from './format';

/** Progress bar with ETA and a cancel button for a queued or running run. */
export function RunProgress({ run }: { run: RunView }) {
  const cancel = useBacktest((s) => s.cancel);
  const percent = Math.round(run.progress * 100);
  return (
    <div className="card bt-progress" role="region" aria-label="Run progress">
      <div className="row bt-progress-head">
        <strong>
          {run.kind === 'sweep' ? 'Sweep' : 'Backtest'} #{run.id} · {run.strategyName} ·{' '}
          {run.status === 'queued' ? 'queued' : `${percent} %`}
        </strong>
        <span className="muted" data-testid="bt-eta">
          {run.status === 'running'
            ? run.etaMs === null
              ? 'estimating…'
              : `about ${duration(run.etaMs)} left`
            : 'waiting for the previous run'}
        </span>
        <span className="spacer" />
        <button className="btn small danger" type="button" onClick={() => void cancel(run.id)}>
          Cancel
        </button>
      </div>
      <progress className="bt-bar" max={100} value={percent} aria-label={`${run.kind} progress`} />
    </div>
  );
}

export function MetricsTable({ runs }: { runs: RunView[] }) {
  return (
    <table className="table compact bt-metrics" aria-label="Metrics">
      {runs.length > 1 && (
        <thead>
          <tr>
            <th>Metric</th>
            {runs.map((r) => (
              <th key={r.id} className="num">
                #{r.id} {r.strategyName}
              </th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>
        {METRICS.map(([label, key, fmt]) => (
          <tr key={key}>
            <th scope="row">{label}</th>
            {runs.map((r) => (
              <td key={r.id} className="num">
                {fmt(r.metrics?.[key])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AssumptionsList({ runs }: { runs: RunView[] }) {
  const rows = runs.map((r) => assumptionRows(r.assumptions));
  return (
    <table className="table compact" aria-label="Assumptions">
      <tbody>
        {rows[0]!.map(([label], i) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {rows.map((r, k) => (
              <td
                key={k}
                className={rows.length > 1 && r[i]![1] !== rows[0]![i]![1] ? 'warn-text' : ''}
              >
                {r[i]![1]}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TradesTable({ detail }: { detail: RunDetail }) {
  const trades = detail.result?.trades ?? [];
  const intraday =
    (detail.result?.time.length ?? 0) > 1 &&
    detail.result!.time[1]! - detail.result!.time[0]! < 86_400_000;
  const [limit, setLimit] = useState(200);
  const all = detail.result?.trades;
  const digits = useMemo(
    () => priceDigits((all ?? []).flatMap((t) => [t.entryPrice, t.exitPrice])),
    [all],
  );
  return (
    <div className="bt-scroll tall">
      <table className="table compact bt-nowrap bt-trades" aria-label="Trades">
        <thead>
          <tr>
            <th>#</th>
            <th>Side</th>
            <th className="num">Size</th>
            <th>Entry</th>
            <th className="num">Entry price</th>
            <th>Exit</th>
            <th className="num">Exit price</th>
            <th className="num">P&amp;L</th>
            <th className="num">Fees</th>
            <th className="num">Return</th>
            <th>Exit reason</th>
          </tr>
        </thead>
        <tbody>
          {trades.slice(0, limit).map((t) => (
            <tr key={t.id}>
              <td>{t.id}</td>
              <td className={t.side === 'long' ? 'buy-text' : 'sell-text'}>{t.side}</td>
              <td className="num">{num(t.quantity, 0)}</td>
              <td>{date(t.entryTime, intraday)}</td>
              <td className="num">{num(t.entryPrice, digits)}</td>
              <td>{date(t.exitTime, intraday)}</td>
              <td className="num">{num(t.exitPrice, digits)}</td>
              <td className={`num ${t.netPnl.startsWith('-') ? 'sell-text' : 'buy-text'}`}>
                {grouped(t.netPnl)}
              </td>
              <td className="num">{grouped(t.fees)}</td>
              <td className="num">{pct(t.returnPct)}</td>
              {/* Two lines where the table is narrow, never cut off ("signal · cross-down"). */}
              <td className="bt-wrap bt-reason">
                {t.exitReason}
                {t.tag ? (
                  <>
                    {' · '}
                    <span className="bt-tag">{t.tag}</span>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {trades.length > limit && (
        <button className="btn small" type="button" onClick={() => setLimit(limit + 500)}>
          Show more ({int(trades.length - limit)} left)
        </button>
      )}
    </div>
  );
}

function ExportButtons({ run }: { run: RunView }) {
  const exportRun = useBacktest((s) => s.exportRun);
  return (
    <div className="row">
      {run.kind === 'backtest' ? (
        <>
          <button
            className="btn small"
            type="button"
            onClick={() => void exportRun(run.id, 'csv', 'trades')}
          >
            Trades CSV
          </button>
          <button
            className="btn small"
            type="button"
            onClick={() => void exportRun(run.id, 'csv', 'equity')}
          >
            Equity CSV
          </button>
        </>
      ) : (
        <button className="btn small" type="button" onClick={() => void exportRun(run.id, 'csv')}>
          Results CSV
        </button>
      )}
      <button className="btn small" type="button" onClick={() => void exportRun(run.id, 'json')}>
        JSON
      </button>
    </div>
  );
}

/** A finished backtest: metrics with assumptions, curves, price with trades, trades. */
export function BacktestResultView({ detail }: { detail: RunDetail }) {
  const candles = useBacktest((s) => s.candles[detail.run.datasetId]);
  const run = detail.run;
  const result = detail.result;
  const title = `#${run.id} ${run.strategyName} on ${run.datasetName}`;
  const paramText = useMemo(
    () =>
      Object.entries(run.params)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', '),
    [run.params],
  );
  if (run.status !== 'completed' || !result) {
    return (
      <div className="card">
        <h2>{title}</h2>
        <p className={run.status === 'failed' ? 'error-text' : 'muted'} role="status">
          {run.status === 'failed'
            ? `Failed: ${run.error}`
            : run.status === 'cancelled'
              ? 'Cancelled.'
              : 'Running…'}
        </p>
      </div>
    );
  }
  return (
    <div className="bt-result" aria-label="Backtest result">
      <div className="card">
        <div className="row bt-result-head">
          <div>
            <h2>{title}</h2>
            <p className="small muted">
              {paramText || 'no parameters'} · {int(run.totalBars)} bars · {int(run.tradeCount)}{' '}
              trades · final cash {result.finalCash}
              {result.bankrupt ? ' · stopped: equity reached zero' : ''}
            </p>
          </div>
          <span className="spacer" />
          <ExportButtons run={run} />
        </div>
        {result.lookahead && !result.lookahead.ok && (
          <p className="error-text" role="alert">
            Lookahead: this strategy reads future bars. Cut at bar{' '}
            {result.lookahead.divergence?.cut}, its decisions change from bar{' '}
            {result.lookahead.divergence?.bar}, so these results are not achievable.
          </p>
        )}
        {result.lookahead?.ok && (
          <p className="small muted">
            Lookahead check passed (same decisions on {result.lookahead.cuts.length} prefixes of the
            data).
          </p>
        )}
        <h3 className="bt-sub">Equity</h3>
        <EquityChart result={result} label="Equity curve" />
        <h3 className="bt-sub">Drawdown</h3>
        <DrawdownChart result={result} />
      </div>
      <div className="bt-two">
        <div className="card">
          <h2>Metrics</h2>
          <MetricsTable runs={[run]} />
        </div>
        <div className="card">
          <h2>Assumptions</h2>
          <AssumptionsList runs={[run]} />
        </div>
      </div>
      <div className="card">
        <h2>Price and trades</h2>
        {candles ? (
          <PriceChart candles={candles} result={result} />
        ) : (
          <p className="muted">Loading prices…</p>
        )}
      </div>
      <div className="card">
        <h2>Trades</h2>
        <TradesTable detail={detail} />
      </div>
    </div>
  );
}

type SortKey = string;

/** A finished sweep: one row per parameter combination, sortable by any column. */
export function SweepResultView({ detail }: { detail: RunDetail }) {
  const runFromSweep = useBacktest((s) => s.runFromSweep);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({
    key: 'm:sharpe',
    desc: true,
  });
  const rows = detail.sweep ?? [];
  const paramKeys = Object.keys(rows[0]?.params ?? {}).filter((k) =>
    rows.some((r) => r.params[k] !== rows[0]!.params[k]),
  );
  const cols: [string, SortKey, (r: (typeof rows)[number]) => string][] = [
    ...paramKeys.map(
      (k) =>
        [k, `p:${k}`, (r: (typeof rows)[number]) => String(r.params[k])] as [
          string,
          SortKey,
          (r: (typeof rows)[number]) => string,
        ],
    ),
    ['Return', 'm:totalReturn', (r) => pct(r.metrics.totalReturn)],
    ['CAGR', 'm:cagr', (r) => pct(r.metrics.cagr)],
    ['Sharpe', 'm:sharpe', (r) => num(r.metrics.sharpe)],
    ['Sortino', 'm:sortino', (r) => num(r.metrics.sortino)],
    ['Max DD', 'm:maxDrawdown', (r) => pct(r.metrics.maxDrawdown)],
    ['Win rate', 'm:winRate', (r) => pct(r.metrics.winRate, 1)],
    ['Profit factor', 'm:profitFactor', (r) => num(r.metrics.profitFactor)],
    ['Trades', 't', (r) => int(r.tradeCount)],
  ];
  const valueOf = (r: (typeof rows)[number], key: SortKey): number | string => {
    if (key === 't') return r.tradeCount;
    if (key.startsWith('p:')) {
      const v = r.params[key.slice(2)];
      return typeof v === 'number' ? v : String(v);
    }
    return r.metrics[key.slice(2)] ?? -Infinity;
  };
  const sorted = [...rows].sort((a, b) => {
    const x = valueOf(a, sort.key);
    const y = valueOf(b, sort.key);
    const c =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sort.desc ? -c : c;
  });
  const run = detail.run;
  return (
    <div className="card" aria-label="Sweep result">
      <div className="row bt-result-head">
        <div>
          <h2>
            Sweep #{run.id} {run.strategyName} on {run.datasetName}
          </h2>
          <p className="small muted">
            {int(rows.length)} combinations · click a column to sort · “Open” runs it as a backtest
          </p>
        </div>
        <span className="spacer" />
        <ExportButtons run={run} />
      </div>
      <div className="bt-scroll tall">
        <table className="table compact" aria-label="Sweep results">
          <thead>
            <tr>
              {cols.map(([label, key]) => (
                <th
                  key={key}
                  className="num"
                  aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                >
                  <button
                    type="button"
                    className="btn-link bt-sort"
                    onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : true })}
                  >
                    {label}
                    {sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {sorted.map((r, i) => (
              <tr key={i}>
                {cols.map(([label, key, fmt]) => (
                  <td key={key} className="num">
                    {r.error && label === 'Return' ? (
                      <span className="error-text">{r.error}</span>
                    ) : (
                      fmt(r)
                    )}
                  </td>
                ))}
                <td className="actions">
                  <button
                    className="btn small"
                    type="button"
                    disabled={!!r.error}
                    onClick={() => void runFromSweep(run, r.params)}
                  >
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
