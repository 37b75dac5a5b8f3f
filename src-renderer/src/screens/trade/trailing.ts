import { MAX_TRAIL_BPS } from '../../../../src-shared/contract/exchange';
import {
  MAX_SCALE,
  decimalsOf,
  divRound,
  formatDecimal,
  parseDecimal,
  rescale,
  toUnits,
  unitsAt,
} from '../../../../src-shared/decimal';
import type { Order } from '../../stores/trade';

/**
 * Trailing stops in the ticket and the tables: the distance a trader types in percent as the
 * engine's basis points (or an amount in price units, sent as typed), the stop price the
 * engine will start with, and the words for both.
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
 * A trailing distance as the engine takes it: basis points (typed in percent), or an amount
 * in the quote's price units (typed as a decimal, a multiple of the tick).
 */
export type TrailBy = { bps: number } | { amount: string };

/**
 * The stop price a trailing stop starts with when it tracks from `last`, exactly as the
 * engine sets it: `bps` (or `amount` price units) behind, on the tick grid, rounded away from
 * `last` so the distance is never less than asked (a sell's floors, and is at least one tick;
 * a buy's ceils). Undefined when `last` or `tickSize` is not a positive decimal, or the amount
 * not a plain one.
 */
export function initialTrailStop(
  side: 'buy' | 'sell',
  last: string,
  by: TrailBy,
  tickSize: string,
): string | undefined {
  const amountText = 'amount' in by ? by.amount : '0';
  const tickScale = decimalsOf(tickSize);
  const scale = Math.max(tickScale, decimalsOf(last), decimalsOf(amountText));
  let anchor: bigint;
  let tick: bigint;
  let amount: bigint;
  try {
    anchor = unitsAt(last, scale);
    tick = unitsAt(tickSize, scale);
    amount = unitsAt(amountText, scale);
  } catch {
    return undefined;
  }
  if (anchor <= 0n || tick <= 0n || amount < 0n) return undefined;
  const stop =
    'bps' in by
      ? stopByBps(side, anchor, BigInt(by.bps), tick)
      : stopBy(side, anchor, amount, tick);
  return formatDecimal(rescale(stop, scale, tickScale, 'floor'), tickScale);
}

/** `bps` behind `anchor` on the tick grid (units of one scale), never closer than asked. */
function stopByBps(side: 'buy' | 'sell', anchor: bigint, bps: bigint, tick: bigint): bigint {
  return side === 'sell'
    ? // Floor to the tick (nested floors are one floor): never closer than bps.
      maxOf(tick, divRound(anchor * (BPS - bps), BPS * tick, 'floor') * tick)
    : divRound(anchor * (BPS + bps), BPS * tick, 'ceil') * tick;
}

/** `amount` behind `anchor` on the tick grid (units of one scale); a sell's at least a tick. */
function stopBy(side: 'buy' | 'sell', anchor: bigint, amount: bigint, tick: bigint): bigint {
  return side === 'sell'
    ? maxOf(tick, divRound(anchor - amount, tick, 'floor') * tick)
    : divRound(anchor + amount, tick, 'ceil') * tick;
}

const maxOf = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * A sell trailing by an amount at least the price it starts from (its activation price, else
 * the last price) would put its stop at or under 0: it would never trigger, and the exchange
 * refuses it. True then; false for a buy, a distance in percent, or no price to start from.
 */
export function neverTriggers(side: 'buy' | 'sell', by: TrailBy, from: string | undefined) {
  if (side !== 'sell' || !('amount' in by) || from === undefined || from.trim() === '') {
    return false;
  }
  const at = (s: string) => toUnits(s.trim(), MAX_SCALE);
  const amount = at(by.amount);
  const start = at(from);
  return amount !== undefined && start !== undefined && start > 0n && amount >= start;
}

/** What the ticket's trailing stop will do, in one line. */
export function trailNote(args: {
  side: 'buy' | 'sell';
  type: 'stop_market' | 'stop_limit';
  /** The distance the form takes, and its words ("1.5 %", "250.5 USDT"). */
  by: TrailBy;
  words: string;
  activation: string;
  last: string | undefined;
  tickSize: string;
}): string {
  const { side, type, by, words, last, tickSize } = args;
  const activation = args.activation.trim();
  const from = activation !== '' ? activation : last;
  if (neverTriggers(side, by, from)) {
    return `Would never trigger: ${words} below ${from ?? ''} is at or under 0`;
  }
  const act =
    type === 'stop_market' ? (side === 'sell' ? 'Sells' : 'Buys') : `Places the ${side} limit`;
  const move =
    side === 'sell' ? `falls ${words} from its highest` : `rises ${words} from its lowest`;
  if (activation !== '') {
    const meets = side === 'sell' ? 'at or below' : 'at or above';
    return `Waits for a trade ${meets} ${activation}, then ${act.toLowerCase()} if the price ${move} since`;
  }
  const stop = last ? initialTrailStop(side, last, by, tickSize) : undefined;
  return stop
    ? `${act} if the price ${move} since placing; stop now ${stop}`
    : `${act} if the price ${move} since placing`;
}

/** A trailing order's distance, beside its type in the tables ("trail 1.50 %", "trail 250.5"). */
export const trailDistance = (trailing: Trailing) =>
  trailing.bps !== undefined ? `trail ${pctOfBps(trailing.bps)} %` : `trail ${trailing.amount}`;

/**
 * Where a trailing order stands, under its stop price in the tables: the best price it has
 * followed so far, or the price it waits for before it starts trailing.
 */
export function trailState(trailing: Trailing): string | undefined {
  if (trailing.anchorPrice !== null) return `best ${trailing.anchorPrice}`;
  return trailing.activationPrice !== null ? `waits for ${trailing.activationPrice}` : undefined;
}
