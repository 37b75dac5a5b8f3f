import { decimalsOf, divRound, mulDiv, parseDecimal, pow10, PPM } from '../money';
import { maintenanceFor, type ContractTerms, type PaperMarket, type Quote } from './model';

/**
 * Futures and CFDs on the paper broker: their specification as an admin writes it (decimal
 * text), its validation, and the arithmetic the broker needs beyond `model.ts` — the quote
 * derived from an index, financing charges, liquidation at maintenance and the liquidation
 * price. Words as the backtester uses them (`multiplier`, `initialMargin`,
 * `commissionPerContract`), so one word means one thing across Bourse.
 */

/** `spot-cfd`: a local exchange market traded as today (leverage, the account's costs). */
export type InstrumentKind = 'spot-cfd' | 'future' | 'cfd';

/** One future or CFD, as stored and edited (decimal text; rates in ppm). */
export interface InstrumentSpec {
  symbol: string;
  kind: 'future' | 'cfd';
  description: string;
  /** Asset the instrument settles in (a paper account must keep it). */
  quoteAsset: string;
  /** What prices it: a local market's touch (`BTC/USDT`) or a simulated index (`index:SPX`). */
  priceSource: string;
  tickSize: string;
  /** Contract step; min/max size are in contracts too. */
  lotSize: string;
  minQty: string;
  maxQty: string;
  /** Quote per price point per contract. */
  multiplier: string;
  /** Futures: quote per contract. */
  initialMargin: string;
  maintenanceMargin: string;
  /** CFDs: ppm of the notional. */
  initialMarginPpm: number;
  maintenanceMarginPpm: number;
  commissionPerContract: string;
  commissionPpm: number;
  /** Spread around the index, ppm of the price (half each side). */
  spreadPpm: number;
  /** Charged every `financingIntervalHours`; positive: longs pay shorts. */
  financingRatePpm: number;
  financingIntervalHours: number;
  status: 'trading' | 'halted';
}

const SYMBOL = /^[A-Z0-9][A-Z0-9._-]{1,19}$/;
const SOURCE = /^(index:[A-Z0-9]{1,10}|[A-Z0-9]{2,10}\/[A-Z0-9]{2,10})$/;

const positive = (t: string, scale: number) => {
  const p = parseDecimal(t, scale);
  return p.ok && p.value > 0n;
};
const nonNegative = (t: string, scale: number) => {
  const p = parseDecimal(t, scale);
  return p.ok && p.value >= 0n;
};

/** Why a spec is refused (field and message), or null. `quoteScale` is its asset's. */
export function instrumentProblem(
  s: InstrumentSpec,
  quoteScale: number,
): { field: string; message: string } | null {
  const bad = (field: string, message: string) => ({ field, message });
  const intIn = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!SYMBOL.test(s.symbol)) return bad('symbol', 'symbol must be 2–20 of A–Z 0–9 . _ -');
  if (s.symbol.includes('/')) return bad('symbol', 'an instrument symbol has no slash');
  if (!SOURCE.test(s.priceSource))
    return bad('priceSource', 'priceSource is a market (BTC/USDT) or index:NAME');
  const dec = (f: 'tickSize' | 'lotSize' | 'minQty' | 'maxQty' | 'multiplier') =>
    positive(s[f], 8) ? null : bad(f, `${f} must be a positive decimal with at most 8 places`);
  for (const f of ['tickSize', 'lotSize', 'minQty', 'maxQty', 'multiplier'] as const) {
    const p = dec(f);
    if (p) return p;
  }
  const lot = parseDecimal(s.lotSize, 8);
  const min = parseDecimal(s.minQty, 8);
  const max = parseDecimal(s.maxQty, 8);
  if (lot.ok && min.ok && max.ok) {
    if (min.value % lot.value !== 0n) return bad('minQty', 'minQty must be a multiple of lotSize');
    if (max.value < min.value) return bad('maxQty', 'maxQty must be at least minQty');
  }
  for (const f of ['initialMargin', 'maintenanceMargin', 'commissionPerContract'] as const) {
    if (!nonNegative(s[f], quoteScale))
      return bad(f, `${f} must be a decimal ≥ 0 with at most ${quoteScale} places`);
  }
  for (const f of ['initialMarginPpm', 'maintenanceMarginPpm'] as const) {
    if (!intIn(s[f], 0, PPM)) return bad(f, `${f} must be a whole number from 0 to 1000000`);
  }
  if (s.kind === 'future') {
    if (!positive(s.initialMargin, quoteScale))
      return bad('initialMargin', 'a future needs an initial margin per contract');
    const im = parseDecimal(s.initialMargin, quoteScale);
    const mm = parseDecimal(s.maintenanceMargin, quoteScale);
    if (im.ok && mm.ok && (mm.value <= 0n || mm.value > im.value))
      return bad(
        'maintenanceMargin',
        'maintenanceMargin must be above 0 and at most initialMargin',
      );
  } else {
    if (s.initialMarginPpm < 1) return bad('initialMarginPpm', 'a CFD needs a margin rate');
    if (s.maintenanceMarginPpm < 1 || s.maintenanceMarginPpm > s.initialMarginPpm)
      return bad(
        'maintenanceMarginPpm',
        'maintenanceMarginPpm must be above 0 and at most initialMarginPpm',
      );
  }
  for (const f of ['commissionPpm', 'spreadPpm'] as const) {
    if (!intIn(s[f], 0, 100_000)) return bad(f, `${f} must be a whole number from 0 to 100000`);
  }
  if (!intIn(s.financingRatePpm, -100_000, 100_000))
    return bad(
      'financingRatePpm',
      'financingRatePpm must be a whole number from −100000 to 100000',
    );
  if (!intIn(s.financingIntervalHours, 1, 168))
    return bad('financingIntervalHours', 'financingIntervalHours must be from 1 to 168');
  return null;
}

