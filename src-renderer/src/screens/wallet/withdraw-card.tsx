import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { OperationOutput } from '../../../../src-shared/contract';
import { client } from '../../client/client';
import { Outcome } from '../../components/outcome';
import { call, messageOf } from '../../stores/session';

type Address = OperationOutput<'withdrawalAddresses.list'>['items'][number];
type AssetOption = OperationOutput<'withdrawals.assets'>['items'][number];
type Withdrawal = OperationOutput<'withdrawals.list'>['items'][number];

const STATUS_TEXT: Record<Withdrawal['status'], string> = {
  pending_approval: 'Waiting for approval',
  approved: 'Approved, sending soon',
  signed: 'Signed',
  sent: 'Sent',
  mined: 'In a block',
  confirmed: 'Completed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  failed: 'Failed on chain',
};

/** "in 23 h 5 min" until a time, or null once it has passed. */
function remaining(ts: number, now: number): string | null {
  const ms = ts - now;
  if (ms <= 0) return null;
  const minutes = Math.ceil(ms / 60_000);
  const h = Math.floor(minutes / 60);
  return h > 0 ? `in ${h} h ${minutes % 60} min` : `in ${minutes} min`;
}

const short = (hex: string) => `${hex.slice(0, 10)}…${hex.slice(-6)}`;

