import { applyPpm, divRound, mulDiv, pow10, PPM } from '../money';
import type { Trail } from './trailing';

/**
 * The paper broker: a CFD/futures-style broker simulated on top of Bourse's markets. Pure
 * arithmetic, no I/O: prices come in as the local book's best bid/ask, cash as ledger units.
 *
 * Units (all bigint, exact):
 * - quantity: base-asset minor units (`10^-base.scale`), signed for positions (short < 0);
 * - price: `10^-priceScale` of the quote asset per whole base unit (the market's price units);
 * - cash (P&L, margin, commission): quote-asset minor units.
 *
 * Rounding always goes against the trader (the broker never pays out a fraction it did not
 * earn): buy prices up, sell prices down, commission and margin up, realised P&L down.
 */

/** The scales of one market, as the paper broker needs them. */
export interface PaperMarket {
  symbol: string;
  baseScale: number;
  quoteScale: number;
  priceScale: number;
  /** Smallest price step in price units. */
  tickUnits: bigint;
  /**
   * A future or CFD (see `instruments.ts`): quantities are contracts at `baseScale`, P&L and
   * notional carry the multiplier, margin and commission follow the contract terms. Absent
   * for the local exchange's markets traded as today (`spot-cfd`: one unit of base, margin by
   * leverage, the account's commission and spread).
   */
  contract?: ContractTerms;
}

/** The contract terms of a future or CFD, in exact units (compiled from an instrument spec). */
export interface ContractTerms {
  kind: 'future' | 'cfd';
  /** Contract multiplier (point value): quote units per price point per contract, at `multiplierScale`. */
  multiplier: bigint;
  multiplierScale: number;
  /** Futures: cash held per whole contract while open / required to stay open (quote minor units). */
  initialMargin: bigint;
  maintenanceMargin: bigint;
  /** CFDs: margin as ppm of the notional (initial held at entry, maintenance at the mark). */
  initialMarginPpm: number;
  maintenanceMarginPpm: number;
  /** Commission per whole contract (quote minor units) and/or ppm of the notional. */
  commissionPerContract: bigint;
  commissionPpm: number;
}

/** The execution model and limits of one paper account (all documented in docs/guide/trading-accounts.md). */
export interface PaperConfig {
  /** Highest leverage an order may use (1 = no leverage). */
  maxLeverage: number;
  /** Leverage used when an order names none. */
  defaultLeverage: number;
  /** Extra spread added on top of the book's, in ppm of the price (half on each side). */
  spreadPpm: number;
  /** Size-dependent slippage: ppm of price added per 10,000 of quote notional... */
  slippagePpmPer10k: number;
  /** ...capped at this many ppm. */
  maxSlippagePpm: number;
  /** Commission in ppm of the notional of every fill. */
  commissionPpm: number;
  /** Margin level (equity ÷ margin used, %) at or below which a margin call is raised. */
  marginCallLevelPct: number;
  /** Margin level (%) at or below which positions are closed, worst first. */
  stopOutLevelPct: number;
}

export const DEFAULT_PAPER_CONFIG: PaperConfig = {
  maxLeverage: 10,
  defaultLeverage: 1,
  spreadPpm: 200, // 0.02 %
  slippagePpmPer10k: 10, // 0.001 % per 10,000 quote of size
  maxSlippagePpm: 5000, // 0.5 %
  commissionPpm: 500, // 0.05 %
  marginCallLevelPct: 100,
  stopOutLevelPct: 50,
};

/** Why a config is refused, or null. */
export function paperConfigProblem(c: PaperConfig): string | null {
  const intIn = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!intIn(c.maxLeverage, 1, 500)) return 'maxLeverage must be a whole number from 1 to 500';
  if (!intIn(c.defaultLeverage, 1, c.maxLeverage))
    return `defaultLeverage must be a whole number from 1 to maxLeverage (${c.maxLeverage})`;
  for (const k of ['spreadPpm', 'slippagePpmPer10k', 'maxSlippagePpm', 'commissionPpm'] as const) {
    if (!intIn(c[k], 0, 100_000)) return `${k} must be a whole number from 0 to 100000 (10 %)`;
  }
  if (!intIn(c.stopOutLevelPct, 0, 1000)) return 'stopOutLevelPct must be from 0 to 1000';
  if (!intIn(c.marginCallLevelPct, c.stopOutLevelPct, 1000))
    return `marginCallLevelPct must be from stopOutLevelPct (${c.stopOutLevelPct}) to 1000`;
  return null;
}

