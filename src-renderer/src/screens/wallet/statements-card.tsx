import { useState } from 'react';
import { saveFile } from '../../client/download';
import { Outcome } from '../../components/outcome';
import { call, messageOf } from '../../stores/session';
import {
  STATEMENT_MAX,
  ledgerCsv,
  ledgerIn,
  periodOf,
  statementName,
  tradesCsv,
  tradesIn,
  type Statement,
} from './statements';

type Kind = 'trades' | 'ledger';
const KINDS: Array<[Kind, string]> = [
  ['trades', 'Trades'],
  ['ledger', 'Ledger'],
];

const noun = (kind: Kind, n: number) =>
  kind === 'trades' ? `${n === 1 ? 'trade' : 'trades'}` : `${n === 1 ? 'entry' : 'entries'}`;

/** Downloads the user's trades or journal over a period as CSV, for records and tax tools. */
export function StatementsCard() {
  const [fromDate, setFromDate] = useState('');
  const [toDate, setToDate] = useState('');
  const [busy, setBusy] = useState<Kind>();
  const [outcome, setOutcome] = useState<{ notice?: string; error?: string }>({});

  const changeFrom = (v: string) => {
    setFromDate(v);
    setOutcome({});
  };
  const changeTo = (v: string) => {
    setToDate(v);
    setOutcome({});
  };

  const exportCsv = async (kind: Kind) => {
    const period = periodOf(fromDate, toDate);
    if ('error' in period) {
      setOutcome({ error: period.error });
      return;
    }
    setBusy(kind);
    setOutcome({});
    try {
      let rows: Statement<unknown>;
      let csv: string;
      if (kind === 'trades') {
        const s = await tradesIn(period, (input) => call('trades.list', input));
        [rows, csv] = [s, tradesCsv(s.items)];
      } else {
        const s = await ledgerIn(period, (input) => call('ledger.entries', input));
        [rows, csv] = [s, ledgerCsv(s.items)];
      }
      const n = rows.items.length;
      if (n === 0) {
        setOutcome({ notice: `No ${noun(kind, 0)} in this period: nothing to export.` });
        return;
      }
      saveFile(statementName(kind, fromDate, toDate), csv, 'text/csv');
      setOutcome({
        notice: rows.complete
          ? `Exported ${n.toLocaleString()} ${noun(kind, n)}.`
          : `Exported the first ${STATEMENT_MAX.toLocaleString()} ${noun(kind, n)} of the period; set "From" after the last one for the rest.`,
      });
    } catch (err) {
      setOutcome({ error: messageOf(err) });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <article className="card wide" aria-labelledby="statements-title">
      <h2 id="statements-title">Statements</h2>
      <p className="muted small">
        Your trades, or every movement on your accounts, as CSV for your records or tax software:
        oldest first, times in UTC, amounts exactly as the ledger holds them. Leave a date empty for
        no limit on that side; days are your local days.
      </p>
      <div className="row wrap">
        <label className="field inline">
          <span>From</span>
          <input type="date" value={fromDate} onChange={(e) => changeFrom(e.target.value)} />
        </label>
        <label className="field inline">
          <span>To</span>
          <input type="date" value={toDate} onChange={(e) => changeTo(e.target.value)} />
        </label>
        {KINDS.map(([kind, label]) => (
          <button
            key={kind}
            type="button"
            className="btn"
            disabled={busy !== undefined}
            onClick={() => void exportCsv(kind)}
          >
            {busy === kind ? `Exporting ${kind}…` : `${label} CSV`}
          </button>
        ))}
      </div>
      <Outcome {...outcome} />
    </article>
  );
}
