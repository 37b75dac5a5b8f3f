/**
 * Kraken's two rate limiters (notes §1.5), modelled on Bourse's side so the connector waits
 * before Kraken would refuse. The counts are plain numbers: they are call costs, not money.
 */

export type KrakenTier = 'starter' | 'intermediate' | 'pro';
export const KRAKEN_TIERS: readonly KrakenTier[] = ['starter', 'intermediate', 'pro'];

/**
 * Points of headroom Bourse keeps under each maximum. Kraken counts a call when it arrives,
 * a little after Bourse counted it, so its counter has decayed slightly less than ours: waiting
 * for an exact fit would be refused now and then (seen against the fake on a real clock).
 */
export const HEADROOM = 1;

/** REST call counter per API key [DOC spot-rest-ratelimits]. */
export const REST_LIMITS: Record<KrakenTier, { max: number; decayPerSec: number }> = {
  starter: { max: 15, decayPerSec: 0.33 },
  intermediate: { max: 20, decayPerSec: 0.5 },
  pro: { max: 20, decayPerSec: 1 },
};

/**
 * Trading-engine counter per pair. Thresholds [COM nautilus_trader, citing Kraken]; decay
 * rates (unverified: taken from Kraken's rate-limit page as we remember it), so both the
 * connector and the fake take them as settings.
 */
export const TRADING_LIMITS: Record<KrakenTier, { max: number; decayPerSec: number }> = {
  starter: { max: 60, decayPerSec: 1 },
  intermediate: { max: 125, decayPerSec: 2.34 },
  pro: { max: 180, decayPerSec: 3.75 },
};

/**
 * REST counter cost of a private method: ledger and trade history +2; AddOrder and
 * CancelOrder 0 (they count on the trading-engine counter instead); every other call +1.
 */
export function restCost(method: string): number {
  if (['Ledgers', 'QueryLedgers', 'TradesHistory', 'QueryTrades'].includes(method)) return 2;
  if (['AddOrder', 'CancelOrder', 'AddOrderBatch', 'CancelOrderBatch'].includes(method)) return 0;
  return 1;
}

/** Extra trading-engine cost of cancelling or amending an order that rested `ageMs`. */
export function ageCost(op: 'cancel' | 'amend' | 'edit', ageMs: number): number {
  const table = {
    cancel: [8, 6, 5, 4, 2, 1],
    amend: [3, 2, 1, 0, 0, 0],
    edit: [6, 5, 4, 2, 1, 0],
  }[op];
  const bounds = [5_000, 10_000, 15_000, 45_000, 90_000, 300_000];
  const i = bounds.findIndex((b) => ageMs < b);
  return i < 0 ? 0 : table[i]!;
}

/** Fixed trading-engine cost: +1 for add, amend and edit; none for cancel. */
export const fixedCost = (op: 'add' | 'cancel' | 'amend' | 'edit'): number =>
  op === 'cancel' ? 0 : 1;

/** A counter that rises by each call's cost and decays linearly over time, floored at 0. */
export class DecayingCounter {
  private level = 0;
  private at: number;

  constructor(
    readonly max: number,
    readonly decayPerSec: number,
    private readonly now: () => number,
  ) {
    this.at = now();
  }

  value(): number {
    const t = this.now();
    this.level = Math.max(0, this.level - ((t - this.at) / 1000) * this.decayPerSec);
    this.at = t;
    return this.level;
  }

  /** True (and counted) when `cost` fits under the maximum now. */
  tryAdd(cost: number): boolean {
    if (this.value() + cost > this.max) return false;
    this.level += cost;
    return true;
  }

  /** Counts `cost` even when over (Kraken counts refused orders too). */
  add(cost: number): void {
    this.level = this.value() + cost;
  }

  /** Milliseconds until `cost` fits (0 when it fits now). */
  waitMs(cost: number): number {
    const over = this.value() + cost - this.max;
    return over <= 0 ? 0 : Math.ceil((over / this.decayPerSec) * 1000);
  }
}

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `cost` fits in `counter`, then counts it. */
export async function acquire(counter: DecayingCounter, cost: number, sleep: Sleep): Promise<void> {
  if (cost <= 0) return;
  for (let w = counter.waitMs(cost); w > 0; w = counter.waitMs(cost)) await sleep(w);
  counter.add(cost);
}

/**
 * The trading-engine counters of one account, one per pair, and when each order Bourse placed
 * started resting (a cancel or amend costs more the younger the order).
 */
export class TradingCounters {
  private readonly counters = new Map<string, DecayingCounter>();
  private readonly resting = new Map<string, { pair: string; since: number }>();

  constructor(
    private readonly limit: { max: number; decayPerSec: number },
    private readonly now: () => number,
    private readonly sleep: Sleep,
  ) {}

  private counter(pair: string): DecayingCounter {
    let c = this.counters.get(pair);
    if (!c) {
      c = new DecayingCounter(this.limit.max - HEADROOM, this.limit.decayPerSec, this.now);
      this.counters.set(pair, c);
    }
    return c;
  }

  /** Waits until an AddOrder on `pair` fits. */
  beforeAdd(pair: string): Promise<void> {
    return acquire(this.counter(pair), fixedCost('add'), this.sleep);
  }

  /** Waits until a cancel/amend of an order that rests since `since` fits. */
  beforeChange(op: 'cancel' | 'amend', pair: string, since: number): Promise<void> {
    const cost = fixedCost(op) + ageCost(op, this.now() - since);
    return acquire(this.counter(pair), cost, this.sleep);
  }

  /** Kraken said the pair's counter is full: ours is set full too, so the next call waits. */
  refused(pair: string): void {
    const c = this.counter(pair);
    c.add(c.max);
  }

  placed(orderId: string, pair: string): void {
    this.resting.set(orderId, { pair, since: this.now() });
  }

  restingSince(orderId: string): { pair: string; since: number } | undefined {
    return this.resting.get(orderId);
  }

  forget(orderId?: string): void {
    if (orderId === undefined) this.resting.clear();
    else this.resting.delete(orderId);
  }
}
