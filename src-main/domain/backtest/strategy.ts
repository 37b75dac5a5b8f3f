import type { Candles } from '../candles/candles';
import type * as Indicators from '../indicators';
import type { BacktestAssumptions } from './assumptions';
import type { Order, OrderRequest } from './orders';

/** Value of one strategy parameter. */
export type ParamValue = number | boolean | string;
/** Parameter values by name. */
export type ParamValues = Record<string, ParamValue>;

/**
 * Declaration of one parameter: its type, range and default. The UI builds forms and the
 * sweep builds grids from these; `resolveParams` validates user input against them.
 * - int/float: `min`, `max`, `step` (the sweep's default grid spacing) are required.
 * - bool: `default` only. enum: `options` lists the allowed strings.
 */
export interface ParamSpec {
  name: string;
  type: 'int' | 'float' | 'bool' | 'enum';
  label?: string;
  description?: string;
  min?: number;
  max?: number;
  step?: number;
  default: ParamValue;
  options?: readonly string[];
}

/**
 * What a strategy sees and does on each bar. One context object is reused for the whole run
 * (no allocation per bar); read its fields inside the hooks, do not keep them.
 *
 * No lookahead: `candles` is the whole series for speed, but a strategy must only read
 * indices <= `index` (the bar that just closed). The built-ins never look further; the
 * worker runner may pass a guarded view.
 */
export interface StrategyContext {
  readonly candles: Candles;
  /** Index of the bar that just closed. Orders submitted now fill from bar index + 1. */
  readonly index: number;
  /** Time of that bar (ms, UTC). */
  readonly time: number;
  /** Signed position in units (negative = short). */
  readonly position: number;
  /** Average entry price of the open position (NaN when flat). */
  readonly avgPrice: number;
  /** Cash in major units (exact to the minor unit); for a future, free cash: the initial
   * margin held is in `margin`. */
  readonly cash: number;
  /** Initial margin held for an open futures position (0 for spot). */
  readonly margin: number;
  /** Cash + position marked at this bar's close. */
  readonly equity: number;
  /** Orders not yet filled, cancelled or rejected. */
  readonly openOrders: readonly Readonly<Order>[];
  readonly params: Readonly<ParamValues>;
  readonly assumptions: Readonly<BacktestAssumptions>;
  /** The indicator library (batch functions and streaming classes), following the run's
   * `assumptions.indicatorConvention` (TradingView or TA-Lib ATR/RSI/RMA). */
  readonly indicators: typeof Indicators;
  /** Submits an order; it is returned with status `open` (or `rejected` if malformed). */
  submit(request: OrderRequest): Readonly<Order>;
  /** Shorthand for submit({ side: 'buy', ... }). */
  buy(request?: Omit<OrderRequest, 'side'>): Readonly<Order>;
  /** Shorthand for submit({ side: 'sell', ... }). */
  sell(request?: Omit<OrderRequest, 'side'>): Readonly<Order>;
  /** Market order closing whatever position exists when it fills; null when flat. */
  closePosition(tag?: string): Readonly<Order> | null;
  /** Cancels an open order; false when it is no longer open. */
  cancel(orderId: number): boolean;
  /** Cancels every open order. */
  cancelAll(): void;
}

/**
 * A strategy instance: plain hooks, no host dependencies (it may be built from source text
 * inside a worker). Hooks run synchronously; state lives on the instance.
 */
export interface Strategy {
  /** Before the first bar: precompute indicators over `ctx.candles` here. */
  onStart?(ctx: StrategyContext): void;
  /** After each bar closes. */
  onBar(ctx: StrategyContext): void;
  /** When one of its orders fills, is cancelled or rejected. */
  onOrderUpdate?(order: Readonly<Order>, ctx: StrategyContext): void;
  /** After the last bar, before `closeAtEnd` flattens the position. */
  onEnd?(ctx: StrategyContext): void;
}

/** A strategy type: metadata, parameter specs and a factory taking resolved parameters. */
export interface StrategyDefinition {
  id: string;
  name: string;
  description: string;
  params: readonly ParamSpec[];
  create(params: Readonly<ParamValues>): Strategy;
}

function checkOne(spec: ParamSpec, v: ParamValue): string {
  if (spec.type === 'bool') return typeof v === 'boolean' ? '' : 'must be a boolean';
  if (spec.type === 'enum') {
    return typeof v === 'string' && (spec.options ?? []).includes(v)
      ? ''
      : `must be one of ${(spec.options ?? []).join(', ')}`;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a finite number';
  if (spec.type === 'int' && !Number.isInteger(v)) return 'must be an integer';
  if (spec.min !== undefined && v < spec.min) return `must be >= ${spec.min}`;
  if (spec.max !== undefined && v > spec.max) return `must be <= ${spec.max}`;
  return '';
}

/**
 * Fills defaults and validates values against the specs. Throws RangeError listing every
 * bad or unknown parameter (a typo must not silently run the default).
 */
export function resolveParams(
  specs: readonly ParamSpec[],
  input: Readonly<ParamValues> = {},
): ParamValues {
  const out: ParamValues = {};
  const errors: string[] = [];
  for (const name of Object.keys(input)) {
    if (!specs.some((s) => s.name === name)) errors.push(`unknown parameter ${name}`);
  }
  for (const spec of specs) {
    const v = input[spec.name] ?? spec.default;
    const e = checkOne(spec, v);
    if (e) errors.push(`${spec.name} ${e}`);
    out[spec.name] = v;
  }
  if (errors.length > 0) throw new RangeError(errors.join('; '));
  return out;
}

/** Identity helper that type-checks a strategy definition literal. */
export function defineStrategy(def: StrategyDefinition): StrategyDefinition {
  return def;
}
