import type { BrokerOrder } from '../../stores/brokers';
import { trailDistanceWords, trailText } from './trail-distance';

/**
 * The close a broker places when an order fills (Kraken's conditional close), in the broker
 * orders table's words, as the paper tables write their stop-loss and take-profit: "SL 58000",
 * "TP 66000", "SL trail 2 %", "SL trail 250.5". Pure, so the words are unit-tested.
 */

/** The attached close of a broker order, as its view carries it. */
export type AttachedClose = NonNullable<BrokerOrder['close']>;

/** Its level, or that the broker gave it relative to the market (no price to show). */
const level = (price: string | null) => price ?? '(relative)';

/** " → limit 21000" for a close that becomes a limit once triggered; nothing otherwise. */
const limitPart = (c: AttachedClose) => (c.limitPrice ? ` → limit ${c.limitPrice}` : '');

/** The table cell: "SL 58000", "SL trail 2 %", "TP 66000 → limit 65900", "—" for none. */
export function closeText(c: AttachedClose | null): string {
  if (!c) return '—';
  switch (c.type) {
    case 'stop_loss':
      return `SL ${level(c.price)}${limitPart(c)}`;
    case 'take_profit':
      return `TP ${level(c.price)}${limitPart(c)}`;
    case 'trailing_stop':
      return `SL ${trailText(c) ?? 'trail'}${limitPart(c)}`;
    case 'limit':
      return `limit ${level(c.price)}`;
  }
}

/**
 * The cell's tooltip: what the broker does and when ("When it fills, the broker places a
 * stop-loss trailing 2 % behind the best price"); undefined for none.
 */
export function closeTitle(c: AttachedClose | null, quote?: string): string | undefined {
  if (!c) return undefined;
  const then = c.limitPrice ? `, then a limit at ${c.limitPrice}` : '';
  const at = (p: string | null) => (p ? `at ${p}` : 'at a price relative to the market');
  const what = {
    stop_loss: `a stop-loss ${at(c.price)}${then}`,
    take_profit: `a take-profit ${at(c.price)}${then}`,
    trailing_stop: `a stop-loss trailing ${trailDistanceWords(c, quote) ?? 'the price'} behind the best price${then}`,
    limit: `a limit order ${at(c.price)}`,
  }[c.type];
  return `When it fills, the broker places ${what} for the same quantity, the other way.`;
}
