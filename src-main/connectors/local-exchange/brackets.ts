import { randomUUID } from 'node:crypto';
import { AppError } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import type { Bracket } from '../../domain/automation';
import { bracketPrice } from '../../domain/automation/brackets';
import type { EngineEvent } from '../../domain/exchange';
import { divDecimal, formatDecimal, unitsAt } from '../../domain/money';
import { lotsToQty, priceToTicks, ticksToPrice, type MarketSpec } from '../../domain/markets';
import type { OrderView, PlaceInput } from '../../features/exchange/api';
import type { Logger } from '../../observability/logger';
import type { VenueOrderResult } from '../venue';
import {
  KINDS,
  LABEL,
  describe,
  isDone,
  messageOf,
  onTick,
  placeExits,
  type Levels,
  type OrderLookup,
  type Side,
} from './exit-orders';
import {
  PlanStore,
  type ExitPlanView,
  type PlanRow,
  type PlanStatus,
  type ReleasedExits,
} from './plan-store';

export type { ExitPlanView, PlanStatus, ReleasedExits } from './plan-store';

/** An entry and the exits to place once it is done. */
export interface EntryWithExits {
  userId: string;
  /** The trading account an alert came through; null for an order placed by hand. */
  accountId: string | null;
  /** The entry as `orders.place` takes it (its clientOrderId, if any, names the plan too). */
  order: PlaceInput;
  takeProfit?: Bracket;
  stopLoss?: Bracket;
}

/** How long a plan answers a retry of its entry's clientOrderId (the exchange's window). */
const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ExchangeBracketsOptions extends OrderLookup {
  store: DatabaseHandle;
  now: () => number;
  log?: Logger;
  /** Tells the user about exits placed later, or not placed at all. */
  notify?: (n: { userId: string; level: 'info' | 'warning'; title: string; body: string }) => void;
}

/**
 * The client order ids of the exits a plan places: `brk-<plan id>-tp` / `-sl`, and after a
 * partial exit `brk-<plan id>-r<exit order id>-tp` / `-sl` (`-rf<time>-` after a refused one).
 */
const EXIT_CLIENT_ID = /^brk-(\d+)(?:-r[0-9a-z]+)?-(tp|sl)$/;

/** Cancel reasons after which the filled part is still the trader's to protect. */
const NOT_PROTECTED_AFTER = new Set(['dead_man_switch']);

/**
 * Take-profit and stop-loss for alert entries on the local exchange, as a spot exchange's
 * "OTO" lists do it: the exits wait until the entry is done and are then placed for the
 * quantity it filled — both as one OCO pair (a post-only limit at the take-profit, a stop at
 * the stop-loss; whichever acts first cancels the other), or the one level given as a limit or
 * a stop-market order. Relative levels (percent, amount, pips) are measured from the entry's
 * average fill price and rounded to the nearest tick.
 *
 * "Done" is filled, or ended by the exchange with part of it filled (a market order's
 * unfilled rest, an IOC remainder, a price band) or cancelled by its owner after a partial
 * fill: the part filled is protected. An entry that ends with nothing filled, a plan ended by
 * an emergency stop, or an entry the dead-man switch cancelled places nothing.
 *
 * The plan is a row written before the entry is placed, so nothing is lost to a restart: the
 * entry is found by its client order id and the plan finished (`recover`). The exits' client
 * order ids name the plan (`brk-<plan id>-tp`, `-sl`, `-oco`), so a plan finished twice (a
 * crash between its exits and its row's update) places its exits once.
 */
export class ExchangeBrackets {
  private readonly waiting = new Map<number, number>(); // entry order id → plan id
  private readonly store: PlanStore;

  constructor(private readonly o: ExchangeBracketsOptions) {
    this.store = new PlanStore(o.store, o.now);
  }

