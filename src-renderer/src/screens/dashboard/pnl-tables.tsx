import type { ReactNode } from 'react';
import { signClass, sourceLabel, type Summary } from './model';
import { useMoney } from './reference';

function Money({ v, currency }: { v: string | null; currency: string }) {
  const money = useMoney();
  return (
    <td className={`num ${signClass(v)}`}>
      {v === null ? '—' : `${money(v, currency)} ${currency}`}
    </td>
  );
}

function Table({ label, head, children }: { label: string; head: string[]; children: ReactNode }) {
  return (
    <table className="table compact" aria-label={label}>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={h} className={i === 0 ? '' : 'num'}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** Each account's figures, with the venue and what its figures can cover. */
function ByAccount({ s }: { s: Summary }) {
  const money = useMoney();
  return (
    <Table
      label="P&L by account"
      head={['Account', 'Today', 'Period', 'Fees', 'Trips', 'Unrealised', 'Open', 'Exposure']}
    >
      {s.accounts.map((a) => (
        <tr key={a.accountId}>
          <td>
            {a.name} <span className="muted small">{a.venue}</span>
            {a.coverage === 'positions' ? (
              <div className="muted small">open positions only</div>
            ) : null}
          </td>
          <Money v={a.realisedToday} currency={a.currency} />
          <Money v={a.realisedPeriod} currency={a.currency} />
          <td className="num">{money(a.feesPeriod, a.currency)}</td>
          <td className="num">{a.tradesPeriod}</td>
          <Money v={a.unrealised} currency={a.currency} />
          <td className="num">{a.openPositions}</td>
          <td className="num">{money(a.grossExposure, a.currency)}</td>
        </tr>
      ))}
    </Table>
  );
}

type Bucket = Summary['byVenue'][number];

function ByBucket({ label, first, rows }: { label: string; first: string; rows: Bucket[] }) {
  return (
    <Table label={label} head={[first, 'Today', 'Period', 'Trips', 'Unrealised']}>
      {rows.map((b) => (
        <tr key={`${b.key}-${b.currency}`}>
          <td>{b.key}</td>
          <Money v={b.realisedToday} currency={b.currency} />
          <Money v={b.realisedPeriod} currency={b.currency} />
          <td className="num">{b.tradesPeriod}</td>
          <Money v={b.unrealised} currency={b.currency} />
        </tr>
      ))}
    </Table>
  );
}

function BySource({ s }: { s: Summary }) {
  return (
    <Table label="P&L by source" head={['Source', 'Today', 'Period', 'Trips']}>
      {s.bySource.map((b) => (
        <tr key={`${b.key}-${b.currency}`}>
          <td>{sourceLabel(b.key)}</td>
          <Money v={b.realisedToday} currency={b.currency} />
          <Money v={b.realisedPeriod} currency={b.currency} />
          <td className="num">{b.tradesPeriod}</td>
        </tr>
      ))}
    </Table>
  );
}

/** Where the P&L comes from: accounts, venues, markets and who placed the orders. */
export function PnlTables({ summary }: { summary: Summary }) {
  return (
    <section className="card wide" aria-labelledby="dash-pnl-title">
      <h2 id="dash-pnl-title">P&amp;L breakdown</h2>
      {summary.accounts.length === 0 ? (
        <p className="muted">
          No trading accounts yet: create one under{' '}
          <a className="link" href="#/accounts">
            Accounts
          </a>
          .
        </p>
      ) : (
        <>
          <ByAccount s={summary} />
          <div className="dash-three">
            <div>
              <h3 className="bt-sub">By venue</h3>
              <ByBucket label="P&L by venue" first="Venue" rows={summary.byVenue} />
            </div>
            <div>
              <h3 className="bt-sub">By market</h3>
              <ByBucket label="P&L by market" first="Market" rows={summary.byMarket} />
            </div>
            <div>
              <h3 className="bt-sub">By source</h3>
              <BySource s={summary} />
            </div>
          </div>
        </>
      )}
    </section>
  );
}
