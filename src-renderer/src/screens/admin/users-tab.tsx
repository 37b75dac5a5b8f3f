import { useCallback, useState } from 'react';
import {
  ROLES,
  mayActOn,
  mayGrant,
  type OperationOutput,
  type Role,
} from '../../../../src-shared/contract';
import { call, messageOf, useSession } from '../../stores/session';
import { useLoad, usePages, useSettled } from './hooks';

type User = OperationOutput<'admin.users.list'>['items'][number];
type Message = OperationOutput<'admin.outbox.list'>['items'][number];

const when = (ms: number) => new Date(ms).toLocaleString();

const PAGE = 100;

interface UserFilters {
  search: string;
  role: Role | '';
  status: '' | 'active' | 'banned';
}

/** One account: its role (a select), 2FA, status, and the actions the viewer outranks it for. */
function UserRow(props: {
  u: User;
  me: string | undefined;
  myRole: Role;
  /** Whether the signed-in admin outranks this account (the backend checks again). */
  mayAct: boolean;
  act: (done: string, run: () => Promise<unknown>) => void;
}) {
  const { u, me, myRole, mayAct, act } = props;
  return (
    <tr className={u.banned ? 'revoked' : ''}>
      <td>
        {u.email}
        {u.id === me ? <span className="muted small"> (you)</span> : null}
      </td>
      <td>
        <select
          aria-label={`Role of ${u.email}`}
          value={u.role}
          disabled={!mayAct}
          onChange={(e) => {
            const role = e.target.value as Role;
            act(`${u.email} is now ${role}`, () =>
              call('admin.users.setRole', { userId: u.id, role }),
            );
          }}
        >
          {ROLES.map((r) => (
            <option key={r} disabled={r !== u.role && !mayGrant(myRole, r)}>
              {r}
            </option>
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
          disabled={!mayAct}
          onClick={() =>
            act(`Ended the sessions of ${u.email}`, () =>
              call('admin.users.endSessions', { userId: u.id }),
            )
          }
        >
          End sessions
        </button>
        {u.banned ? (
          <button
            className="btn small"
            disabled={!mayAct}
            onClick={() =>
              act(`${u.email} may sign in again`, () => call('admin.users.unban', { userId: u.id }))
            }
          >
            Unban
          </button>
        ) : (
          <button
            className="btn small danger"
            disabled={!mayAct}
            onClick={() =>
              act(`${u.email} is banned; sessions and API keys stopped`, () =>
                call('admin.users.ban', { userId: u.id }),
              )
            }
          >
            Ban
          </button>
        )}
      </td>
    </tr>
  );
}

/**
 * Accounts in the order they joined, 100 at a time, narrowed by part of the email, role and
 * status. An action's answer replaces that row in place, so a long list keeps its pages.
 */
export function UsersTab() {
  const me = useSession((s) => s.user?.id);
  const myRole = useSession((s) => s.user?.role) ?? 'viewer';
  // The backend refuses acting on a user ranked at or above you (roles.ts); so does the UI.
  const outranks = (u: User) => u.id !== me && mayActOn(myRole, u.role);
  const [filters, setFilters] = useState<UserFilters>({ search: '', role: '', status: '' });
  const search = useSettled(filters.search.trim(), 250);
  const fetchPage = useCallback(
    (cursor?: string) =>
      call('admin.users.list', {
        limit: PAGE,
        ...(search ? { search } : {}),
        ...(filters.role ? { role: filters.role } : {}),
        ...(filters.status ? { status: filters.status } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    [search, filters.role, filters.status],
  );
  const { first, cursor, error: loadError, loading, loadMore, ...pages } = usePages(fetchPage);
  const [patched, setPatched] = useState<Record<string, User>>({});
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();

  const act = async (text: string, run: () => Promise<unknown>) => {
    try {
      const out = await run();
      if (out && typeof out === 'object' && 'id' in out && 'role' in out) {
        const u = out as User;
        setPatched((p) => ({ ...p, [u.id]: u }));
      }
      setStatus({ ok: true, text });
    } catch (err) {
      setStatus({ ok: false, text: messageOf(err) });
    }
  };
  const users = (pages.items ?? []).map((u) => patched[u.id] ?? u);
  const filtered = search !== '' || filters.role !== '' || filters.status !== '';
  return (
    <article className="card wide">
      <h2>Users</h2>
      <div className="row wrap users-filters" role="search" aria-label="Find users">
        <label className="field">
          <span>Email contains</span>
          <input
            type="search"
            value={filters.search}
            placeholder="name@…"
            onChange={(e) => setFilters((f) => ({ ...f, search: e.target.value }))}
          />
        </label>
        <label className="field">
          <span>Role</span>
          <select
            value={filters.role}
            onChange={(e) => setFilters((f) => ({ ...f, role: e.target.value as Role | '' }))}
          >
            <option value="">Any</option>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select
            value={filters.status}
            onChange={(e) =>
              setFilters((f) => ({ ...f, status: e.target.value as UserFilters['status'] }))
            }
          >
            <option value="">Any</option>
            <option value="active">active</option>
            <option value="banned">banned</option>
          </select>
        </label>
        <p className="muted users-count" data-testid="users-count">
          {first
            ? `${first.total.toLocaleString()} ${filtered ? 'matching ' : ''}account${first.total === 1 ? '' : 's'}${users.length < first.total ? `, ${users.length.toLocaleString()} shown` : ''}`
            : loadError
              ? ''
              : 'Loading…'}
        </p>
      </div>
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
            <UserRow
              key={u.id}
              u={u}
              me={me}
              myRole={myRole}
              mayAct={outranks(u)}
              act={(text, run) => void act(text, run)}
            />
          ))}
        </tbody>
      </table>
      {first && users.length === 0 ? (
        <p className="muted">{filtered ? 'No account matches these filters.' : 'No accounts.'}</p>
      ) : null}
      {cursor ? (
        <button className="btn" disabled={loading} onClick={() => void loadMore()}>
          {loading ? 'Loading…' : `Show ${PAGE} more`}
        </button>
      ) : null}
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
          {m.masked ? (
            <p className="muted small">
              The link is hidden: only owners and administrators hand reset links over.
            </p>
          ) : null}
        </div>
      ))}
    </article>
  );
}
