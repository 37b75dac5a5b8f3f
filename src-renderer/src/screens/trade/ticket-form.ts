import type { OperationInput } from '../../../../src-shared/contract';
import {
  decimalsOf,
  div,
  floorToStep,
  isPositive,
  mul,
  toUnits,
} from '../../../../src-shared/decimal';
import type { TrailUnit } from '../accounts/trail-distance';
import type { Balance, Market } from '../../stores/trade';
import { stopLossTrailInputOf, stopLossTrailLevel, stopLossTrailProblems } from './exit-trail';
import { ladder, type Ladder, type LadderField } from './ladder';
import { ticketTrailOf, trailFieldOf, trailProblems } from './ticket-trail';
import { initialTrailStop } from './trailing';

/**
 * The order ticket's form as values: what it holds, what is wrong with it, and the
 * `orders.place` inputs it becomes. No React here, so every rule can be tested on its own.
 */

export type PlaceInput = OperationInput<'orders.place'>;
export type Side = PlaceInput['side'];
export type Tif = NonNullable<PlaceInput['tif']>;
export type Stp = NonNullable<PlaceInput['stp']>;
export type PlaceOcoInput = OperationInput<'orders.placeOco'>;
export type PlaceWithExitsInput = OperationInput<'orders.placeWithExits'>;
/**
 * The engine's order types, plus a scaled order (limit orders over a price range) and an
 * OCO (a take-profit limit and a stop, one cancelling the other).
 */
export type OrderType = PlaceInput['type'] | 'scaled' | 'oco';

/** Labels of the order types, in the order the ticket lists them. */
export const TYPE_TEXT: Record<OrderType, string> = {
  limit: 'Limit',
  market: 'Market',
  stop_limit: 'Stop limit',
  stop_market: 'Stop market',
  take_profit_limit: 'Take profit limit',
  take_profit_market: 'Take profit market',
  scaled: 'Scaled (price ladder)',
  oco: 'OCO (take profit + stop)',
};
export const TIF_TEXT: Record<Tif, string> = {
  GTC: 'Good till cancelled (GTC)',
  IOC: 'Immediate or cancel (IOC)',
  FOK: 'Fill or kill (FOK)',
};
export const STP_TEXT: Record<Stp, string> = {
  cancel_newest: 'Cancel newest',
  cancel_oldest: 'Cancel oldest',
  cancel_both: 'Cancel both',
};

export interface Form {
  side: Side;
  type: OrderType;
  by: 'base' | 'quote';
  price: string;
  /** The last price of a scaled order (`price` is its first). */
  priceTo: string;
  /** Orders in a scaled order. */
  count: string;
  /**
   * A stop's stop price or a take-profit's trigger price; a trailing stop's optional
   * activation price.
   */
  stopPrice: string;
  /**
   * A stop-market, stop-limit or an OCO's stop leg that trails the best price since it
   * started tracking.
   */
  trailing: boolean;
  /** What the trailing distance is typed in: percent, or the quote currency (price units). */
  trailUnit: TrailUnit;
  /** The trailing distance in percent as typed ("1.5"); sent as basis points. */
  trailPct: string;
  /** The trailing distance in the quote currency as typed ("250.5"); sent as that decimal. */
  trailAmount: string;
  /** An OCO's stop-limit price; blank makes its stop leg a stop-market. */
  stopLimitPrice: string;
  qty: string;
  quoteQty: string;
  tif: Tif;
  postOnly: boolean;
  /** An OCO as a bracket: a partial fill of its take profit leaves the stop on the rest. */
  bracket: boolean;
  stp: Stp;
  clientOrderId: string;
  /** Exits placed for what the order fills (blank: none). */
  takeProfit: string;
  stopLoss: string;
  /** The stop loss trails the best price from when it is placed, instead of a fixed price. */
  stopLossTrails: boolean;
  /** What a trailing stop loss's distance is typed in: percent, or the quote currency. */
  stopLossTrailUnit: TrailUnit;
  /** A trailing stop loss's distance in percent as typed ("2.5"); sent as that decimal. */
  stopLossTrailPct: string;
  /** A trailing stop loss's distance in the quote currency as typed ("3.50"); sent as typed. */
  stopLossTrailAmount: string;
}

