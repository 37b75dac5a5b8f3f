import { showDecimal } from '../../../../src-shared/decimal';
import { signClass } from '../accounts/format';
import { useBots, type Bot } from '../../stores/bots';
import { at, statusText, uptimeText } from './format';

const money = (v: string | null) => (v === null ? '—' : showDecimal(v, 2));

function Actions({ b }: { b: Bot }) {
  const { start, pause, stop, remove, pending } = useBots();
  const busy = ['start', 'pause', 'stop', 'delete'].some((k) => pending[`${k}:${b.id}`]);
  const canStart = b.status === 'created' || b.status === 'paused' || b.status === 'error';
  return (
    <div className="bots-row-actions">
      {canStart ? (
        <button
          className="btn small"
          type="button"
          disabled={busy}
          aria-label={`Start ${b.name}`}
          onClick={() => void start(b.id)}
        >
          {b.status === 'error' ? 'Retry' : 'Start'}
        </button>
      ) : null}
      {b.status === 'running' ? (
        <button
          className="btn small"
          type="button"
          disabled={busy}
          aria-label={`Pause ${b.name}`}
          onClick={() => void pause(b.id)}
        >
          Pause
        </button>
      ) : null}
      {b.status !== 'stopped' ? (
        <button
          className="btn small"
          type="button"
          disabled={busy}
          aria-label={`Stop ${b.name}`}
          onClick={() => {
            const flat = b.position === '0' || Number(b.position) === 0;
            const close =
              !flat &&
              window.confirm(
                `Stop ${b.name}. Close its position of ${b.position} ${b.symbol} too?\nOK: close it. Cancel: keep it.`,
              );
            void stop(b.id, close);
          }}
        >
          Stop
        </button>
      ) : (
        <button
          className="btn small danger"
          type="button"
          disabled={busy}
          aria-label={`Delete ${b.name}`}
          onClick={() => {
            if (window.confirm(`Delete ${b.name} and its history?`)) void remove(b.id);
          }}
        >
          Delete
        </button>
      )}
    </div>
  );
}

/** Every bot: what it trades, its state, its position and P&L live and in its backtest. */
export function BotTable() {
  const { bots, selected, select, problems } = useBots();
  if (bots.length === 0) return <p className="muted">No bots yet: create one with the form.</p>;
  return (
    <div className="table-scroll">
      <table className="table bots-table" aria-label="Bots">
        <thead>
          <tr>
            <th>Bot</th>
            <th>Market</th>
            <th>Status</th>
            <th className="num">Position</th>
            <th className="num">Live P&amp;L</th>
            <th className="num">Backtest P&amp;L</th>
            <th className="num">Drift</th>
            <th>Last bar</th>
            <th>Uptime</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {bots.map((b) => {
            const problem = ['start', 'pause', 'stop', 'delete']
              .map((k) => problems[`${k}:${b.id}`])
              .find(Boolean);
            return (
              <tr key={b.id} className={selected === b.id ? 'selected' : undefined}>
                <td>
                  <button
                    className="btn-link"
                    type="button"
                    aria-label={b.name}
                    onClick={() => void select(selected === b.id ? undefined : b.id)}
                  >
                    {b.name}
                  </button>
                  <div className="muted small">{b.strategyName}</div>
                </td>
                <td>
                  <strong>{b.symbol}</strong> <span className="muted small">{b.interval}</span>
                </td>
                <td>
                  <span className={`badge bot-${b.status}`}>{statusText(b)}</span>
                  {b.reason ? <div className="small bots-reason">{b.reason}</div> : null}
                  {problem ? (
                    <div className="error-text small" role="alert">
                      {problem}
                    </div>
                  ) : null}
                </td>
                <td className="num">{b.position}</td>
                <td className={`num ${signClass(b.livePnl)}`}>{money(b.livePnl)}</td>
                <td className={`num ${signClass(b.shadow?.pnl ?? null)}`}>
                  {money(b.shadow?.pnl ?? null)}
                </td>
                <td className={`num ${signClass(b.drift)}`}>{money(b.drift)}</td>
                <td className="small">{at(b.lastBarTime)}</td>
                <td className="small">{b.status === 'running' ? uptimeText(b.uptimeMs) : '—'}</td>
                <td>
                  <Actions b={b} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
