/**
 * The fake's own copy of Kraken's published rate-limit rules (notes §1.5), written apart from
 * the connector's model so a mistake in one is caught by the other.
 */

export const FAKE_REST_LIMITS = {
  starter: { max: 15, decayPerSec: 0.33 },
  intermediate: { max: 20, decayPerSec: 0.5 },
  pro: { max: 20, decayPerSec: 1 },
} as const;

/** Trading-engine thresholds; decay rates (unverified), so tests may pass their own. */
export const FAKE_TRADING_LIMITS = {
  starter: { max: 60, decayPerSec: 1 },
  intermediate: { max: 125, decayPerSec: 2.34 },
  pro: { max: 180, decayPerSec: 3.75 },
} as const;

export function fakeRestCost(method: string): number {
  if (method === 'AddOrder' || method === 'CancelOrder') return 0;
  if (['Ledgers', 'QueryLedgers', 'TradesHistory', 'QueryTrades'].includes(method)) return 2;
  return 1;
}

/** Penalty for cancelling/amending an order that rested `ms` (Kraken's table). */
export function fakeAgePenalty(op: 'cancel' | 'amend', ms: number): number {
  const s = ms / 1000;
  if (op === 'cancel')
    return s < 5 ? 8 : s < 10 ? 6 : s < 15 ? 5 : s < 45 ? 4 : s < 90 ? 2 : s < 300 ? 1 : 0;
  return s < 5 ? 3 : s < 10 ? 2 : s < 15 ? 1 : 0;
}

/** A counter that decays linearly with the injected clock. */
export class FakeCounter {
  private level = 0;
  private at: number;

  constructor(
    readonly max: number,
    readonly decayPerSec: number,
    private readonly clock: () => number,
  ) {
    this.at = clock();
  }

  value(): number {
    const t = this.clock();
    this.level = Math.max(0, this.level - ((t - this.at) / 1000) * this.decayPerSec);
    this.at = t;
    return this.level;
  }

  /** Adds `cost` unless that would pass the maximum; false = refused. */
  take(cost: number): boolean {
    if (this.value() + cost > this.max) return false;
    this.level += cost;
    return true;
  }

  fill(): void {
    this.level = this.max;
    this.at = this.clock();
  }
}