export type Problems = Partial<Record<keyof Form, string>>;

export const EMPTY: Form = {
  side: 'buy',
  type: 'limit',
  by: 'base',
  price: '',
  priceTo: '',
  count: '5',
  stopPrice: '',
  trailing: false,
  trailUnit: 'percent',
  trailPct: '',
  trailAmount: '',
  stopLimitPrice: '',
  qty: '',
  quoteQty: '',
  tif: 'GTC',
  postOnly: false,
  bracket: false,
  stp: 'cancel_newest',
  clientOrderId: '',
  takeProfit: '',
  stopLoss: '',
  stopLossTrails: false,
  stopLossTrailUnit: 'percent',
  stopLossTrailPct: '',
  stopLossTrailAmount: '',
};

/** A take-profit: waits for the price to move for it, then runs as a market or limit order. */
export const isTakeProfit = (type: OrderType) =>
  type === 'take_profit_limit' || type === 'take_profit_market';

/**
 * A market order a buy may size by the quote amount to spend: a market order, or a
 * take-profit market (which runs as one when it triggers).
 */
export const sizesByQuote = (type: OrderType) => type === 'market' || type === 'take_profit_market';

/** Which fields a form's order type shows and sends. */
export function shapeOf(f: Form) {
  const scaled = f.type === 'scaled';
  const oco = f.type === 'oco';
  const takeProfit = isTakeProfit(f.type);
  return {
    scaled,
    oco,
    /** A limit price (a scaled order's first price, an OCO's take-profit price). */
    needsPrice:
      f.type === 'limit' ||
      f.type === 'stop_limit' ||
      f.type === 'take_profit_limit' ||
      scaled ||
      oco,
    isStop: f.type === 'stop_limit' || f.type === 'stop_market' || oco,
    /** A take-profit limit or market: a trigger price, never trailing, never post-only. */
    takeProfit,
    /** A trailing stop (or OCO stop leg): its stop price is optional (where it starts trailing). */
    trails: (f.type === 'stop_limit' || f.type === 'stop_market' || oco) && f.trailing,
    /** A market buy (or take-profit market buy) sized by the quote amount to spend. */
    byQuote: sizesByQuote(f.type) && f.by === 'quote' && f.side === 'buy',
    /** A lone order may carry a take-profit / stop-loss (orders.placeWithExits). */
    exits: !scaled && !oco,
  };
}

const multipleOf = (value: string, step: string) => {
  const scale = Math.max(decimalsOf(value), decimalsOf(step));
  const v = toUnits(value, scale);
  const s = toUnits(step, scale);
  return v !== undefined && s !== undefined && s > 0n && v % s === 0n;
};

/** Compares typed-in decimals exactly (18 decimals hold any asset's). */
const units = (s: string) => toUnits(s, 18) ?? 0n;

const LADDER_FIELD: Record<LadderField, keyof Form> = {
  from: 'price',
  to: 'priceTo',
  count: 'count',
  totalQty: 'qty',
};

export const ladderOf = (f: Form, m: Market): Ladder =>
  ladder({
    from: f.price,
    to: f.priceTo,
    count: f.count,
    totalQty: f.qty,
    tickSize: m.tickSize,
    lotSize: m.lotSize,
  });

