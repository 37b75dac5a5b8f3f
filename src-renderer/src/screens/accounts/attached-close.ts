import type { BrokerOrder } from '../../stores/brokers';
import { trailDistanceWords, trailText } from './trail-distance';

/**
 * The closes a broker places when an order fills (Kraken's conditional close, TradeLocker's and
 * MetaTrader's stop-loss and take-profit), in the broker orders table's words, as the paper
 * tables write their stop-loss and take-profit: "SL 58000 · TP 66000", "SL trail 2 %",
 * "SL 0.005 below". Pure, so the words are unit-tested.
 */

/** One attached close of a broker order, as its view carries it. */
export type AttachedClose = NonNullable<BrokerOrder['closes']>[number];
type Side = BrokerOrder['side'];

/** Whether a distance from the order's price lies below it: a buy's stop-loss, a sell's target. */
const below = (c: AttachedClose, side: Side) => (c.type === 'take_profit') === (side === 'sell');

/** Its level: a price, a distance from the order's price, or relative to the market. */
function level(c: AttachedClose, side: Side): string {
  if (c.price) return c.price;
  if (c.offset) return `${c.offset} ${below(c, side) ? 'below' : 'above'}`;
  return '(relative)';
}

/** " → limit 21000" for a close that becomes a limit once triggered; nothing otherwise. */
const limitPart = (c: AttachedClose) => (c.limitPrice ? ` → limit ${c.limitPrice}` : '');

/** One close: "SL 58000", "SL trail 2 %", "TP 66000 → limit 65900", "SL 0.005 below". */
export function closeText(c: AttachedClose, side: Side): string {
  switch (c.type) {
    case 'stop_loss':
      return `SL ${level(c, side)}${limitPart(c)}`;
    case 'take_profit':
      return `TP ${level(c, side)}${limitPart(c)}`;
    case 'trailing_stop':
      return `SL ${trailText(c) ?? 'trail'}${limitPart(c)}`;
    case 'limit':
      return `limit ${level(c, side)}`;
  }
}

/** Each close of the order in words, stop-losses first (the broker's order); none: []. */
export const closeParts = (closes: AttachedClose[] | null, side: Side): string[] =>
  (closes ?? []).map((c) => closeText(c, side));

/** The table cell: every close of the order, "SL 29000 · TP 33000"; "—" for none or unknown. */
export function closesText(closes: AttachedClose[] | null, side: Side): string {
  const parts = closeParts(closes, side);
  return parts.length === 0 ? '—' : parts.join(' · ');
}

/** What one close is, for the tooltip: "a stop-loss at 22000, then a limit at 21000". */
function closeWords(c: AttachedClose, side: Side, quote?: string): string {
  const then = c.limitPrice ? `, then a limit at ${c.limitPrice}` : '';
  const at = c.price
    ? `at ${c.price}`
    : c.offset
      ? `${c.offset} ${below(c, side) ? 'below' : 'above'} the order's price`
      : 'at a price relative to the market';
  switch (c.type) {
    case 'stop_loss':
      return `a stop-loss ${at}${then}`;
    case 'take_profit':
      return `a take-profit ${at}${then}`;
    case 'trailing_stop':
      return `a stop-loss trailing ${trailDistanceWords(c, quote) ?? 'the price'} behind the best price${then}`;
    case 'limit':
      return `a limit order ${at}`;
  }
}

/**
 * The cell's tooltip: what the broker does and when ("When it fills, the broker places a
 * stop-loss at 29000 and a take-profit at 33000, …"); undefined for none. Null closes: the
 * broker connection does not say, which the tooltip tells apart from none.
 */
export function closesTitle(
  closes: AttachedClose[] | null,
  side: Side,
  quote?: string,
): string | undefined {
  if (closes === null) return "This broker's orders do not say what closes they carry.";
  if (closes.length === 0) return undefined;
  const what = closes.map((c) => closeWords(c, side, quote));
  const list = what.length > 1 ? `${what.slice(0, -1).join(', ')} and ${what.at(-1)}` : what[0];
  return `When it fills, the broker places ${list}, for the same quantity, the other way.`;
}
