import type { Result } from '../money';
import { ok } from '../money';
import type { SimulatorConfig, SimulatorTuning } from './config';
import type { BookBounds, OwnQuote, QuoteIntent, Side } from './market-maker';
import { desiredQuotes, planQuotes } from './market-maker';
import type { PrngState } from './prng';
import { Prng, seedState } from './prng';
import type { ReferenceSources, ReferenceState } from './reference';
import { advanceReference, initialReference, referenceTicks } from './reference';
import type { TakerIntent } from './taker-flow';
import { takerOrders } from './taker-flow';
import { mergeTuning, validateConfig } from './validate';

/** Everything a simulator of one market carries between steps; JSON-serializable. */
export interface SimulatorState {
  version: 1;
  config: SimulatorConfig;
  rng: PrngState;
  reference: ReferenceState;
  /** Counter behind client order ids, so ids never repeat across a resumed run. */
  nextOrderNo: number;
}

/** What the simulator sees of the book: its maker's resting quotes and the best prices. */
export interface BookView extends BookBounds {
  ownQuotes: readonly OwnQuote[];
}

/** What the simulator sees of balances. */
export interface BalancesView {
  /** Maker's base position minus its target, in lots (positive = long). */
  mmInventoryLots: number;
  /** Taker's available base in lots; caps its sells when given. */
  takerBaseLots?: number;
}

/** Which simulator account an action is for. */
export type SimAccount = 'mm' | 'taker';

/** An order to send, in engine units. Makers: limit, post-only, GTC. Takers: market or IOC. */
export interface SimOrder {
  clientOrderId: string;
  side: Side;
  type: 'limit' | 'market';
  /** Limit price in ticks; absent for market orders. */
  price?: number;
  qty: number;
  timeInForce: 'GTC' | 'IOC';
  postOnly: boolean;
}

/** One decision for the service to execute, in order. */
export type Action =
  | { kind: 'place'; account: SimAccount; order: SimOrder }
  | { kind: 'cancel'; account: SimAccount; clientOrderId: string; orderId?: string | number };

/** Result of a step: actions (cancels before places), the next state, the reference used. */
export interface StepResult {
  actions: Action[];
  state: SimulatorState;
  /** Reference price in ticks after this step (the service may publish it as index price). */
  reference: number;
}

/** A fresh simulator from a validated configuration and an integer seed. */
export function createSimulator(config: SimulatorConfig, seed: number): Result<SimulatorState> {
  const valid = validateConfig(config);
  if (!valid.ok) return valid;
  return ok({
    version: 1,
    config: valid.value,
    rng: seedState(seed),
    reference: initialReference(config.startPrice),
    nextOrderNo: 1,
  });
}

function makerOrder(q: QuoteIntent, no: number): SimOrder {
  return {
    clientOrderId: `mm-${no}`,
    side: q.side,
    type: 'limit',
    price: q.price,
    qty: q.qty,
    timeInForce: 'GTC',
    postOnly: true,
  };
}

function takerOrder(t: TakerIntent, no: number): SimOrder {
  const base = {
    clientOrderId: `tk-${no}`,
    side: t.side,
    qty: t.qty,
    timeInForce: 'IOC' as const,
    postOnly: false,
  };
  return t.price === undefined
    ? { ...base, type: 'market' }
    : { ...base, type: 'limit', price: t.price };
}

/**
 * One simulator step at `now`: advance the reference, re-plan the maker's ladder, draw the
 * takers that arrived since the previous step. Pure: the same state and inputs give the
 * same actions and next state (the PRNG state travels inside `state`).
 */
export function step(
  state: SimulatorState,
  now: number,
  book: BookView,
  balances: BalancesView,
  sources: ReferenceSources = {},
): StepResult {
  const rng = new Prng(state.rng);
  const { config } = state;
  const dtMs = state.reference.lastTs === null ? 0 : Math.max(0, now - state.reference.lastTs);
  const reference = advanceReference(config.reference, state.reference, now, rng, sources);
  const ref = referenceTicks(reference);
  const desired = desiredQuotes(ref, balances.mmInventoryLots, config.maker, rng, book);
  const plan = planQuotes(desired, book.ownQuotes, ref, config.maker);
  const takers = takerOrders(
    config.taker,
    dtMs,
    ref,
    reference.trendBps,
    rng,
    balances.takerBaseLots,
  );
  let no = state.nextOrderNo;
  const actions: Action[] = plan.cancels.map((q) => cancelOf(q));
  for (const q of plan.places)
    actions.push({ kind: 'place', account: 'mm', order: makerOrder(q, no++) });
  for (const t of takers)
    actions.push({ kind: 'place', account: 'taker', order: takerOrder(t, no++) });
  return {
    actions,
    reference: ref,
    state: { ...state, rng: rng.state(), reference, nextOrderNo: no },
  };
}

function cancelOf(q: OwnQuote): Action {
  const base = { kind: 'cancel' as const, account: 'mm' as const, clientOrderId: q.clientOrderId };
  return q.orderId === undefined ? base : { ...base, orderId: q.orderId };
}

/** Applies a tuning (validated; the stored state is untouched on refusal). */
export function tune(state: SimulatorState, tuning: SimulatorTuning): Result<SimulatorState> {
  const merged = mergeTuning(state.config, tuning);
  if (!merged.ok) return merged;
  return ok({ ...state, config: merged.value });
}

/**
 * Restarts the clock at `now` after a pause, so the time spent paused neither moves the
 * walk nor releases a burst of takers on resume.
 */
export function rebase(state: SimulatorState, now: number): SimulatorState {
  return { ...state, reference: { ...state.reference, lastTs: now } };
}