/** A scaled order's problems: the ladder's, then each leg against the market's minimums. */
function scaledProblems(f: Form, m: Market): Problems {
  const l = ladderOf(f, m);
  if (!l.ok) return { [LADDER_FIELD[l.field]]: l.message };
  const out: Problems = {};
  const smallest = l.legs.reduce((a, b) => (units(b.qty) < units(a.qty) ? b : a));
  const lowest = l.legs.reduce((a, b) => (units(b.price) < units(a.price) ? b : a));
  const scale = decimalsOf(m.tickSize) + decimalsOf(m.lotSize);
  const value = mul(lowest.price, smallest.qty, scale) ?? '0';
  if (units(smallest.qty) < units(m.minQty)) {
    out.qty = `Each order is ${smallest.qty} or more; the minimum is ${m.minQty}`;
  } else if (units(value) < units(m.minNotional)) {
    out.qty = `The smallest order is worth ${value} ${m.quote}; the minimum is ${m.minNotional}`;
  }
  if (f.clientOrderId.length > 60) {
    out.clientOrderId = 'At most 60 characters here (each order adds -1, -2, …)';
  }
  return out;
}

/**
 * The price an order's exits are measured against: its own, or the touch a market order meets
 * (none for a trailing stop-market: where it triggers is not known yet).
 */
function entryPrice(f: Form, touch: string | undefined): string | undefined {
  if (f.type === 'limit' || f.type === 'stop_limit' || f.type === 'take_profit_limit') {
    return f.price;
  }
  if (f.type === 'stop_market') return shapeOf(f).trails ? undefined : f.stopPrice;
  // A take-profit market runs when the price reaches its trigger: it fills about there.
  if (f.type === 'take_profit_market') return f.stopPrice;
  return touch;
}

/** The stop loss as typed: its price, or its trailing distance in its unit. */
const stopLossTyped = (f: Form) =>
  (f.stopLossTrails ? f[stopLossTrailInputOf(f.stopLossTrailUnit)] : f.stopLoss).trim();

/** Whether the form attaches exits (either level filled in, on a type that takes them). */
export const hasExits = (f: Form) =>
  shapeOf(f).exits && (f.takeProfit.trim() !== '' || stopLossTyped(f) !== '');

/** The market's prices the checks need: the touch a market order meets, the last trade. */
export interface Prices {
  touch?: string | undefined;
  last?: string | undefined;
}

/** Field problems found before sending (the server checks everything again). */
export function problems(f: Form, m: Market, prices: Prices = {}): Problems {
  const out: Problems = {};
  if (f.clientOrderId && !/^[A-Za-z0-9_.:-]{1,64}$/.test(f.clientOrderId))
    out.clientOrderId = 'Letters, digits and _ . : - only (64 at most)';
  if (f.type === 'scaled') return { ...out, ...scaledProblems(f, m) };
  const { needsPrice, isStop, takeProfit, byQuote, oco, trails } = shapeOf(f);
  const priced = (
    key: 'price' | 'stopPrice' | 'stopLimitPrice' | 'takeProfit' | 'stopLoss',
    v: string,
  ) => {
    if (!isPositive(v)) out[key] = 'Enter a price above 0';
    else if (!multipleOf(v, m.tickSize)) out[key] = `Use steps of ${m.tickSize}`;
  };
  if (needsPrice) priced('price', f.price);
  if (trails) {
    trailProblems(f, m, prices.last, out);
    // Without a price to start at, it trails from the last trade: there must have been one.
    if (f.stopPrice.trim() !== '') priced('stopPrice', f.stopPrice.trim());
    else if (!prices.last) out.stopPrice = 'No trade yet to trail from: enter a price to start at';
  } else if (isStop || takeProfit) priced('stopPrice', f.stopPrice);
  if (oco && f.stopLimitPrice !== '') priced('stopLimitPrice', f.stopLimitPrice);
  const trailOk = !out.trailPct && !out.trailAmount;
  if (oco && !out.price && !out.stopPrice && trailOk) ocoProblem(f, m, prices.last, out);
  if (hasExits(f)) {
    stopLossTrailProblems(f, m, prices, out);
    exitProblems(f, entryPrice(f, prices.touch), priced, out);
  }
  if (byQuote) {
    if (!isPositive(f.quoteQty)) out.quoteQty = `Enter an amount of ${m.quote}`;
  } else if (!isPositive(f.qty)) out.qty = 'Enter a quantity above 0';
  else if (!multipleOf(f.qty, m.lotSize)) out.qty = `Use steps of ${m.lotSize}`;
  return out;
}

