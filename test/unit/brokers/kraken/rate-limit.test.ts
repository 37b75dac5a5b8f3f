import { describe, expect, it } from 'vitest';
import {
  acquire,
  ageCost,
  DecayingCounter,
  REST_LIMITS,
  restCost,
} from '../../../../src-main/connectors/kraken/rate-limit';

describe('Kraken rate-limit model', () => {
  it('decays the REST counter per tier (starter: 15, −0.33/s)', () => {
    let t = 0;
    const c = new DecayingCounter(
      REST_LIMITS.starter.max,
      REST_LIMITS.starter.decayPerSec,
      () => t,
    );
    for (let i = 0; i < 15; i++) expect(c.tryAdd(1)).toBe(true);
    expect(c.tryAdd(1)).toBe(false);
    expect(c.waitMs(1)).toBe(Math.ceil((1 / 0.33) * 1000));
    t += 3_031;
    expect(c.tryAdd(1)).toBe(true);
  });

  it('waits (with the injected sleep) until a call fits, never over the maximum', async () => {
    let t = 0;
    const slept: number[] = [];
    const c = new DecayingCounter(20, 1, () => t);
    const sleep = (ms: number) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    };
    for (let i = 0; i < 25; i++) {
      await acquire(c, 2, sleep);
      expect(c.value()).toBeLessThanOrEqual(20);
    }
    expect(slept.length).toBeGreaterThan(0);
    expect(t).toBeGreaterThanOrEqual(30_000); // 50 points, 20 free, 1/s decay
  });

  it('charges +2 for trade and ledger history, 0 for AddOrder/CancelOrder, +1 otherwise', () => {
    expect(restCost('TradesHistory')).toBe(2);
    expect(restCost('Ledgers')).toBe(2);
    expect(restCost('AddOrder')).toBe(0);
    expect(restCost('CancelOrder')).toBe(0);
    expect(restCost('AmendOrder')).toBe(1);
    expect(restCost('Balance')).toBe(1);
  });

  it('charges cancels and amends by how long the order rested', () => {
    expect(
      [0, 5_000, 10_000, 15_000, 45_000, 90_000, 300_000].map((ms) => ageCost('cancel', ms)),
    ).toEqual([8, 6, 5, 4, 2, 1, 0]);
    expect([0, 5_000, 10_000, 15_000].map((ms) => ageCost('amend', ms))).toEqual([3, 2, 1, 0]);
    expect([0, 44_999, 89_999, 90_000].map((ms) => ageCost('edit', ms))).toEqual([6, 2, 1, 0]);
  });
});
