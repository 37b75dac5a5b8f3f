import { useAutomation, type LogDetail, type LogFilters } from '../../stores/automation';
import { alertOrdersWords, logResult } from './alert-words';

const when = (ms: number) => new Date(ms).toLocaleString();
const STATUS_CLASS: Record<string, string> = {
  accepted: 'pos',
  rejected: 'neg',
  failed: 'neg',
  duplicate: 'warn-text',
};

function Detail(props: { entry: LogDetail; onClose(): void }) {
  const e = props.entry;
  return (
    <div className="dialog-backdrop" role="presentation" onClick={props.onClose}>
      <div
        className="dialog automation-detail"
        role="dialog"
        aria-modal="true"
        aria-labelledby="log-detail-title"
        onClick={(ev) => ev.stopPropagation()}
      >
        <div className="row between">
          <h2 id="log-detail-title">
            Webhook #{e.id} · <span className={STATUS_CLASS[e.status]}>{e.status}</span>
          </h2>
          <button className="btn small" type="button" onClick={props.onClose} autoFocus>
            Close
          </button>
        </div>
        <dl className="kv">
          <div className="kv-row">
            <dt>Received</dt>
            <dd>{when(e.tsReceived)}</dd>
          </div>
          <div className="kv-row">
            <dt>Answer</dt>
            <dd>
              HTTP {e.httpStatus} in {e.latencyMs.toFixed(1)} ms
            </dd>
          </div>
          <div className="kv-row">
            <dt>Route · format</dt>
            <dd>
              {e.route} · {e.format ?? '—'}
            </dd>
          </div>
          <div className="kv-row">
            <dt>From</dt>
            <dd className="mono">
              {e.remoteIp ?? '—'} ({e.contentType ?? 'no type'})
            </dd>
          </div>
          {e.errorMessage ? (
            <div className="kv-row">
              <dt>Why</dt>
              <dd className="error-text">{e.errorMessage}</dd>
            </div>
          ) : null}
          {e.duplicateOf ? (
            <div className="kv-row">
              <dt>Duplicate of</dt>
              <dd>#{e.duplicateOf}</dd>
            </div>
          ) : null}
        </dl>
        <h3>Body (secrets masked)</h3>
        <pre className="mono automation-pre">{e.rawBody}</pre>
        {e.intent ? (
          <>
            <h3>Parsed intent</h3>
            <pre className="mono automation-pre">{JSON.stringify(e.intent, null, 2)}</pre>
          </>
        ) : null}
        {e.decisions.length ? (
          <>
            <h3>Risk rules</h3>
            <ul className="automation-decisions">
              {e.decisions.map((d) => (
                <li key={d.rule} className={d.passed ? 'ok-text' : 'error-text'}>
                  {d.passed ? '✓' : '✗'} <strong>{d.rule.replace(/_/g, ' ')}</strong>: {d.message}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {e.orders.length ? (
          <>
            <h3>Orders: {alertOrdersWords(e.orders)}</h3>
            <table className="table" aria-label="Resulting orders">
              <thead>
                <tr>
                  <th>Order</th>
                  <th>Role</th>
                  <th>Side</th>
                  <th>Symbol</th>
                  <th>Type</th>
                  <th className="num">Qty</th>
                  <th className="num">Filled</th>
                  <th className="num">Avg price</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {e.orders.map((o, i) => (
                  <tr key={`${i}-${o.orderId}`}>
                    <td className="mono">{o.orderId || '—'}</td>
                    <td>{o.role ? ROLE_LABEL[o.role] : '—'}</td>
                    <td className={o.side === 'buy' ? 'pos' : 'neg'}>{o.side}</td>
                    <td>{o.symbol}</td>
                    <td>
                      {o.type.replaceAll('_', ' ')}
                      {o.price ? ` @ ${o.price}` : ''}
                    </td>
                    <td className="num">{o.qty ?? '—'}</td>
                    <td className="num">{o.filledQty ?? '—'}</td>
                    <td className="num">{o.avgPrice ?? '—'}</td>
                    <td className={o.status === 'rejected' ? 'neg' : undefined}>
                      {o.status}
                      {o.note ? <span className="muted"> — {o.note}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </div>
    </div>
  );
}

const ROLE_LABEL = { entry: 'entry', take_profit: 'take-profit', stop_loss: 'stop-loss' } as const;

/** Every webhook request — accepted, rejected or duplicate — with filters and a detail view. */
export function WebhookLog(props: { accounts: Array<{ id: string; name: string }> }) {
  const { log, filters, nextCursor, detail, loadLog, moreLog, openLog, closeLog } = useAutomation();
  const setFilter = (patch: Partial<LogFilters>) => {
    const next = { ...filters, ...patch };
    for (const k of Object.keys(next) as Array<keyof LogFilters>) {
      if (next[k] === '' || next[k] === undefined) delete next[k];
    }
    void loadLog(next);
  };
  const name = (id: string | null) => props.accounts.find((a) => a.id === id)?.name ?? id ?? '—';
  return (
    <article className="card wide" aria-labelledby="log-title">
      <div className="row between">
        <h2 id="log-title">Webhook log</h2>
        <div className="row wrap automation-filters">
          <label className="field inline">
            <span>Status</span>
            <select
              aria-label="Status filter"
              value={filters.status ?? ''}
              onChange={(e) =>
                setFilter({ status: (e.target.value || undefined) as LogFilters['status'] })
              }
            >
              <option value="">All</option>
              <option value="accepted">Accepted</option>
              <option value="rejected">Rejected</option>
              <option value="duplicate">Duplicate</option>
              <option value="failed">Failed</option>
            </select>
          </label>
          <label className="field inline">
            <span>Account</span>
            <select
              aria-label="Account filter"
              value={filters.accountId ?? ''}
              onChange={(e) => setFilter({ accountId: e.target.value || undefined })}
            >
              <option value="">All</option>
              {props.accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field inline">
            <span>Symbol</span>
            <input
              aria-label="Symbol filter"
              className="automation-symbol-filter"
              value={filters.symbol ?? ''}
              placeholder="any"
              onChange={(e) => setFilter({ symbol: e.target.value.trim() || undefined })}
            />
          </label>
          <button className="btn small" type="button" onClick={() => void loadLog()}>
            Refresh
          </button>
        </div>
      </div>
      {log.length === 0 ? (
        <p className="muted">
          No webhook requests yet. Send a test alert or point TradingView here.
        </p>
      ) : (
        <table className="table automation-log" aria-label="Webhook log">
          <thead>
            <tr>
              <th>Time</th>
              <th>Status</th>
              <th>Account</th>
              <th>Format</th>
              <th>Symbol</th>
              <th>Result</th>
              <th className="num">Latency</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {log.map((r) => (
              <tr key={r.id}>
                <td>{when(r.tsReceived)}</td>
                <td>
                  <span className={`badge automation-status-${r.status}`}>{r.status}</span>
                </td>
                <td>{name(r.accountId)}</td>
                <td>{r.format ?? '—'}</td>
                <td>{r.symbol ?? '—'}</td>
                <td className="automation-result">{logResult(r).text}</td>
                <td className="num">{r.latencyMs.toFixed(1)} ms</td>
                <td className="actions">
                  <button className="btn small" type="button" onClick={() => void openLog(r.id)}>
                    Details
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log.some((r) => !logResult(r).exitsKnown && r.ordersPlaced > 0) ? (
        <p className="small muted">
          Result counts the orders an alert placed; the take-profit and stop-loss exits placed with
          an entry are counted apart and listed in Details.
        </p>
      ) : null}
      {nextCursor ? (
        <button className="btn small" type="button" onClick={() => void moreLog()}>
          Older
        </button>
      ) : null}
      {detail ? <Detail entry={detail} onClose={closeLog} /> : null}
    </article>
  );
}