/** One net position per account and market (netting model). */
export interface PaperPosition {
  symbol: string;
  /** Signed base minor units; never 0 for a stored position. */
  qty: bigint;
  /** Volume-weighted entry price (price units). */
  entryPrice: bigint;
  leverage: number;
  /** Margin held for the position: entry notional ÷ leverage (quote minor units). */
  margin: bigint;
  stopLoss: bigint | null;
  takeProfit: bigint | null;
  /**
   * A trailing stop-loss: `stopLoss` follows the quote this far behind (see trailing.ts).
   * Absent or null: a fixed stop-loss, if any.
   */
  trail?: Trail | null;
  /** P&L realised by partial closes so far (quote minor units). */
  realised: bigint;
  openedAt: number;
}

/** The book's touch; `null` sides fall back to the other side or the last price upstream. */
export interface Quote {
  bid: bigint;
  ask: bigint;
  /**
   * True when the book had one side (or none, and this is the last price) and the other was
   * filled in from it: a price to value and trigger with, not one for trailing stops to follow
   * (a cancel-and-replace leaves a side empty for a moment).
   */
  oneSided?: boolean;
}

const abs = (v: bigint) => (v < 0n ? -v : v);

/**
 * `qty × multiplier × price` (a product of units) in quote minor units, rounded by `mode`:
 * the one scaling step behind notional and P&L.
 */
function toQuote(m: PaperMarket, raw: bigint, mode: 'floor' | 'ceil' | 'half_even'): bigint {
  const c = m.contract;
  const shift = m.baseScale + m.priceScale + (c ? c.multiplierScale : 0) - m.quoteScale;
  const r = c ? raw * c.multiplier : raw;
  return shift >= 0 ? divRound(r, pow10(shift), mode) : r * pow10(-shift);
}

/** Quote minor units of `qty` (base units, or contracts × multiplier) at `price`. */
export function notional(
  m: PaperMarket,
  qty: bigint,
  price: bigint,
  mode: 'floor' | 'ceil' | 'half_even',
): bigint {
  return toQuote(m, qty * price, mode);
}

/** Slippage in ppm for an order of this notional (size-dependent, capped). */
export function slippagePpm(m: PaperMarket, c: PaperConfig, notionalUnits: bigint): number {
  const per = pow10(m.quoteScale) * 10_000n; // 10,000 whole quote units
  const ppm = mulDiv(abs(notionalUnits), BigInt(c.slippagePpmPer10k), per, 'ceil');
  return Number(ppm > BigInt(c.maxSlippagePpm) ? BigInt(c.maxSlippagePpm) : ppm);
}

/**
 * The price a market order of `qty` executes at: the book's ask (buy) or bid (sell), widened
 * by half the extra spread and by size-dependent slippage, rounded to a tick against the
 * trader.
 */
export function executionPrice(
  m: PaperMarket,
  c: PaperConfig,
  side: 'buy' | 'sell',
  qty: bigint,
  quote: Quote,
): { price: bigint; slippagePpm: number } {
  const touch = side === 'buy' ? quote.ask : quote.bid;
  const slip = slippagePpm(m, c, notional(m, qty, touch, 'ceil'));
  // Half the spread, in ppm × 2 to keep odd spreads exact. An instrument's quote already
  // carries its own spread, so the account's is not added on top.
  const adverse2 = BigInt(m.contract ? 0 : c.spreadPpm) + 2n * BigInt(slip);
  const num = side === 'buy' ? 2n * BigInt(PPM) + adverse2 : 2n * BigInt(PPM) - adverse2;
  const raw = mulDiv(touch, num, 2n * BigInt(PPM), side === 'buy' ? 'ceil' : 'floor');
  const ticks = divRound(raw, m.tickUnits, side === 'buy' ? 'ceil' : 'floor');
  const price = ticks * m.tickUnits;
  return { price: price > 0n ? price : m.tickUnits, slippagePpm: slip };
}

/**
 * Commission on a fill, rounded up: ppm of its notional (the account's rate on a spot-cfd
 * market); on an instrument, its commission per contract plus its own ppm of the notional.
 */
export function commissionOf(m: PaperMarket, c: PaperConfig, qty: bigint, price: bigint): bigint {
  const k = m.contract;
  const ppm = k ? k.commissionPpm : c.commissionPpm;
  const byRate = applyPpm(notional(m, abs(qty), price, 'ceil'), ppm, 'ceil');
  return k ? byRate + perContract(m, abs(qty), k.commissionPerContract) : byRate;
}

