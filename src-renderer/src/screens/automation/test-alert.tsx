import { useState } from 'react';
import { call, messageOf } from '../../stores/session';
import { useAutomation, type AccountRow, type TestAnswer } from '../../stores/automation';
import { AccountSelect } from '../../components/account-select';

/** A fresh example alert for a market (unique id, so it is never taken for a duplicate). */
export function exampleAlert(symbol: string): string {
  return JSON.stringify(
    {
      version: 'unify.v1',
      id: `test-${Date.now().toString(36)}`,
      intent: { side: 'buy', type: 'market', symbol, qty: '0.001' },
    },
    null,
    2,
  );
}

/** Sends an alert body through the same pipeline a webhook takes, for one account. */
export function TestAlert(props: { accounts: AccountRow[] }) {
  const [accountId, setAccountId] = useState('');
  const [body, setBody] = useState(() => exampleAlert('BTC/USDT'));
  const [answer, setAnswer] = useState<TestAnswer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { loadLog, refreshStatus } = useAutomation();
  const target = accountId || props.accounts[0]?.id || '';
  const send = async () => {
    setBusy(true);
    setError(undefined);
    setAnswer(undefined);
    try {
      setAnswer(await call('automation.testAlert', { accountId: target, body }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
      setBody(exampleAlert(/"symbol":\s*"([^"]+)"/.exec(body)?.[1] ?? 'BTC/USDT'));
      void loadLog();
      void refreshStatus();
    }
  };
  return (
    <article className="card" aria-labelledby="test-title">
      <h2 id="test-title">Send a test alert</h2>
      {props.accounts.length === 0 ? (
        <p className="muted">Create a trading account first.</p>
      ) : (
        <>
          <AccountSelect accounts={props.accounts} value={target} onChange={setAccountId} />
          <label className="field">
            <span>Alert body (any supported format)</span>
            <textarea rows={8} value={body} onChange={(e) => setBody(e.target.value)} />
          </label>
          <div className="row">
            <button
              className="btn primary"
              type="button"
              disabled={busy || !target}
              onClick={() => void send()}
            >
              Send test alert
            </button>
          </div>
          {answer ? (
            <p className="ok-text" role="status">
              {answer.status}: {answer.message} (log #{answer.logId})
            </p>
          ) : null}
          {error ? (
            <p className="error-text" role="alert">
              {error}
            </p>
          ) : null}
        </>
      )}
    </article>
  );
}
