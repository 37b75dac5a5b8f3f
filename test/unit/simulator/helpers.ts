import type { Action, OwnQuote, SimulatorConfig } from '../../../src-main/domain/simulator';

/** A valid configuration in small engine units (reference 10,000 ticks). */
export function testConfig(over: Partial<SimulatorConfig> = {}): SimulatorConfig {
  return {
    startPrice: 10_000,
    reference: { kind: 'walk', annualVolPct: 80, annualDriftPct: 0 },
    maker: {
      spreadBps: 10,
      levels: 5,
      levelSpacingBps: 5,
      sizePerLevel: 100,
      sizeJitter: 0.3,
      inventorySkewBps: 20,
      maxInventory: 1_000,
      refreshThresholdBps: 4,
    },
    taker: {
      ratePerSecond: 2,
      medianQty: 20,
      sizeSigma: 0.8,
      minQty: 1,
      maxQty: 200,
      trendBias: 0.3,
      slippageBps: 30,
      maxPerStep: 50,
    },
    ...over,
  };
}

/** Applies the maker's actions to its own resting quotes, as an always-accepting engine would. */
export function applyMakerActions(
  own: readonly OwnQuote[],
  actions: readonly Action[],
): OwnQuote[] {
  const cancelled = new Set(actions.flatMap((a) => (a.kind === 'cancel' ? [a.clientOrderId] : [])));
  const next = own.filter((q) => !cancelled.has(q.clientOrderId));
  for (const a of actions) {
    if (a.kind !== 'place' || a.account !== 'mm' || a.order.price === undefined) continue;
    next.push({
      clientOrderId: a.order.clientOrderId,
      side: a.order.side,
      price: a.order.price,
      qty: a.order.qty,
    });
  }
  return next;
}