/** `amount` per whole contract for `qty` contracts (at `baseScale`), rounded up. */
function perContract(m: PaperMarket, qty: bigint, amount: bigint): bigint {
  return divRound(qty * amount, pow10(m.baseScale), 'ceil');
}

/**
 * P&L of `qty` (signed, the position's direction) moved from `entry` to `exit`, rounded
 * down: `qty × multiplier × (exit − entry)` (multiplier 1 on a spot-cfd market).
 */
export function pnlOf(m: PaperMarket, qty: bigint, entry: bigint, exit: bigint): bigint {
  return toQuote(m, qty * (exit - entry), 'floor');
}

/**
 * Margin held while a position is open, rounded up: a future's initial margin per contract;
 * a CFD's initial margin rate of the entry notional; otherwise notional ÷ leverage.
 */
export function marginFor(m: PaperMarket, qty: bigint, price: bigint, leverage: number): bigint {
  const k = m.contract;
  if (k?.kind === 'future') return perContract(m, abs(qty), k.initialMargin);
  const n = notional(m, abs(qty), price, 'ceil');
  if (k) return applyPpm(n, k.initialMarginPpm, 'ceil');
  return divRound(n, BigInt(leverage), 'ceil');
}

/**
 * What a position needs to stay open, rounded up: a future's maintenance margin per
 * contract; a CFD's maintenance rate of the notional at `mark`; 0 on a spot-cfd market
 * (the account's stop-out level governs those).
 */
export function maintenanceFor(m: PaperMarket, qty: bigint, mark: bigint): bigint {
  const k = m.contract;
  if (!k) return 0n;
  if (k.kind === 'future') return perContract(m, abs(qty), k.maintenanceMargin);
  return applyPpm(notional(m, abs(qty), mark, 'ceil'), k.maintenanceMarginPpm, 'ceil');
}

/** What a fill did to a position. */
export interface FillEffect {
  /** The position after the fill, or null when it was closed flat. */
  position: PaperPosition | null;
  /** P&L realised by the part that reduced the position (quote minor units). */
  realised: bigint;
  /** Base units that reduced an existing position. */
  closedQty: bigint;
  /** Base units that opened or increased a position. */
  openedQty: bigint;
}

/**
 * Applies a fill of `qty` (signed: buy > 0, sell < 0) at `price` to a position (netting):
 * same direction adds at a volume-weighted entry (the whole position then uses `leverage`);
 * the opposite direction closes first (realising P&L, the rest keeps its leverage) and
 * opens the remainder the other way.
 */
export function applyFill(
  m: PaperMarket,
  pos: PaperPosition | null,
  qty: bigint,
  price: bigint,
  leverage: number,
  ts: number,
): FillEffect {
  if (qty === 0n) throw new RangeError('fill quantity must be non-zero');
  if (!pos || pos.qty === 0n) {
    return {
      position: {
        symbol: m.symbol,
        qty,
        entryPrice: price,
        leverage,
        margin: marginFor(m, qty, price, leverage),
        stopLoss: null,
        takeProfit: null,
        realised: 0n,
        openedAt: ts,
      },
      realised: 0n,
      closedQty: 0n,
      openedQty: abs(qty),
    };
  }
  const sameDirection = pos.qty > 0n === qty > 0n;
  if (sameDirection) {
    const total = pos.qty + qty;
    const entry = divRound(
      abs(pos.qty) * pos.entryPrice + abs(qty) * price,
      abs(total),
      'half_even',
    );
    // Adding at a named leverage re-margins the whole position at it (per-market leverage).
    const lev = leverage;
    return {
      position: {
        ...pos,
        qty: total,
        entryPrice: entry,
        leverage: lev,
        margin: marginFor(m, total, entry, lev),
      },
      realised: 0n,
      closedQty: 0n,
      openedQty: abs(qty),
    };
  }
  const closing = abs(qty) < abs(pos.qty) ? abs(qty) : abs(pos.qty);
  const signedClosing = pos.qty > 0n ? closing : -closing;
  const realised = pnlOf(m, signedClosing, pos.entryPrice, price);
  const left = pos.qty + qty; // opposite signs
  if (left === 0n) return { position: null, realised, closedQty: closing, openedQty: 0n };
  if (left > 0n === pos.qty > 0n) {
    return {
      position: {
        ...pos,
        qty: left,
        margin: marginFor(m, left, pos.entryPrice, pos.leverage),
        realised: pos.realised + realised,
      },
      realised,
      closedQty: closing,
      openedQty: 0n,
    };
  }
  // Flipped: the remainder opens a fresh position the other way (brackets do not carry over).
  return {
    position: {
      symbol: m.symbol,
      qty: left,
      entryPrice: price,
      leverage,
      margin: marginFor(m, left, price, leverage),
      stopLoss: null,
      takeProfit: null,
      realised: 0n,
      openedAt: ts,
    },
    realised,
    closedQty: closing,
    openedQty: abs(left),
  };
}

