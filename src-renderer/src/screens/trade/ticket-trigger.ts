import { triggersOnRise } from '../../../../src-shared/contract/exchange';
import { isPositive, toUnits } from '../../../../src-shared/decimal';
import type { Market } from '../../stores/trade';
import { shapeOf, type Form } from './ticket-form';

/**
 * A lone stop's or take-profit's trigger in words: what the order will do when the last trade
 * reaches its stop price, and a warning when the last price has reached it already (the
 * exchange then triggers it at once). Pure, so the words are unit-tested.
 *
 * A stop triggers when the price moves against its side (a sell's falls to it, a buy's rises
 * to it); a take-profit when it moves for it (a sell's rises to it, a buy's falls to it).
 */

/** The kinds with one fixed trigger: a stop that does not trail, or a take-profit. */
type FixedTrigger = 'stop_market' | 'stop_limit' | 'take_profit_market' | 'take_profit_limit';

/** The form's order type when it waits for one fixed trigger price, else undefined. */
export function fixedTriggerOf(f: Form): FixedTrigger | undefined {
  switch (f.type) {
    case 'stop_market':
    case 'stop_limit':
      return f.trailing ? undefined : f.type;
    case 'take_profit_market':
    case 'take_profit_limit':
      return f.type;
    default:
      return undefined;
  }
}

const units = (s: string) => toUnits(s.trim(), 18);

/** A typed price the check can read: a positive decimal. */
const readable = (s: string) => isPositive(s.trim());

/** What the order is called in the warning ("sell take profit", "buy stop"). */
const nameOf = (f: Form, type: FixedTrigger) =>
  `${f.side} ${type.startsWith('take_profit') ? 'take profit' : 'stop'}`;

/**
 * True when the last price already meets the form's trigger, so the exchange would trigger it
 * as soon as it is placed: a rising trigger at or below the last price, a falling one at or
 * above it.
 */
export function triggersAtOnce(f: Form, last: string | undefined): boolean {
  const type = fixedTriggerOf(f);
  if (!type || !last || !readable(last) || !readable(f.stopPrice)) return false;
  const stop = units(f.stopPrice)!;
  const now = units(last)!;
  return triggersOnRise(f.side, type) ? now >= stop : now <= stop;
}

/**
 * The warning under the trigger price when the last price meets it already: it would trigger
 * at once, and which way the order waits (with the other kind for a trader who meant the
 * other direction). Undefined while the order would wait.
 */
export function triggerWarning(f: Form, last: string | undefined): string | undefined {
  const type = fixedTriggerOf(f);
  if (!type || !last || !triggersAtOnce(f, last)) return undefined;
  const rises = triggersOnRise(f.side, type);
  const stop = f.stopPrice.trim();
  const met = rises ? 'at or above' : 'at or below';
  const waits = rises ? 'above' : 'below';
  const takeProfit = type.startsWith('take_profit');
  // The other kind waits on the other side of the last price.
  const other = takeProfit ? 'a stop' : 'a take profit';
  const otherMove = rises ? 'falls' : 'rises';
  return (
    `The last price, ${last}, is already ${met} ${stop}: this would trigger at once. ` +
    `A ${nameOf(f, type)} waits ${waits} the last price; to ${f.side} if the price ` +
    `${otherMove}, use ${other}.`
  );
}

/** What the order trades when it triggers ("Sells 0.5 BTC at market", "Places a sell limit …"). */
function actionOf(f: Form, m: Market, type: FixedTrigger): string {
  const { byQuote } = shapeOf(f);
  const sized = byQuote
    ? readable(f.quoteQty)
      ? ` ${f.quoteQty.trim()} ${m.quote} of ${m.base}`
      : ''
    : readable(f.qty)
      ? ` ${f.qty.trim()} ${m.base}`
      : '';
  if (type === 'stop_market' || type === 'take_profit_market') {
    return `${f.side === 'sell' ? 'Sells' : 'Buys'}${sized} at market`;
  }
  const at = readable(f.price) ? ` at ${f.price.trim()}` : '';
  return `Places a ${f.side} limit${at}${sized ? ` for${sized}` : ''}`;
}

/**
 * The ticket's line saying what a fixed stop or a take-profit will do: "Sells 0.5 BTC at
 * market when the price rises to 70000", "Places a sell limit at 69900 for 0.5 BTC when the
 * price rises to 70000"; "… at once" when the last price meets its trigger already. Undefined
 * for other orders, or until the trigger price is a price.
 */
export function triggerSummary(f: Form, m: Market, last: string | undefined): string | undefined {
  const type = fixedTriggerOf(f);
  if (!type || !readable(f.stopPrice)) return undefined;
  const act = actionOf(f, m, type);
  const stop = f.stopPrice.trim();
  if (triggersAtOnce(f, last)) return `${act} at once: the last price has reached ${stop}`;
  const move = triggersOnRise(f.side, type) ? 'rises' : 'falls';
  return `${act} when the price ${move} to ${stop}`;
}
