/**
 * Maps a symbol as TradingView writes it (`BTCUSDT`, `BINANCE:BTCUSDT`, `BTCUSDT.P`,
 * `BTC-USDT`) to one of the venue's market symbols (`BTC/USDT`). Exact matches win; then
 * the exchange prefix and perpetual suffix are dropped and separators ignored. `null` when
 * nothing (or more than one market) matches.
 */
export function resolveSymbol(raw: string, markets: readonly string[]): string | null {
  if (markets.includes(raw)) return raw;
  const bare = raw
    .replace(/^[A-Za-z0-9_]+:/, '')
    .replace(/\.P$/i, '')
    .replace(/PERP$/i, '');
  const key = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const k = key(bare);
  const hits = markets.filter((m) => key(m) === k);
  return hits.length === 1 ? hits[0]! : null;
}
