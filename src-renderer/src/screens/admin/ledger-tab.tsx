import { useState, type FormEvent } from 'react';
import type { OperationOutput } from '../../../../src-shared/contract';
import { call, messageOf } from '../../stores/session';
import { UserPicker } from './user-picker';
import { useLoad } from './hooks';

type Report = OperationOutput<'admin.ledger.reconcile'>;

/** Credit/debit from the outside world, signed corrections, and reconciliation on demand. */
export function LedgerTab() {
  const [assets] = useLoad(() => call('assets.list', {}));
  const [userId, setUserId] = useState('');
  const [asset, setAsset] = useState('USDT');
  const [amount, setAmount] = useState('');
  const [kind, setKind] = useState<'credit' | 'debit' | 'correction'>('credit');
  const [reason, setReason] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  const [report, setReport] = useState<Report>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!userId) {
      setStatus({ ok: false, text: 'Pick a user: type their email and choose it from the list' });
      return;
    }
    try {
      const out =
        kind === 'correction'
          ? await call('admin.ledger.correct', { userId, asset, amount, reason })
          : await call('admin.ledger.fund', { userId, asset, amount, direction: kind, reason });
      setStatus({
        ok: true,
        text: `Entry #${out.entryId}: ${asset} available ${out.balance.available}, held ${out.balance.held}`,
      });
      setAmount('');
      setReason('');
    } catch (err) {
      setStatus({ ok: false, text: messageOf(err) });
    }
  };
  const reconcile = async () => {
    try {
      setReport(await call('admin.ledger.reconcile', {}));
    } catch (err) {
      setStatus({ ok: false, text: messageOf(err) });
    }
  };
  return (
    <div className="stack">
      <article className="card wide">
        <h2>Ledger entry</h2>
        <form onSubmit={(e) => void submit(e)} aria-label="Ledger entry">
          <div className="row wrap">
            <UserPicker label="User" onChange={setUserId} />
            <label className="field">
              <span>Asset</span>
              <select value={asset} onChange={(e) => setAsset(e.target.value)}>
                {(assets?.items ?? []).map((a) => (
                  <option key={a.code}>{a.code}</option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Kind</span>
              <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
                <option value="credit">Credit (from outside)</option>
                <option value="debit">Debit (to outside)</option>
                <option value="correction">Correction (signed)</option>
              </select>
            </label>
            <label className="field">
              <span>Amount{kind === 'correction' ? ' (negative to reduce)' : ''}</span>
              <input
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                required
              />
            </label>
          </div>
          <label className="field">
            <span>Reason (kept in the journal)</span>
            <input value={reason} onChange={(e) => setReason(e.target.value)} required />
          </label>
          <button className="btn primary" type="submit">
            Post entry
          </button>
        </form>
        {status ? (
          <p className={status.ok ? 'ok-text' : 'error-text'} role="status">
            {status.text}
          </p>
        ) : null}
      </article>
      <article className="card wide">
        <div className="row between">
          <h2>Reconciliation</h2>
          <button className="btn" onClick={() => void reconcile()}>
            Reconcile now
          </button>
        </div>
        <p className="muted small">
          Checks that every asset’s postings sum to zero, no balance is negative, each user’s held
          balance equals what their open orders reserve, and stored balances equal their postings. A
          scheduled job runs the same check every 5 minutes.
        </p>
        {report ? (
          report.ok ? (
            <p className="ok-text" role="status">
              All {report.checkedAccounts} accounts reconcile.
            </p>
          ) : (
            <ul className="error-text" role="status">
              {report.problems.map((p, i) => (
                <li key={i}>{p.message}</li>
              ))}
            </ul>
          )
        ) : null}
      </article>
    </div>
  );
}
