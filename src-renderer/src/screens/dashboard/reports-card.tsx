import { when } from '../accounts/format';
import { useDashboard } from '../../stores/dashboard';
import { useDashboardReports } from '../../stores/dashboard-reports';
import { periodRange } from './model';
import { PrintableStatementButton } from './statement-view';

function ProblemText({ k }: { k: string }) {
  const problem = useDashboardReports((s) => s.problems[k]);
  return problem ? (
    <p className="error-text small" role="alert">
      {problem.message}
    </p>
  ) : null;
}

function Schedule() {
  const schedule = useDashboardReports((s) => s.schedule);
  const pending = useDashboardReports((s) => s.pending);
  const setSchedule = useDashboardReports((s) => s.setSchedule);
  if (schedule.problem) return <p className="error-text small">{schedule.problem.message}</p>;
  const data = schedule.data;
  return (
    <fieldset className="checks dash-schedule">
      <legend>Written for you at the end of each day and week (UTC)</legend>
      {(['daily', 'weekly'] as const).map((k) => (
        <label key={k}>
          <input
            type="checkbox"
            checked={data?.[k] ?? false}
            disabled={!data || pending[k] === true}
            onChange={(e) => void setSchedule({ [k]: e.target.checked })}
          />{' '}
          {k === 'daily' ? 'Daily statement' : 'Weekly statement'}
        </label>
      ))}
      <ProblemText k="daily" />
      <ProblemText k="weekly" />
    </fieldset>
  );
}

function StoredReports() {
  const reports = useDashboardReports((s) => s.stored);
  const pending = useDashboardReports((s) => s.pending);
  const get = useDashboardReports((s) => s.downloadStored);
  if (reports.problem) return <p className="error-text small">{reports.problem.message}</p>;
  const items = reports.data ?? [];
  if (items.length === 0) return <p className="muted small">No stored statements yet.</p>;
  return (
    <div className="bt-scroll">
      <table className="table compact" aria-label="Stored statements">
        <thead>
          <tr>
            <th>Statement</th>
            <th>Written</th>
            <th className="num">Size</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.name}>
              <td className="mono">{r.name}</td>
              <td>{when(r.createdAt)}</td>
              <td className="num">{(r.bytes / 1024).toFixed(1)} KB</td>
              <td className="actions">
                <button
                  type="button"
                  className="btn small"
                  disabled={pending[`file:${r.name}`] === true}
                  aria-label={`Download ${r.name}`}
                  onClick={() => void get(r.name)}
                >
                  Download
                </button>
                <ProblemText k={`file:${r.name}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The period's statement on demand, the scheduled ones, and those already written. */
export function ReportsCard() {
  const pending = useDashboardReports((s) => s.pending);
  const download = useDashboardReports((s) => s.download);
  const period = useDashboard((s) => s.period);
  return (
    <section className="card" aria-labelledby="dash-reports-title">
      <h2 id="dash-reports-title">Reports</h2>
      <div className="row dash-downloads">
        {(['csv', 'json'] as const).map((f) => (
          <button
            key={f}
            type="button"
            className="btn"
            disabled={pending[f] === true}
            onClick={() => void download(f, periodRange(period, Date.now()))}
          >
            Download {f.toUpperCase()}
          </button>
        ))}
        <PrintableStatementButton range={() => periodRange(period, Date.now())} />
      </div>
      <ProblemText k="csv" />
      <ProblemText k="json" />
      <h3 className="bt-sub">Schedule</h3>
      <Schedule />
      <h3 className="bt-sub">Stored statements</h3>
      <StoredReports />
    </section>
  );
}
