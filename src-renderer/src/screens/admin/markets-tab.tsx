import { useState } from 'react';
import { MARKET_STATUSES, type OperationOutput } from '../../../../src-shared/contract';
import { call, messageOf } from '../../stores/session';
import { useLoad } from './hooks';

type Market = OperationOutput<'markets.list'>['items'][number];

const pct = (ppm: number) => `${(ppm / 10_000).toFixed(2)} %`;

/** Markets: status (trading, halted, cancel-only), fees, band and minimum sizes. */
export function MarketsTab() {
  const [data, error, reload] = useLoad(() => call('markets.list', {}));
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  const [editing, setEditing] = useState<Market>();
  const update = async (
    input: Parameters<typeof call<'admin.markets.update'>>[1],
    text: string,
  ) => {
    try {
      await call('admin.markets.update', input);
      await reload();
      setStatus({ ok: true, text });
      setEditing(undefined);
    } catch (err) {
      setStatus({ ok: false, text: messageOf(err) });
    }
  };
  return (
    <article className="card wide">
      <h2>Markets</h2>
      {error ? <p className="error-text">{error}</p> : null}
      {status ? (
        <p className={status.ok ? 'ok-text' : 'error-text'} role="status">
          {status.text}
        </p>
      ) : null}
      <table className="table" aria-label="Markets">
        <thead>
          <tr>
            <th>Market</th>
            <th>Status</th>
            <th className="num">Last</th>
            <th className="num">Tick / lot</th>
            <th className="num">Min qty / notional</th>
            <th className="num">Maker / taker</th>
            <th className="num">Band</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(data?.items ?? []).map((m) => (
            <tr key={m.symbol}>
              <td>
                <strong>{m.symbol}</strong>
              </td>
              <td>
                <select
                  aria-label={`Status of ${m.symbol}`}
                  value={m.status}
                  onChange={(e) =>
                    void update(
                      { symbol: m.symbol, status: e.target.value as Market['status'] },
                      `${m.symbol} is now ${e.target.value}`,
                    )
                  }
                >
                  {MARKET_STATUSES.map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
              </td>
              <td className="num">{m.lastPrice ?? '—'}</td>
              <td className="num">
                {m.tickSize} / {m.lotSize}
              </td>
              <td className="num">
                {m.minQty} / {m.minNotional} {m.quote}
              </td>
              <td className="num">
                {pct(m.makerFeePpm)} / {pct(m.takerFeePpm)}
              </td>
              <td className="num">±{(m.priceBandBps / 100).toFixed(2)} %</td>
              <td className="actions">
                <button className="btn small" onClick={() => setEditing(m)}>
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? (
        <MarketForm
          market={editing}
          onCancel={() => setEditing(undefined)}
          onSave={(input) => void update(input, `${editing.symbol} updated`)}
        />
      ) : null}
    </article>
  );
}

function MarketForm(props: {
  market: Market;
  onCancel(): void;
  onSave(input: {
    symbol: string;
    makerFeePpm: number;
    takerFeePpm: number;
    priceBandBps: number;
    minQty: string;
    minNotional: string;
  }): void;
}) {
  const m = props.market;
  const [maker, setMaker] = useState(String(m.makerFeePpm));
  const [taker, setTaker] = useState(String(m.takerFeePpm));
  const [band, setBand] = useState(String(m.priceBandBps));
  const [minQty, setMinQty] = useState(m.minQty);
  const [minNotional, setMinNotional] = useState(m.minNotional);
  return (
    <form
      className="card"
      aria-label={`Edit ${m.symbol}`}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave({
          symbol: m.symbol,
          makerFeePpm: Number(maker),
          takerFeePpm: Number(taker),
          priceBandBps: Number(band),
          minQty,
          minNotional,
        });
      }}
    >
      <h2>Edit {m.symbol}</h2>
      <div className="row wrap">
        <label className="field">
          <span>Maker fee (ppm; 1000 = 0.1 %)</span>
          <input inputMode="numeric" value={maker} onChange={(e) => setMaker(e.target.value)} />
        </label>
        <label className="field">
          <span>Taker fee (ppm)</span>
          <input inputMode="numeric" value={taker} onChange={(e) => setTaker(e.target.value)} />
        </label>
        <label className="field">
          <span>Market-order band (bps)</span>
          <input inputMode="numeric" value={band} onChange={(e) => setBand(e.target.value)} />
        </label>
        <label className="field">
          <span>Minimum quantity ({m.base})</span>
          <input inputMode="decimal" value={minQty} onChange={(e) => setMinQty(e.target.value)} />
        </label>
        <label className="field">
          <span>Minimum notional ({m.quote})</span>
          <input
            inputMode="decimal"
            value={minNotional}
            onChange={(e) => setMinNotional(e.target.value)}
          />
        </label>
      </div>
      <p className="muted small">Tick and lot sizes cannot change while the market exists.</p>
      <div className="row">
        <button className="btn primary" type="submit">
          Save
        </button>
        <button className="btn" type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