/**
 * The stop an OCO's stop leg starts with, as the engine checks the pair against it: its stop
 * price, a trailing leg's price to start at, or else its initial stop behind the last price.
 */
function ocoStartingStop(f: Form, m: Market, last: string | undefined): string | undefined {
  const given = f.stopPrice.trim();
  if (!shapeOf(f).trails || given !== '') return given;
  const distance = ticketTrailOf(f, m);
  return distance.ok && last ? initialTrailStop(f.side, last, distance.by, m.tickSize) : undefined;
}

/** An OCO's take profit is on the profit side of its stop: above it for a sell, below for a buy. */
function ocoProblem(f: Form, m: Market, last: string | undefined, out: Problems): void {
  const stop = ocoStartingStop(f, m, last);
  if (stop === undefined) return;
  const ok = f.side === 'sell' ? units(f.price) > units(stop) : units(f.price) < units(stop);
  if (ok) return;
  const where = f.side === 'sell' ? 'above' : 'below';
  out.price = shapeOf(f).trails
    ? `A ${f.side} takes profit ${where} its stop, which starts at ${stop}`
    : `A ${f.side} takes profit ${where} its stop price`;
}

/**
 * A take-profit above a buy's entry and a stop-loss below it (a sell's the other way round); a
 * trailing stop-loss has no price to measure, only its distance (exit-trail.ts).
 */
function exitProblems(
  f: Form,
  entry: string | undefined,
  priced: (key: 'takeProfit' | 'stopLoss', v: string) => void,
  out: Problems,
): void {
  const levels = f.stopLossTrails
    ? (['takeProfit'] as const)
    : (['takeProfit', 'stopLoss'] as const);
  for (const key of levels) {
    const v = f[key].trim();
    if (v === '') continue;
    priced(key, v);
    if (out[key] || !entry || !isPositive(entry)) continue;
    const above = (key === 'takeProfit') === (f.side === 'buy');
    const ok = above ? units(v) > units(entry) : units(v) < units(entry);
    const name = key === 'takeProfit' ? 'take profit' : 'stop loss';
    if (!ok) out[key] = `A ${f.side}'s ${name} is ${above ? 'above' : 'below'} ${entry}`;
  }
}

/** A lone order with its exits, as `orders.placeWithExits` takes it. */
export function toExitsInput(f: Form, symbol: string): PlaceWithExitsInput {
  const stopLoss = stopLossTyped(f);
  return {
    order: toInput(f, symbol),
    ...(f.takeProfit.trim() ? { takeProfit: { price: f.takeProfit.trim() } } : {}),
    // A trailing stop loss is sent as the decimal typed: the server reads it exactly.
    ...(stopLoss === ''
      ? {}
      : { stopLoss: f.stopLossTrails ? stopLossTrailLevel(f) : { price: stopLoss } }),
  };
}

/** A scaled order's legs as limit orders (client ids `<id>-1`, `<id>-2`, … when one is set). */
export function scaledInputs(f: Form, m: Market): PlaceInput[] {
  const l = ladderOf(f, m);
  if (!l.ok) return [];
  return l.legs.map((leg, i) => ({
    symbol: m.symbol,
    side: f.side,
    type: 'limit',
    price: leg.price,
    qty: leg.qty,
    tif: f.tif,
    ...(f.postOnly ? { postOnly: true } : {}),
    stp: f.stp,
    ...(f.clientOrderId ? { clientOrderId: `${f.clientOrderId}-${i + 1}` } : {}),
  }));
}

/**
 * A stop's or take-profit's stop price (its trigger), and a trailing stop's distance (in its
 * unit) with its activation price if given.
 */
function stopOf(f: Form): Pick<PlaceInput, 'stopPrice' | 'trailBps' | 'trailAmount'> {
  const { isStop, takeProfit, trails } = shapeOf(f);
  if (!trails) return isStop || takeProfit ? { stopPrice: f.stopPrice } : {};
  const activation = f.stopPrice.trim();
  return { ...trailFieldOf(f), ...(activation !== '' ? { stopPrice: activation } : {}) };
}