/** The price a position would close at now: the bid for a long, the ask for a short. */
export function markPrice(pos: PaperPosition, quote: Quote): bigint {
  return pos.qty > 0n ? quote.bid : quote.ask;
}

export function unrealisedOf(m: PaperMarket, pos: PaperPosition, quote: Quote): bigint {
  return pnlOf(m, pos.qty, pos.entryPrice, markPrice(pos, quote));
}

/** Account figures, all in the account's currency minor units. */
export interface PaperSummary {
  balance: bigint;
  unrealised: bigint;
  equity: bigint;
  marginUsed: bigint;
  freeMargin: bigint;
  /** equity ÷ margin used in hundredths of a percent, or null without positions. */
  marginLevelBp: bigint | null;
}

export function summarise(balance: bigint, unrealised: bigint, marginUsed: bigint): PaperSummary {
  const equity = balance + unrealised;
  return {
    balance,
    unrealised,
    equity,
    marginUsed,
    freeMargin: equity - marginUsed,
    marginLevelBp: marginUsed > 0n ? divRound(equity * 10_000n, marginUsed, 'floor') : null,
  };
}

/** `at or below stop-out` / `at or below margin call` / fine. */
export function marginState(s: PaperSummary, c: PaperConfig): 'stop_out' | 'margin_call' | 'ok' {
  if (s.marginLevelBp === null) return 'ok';
  if (s.marginLevelBp <= BigInt(c.stopOutLevelPct) * 100n) return 'stop_out';
  if (s.marginLevelBp <= BigInt(c.marginCallLevelPct) * 100n) return 'margin_call';
  return 'ok';
}

/** Which bracket, if any, the current quote has reached. */
export function bracketHit(pos: PaperPosition, quote: Quote): 'stop_loss' | 'take_profit' | null {
  const mark = markPrice(pos, quote);
  if (pos.qty > 0n) {
    if (pos.stopLoss !== null && mark <= pos.stopLoss) return 'stop_loss';
    if (pos.takeProfit !== null && mark >= pos.takeProfit) return 'take_profit';
  } else {
    if (pos.stopLoss !== null && mark >= pos.stopLoss) return 'stop_loss';
    if (pos.takeProfit !== null && mark <= pos.takeProfit) return 'take_profit';
  }
  return null;
}

/**
 * Why stop-loss / take-profit levels are refused for a position at the current quote, or
 * null: a long's stop is below the bid and its target above; a short's the other way round.
 */
export function bracketProblem(
  qty: bigint,
  stopLoss: bigint | null,
  takeProfit: bigint | null,
  quote: Quote,
): string | null {
  const long = qty > 0n;
  const mark = long ? quote.bid : quote.ask;
  if (stopLoss !== null && (long ? stopLoss >= mark : stopLoss <= mark))
    return `stop-loss must be ${long ? 'below' : 'above'} the current ${long ? 'bid' : 'ask'}`;
  if (takeProfit !== null && (long ? takeProfit <= mark : takeProfit >= mark))
    return `take-profit must be ${long ? 'above' : 'below'} the current ${long ? 'bid' : 'ask'}`;
  return null;
}

/** A paper limit or stop order waiting for the book. */
export interface PendingOrder {
  side: 'buy' | 'sell';
  type: 'limit' | 'stop';
  /** Limit price, or the stop's trigger (price units). */
  price: bigint;
}

/**
 * Whether the book reaches a waiting order: a buy limit when the ask is at or below it, a
 * sell limit when the bid is at or above it; a buy stop when the ask rises to it, a sell stop
 * when the bid falls to it (the side the order would execute against).
 */
export function pendingTriggered(o: PendingOrder, quote: Quote): boolean {
  if (o.type === 'limit') return o.side === 'buy' ? quote.ask <= o.price : quote.bid >= o.price;
  return o.side === 'buy' ? quote.ask >= o.price : quote.bid <= o.price;
}

/** A limit order never fills worse than its limit: the execution price capped at it. */
export function capAtLimit(side: 'buy' | 'sell', price: bigint, limit: bigint): bigint {
  return side === 'buy' ? (price < limit ? price : limit) : price > limit ? price : limit;
}