  /**
   * Places the entry with its plan: the levels checked, the plan recorded, then the entry; a
   * market entry (or a marketable limit) is done at once and its exits are placed before this
   * answers. A retry with the entry's clientOrderId (within 24 hours) answers the same entry
   * and plan instead of placing either again.
   */
  async place(
    r: EntryWithExits,
  ): Promise<{ entry: OrderView; exits: VenueOrderResult[]; planId: number }> {
    const plan = this.prepare(r);
    let entry: OrderView;
    try {
      entry = await this.o.exchange.place(r.userId, {
        ...r.order,
        clientOrderId: plan.entryClientId,
      });
    } catch (error) {
      // A retry after the entry closed: the exchange answers with the order it named.
      if (
        plan.existing &&
        error instanceof AppError &&
        error.code === 'duplicate_client_order_id'
      ) {
        const prior = this.o.order(r.userId, { clientOrderId: plan.entryClientId });
        if (prior) return { entry: prior, exits: [], planId: plan.planId };
      }
      if (!plan.existing) this.entryRefused(plan.planId, error);
      throw error;
    }
    return { entry, exits: await this.entryPlaced(plan.planId, entry), planId: plan.planId };
  }

  /** One of the user's plans, `undefined` when it is not theirs. */
  view(userId: string, planId: number): ExitPlanView | undefined {
    return this.store.view(userId, planId);
  }

  /** The user's plans, newest first. */
  plans(userId: string, q: { status?: PlanStatus; limit?: number } = {}): ExitPlanView[] {
    return this.store.plans(userId, q);
  }

  /**
   * Checks the levels against the entry's price (or, for a market entry, the touch the order
   * would meet) before anything is placed, and records the plan. Refuses (`invalid_bracket`)
   * a level on the wrong side of the entry, an absolute level off the tick, or a relative one
   * that leaves no positive price.
   */
  private prepare(r: EntryWithExits): { planId: number; entryClientId: string; existing: boolean } {
    const o = r.order;
    if (!r.takeProfit && !r.stopLoss) {
      throw bracketError('give a take-profit, a stop-loss or both');
    }
    const now = this.o.now();
    if (o.clientOrderId !== undefined) {
      const prior = this.store.byClient(r.userId, o.clientOrderId, now - RETRY_WINDOW_MS);
      if (prior) return { planId: prior.id, entryClientId: prior.entryClientId, existing: true };
    }
    const spec = this.o.exchange.spec(o.symbol);
    const reference = this.referencePrice(o, spec);
    for (const kind of KINDS) {
      const b = r[kind];
      if (!b) continue;
      if (b.price !== undefined && !priceToTicks(spec, b.price).ok) {
        throw bracketError(
          `${LABEL[kind]} ${b.price} is not a price on ${o.symbol} (tick ${spec.config.tickSize})`,
        );
      }
      if (reference === null) continue;
      const level = bracketPrice(b, kind, o.side, reference, spec.priceScale);
      if (level === null) {
        throw bracketError(`the ${LABEL[kind]} leaves no positive price below ${reference}`);
      }
      const above = (kind === 'takeProfit') === (o.side === 'buy');
      const ok = above
        ? unitsAt(level, spec.priceScale) > unitsAt(reference, spec.priceScale)
        : unitsAt(level, spec.priceScale) < unitsAt(reference, spec.priceScale);
      if (!ok) {
        throw bracketError(
          `a ${o.side}'s ${LABEL[kind]} must be ${above ? 'above' : 'below'} the entry (${reference}); got ${level}`,
        );
      }
    }
    const entryClientId = o.clientOrderId ?? `brk-${randomUUID()}`;
    const planId = this.store.insert({
      userId: r.userId,
      accountId: r.accountId,
      symbol: o.symbol,
      side: o.side,
      entryClientId,
      ...(r.takeProfit ? { takeProfit: r.takeProfit } : {}),
      ...(r.stopLoss ? { stopLoss: r.stopLoss } : {}),
    });
    return { planId, entryClientId, existing: false };
  }

  /** The entry was refused: the plan ends with it. */
  private entryRefused(planId: number, error: unknown): void {
    this.store.finish(planId, 'cancelled', { reason: 'entry_refused', message: messageOf(error) });
  }

