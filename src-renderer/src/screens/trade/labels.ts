import {
  isStopType,
  isTriggerType,
  triggersOnRise,
  type OrderType,
} from '../../../../src-shared/contract/exchange';
import type { Order } from '../../stores/trade';
import { trailDistance } from './trailing';

/** The engine's cancel reasons in words (order history). */
const END_REASONS: Record<string, string> = {
  ioc_remainder: 'IOC remainder',
  quote_spent: 'rest under one lot',
  fok: 'fill or kill',
  stp: 'self-trade prevention',
  price_band: 'outside the price band',
  no_liquidity: 'no liquidity',
  market_closed: 'market closed',
  dead_man_switch: 'dead man’s switch',
  // The other leg of its OCO filled or triggered (a cancelled list's legs read as the user's cancel).
  oco: 'OCO',
};

/**
 * Why an order ended, for people, or null when the status says it all (the user's own
 * cancel, an expiry). An unknown reason is shown as it comes, underscores as spaces.
 */
export function endReason(reason: string | null): string | null {
  if (reason === null || reason === 'user' || reason === 'expired') return null;
  return END_REASONS[reason] ?? reason.replace(/_/g, ' ');
}

/** The engine's order types as the tables write them. */
const TYPE_WORDS: Record<OrderType, string> = {
  limit: 'limit',
  market: 'market',
  stop_market: 'stop market',
  stop_limit: 'stop limit',
  take_profit_market: 'take profit market',
  take_profit_limit: 'take profit limit',
};

/** An order's type in words ("take profit limit"). */
export const orderTypeText = (type: OrderType): string => TYPE_WORDS[type];

/**
 * An order's type as the tables write it: a take-profit as "take profit" over how it runs
 * ("limit", "market"), which joins the options on the line under it (the column stays as
 * narrow as a stop's); the others on one line ("stop market").
 */
export function typeLines(type: OrderType): { main: string; kind?: string } {
  if (type === 'take_profit_limit') return { main: 'take profit', kind: 'limit' };
  if (type === 'take_profit_market') return { main: 'take profit', kind: 'market' };
  return { main: TYPE_WORDS[type] };
}

/** The kinds that run at market: IOC whatever the order says, so no TIF is shown for them. */
const AT_MARKET: ReadonlySet<OrderType> = new Set(['market', 'stop_market', 'take_profit_market']);

/**
 * An open order's options in a few letters, on the line under its type ("post · IOC",
 * "OCO #3 · trail 1.50 %", a take-profit's "limit" or "market"), or nothing for a plain GTC.
 * A market kind's IOC is the engine's, not a choice the user made: it is not shown.
 */
export function optionsLine(
  o: Pick<Order, 'type' | 'orderListId' | 'trailing' | 'postOnly' | 'tif'>,
): string {
  return [
    typeLines(o.type).kind ?? '',
    o.orderListId !== undefined ? `OCO #${o.orderListId}` : '',
    o.trailing ? trailDistance(o.trailing) : '',
    o.postOnly ? 'post' : '',
    o.tif !== 'GTC' && !AT_MARKET.has(o.type) ? o.tif : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** An order's trigger in the tables, under its price, and what it means in a tooltip. */
export interface TriggerWords {
  text: string;
  title: string;
}

/**
 * A stop's or take-profit's trigger, under its price: a stop's stop price ("stop 59100.00"); a
 * take-profit's trigger with the way it waits ("trigger ≥ 70000.00": a sell's when the price
 * rises to it, "trigger ≤ 60000.00": a buy's when it falls to it). Undefined for an order
 * without one.
 */
export function triggerWords(
  o: Pick<Order, 'side' | 'type' | 'stopPrice'>,
): TriggerWords | undefined {
  if (o.stopPrice === null || !isTriggerType(o.type)) return undefined;
  const rises = triggersOnRise(o.side, o.type);
  const meets = rises ? 'at or above' : 'at or below';
  const title = `Triggers when a trade is ${meets} ${o.stopPrice}`;
  if (isStopType(o.type)) return { text: `stop ${o.stopPrice}`, title };
  return { text: `trigger ${rises ? '≥' : '≤'} ${o.stopPrice}`, title };
}

/**
 * What is open of an order, in the open-orders table: its open quantity, or for an order sized
 * by the quote amount that has not run yet (a take-profit or stop market buy waiting for its
 * trigger) that amount ("1000 USDT"), whose quantity is not known until it trades.
 */
export function openAmount(
  o: Pick<Order, 'symbol' | 'qty' | 'quoteQty' | 'openQty' | 'filledQty'>,
): string {
  if (o.qty !== null || o.quoteQty === null || /[1-9]/.test(o.filledQty)) return o.openQty;
  const amount = o.quoteQty.includes('.') ? o.quoteQty.replace(/\.?0+$/, '') : o.quoteQty;
  return `${amount} ${o.symbol.split('/')[1] ?? ''}`.trim();
}
