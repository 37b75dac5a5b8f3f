import { useBacktest } from '../../stores/backtest';
import { CompareChart } from './charts';
import { AssumptionsList, MetricsTable } from './results';

/** Two finished backtests side by side: metrics, assumptions (differences highlighted), curves. */
export function ComparePanel() {
  const { runs, compare, compareDetails, setCompare } = useBacktest();
  const done = runs.filter((r) => r.kind === 'backtest' && r.status === 'completed');
  const a = compare[0] !== undefined ? compareDetails[compare[0]] : undefined;
  const b = compare[1] !== undefined ? compareDetails[compare[1]] : undefined;
  return (
    <div className="bt-compare">
      <div className="card row bt-compare-pick">
        {([0, 1] as const).map((slot) => (
          <label key={slot} className="field">
            <span>{slot === 0 ? 'Run A' : 'Run B'}</span>
            <select
              value={compare[slot] ?? ''}
              onChange={(e) =>
                void setCompare(slot, e.target.value ? Number(e.target.value) : undefined)
              }
            >
              <option value="">Choose a finished backtest</option>
              {done.map((r) => (
                <option key={r.id} value={r.id}>
                  #{r.id} {r.strategyName} · {r.datasetName} ·{' '}
                  {Object.entries(r.params)
                    .map(([k, v]) => `${k}=${String(v)}`)
                    .join(' ')}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {a && b ? (
        <>
          <div className="card">
            <h2>
              Return of <span className="bt-a">A (#{a.run.id})</span> and{' '}
              <span className="bt-b">B (#{b.run.id})</span>
            </h2>
            {a.result && b.result && <CompareChart a={a.result} b={b.result} />}
          </div>
          <div className="bt-two">
            <div className="card">
              <h2>Metrics</h2>
              <MetricsTable runs={[a.run, b.run]} />
            </div>
            <div className="card">
              <h2>Assumptions (differences highlighted)</h2>
              <AssumptionsList runs={[a.run, b.run]} />
            </div>
          </div>
        </>
      ) : (
        <p className="muted">Pick two finished backtests to compare them side by side.</p>
      )}
    </div>
  );
}
