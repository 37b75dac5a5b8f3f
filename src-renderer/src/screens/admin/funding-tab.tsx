import { useState } from 'react';
import type { OperationOutput } from '../../../../src-shared/contract';
import { call, messageOf } from '../../stores/session';
import { AssetFundingForm, ChainForm, type Status } from './funding-forms';
import { useLoad } from './hooks';

type Chain = OperationOutput<'admin.funding.chains'>['items'][number];
type AssetFunding = OperationOutput<'admin.funding.assets'>['items'][number];
type Report = OperationOutput<'admin.funding.reconcile'>;
type AdminDeposit = OperationOutput<'admin.funding.deposits'>['items'][number];

const shortKey = (k: string | null) => (k ? `${k.slice(0, 12)}…${k.slice(-6)}` : '—');
const onOff = (on: boolean) => (
  <span className={`badge ${on ? 'ok' : 'bad'}`}>{on ? 'on' : 'off'}</span>
);

function StatusLine(props: { status: Status }) {
  if (!props.status) return null;
  return (
    <p className={props.status.ok ? 'ok-text' : 'error-text'} role="status">
      {props.status.text}
    </p>
  );
}

function ChainsCard() {
  const [data, error, reload] = useLoad(() => call('admin.funding.chains', {}));
  const [status, setStatus] = useState<Status>();
  const [editing, setEditing] = useState<Chain | 'new'>();
  const test = async (c: Chain) => {
    try {
      const r = await call('admin.funding.chainTest', { chainId: c.chainId });
      setStatus(
        r.ok
          ? { ok: true, text: `${c.name}: chain ${r.chainId}, head ${r.head}, ${r.latencyMs} ms` }
          : { ok: false, text: `${c.name}: ${r.error ?? 'no answer'}` },
      );
    } catch (err) {
      setStatus({ ok: false, text: messageOf(err) });
    }
  };
  return (
    <article className="card wide">
      <div className="row between">
        <h2>Chains</h2>
        <button className="btn" onClick={() => setEditing('new')}>
          Add chain
        </button>
      </div>
      {error ? <p className="error-text">{error}</p> : null}
      <StatusLine status={status} />
      {(data?.items.length ?? 0) === 0 ? (
        <p className="muted">No chain yet: deposits and withdrawals are off for every asset.</p>
      ) : (
        <table className="table" aria-label="Chains">
          <thead>
            <tr>
              <th>Chain</th>
              <th>RPC host</th>
              <th>xpub</th>
              <th className="num">Addresses</th>
              <th className="num">Verified block</th>
              <th className="num">Poll</th>
              <th>Listener</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data?.items.map((c) => (
              <tr key={c.chainId}>
                <td>
                  <strong>{c.name}</strong> <span className="muted">({c.chainId})</span>
                </td>
                <td className="mono">{c.rpcHost ?? '—'}</td>
                <td className="mono" title={c.xpub ?? ''}>
                  {shortKey(c.xpub)}
                </td>
                <td className="num">{c.addressesIssued}</td>
                <td className="num">{c.cursor ?? '—'}</td>
                <td className="num">{c.pollMs / 1000} s</td>
                <td>{onOff(c.enabled)}</td>
                <td>
                  <button className="btn small" onClick={() => void test(c)}>
                    Test
                  </button>{' '}
                  <button className="btn small" onClick={() => setEditing(c)}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <ChainForm
          key={editing === 'new' ? 'new' : editing.chainId}
          chain={editing === 'new' ? undefined : editing}
          onSaved={(s) => {
            setStatus(s);
            if (s?.ok) {
              setEditing(undefined);
              void reload();
            }
          }}
        />
      ) : null}
    </article>
  );
}

function AssetsCard() {
  const [data, error, reload] = useLoad(() =>
    Promise.all([
      call('admin.funding.assets', {}),
      call('assets.list', {}),
      call('admin.funding.chains', {}),
    ]),
  );
  const [status, setStatus] = useState<Status>();
  const [editing, setEditing] = useState<AssetFunding | 'new'>();
  const [settings, assets, chains] = data ?? [undefined, undefined, undefined];
  return (
    <article className="card wide">
      <div className="row between">
        <h2>Asset funding</h2>
        <button className="btn" onClick={() => setEditing('new')} disabled={!chains?.items.length}>
          Set up an asset
        </button>
      </div>
      <p className="muted small">
        An asset without a row here has no chain: its deposits and withdrawals are off. Amounts are
        in the asset’s own decimals.
      </p>
      {error ? <p className="error-text">{error}</p> : null}
      <StatusLine status={status} />
      {settings && settings.items.length > 0 ? (
        <table className="table" aria-label="Asset funding">
          <thead>
            <tr>
              <th>Asset</th>
              <th>Chain</th>
              <th>Token</th>
              <th className="num">Confirmations</th>
              <th>Deposits</th>
              <th>Withdrawals</th>
              <th className="num">Fee / min</th>
              <th className="num">Auto / two admins above</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {settings.items.map((a) => (
              <tr key={a.asset}>
                <td>
                  <strong>{a.asset}</strong>
                </td>
                <td>{a.chainId}</td>
                <td className="mono" title={a.tokenContract ?? ''}>
                  {a.tokenContract ? shortKey(a.tokenContract) : 'native'} ({a.tokenDecimals})
                </td>
                <td className="num">{a.confirmations}</td>
                <td>{onOff(a.depositsEnabled)}</td>
                <td>{onOff(a.withdrawalsEnabled)}</td>
                <td className="num">
                  {a.withdrawalFee} / {a.withdrawalMin}
                </td>
                <td className="num">
                  {a.autoApproveLimit} / {a.dualApprovalLimit ?? '—'}
                </td>
                <td>
                  <button className="btn small" onClick={() => setEditing(a)}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {editing && chains && assets ? (
        <AssetFundingForm
          key={editing === 'new' ? 'new' : editing.asset}
          assets={assets.items.map((x) => x.code)}
          chains={chains.items}
          current={editing === 'new' ? undefined : editing}
          onSaved={(s) => {
            setStatus(s);
            if (s?.ok) {
              setEditing(undefined);
              void reload();
            }
          }}
        />
      ) : null}
    </article>
  );
}

function DepositsCard() {
  const [filter, setFilter] = useState<AdminDeposit['status'] | ''>('');
  // The newest 200 of every status, filtered here: changing the filter asks nothing again.
  const [data, error] = useLoad(() => call('admin.funding.deposits', { limit: 200 }));
  const items = (data?.items ?? []).filter((d) => !filter || d.status === filter);
  return (
    <article className="card wide">
      <div className="row between">
        <h2>Deposits</h2>
        <label className="field inline">
          <span>Status</span>
          <select value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)}>
            <option value="">All</option>
            <option value="pending">Pending</option>
            <option value="credited">Credited</option>
            <option value="reversed">Reversed (review)</option>
            <option value="not_credited">Not credited</option>
            <option value="orphaned">Orphaned</option>
          </select>
        </label>
      </div>
      {error ? <p className="error-text">{error}</p> : null}
      {items.length === 0 ? (
        <p className="muted">No deposits.</p>
      ) : (
        <table className="table" aria-label="All deposits">
          <thead>
            <tr>
              <th>#</th>
              <th>User</th>
              <th className="num">Amount</th>
              <th className="num">Block</th>
              <th>Status</th>
              <th>Transaction</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <td className="num">{d.id}</td>
                <td title={d.userId}>{d.userEmail ?? `${d.userId} (deleted)`}</td>
                <td className="num">
                  {d.amount} {d.asset}
                </td>
                <td className="num">{d.blockNumber}</td>
                <td>
                  {d.status}
                  {d.note ? <span className="muted small"> ({d.note})</span> : null}
                  {d.status === 'reversed' ? (
                    <span className="muted small"> frozen {d.frozen}</span>
                  ) : null}
                </td>
                <td className="mono" title={d.txHash}>
                  {shortKey(d.txHash)}
                  {d.logIndex >= 0 ? `:${d.logIndex}` : null /* native coin: no log */}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

function ReconcileCard() {
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();
  const run = async () => {
    try {
      setReport(await call('admin.funding.reconcile', {}));
      setError(undefined);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <article className="card wide">
      <div className="row between">
        <h2>Reconciliation with the chain</h2>
        <button className="btn" onClick={() => void run()}>
          Reconcile now
        </button>
      </div>
      <p className="muted small">
        Every credited deposit and every settled withdrawal must be on chain as recorded; the
        deposit addresses plus the hot wallet must hold at least what users have (available + held)
        of each chain asset.
      </p>
      {error ? <p className="error-text">{error}</p> : null}
      {report && report.checks.length > 0 ? (
        <p className={report.ok ? 'ok-text' : 'error-text'} role="status">
          {report.ok
            ? `All ${report.checks.length} checks pass.`
            : `${report.checks.filter((c) => !c.ok).length} of ${report.checks.length} checks fail.`}
        </p>
      ) : null}
      {report ? (
        <ul aria-label="Reconciliation checks">
          {report.checks.map((c, i) => (
            <li key={i} className={c.ok ? 'ok-text' : 'error-text'}>
              {c.asset ? <strong>{c.asset}: </strong> : null}
              {c.message}
            </li>
          ))}
          {report.checks.length === 0 ? <li className="muted">No chain asset to check.</li> : null}
        </ul>
      ) : null}
    </article>
  );
}

/** Admin → Funding: chains, per-asset settings, deposits and reconciliation with the chain. */
export function FundingTab() {
  return (
    <div className="stack">
      <ChainsCard />
      <AssetsCard />
      <DepositsCard />
      <ReconcileCard />
    </div>
  );
}
