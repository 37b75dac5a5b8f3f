import { useState } from 'react';
import { call, messageOf } from '../../stores/session';
import { useLoad } from './users-tab';

const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());

/** Scheduled jobs, their last run, and the run history; any job can be run now. */
export function JobsTab() {
  const [jobs, error, reload] = useLoad(() => call('jobs.list', {}));
  const [runs, , reloadRuns] = useLoad(() => call('jobs.runs', { limit: 30 }));
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  const trigger = async (name: string) => {
    try {
      const r = await call('jobs.trigger', { name });
      setStatus({ ok: true, text: `${name} queued as run #${r.runId}` });
      setTimeout(() => {
        void reload();
        void reloadRuns();
      }, 500);
    } catch (err) {
      setStatus({ ok: false, text: messageOf(err) });
    }
  };
  return (
    <div className="stack">
      <article className="card wide">
        <h2>Jobs</h2>
        {error ? <p className="error-text">{error}</p> : null}
        {status ? (
          <p className={status.ok ? 'ok-text' : 'error-text'} role="status">
            {status.text}
          </p>
        ) : null}
        <table className="table" aria-label="Jobs">
          <thead>
            <tr>
              <th>Job</th>
              <th>Schedule</th>
              <th>Next run</th>
              <th>Last run</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(jobs?.items ?? []).map((j) => (
              <tr key={j.name}>
                <td>
                  <strong>{j.name}</strong>
                  <div className="muted small">{j.description}</div>
                </td>
                <td className="mono">{j.schedule ?? 'on demand'}</td>
                <td>{when(j.nextRunAt)}</td>
                <td>
                  {j.lastRun ? (
                    <span className={`badge ${j.lastRun.status === 'failed' ? 'bad' : 'ok'}`}>
                      {j.lastRun.status}
                    </span>
                  ) : (
                    <span className="muted">never</span>
                  )}
                </td>
                <td className="actions">
                  <button className="btn small" onClick={() => void trigger(j.name)}>
                    Run now
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
      <article className="card wide">
        <h2>Recent runs</h2>
        <table className="table" aria-label="Job runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Job</th>
              <th>Status</th>
              <th>Queued</th>
              <th>Finished</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {(runs?.items ?? []).map((r) => (
              <tr key={r.id}>
                <td className="num">#{r.id}</td>
                <td>{r.job}</td>
                <td>{r.status}</td>
                <td>{when(r.tsQueued)}</td>
                <td>{when(r.tsFinished)}</td>
                <td className="error-text small">{r.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
    </div>
  );
}
