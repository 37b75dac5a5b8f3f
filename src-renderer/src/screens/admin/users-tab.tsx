import { useCallback, useEffect, useRef, useState } from 'react';
import { ROLES, type OperationOutput, type Role } from '../../../../src-shared/contract';
import { call, messageOf, useSession } from '../../stores/session';

type User = OperationOutput<'admin.users.list'>['items'][number];
type Message = OperationOutput<'admin.outbox.list'>['items'][number];

const when = (ms: number) => new Date(ms).toLocaleString();

/**
 * Loads once and on demand; answers [data, error, reload]. `reload` resolves once the
 * fresh data is in state, so a caller can report success only when the screen shows it
 * (a controlled <select> would otherwise snap back to the old value in between).
 */
export function useLoad<T>(
  load: () => Promise<T>,
): [T | undefined, string | undefined, () => Promise<void>] {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  const live = useRef(true);
  const reload = useCallback(async () => {
    try {
      const d = await loadRef.current();
      if (!live.current) return;
      setData(d);
      setError(undefined);
    } catch (err) {
      if (live.current) setError(messageOf(err));
    }
  }, []);
  useEffect(() => {
    live.current = true;
    void reload();
    return () => {
      live.current = false;
    };
  }, [reload]);
  return [data, error, reload];
}

export function UsersTab() {
  const me = useSession((s) => s.user?.id);
  const [data, loadError, reload] = useLoad(() => call('admin.users.list', {}));
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  const act = async (text: string, run: () => Promise<unknown>) => {
    try {
      await run();
      await reload();
      setStatus({ ok: true, text });
    } catch (err) {
      setStatus({ ok: false, text: messageOf(err) });
    }
  };
  const users = data?.items ?? [];
  return (
    <article className="card wide">
      <h2>Users</h2>
      {loadError ? <p className="error-text">{loadError}</p> : null}
      {status ? (
        <p className={status.ok ? 'ok-text' : 'error-text'} role="status">
          {status.text}
        </p>
      ) : null}
      <table className="table" aria-label="Users">
        <thead>
          <tr>
            <th>Email</th>
            <th>Role</th>
            <th>2FA</th>
            <th>Status</th>
            <th>Since</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u: User) => (
            <tr key={u.id} className={u.banned ? 'revoked' : ''}>
              <td>
                {u.email}
                {u.id === me ? <span className="muted small"> (you)</span> : null}
              </td>
              <td>
                <select
                  aria-label={`Role of ${u.email}`}
                  value={u.role}
                  disabled={u.id === me}
                  onChange={(e) => {
                    const role = e.target.value as Role;
                    void act(`${u.email} is now ${role}`, () =>
                      call('admin.users.setRole', { userId: u.id, role }),
                    );
                  }}
                >
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </td>
              <td>
                {u.twoFactorEnabled ? (
                  <span className="badge ok">on</span>
                ) : u.twoFactorRequired ? (
                  <span className="badge bad">required, off</span>
                ) : (
                  <span className="badge">off</span>
                )}
              </td>
              <td>{u.banned ? <span className="badge bad">banned</span> : 'active'}</td>
              <td className="muted">{when(u.tsCreated)}</td>
              <td className="actions">
                <button
                  className="btn small"
                  disabled={u.id === me}
                  onClick={() =>
                    void act(`Ended the sessions of ${u.email}`, () =>
                      call('admin.users.endSessions', { userId: u.id }),
                    )
                  }
                >
                  End sessions
                </button>
                {u.banned ? (
                  <button
                    className="btn small"
                    onClick={() =>
                      void act(`${u.email} may sign in again`, () =>
                        call('admin.users.unban', { userId: u.id }),
                      )
                    }
                  >
                    Unban
                  </button>
                ) : (
                  <button
                    className="btn small danger"
                    disabled={u.id === me}
                    onClick={() =>
                      void act(`${u.email} is banned; sessions and API keys stopped`, () =>
                        call('admin.users.ban', { userId: u.id }),
                      )
                    }
                  >
                    Ban
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

/** Password-reset links wait here (no mail server by default); memory only, until expiry. */
const DELIVERY_TEXT: Record<Message['delivery'], string> = {
  manual: 'hand over in person',
  sending: 'sending…',
  sent: 'e-mailed',
  failed: 'e-mail failed: hand over in person',
};

export function OutboxTab() {
  const [data, error, reload] = useLoad(() => call('admin.outbox.list', {}));
  const items = data?.items ?? [];
  return (
    <article className="card wide">
      <div className="row between">
        <h2>Outbox</h2>
        <button className="btn small" onClick={() => void reload()}>
          Refresh
        </button>
      </div>
      <p className="muted small">
        Password-reset links live here in memory only and vanish when they expire. Without a mail
        server (<span className="mono">BOURSE_SMTP_URL</span>) an administrator passes them on; with
        one they are e-mailed, and a sent message no longer shows its link.
      </p>
      {error ? <p className="error-text">{error}</p> : null}
      {items.length === 0 ? <p className="muted">Nothing waiting.</p> : null}
      {items.map((m: Message) => (
        <div key={m.id} className="card">
          <strong>{m.subject}</strong> <span className="muted">to {m.to}</span>{' '}
          <span
            className={`badge ${m.delivery === 'failed' ? 'bad' : m.delivery === 'sent' ? 'ok' : ''}`}
          >
            {DELIVERY_TEXT[m.delivery]}
          </span>
          {m.error ? (
            <p className="error-text small">
              {m.attempts} attempt{m.attempts === 1 ? '' : 's'}: {m.error}
            </p>
          ) : null}
          <p className="outbox-body mono">{m.body}</p>
        </div>
      ))}
    </article>
  );
}
