import { useTrade } from '../../stores/trade';

/** Market selector with each market's last price and 24 h change. */
export function MarketBar() {
  const { markets, tickers, symbol, selectMarket } = useTrade();
  const t = tickers[symbol];
  const change = t ? Number(t.changePercent) : 0;
  const dir = change > 0 ? 'up' : change < 0 ? 'down' : '';
  return (
    <header className="trade-bar">
      <label className="field inline trade-market">
        <span>Market</span>
        <select value={symbol} onChange={(e) => void selectMarket(e.target.value)}>
          {markets.map((m) => {
            const mt = tickers[m.symbol];
            const last = mt?.last ?? m.lastPrice ?? '—';
            const pct = mt ? `${Number(mt.changePercent) > 0 ? '+' : ''}${mt.changePercent}%` : '';
            return (
              <option key={m.symbol} value={m.symbol}>
                {`${m.symbol}  ${last}  ${pct}`}
              </option>
            );
          })}
        </select>
      </label>
      <dl className="trade-stats" aria-label="24 hour statistics">
        <div>
          <dt>Last</dt>
          <dd className={`trade-last ${dir}`} data-testid="last-price">
            {t?.last ?? '—'}
          </dd>
        </div>
        <div>
          <dt>24h change</dt>
          <dd className={dir}>
            {t ? `${t.change} (${change > 0 ? '+' : ''}${t.changePercent}%)` : '—'}
          </dd>
        </div>
        <div>
          <dt>24h high</dt>
          <dd>{t?.high ?? '—'}</dd>
        </div>
        <div>
          <dt>24h low</dt>
          <dd>{t?.low ?? '—'}</dd>
        </div>
        <div>
          <dt>24h volume</dt>
          <dd>{t?.volume ?? '—'}</dd>
        </div>
      </dl>
    </header>
  );
}
