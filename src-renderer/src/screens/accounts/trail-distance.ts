import { trailBpsOf, typedPct } from '../trade/trailing';

/**
 * A trailing distance in the broker and paper tickets and their tables, in percent or in
 * price units (an amount in the market's quote currency). Pure, so the words and the request
 * are unit-tested; distances are typed and sent as decimal strings, never read into floats.
 */

/** What a trailing distance is given in: percent behind the best price, or price units. */
export type TrailUnit = 'percent' | 'amount';

/** The distances as an order request takes them (at most one per leg). */
export interface TrailFields {
  trailPercent?: string;
  trailAmount?: string;
  stopLossTrailPercent?: string;
  stopLossTrailAmount?: string;
}

/** One trailing choice as the ticket holds it: whether it is on, what is typed, in what unit. */
export interface TrailLegState {
  on: boolean;
  typed: string;
  unit: TrailUnit;
}

/** A plain decimal with digits on both sides of the point, as the server's schema takes it. */
const PLAIN = /^\d+(\.\d+)?$/;

/** A typed amount as a decimal string: trimmed, ".5" → "0.5", "250." → "250". */
export const typedAmount = (typed: string) =>
  typed
    .trim()
    .replace(/^\.(?=\d)/, '0.')
    .replace(/(\d)\.$/, '$1');

/**
 * A typed distance as the request sends it (".5" → "0.5"), or what is wrong with it. A
 * percent is checked as the exchange checks one (0.01–50, two decimals); an amount only as a
 * positive decimal: its decimals are the market's, which the server checks (it is the
 * authority, and its refusal is shown at the input).
 */
export function trailDistanceOf(
  typed: string,
  unit: TrailUnit,
): { ok: true; text: string } | { ok: false; message: string } {
  if (unit === 'percent') {
    const distance = trailBpsOf(typed);
    return distance.ok ? { ok: true, text: typedPct(typed) } : distance;
  }
  const text = typedAmount(typed);
  if (text === '') return { ok: false, message: 'Enter a distance in price units, e.g. 250.50' };
  if (text.startsWith('-')) return { ok: false, message: 'Enter an amount above 0' };
  if (!PLAIN.test(text)) return { ok: false, message: 'Enter an amount such as 250.50' };
  if (!/[1-9]/.test(text)) return { ok: false, message: 'Enter an amount above 0' };
  return { ok: true, text };
}

/** Why the form refuses a typed distance (blank: nothing to say yet). */
export function trailRefusal(typed: string, unit: TrailUnit): string | undefined {
  if (typed.trim() === '') return undefined;
  const distance = trailDistanceOf(typed, unit);
  return distance.ok ? undefined : distance.message;
}

/** The request field a trailing stop's distance goes in, in its unit. */
export const entryFieldOf = (unit: TrailUnit) =>
  unit === 'amount' ? ('trailAmount' as const) : ('trailPercent' as const);

/** The request field a trailing stop-loss's distance goes in, in its unit. */
export const stopLossFieldOf = (unit: TrailUnit) =>
  unit === 'amount' ? ('stopLossTrailAmount' as const) : ('stopLossTrailPercent' as const);

/**
 * The distances as the request takes them: a trailing stop's when it is on (the ticket does not
 * send one without its distance), a trailing stop-loss's when it is on and not blank (a blank
 * trailing stop-loss is no stop-loss, as a blank price is). Each in the field of its unit.
 */
export function trailFields(entry: TrailLegState, stopLoss: TrailLegState): TrailFields {
  const text = (leg: TrailLegState) => {
    const d = trailDistanceOf(leg.typed, leg.unit);
    return d.ok ? d.text : leg.typed.trim();
  };
  const fields: TrailFields = {};
  if (entry.on) fields[entryFieldOf(entry.unit)] = text(entry);
  if (stopLoss.on && stopLoss.typed.trim()) fields[stopLossFieldOf(stopLoss.unit)] = text(stopLoss);
  return fields;
}

/**
 * The currency a market's prices are in, from its symbol: "BTC/USDT" → "USDT",
 * "BTC/USDT:USDT" → "USDT"; undefined when the symbol does not say ("ES-2512").
 */
