import type { IndicatorConvention } from '../indicators';
import { DEFAULT_INDICATOR_CONVENTION, INDICATOR_CONVENTIONS } from '../indicators';

/**
 * Every modelling assumption of a backtest, as one named, defaulted, echoed structure.
 * Nothing about execution is implicit: the result carries the resolved set.
 */

/** Commission per fill. `percent` is a fraction of notional (0.001 = 0.1 %). */
export type Commission =
  | { kind: 'none' }
  | { kind: 'per-order'; amount: number }
  | { kind: 'per-unit'; amount: number; minimum?: number }
  | { kind: 'percent'; rate: number; minimum?: number };

/** Adverse price adjustment on market and stop fills (limit fills get none: they fill at
 * their price or better). */
export type Slippage =
  { kind: 'none' } | { kind: 'bps'; bps: number } | { kind: 'ticks'; ticks: number };

/** How many units an order without an explicit quantity trades, decided at fill time. */
export type Sizing =
  | { kind: 'fixed-quantity'; quantity: number }
  | { kind: 'fixed-cash'; amount: number }
  | { kind: 'percent-equity'; percent: number };

/**
 * What is traded. `spot` (default): buying debits the full notional from cash, and
 * `leverage`/`contractMultiplier` apply. `future`: buying or selling debits only
 * `initialMargin` per contract, held while the position is open and released as it closes;
 * P&L is the price change × quantity × `multiplier`, marked to market at every close and
 * settled to cash when the position is reduced; `commissionPerContract` is charged on every
 * contract filled, on top of `commission`.
 */
export type Instrument =
  | { kind: 'spot' }
  | { kind: 'future'; multiplier: number; initialMargin: number; commissionPerContract: number };

/** Conventions for metrics; see metrics.ts and docs/backtesting.md for each formula. */
export interface MetricsSettings {
  /** Explicit periods per year; null derives it from the bar interval and `calendar`. */
  periodsPerYear: number | null;
  /** `equity`: 252 trading days/year; `crypto`: 365 days of 24 h. */
  calendar: 'equity' | 'crypto';
  /** Standard deviation divisor: `sample` (n-1, default) or `population` (n). */
  stdDev: 'sample' | 'population';
  /** Annual risk-free rate as a fraction (0.02 = 2 %), converted per period geometrically. */
  riskFreeRate: number;
  /** Sharpe/Sortino/volatility over bar returns (`period`, default) or per-trade returns. */
  returnsBasis: 'period' | 'trade';
}

/** The full assumption set; see `DEFAULT_ASSUMPTIONS` for defaults. */
export interface BacktestAssumptions {
  /** Starting cash in major units. */
  initialCash: number;
  /** Decimal places of the cash currency (2 = cents, 8 = satoshis). */
  currencyScale: number;
  commission: Commission;
  slippage: Slippage;
  /** Full bid/ask spread in price units; buys pay half above the bar price, sells half below. */
  spread: number;
  /** Price increment, used by tick slippage. Fill prices are not rounded to it. */
  tickSize: number;
  /** Sizing for orders that do not give a quantity. */
  sizing: Sizing;
  /** Quantities are rounded DOWN to a multiple of this (1 = whole shares/contracts). */
  quantityStep: number;
  /** When false, orders that would leave a short position are rejected. */
  allowShort: boolean;
  /** Maximum gross exposure / equity after a fill that increases exposure (1 = no leverage). */
  leverage: number;
  /** Value of one price point per unit (futures multiplier; 1 for spot). */
  contractMultiplier: number;
  /** Market orders fill at the next bar's open (default) or the next bar's close. */
  marketFill: 'next-open' | 'next-close';
  /** Close any open position at the last bar's close so every trade is realised. */
  closeAtEnd: boolean;
  /** Progress callback and cancellation check run every this many bars. */
  pollEvery: number;
  metrics: MetricsSettings;
  /** Which reference tool's ATR/RSI/RMA definitions `ctx.indicators` follows (see
   * indicators/conventions.ts). */
  indicatorConvention: IndicatorConvention;
  /** Spot (default) or a futures contract with margin; see `Instrument`. */
  instrument: Instrument;
}

/** Most common defaults: no costs (set them!), 100 % of equity per entry, no leverage. */
export const DEFAULT_ASSUMPTIONS: Readonly<BacktestAssumptions> =
  Object.freeze<BacktestAssumptions>({
    initialCash: 100_000,
    currencyScale: 2,
    commission: { kind: 'none' },
    slippage: { kind: 'none' },
    spread: 0,
    tickSize: 0.01,
    sizing: { kind: 'percent-equity', percent: 100 },
    quantityStep: 1,
    allowShort: true,
    leverage: 1,
    contractMultiplier: 1,
    marketFill: 'next-open',
    closeAtEnd: true,
    pollEvery: 16_384,
    metrics: {
      periodsPerYear: null,
      calendar: 'equity',
      stdDev: 'sample',
      riskFreeRate: 0,
      returnsBasis: 'period',
    },
    indicatorConvention: DEFAULT_INDICATOR_CONVENTION,
    instrument: { kind: 'spot' },
  });