  /**
   * The entry was placed: finishes the plan at once when the entry is already done (a market
   * order, a marketable limit), else waits for it. Answers the exits placed now.
   */
  private async entryPlaced(planId: number, entry: OrderView): Promise<VenueOrderResult[]> {
    const plan = this.store.row(planId);
    if (!plan || plan.status !== 'waiting') return [];
    this.store.setEntry(planId, entry.orderId);
    plan.entryOrderId = entry.orderId;
    if (!isDone(entry.status)) {
      this.waiting.set(entry.orderId, planId);
      return [];
    }
    return this.settle(plan, entry, false);
  }

  /** Engine events of a committed batch: an entry waited for that is now done. */
  onEngineEvents(events: readonly EngineEvent[]): void {
    if (this.waiting.size === 0) return;
    for (const e of events) {
      let orderId: number | undefined;
      if (e.type === 'trade') {
        if (e.takerRemainingQty === 0 && this.waiting.has(e.takerOrderId)) orderId = e.takerOrderId;
        else if (e.makerRemainingQty === 0 && this.waiting.has(e.makerOrderId))
          orderId = e.makerOrderId;
      } else if (e.type === 'cancelled' || e.type === 'expired' || e.type === 'rejected') {
        if (this.waiting.has(e.orderId)) orderId = e.orderId;
      }
      if (orderId === undefined) continue;
      const planId = this.waiting.get(orderId)!;
      this.waiting.delete(orderId);
      void this.finishFromOrder(planId).catch((err: unknown) =>
        this.o.log?.error({ err, planId }, 'take-profit/stop-loss plan failed to finish'),
      );
    }
  }

  /**
   * The owner drops a waiting plan: its entry stays as it is and nothing is placed when it is
   * done. Refuses a plan that is not theirs (`unknown_exit_plan`) or no longer waiting.
   */
  cancelPlan(userId: string, planId: number): ExitPlanView {
    const plan = this.store.row(planId);
    if (!plan || plan.userId !== userId) {
      throw new AppError(
        'unknown_exit_plan',
        `No take-profit / stop-loss plan ${planId}`,
        { planId },
        404,
      );
    }
    if (!this.store.finish(planId, 'cancelled', { reason: 'user' })) {
      throw new AppError(
        'exit_plan_not_waiting',
        `Plan ${planId} is ${plan.status}: its exits, if any, are orders to cancel as such`,
        { planId, status: plan.status },
        409,
      );
    }
    if (plan.entryOrderId !== null) this.waiting.delete(plan.entryOrderId);
    return this.view(userId, planId)!;
  }

  /**
   * Cancels the exits plans placed for the user on a market (an exit alert closing the
   * position they protect needs the base they hold). An OCO pair ends with either leg.
   * Answers what was released, per plan: the quantity its exits still covered and their
   * prices, so that what is left of the position can be protected again (`restoreExits`).
   */
  async releaseExits(userId: string, symbol: string, round: string): Promise<ReleasedExits[]> {
    const spec = this.o.exchange.spec(symbol);
    const byPlan = new Map<number, ReleasedExits>();
    const legs: number[] = [];
    for (const o of this.o.exchange.openOrders({ userId, symbol })) {
      const m = o.clientOrderId === null ? null : EXIT_CLIENT_ID.exec(o.clientOrderId);
      if (!m) continue;
      const planId = Number(m[1]);
      const r: ReleasedExits = byPlan.get(planId) ?? { planId, side: o.side, lots: 0, round };
      // Both legs of a pair cover the same quantity: the larger open one is what is covered.
      r.lots = Math.max(r.lots, o.openQty);
      if (m[2] === 'tp') r.takeProfit = ticksToPrice(spec, o.price);
      else r.stopLoss = ticksToPrice(spec, o.stopPrice);
      byPlan.set(planId, r);
      legs.push(o.id);
    }
    // Written before anything is cancelled: a restart between the cancels and the exits placed
    // again finds what was taken off, and puts it back (`recover`).
    const released = [...byPlan.values()];
    this.store.markReleased(released);
    for (const orderId of legs) {
      try {
        await this.o.exchange.cancel(userId, { orderId });
      } catch (error) {
        // The other leg of a pair cancelled just before: it ended with it.
        if (!(error instanceof AppError && error.code === 'unknown_order')) throw error;
      }
    }
    return released;
  }

