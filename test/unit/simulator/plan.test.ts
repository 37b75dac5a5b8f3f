import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Action, OwnQuote, SimulatorState } from '../../../src-main/domain/simulator';
import { createSimulator, rebase, step } from '../../../src-main/domain/simulator';
import { applyMakerActions, testConfig } from './helpers';

function start(seed: number): SimulatorState {
  const s = createSimulator(testConfig(), seed);
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}

/** Runs steps at the given times against an always-accepting book; returns every action. */
function run(
  state: SimulatorState,
  times: readonly number[],
  inventory: (i: number) => number,
): { actions: Action[][]; state: SimulatorState; own: OwnQuote[]; refs: number[] } {
  let own: OwnQuote[] = [];
  const actions: Action[][] = [];
  const refs: number[] = [];
  for (const [i, now] of times.entries()) {
    const r = step(state, now, { ownQuotes: own }, { mmInventoryLots: inventory(i) });
    state = r.state;
    own = applyMakerActions(own, r.actions);
    actions.push(r.actions);
    refs.push(r.reference);
  }
  return { actions, state, own, refs };
}

const timesArb = fc
  .array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 25 })
  .map((dts) => {
    let t = 1_700_000_000_000;
    return dts.map((d) => (t += d));
  });

describe('SimulatorPlan.step', () => {
  it('is deterministic: same seed, inputs and times give the same actions', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        timesArb,
        fc.integer({ min: -1_500, max: 1_500 }),
        (seed, times, inv) => {
          const a = run(start(seed), times, (i) => inv * (i % 3));
          const b = run(start(seed), times, (i) => inv * (i % 3));
          expect(b.actions).toEqual(a.actions);
          expect(b.state).toEqual(a.state);
        },
      ),
      { numRuns: 60 },
    );
    const times = [0, 1_000, 2_000, 3_000, 4_000];
    expect(run(start(1), times, () => 0).actions).not.toEqual(
      run(start(2), times, () => 0).actions,
    );
  });

  it('resumes identically from a JSON round trip of its state', () => {
    const times = Array.from({ length: 40 }, (_, i) => 1_000 * i);
    const whole = run(start(99), times, () => 0);
    const first = run(start(99), times.slice(0, 20), () => 0);
    const resumed = JSON.parse(JSON.stringify(first.state)) as SimulatorState;
    let own = first.own;
    let state = resumed;
    for (const [i, now] of times.slice(20).entries()) {
      const r = step(state, now, { ownQuotes: own }, { mmInventoryLots: 0 });
      expect(r.actions).toEqual(whole.actions[20 + i]);
      own = applyMakerActions(own, r.actions);
      state = r.state;
    }
  });

  it('keeps resting maker quotes on their side of the reference after every step', () => {
    fc.assert(
      fc.property(fc.integer(), timesArb, (seed, times) => {
        let state = start(seed);
        let own: OwnQuote[] = [];
        for (const now of times) {
          const r = step(state, now, { ownQuotes: own }, { mmInventoryLots: 0 });
          state = r.state;
          own = applyMakerActions(own, r.actions);
          expect(
            own.every((q) => (q.side === 'buy' ? q.price < r.reference : q.price > r.reference)),
          ).toBe(true);
          expect(own.filter((q) => q.side === 'buy').length).toBeLessThanOrEqual(5);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('places post-only GTC limits for the maker, IOC for takers, then only refreshes', () => {
    const s0 = start(3);
    const r1 = step(s0, 0, { ownQuotes: [] }, { mmInventoryLots: 0 });
    expect(r1.actions.length).toBe(10);
    expect(
      r1.actions.every(
        (a) =>
          a.kind === 'place' &&
          a.account === 'mm' &&
          a.order.postOnly &&
          a.order.timeInForce === 'GTC',
      ),
    ).toBe(true);
    expect(r1.reference).toBe(10_000);
    // Same instant again: the walk does not move, so the resting ladder is kept as is.
    const own = applyMakerActions([], r1.actions);
    expect(step(r1.state, 0, { ownQuotes: own }, { mmInventoryLots: 0 }).actions).toEqual([]);
    const r2 = step(r1.state, 60_000, { ownQuotes: own }, { mmInventoryLots: 0 });
    const takers = r2.actions.filter((a) => a.kind === 'place' && a.account === 'taker');
    expect(takers.length).toBeGreaterThan(0);
    expect(
      takers.every(
        (a) =>
          a.kind === 'place' &&
          a.order.timeInForce === 'IOC' &&
          !a.order.postOnly &&
          a.order.type === 'limit',
      ),
    ).toBe(true);
    const ids = [...r1.actions, ...r2.actions].flatMap((a) =>
      a.kind === 'place' ? [a.order.clientOrderId] : [],
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rebase makes a pause invisible', () => {
    const s = step(start(5), 0, { ownQuotes: [] }, { mmInventoryLots: 0 }).state;
    const after = step(rebase(s, 3_600_000), 3_600_000, { ownQuotes: [] }, { mmInventoryLots: 0 });
    expect(after.actions.some((a) => a.kind === 'place' && a.account === 'taker')).toBe(false);
    expect(after.reference).toBe(10_000);
  });
});
