import {
  addDecimal,
  compareDecimal,
  decimalsOf,
  formatDecimal,
  formatDecimalText,
  mulDecimal,
  subDecimal,
  unitsAt,
} from '../../../src-shared/decimal';

/**
 * The fake Kraken's triggered orders: stop-loss, take-profit and trailing-stop, each watched
 * against the pair's last price (`trigger=last`, the default). A trailing stop's price is
 * relative, as add.yaml requires: `+` then an amount, `%` for a percentage; the direction
 * comes from the side. It keeps the best price since placement (its peak) and its trigger that
 * distance behind it, on the tick grid and never closer than asked (a sell's floored, a buy's
 * ceiled). Kraken's rounding of a trailing trigger is not documented (unverified).
 */

export interface Trail {
  /** The distance as sent, without `+` and `%`. */
  offset: string;
  percent: boolean;
  /** The best price since placement: a sell's highest, a buy's lowest. */
  peak: string;
}

/** Reads a trailing stop's relative price (`+2.5%`, `+150`); null when it is not one. */
export function readTrailOffset(
  v: string | undefined,
): { offset: string; percent: boolean } | null {
  const m = /^\+(\d+(?:\.\d+)?)(%)?$/.exec(v ?? '');
  if (!m || compareDecimal(m[1]!, '0') <= 0) return null;
  return { offset: m[1]!, percent: m[2] === '%' };
}

/** The relative price as Kraken shows it back (`+2.5000%`, 4 decimals for percentages). */
export function trailText(t: Pick<Trail, 'offset' | 'percent'>): string {
  if (!t.percent) return `+${t.offset}`;
  if (decimalsOf(t.offset) > 4) return `+${t.offset}%`;
  return `+${formatDecimal(unitsAt(t.offset, 4), 4)}%`;
}

/** A trailing stop's trigger for its peak: the distance behind it, rounded away on the tick. */
export function trailTrigger(side: 'buy' | 'sell', t: Trail, tick: string): string {
  const distance = t.percent ? mulDecimal(mulDecimal(t.peak, t.offset), '0.01') : t.offset;
  const raw = side === 'sell' ? subDecimal(t.peak, distance) : addDecimal(t.peak, distance);
  const scale = Math.max(decimalsOf(raw), decimalsOf(tick));
  const r = unitsAt(raw, scale);
  const step = unitsAt(tick, scale);
  const rem = ((r % step) + step) % step;
  const onGrid = side === 'sell' ? r - rem : rem === 0n ? r : r - rem + step;
  return formatDecimalText(onGrid > 0n ? onGrid : step, scale);
}

/** True when a trade at `price` is a new peak for a trailing stop on `side`. */
export function newPeak(side: 'buy' | 'sell', peak: string, price: string): boolean {
  return side === 'sell' ? compareDecimal(price, peak) > 0 : compareDecimal(price, peak) < 0;
}

/**
 * True when a trade at `price` triggers a stop at `trigger`: a stop-loss or trailing stop
 * when the price comes from an unfavourable direction (a sell's at or below, a buy's at or
 * above), a take-profit from a favourable one.
 */
export function triggers(
  ordertype: string,
  side: 'buy' | 'sell',
  trigger: string,
  price: string,
): boolean {
  const c = compareDecimal(price, trigger);
  const falling = side === 'sell';
  const takeProfit = ordertype.startsWith('take-profit');
  return falling !== takeProfit ? c <= 0 : c >= 0;
}