export function quoteOfSymbol(symbol: string): string | undefined {
  const quote = symbol.trim().split('/')[1]?.split(':')[0]?.trim();
  return quote ? quote.toUpperCase() : undefined;
}

/** The unit switch's words: "%" and the quote currency ("price" when it is not known). */
export const unitWord = (unit: TrailUnit, quote: string | undefined) =>
  unit === 'percent' ? '%' : (quote ?? 'price');

/**
 * "2 % behind", "250.50 USDT behind" once the distance is one the form takes; just "behind"
 * before.
 */
export function trailBehind(typed: string, unit: TrailUnit = 'percent', quote?: string): string {
  const d = trailDistanceOf(typed, unit);
  if (!d.ok) return 'behind';
  return unit === 'percent' ? `${d.text} % behind` : `${d.text}${quote ? ` ${quote}` : ''} behind`;
}

/** A percent as people read it: "2.0000" → "2", "2.50" → "2.5" (text, not a float). */
export const shortPct = (pct: string) => (pct.includes('.') ? pct.replace(/\.?0+$/, '') : pct);

/** How far something trails, as a view carries it: a percent, an amount, or neither. */
export interface TrailView {
  trailPercent: string | null;
  trailAmount?: string | null;
}

/**
 * How far something trails, for the tables: "trail 2 %", or an amount in price units as the
 * server writes it, at the market's price scale ("trail 250.50"); undefined when it does not
 * trail.
 */
export function trailText(v: TrailView): string | undefined {
  if (v.trailPercent) return `trail ${shortPct(v.trailPercent)} %`;
  if (v.trailAmount) return `trail ${v.trailAmount}`;
  return undefined;
}

/** A distance in words for a tooltip: "2 %", "250.50 USDT", "250.50" (undefined: none). */
export function trailDistanceWords(v: TrailView, quote?: string): string | undefined {
  if (v.trailPercent) return `${shortPct(v.trailPercent)} %`;
  if (v.trailAmount) return `${v.trailAmount}${quote ? ` ${quote}` : ''}`;
  return undefined;
}

/**
 * A level and how far it trails, for a table cell: "58800 · trail 2 %", just "trail 250.50"
 * while the level is not known, just the level (or "—") when it does not trail.
 */
export function levelWithTrail(level: string | null, v: TrailView): string {
  const trail = trailText(v);
  if (!trail) return level ?? '—';
  return level === null ? trail : `${level} · ${trail}`;
}

/** The trailing parts of a paper order, as its view carries them. */
export interface PaperOrderTrail extends TrailView {
  type: string;
  status: string;
  price: string;
  trailTracking: boolean;
  stopLoss: string | null;
  takeProfit: string | null;
  stopLossTrailPercent: string | null;
  stopLossTrailAmount?: string | null;
}

/** Whether a view trails (by percent or by amount). */
export const trails = (v: TrailView) => Boolean(v.trailPercent || v.trailAmount);

/** A paper order's type, with how far it trails ("stop · trail 1 %", "stop · trail 250.50"). */
export function orderTypeText(o: PaperOrderTrail): string {
  const trail = trailText(o);
  return trail ? `${o.type} · ${trail}` : o.type;
}

/**
 * A waiting paper order's price: a trailing stop's is where it waits for the book, before it
 * tracks, and its trigger now once it does.
 */
export function orderPriceText(o: PaperOrderTrail): string {
  if (!trails(o) || o.status !== 'open') return o.price;
  return o.trailTracking ? `trigger ${o.price}` : `waits for ${o.price}`;
}

/** The stop-loss and take-profit a paper order's position gets when it fills. */
export function bracketsText(o: PaperOrderTrail): string {
  const sl =
    trailText({ trailPercent: o.stopLossTrailPercent, trailAmount: o.stopLossTrailAmount }) ??
    o.stopLoss;
  if (sl === null && o.takeProfit === null) return '—';
  return `${sl ?? '—'} / ${o.takeProfit ?? '—'}`;
}
