import { useEffect, useMemo, useState } from 'react';
import type { OperationOutput } from '../../../../src-shared/contract';
import { client } from '../../client/client';
import { call, messageOf } from '../../stores/session';
import { CopyButton } from '../automation/copy-button';
import './deposit.css';

type FundingAsset = OperationOutput<'funding.assets'>['items'][number];
type Address = OperationOutput<'funding.depositAddress'>;
type Deposit = OperationOutput<'funding.deposits'>['items'][number];

const when = (ms: number) => new Date(ms).toLocaleString();
const short = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-6)}`;

const STATUS_TEXT: Record<Deposit['status'], string> = {
  pending: 'Confirming',
  credited: 'Credited',
  orphaned: 'Dropped by the chain',
  reversed: 'Reversed (frozen for review)',
  not_credited: 'Not credited',
};

const NOTE_TEXT: Record<string, string> = {
  deposits_disabled: 'deposits of this asset were switched off; an administrator will handle it',
  below_minor_unit: 'smaller than the smallest amount the ledger keeps',
  reorg: 'its block left the chain before it was confirmed; nothing was credited',
  reorg_after_credit: 'its block left the chain after it was credited',
};

const REASON_TEXT: Record<string, string> = {
  no_chain: 'cannot be deposited: no chain is set up for it.',
  chain_disabled: 'cannot be deposited right now: its chain is switched off.',
  no_xpub: 'cannot be deposited yet: its chain has no deposit key.',
  switched_off: 'deposits are switched off by the administrators.',
};

/** Newest first, one row per deposit id (a stream update replaces the row it names). */
function upsert(list: Deposit[], d: Deposit): Deposit[] {
  const rest = list.filter((x) => x.id !== d.id);
  return [d, ...rest].sort((a, b) => b.id - a.id);
}

/** One asset's address (keyed by asset: another asset starts from an empty panel). */
function AddressPanel(props: { asset: FundingAsset }) {
  const [address, setAddress] = useState<Address>();
  const [error, setError] = useState<string>();
  const { asset } = props;
  useEffect(() => {
    let live = true;
    if (!asset.deposits.enabled) return;
    call('funding.depositAddress', { asset: asset.asset }).then(
      (a) => live && setAddress(a),
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [asset]);
  if (!asset.deposits.enabled) {
    return (
      <p className="warn-text" role="status">
        {asset.asset} {REASON_TEXT[asset.deposits.reason ?? ''] ?? 'cannot be deposited.'}
      </p>
    );
  }
  if (error) return <p className="error-text">{error}</p>;
  if (!address) return <p className="muted">Preparing your address…</p>;
  return (
    <div className="deposit-address">
      <img className="qr" src={address.qr} alt={`QR code of ${address.address}`} />
      <div className="stack">
        <div>
          <div className="muted small">
            Your {address.asset} address on {address.chainName} (chain {address.chainId})
          </div>
          <code aria-label="Deposit address">{address.address}</code>{' '}
          <CopyButton text={address.address} label="Copy address" />
        </div>
        {address.tokenContract ? (
          <div className="muted small">
            Token contract <code>{address.tokenContract}</code>: send only this token.
          </div>
        ) : (
          <div className="muted small">Send only {address.asset} on this chain.</div>
        )}
        <div className="small">
          Credited after <strong>{address.confirmations}</strong> confirmation
          {address.confirmations === 1 ? '' : 's'}.
        </div>
      </div>
    </div>
  );
}

function DepositRows(props: { items: Deposit[] }) {
  if (props.items.length === 0) return <p className="muted">No deposits yet.</p>;
  return (
    <table className="table" aria-label="Deposits">
      <thead>
        <tr>
          <th>Seen</th>
          <th>Asset</th>
          <th className="num">Amount</th>
          <th className="num">Confirmations</th>
          <th>Status</th>
          <th>Transaction</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((d) => (
          <tr key={d.id}>
            <td>{when(d.tsSeen)}</td>
            <td>{d.asset}</td>
            <td className="num">
              {d.amount}
              {/^0*\.?0*$/.test(d.remainder) ? null : (
                <div className="muted small" title="finer than the ledger keeps: not credited">
                  +{d.remainder} not credited
                </div>
              )}
            </td>
            <td className="num">
              {d.status === 'pending' || d.status === 'credited'
                ? `${Math.min(d.confirmations, d.confirmationsNeeded)} / ${d.confirmationsNeeded}`
                : '–'}
            </td>
            <td>
              <span className={`badge deposit-${d.status}`}>{STATUS_TEXT[d.status]}</span>
              {d.note ? <div className="muted small">{NOTE_TEXT[d.note] ?? d.note}</div> : null}
              {d.status === 'reversed' ? (
                <div className="muted small">
                  {d.frozen} {d.asset} frozen
                </div>
              ) : null}
            </td>
            <td className="mono" title={d.txHash}>
              {short(d.txHash)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Deposit: pick an asset, see your address (copy, QR) and your deposits live. */
export function DepositCard() {
  const [assets, setAssets] = useState<FundingAsset[]>([]);
  const [chosen, setChosen] = useState('');
  const [deposits, setDeposits] = useState<Deposit[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    void Promise.all([call('funding.assets', {}), call('funding.deposits', { limit: 100 })]).then(
      ([a, d]) => {
        if (!live) return;
        setAssets(a.items);
        setDeposits(d.items);
        const first = a.items.find((x) => x.deposits.enabled) ?? a.items.find((x) => x.chainId);
        setChosen((c) => c || (first?.asset ?? ''));
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    const off = client.subscribe('deposits', (d) => setDeposits((prev) => upsert(prev, d)));
    return () => {
      live = false;
      off();
    };
  }, []);
  const onChain = useMemo(() => assets.filter((a) => a.chainId !== null), [assets]);
  const asset = assets.find((a) => a.asset === chosen);
  return (
    <article className="card wide" aria-label="Deposit">
      <div className="row between">
        <h2>Deposit</h2>
        {onChain.length > 0 ? (
          <label className="field inline">
            <span>Asset</span>
            <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
              {onChain.map((a) => (
                <option key={a.asset} value={a.asset}>
                  {a.asset}
                  {a.deposits.enabled ? '' : ' (off)'}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {error ? <p className="error-text">{error}</p> : null}
      {onChain.length === 0 && !error ? (
        <p className="muted" role="status">
          No asset can be deposited from a chain yet: an administrator sets up a chain and its
          assets in Admin → Funding.
        </p>
      ) : null}
      {asset && asset.chainId !== null ? <AddressPanel key={asset.asset} asset={asset} /> : null}
      <h3>Your deposits</h3>
      <DepositRows items={deposits} />
    </article>
  );
}
