import { useEffect, useState } from 'react';
import { client } from '../../client/client';
import { useAutomation } from '../../stores/automation';
import { loadAccounts } from './accounts-source';
import { CopyButton, hookUrl } from './copy-button';
import { ReceiverCard } from './receiver-card';
import { RiskForm } from './risk-form';
import { TestAlert } from './test-alert';
import { TunnelGuide } from './tunnel-guide';
import { WebhookLog } from './webhook-log';

function EmergencyBar() {
  const { status, busy, emergencyStop, rearm } = useAutomation();
  const stopped = status?.stopped ?? false;
  return (
    <div
      className={`automation-stop ${stopped ? 'stopped' : ''}`}
      role="region"
      aria-label="Emergency stop"
    >
      <div>
        <strong data-testid="automation-state">
          {stopped ? 'Emergency stop active' : 'Automation armed'}
        </strong>
        <div className="small muted">
          {stopped
            ? 'Automated orders are blocked until you re-arm.'
            : `Today: ${status?.today.alerts ?? 0} alerts · ${status?.today.orders ?? 0} orders · ${status?.today.trades ?? 0} trades`}
        </div>
      </div>
      {stopped ? (
        <button className="btn" type="button" disabled={busy} onClick={() => void rearm()}>
          Re-arm automation
        </button>
      ) : (
        <button
          className="btn automation-stop-btn"
          type="button"
          disabled={busy}
          onClick={() => {
            if (
              window.confirm('Cancel every open order, close every position and block automation?')
            ) {
              void emergencyStop();
            }
          }}
        >
          Emergency stop
        </button>
      )}
    </div>
  );
}

/** TradingView automation: accounts and webhook URLs, risk limits, the log, the stop button. */
export function AutomationScreen() {
  const { accounts, accountsError, receiver, error, load, setAccounts, loadLog, refreshStatus } =
    useAutomation();
  const [selected, setSelected] = useState('');
  useEffect(() => {
    void load();
    void loadAccounts().then(
      (items) => setAccounts(items),
      (err: unknown) => setAccounts([], err instanceof Error ? err.message : String(err)),
    );
    // One re-read per burst: an alert storm must not become two requests per alert.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = client.subscribe('notifications', (n) => {
      if (!n.kind.startsWith('automation.')) return;
      timer ??= setTimeout(() => {
        timer = undefined;
        void loadLog();
        void refreshStatus();
      }, 250);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [load, setAccounts, loadLog, refreshStatus]);
  const stopped = useAutomation((s) => s.status?.stopped);
  useEffect(() => {
    void loadAccounts().then(
      (items) => setAccounts(items),
      () => undefined,
    );
  }, [stopped, setAccounts]);
  const current = accounts.find((a) => a.id === selected) ?? accounts[0];
  const base = receiver?.localBaseUrl ?? '';
  return (
    <section className="screen automation" aria-labelledby="screen-title">
      <header className="screen-header with-actions">
        <h1 id="screen-title">Automation</h1>
      </header>
      <EmergencyBar />
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <div className="automation-grid">
        <article className="card wide" aria-labelledby="accounts-title">
          <h2 id="accounts-title">Accounts and webhook URLs</h2>
          {accountsError ? <p className="error-text">{accountsError}</p> : null}
          {accounts.length === 0 && !accountsError ? (
            <p className="muted">
              No trading accounts yet: create one on the{' '}
              <a className="link" href="#/accounts">
                Accounts
              </a>{' '}
              screen to get its webhook URL.
            </p>
          ) : (
            <table className="table" aria-label="Accounts">
              <thead>
                <tr>
                  <th>Account</th>
                  <th>Venue</th>
                  <th>State</th>
                  <th>Local webhook URL</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {accounts.map((a) => (
                  <tr key={a.id} className={current?.id === a.id ? 'automation-selected' : ''}>
                    <td>
                      <button type="button" className="btn-link" onClick={() => setSelected(a.id)}>
                        {a.name}
                      </button>
                    </td>
                    <td>
                      {a.venue}
                      {a.demo ? ' · demo' : ''}
                    </td>
                    <td>
                      {a.stopped ? (
                        <span className="error-text">stopped</span>
                      ) : a.enabled ? (
                        <span className="ok-text">enabled</span>
                      ) : (
                        <span className="muted">disabled</span>
                      )}
                    </td>
                    <td className="mono automation-hook">{hookUrl(base, a.token)}</td>
                    <td className="actions">
                      <CopyButton text={hookUrl(base, a.token)} label="Copy URL" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="small muted">
            Tokens are stored hashed: the full URL is shown right after an account is created or its
            token regenerated (Accounts screen, New token). The bearer route{' '}
            <span className="mono">POST {base}/api/unify/v1/webhook/&lt;broker&gt;</span> with{' '}
            <span className="mono">Authorization: Bearer &lt;token&gt;</span> works too.
          </p>
        </article>
        <RiskForm key={current?.id ?? 'user'} accountId={current?.id} accountName={current?.name} />
        <div className="stack">
          <TestAlert accounts={accounts} />
          <ReceiverCard />
        </div>
        <WebhookLog accounts={accounts} />
        <TunnelGuide token={current?.token} />
      </div>
    </section>
  );
}
