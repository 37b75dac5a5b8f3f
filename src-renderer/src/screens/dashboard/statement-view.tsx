import { useState } from 'react';
import { call, messageOf } from '../../stores/session';
import { signClass, when } from '../accounts/format';
import { useMoney } from './reference';
import { RoundTripTable, type TripRow } from './trade-stats';

/** The JSON statement `reports.pnl` answers (docs/guide/analytics.md). */
interface Line {
  accountName: string;
  venue: string;
  market: string;
  currency: string;
  trades: number;
  grossPnl: string;
  fees: string;
  netPnl: string;
}
interface Statement {
  from: number;
  to: number;
  generatedAt: number;
  accounts: Line[];
  markets: Line[];
  roundTrips: TripRow[];
}

function Lines({
  label,
  rows,
  first,
}: {
  label: string;
  rows: Line[];
  first: 'account' | 'market';
}) {
  const money = useMoney();
  return (
    <table className="table compact" aria-label={label}>
      <thead>
        <tr>
          <th>{first === 'account' ? 'Account' : 'Market'}</th>
          <th className="num">Trades</th>
          <th className="num">Gross</th>
          <th className="num">Fees</th>
          <th className="num">Net</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((l) => (
          <tr key={`${l.accountName}-${l.market}-${l.currency}`}>
            <td>{first === 'account' ? `${l.accountName} (${l.venue})` : l.market}</td>
            <td className="num">{l.trades}</td>
            <td className="num">{money(l.grossPnl, l.currency)}</td>
            <td className="num">{money(l.fees, l.currency)}</td>
            <td className={`num ${signClass(l.netPnl)}`}>
              {money(l.netPnl, l.currency)} {l.currency}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The period's P&L statement as a page to print (or save as PDF): per account, per market,
 * every round trip. The print style shows this page alone.
 */
function Printable({ s, onClose }: { s: Statement; onClose: () => void }) {
  return (
    <div className="print-statement" role="dialog" aria-label="P&L statement">
      <div className="print-statement-bar no-print">
        <button className="btn primary" type="button" onClick={() => window.print()}>
          Print
        </button>
        <button className="btn" type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <h1>P&amp;L statement</h1>
      <p className="muted">
        {when(s.from)} – {when(s.to)} · written {when(s.generatedAt)}
      </p>
      {s.accounts.length === 0 ? (
        <p>No round trips closed in this period.</p>
      ) : (
        <>
          <h2>By account</h2>
          <Lines label="Statement by account" rows={s.accounts} first="account" />
          <h2>By market</h2>
          <Lines label="Statement by market" rows={s.markets} first="market" />
          <h2>Round trips</h2>
          <RoundTripTable label="Statement round trips" trips={s.roundTrips} />
        </>
      )}
    </div>
  );
}

/** "Printable statement": reads the period's statement and shows it as a page to print. */
export function PrintableStatementButton({ range }: { range: () => { from: number; to: number } }) {
  const [shown, setShown] = useState<Statement | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const open = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const r = await call('reports.pnl', { ...range(), format: 'json' });
      setShown(JSON.parse(r.body) as Statement);
    } catch (err) {
      setProblem(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button className="btn" type="button" disabled={busy} onClick={() => void open()}>
        Printable statement
      </button>
      {problem ? (
        <p className="error-text small" role="alert">
          {problem}
        </p>
      ) : null}
      {shown ? <Printable s={shown} onClose={() => setShown(null)} /> : null}
    </>
  );
}
