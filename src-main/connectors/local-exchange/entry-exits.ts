import type { Bracket } from '../../domain/automation';
import { bracketPrice, trailBpsOf } from '../../domain/automation/brackets';
import { trailStop } from '../../domain/exchange';
import { divDecimal, formatDecimal, unitsAt } from '../../domain/money';
import {
  checkOrderSize,
  lotsToQty,
  priceToTicks,
  qtyToLots,
  ticksToPrice,
  type MarketSpec,
} from '../../domain/markets';
import type { OrderView } from '../../features/exchange/api';
import type { VenueOrderResult } from '../venue';
import {
  KINDS,
  describe,
  hasKind,
  onTick,
  placeExits,
  stopLossTrail,
  type Levels,
  type Notify,
  type OrderLookup,
  type Side,
} from './exit-orders';
import type { PartialExits, PendingExits, PlanRow, PlanStore } from './plan-store';
import { trailAmountOf } from './trail-amount';

/** A resting entry is covered in parts of at least 1 / PARTS of its quantity. */
const PARTS = 10;

/** Cancel reasons after which the filled part is still the trader's to protect. */
const NOT_PROTECTED_AFTER = new Set(['dead_man_switch']);

/**
 * What a plan places for its entry as it stands: a pair for each part a resting entry fills
 * (`cover`, `placePart`), the rest once it is done (`settle`), and what the plan records and
 * the user is told. The keeper (brackets.ts) decides when, one step at a time per plan.
 */
export class EntryExits {
  constructor(
    private readonly o: OrderLookup & { notify?: Notify },
    private readonly store: PlanStore,
  ) {}

  /**
   * The levels for an entry as it stands: relative ones from its average fill price, on the
   * tick. Empty when nothing is filled yet.
   */
  private levelsFor(plan: PlanRow, entry: OrderView, spec: MarketSpec): Levels {
    const levels: Levels = {};
    const average = divDecimal(entry.filledQuote, entry.filledQty, spec.priceScale + 8, 'floor');
    if (!average) return levels;
    for (const kind of KINDS) {
      const text = kind === 'takeProfit' ? plan.takeProfit : plan.stopLoss;
      if (!text) continue;
      const bracket = JSON.parse(text) as Bracket;
      if (bracket.trailPercent !== undefined) {
        // Checked when the plan was made: a stop-loss's, within the exchange's range.
        const bps = trailBpsOf(bracket.trailPercent);
        if (bps !== null) levels.stopLossTrailBps = bps;
        continue;
      }
      if (bracket.trailAmount !== undefined) {
        // Checked when the plan was made too: a stop-loss's, on the market's tick.
        const trail = trailAmountOf(spec, bracket.trailAmount);
        if (trail.ok) levels.stopLossTrailAmount = trail.amount;
        continue;
      }
      const level = bracketPrice(bracket, kind, plan.side, average, spec.priceScale + 8);
      if (level !== null) levels[kind] = onTick(spec, level);
    }
    return levels;
  }

  /**
   * A resting entry filled more: when the part not yet covered is at least a tenth of the
   * entry and an order the market takes at both levels, its exits are placed (the part
   * written first); a smaller part waits for more fills, or for the entry to be done. The
   * tenth bounds the pairs one entry makes (about ten, however finely the book fills it —
   * the simulator's takers trade ~0.01 BTC at a time) and what is unprotected meanwhile.
   */
  async cover(plan: PlanRow, entry: OrderView): Promise<VenueOrderResult[]> {
    const spec = this.o.exchange.spec(plan.symbol);
    const filled = qtyToLots(spec, entry.filledQty);
    const whole = entry.qty === null ? null : qtyToLots(spec, entry.qty);
    const prior = plan.partial ?? { lots: 0, qty: lotsToQty(spec, 0), orderIds: [] };
    if (!filled.ok || !whole?.ok || prior.refused) return [];
    const lots = filled.value - prior.lots;
    if (lots <= 0 || lots * PARTS < whole.value) return [];
    const levels = this.levelsFor(plan, entry, spec);
    if (!hasAny(levels) || !this.acceptedSize(plan, spec, levels, lots)) return [];
    const pending: PendingExits = {
      lots: filled.value,
      qty: lotsToQty(spec, lots),
      tag: `brk-${plan.id}-f${filled.value}`,
      ...levels,
    };
    if (!this.store.setPartial(plan.id, { ...prior, pending })) return [];
    return this.placePart(plan, prior, pending);
  }

