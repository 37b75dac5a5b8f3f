import {
  addDecimal,
  compareDecimal,
  decimalsOf,
  formatDecimal,
  formatDecimalText,
  mulDecimal,
  readDecimalText,
  subDecimal,
  unitsAt,
} from '../../../src-shared/decimal';

/**
 * The fake Kraken's triggered orders: stop-loss, take-profit and trailing-stop, each watched
 * against the pair's last price (`trigger=last`, the default). A trailing stop's price is
 * relative, as add.yaml requires: `+` then an amount, `%` for a percentage ("Prices can also
 * be suffixed with a `%` to signify the relative amount as a percentage, rather than an
 * absolute price difference"); the direction comes from the side. An amount is a price
 * difference in quote currency, so it takes the pair's price decimals. A trailing stop keeps
 * the best price since placement (its peak) and its trigger that distance behind it, on the
 * tick grid and never closer than asked (a sell's floored, a buy's ceiled). Kraken's rounding
 * of a trailing trigger is not documented (unverified).
 */

export interface Trail {
  /** The distance as sent (canonical), without `+` and `%`: percent, or quote currency. */
  offset: string;
  percent: boolean;
  /** The best price since placement: a sell's highest, a buy's lowest. */
  peak: string;
}

/**
 * Reads a trailing stop's relative price (`+2.5%`, `+150`): the `+` prefix and a distance
 * above zero, `%` for a percentage; null when it is not one (no `+`, a `-` or `#`, zero). The
 * distance is canonical (`+50.0` reads as 50); its decimals are the caller's to check.
 */
export function readTrailOffset(
  v: string | undefined,
): { offset: string; percent: boolean } | null {
  const m = /^\+(\d+(?:\.\d+)?)(%)?$/.exec(v ?? '');
  const offset = m ? readDecimalText(m[1]!) : null;
  if (!offset?.ok || compareDecimal(offset.value, '0') <= 0) return null;
  return { offset: offset.value, percent: m![2] === '%' };
}

/**
 * The relative price as Kraken shows it back: a percentage with 4 decimals (`+2.5000%`), an
 * amount at the pair's price decimals like any price of the pair (`+50.0` on XBT/USD).
 */
export function trailText(t: Pick<Trail, 'offset' | 'percent'>, pairDecimals: number): string {
  if (!t.percent) return `+${formatDecimal(unitsAt(t.offset, pairDecimals), pairDecimals)}`;
  if (decimalsOf(t.offset) > 4) return `+${t.offset}%`;
  return `+${formatDecimal(unitsAt(t.offset, 4), 4)}%`;
}

/**
 * An order's conditional close as Kraken describes it in `descr.close` (and in AddOrder's
 * answer): `close position @ ` and the close's order type in words, as `descr.order` writes
 * order types (`stop loss`, `take profit`, `trailing stop`), then its price as Kraken shows
 * prices, at the pair's decimals (`58000.0` on XBT/USD), or a trailing close's relative price
 * as `trailText` shows it (`+2.0000%`, `+250.5`). Kraken's reference shows one such text,
 * AddOrder's `close position @ stop loss 22000.0 -> limit 21000.0`; the fake places no
 * `*-limit` close, so it never writes the `-> limit` part.
 */
export function closeText(
  close: { ordertype: string; price: string },
  pairDecimals: number,
): string {
  const words = close.ordertype.replace(/-/g, ' ');
  const trail = close.ordertype === 'trailing-stop' ? readTrailOffset(close.price) : null;
  if (trail) return `close position @ ${words} ${trailText(trail, pairDecimals)}`;
  // The price was checked on the tick when the order was added: it fits the pair's decimals.
  const price = readDecimalText(close.price);
  const level = price.ok ? price.value : close.price;
  return `close position @ ${words} ${formatDecimal(unitsAt(level, pairDecimals), pairDecimals)}`;
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
