/**
 * Bars the facade builds from Bourse's candles, exactly (decimal strings, no floats): the
 * rolling-window tickers, the 5-minute average price, and klines in the intervals and time
 * zones Binance offers beyond the ones Bourse keeps.
 */
import type { OperationOutput } from '../../../src-shared/contract';
import type { Call } from './call';

export type Candle = OperationOutput<'marketData.candles'>['items'][number];
export type KeptInterval = '1m' | '5m' | '15m' | '1h' | '4h' | '1d';

/** A decimal string as integer units at `scale` (scale ≥ its own decimals). */
function units(d: string, scale: number): bigint {
  const [whole = '0', frac = ''] = d.replace('-', '').split('.');
  const u = BigInt(whole + frac.padEnd(scale, '0'));
  return d.startsWith('-') ? -u : u;
}

const decimalsOf = (d: string) => d.split('.')[1]?.length ?? 0;

/** Integer units at `scale` as a decimal string without trailing zeros. */
export function formatTrim(u: bigint, scale: number): string {
  const neg = u < 0n;
  const text = (neg ? -u : u).toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? text : text.slice(0, -scale);
  const frac = scale === 0 ? '' : text.slice(-scale).replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** a + b, exactly. */
export function addDec(a: string, b: string): string {
  const s = Math.max(decimalsOf(a), decimalsOf(b));
  return formatTrim(units(a, s) + units(b, s), s);
}

/** a − b, exactly. */
export function subDec(a: string, b: string): string {
  const s = Math.max(decimalsOf(a), decimalsOf(b));
  return formatTrim(units(a, s) - units(b, s), s);
}

/** Sign of a − b. */
export function cmpDec(a: string, b: string): number {
  const s = Math.max(decimalsOf(a), decimalsOf(b));
  const d = units(a, s) - units(b, s);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** a ÷ b to `scale` decimals, truncated toward zero; "0" when b is zero. */
export function divDec(a: string, b: string, scale: number): string {
  const s = Math.max(decimalsOf(a), decimalsOf(b));
  const den = units(b, s);
  if (den === 0n) return '0';
  return formatTrim((units(a, s) * 10n ** BigInt(scale)) / den, scale);
}

/** Binance's priceChangePercent: (last − open) ÷ open × 100, rounded to three decimals. */
export function percentChange(open: string, last: string): string {
  const s = Math.max(decimalsOf(open), decimalsOf(last));
  const o = units(open, s);
  if (o === 0n) return '0.000';
  const tenths = ((units(last, s) - o) * 1_000_000n) / o; // one more decimal, truncated
  const q = (tenths + (tenths < 0n ? -5n : 5n)) / 10n; // half away from zero
  const neg = q < 0n;
  const text = (neg ? -q : q).toString().padStart(4, '0');
  return `${neg ? '-' : ''}${text.slice(0, -3)}.${text.slice(-3)}`;
}

/** Several consecutive bars as one (open of the first, close of the last). */
export function mergeBars(bars: readonly Candle[], openTime: number): Candle | null {
  const first = bars[0];
  const last = bars[bars.length - 1];
  if (!first || !last) return null;
  let { high, low, volume, quoteVolume, trades } = first;
  for (const b of bars.slice(1)) {
    if (cmpDec(b.high, high) > 0) high = b.high;
    if (cmpDec(b.low, low) < 0) low = b.low;
    volume = addDec(volume, b.volume);
    quoteVolume = addDec(quoteVolume, b.quoteVolume);
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
