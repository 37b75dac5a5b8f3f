import { useCallback, useEffect, useState } from 'react';
import { useAccounts, type TradingAccount } from '../../stores/accounts';
import { useAutomation } from '../../stores/automation';
import { useBrokers } from '../../stores/brokers';
import { CopyButton, hookUrl } from '../automation/copy-button';
import { useAssetScales } from './asset-scales';
import { BrokerPanel, ConnectionBadge } from './broker-panel';
import { FreshConnectionBanner } from './connection-report';
import { signClass } from './format';
import { usePaperInstruments } from './instrument-spec';
import { PaperDetail } from './paper-detail';
import { CreateForm, type CurrencyAsk } from './venue-form';
import './accounts.css';

function FreshTokenBanner() {
  const { fresh, dismissToken } = useAccounts();
  const base = useAutomation((s) => s.receiver?.localBaseUrl) ?? window.location.origin;
  if (!fresh) return null;
  const url = hookUrl(base, fresh.token);
  return (
    <div className="card accounts-token" role="status" aria-label="Webhook URL">
      <div>
        <strong>Webhook URL of {fresh.accountName}</strong>
        <div className="small muted">
          Shown once: Bourse keeps only a hash of the token. Paste it into the TradingView alert
          (through a tunnel — see Automation).
        </div>
        <div className="mono accounts-url">{url}</div>
      </div>
      <div className="accounts-token-actions">
        <CopyButton text={url} label="Copy URL" />
        <button className="btn small" type="button" onClick={dismissToken}>
          Done
        </button>
      </div>
    </div>
  );
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** A broker account's figures in the list: its connection and what it holds. */
function BrokerSummary({ a }: { a: TradingAccount }) {
  const s = useBrokers((st) => st.states[a.id]);
  return (
    <span className="small">
      <ConnectionBadge state={a.enabled ? s?.connection : 'disabled'} />
      {s
        ? ` ${plural(s.positions.length, 'position')} · ${plural(s.orders.length, 'order')}`
        : null}
    </span>
  );
}

/** A paper account's figures; `unit`: its currency, when the column's title does not say it. */
function Summary(props: { a: TradingAccount; external: boolean; unit?: string | undefined }) {
  const { a, external, unit } = props;
  const s = a.summary;
  if (external) return <BrokerSummary a={a} />;
  if (!s) return <span className="muted small">spot balances (Wallet)</span>;
  return (
    <dl className="accounts-figures">
      <div>
        <dt>Balance{unit ? ` (${unit})` : ''}</dt>
        <dd className="num">{s.balance}</dd>
      </div>
      <div>
        <dt>Equity</dt>
        <dd className="num">{s.equity}</dd>
      </div>
      <div>
        <dt>Unrealised</dt>
        <dd className={`num ${signClass(s.unrealisedPnl)}`}>{s.unrealisedPnl}</dd>
      </div>
      <div>
        <dt>Margin used</dt>
        <dd className="num">{s.marginUsed}</dd>
      </div>
      <div>
        <dt>Free margin</dt>
        <dd className="num">{s.freeMargin}</dd>
      </div>
      <div>
        <dt>Margin level</dt>
        <dd className={`num ${s.marginState !== 'ok' ? 'loss' : ''}`}>
          {s.marginLevelPct === null ? '—' : `${s.marginLevelPct} %`}
          {s.marginState === 'margin_call' ? ' · margin call' : ''}
        </dd>
      </div>
    </dl>
  );
}

function AccountsTable() {
  const { accounts, venues, selectedId, busy, select, update, regenerate, remove, sync } =
    useAccounts();
  const { error, errorAbout } = useAccounts();
  const isExternal = (a: TradingAccount) =>
    venues.find((v) => v.venue === a.venue)?.external === true;
  // One currency: the column's title says it; several (paper accounts in USDT and USD): each row.
  const oneCurrency = new Set(accounts.map((a) => a.baseCurrency)).size === 1;
  if (accounts.length === 0) {
    return (
      <p className="muted">
        No trading accounts yet. A paper account gives you a simulated broker with leverage on
        Bourse&apos;s own markets; a local account trades your spot balances.
      </p>
    );
  }
  return (
    <table className="table" aria-label="Trading accounts">
      <thead>
        <tr>
          <th>Account</th>
          <th>Venue</th>
          <th>Token</th>
          <th>Figures{oneCurrency ? ` (${accounts[0]?.baseCurrency})` : ''}</th>
          <th>Enabled</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {accounts.map((a) => (
          <tr key={a.id} className={a.id === selectedId ? 'accounts-selected' : ''}>
            <td>
              <button type="button" className="btn-link" onClick={() => void select(a.id)}>
                {a.name}
              </button>
            </td>
            <td>
              {a.venue} · {a.mode}
            </td>
            <td className="mono">…{a.tokenHint}</td>
            <td>
              <Summary
                a={a}
                external={isExternal(a)}
                unit={oneCurrency ? undefined : a.baseCurrency}
              />
            </td>
            <td>
              <input
                type="checkbox"
                aria-label={`Enable ${a.name}`}
                checked={a.enabled}
                disabled={busy}
                onChange={(e) => void update({ id: a.id, enabled: e.target.checked })}
              />
            </td>
            <td className="actions">
              <button
                className="btn small"
                type="button"
                disabled={busy}
                onClick={() => void sync(a.id)}
              >
                Sync
              </button>
              <button
                className="btn small"
                type="button"
                disabled={busy}
                onClick={() => {
                  if (
                    window.confirm(
                      `Issue a new webhook token for ${a.name}? The old URL stops working.`,
                    )
                  )
                    void regenerate(a.id);
                }}
              >
                New token
              </button>
              <button
                className="btn small danger"
                type="button"
                disabled={busy}
                onClick={() => {
                  const also = isExternal(a)
                    ? ' Its credentials are removed from the keychain.'
                    : '';
                  if (window.confirm(`Delete ${a.name}?${also}`)) void remove(a.id);
                }}
              >
                Delete
              </button>
              {error && errorAbout === a.id && !(a.id === selectedId && isExternal(a)) ? (
                <div className="error-text small accounts-row-error" role="alert">
                  {error}
                </div>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Trading accounts: venues, webhook tokens, the paper broker's positions and fills, and broker
 * accounts live (connection, balances, positions, orders).
 */
export function AccountsScreen() {
  const { accounts, venues, selectedId, error, errorAbout, notice, load, refreshSelected } =
    useAccounts();
  const live = useBrokers((s) => s.live);
  // Broker accounts change when their broker says so: the `brokers` stream, not polling.
  useEffect(() => live(), [live]);
  const loadReceiver = useAutomation((s) => s.load);
  useEffect(() => {
    void load();
    void loadReceiver();
  }, [load, loadReceiver]);
  // Paper positions are marked to the moving local book: re-read them while the screen is open
  // (refreshSelected does nothing for a broker account).
  useEffect(() => {
    const timer = setInterval(() => void refreshSelected(), 5000);
    return () => clearInterval(timer);
  }, [refreshSelected]);
  const selected = accounts.find((a) => a.id === selectedId);
  const external = venues.find((v) => v.venue === selected?.venue)?.external === true;
  // The paper broker's markets: the ticket's (re-read while a paper account is open) and the
  // currencies the form offers a paper account.
  const instruments = usePaperInstruments(selected?.venue === 'paper');
  const scales = useAssetScales();
  // The ticket's "New paper account in USD": the form below opens on that currency.
  const [ask, setAsk] = useState<CurrencyAsk>();
  const accountIn = useCallback((currency: string) => setAsk({ currency, at: Date.now() }), []);
  // Every broker account's state once (the list shows its connection); the stream keeps it.
  const loadState = useBrokers((s) => s.loadState);
  const externalIds = accounts
    .filter((a) => venues.find((v) => v.venue === a.venue)?.external)
    .map((a) => a.id)
    .join(' ');
  useEffect(() => {
    const known = useBrokers.getState().states;
    for (const id of externalIds.split(' ')) if (id && !known[id]) void loadState(id);
  }, [externalIds, loadState]);
  return (
    <section className="screen accounts" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title">Accounts</h1>
      </header>
      {error && !errorAbout ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {notice ? <p className="ok-text">{notice}</p> : null}
      <FreshTokenBanner />
      <FreshConnectionBanner />
      <div className="accounts-grid">
        <article className="card wide accounts-list" aria-labelledby="accounts-title">
          <h2 id="accounts-title">Your trading accounts</h2>
          <AccountsTable />
        </article>
        {selected?.venue === 'paper' ? (
          <PaperDetail a={selected} instruments={instruments} onAccountIn={accountIn} />
        ) : null}
        {selected && external ? <BrokerPanel key={selected.id} a={selected} /> : null}
        <CreateForm markets={instruments} scales={scales} ask={ask} />
      </div>
    </section>
  );
}