function AddressBook(props: {
  items: Address[];
  chains: number[];
  now: number;
  onChange: () => void;
}) {
  const [address, setAddress] = useState('');
  const [label, setLabel] = useState('');
  const [chain, setChain] = useState<number>();
  const chainId = chain ?? props.chains[0];
  const [outcome, setOutcome] = useState<{ error?: string; notice?: string }>({});
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (chainId === undefined) return;
    try {
      const a = await call('withdrawalAddresses.add', { chainId, address, label });
      setOutcome({
        notice: `Added ${a.label}; usable ${remaining(a.tsUsable, Date.now()) ?? 'now'}.`,
      });
      setAddress('');
      setLabel('');
      props.onChange();
    } catch (err) {
      setOutcome({ error: messageOf(err) });
    }
  };
  const remove = async (id: string) => {
    try {
      await call('withdrawalAddresses.remove', { id });
      props.onChange();
    } catch (err) {
      setOutcome({ error: messageOf(err) });
    }
  };
  return (
    <div className="stack">
      <h3>Address book</h3>
      {props.items.length === 0 ? (
        <p className="muted">No addresses yet. New addresses can be used after a cool-off.</p>
      ) : (
        <table className="table" aria-label="Withdrawal addresses">
          <thead>
            <tr>
              <th>Label</th>
              <th>Address</th>
              <th>Usable</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.items.map((a) => (
              <tr key={a.id}>
                <td>{a.label}</td>
                <td className="mono small">{a.address}</td>
                <td>{remaining(a.tsUsable, props.now) ?? <span className="badge ok">now</span>}</td>
                <td>
                  <button className="btn small" type="button" onClick={() => void remove(a.id)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="row wrap withdraw-form"
        onSubmit={(e) => void add(e)}
        aria-label="Add address"
      >
        {props.chains.length > 1 ? (
          <label className="field">
            <span>Chain</span>
            <select value={chainId} onChange={(e) => setChain(Number(e.target.value))}>
              {props.chains.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="field">
          <span>Address</span>
          <input
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder="0x…"
            required
            size={44}
          />
        </label>
        <label className="field">
          <span>Label</span>
          <input value={label} onChange={(e) => setLabel(e.target.value)} required maxLength={64} />
        </label>
        <button className="btn" type="submit" disabled={chainId === undefined}>
          Add address
        </button>
      </form>
      <Outcome {...outcome} />
    </div>
  );
}

function RequestForm(props: {
  assets: AssetOption[];
  addresses: Address[];
  now: number;
  onDone: () => void;
}) {
  const [asset, setAsset] = useState('');
  const [amount, setAmount] = useState('');
  const [addressId, setAddressId] = useState('');
  const [code, setCode] = useState('');
  const [outcome, setOutcome] = useState<{ error?: string; notice?: string }>({});
  const chosen = props.assets.find((a) => a.asset === asset) ?? props.assets[0];
  const usable = props.addresses.filter((a) => a.chainId === chosen?.chainId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    try {
      const w = await call('withdrawals.request', {
        clientRequestId: crypto.randomUUID(),
        asset: chosen.asset,
        amount,
        addressId: addressId || (usable[0]?.id ?? ''),
        code,
      });
      setOutcome({ notice: `Request sent: ${w.amount} ${w.asset}. Its status is below.` });
      setAmount('');
      setCode('');
      props.onDone();
    } catch (err) {
      setOutcome({ error: messageOf(err) });
    }
  };
  if (!chosen)
    return <p className="muted">No asset can be withdrawn to a chain on this exchange yet.</p>;
  const off = !chosen.enabled
    ? `Withdrawals of ${chosen.asset} are switched off by the operator.`
    : !chosen.ready
      ? `Withdrawals of ${chosen.asset} are not set up yet (no hot wallet).`
      : null;
  return (
    <form
      className="stack withdraw-form"
      onSubmit={(e) => void submit(e)}
      aria-label="Request a withdrawal"
    >
      <h3>Request a withdrawal</h3>
      <div className="row wrap">
        <label className="field">
          <span>Asset</span>
          <select value={chosen.asset} onChange={(e) => setAsset(e.target.value)}>
            {props.assets.map((a) => (
              <option key={a.asset}>{a.asset}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Amount</span>
          <input
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            inputMode="decimal"
            required
            disabled={!!off}
          />
        </label>
        <label className="field">
          <span>To</span>
          <select value={addressId} onChange={(e) => setAddressId(e.target.value)} disabled={!!off}>
            {usable.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}{' '}
                {remaining(a.tsUsable, props.now)
                  ? `(usable ${remaining(a.tsUsable, props.now)})`
                  : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>2FA code</span>
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="one-time-code"
            inputMode="numeric"
            size={8}
            disabled={!!off}
          />
        </label>
        <button className="btn primary" type="submit" disabled={!!off || usable.length === 0}>
          Withdraw
        </button>
      </div>
      {off ? (
        <p className="error-text" role="status">
          {off}
        </p>
      ) : (
        <p className="muted small">
          Fee {chosen.fee} {chosen.asset} on top of the amount · minimum {chosen.min} {chosen.asset}{' '}
          · final after {chosen.confirmations} confirmations. Larger amounts wait for an
          administrator’s approval.
        </p>
      )}
      <Outcome {...outcome} />
    </form>
  );
}

function WithdrawalsTable(props: { items: Withdrawal[]; onCancel: (id: string) => void }) {
  if (props.items.length === 0) return <p className="muted">No withdrawals yet.</p>;
  return (
    <table className="table" aria-label="Your withdrawals">
      <thead>
        <tr>
          <th>Time</th>
          <th>Amount</th>
          <th>To</th>
          <th>Status</th>
          <th>Confirmations</th>
          <th>Transaction</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.items.map((w) => (
          <tr key={w.id}>
            <td>{new Date(w.tsCreated).toLocaleString()}</td>
            <td className="num">
              {w.amount} {w.asset}
              <div className="muted small">fee {w.fee}</div>
            </td>
            <td className="mono small">{short(w.toAddress)}</td>
            <td>
              {STATUS_TEXT[w.status]}
              {w.status === 'pending_approval' ? (
                <div className="muted small">
                  {w.approvals} of {w.approvalsRequired} approvals
                </div>
              ) : null}
              {w.reason ? <div className="muted small">{w.reason}</div> : null}
            </td>
            <td className="num">
              {w.txHash
                ? `${Math.min(w.confirmations, w.confirmationsRequired)} / ${w.confirmationsRequired}`
                : '–'}
            </td>
            <td className="mono small">{w.txHash ? short(w.txHash) : '–'}</td>
            <td>
              {w.status === 'pending_approval' || w.status === 'approved' ? (
                <button className="btn small" type="button" onClick={() => props.onCancel(w.id)}>
                  Cancel
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Withdrawals to a chain: the address book (with each new address's cool-off), the request
 * form (fee, minimum, 2FA code) and the user's withdrawals, live from the `withdrawals` stream.
 */
export function WithdrawCard() {
  const [addresses, setAddresses] = useState<Address[]>([]);
  const [assets, setAssets] = useState<AssetOption[]>([]);
  const [items, setItems] = useState<Withdrawal[]>([]);
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(() => Date.now());
  const load = useCallback(() => {
    Promise.all([
      call('withdrawalAddresses.list', {}),
      call('withdrawals.assets', {}),
      call('withdrawals.list', {}),
    ]).then(
      ([a, s, w]) => {
        setAddresses(a.items);
        setAssets(s.items);
        setItems(w.items);
        setError(undefined);
      },
      (err: unknown) => setError(messageOf(err)),
    );
  }, []);
  useEffect(() => {
    load();
    const off = client.subscribe('withdrawals', (w) =>
      setItems((prev) =>
        prev.some((x) => x.id === w.id) ? prev.map((x) => (x.id === w.id ? w : x)) : [w, ...prev],
      ),
    );
    // The cool-off countdown moves once a minute.
    const tick = setInterval(() => setNow(Date.now()), 60_000);
    return () => {
      off();
      clearInterval(tick);
    };
  }, [load]);
  const cancel = (id: string) => {
    call('withdrawals.cancel', { id }).then(load, (err: unknown) => setError(messageOf(err)));
  };
  return (
    <article className="card wide" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">Withdraw</h2>
      {error ? <p className="error-text">{error}</p> : null}
      <RequestForm assets={assets} addresses={addresses} now={now} onDone={load} />
      <h3>Your withdrawals</h3>
      <WithdrawalsTable items={items} onCancel={cancel} />
      <AddressBook
        items={addresses}
        chains={[...new Set(assets.map((a) => a.chainId))]}
        now={now}
        onChange={load}
      />
    </article>
  );
}
