import { useEffect } from 'react';
import { client } from '../../client/client';
import { SecretStoreAction } from '../../components/secret-store-action';
import { useSystem } from '../../stores/system';
import { useUi, type Theme } from '../../stores/ui';
import { useVault } from '../../stores/vault';

function Row(props: { label: string; value: string | number | undefined }) {
  return (
    <div className="kv-row">
      <dt>{props.label}</dt>
      <dd>{props.value ?? '—'}</dd>
    </div>
  );
}

/** Appearance and what the backend says about itself. */
export function SettingsScreen() {
  const { theme, setTheme } = useUi();
  const { health, version, error, refresh } = useSystem();
  const { status: secrets, refresh: refreshSecrets } = useVault();
  useEffect(() => {
    void refresh();
    void refreshSecrets();
  }, [refresh, refreshSecrets]);
  return (
    <section className="screen" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title">Settings</h1>
      </header>
      <div className="card-grid">
        <article className="card">
          <h2>Appearance</h2>
          <fieldset className="segmented" aria-label="Theme">
            {(['dark', 'light'] as Theme[]).map((t) => (
              <label key={t} className={theme === t ? 'active' : ''}>
                <input
                  type="radio"
                  name="theme"
                  value={t}
                  checked={theme === t}
                  onChange={() => setTheme(t)}
                />
                {t === 'dark' ? 'Dark' : 'Light'}
              </label>
            ))}
          </fieldset>
        </article>
        <article className="card" aria-labelledby="secret-store-title">
          <h2 id="secret-store-title">Secret store</h2>
          <p>{secrets?.description ?? '—'}</p>
          <SecretStoreAction why="Two-factor keys and broker credentials are kept there." />
        </article>
        <article className="card">
          <h2>Backend</h2>
          {error ? <p className="error-text">Cannot reach the backend: {error}</p> : null}
          <dl className="kv">
            <Row label="Version" value={version?.version} />
            <Row label="Mode" value={version?.mode} />
            <Row
              label="Connection"
              value={
                client.transport.kind === 'ipc' ? 'Desktop (IPC)' : 'Browser (HTTP + WebSocket)'
              }
            />
            <Row
              label="REST API"
              value={version?.apiBaseUrl ? `${version.apiBaseUrl}/api/v1` : 'not listening'}
            />
            <Row
              label="Binance-compatible API"
              value={version?.apiBaseUrl ? `${version.apiBaseUrl}/api/v3` : 'not listening'}
            />
            <Row
              label="Binance-compatible streams"
              value={
                version?.apiBaseUrl
                  ? `${version.apiBaseUrl.replace(/^http/, 'ws')}/binance/`
                  : 'not listening'
              }
            />
            <Row
              label="Binance WebSocket API"
              value={
                version?.apiBaseUrl
                  ? `${version.apiBaseUrl.replace(/^http/, 'ws')}/binance/ws-api/v3`
                  : 'not listening'
              }
            />
            <Row label="Node.js" value={version?.node} />
            <Row label="Database migrations" value={version?.schemaVersion} />
            <Row label="Status" value={health?.status} />
            {Object.entries(health?.checks ?? {}).map(([k, v]) => (
              <Row key={k} label={`Check: ${k}`} value={v} />
            ))}
          </dl>
          {version?.apiBaseUrl ? (
            // Absolute: in the desktop app the page is not served by the backend, and the
            // main process opens exactly this address (the backend's /docs) in the browser.
            <a
              className="link"
              href={`${version.apiBaseUrl}/docs`}
              target="_blank"
              rel="noreferrer"
            >
              REST API documentation (OpenAPI, Swagger UI)
            </a>
          ) : null}
        </article>
      </div>
    </section>
  );
}
