/**
 * Market simulator: decides the orders that keep a market alive (a quoting market maker
 * and random takers around a reference price). Pure; the service sends the orders.
 */
export type { PrngState } from './prng';
export { Prng, seedState } from './prng';
export { decimalToSteps } from './steps';
export type {
  MakerConfig,
  ReferenceConfig,
  SimulatorConfig,
  SimulatorTuning,
  TakerConfig,
} from './config';
export { SIM_ERROR } from './config';
export { mergeTuning, validateConfig } from './validate';
export type { MarketSteps, SimulatorDefaults } from './defaults';
export { SIMULATOR_DEFAULTS, compileDefaults, defaultConfigFor } from './defaults';
export type { PriceFeed, ReferenceSources, ReferenceState } from './reference';
export { YEAR_MS, advanceReference, initialReference, referenceTicks, walkStep } from './reference';
export type { ReplayOptions, ReplayScaling } from './replay';
export { buildReplayPath, candleAnchors } from './replay';
export type { BookBounds, MakerPlan, OwnQuote, QuoteIntent, Side } from './market-maker';
export { desiredQuotes, planQuotes, skewedCentre } from './market-maker';
export type { TakerIntent } from './taker-flow';
export { buyProbability, takerOrders, takerSize } from './taker-flow';
export type {
  Action,
  BalancesView,
  BookView,
  SimAccount,
  SimOrder,
  SimulatorState,
  StepResult,
} from './plan';
export { createSimulator, rebase, step, tune } from './plan';