/** Units of a checked decimal (the spec was validated first). */
function unitsOf(text: string, scale: number): bigint {
  const p = parseDecimal(text, scale);
  if (!p.ok) throw new RangeError(`${text}: ${p.error.message}`);
  return p.value;
}

/** The paper broker's view of an instrument: scales from its tick and lot, exact terms. */
export function compileInstrument(s: InstrumentSpec, quoteScale: number): PaperMarket {
  const priceScale = Math.max(decimalsOf(s.tickSize), 0);
  const baseScale = decimalsOf(s.lotSize);
  const multiplierScale = decimalsOf(s.multiplier);
  const contract: ContractTerms = {
    kind: s.kind,
    multiplier: unitsOf(s.multiplier, multiplierScale),
    multiplierScale,
    initialMargin: s.kind === 'future' ? unitsOf(s.initialMargin, quoteScale) : 0n,
    maintenanceMargin: s.kind === 'future' ? unitsOf(s.maintenanceMargin, quoteScale) : 0n,
    initialMarginPpm: s.kind === 'cfd' ? s.initialMarginPpm : 0,
    maintenanceMarginPpm: s.kind === 'cfd' ? s.maintenanceMarginPpm : 0,
    commissionPerContract: unitsOf(s.commissionPerContract, quoteScale),
    commissionPpm: s.commissionPpm,
  };
  return {
    symbol: s.symbol,
    baseScale,
    quoteScale,
    priceScale,
    tickUnits: unitsOf(s.tickSize, priceScale),
    contract,
  };
}

/**
 * The instrument's quote around an index price (units at the instrument's price scale):
 * half the spread each side, bid rounded down and ask up to a tick, at least one tick apart
 * from nothing (bid ≥ one tick).
 */
export function quoteAroundIndex(m: PaperMarket, index: bigint, spreadPpm: number): Quote {
  const half2 = BigInt(spreadPpm); // ppm × 2 for half the spread
  const two = 2n * BigInt(PPM);
  const bidRaw = mulDiv(index, two - half2, two, 'floor');
  const askRaw = mulDiv(index, two + half2, two, 'ceil');
  const bid = divRound(bidRaw, m.tickUnits, 'floor') * m.tickUnits;
  const ask = divRound(askRaw, m.tickUnits, 'ceil') * m.tickUnits;
  return { bid: bid > 0n ? bid : m.tickUnits, ask: ask > 0n ? ask : m.tickUnits };
}

/** The mid of a book's touch, re-expressed at another price scale (half-even). */
export function indexFromTouch(q: Quote, fromScale: number, toScale: number): bigint {
  const sum = q.bid + q.ask;
  return toScale >= fromScale
    ? divRound(sum * pow10(toScale - fromScale), 2n, 'half_even')
    : divRound(sum, 2n * pow10(fromScale - toScale), 'half_even');
}

/** Start of the financing period containing `ts` (periods are aligned to the Unix epoch, UTC). */
export function financingPeriodStart(ts: number, intervalHours: number): number {
  const ms = intervalHours * 3_600_000;
  return Math.floor(ts / ms) * ms;
}

/** The next financing time after `ts`. */
export function nextFinancingAt(ts: number, intervalHours: number): number {
  return financingPeriodStart(ts, intervalHours) + intervalHours * 3_600_000;
}

/**
 * The cash one financing period moves for a position (signed contracts) at `index`:
 * `−qty × multiplier × index × rate`. Positive rate: longs pay, shorts receive; negative:
 * the other way round. Rounded down, so a payer pays the fraction and a receiver forgoes it.
 */
export function financingCharge(
  m: PaperMarket,
  qty: bigint,
  index: bigint,
  ratePpm: number,
): bigint {
  const k = m.contract;
  const shift = m.baseScale + m.priceScale + (k ? k.multiplierScale : 0) - m.quoteScale;
  const raw = -qty * index * BigInt(ratePpm) * (k ? k.multiplier : 1n);
  return divRound(
    raw * pow10(Math.max(-shift, 0)),
    pow10(Math.max(shift, 0)) * BigInt(PPM),
    'floor',
  );
}

