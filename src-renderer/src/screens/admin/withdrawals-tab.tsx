import { useState } from 'react';
import type { OperationOutput } from '../../../../src-shared/contract';
import { Outcome } from '../../components/outcome';
import { call, messageOf, useSession } from '../../stores/session';
import { useLoad } from './hooks';

type Pending = OperationOutput<'withdrawals.pending'>['items'][number];

function PendingRow(props: {
  p: Pending;
  me: string | undefined;
  onDone: (text: string, ok: boolean) => void;
}) {
  const { p } = props;
  const w = p.withdrawal;
  const [reason, setReason] = useState('');
  const own = p.userId === props.me;
  const mine = props.me !== undefined && p.approvedBy.includes(props.me);
  const act = async (what: 'approve' | 'reject') => {
    try {
      const out =
        what === 'approve'
          ? await call('withdrawals.approve', { id: w.id })
          : await call('withdrawals.reject', { id: w.id, reason });
      props.onDone(
        what === 'approve'
          ? `Approved: ${out.withdrawal.approvals} of ${out.withdrawal.approvalsRequired}`
          : `Rejected ${w.amount} ${w.asset}; the hold was released`,
        true,
      );
    } catch (err) {
      props.onDone(messageOf(err), false);
    }
  };
  return (
    <tr>
      <td>{new Date(w.tsCreated).toLocaleString()}</td>
      <td>
        {p.userEmail ?? p.userId}
        <div className="muted small">
          {p.requestedVia === 'app' ? 'app, with 2FA' : p.requestedVia}
        </div>
      </td>
      <td className="num">
        {w.amount} {w.asset}
        <div className="muted small">fee {w.fee}</div>
      </td>
      <td className="mono small">{w.toAddress}</td>
      <td>
        {w.approvals} of {w.approvalsRequired}
        {p.approvedBy.length > 0 ? (
          <div className="muted small">{p.approvedBy.join(', ')}</div>
        ) : null}
      </td>
      <td>
        <div className="stack withdrawal-actions">
          <button
            className="btn small"
            type="button"
            disabled={own || mine}
            title={
              own
                ? 'Nobody approves their own withdrawal'
                : mine
                  ? 'Another admin must approve'
                  : undefined
            }
            onClick={() => void act('approve')}
          >
            Approve
          </button>
          <div className="row">
            <label className="field inline">
              <span>Reason</span>
              <input value={reason} onChange={(e) => setReason(e.target.value)} size={12} />
            </label>
            <button
              className="btn small danger"
              type="button"
              disabled={reason.trim() === ''}
              onClick={() => void act('reject')}
            >
              Reject
            </button>
          </div>
        </div>
      </td>
    </tr>
  );
}

/** Withdrawals waiting for an admin: who asked, how much, where to, approvals so far. */
export function WithdrawalsTab() {
  const me = useSession((s) => s.user?.id);
  const [pending, error, reload] = useLoad(() => call('withdrawals.pending', {}));
  const [outcome, setOutcome] = useState<{ error?: string; notice?: string }>({});
  const done = (text: string, ok: boolean) => {
    setOutcome(ok ? { notice: text } : { error: text });
    void reload();
  };
  const items = pending?.items ?? [];
  return (
    <article className="card wide">
      <div className="row between">
        <h2>Withdrawals waiting for approval</h2>
        <button className="btn small" type="button" onClick={() => void reload()}>
          Refresh
        </button>
      </div>
      <p className="muted small">
        Above an asset’s auto-approve limit one admin approves; above its dual limit two different
        admins. Nobody approves their own. Rejecting releases the user’s hold; the reason is shown
        to them.
      </p>
      {error ? <p className="error-text">{error}</p> : null}
      <Outcome {...outcome} />
      {items.length === 0 && !error ? (
        <p className="muted">Nothing waits for approval.</p>
      ) : (
        <table className="table" aria-label="Pending withdrawals">
          <thead>
            <tr>
              <th>Requested</th>
              <th>User</th>
              <th>Amount</th>
              <th>Address</th>
              <th>Approvals</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <PendingRow key={p.withdrawal.id} p={p} me={me} onDone={done} />
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
