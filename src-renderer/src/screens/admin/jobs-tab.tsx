import { useEffect, useState } from 'react';
import { client } from '../../client/client';
import { call, messageOf } from '../../stores/session';
import { useLoad } from './hooks';

const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());

/**
 * Scheduled jobs, their last run, and the run history; a scheduled job can be run now. Run
 * changes arrive on the `jobs` stream, so the tables follow runs as they queue and finish.
 */
export function JobsTab() {
  const [jobs, error, reload] = useLoad(() => call('jobs.list', {}));
  const [runs, , reloadRuns] = useLoad(() => call('jobs.runs', { limit: 30 }));
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  useEffect(
    () =>
      client.subscribe('jobs', () => {
        void reload();
        void reloadRuns();
      }),
    [reload, reloadRuns],
  );
  const trigger = async (name: string) => {
    try {
      const r = await call('jobs.trigger', { name });
      setStatus({ ok: true, text: `${name} queued as run #${r.runId}` });
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
                <td className="mono nowrap">{j.schedule ?? 'on demand'}</td>
                <td className="nowrap">{when(j.nextRunAt)}</td>
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
                  {j.schedule ? (
                    <button className="btn small" onClick={() => void trigger(j.name)}>
                      Run now
                    </button>
                  ) : (
                    // On-demand jobs (backtests) need their input; their own screen queues them.
                    <span className="muted small">queued by its screen</span>
                  )}
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
            {runs && runs.items.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No runs yet. Scheduled jobs appear here after their first run.
                </td>
              </tr>
            ) : null}
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
