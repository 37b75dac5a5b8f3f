import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  ROLE_DESCRIPTIONS,
  ROLE_PERMISSIONS,
  type OperationOutput,
} from '../../../../src-shared/contract';
import { call, messageOf, useSession } from '../../stores/session';
import { TwoFactorCard } from './two-factor-card';

type Session = OperationOutput<'sessions.list'>['items'][number];

const when = (ms: number) => new Date(ms).toLocaleString();

function PasswordCard() {
  const apply = useSession((s) => s.apply);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      apply(await call('account.changePassword', { currentPassword: current, newPassword: next }));
      setCurrent('');
      setNext('');
      setMessage({ ok: true, text: 'Password changed. Your other sessions were signed out.' });
    } catch (err) {
      setMessage({ ok: false, text: messageOf(err) });
    }
  };
  return (
    <article className="card">
      <h2>Password</h2>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Current password</span>
          <input
            type="password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            autoComplete="current-password"
            required
          />
        </label>
        <label className="field">
          <span>New password</span>
          <input
            type="password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            autoComplete="new-password"
            minLength={10}
            required
          />
        </label>
        <button className="btn primary" type="submit">
          Change password
        </button>
        {message ? (
          <p className={message.ok ? 'ok-text' : 'error-text'} role="status">
            {message.text}
          </p>
        ) : null}
      </form>
    </article>
  );
}

function SessionsCard() {
  const [items, setItems] = useState<Session[]>([]);
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);
  const load = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    let live = true;
    call('sessions.list', {}).then(
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
  const revoke = async (id: string) => {
    try {
      await call('sessions.revoke', { id });
      load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <article className="card wide">
      <h2>Sessions</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Signed in</th>
            <th>Last active</th>
            <th>Address</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id}>
              <td>{when(s.tsCreated)}</td>
              <td>{when(s.tsLastUsed)}</td>
              <td>{s.ip ?? '—'}</td>
              <td className="actions">
                {s.current ? (
                  <span className="badge">This session</span>
                ) : (
                  <button className="btn small" onClick={() => void revoke(s.id)}>
                    Sign out
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error ? <p className="error-text">{error}</p> : null}
    </article>
  );
}

/** The signed-in user's account: password, 2FA, sessions. */
export function ProfileScreen() {
  const user = useSession((s) => s.user);
  const logout = useSession((s) => s.logout);
  if (!user) return null;
  return (
    <section className="screen" aria-labelledby="screen-title">
      <header className="screen-header with-actions">
        <h1 id="screen-title">Profile</h1>
        <button className="btn" onClick={() => void logout()}>
          Sign out
        </button>
      </header>
      <div className="card-grid">
        <article className="card">
          <h2>Account</h2>
          <dl className="kv">
            <div className="kv-row">
              <dt>Email</dt>
              <dd>{user.email}</dd>
            </div>
            <div className="kv-row">
              <dt>Role</dt>
              <dd>{user.role}</dd>
            </div>
            <div className="kv-row">
              <dt>Member since</dt>
              <dd>{when(user.tsCreated)}</dd>
            </div>
          </dl>
          <p className="muted">{ROLE_DESCRIPTIONS[user.role]}</p>
          <details>
            <summary>Permissions of this role</summary>
            <ul className="perm-list">
              {ROLE_PERMISSIONS[user.role].map((p) => (
                <li key={p}>
                  <code>{p}</code>
                </li>
              ))}
            </ul>
          </details>
        </article>
        <PasswordCard />
        <TwoFactorCard />
        <SessionsCard />
      </div>
    </section>
  );
}
