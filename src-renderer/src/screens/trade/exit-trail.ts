import { isPositive } from '../../../../src-shared/decimal';
import { trailDistanceOf, type TrailUnit } from '../accounts/trail-distance';
import type { Market } from '../../stores/trade';
import type { Form, PlaceWithExitsInput, Prices, Problems } from './ticket-form';
import { distanceOf, namedField, type TicketTrail } from './ticket-trail';
import { neverTriggers, typedPct } from './trailing';

/**
 * The ticket's trailing stop loss (TP / SL, "Trail the stop loss") in its unit: percent, sent
 * as `stopLoss.trailPercent`, or an amount in the quote currency, sent as
 * `stopLoss.trailAmount` exactly as typed. Pure, so the request, the refusals and the note's
 * words are unit-tested. A blank distance is no stop loss, as a blank price is.
 */

/** The form's input a stop loss's trailing distance is typed in, by its unit. */
export type StopLossTrailInput = 'stopLossTrailPct' | 'stopLossTrailAmount';

export const stopLossTrailInputOf = (unit: TrailUnit): StopLossTrailInput =>
  unit === 'amount' ? 'stopLossTrailAmount' : 'stopLossTrailPct';

/** The stop loss's distance as typed in its unit (not trimmed). */
const typedOf = (f: Form) => f[stopLossTrailInputOf(f.stopLossTrailUnit)];

/** The stop loss's distance in its unit, with its words ("2.5 %", "3.50 USDT"), or why not. */
export const stopLossTrailOf = (f: Form, m: Market): TicketTrail =>
  distanceOf(f.stopLossTrailUnit, typedOf(f), m);

/**
 * The price a buy's trailing stop loss is measured against, as the server measures it: the
 * entry's own price (a stop-market's stop price, or price to start trailing at; a take-profit
 * market's trigger price), else the touch the order meets (the best ask, else the last trade).
 */
function referenceOf(f: Form, prices: Prices): { price: string; where: string } | undefined {
  if (f.type === 'limit' || f.type === 'stop_limit' || f.type === 'take_profit_limit') {
    return { price: f.price.trim(), where: "the order's price" };
  }
  const stop = f.stopPrice.trim();
  if (f.type === 'stop_market' && stop !== '') {
    return { price: stop, where: f.trailing ? 'the price to start at' : 'the stop price' };
  }
  if (f.type === 'take_profit_market' && stop !== '') {
    return { price: stop, where: 'the trigger price' };
  }
  if (prices.touch) return { price: prices.touch, where: 'the best ask' };
  return prices.last ? { price: prices.last, where: 'the last price' } : undefined;
}

/**
 * The trailing stop loss's problem, at the input it is typed in: the typed distance's, or (a
 * buy's stop loss by an amount) one at least the price it would trail from, whose stop would
 * never trigger; the server refuses both.
 */
export function stopLossTrailProblems(f: Form, m: Market, prices: Prices, out: Problems): void {
  if (!f.stopLossTrails || typedOf(f).trim() === '') return;
  const input = stopLossTrailInputOf(f.stopLossTrailUnit);
  const d = stopLossTrailOf(f, m);
  if (!d.ok) {
    out[input] = d.message;
    return;
  }
  const ref = f.side === 'buy' ? referenceOf(f, prices) : undefined;
  // The stop loss of a buy is a sell: it trails below the price.
  if (ref && isPositive(ref.price) && neverTriggers('sell', d.by, ref.price)) {
    out[input] = `Must be below ${ref.where}, ${ref.price}: the stop would never trigger`;
  }
}

type ExitLevel = NonNullable<PlaceWithExitsInput['stopLoss']>;

/**
 * The trailing stop loss as `orders.placeWithExits` takes it: `trailPercent` or `trailAmount`,
 * each the decimal typed (".5" → "0.5"), never through a float.
 */
export function stopLossTrailLevel(f: Form): ExitLevel {
  const typed = typedOf(f);
  if (f.stopLossTrailUnit === 'percent') return { trailPercent: typedPct(typed) };
  const d = trailDistanceOf(typed, 'amount');
  return { trailAmount: d.ok ? d.text : typed.trim() };
}

/**
 * A server refusal naming the stop loss's amount (`stopLoss.trailAmount`: off the tick, or a
 * buy's as large as the price it would trail from), as the problem shown at its input;
 * undefined when it names something else, or the amount's input is not on the form.
 */
export function stopLossTrailRefusal(
  f: Form,
  details: unknown,
  message: string,
): Problems | undefined {
  const field = namedField(details);
  if (typeof field !== 'string') return undefined;
  const path = field.split(/[./]/).filter(Boolean).join('.');
  if (path !== 'stopLoss.trailAmount') return undefined;
  if (!f.stopLossTrails || f.stopLossTrailUnit !== 'amount') return undefined;
  return { stopLossTrailAmount: message };
}
