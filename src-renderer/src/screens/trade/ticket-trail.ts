import { decimalsOf, toUnits } from '../../../../src-shared/decimal';
import { trailDistanceOf, type TrailUnit } from '../accounts/trail-distance';
import type { Market } from '../../stores/trade';
import type { Form, PlaceInput, Problems } from './ticket-form';
import { neverTriggers, trailBpsOf, typedPct, type TrailBy } from './trailing';

/**
 * The ticket's trailing distance (a trailing stop's, an OCO stop leg's) in its unit: percent,
 * sent as basis points, or an amount in the quote currency, sent as the decimal typed. Pure,
 * so the request, the refusals and the preview's words are unit-tested.
 */

/** The form's input a distance is typed in, by its unit. */
export type TrailInput = 'trailPct' | 'trailAmount';

export const trailInputOf = (unit: TrailUnit): TrailInput =>
  unit === 'amount' ? 'trailAmount' : 'trailPct';

/** A distance the form takes, with its words ("1.5 %", "250.5 USDT"), or why not. */
export type TicketTrail = { ok: true; by: TrailBy; words: string } | { ok: false; message: string };

/** True when `value` is a whole number of `step`s, compared exactly. */
function onStep(value: string, step: string): boolean {
  const scale = Math.max(decimalsOf(value), decimalsOf(step));
  const v = toUnits(value, scale);
  const s = toUnits(step, scale);
  return v !== undefined && s !== undefined && s > 0n && v % s === 0n;
}

/**
 * A distance typed in `unit`: a percent as the exchange checks one (0.01–50, two decimals), an
 * amount as a positive decimal on the market's tick grid (the server refuses any other).
 */
export function distanceOf(unit: TrailUnit, typed: string, m: Market): TicketTrail {
  if (unit === 'percent') {
    const d = trailBpsOf(typed);
    return d.ok ? { ok: true, by: { bps: d.bps }, words: `${typedPct(typed)} %` } : d;
  }
  const d = trailDistanceOf(typed, 'amount');
  if (!d.ok) return d;
  if (!onStep(d.text, m.tickSize)) return { ok: false, message: `Use steps of ${m.tickSize}` };
  return { ok: true, by: { amount: d.text }, words: `${d.text} ${m.quote}` };
}

/** The trailing stop's distance, typed in the form's unit. */
export const ticketTrailOf = (f: Form, m: Market): TicketTrail =>
  distanceOf(f.trailUnit, f[trailInputOf(f.trailUnit)], m);

/**
 * The distance's problem, at the input it is typed in: the typed value's, or (a sell by an
 * amount) one at least the price it trails from, whose stop would never trigger.
 */
export function trailProblems(f: Form, m: Market, last: string | undefined, out: Problems): void {
  const input = trailInputOf(f.trailUnit);
  const t = ticketTrailOf(f, m);
  if (!t.ok) {
    out[input] = t.message;
    return;
  }
  const activation = f.stopPrice.trim();
  const from = activation !== '' ? activation : last;
  if (from !== undefined && neverTriggers(f.side, t.by, from)) {
    const what = activation !== '' ? 'the price to start at' : 'the last price';
    out[input] = `Must be below ${what}, ${from}: the stop would never trigger`;
  }
}

/**
 * The distance as `orders.place` takes it: trailBps, or trailAmount as typed (".5" → "0.5"),
 * never through a float. Nothing while it is not a distance at all (the form refuses it
 * before sending).
 */
export function trailFieldOf(f: Form): Pick<PlaceInput, 'trailBps' | 'trailAmount'> {
  if (f.trailUnit === 'percent') {
    const d = trailBpsOf(f.trailPct);
    return d.ok ? { trailBps: d.bps } : {};
  }
  const d = trailDistanceOf(f.trailAmount, 'amount');
  return d.ok ? { trailAmount: d.text } : {};
}

/** The request fields that carry a distance, by the form input it is typed in. */
const DISTANCE_FIELDS = new Map<string, TrailInput>([
  ['trailBps', 'trailPct'],
  ['stopTrailBps', 'trailPct'],
  ['trailAmount', 'trailAmount'],
  ['stopTrailAmount', 'trailAmount'],
]);

/** The one input a refusal's details name: `field`, or the only entry of a schema's `fields`. */
export function namedField(details: unknown): unknown {
  if (typeof details !== 'object' || details === null) return undefined;
  if ('field' in details) return details.field;
  if (!('fields' in details) || !Array.isArray(details.fields) || details.fields.length !== 1) {
    return undefined;
  }
  const first: unknown = details.fields[0];
  return typeof first === 'object' && first !== null && 'field' in first ? first.field : undefined;
}

/**
 * The form input a server refusal is about when it names a trailing distance
 * (`trailAmount`, an OCO's `stopTrailAmount`, `order.trailAmount` of an order with exits, or
 * the basis points of a percent), else undefined. An exit's own fields (`stopLoss.…`) are not
 * the ticket's trailing stop.
 */
export function refusedTrailInput(details: unknown): TrailInput | undefined {
  const field = namedField(details);
  if (typeof field !== 'string') return undefined;
  const parts = field.split(/[./]/).filter(Boolean);
  const path = parts[0] === 'order' ? parts.slice(1) : parts;
  return path.length === 1 ? DISTANCE_FIELDS.get(path[0]!) : undefined;
}

/**
 * A server refusal of the form's trailing distance, as the problem shown at its input;
 * undefined when the refusal names something else, or an input the form does not show.
 */
export function trailRefusal(f: Form, details: unknown, message: string): Problems | undefined {
  const at = refusedTrailInput(details);
  // The ticket sends a distance only while it trails: a refusal of one is about this input.
  if (!at || !f.trailing || at !== trailInputOf(f.trailUnit)) return undefined;
  return { [at]: message };
}
