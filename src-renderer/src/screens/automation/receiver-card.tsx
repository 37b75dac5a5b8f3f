import { useState } from 'react';
import { call, messageOf } from '../../stores/session';
import { useAutomation, type Receiver } from '../../stores/automation';

/** Receiver options: TradingView address allowlist, trusted proxy, duplicate window. */
export function ReceiverCard() {
  const receiver = useAutomation((s) => s.receiver);
  const stamp = receiver ? JSON.stringify(receiver.settings) : 'loading';
  return <ReceiverForm key={stamp} receiver={receiver} />;
}

function ReceiverForm({ receiver }: { receiver?: Receiver }) {
  const load = useAutomation((s) => s.load);
  const [allow, setAllow] = useState(receiver?.settings.tvAllowlist ?? false);
  const [proxy, setProxy] = useState(receiver?.settings.trustedProxy ?? '');
  const [windowSec, setWindowSec] = useState(String(receiver?.settings.dedupeWindowSec ?? 60));
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const save = async () => {
    try {
      await call('automation.receiver.set', {
        tvAllowlist: allow,
        trustedProxy: proxy.trim() || null,
        dedupeWindowSec: Number(windowSec),
      });
      setMessage({ ok: true, text: 'Saved' });
      void load();
    } catch (err) {
      setMessage({ ok: false, text: messageOf(err) });
    }
  };
  return (
    <article className="card" aria-labelledby="receiver-title">
      <h2 id="receiver-title">Receiver</h2>
      <label className="automation-switch">
        <input type="checkbox" checked={allow} onChange={(e) => setAllow(e.target.checked)} />
        <span>Accept only TradingView&apos;s addresses</span>
      </label>
      <p className="small muted mono">{receiver?.tradingViewIps.join(' · ')}</p>
      <label className="field">
        <span>Trusted proxy (its X-Forwarded-For is believed)</span>
        <input
          value={proxy}
          placeholder="e.g. 127.0.0.1 for a local tunnel"
          onChange={(e) => setProxy(e.target.value)}
        />
      </label>
      <label className="field">
        <span>Same body within (seconds) counts as a duplicate</span>
        <input
          value={windowSec}
          inputMode="numeric"
          onChange={(e) => setWindowSec(e.target.value)}
        />
      </label>
      <p className="small muted">
        Bodies over {Math.round((receiver?.maxBodyBytes ?? 16384) / 1024)} KB are refused. Alerts
        with an id run once per id for 24 hours.
      </p>
      <div className="row">
        <button className="btn" type="button" onClick={() => void save()}>
          Save receiver options
        </button>
        {message ? (
          <span className={message.ok ? 'ok-text' : 'error-text'}>{message.text}</span>
        ) : null}
      </div>
    </article>
  );
}