/** A position as the liquidation rule sees it. */
export interface HeldPosition {
  market: PaperMarket;
  qty: bigint;
  entryPrice: bigint;
  /** Close-side price now (bid for a long, ask for a short). */
  mark: bigint;
  unrealised: bigint;
}

/** The maintenance requirement of an account: the sum over its positions at their marks. */
export function maintenanceRequirement(positions: readonly HeldPosition[]): bigint {
  let total = 0n;
  for (const p of positions) total += maintenanceFor(p.market, p.qty, p.mark);
  return total;
}

/**
 * Liquidation at maintenance: true when the account holds futures or CFDs and its equity
 * (balance + unrealised P&L of every position) is at or below their maintenance requirement.
 */
export function belowMaintenance(equity: bigint, requirement: bigint): boolean {
  return requirement > 0n && equity <= requirement;
}

/**
 * The mark at which this position would be liquidated, the rest of the account staying as it
 * is now: solves `othersEquity + pnl(P) = othersMaintenance + maintenance(P)` for P, where
 * `othersEquity` is the balance plus the other positions' unrealised P&L. Rounded towards the
 * current price (a long's up, a short's down) so it is never later than the real trigger.
 * Null when no positive price liquidates it (the account can absorb any move).
 */
export function liquidationPrice(
  m: PaperMarket,
  qty: bigint,
  entry: bigint,
  othersEquity: bigint,
  othersMaintenance: bigint,
): bigint | null {
  const k = m.contract;
  if (qty === 0n) return null;
  const shift = m.baseScale + m.priceScale + (k ? k.multiplierScale : 0) - m.quoteScale;
  const up = pow10(Math.max(-shift, 0)); // multiplies products of units
  const down = pow10(Math.max(shift, 0)); // multiplies quote units
  const mult = k ? k.multiplier : 1n;
  const abs = qty < 0n ? -qty : qty;
  const P = BigInt(PPM);
  // Futures: a fixed requirement per contract; CFDs: a rate of the notional at P.
  const fixed =
    k?.kind === 'future' ? othersMaintenance + maintenanceFor(m, qty, 0n) : othersMaintenance;
  const rate = k?.kind === 'cfd' ? BigInt(k.maintenanceMarginPpm) : 0n;
  const num = P * up * qty * mult * entry - P * down * (othersEquity - fixed);
  const den = up * mult * (P * qty - abs * rate);
  if (den === 0n) return null;
  const price = divRound(num, den, qty > 0n ? 'ceil' : 'floor');
  return price > 0n ? price : null;
}

/** The decimal places of an instrument's contract quantities. */
export function contractScale(s: Pick<InstrumentSpec, 'lotSize'>): number {
  return decimalsOf(s.lotSize);
}

/**
 * Instruments of a fresh install (and added to existing ones), as the simulator product
 * Bourse replaces seeds them beside its spot and FX pairs. BTC-FUT is a perpetual-style
 * future on the BTC/USDT book's mid: 0.01 BTC per contract, funding every 8 h. SPX-FUT is a
 * micro-size index future (5 USD per point) on a simulated S&P 500 index; a dated future's
 * carry is in its price, so it charges no financing.
 */
export const DEFAULT_INSTRUMENTS: readonly InstrumentSpec[] = [
  {
    symbol: 'BTC-FUT',
    kind: 'future',
    description: 'Bitcoin perpetual future, 0.01 BTC per contract, on the BTC/USDT book',
    quoteAsset: 'USDT',
    priceSource: 'BTC/USDT',
    tickSize: '0.1',
    lotSize: '1',
    minQty: '1',
    maxQty: '1000',
    multiplier: '0.01',
    initialMargin: '65',
    maintenanceMargin: '32.5',
    initialMarginPpm: 0,
    maintenanceMarginPpm: 0,
    commissionPerContract: '0.05',
    commissionPpm: 0,
    spreadPpm: 100,
    financingRatePpm: 100,
    financingIntervalHours: 8,
    status: 'trading',
  },
  {
    symbol: 'SPX-FUT',
    kind: 'future',
    description: 'S&P 500 index future, 5 USD per point, on a simulated index',
    quoteAsset: 'USD',
    priceSource: 'index:SPX',
    tickSize: '0.25',
    lotSize: '1',
    minQty: '1',
    maxQty: '100',
    multiplier: '5',
    initialMargin: '1500',
    maintenanceMargin: '1200',
    initialMarginPpm: 0,
    maintenanceMarginPpm: 0,
    commissionPerContract: '0.5',
    commissionPpm: 0,
    spreadPpm: 50,
    financingRatePpm: 0,
    financingIntervalHours: 24,
    status: 'trading',
  },
];

/** Simulated indexes an instrument may name as `index:NAME`: start level and volatility. */
export const SIMULATED_INDEXES: Readonly<
  Record<string, { start: string; scale: number; annualVolPct: number }>
> = {
  SPX: { start: '5000.00', scale: 2, annualVolPct: 18 },
};
