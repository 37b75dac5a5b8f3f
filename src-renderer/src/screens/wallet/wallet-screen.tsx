import { useEffect, useRef, useState } from 'react';
import type { OperationOutput } from '../../../../src-shared/contract';
import { client } from '../../client/client';
import { BalancesTable } from '../../components/balances-table';
import { DemoFundsButton } from '../../components/demo-funds';
import { call, messageOf } from '../../stores/session';
import '../admin/admin.css';
import { DepositCard } from './deposit-card';
import { takeNewest } from './live-list';
import { StatementsCard } from './statements-card';
import { WithdrawCard } from './withdraw-card';

type Balance = OperationOutput<'balances.get'>['items'][number];
type Entry = OperationOutput<'ledger.entries'>['items'][number];

const when = (ms: number) => new Date(ms).toLocaleString();

const isZero = (s: string) => /^-?0*(\.0*)?$/.test(s);

function BalancesCard(props: { items: Balance[] }) {
  const rows = props.items.filter((b) => !isZero(b.available) || !isZero(b.held));
  return (
    <article className="card wide">
      <h2>Balances</h2>
      <p className="muted small">
        Demo funds top each currency up to a fixed allowance on this local exchange (shown in your
        ledger as “demo funds”); an administrator can also credit accounts from Admin → Ledger.
      </p>
      <DemoFundsButton />
      {rows.length === 0 ? (
        <p className="muted">No balances yet.</p>
      ) : (
        <BalancesTable items={rows} withTotal />
      )}
    </article>
  );
}

const KIND_TEXT: Record<string, string> = {
  funding: 'Funding',
  correction: 'Correction',
  order_hold: 'Order hold',
  order_release: 'Hold released',
  trade_settlement: 'Trade',
  deposit: 'Deposit',
  deposit_freeze: 'Deposit frozen (chain reorganised)',
  deposit_resolve: 'Frozen deposit resolved',
  withdrawal: 'Withdrawal',
};

function EntriesCard(props: { assets: string[] }) {
  const [asset, setAsset] = useState('');
  const [items, setItems] = useState<Entry[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<string>();
  const filter = asset ? { asset } : {};
  const shown = useRef<Entry[]>([]);
  useEffect(() => {
    shown.current = items;
  }, [items]);
  useEffect(() => {
    let live = true;
    call('ledger.entries', { ...(asset ? { asset } : {}), limit: 50 }).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setError(undefined);
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    // Every new entry on the user's accounts moves a balance: on a balance update, the newest
    // page is read again and taken in (takeNewest). Updates in a burst are read once.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer = undefined;
      call('ledger.entries', { ...(asset ? { asset } : {}), limit: 50 }).then(
        (page) => {
          const next = live ? takeNewest(shown.current, page) : undefined;
          if (!next) return;
          shown.current = next.items; // a second refresh in flight compares with this list
          setItems(next.items);
          if (next.restart) setCursor(next.cursor);
        },
        () => undefined, // the next update tries again; the list stays as it is
      );
    };
    const off = client.subscribe('balances', () => {
      timer ??= setTimeout(refresh, 250);
    });
    return () => {
      live = false;
      off();
      if (timer) clearTimeout(timer);
    };
  }, [asset]);
  const older = async () => {
    try {
      const page = await call('ledger.entries', { ...filter, cursor, limit: 50 });
      setItems((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <article className="card wide">
      <div className="row between">
        <h2>Ledger history</h2>
        <label className="field inline">
          <span>Asset</span>
          <select value={asset} onChange={(e) => setAsset(e.target.value)}>
            <option value="">All</option>
            {props.assets.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
      </div>
      {error ? <p className="error-text">{error}</p> : null}
      {items.length === 0 && !error ? <p className="muted">No ledger entries yet.</p> : null}
      {items.length > 0 ? (
        <table className="table" aria-label="Ledger entries">
          <thead>
            <tr>
              <th>Time</th>
              <th>Entry</th>
              <th>What</th>
              <th>Reference</th>
              <th>Postings on your accounts</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>{when(e.ts)}</td>
                <td className="num">#{e.id}</td>
                <td>
                  {KIND_TEXT[e.kind] ?? e.kind}
                  {e.reason ? <div className="muted small">{e.reason}</div> : null}
                </td>
                <td className="muted">
                  {e.refType} {e.refId}
                </td>
                <td>
                  {e.postings.map((p, i) => (
                    <div key={i} className={p.amount.startsWith('-') ? 'neg' : 'pos'}>
                      {p.amount.startsWith('-') ? '' : '+'}
                      {p.amount} {p.asset} <span className="muted">{p.purpose}</span>
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {cursor ? (
        <button className="btn" onClick={() => void older()}>
          Older entries
        </button>
      ) : null}
    </article>
  );
}

/** Balances (live from the `balances` stream) and the user's own journal entries. */
export function WalletScreen() {
  const [balances, setBalances] = useState<Balance[]>([]);
  const [assets, setAssets] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    void Promise.all([call('balances.get', {}), call('assets.list', {})]).then(
      ([b, a]) => {
        if (!live) return;
        setBalances(b.items);
        setAssets(a.items.map((x) => x.code));
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    const off = client.subscribe('balances', (b) => {
      setBalances((prev) => {
        const rest = prev.filter((x) => x.asset !== b.asset);
        return [...rest, b].sort((x, y) => x.asset.localeCompare(y.asset));
      });
    });
    return () => {
      live = false;
      off();
    };
  }, []);
  return (
    <section className="screen" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title">Wallet</h1>
      </header>
      {error ? <p className="error-text">{error}</p> : null}
      <div className="stack">
        <BalancesCard items={balances} />
        <DepositCard />
        <WithdrawCard />
        <EntriesCard assets={assets} />
        <StatementsCard />
        <p className="muted small">
          On-chain deposits and withdrawals work for the assets an administrator has put on a chain
          (Admin → Funding); payment providers are not part of this build. Demo funds and an
          administrator’s ledger entries are the other ways money comes in.
        </p>
      </div>
    </section>
  );
}
