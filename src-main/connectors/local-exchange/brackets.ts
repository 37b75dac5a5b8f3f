import { randomUUID } from 'node:crypto';
import { AppError } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import type { Bracket } from '../../domain/automation';
import { TRAIL_PERCENT_RULE, bracketPrice, trailBpsOf } from '../../domain/automation/brackets';
import type { EngineEvent } from '../../domain/exchange';
import { unitsAt } from '../../domain/money';
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
  placeExits,
  type Notify,
  type OrderLookup,
} from './exit-orders';
import { EntryExits, levelsOf, orderIdsOf } from './entry-exits';
import { trailAmountOf } from './trail-amount';
import { PlanStore, type ExitPlanView, type PlanStatus, type ReleasedExits } from './plan-store';

export type { ExitPlanView, PlanStatus, ReleasedExits } from './plan-store';

/** An entry and the exits to place for what it fills. */
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
  notify?: Notify;
}

/**
 * The client order ids of the exits a plan places: `brk-<plan id>-tp` / `-sl`; for part of a
 * resting entry `brk-<plan id>-f<filled lots>-tp`; after a partial exit
 * `brk-<plan id>-r<exit order id>-tp` / `-sl` (`-rf<time>-` after a refused one). Group 2 names
 * the pair, group 3 the leg.
 */
const EXIT_CLIENT_ID = /^(brk-(\d+)(?:-[rf][0-9a-z]+)?)-(tp|sl)$/;

/**
 * Take-profit and stop-loss for entries on the local exchange: exits placed for what the
 * entry fills — both as one OCO pair (a post-only limit at the take-profit, a stop at the
 * stop-loss; whichever acts first cancels the other), or the one level given as a limit or a
 * stop-market order. Relative levels (percent, amount, pips) are measured from the entry's
 * average fill price and rounded to the nearest tick.
 *
 * A resting entry's fills are protected as they come, as a broker's attached brackets do (not
 * as Binance's OTO lists, whose pending legs wait for the whole working order): each time its
 * filled quantity not yet covered reaches a tenth of the entry and an order the market accepts
 * (minimum quantity and notional at both levels), another pair is placed for that part
 * (`brk-<plan>-f<lots>`).
 * When the entry is done — filled, or ended with part of it filled (a market order's unfilled
 * rest, an IOC remainder, a price band, its owner's cancel) — the rest is covered. An entry
 * that ends with nothing filled, a plan ended by an emergency stop, or an entry the dead-man
 * switch cancelled places nothing more.
 *
 * The plan is a row written before the entry is placed, so nothing is lost to a restart: the
 * entry is found by its client order id and the plan finished (`recover`). The exits' client
 * order ids name the plan (`brk-<plan id>-tp`, `-sl`, `-oco`), so a plan finished twice (a
 * crash between its exits and its row's update) places its exits once.
 */
export class ExchangeBrackets {
  private readonly waiting = new Map<number, number>(); // entry order id → plan id
  /** Each plan's work, one step at a time (a part's exits, then the rest once it is done). */
  private readonly steps = new Map<number, Promise<unknown>>();
  private readonly store: PlanStore;
  private readonly exits: EntryExits;

  constructor(private readonly o: ExchangeBracketsOptions) {
    this.store = new PlanStore(o.store, o.now);
    this.exits = new EntryExits(o, this.store);
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
      if (b.trailPercent !== undefined || b.trailAmount !== undefined) {
        // A trailing stop-loss has no price to check: it starts from the last price.
        checkTrail(b, kind, o, spec, reference);
        continue;
      }
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
    if (!isDone(entry.status)) this.waiting.set(entry.orderId, planId);
    // A marketable limit that filled in part and rests: that part is protected at once.
    return this.step(planId, () => this.advance(planId, false));
  }

  /** Runs a plan's steps one after the other: a later one sees what the one before did. */
  private step<T>(planId: number, run: () => Promise<T>): Promise<T> {
    const next = (this.steps.get(planId) ?? Promise.resolve()).then(run, run);
    const settled = next.catch(() => undefined);
    this.steps.set(planId, settled);
    void settled.then(() => {
      if (this.steps.get(planId) === settled) this.steps.delete(planId);
    });
    return next;
  }

  /**
   * Brings a waiting plan up to its entry as it stands now: finishes a part written before a
   * restart, covers new fills of a resting entry, or places the rest once it is done.
   */
  private async advance(planId: number, later: boolean): Promise<VenueOrderResult[]> {
    let plan = this.store.row(planId);
    if (!plan || plan.status !== 'waiting' || plan.entryOrderId === null) return [];
    const out: VenueOrderResult[] = [];
    if (plan.partial?.pending) {
      out.push(...(await this.exits.placePart(plan, plan.partial, plan.partial.pending)));
      plan = this.store.row(planId);
      if (!plan || plan.status !== 'waiting') return out;
    }
    const entry = this.o.order(plan.userId, { orderId: plan.entryOrderId! });
    if (!entry) return out;
    if (isDone(entry.status)) {
      this.waiting.delete(entry.orderId);
      return [...out, ...(await this.exits.settle(plan, entry, later))];
    }
    return [...out, ...(await this.exits.cover(plan, entry))];
  }

