import { useEffect, useRef, useState } from 'react';
import { call } from '../../stores/session';
import { useBacktest, type Report } from '../../stores/backtest';
import { PriceChart } from './charts';
import { date, int } from './format';

/** The validation report of an import: counts, then issues row by row. */
export function ReportView({ report }: { report: Report }) {
  const counts = Object.entries(report.issueCounts);
  return (
    <div className="bt-report" aria-label="Validation report">
      <p>
        {int(report.rowsRead)} rows read · <strong>{int(report.rowsAccepted)} accepted</strong> ·{' '}
        <span className={report.rowsRejected > 0 ? 'error-text' : ''}>
          {int(report.rowsRejected)} rejected
        </span>{' '}
        · format {report.format.toUpperCase()} · gaps judged as {report.gapMode}
      </p>
      {counts.length > 0 ? (
        <p className="small">
          {counts.map(([code, n]) => (
            <span key={code} className="badge">
              {code} × {n}
            </span>
          ))}
        </p>
      ) : (
        <p className="ok-text">No problem found.</p>
      )}
      {report.issues.length > 0 && (
        <div className="bt-scroll">
          <table className="table compact" aria-label="Issues">
            <thead>
              <tr>
                <th>Row</th>
                <th>Severity</th>
                <th>Problem</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {report.issues.slice(0, 300).map((i, k) => (
                <tr key={k}>
                  <td className="num">{i.row === 0 ? 'file' : i.row}</td>
                  <td className={i.severity === 'error' ? 'error-text' : 'warn-text'}>
                    {i.severity === 'error' ? 'error (row dropped)' : 'warning'}
                  </td>
                  <td className="mono">{i.code}</td>
                  <td>{i.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {(report.issues.length > 300 || report.truncated) && (
            <p className="small muted">Only the first issues are listed; the counts include all.</p>
          )}
        </div>
      )}
    </div>
  );
}

const EXCHANGE_INTERVALS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;

/** A dataset from the candles the local exchange recorded. */
function FromExchange() {
  const { busy, fromExchange } = useBacktest();
  const [symbols, setSymbols] = useState<string[]>([]);
  const [symbol, setSymbol] = useState('');
  const [interval, setBarInterval] = useState<string>('1m');
  useEffect(() => {
    void call('markets.list', {}).then(
      (m) => {
        setSymbols(m.items.map((x) => x.symbol));
        setSymbol((s) => s || (m.items[0]?.symbol ?? ''));
      },
      () => setSymbols([]),
    );
  }, []);
  return (
    <form
      aria-label="Candles from the local exchange"
      className="bt-from-exchange"
      onSubmit={(e) => {
        e.preventDefault();
        void fromExchange({ name: `${symbol} ${interval} (local)`, symbol, interval });
      }}
    >
      <h3 className="bt-sub">Or use the candles the local exchange recorded</h3>
      <div className="row">
        <label className="field">
          <span>Market</span>
          <select value={symbol} onChange={(e) => setSymbol(e.target.value)}>
            {symbols.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Interval</span>
          <select value={interval} onChange={(e) => setBarInterval(e.target.value)}>
            {EXCHANGE_INTERVALS.map((i) => (
              <option key={i}>{i}</option>
            ))}
          </select>
        </label>
        <button className="btn" type="submit" disabled={busy || !symbol}>
          Make dataset
        </button>
      </div>
    </form>
  );
}

/** Dataset import (file picker) and the list of datasets. */
export function DatasetsPanel() {
  const { datasets, lastImport, importError, busy, importFile, clearImport, deleteDataset } =
    useBacktest();
  const candles = useBacktest((s) => s.candles);
  const loadCandles = useBacktest((s) => s.loadCandles);
  const [preview, setPreview] = useState<number | undefined>();
  const previewed = datasets.find((d) => d.id === preview);
  const file = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [adjust, setAdjust] = useState(false);
  const [picked, setPicked] = useState<File | undefined>();

  return (
    <div className="bt-datasets">
      <section className="card" aria-labelledby="bt-import-title">
        <h2 id="bt-import-title">Import candles</h2>
        <p className="small muted">
          CSV <span className="mono">Date,Open,High,Low,Close,Volume[,OpenInterest]</span> (a
          separate Time column and <span className="mono">Adj Close</span> are understood) or a JSON
          array of <span className="mono">[ms, open, high, low, close, volume]</span>.
        </p>
        <form
          aria-label="Import candles"
          onSubmit={(e) => {
            e.preventDefault();
            if (!picked) return;
            void picked.text().then((text) => importFile(name || picked.name, text, adjust));
          }}
        >
          <label className="field">
            <span>File</span>
            <input
              ref={file}
              type="file"
              accept=".csv,.txt,.json,text/csv,application/json"
              onChange={(e) => {
                const f = e.target.files?.[0];
                setPicked(f);
                clearImport();
                if (f && !name) setName(f.name.replace(/\.[^.]+$/, ''));
              }}
            />
          </label>
          <label className="field">
            <span>Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} />
          </label>
          <label className="bt-check">
            <input type="checkbox" checked={adjust} onChange={(e) => setAdjust(e.target.checked)} />
            Use Adj Close (scale prices for splits and dividends)
          </label>
          <div className="row">
            <button className="btn primary" type="submit" disabled={!picked || busy}>
              {busy ? 'Importing…' : 'Import'}
            </button>
          </div>
        </form>
        <FromExchange />
        {importError && (
          <div role="alert">
            <p className="error-text">{importError.message}</p>
            {importError.report && <ReportView report={importError.report} />}
          </div>
        )}
        {lastImport && (
          <div role="status">
            <p className="ok-text">
              Imported “{lastImport.dataset.name}”: {int(lastImport.dataset.barCount)} bars (
              {lastImport.dataset.interval ?? '?'}), {date(lastImport.dataset.firstTime)} →{' '}
              {date(lastImport.dataset.lastTime)}.
            </p>
            <ReportView report={lastImport.report} />
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="bt-ds-title">
        <h2 id="bt-ds-title">Datasets</h2>
        {datasets.length === 0 ? (
          <p className="muted">No dataset yet: import a file.</p>
        ) : (
          <table className="table compact bt-nowrap" aria-label="Datasets">
            <thead>
              <tr>
                <th>Name</th>
                <th>Bars</th>
                <th>Interval</th>
                <th>Range</th>
                <th>Issues</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {datasets.map((d) => (
                <tr key={d.id}>
                  <td>{d.name}</td>
                  <td className="num">{int(d.barCount)}</td>
                  <td>{d.interval ?? '—'}</td>
                  <td className="bt-wrap">
                    {date(d.firstTime, (d.intervalMs ?? 86_400_000) < 86_400_000)} →{' '}
                    {date(d.lastTime, (d.intervalMs ?? 86_400_000) < 86_400_000)}
                  </td>
                  <td className="num">{int(d.issueCount)}</td>
                  <td className="actions">
                    <button
                      className="btn small"
                      type="button"
                      onClick={() => {
                        setPreview(d.id);
                        void loadCandles(d.id);
                      }}
                    >
                      Preview
                    </button>
                    <button
                      className="btn small danger"
                      type="button"
                      onClick={() => {
                        if (window.confirm(`Delete dataset “${d.name}”?`)) void deleteDataset(d.id);
                      }}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {previewed && (
          <div className="bt-preview">
            <h3 className="bt-sub">
              {previewed.name} · {int(previewed.barCount)} bars
            </h3>
            {candles[previewed.id] ? (
              <PriceChart candles={candles[previewed.id]!} label={`Preview of ${previewed.name}`} />
            ) : (
              <p className="muted">Loading…</p>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
