/**
 * Bars the facade builds from Bourse's candles, exactly (decimal strings, no floats): the
 * rolling-window tickers, the 5-minute average price, and klines in the intervals and time
 * zones Binance offers beyond the ones Bourse keeps.
 */
import type { OperationOutput } from '../../../src-shared/contract';
import {
  addDecimal,
  compareDecimal,
  decimalsOf,
  divRound,
  formatDecimal,
  unitsAt,
} from '../../domain/money';
import type { Call } from './call';

export type Candle = OperationOutput<'marketData.candles'>['items'][number];
export type KeptInterval = '1m' | '5m' | '15m' | '1h' | '4h' | '1d';

/** Binance's priceChangePercent: (last − open) ÷ open × 100 to three decimals, half away from zero. */
export function percentChange(open: string, last: string): string {
  const s = Math.max(decimalsOf(open), decimalsOf(last));
  const o = unitsAt(open, s);
  if (o === 0n) return '0.000';
  return formatDecimal(divRound((unitsAt(last, s) - o) * 100_000n, o, 'half_away'), 3);
}

/** Several consecutive bars as one (open of the first, close of the last). */
export function mergeBars(bars: readonly Candle[], openTime: number): Candle | null {
  const first = bars[0];
  const last = bars[bars.length - 1];
  if (!first || !last) return null;
  let { high, low, volume, quoteVolume, trades } = first;
  for (const b of bars.slice(1)) {
    if (compareDecimal(b.high, high) > 0) high = b.high;
    if (compareDecimal(b.low, low) < 0) low = b.low;
    volume = addDecimal(volume, b.volume);
    quoteVolume = addDecimal(quoteVolume, b.quoteVolume);
    trades += b.trades;
  }
  return { openTime, open: first.open, high, low, close: last.close, volume, quoteVolume, trades };
}

/** Every kept bar of `interval` whose open time is in [from, to], oldest first, paged. */
export async function barsBetween(
  c: Call,
  symbol: string,
  interval: KeptInterval,
  from: number,
  to: number,
  max = 100_000,
): Promise<Candle[]> {
  const out: Candle[] = [];
  let next = from;
  while (next <= to && out.length < max) {
    const { items } = await c.invoke('marketData.candles', {
      symbol,
      interval,
      from: next,
      to,
      limit: 1000,
    });
    out.push(...items);
    const last = items[items.length - 1];
    if (items.length < 1000 || !last) break;
    next = last.openTime + 1;
  }
  return out;
}
