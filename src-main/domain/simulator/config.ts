/**
 * Simulator configuration in engine units (prices in ticks, sizes in lots). Build it from
 * decimal defaults with `compileDefaults`, check it with `validateConfig`, change it with
 * `tune`.
 */

/** Quoting policy of the market-maker account. */
export interface MakerConfig {
  /** Full spread between the innermost bid and ask, in bps of the reference. */
  spreadBps: number;
  /** Quotes per side (0 disables quoting). */
  levels: number;
  /** Extra distance of each further level, in bps. */
  levelSpacingBps: number;
  /** Base size of each quote, in lots. */
  sizePerLevel: number;
  /** Relative size noise in [0, 1): each quote is sizePerLevel × (1 ± jitter·u). */
  sizeJitter: number;
  /** Shift of the quote centre at full inventory, in bps (long → quotes move down). */
  inventorySkewBps: number;
  /** Inventory (lots, relative to target) beyond which one side stops quoting. */
  maxInventory: number;
  /** A resting quote within this distance (bps of reference) of its ideal price is kept. */
  refreshThresholdBps: number;
}

/** Liquidity-taking flow of the taker account. */
export interface TakerConfig {
  /** Mean arrivals per second (Poisson); 0 disables taking. */
  ratePerSecond: number;
  /** Median order size in lots (log-normal location). */
  medianQty: number;
  /** Log-normal shape σ of the size (0 = always the median). */
  sizeSigma: number;
  /** Clamp of the size, in lots. */
  minQty: number;
  maxQty: number;
  /** How much the recent reference trend tilts the buy probability, in [0, 0.5). */
  trendBias: number;
  /** 0 sends market orders; otherwise IOC limits this far (bps) through the reference. */
  slippageBps: number;
  /** Cap on orders per step, so a long pause does not release a burst. */
  maxPerStep: number;
}

/**
 * Where the reference price comes from.
 * - `walk`: geometric random walk; per step of dt years, ln S += (μ − σ²/2)·dt + σ·√dt·Z
 *   with σ = annualVolPct/100 and μ = annualDriftPct/100 (year = 365 days: crypto never
 *   closes). A 60 % annual vol at 1 s steps is σ·√(1/31,536,000) ≈ 0.0107 % per step.
 * - `replay`: walks a path built by `buildReplayPath`, one point per step, looping.
 * - `feed`: the latest price of an external feed; holds the last value while it is silent.
 */
export type ReferenceConfig =
  | { kind: 'walk'; annualVolPct: number; annualDriftPct: number }
  | { kind: 'replay' }
  | { kind: 'feed' };

/** Everything the simulator of one market needs, in engine units. */
export interface SimulatorConfig {
  /** Reference price at creation, ticks. */
  startPrice: number;
  reference: ReferenceConfig;
  maker: MakerConfig;
  taker: TakerConfig;
}

/** The part of the configuration `tune` may change (the start price is fixed at creation). */
export interface SimulatorTuning {
  reference?: ReferenceConfig;
  maker?: Partial<MakerConfig>;
  taker?: Partial<TakerConfig>;
}

/** Stable error codes of configuration refusals. */
export const SIM_ERROR = {
  notInteger: 'sim_not_integer',
  outOfRange: 'sim_out_of_range',
  minAboveMax: 'sim_min_above_max',
  unknownField: 'sim_unknown_field',
  badReference: 'sim_bad_reference',
  badDecimal: 'sim_bad_decimal',
} as const;