  /**
   * Engine events of a committed batch: an entry waited for that filled (in part or whole) or
   * ended. Each plan is advanced once per batch, from its entry as it stands.
   */
  onEngineEvents(events: readonly EngineEvent[]): void {
    if (this.waiting.size === 0) return;
    const touched = new Set<number>();
    for (const e of events) {
      if (e.type === 'trade') {
        if (this.waiting.has(e.takerOrderId)) touched.add(this.waiting.get(e.takerOrderId)!);
        if (this.waiting.has(e.makerOrderId)) touched.add(this.waiting.get(e.makerOrderId)!);
      } else if (e.type === 'cancelled' || e.type === 'expired' || e.type === 'rejected') {
        if (this.waiting.has(e.orderId)) touched.add(this.waiting.get(e.orderId)!);
      }
    }
    for (const planId of touched) {
      void this.step(planId, () => this.advance(planId, true)).catch((err: unknown) =>
        this.o.log?.error({ err, planId }, 'take-profit/stop-loss plan failed to advance'),
      );
    }
  }

  /**
   * The owner drops a waiting plan: its entry stays as it is and nothing more is placed for it
   * (exits already placed for parts of it stay, as orders). Waits for a step of the plan in
   * flight, so that what it placed is in the plan's result. Refuses a plan that is not theirs
   * (`unknown_exit_plan`) or no longer waiting.
   */
  cancelPlan(userId: string, planId: number): Promise<ExitPlanView> {
    const plan = this.store.row(planId);
    if (!plan || plan.userId !== userId) {
      return Promise.reject(
        new AppError(
          'unknown_exit_plan',
          `No take-profit / stop-loss plan ${planId}`,
          { planId },
          404,
        ),
      );
    }
    return this.step(planId, () => {
      const now = this.store.row(planId)!;
      if (!this.store.finish(planId, 'cancelled', { reason: 'user' })) {
        throw new AppError(
          'exit_plan_not_waiting',
          `Plan ${planId} is ${now.status}: its exits, if any, are orders to cancel as such`,
          { planId, status: now.status },
          409,
        );
      }
      if (now.entryOrderId !== null) this.waiting.delete(now.entryOrderId);
      return Promise.resolve(this.view(userId, planId)!);
    });
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
    const pairs = new Map<string, { planId: number; lots: number }>();
    const legs: number[] = [];
    // Oldest first: a plan with exits for several parts of its entry is put back at the
    // prices of its first pair.
    const open = this.o.exchange.openOrders({ userId, symbol }).sort((a, b) => a.id - b.id);
    // Client ids are the user's to choose: an order is a plan's exit only when that plan is
    // this user's, on this market (anyone can name an order `brk-<someone else's plan>-tp`).
    const owned = new Map<number, boolean>();
    const isMine = (planId: number) => {
      if (!owned.has(planId)) {
        const row = this.store.row(planId);
        owned.set(planId, row?.userId === userId && row.symbol === symbol);
      }
      return owned.get(planId)!;
    };
    for (const o of open) {
      const m = o.clientOrderId === null ? null : EXIT_CLIENT_ID.exec(o.clientOrderId);
      if (!m || !isMine(Number(m[2]))) continue;
      const planId = Number(m[2]);
      // Both legs of a pair cover the same quantity: the larger open one is what is covered.
      const pair = pairs.get(m[1]!) ?? { planId, lots: 0 };
      pair.lots = Math.max(pair.lots, o.openQty);
      pairs.set(m[1]!, pair);
      const r: ReleasedExits = byPlan.get(planId) ?? { planId, side: o.side, lots: 0, round };
      if (m[3] === 'tp') r.takeProfit ??= ticksToPrice(spec, o.price);
      // A trailing stop-loss is put back trailing (from the price then) by the same distance,
      // not at its stop now.
      else if (o.trail) keepTrail(r, o.trail, spec);
      else r.stopLoss ??= ticksToPrice(spec, o.stopPrice);
      byPlan.set(planId, r);
      legs.push(o.id);
    }
    for (const p of pairs.values()) byPlan.get(p.planId)!.lots += p.lots;
    // Written before anything is cancelled: a restart between the cancels and the exits placed
    // again finds what was taken off, and puts it back (`recover`).
    const released = [...byPlan.values()];
    this.store.markReleased(userId, released);
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
    const done = () => this.store.clearReleased(userId, released);
    for (const r of [...released].sort((a, b) => a.planId - b.planId)) {
      const lots = BigInt(r.lots) < free ? BigInt(r.lots) : free;
      if (lots <= 0n) break;
      free -= lots;
      const qty = lotsToQty(spec, lots);
      const levels = levelsOf(r);
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
        this.store.recordExits(userId, r.planId, { ...placed.result, qty, ...levels });
        this.store.recordPartialExits(userId, r.planId, orderIdsOf(placed.result), qty);
      }
      out.push(...placed.orders);
    }
    done();
    return out;
  }

  /**
   * Ends the user's waiting plans (an emergency stop: nothing is placed for them after it),
   * then waits for their steps in flight, so that exits they were placing are in the book
   * before the caller cancels every order. Answers how many ended.
   */
  async cancelWaiting(userId: string): Promise<number> {
    let n = 0;
    const inFlight: Array<Promise<unknown>> = [];
    for (const plan of this.store.waiting(userId)) {
      if (plan.entryOrderId !== null) this.waiting.delete(plan.entryOrderId);
      if (this.store.finish(plan.id, 'cancelled', { reason: 'emergency_stop' })) n++;
      const step = this.steps.get(plan.id);
      if (step) inFlight.push(step);
    }
    await Promise.all(inFlight);
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
        if (!isDone(entry.status)) this.waiting.set(entry.orderId, plan.id);
        await this.step(plan.id, () => this.advance(plan.id, true));
      });
    }
    return handled;
  }

  /**
   * The level the alert's entry will meet: its own price (a market stop's or take-profit's
   * trigger, which it trades around; a limit kind's limit), or the touch a market order meets.
   */
  private referencePrice(r: PlaceInput, spec: MarketSpec): string | null {
    const triggered = r.type === 'stop_market' || r.type === 'take_profit_market';
    const own = triggered ? r.stopPrice : r.type === 'market' ? undefined : r.price;
    // A price off the tick is the entry's own refusal to give (tick_size), not the levels'.
    if (own !== undefined) return priceToTicks(spec, own).ok ? own : null;
    const book = this.o.exchange.market(r.symbol).engine;
    const ticks = (r.side === 'buy' ? book.bestAsk() : book.bestBid()) || book.lastPrice;
    return ticks > 0 ? ticksToPrice(spec, ticks) : null;
  }
}

