import { useState } from 'react';
import { useAutomation } from '../../stores/automation';
import { CopyButton, hookUrl } from './copy-button';

const PUBLIC_KEY = 'bourse.automation.publicUrl';

/** Step by step: how a TradingView alert reaches this desktop, with the exact URL to paste. */
export function TunnelGuide(props: { token?: string }) {
  const receiver = useAutomation((s) => s.receiver);
  const [publicUrl, setPublicUrl] = useState(() => localStorage.getItem(PUBLIC_KEY) ?? '');
  const local = receiver?.localBaseUrl ?? 'http://127.0.0.1:8420';
  const port = /:(\d+)$/.exec(local)?.[1] ?? '8420';
  const valid = /^https:\/\/[a-z0-9.-]+(:443)?\/?$/i.test(publicUrl.trim());
  return (
    <article className="card wide automation-guide" aria-labelledby="guide-title">
      <h2 id="guide-title">Reach this desktop from TradingView</h2>
      <p className="muted">
        TradingView posts alerts only to ports 80 and 443 and gives up after 3 seconds. Bourse
        listens on <span className="mono">{receiver?.listenHost ?? '127.0.0.1'}</span> port{' '}
        <span className="mono">{port}</span>, so put a tunnel in front of it: it gives you a public
        https address on port 443 and forwards to this port.
      </p>
      <div className="automation-steps">
        <section>
          <h3>Cloudflare Tunnel</h3>
          <ol>
            <li>
              Install <span className="mono">cloudflared</span> from Cloudflare.
            </li>
            <li>
              Run:
              <pre className="mono automation-cmd">
                cloudflared tunnel --url http://localhost:{port}
              </pre>
            </li>
            <li>
              Copy the <span className="mono">https://….trycloudflare.com</span> address it prints
              (a named tunnel keeps the same address across restarts).
            </li>
          </ol>
        </section>
        <section>
          <h3>ngrok</h3>
          <ol>
            <li>Install ngrok and add your authtoken.</li>
            <li>
              Run:
              <pre className="mono automation-cmd">ngrok http {port}</pre>
            </li>
            <li>
              Copy the <span className="mono">https://….ngrok-free.app</span> forwarding address.
            </li>
          </ol>
        </section>
      </div>
      <p className="small muted">
        Do not rewrite the Host header: only the webhook routes answer to the tunnel&apos;s public
        name, so the tunnel exposes the receiver (which needs an account&apos;s token) and nothing
        else. Both tunnels connect from this machine, so set the trusted proxy to{' '}
        <span className="mono">127.0.0.1</span> under Receiver if you turn on the TradingView
        address allowlist.
      </p>
      <label className="field">
        <span>Your tunnel&apos;s public address</span>
        <input
          value={publicUrl}
          placeholder="https://example.trycloudflare.com"
          onChange={(e) => {
            setPublicUrl(e.target.value);
            localStorage.setItem(PUBLIC_KEY, e.target.value.trim());
          }}
        />
      </label>
      <div className="automation-url" aria-live="polite">
        <span className="muted">Paste into TradingView → alert → Notifications → Webhook URL:</span>
        {valid ? (
          <div className="row">
            <code className="mono" data-testid="public-hook-url">
              {hookUrl(publicUrl.trim(), props.token)}
            </code>
            <CopyButton text={hookUrl(publicUrl.trim(), props.token)} />
          </div>
        ) : (
          <p className="warn-text small">
            Enter the https address your tunnel printed to see the exact URL.
          </p>
        )}
      </div>
    </article>
  );
}
