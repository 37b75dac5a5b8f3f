import { MAX_TRAIL_BPS } from '../../../../src-shared/contract/exchange';
import {
  decimalsOf,
  divRound,
  formatDecimal,
  parseDecimal,
  rescale,
  unitsAt,
} from '../../../../src-shared/decimal';
import type { Order } from '../../stores/trade';

/**
 * Trailing stops in the ticket and the tables: the distance a trader types in percent as the
 * engine's basis points, the stop price the engine will start with, and the words for both.
 * Exact decimals throughout: the preview must name the stop the engine will set, to the tick.
 */

const BPS = 10_000n;

/** How an order trails, as the order view carries it. */
type Trailing = NonNullable<Order['trailing']>;

/** The distance in basis points, or what is wrong with the typed percentage. */
export type TrailDistance = { ok: true; bps: number } | { ok: false; message: string };

/** Smallest and largest distance, in percent as the ticket writes them. */
const MIN_PCT = '0.01';
const MAX_PCT = formatDecimal(BigInt(MAX_TRAIL_BPS), 2).replace(/\.00$/, '');

/** A typed percentage as a decimal string: trimmed, a leading dot made "0." (".5" → "0.5"). */
export const typedPct = (typed: string) => typed.trim().replace(/^\./, '0.');

/**
 * A typed percentage as basis points ("1.5" → 150), read as a decimal string, never a float:
 * at most 2 decimals (0.01 % is one basis point), from 0.01 to 50 %.
 */
export function trailBpsOf(typed: string): TrailDistance {
  const text = typedPct(typed);
  if (text === '') return { ok: false, message: 'Enter a distance in %, e.g. 1.5' };
  const parsed = parseDecimal(text, 2);
  if (!parsed.ok) {
    return parsed.error.code === 'too_many_decimals'
      ? { ok: false, message: 'At most 2 decimals (0.01 % steps)' }
      : { ok: false, message: 'Enter a percentage such as 1.5' };
  }
  const bps = parsed.value;
  if (bps < 1n || bps > BigInt(MAX_TRAIL_BPS)) {
    return { ok: false, message: `From ${MIN_PCT} to ${MAX_PCT} %` };
  }
  return { ok: true, bps: Number(bps) };
}

/** Basis points as the percentage people read, two decimals (150 → "1.50"). */
export const pctOfBps = (bps: number) => formatDecimal(BigInt(bps), 2);

/**
 * The stop price a trailing stop starts with when it tracks from `last`, exactly as the
 * engine sets it: `bps` behind, on the tick grid, rounded away from `last` so the distance is
 * never less than asked (a sell's floors, and is at least one tick; a buy's ceils).
 * Undefined when `last` or `tickSize` is not a positive decimal.
 */
export function initialTrailStop(
  side: 'buy' | 'sell',
  last: string,
  bps: number,
  tickSize: string,
): string | undefined {
  const tickScale = decimalsOf(tickSize);
  const scale = Math.max(tickScale, decimalsOf(last));
  let anchor: bigint;
  let tick: bigint;
  try {
    anchor = unitsAt(last, scale);
    tick = unitsAt(tickSize, scale);
  } catch {
    return undefined;
  }
  if (anchor <= 0n || tick <= 0n) return undefined;
  const b = BigInt(bps);
  const stop =
    side === 'sell'
      ? // Floor to the tick (nested floors are one floor): never closer than bps.
        maxOf(tick, divRound(anchor * (BPS - b), BPS * tick, 'floor') * tick)
      : divRound(anchor * (BPS + b), BPS * tick, 'ceil') * tick;
  return formatDecimal(rescale(stop, scale, tickScale, 'floor'), tickScale);
}

const maxOf = (a: bigint, b: bigint) => (a > b ? a : b);

/** What the ticket's trailing stop will do, in one line (undefined: nothing to say yet). */
export function trailNote(args: {
  side: 'buy' | 'sell';
  type: 'stop_market' | 'stop_limit';
  pct: string;
  activation: string;
  last: string | undefined;
  tickSize: string;
}): string | undefined {
  const { side, type, activation, last, tickSize } = args;
  const distance = trailBpsOf(args.pct);
  if (!distance.ok) return undefined;
  const pct = typedPct(args.pct);
  const act =
    type === 'stop_market' ? (side === 'sell' ? 'Sells' : 'Buys') : `Places the ${side} limit`;
  const move =
    side === 'sell' ? `falls ${pct} % from its highest` : `rises ${pct} % from its lowest`;
  if (activation.trim() !== '') {
    const meets = side === 'sell' ? 'at or below' : 'at or above';
    return `Waits for a trade ${meets} ${activation.trim()}, then ${act.toLowerCase()} if the price ${move} since`;
  }
  const stop = last ? initialTrailStop(side, last, distance.bps, tickSize) : undefined;
  return stop
    ? `${act} if the price ${move} since placing; stop now ${stop}`
    : `${act} if the price ${move} since placing`;
}

/** A trailing order's distance, beside its type in the tables ("trail 1.50 %"). */
export const trailDistance = (trailing: Trailing) => `trail ${pctOfBps(trailing.bps)} %`;

/**
 * Where a trailing order stands, under its stop price in the tables: the best price it has
 * followed so far, or the price it waits for before it starts trailing.
 */
export function trailState(trailing: Trailing): string | undefined {
  if (trailing.anchorPrice !== null) return `best ${trailing.anchorPrice}`;
  return trailing.activationPrice !== null ? `waits for ${trailing.activationPrice}` : undefined;
}