/**
 * A trailing level: a stop-loss's only, its percent within the exchange's range, its amount on
 * the market's tick (never rounded) and, for a sell (the stop-loss of a buy), below the price
 * it will trail from — the entry's, or the touch a market entry meets — else it would never
 * trigger.
 */
function checkTrail(
  b: Bracket,
  kind: (typeof KINDS)[number],
  o: PlaceInput,
  spec: MarketSpec,
  reference: string | null,
): void {
  const field = b.trailPercent !== undefined ? 'trailPercent' : 'trailAmount';
  if (kind === 'takeProfit') {
    throw bracketError(
      `a take-profit cannot trail (${field} is for the stop-loss)`,
      `takeProfit.${field}`,
    );
  }
  if (b.trailPercent !== undefined) {
    if (trailBpsOf(b.trailPercent) !== null) return;
    throw bracketError(
      `the stop-loss's trailPercent ${b.trailPercent} must be ${TRAIL_PERCENT_RULE}`,
      'stopLoss.trailPercent',
    );
  }
  const trail = trailAmountOf(spec, b.trailAmount!);
  if (!trail.ok) {
    throw bracketError(`the stop-loss's trailAmount ${trail.why}`, 'stopLoss.trailAmount');
  }
  if (o.side !== 'buy' || reference === null) return;
  const from = priceToTicks(spec, reference);
  if (from.ok && trail.ticks >= from.value) {
    throw bracketError(
      `the stop-loss's trailAmount ${trail.amount} is not below ${reference}, where it would start trailing: a sell that far behind would never trigger`,
      'stopLoss.trailAmount',
    );
  }
}

function bracketError(message: string, field?: string): AppError {
  return new AppError('invalid_bracket', message, field ? { field } : undefined, 400);
}

/**
 * A released trailing stop-loss's distance, as the order trailed: basis points, or an amount
 * in ticks (its `bps` then 0) put back as a price distance. The plan's first one counts.
 */
function keepTrail(r: ReleasedExits, trail: { bps: number; amount: number }, spec: MarketSpec) {
  if (r.stopLossTrailBps !== undefined || r.stopLossTrailAmount !== undefined) return;
  if (trail.bps > 0) r.stopLossTrailBps = trail.bps;
  else r.stopLossTrailAmount = ticksToPrice(spec, trail.amount);
}