/** Partial assumptions as a caller supplies them (metrics may be partial too). */
export type AssumptionsInput = Partial<Omit<BacktestAssumptions, 'metrics'>> & {
  metrics?: Partial<MetricsSettings>;
};

/** Merges input over defaults and validates; throws RangeError naming the bad field. */
export function resolveAssumptions(input: AssumptionsInput = {}): BacktestAssumptions {
  // Deep copy: the echoed set must not alias the caller's (or the defaults') objects.
  const a: BacktestAssumptions = structuredClone({
    ...DEFAULT_ASSUMPTIONS,
    ...input,
    metrics: { ...DEFAULT_ASSUMPTIONS.metrics, ...input.metrics },
  });
  const positive: (keyof BacktestAssumptions)[] = [
    'initialCash',
    'tickSize',
    'quantityStep',
    'leverage',
    'contractMultiplier',
    'pollEvery',
  ];
  for (const k of positive) {
    const v = a[k];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new RangeError(`assumption ${k} must be a positive finite number`);
    }
  }
  if (!Number.isInteger(a.currencyScale) || a.currencyScale < 0 || a.currencyScale > 8) {
    throw new RangeError('assumption currencyScale must be an integer in [0, 8]');
  }
  if (!(a.spread >= 0)) throw new RangeError('assumption spread must be >= 0');
  checkCosts(a);
  if (!(INDICATOR_CONVENTIONS as readonly string[]).includes(a.indicatorConvention)) {
    throw new RangeError(
      `assumption indicatorConvention must be one of ${INDICATOR_CONVENTIONS.join(', ')}`,
    );
  }
  resolveInstrument(a, input);
  const ppy = a.metrics.periodsPerYear;
  if (ppy !== null && !(ppy > 0)) throw new RangeError('metrics.periodsPerYear must be > 0');
  return a;
}

const finiteAtLeast = (v: unknown, min: number, strict: boolean): boolean =>
  typeof v === 'number' && Number.isFinite(v) && (strict ? v > min : v >= min);

/**
 * Validates the instrument and, for a future, makes `contractMultiplier` its multiplier (so
 * every notional and mark uses it). Knobs that mean something else for a future are refused
 * rather than silently ignored: `leverage` (the initial margin sets it), a different
 * `contractMultiplier`, and fractional `quantityStep` (contracts are whole).
 */
function resolveInstrument(a: BacktestAssumptions, input: AssumptionsInput): void {
  const ins = a.instrument;
  if (ins.kind === 'spot') return;
  if (ins.kind !== 'future')
    throw new RangeError('assumption instrument.kind must be spot or future');
  if (!finiteAtLeast(ins.multiplier, 0, true)) {
    throw new RangeError('assumption instrument.multiplier must be a positive finite number');
  }
  if (!finiteAtLeast(ins.initialMargin, 0, true)) {
    throw new RangeError('assumption instrument.initialMargin must be a positive finite number');
  }
  if (!finiteAtLeast(ins.commissionPerContract, 0, false)) {
    throw new RangeError('assumption instrument.commissionPerContract must be >= 0');
  }
  if (input.leverage !== undefined && input.leverage !== 1) {
    throw new RangeError('assumption leverage does not apply to a future (initialMargin sets it)');
  }
  const m = input.contractMultiplier;
  if (m !== undefined && m !== ins.multiplier) {
    throw new RangeError('assumption contractMultiplier differs from instrument.multiplier');
  }
  if (!Number.isInteger(a.quantityStep)) {
    throw new RangeError('assumption quantityStep must be a whole number for a future');
  }
  a.contractMultiplier = ins.multiplier;
}

const nonNegative = (v: number | undefined): boolean =>
  v === undefined || (v >= 0 && Number.isFinite(v));

/** Validates the cost and sizing sub-structures (negative costs would silently pay you). */
function checkCosts(a: BacktestAssumptions): void {
  const c = a.commission;
  const fee = c.kind === 'none' ? 0 : c.kind === 'percent' ? c.rate : c.amount;
  const min = c.kind === 'per-unit' || c.kind === 'percent' ? c.minimum : undefined;
  if (!nonNegative(fee) || !nonNegative(min) || (c.kind === 'percent' && !(c.rate < 1))) {
    throw new RangeError('assumption commission must be non-negative (percent rate < 1)');
  }
  const sl = a.slippage;
  if (!nonNegative(sl.kind === 'bps' ? sl.bps : sl.kind === 'ticks' ? sl.ticks : 0)) {
    throw new RangeError('assumption slippage must be non-negative');
  }
  const z = a.sizing;
  const v =
    z.kind === 'fixed-quantity' ? z.quantity : z.kind === 'fixed-cash' ? z.amount : z.percent;
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError('assumption sizing must be positive');
}

/** Commission in major units for one fill of `quantity` at `price`. */
export function commissionFor(c: Commission, quantity: number, notional: number): number {
  switch (c.kind) {
    case 'none':
      return 0;
    case 'per-order':
      return c.amount;
    case 'per-unit':
      return Math.max(c.amount * quantity, c.minimum ?? 0);
    case 'percent':
      return Math.max(c.rate * Math.abs(notional), c.minimum ?? 0);
  }
}
