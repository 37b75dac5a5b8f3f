import { saveFile } from '../../client/download';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  API_KEY_SCOPES,
  type ApiKeyScope,
  type OperationOutput,
} from '../../../../src-shared/contract';
import { call, messageOf } from '../../stores/session';
import { generateKeyPair } from './keygen';
import { useSystem } from '../../stores/system';

type ApiKey = OperationOutput<'apiKeys.list'>['items'][number];

const SCOPE_TEXT: Record<ApiKeyScope, string> = {
  read: 'Read markets, orders and balances',
  trade: 'Place and cancel orders',
  withdraw: 'Withdraw funds (needs an IP allowlist)',
};

const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());
const parseIps = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function CopyOnceDialog(props: { keyId: string; pem: string; onClose(): void }) {
  const [copied, setCopied] = useState(false);
  const download = () => saveFile(`bourse-${props.keyId}.pem`, props.pem, 'application/x-pem-file');
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="once-title">
        <h2 id="once-title">Save your private key now</h2>
        <p>
          This is the only time the private key is shown. Bourse never had it: it was made in this
          window and only its public half was registered. Key id: <code>{props.keyId}</code>
        </p>
        <textarea
          className="pem"
          readOnly
          value={props.pem}
          rows={4}
          aria-label="Private key (PEM)"
        />
        <div className="row">
          <button
            className="btn"
            onClick={() =>
              void navigator.clipboard?.writeText(props.pem).then(() => setCopied(true))
            }
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button className="btn" onClick={download}>
            Download .pem
          </button>
          <span className="spacer" />
          <button className="btn primary" onClick={props.onClose}>
            I have saved it
          </button>
        </div>
      </div>
    </div>
  );
}

