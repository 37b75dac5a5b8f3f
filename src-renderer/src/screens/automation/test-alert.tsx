import { useId, useState } from 'react';
import { call, messageOf } from '../../stores/session';
import { useAutomation, type AccountRow } from '../../stores/automation';
import { AccountSelect } from '../../components/account-select';
import { answerText, testAlertEffect } from './alert-words';
import './automation.css';

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
  const [answer, setAnswer] = useState<{ text: string }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const warningId = useId();
  const { loadLog, refreshStatus } = useAutomation();
  const account = props.accounts.find((a) => a.id === accountId) ?? props.accounts[0];
  const target = account?.id ?? '';
  const effect = account ? testAlertEffect(account) : undefined;
  const send = async () => {
    if (!account || !effect) return;
    if (effect.confirm && !window.confirm(effect.confirm)) return;
    setBusy(true);
    setError(undefined);
    setAnswer(undefined);
    try {
      const a = await call('automation.testAlert', { accountId: target, body });
      setAnswer({ text: answerText(a, account.name) });
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
          {effect ? (
            <p
              id={warningId}
              className={`test-alert-warning ${effect.confirm ? 'warn-text' : 'muted'}`}
            >
              {effect.warning}
            </p>
          ) : null}
          <div className="row">
            <button
              className="btn primary"
              type="button"
              disabled={busy || !target}
              aria-describedby={effect ? warningId : undefined}
              onClick={() => void send()}
            >
              Send test alert
            </button>
          </div>
          {answer ? (
            <p className="ok-text" role="status">
              {answer.text}
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
