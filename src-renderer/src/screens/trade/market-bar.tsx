import { useTradeSlice, type MarketSource } from '../../stores/trade';

/** What drives this market's price, in words a trader reads at a glance. */
function sourceText(src: MarketSource): { text: string; live: boolean; problem: boolean } {
  if (src.referenceKind === 'feed') {
    return {
      text: src.feedError
        ? `Simulated liquidity · LIVE ${src.source ?? 'feed'} unreachable, price holding`
        : `Simulated liquidity · LIVE reference: ${src.source ?? 'feed'}`,
      live: true,
      problem: src.feedError !== null,
    };
  }
  if (src.referenceKind === 'replay') {
    return {
      text: `Simulated market · replaying ${src.source ?? 'a file'}`,
      live: false,
      problem: false,
    };
  }
  return { text: 'Simulated market · random walk', live: false, problem: false };
}

/** Market selector with each market's last price and 24 h change. */
export function MarketBar() {
  const { markets, tickers, symbol, selectMarket, sources } = useTradeSlice(
    'markets',
    'tickers',
    'symbol',
    'selectMarket',
    'sources',
  );
  const src = sources[symbol];
  const shown = src?.simulated ? sourceText(src) : undefined;
  const t = tickers[symbol];
  const change = t ? Number(t.changePercent) : 0;
  const dir = change > 0 ? 'up' : change < 0 ? 'down' : '';
  return (
    <header className="trade-bar">
      <label className="field inline trade-market">
        {/* The selector shows the market's symbol; its name is for screen readers. */}
        <span className="visually-hidden">Market</span>
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
      {shown ? (
        <span
          className={`trade-source ${shown.live ? 'live' : ''} ${shown.problem ? 'problem' : ''}`}
          data-testid="market-source"
          title="Liquidity comes from Bourse's market simulator (system accounts on the local exchange)"
        >
          {shown.text}
        </span>
      ) : null}
    </header>
  );
}