  /**
   * After a partial exit: places the released exits again, each plan's at its own prices, for
   * what is left of the position (oldest plan first, each up to what it covered before), or
   * all of it again when the exit itself was refused. The client ids name the plan and the
   * round (`brk-<plan>-r<round>-tp`), so placing them again after a restart finds them.
   * Answers the orders placed, and those refused (the rest is then unprotected: the user is
   * told).
   */
  async restoreExits(
    userId: string,
    symbol: string,
    released: readonly ReleasedExits[],
  ): Promise<VenueOrderResult[]> {
    const spec = this.o.exchange.spec(symbol);
    const base = spec.base.code;
    let free = this.o.exchange.holdings(userId, base).available / spec.lotBaseUnits;
    const out: VenueOrderResult[] = [];
    const done = () => this.store.clearReleased(released);
    for (const r of [...released].sort((a, b) => a.planId - b.planId)) {
      const lots = BigInt(r.lots) < free ? BigInt(r.lots) : free;
      if (lots <= 0n) break;
      free -= lots;
      const qty = lotsToQty(spec, lots);
      const levels: Levels = {
        ...(r.takeProfit ? { takeProfit: r.takeProfit } : {}),
        ...(r.stopLoss ? { stopLoss: r.stopLoss } : {}),
      };
      const placed = await placeExits(
        this.o,
        { id: r.planId, userId, symbol },
        r.side,
        qty,
        levels,
        `brk-${r.planId}-r${r.round}`,
      );
      if ('error' in placed) {
        this.o.notify?.({
          userId,
          level: 'warning',
          title: `${symbol}: take-profit/stop-loss NOT placed again after an exit`,
          body: `${describe(r.side, qty, levels)} was refused: ${placed.error}. The ${qty} left is not protected.`,
        });
      } else {
        this.store.recordExits(r.planId, { ...placed.result, qty, ...levels });
      }
      out.push(...placed.orders);
    }
    done();
    return out;
  }

  /**
   * Ends the user's waiting plans (an emergency stop: nothing is placed for them after it).
   * Answers how many ended.
   */
  cancelWaiting(userId: string): number {
    let n = 0;
    for (const plan of this.store.waiting(userId)) {
      if (plan.entryOrderId !== null) this.waiting.delete(plan.entryOrderId);
      if (this.store.finish(plan.id, 'cancelled', { reason: 'emergency_stop' })) n++;
    }
    return n;
  }

  /**
   * At start: exits an exit alert took off are put back, and every waiting plan is finished
   * from its entry as it stands (done between the fill and the exits), or waits again. A plan
   * whose entry was never placed (a stop between the plan's row and the entry) ends. Answers
   * how many were handled.
   */
  async recover(): Promise<number> {
    let handled = 0;
    // Exits an exit alert took off and had not yet put back when Bourse stopped.
    const pending = new Map<
      string,
      { userId: string; symbol: string; released: ReleasedExits[] }
    >();
    for (const row of this.store.released()) {
      const key = `${row.userId}\u0000${row.symbol}`;
      const group = pending.get(key) ?? { userId: row.userId, symbol: row.symbol, released: [] };
      group.released.push(row.released);
      pending.set(key, group);
    }
    // One plan that cannot be finished now (its market gone, say) does not hold up the others:
    // logged, it stays as it is for the next start.
    const each = async (what: string, run: () => Promise<void>) => {
      try {
        await run();
        handled++;
      } catch (err) {
        this.o.log?.error({ err }, `exit plans: ${what} not recovered`);
      }
    };
    for (const g of pending.values()) {
      await each(`exits taken off on ${g.symbol}`, async () => {
        await this.restoreExits(g.userId, g.symbol, g.released);
      });
    }
    for (const plan of this.store.waiting()) {
      await each(`plan ${plan.id}`, async () => {
        const entry = this.o.order(
          plan.userId,
          plan.entryOrderId !== null
            ? { orderId: plan.entryOrderId }
            : { clientOrderId: plan.entryClientId },
        );
        if (!entry) {
          this.store.finish(plan.id, 'cancelled', { reason: 'entry_not_placed' });
          return;
        }
        if (plan.entryOrderId === null) this.store.setEntry(plan.id, entry.orderId);
        plan.entryOrderId = entry.orderId;
        if (!isDone(entry.status)) {
          this.waiting.set(entry.orderId, plan.id);
          return;
        }
        await this.settle(plan, entry, true);
      });
    }
    return handled;
  }