  /** Places one part's exits (again, after a restart: their client ids find them). */
  async placePart(
    plan: PlanRow,
    prior: PartialExits,
    part: PendingExits,
  ): Promise<VenueOrderResult[]> {
    const spec = this.o.exchange.spec(plan.symbol);
    const levels: Levels = levelsOf(part);
    const exitSide: Side = plan.side === 'buy' ? 'sell' : 'buy';
    const placed = await placeExits(this.o, plan, exitSide, part.qty, levels, part.tag);
    const { pending: _, ...before } = prior;
    if ('error' in placed) {
      this.store.setPartial(plan.id, { ...before, refused: placed.error });
      this.o.notify?.({
        userId: plan.userId,
        level: 'warning',
        title: `${plan.symbol}: take-profit/stop-loss NOT placed for part of order ${plan.entryOrderId}`,
        body: `${describe(exitSide, part.qty, levels)} was refused: ${placed.error}. That part is not protected; the rest is tried once the order is done.`,
      });
      return placed.orders;
    }
    this.store.setPartial(plan.id, {
      lots: part.lots,
      qty: lotsToQty(spec, part.lots),
      orderIds: [...before.orderIds, ...orderIdsOf(placed.result)],
      ...levels,
    });
    return placed.orders;
  }

  /**
   * The entry is done: places the exits for what it filled beyond the parts already covered,
   * or ends the plan when there is nothing to protect.
   */
  async settle(plan: PlanRow, entry: OrderView, later: boolean): Promise<VenueOrderResult[]> {
    const spec = this.o.exchange.spec(plan.symbol);
    const filled = unitsAt(entry.filledQty, spec.qtyScale);
    if (filled === 0n || (entry.cancelReason && NOT_PROTECTED_AFTER.has(entry.cancelReason))) {
      this.store.finish(plan.id, 'cancelled', {
        reason: filled === 0n ? 'nothing_filled' : entry.cancelReason,
      });
      return [];
    }
    // Parts covered while it rested (none when the first one was refused).
    const covered = plan.partial && plan.partial.lots > 0 ? plan.partial : null;
    const coveredLots = covered?.lots ?? 0;
    const rest = qtyToLots(spec, entry.filledQty);
    const lots = rest.ok ? rest.value - coveredLots : 0;
    const exitSide: Side = plan.side === 'buy' ? 'sell' : 'buy';
    const levels = this.levelsFor(plan, entry, spec);
    if (!hasAny(levels)) {
      this.store.finish(plan.id, 'cancelled', { reason: 'no_level' });
      return [];
    }
    const total = formatDecimal(filled, spec.qtyScale);
    if (covered && lots <= 0) {
      this.store.finish(plan.id, 'placed', {
        qty: total,
        orderIds: covered.orderIds,
        ...levelsOf(covered),
      });
      this.notifyPlaced(plan, entry, exitSide, total, levelsOf(covered), later);
      return [];
    }
    const qty = lotsToQty(spec, lots);
    // The last fills of an entry whose earlier parts are covered can be less than the market
    // takes as an order: said, not refused by the exchange in the user's order history.
    if (covered && !this.acceptedSize(plan, spec, levels, lots)) {
      return this.partlyProtected(
        plan,
        entry,
        exitSide,
        covered,
        qty,
        "it is under the market's minimum order",
      );
    }
    // The exits' client ids name the plan: finishing it twice finds them instead of placing more.
    const placed = await placeExits(this.o, plan, exitSide, qty, levels, `brk-${plan.id}`);
    if ('error' in placed) {
      if (covered)
        return [
          ...(await this.partlyProtected(plan, entry, exitSide, covered, qty, placed.error)),
          ...placed.orders,
        ];
      this.store.finish(plan.id, 'failed', {
        code: placed.code,
        message: placed.error,
        qty,
        ...levels,
      });
      this.o.notify?.({
        userId: plan.userId,
        level: 'warning',
        title: `${plan.symbol}: take-profit/stop-loss NOT placed for order ${entry.orderId}`,
        body: `${describe(exitSide, qty, levels)} was refused: ${placed.error}. The ${qty} filled is not protected.`,
      });
      return placed.orders;
    }
    this.store.finish(plan.id, 'placed', {
      ...placed.result,
      qty: total,
      ...(covered ? { orderIds: [...covered.orderIds, ...orderIdsOf(placed.result)] } : {}),
      ...levels,
    });
    this.notifyPlaced(plan, entry, exitSide, total, levels, later);
    return placed.orders;
  }

