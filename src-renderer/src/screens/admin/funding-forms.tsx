import { useState, type FormEvent } from 'react';
import type { OperationInput, OperationOutput } from '../../../../src-shared/contract';
import { call, messageOf } from '../../stores/session';

type Chain = OperationOutput<'admin.funding.chains'>['items'][number];
type AssetFunding = OperationOutput<'admin.funding.assets'>['items'][number];
export type Status = { ok: boolean; text: string } | undefined;

const int = (s: string) => (s.trim() === '' ? undefined : Number(s));

/** Create or change a chain. The RPC URL is write-only: left empty, the stored one is kept. */
export function ChainForm(props: { chain?: Chain; onSaved: (s: Status) => void }) {
  const c = props.chain;
  const [chainId, setChainId] = useState(c ? String(c.chainId) : '');
  const [name, setName] = useState(c?.name ?? '');
  const [rpcUrl, setRpcUrl] = useState('');
  const [xpub, setXpub] = useState(c?.xpub ?? '');
  const [pollMs, setPollMs] = useState(String(c?.pollMs ?? 4000));
  const [maxBlocks, setMaxBlocks] = useState(String(c?.maxBlocksPerPoll ?? 500));
  const [startBlock, setStartBlock] = useState('');
  const [enabled, setEnabled] = useState(c?.enabled ?? true);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input: OperationInput<'admin.funding.chainSet'> = {
      chainId: Number(chainId),
      name,
      pollMs: Number(pollMs),
      maxBlocksPerPoll: Number(maxBlocks),
      enabled,
      xpub: xpub.trim() === '' ? null : xpub.trim(),
      ...(rpcUrl.trim() ? { rpcUrl: rpcUrl.trim() } : {}),
      ...(int(startBlock) !== undefined ? { startBlock: int(startBlock) } : {}),
    };
    try {
      const saved = await call('admin.funding.chainSet', input);
      props.onSaved({ ok: true, text: `Chain ${saved.chainId} (${saved.name}) saved` });
    } catch (err) {
      props.onSaved({ ok: false, text: messageOf(err) });
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Chain settings" className="stack">
      <div className="row wrap">
        <label className="field">
          <span>Chain id</span>
          <input
            inputMode="numeric"
            value={chainId}
            onChange={(e) => setChainId(e.target.value)}
            disabled={c !== undefined}
            required
          />
        </label>
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label className="field">
          <span>Poll every (ms)</span>
          <input inputMode="numeric" value={pollMs} onChange={(e) => setPollMs(e.target.value)} />
        </label>
        <label className="field">
          <span>Blocks per poll</span>
          <input
            inputMode="numeric"
            value={maxBlocks}
            onChange={(e) => setMaxBlocks(e.target.value)}
          />
        </label>
        {c ? null : (
          <label className="field">
            <span>Start block (default: head)</span>
            <input
              inputMode="numeric"
              value={startBlock}
              onChange={(e) => setStartBlock(e.target.value)}
            />
          </label>
        )}
        <label className="field inline">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          <span>Enabled</span>
        </label>
      </div>
      <label className="field">
        <span>
          RPC URL {c ? `(stored for ${c.rpcHost ?? '?'}; leave empty to keep it)` : ''} — kept in
          the secret store
        </span>
        <input
          type="password"
          autoComplete="off"
          value={rpcUrl}
          onChange={(e) => setRpcUrl(e.target.value)}
          required={c === undefined}
          placeholder="https://…"
        />
      </label>
      <label className="field">
        <span>Account xpub (m/44'/60'/0', watch-only; deposit addresses are its 0/i)</span>
        <input value={xpub} onChange={(e) => setXpub(e.target.value)} placeholder="xpub…" />
      </label>
      <button className="btn primary" type="submit">
        Save chain
      </button>
    </form>
  );
}

/** Set an asset's chain, token, confirmations, switches, fee and limits. */
export function AssetFundingForm(props: {
  assets: string[];
  chains: Chain[];
  current?: AssetFunding;
  onSaved: (s: Status) => void;
}) {
  const a = props.current;
  const [asset, setAsset] = useState(a?.asset ?? props.assets[0] ?? '');
  const [chainId, setChainId] = useState(String(a?.chainId ?? props.chains[0]?.chainId ?? ''));
  const [token, setToken] = useState(a?.tokenContract ?? '');
  const [decimals, setDecimals] = useState(String(a?.tokenDecimals ?? 18));
  const [confirmations, setConfirmations] = useState(String(a?.confirmations ?? 12));
  const [deposits, setDeposits] = useState(a?.depositsEnabled ?? false);
  const [withdrawals, setWithdrawals] = useState(a?.withdrawalsEnabled ?? false);
  const [fee, setFee] = useState(a?.withdrawalFee ?? '0');
  const [min, setMin] = useState(a?.withdrawalMin ?? '0');
  const [auto, setAuto] = useState(a?.autoApproveLimit ?? '0');
  const [dual, setDual] = useState(a?.dualApprovalLimit ?? '');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const saved = await call('admin.funding.assetSet', {
        asset,
        chainId: Number(chainId),
        tokenContract: token.trim() === '' ? null : token.trim(),
        tokenDecimals: Number(decimals),
        confirmations: Number(confirmations),
        depositsEnabled: deposits,
        withdrawalsEnabled: withdrawals,
        withdrawalFee: fee,
        withdrawalMin: min,
        autoApproveLimit: auto,
        dualApprovalLimit: dual.trim() === '' ? null : dual.trim(),
      });
      props.onSaved({ ok: true, text: `${saved.asset} funding settings saved` });
    } catch (err) {
      props.onSaved({ ok: false, text: messageOf(err) });
    }
  };
  const field = (label: string, value: string, set: (v: string) => void) => (
    <label className="field">
      <span>{label}</span>
      <input inputMode="decimal" value={value} onChange={(e) => set(e.target.value)} />
    </label>
  );
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Asset funding settings" className="stack">
      <div className="row wrap">
        <label className="field">
          <span>Asset</span>
          <select value={asset} onChange={(e) => setAsset(e.target.value)} disabled={!!a}>
            {props.assets.map((code) => (
              <option key={code}>{code}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Chain</span>
          <select value={chainId} onChange={(e) => setChainId(e.target.value)}>
            {props.chains.map((c) => (
              <option key={c.chainId} value={c.chainId}>
                {c.name} ({c.chainId})
              </option>
            ))}
          </select>
        </label>
        {field('Token decimals', decimals, setDecimals)}
        {field('Confirmations', confirmations, setConfirmations)}
      </div>
      <label className="field">
        <span>Token contract (empty: the chain's native coin)</span>
        <input value={token} onChange={(e) => setToken(e.target.value)} placeholder="0x…" />
      </label>
      <div className="row wrap">
        {field('Withdrawal fee', fee, setFee)}
        {field('Withdrawal minimum', min, setMin)}
        {field('Auto-approve up to', auto, setAuto)}
        {field('Two admins above (empty: never)', dual, setDual)}
      </div>
      <div className="row wrap">
        <label className="field inline">
          <input
            type="checkbox"
            checked={deposits}
            onChange={(e) => setDeposits(e.target.checked)}
          />
          <span>Deposits on</span>
        </label>
        <label className="field inline">
          <input
            type="checkbox"
            checked={withdrawals}
            onChange={(e) => setWithdrawals(e.target.checked)}
          />
          <span>Withdrawals on</span>
        </label>
      </div>
      <button className="btn primary" type="submit" disabled={props.chains.length === 0}>
        Save asset settings
      </button>
    </form>
  );
}
