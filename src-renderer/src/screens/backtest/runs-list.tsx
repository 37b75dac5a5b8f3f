import { useBacktest } from '../../stores/backtest';
import { date, pct } from './format';

/** Past and current runs; click one to show it. */
export function RunsList() {
  const { runs, selectedRunId, openRun, deleteRun } = useBacktest();
  if (runs.length === 0) return <p className="muted small">No run yet.</p>;
  return (
    <div className="bt-scroll">
      <table className="table compact bt-runs" aria-label="Runs">
        <tbody>
          {runs.map((r) => (
            <tr
              key={r.id}
              className={r.id === selectedRunId ? 'bt-selected' : ''}
              onClick={() => void openRun(r.id)}
            >
              <td>
                <button type="button" className="btn-link" onClick={() => void openRun(r.id)}>
                  #{r.id} {r.kind === 'sweep' ? 'Sweep · ' : ''}
                  {r.strategyName}
                </button>
                <div className="small muted">
                  {r.datasetName} · {date(r.tsCreated, true).slice(11)} ·{' '}
                  <span
                    className={r.status === 'failed' ? 'error-text' : ''}
                    title={r.error ?? undefined}
                  >
                    {r.status}
                    {r.status === 'running' ? ` ${Math.round(r.progress * 100)} %` : ''}
                  </span>
                  {r.kind === 'backtest' && r.status === 'completed'
                    ? ` · ${pct(r.metrics?.totalReturn)}`
                    : ''}
                </div>
                {r.status === 'failed' && r.error && (
                  <div className="small error-text">{r.error}</div>
                )}
              </td>
              <td className="actions">
                {(r.status === 'completed' ||
                  r.status === 'failed' ||
                  r.status === 'cancelled') && (
                  <button
                    className="btn small"
                    type="button"
                    aria-label={`Delete run ${r.id}`}
                    title="Delete"
                    onClick={(e) => {
                      e.stopPropagation();
                      void deleteRun(r.id);
                    }}
                  >
                    ×
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