  /** The entry's earlier parts are covered, its last one is not: placed, with a warning. */
  private partlyProtected(
    plan: PlanRow,
    entry: OrderView,
    exitSide: Side,
    covered: PartialExits,
    qty: string,
    why: string,
  ): VenueOrderResult[] {
    this.store.finish(plan.id, 'placed', {
      qty: covered.qty,
      orderIds: covered.orderIds,
      ...levelsOf(covered),
      unprotected: qty,
      message: why,
    });
    this.o.notify?.({
      userId: plan.userId,
      level: 'warning',
      title: `${plan.symbol}: the last ${qty} of order ${entry.orderId} is NOT protected`,
      body: `${describe(exitSide, covered.qty, levelsOf(covered))} covers the rest; the last ${qty} filled has no take-profit/stop-loss: ${why}.`,
    });
    return [];
  }

  /**
   * Whether `lots` is an order the market takes at each level: a trailing stop-loss at the
   * stop price it would start with now (from the last price, as the engine places it).
   */
  private acceptedSize(plan: PlanRow, spec: MarketSpec, levels: Levels, lots: number): boolean {
    const prices = KINDS.flatMap((k) => (levels[k] ? [levels[k]] : []));
    const trail = stopLossTrail(levels);
    if (trail) {
      const first = this.firstTrailingStop(plan, spec, trail);
      if (first === null) return false;
      prices.push(ticksToPrice(spec, first));
    }
    return sizeAccepted(spec, prices, lots);
  }

  /** The stop price a trailing stop-loss would start with now; null without a last price. */
  private firstTrailingStop(
    plan: PlanRow,
    spec: MarketSpec,
    trail: NonNullable<ReturnType<typeof stopLossTrail>>,
  ): number | null {
    const engine = this.o.exchange.market(plan.symbol).engine;
    if (engine.lastPrice === 0) return null;
    const side: Side = plan.side === 'buy' ? 'sell' : 'buy';
    const tick = engine.config.tickSize;
    if ('trailBps' in trail) return trailStop(side, engine.lastPrice, trail.trailBps, 0, tick);
    // Put on the tick when the plan was made (null only if the market's tick changed since).
    const amount = trailAmountOf(spec, trail.trailAmount);
    return amount.ok ? trailStop(side, engine.lastPrice, 0, amount.ticks, tick) : null;
  }

  private notifyPlaced(
    plan: PlanRow,
    entry: OrderView,
    exitSide: Side,
    qty: string,
    levels: Levels,
    later: boolean,
  ): void {
    if (!later) return;
    this.o.notify?.({
      userId: plan.userId,
      level: 'info',
      title: `${plan.symbol}: take-profit/stop-loss placed for order ${entry.orderId}`,
      body: describe(exitSide, qty, levels),
    });
  }
}

/** Whether the levels ask for any exit at all. */
function hasAny(levels: Levels): boolean {
  return KINDS.some((k) => hasKind(levels, k));
}

/** Whether `lots` at each price is an order the market takes (minimum quantity and value). */
function sizeAccepted(spec: MarketSpec, prices: readonly string[], lots: number): boolean {
  return prices.every((level) => {
    const ticks = priceToTicks(spec, level);
    return ticks.ok && checkOrderSize(spec, ticks.value, lots).ok;
  });
}

/** The levels of a part, a plan's result or exits taken off, alone. */
export function levelsOf(l: Levels): Levels {
  return {
    ...(l.takeProfit ? { takeProfit: l.takeProfit } : {}),
    ...(l.stopLoss ? { stopLoss: l.stopLoss } : {}),
    ...(l.stopLossTrailBps !== undefined ? { stopLossTrailBps: l.stopLossTrailBps } : {}),
    ...(l.stopLossTrailAmount !== undefined ? { stopLossTrailAmount: l.stopLossTrailAmount } : {}),
  };
}

export function orderIdsOf(result: Record<string, unknown>): number[] {
  return Array.isArray(result.orderIds) ? (result.orderIds as number[]) : [];
}