function CreateKeyForm(props: { onCreated(key: ApiKey, pem?: string): void }) {
  const [label, setLabel] = useState('');
  const [mode, setMode] = useState<'generate' | 'upload'>('generate');
  const [publicKey, setPublicKey] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['read']);
  const [ips, setIps] = useState('');
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<string>();
  const toggle = (s: ApiKeyScope) =>
    setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const generated = mode === 'generate' ? await generateKeyPair() : undefined;
      const key = await call('apiKeys.create', {
        label,
        publicKey: generated?.publicKey ?? publicKey,
        scopes,
        ipAllowlist: parseIps(ips),
        ...(expires ? { expiresAt: new Date(expires).getTime() } : {}),
      });
      setLabel('');
      setPublicKey('');
      props.onCreated(key, generated?.privateKeyPem);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <article className="card">
      <h2>New API key</h2>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Label</span>
          <input
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            maxLength={100}
            required
          />
        </label>
        <fieldset className="segmented" aria-label="Key source">
          {(['generate', 'upload'] as const).map((m) => (
            <label key={m} className={mode === m ? 'active' : ''}>
              <input
                type="radio"
                name="key-source"
                checked={mode === m}
                onChange={() => setMode(m)}
              />
              {m === 'generate' ? 'Generate here' : 'Upload public key'}
            </label>
          ))}
        </fieldset>
        {mode === 'upload' ? (
          <label className="field">
            <span>Ed25519 public key (base64 or PEM)</span>
            <textarea
              value={publicKey}
              onChange={(e) => setPublicKey(e.target.value)}
              rows={3}
              required
            />
          </label>
        ) : (
          <p className="muted">
            The key pair is made in this window; the private key never leaves it.
          </p>
        )}
        <fieldset className="checks">
          <legend>Permissions</legend>
          {API_KEY_SCOPES.map((s) => (
            <label key={s}>
              <input
                type="checkbox"
                checked={s === 'read' || scopes.includes(s)}
                disabled={s === 'read'}
                onChange={() => toggle(s)}
              />
              <strong>{s}</strong> <span className="muted">{SCOPE_TEXT[s]}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>IP allowlist (optional; required for withdraw)</span>
          <input
            value={ips}
            onChange={(e) => setIps(e.target.value)}
            placeholder="203.0.113.7, 10.0.0.0/8"
          />
        </label>
        <label className="field">
          <span>Expires (optional)</span>
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
        {error ? (
          <p className="error-text" role="alert">
            {error}
          </p>
        ) : null}
        <button className="btn primary" type="submit">
          Create key
        </button>
      </form>
    </article>
  );
}

function KeyRow(props: { k: ApiKey; onChange(): void; onError(e: string): void }) {
  const { k } = props;
  const [editing, setEditing] = useState(false);
  const [scopes, setScopes] = useState<ApiKeyScope[]>(k.scopes);
  const [ips, setIps] = useState(k.ipAllowlist.join(', '));
  const run = (fn: () => Promise<unknown>) => () =>
    void fn().then(props.onChange, (err: unknown) => props.onError(messageOf(err)));
  const revoked = k.tsRevoked !== null;
  return (
    <tr className={revoked ? 'revoked' : ''}>
      <td>
        <strong>{k.label}</strong>
        <div className="muted mono">{k.id}</div>
      </td>
      <td>
        {editing ? (
          <div className="checks">
            {API_KEY_SCOPES.map((s) => (
              <label key={s}>
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  disabled={s === 'read'}
                  onChange={() =>
                    setScopes((c) => (c.includes(s) ? c.filter((x) => x !== s) : [...c, s]))
                  }
                />
                {s}
              </label>
            ))}
            <input
              aria-label="IP allowlist"
              value={ips}
              onChange={(e) => setIps(e.target.value)}
              placeholder="any address"
            />
          </div>
        ) : (
          <>
            {k.scopes.map((s) => (
              <span key={s} className={`badge scope-${s}`}>
                {s}
              </span>
            ))}
            <div className="muted">
              {k.ipAllowlist.length ? k.ipAllowlist.join(', ') : 'any address'}
            </div>
          </>
        )}
      </td>
      <td>{when(k.tsCreated)}</td>
      <td>{when(k.tsLastUsed)}</td>
      <td>
        {revoked
          ? `Revoked ${when(k.tsRevoked)}`
          : k.tsExpires
            ? `Expires ${when(k.tsExpires)}`
            : 'Active'}
      </td>
      <td className="actions">
        {revoked ? null : editing ? (
          <>
            <button
              className="btn small primary"
              onClick={run(async () => {
                await call('apiKeys.update', { id: k.id, scopes, ipAllowlist: parseIps(ips) });
                setEditing(false);
              })}
            >
              Save
            </button>
            <button className="btn small" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button className="btn small" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button
              className="btn small danger"
              aria-label={`Revoke ${k.label}`}
              onClick={run(() => call('apiKeys.revoke', { id: k.id }))}
            >
              Revoke
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

/** Ed25519 API keys for bots and tools: create, list with last use, edit, revoke. */
export function ApiKeysScreen() {
  const apiBaseUrl = useSystem((s) => s.version?.apiBaseUrl);
  const [items, setItems] = useState<ApiKey[]>([]);
  const [once, setOnce] = useState<{ keyId: string; pem: string }>();
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);
  const load = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    let live = true;
    call('apiKeys.list', {}).then(
      (r) => {
        if (!live) return;
        setItems(r.items);
        setError(undefined);
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [version]);
  return (
    <section className="screen" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title">API keys</h1>
      </header>
      <p className="muted">
        Sign REST requests with Ed25519 (see docs/api.md, “API keys and signed requests”). A key can
        do what its permissions allow and your role permits, nothing more.
        {apiBaseUrl ? (
          <>
            {' '}
            Bots reach this exchange at <code>{apiBaseUrl}/api/v1</code>, or with a Binance client
            (CCXT) at <code>{apiBaseUrl}/api/v3</code>. Binance market streams, which need no key,
            are at <code>{apiBaseUrl.replace(/^http/, 'ws')}/binance/</code>; Binance’s WebSocket
            API (CCXT Pro: your orders, trades and balances as they change, and orders sent over the
            socket) is at <code>{apiBaseUrl.replace(/^http/, 'ws')}/binance/ws-api/v3</code>.
          </>
        ) : null}
      </p>
      <div className="keys-layout">
        <CreateKeyForm
          onCreated={(key, pem) => {
            if (pem) setOnce({ keyId: key.id, pem });
            load();
          }}
        />
        <article className="card">
          <h2>Your keys</h2>
          {items.length === 0 ? (
            <p className="muted">No keys yet.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Key</th>
                  <th>Permissions</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th>Status</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {items.map((k) => (
                  <KeyRow key={k.id} k={k} onChange={load} onError={setError} />
                ))}
              </tbody>
            </table>
          )}
          {error ? (
            <p className="error-text" role="alert">
              {error}
            </p>
          ) : null}
        </article>
      </div>
      {once ? (
        <CopyOnceDialog keyId={once.keyId} pem={once.pem} onClose={() => setOnce(undefined)} />
      ) : null}
    </section>
  );
}