/** The one order a non-scaled form places. */
export function toInput(f: Form, symbol: string): PlaceInput {
  const { needsPrice, byQuote } = shapeOf(f);
  return {
    symbol,
    side: f.side,
    type: f.type === 'scaled' || f.type === 'oco' ? 'limit' : f.type,
    ...(needsPrice ? { price: f.price, tif: f.tif } : {}),
    ...stopOf(f),
    ...(byQuote ? { quoteQty: f.quoteQty } : { qty: f.qty }),
    ...(f.type === 'limit' && f.postOnly ? { postOnly: true } : {}),
    stp: f.stp,
    ...(f.clientOrderId ? { clientOrderId: f.clientOrderId } : {}),
  };
}

/**
 * An OCO form as `orders.placeOco` takes it (a trailing stop leg's distance as stopTrailBps,
 * or stopTrailAmount).
 */
export function toOcoInput(f: Form, symbol: string): PlaceOcoInput {
  const { stopPrice, trailBps, trailAmount } = stopOf(f);
  return {
    symbol,
    side: f.side,
    qty: f.qty,
    price: f.price,
    ...(stopPrice !== undefined ? { stopPrice } : {}),
    ...(trailBps !== undefined ? { stopTrailBps: trailBps } : {}),
    ...(trailAmount !== undefined ? { stopTrailAmount: trailAmount } : {}),
    ...(f.stopLimitPrice !== '' ? { stopLimitPrice: f.stopLimitPrice } : {}),
    stp: f.stp,
    ...(f.clientOrderId ? { listClientOrderId: f.clientOrderId } : {}),
    ...(f.bracket ? { bracket: true } : {}),
  };
}

/** What a buy's quantity is sized on: a scaled order's highest price, so it stays affordable. */
function sizingPrice(f: Form, refPrice: string | undefined): string | undefined {
  const { scaled, needsPrice } = shapeOf(f);
  if (!scaled) return needsPrice ? f.price : refPrice;
  const [a, b] = [f.price, f.priceTo];
  if (!isPositive(b)) return a;
  if (!isPositive(a)) return b;
  const scale = Math.max(decimalsOf(a), decimalsOf(b));
  return (toUnits(a, scale) ?? 0n) >= (toUnits(b, scale) ?? 0n) ? a : b;
}

/** Where the ticket takes its figures from when sizing a share of the balance. */
export interface Sizing {
  m: Market;
  quoteBal: Balance | undefined;
  baseBal: Balance | undefined;
  quoteScale: number;
  refPrice: string | undefined;
}

/**
 * The field change that spends `pct` % of the balance: a sell's quantity of base, a market
 * buy's quote amount, or a buy's quantity at its price with room left for the taker fee.
 */
export function shareOfBalance(
  f: Form,
  pct: number,
  s: Sizing,
): { field: 'qty' | 'quoteQty'; value: string } | { problem: Problems } | undefined {
  const share = (amount: string) => mul(amount, String(pct / 100), decimalsOf(amount));
  if (f.side === 'sell') {
    const q = s.baseBal && share(s.baseBal.available);
    return q ? { field: 'qty', value: floorToStep(q, s.m.lotSize) ?? '' } : undefined;
  }
  const spend = s.quoteBal && share(s.quoteBal.available);
  if (!spend) return undefined;
  if (shapeOf(f).byQuote) return { field: 'quoteQty', value: spend };
  const px = sizingPrice(f, s.refPrice);
  if (!px || !isPositive(px)) return { problem: { price: 'Set a price first' } };
  // Leave room for the taker fee the exchange holds on top of the value.
  const net = div(spend, String(1 + s.m.takerFeePpm / 1_000_000), s.quoteScale);
  const q = net && div(net, px, decimalsOf(s.m.lotSize));
  return q ? { field: 'qty', value: floorToStep(q, s.m.lotSize) ?? '' } : undefined;
}