  private async finishFromOrder(planId: number): Promise<void> {
    const plan = this.store.row(planId);
    if (!plan || plan.status !== 'waiting' || plan.entryOrderId === null) return;
    const entry = this.o.order(plan.userId, { orderId: plan.entryOrderId });
    if (!entry) return;
    await this.settle(plan, entry, true);
  }

  /** Places the exits for what the done entry filled, or ends the plan when there is none. */
  private async settle(
    plan: PlanRow,
    entry: OrderView,
    later: boolean,
  ): Promise<VenueOrderResult[]> {
    const spec = this.o.exchange.spec(plan.symbol);
    const filled = unitsAt(entry.filledQty, spec.qtyScale);
    if (filled === 0n || (entry.cancelReason && NOT_PROTECTED_AFTER.has(entry.cancelReason))) {
      this.store.finish(plan.id, 'cancelled', {
        reason: filled === 0n ? 'nothing_filled' : entry.cancelReason,
      });
      return [];
    }
    const average = divDecimal(entry.filledQuote, entry.filledQty, spec.priceScale + 8, 'floor');
    const exitSide: Side = plan.side === 'buy' ? 'sell' : 'buy';
    const qty = formatDecimal(filled, spec.qtyScale);
    const levels: Levels = {};
    for (const kind of KINDS) {
      const text = kind === 'takeProfit' ? plan.takeProfit : plan.stopLoss;
      if (!text || !average) continue;
      const level = bracketPrice(
        JSON.parse(text) as Bracket,
        kind,
        plan.side,
        average,
        spec.priceScale + 8,
      );
      if (level !== null) levels[kind] = onTick(spec, level);
    }
    if (!levels.takeProfit && !levels.stopLoss) {
      this.store.finish(plan.id, 'cancelled', { reason: 'no_level' });
      return [];
    }
    // The exits' client ids name the plan: finishing it twice finds them instead of placing more.
    const placed = await placeExits(this.o, plan, exitSide, qty, levels, `brk-${plan.id}`);
    if ('error' in placed) {
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
    this.store.finish(plan.id, 'placed', { ...placed.result, qty, ...levels });
    if (later) {
      this.o.notify?.({
        userId: plan.userId,
        level: 'info',
        title: `${plan.symbol}: take-profit/stop-loss placed for order ${entry.orderId}`,
        body: describe(exitSide, qty, levels),
      });
    }
    return placed.orders;
  }

  /** The level the alert's entry will meet: its own price, or the touch a market order meets. */
  private referencePrice(r: PlaceInput, spec: MarketSpec): string | null {
    const own = r.type === 'stop_market' ? r.stopPrice : r.type === 'market' ? undefined : r.price;
    // A price off the tick is the entry's own refusal to give (tick_size), not the levels'.
    if (own !== undefined) return priceToTicks(spec, own).ok ? own : null;
    const book = this.o.exchange.market(r.symbol).engine;
    const ticks = (r.side === 'buy' ? book.bestAsk() : book.bestBid()) || book.lastPrice;
    return ticks > 0 ? ticksToPrice(spec, ticks) : null;
  }
}

function bracketError(message: string): AppError {
  return new AppError('invalid_bracket', message, undefined, 400);
}
