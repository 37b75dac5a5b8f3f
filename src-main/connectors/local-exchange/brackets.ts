import { randomUUID } from 'node:crypto';
import { AppError } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import type { Bracket } from '../../domain/automation';
import { bracketPrice } from '../../domain/automation/brackets';
import type { EngineEvent } from '../../domain/exchange';
import { divDecimal, divRound, formatDecimal, unitsAt } from '../../domain/money';
import { lotsToQty, priceToTicks, ticksToPrice, type MarketSpec } from '../../domain/markets';
import type { ExchangeApi, OrderView, PlaceInput } from '../../features/exchange/api';
import type { Logger } from '../../observability/logger';
import type { VenueOrderResult } from '../venue';

type Side = 'buy' | 'sell';
type Kind = 'takeProfit' | 'stopLoss';
const KINDS: readonly Kind[] = ['takeProfit', 'stopLoss'];
const LABEL: Record<Kind, string> = { takeProfit: 'take-profit', stopLoss: 'stop-loss' };

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

/** A plan as its owner sees it (the contract's ExitPlanView). */
export interface ExitPlanView {
  planId: number;
  symbol: string;
  side: Side;
  status: PlanStatus;
  entryOrderId: number | null;
  takeProfit: Bracket | null;
  stopLoss: Bracket | null;
  /** What finishing it did: the exits' ids and levels, or why nothing was placed. */
  result: Record<string, unknown> | null;
  tsCreated: number;
  tsUpdated: number;
}

type StoredView = Omit<ExitPlanView, 'takeProfit' | 'stopLoss' | 'result'> & {
  takeProfit: string | null;
  stopLoss: string | null;
  result: string | null;
};

const VIEW_COLS = `id AS planId, symbol, side, status, entry_order_id AS entryOrderId,
  take_profit AS takeProfit, stop_loss AS stopLoss, result, ts_created AS tsCreated,
  ts_updated AS tsUpdated`;

function fromStored(r: StoredView): ExitPlanView {
  return {
    ...r,
    takeProfit: r.takeProfit ? (JSON.parse(r.takeProfit) as Bracket) : null,
    stopLoss: r.stopLoss ? (JSON.parse(r.stopLoss) as Bracket) : null,
    result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
  };
}

/** How long a plan answers a retry of its entry's clientOrderId (the exchange's window). */
const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

export type PlanStatus = 'waiting' | 'placed' | 'failed' | 'cancelled';

interface PlanRow {
  id: number;
  userId: string;
  accountId: string | null;
  symbol: string;
  side: Side;
  entryClientId: string;
  entryOrderId: number | null;
  takeProfit: string | null;
  stopLoss: string | null;
  status: PlanStatus;
}

export interface ExchangeBracketsOptions {
  store: DatabaseHandle;
  exchange: ExchangeApi;
  /** One order of a user as it stands (open or closed), `undefined` when there is none. */
  order: (
    userId: string,
    ref: { orderId?: number; clientOrderId?: string },
  ) => OrderView | undefined;
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

/** The exits of one plan an exit alert cancelled, to be placed again for what is left. */
export interface ReleasedExits {
  planId: number;
  /** The exits' side. */
  side: Side;
  /** What they covered, in lots. */
  lots: number;
  takeProfit?: string;
  stopLoss?: string;
  /** Names the exits placed again in their client ids (`brk-<plan>-r<round>-tp`). */
  round: string;
}

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
  private readonly s;

  constructor(private readonly o: ExchangeBracketsOptions) {
    const db = o.store.sqlite;
    const cols = `id, user_id AS userId, account_id AS accountId, symbol, side,
      entry_client_id AS entryClientId, entry_order_id AS entryOrderId,
      take_profit AS takeProfit, stop_loss AS stopLoss, status`;
    this.s = {
      insert: db.prepare(
        `INSERT INTO exchange_brackets (user_id, account_id, symbol, side, entry_client_id,
           take_profit, stop_loss, status, ts_created, ts_updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?)`,
      ),
      byId: db.prepare(`SELECT ${cols} FROM exchange_brackets WHERE id = ?`),
      byClient: db.prepare(
        `SELECT ${cols} FROM exchange_brackets
         WHERE user_id = ? AND entry_client_id = ? AND ts_created > ? ORDER BY id DESC LIMIT 1`,
      ),
      view: db.prepare(`SELECT ${VIEW_COLS} FROM exchange_brackets WHERE id = ? AND user_id = ?`),
      list: db.prepare(
        `SELECT ${VIEW_COLS} FROM exchange_brackets WHERE user_id = ? ORDER BY id DESC LIMIT ?`,
      ),
      listByStatus: db.prepare(
        `SELECT ${VIEW_COLS} FROM exchange_brackets WHERE user_id = ? AND status = ?
         ORDER BY id DESC LIMIT ?`,
      ),
      waiting: db.prepare(`SELECT ${cols} FROM exchange_brackets WHERE status = 'waiting'`),
      waitingOf: db.prepare(
        `SELECT ${cols} FROM exchange_brackets WHERE status = 'waiting' AND user_id = ?`,
      ),
      setEntry: db.prepare(
        'UPDATE exchange_brackets SET entry_order_id = ?, ts_updated = ? WHERE id = ?',
      ),
      markReleased: db.prepare(
        `UPDATE exchange_brackets SET result = json_set(coalesce(result, '{}'), '$.released', json(?)),
           ts_updated = ? WHERE id = ? AND status = 'placed'`,
      ),
      clearReleased: db.prepare(
        `UPDATE exchange_brackets SET result = json_remove(result, '$.released'), ts_updated = ?
         WHERE id = ?`,
      ),
      released: db.prepare(
        `SELECT user_id AS userId, symbol, json_extract(result, '$.released') AS released
         FROM exchange_brackets WHERE status = 'placed' AND json_extract(result, '$.released') IS NOT NULL`,
      ),
      setResult: db.prepare(
        `UPDATE exchange_brackets SET result = ?, ts_updated = ? WHERE id = ? AND status = 'placed'`,
      ),
      finish: db.prepare(
        `UPDATE exchange_brackets SET status = ?, result = ?, ts_updated = ?
         WHERE id = ? AND status = 'waiting'`,
      ),
    };
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
    const r = this.s.view.get(planId, userId) as StoredView | undefined;
    return r ? fromStored(r) : undefined;
  }

  /** The user's plans, newest first. */
  plans(userId: string, q: { status?: PlanStatus; limit?: number } = {}): ExitPlanView[] {
    const limit = q.limit ?? 100;
    const rows = (
      q.status ? this.s.listByStatus.all(userId, q.status, limit) : this.s.list.all(userId, limit)
    ) as StoredView[];
    return rows.map(fromStored);
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
      const prior = this.s.byClient.get(r.userId, o.clientOrderId, now - RETRY_WINDOW_MS) as
        PlanRow | undefined;
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
    const info = this.o.store.write('exchange_brackets.plan', () =>
      this.s.insert.run(
        r.userId,
        r.accountId,
        o.symbol,
        o.side,
        entryClientId,
        r.takeProfit ? JSON.stringify(r.takeProfit) : null,
        r.stopLoss ? JSON.stringify(r.stopLoss) : null,
        now,
        now,
      ),
    );
    return { planId: Number(info.lastInsertRowid), entryClientId, existing: false };
  }

  /** The entry was refused: the plan ends with it. */
  private entryRefused(planId: number, error: unknown): void {
    this.finish(planId, 'cancelled', { reason: 'entry_refused', message: messageOf(error) });
  }

  /**
   * The entry was placed: finishes the plan at once when the entry is already done (a market
   * order, a marketable limit), else waits for it. Answers the exits placed now.
   */
  private async entryPlaced(planId: number, entry: OrderView): Promise<VenueOrderResult[]> {
    const plan = this.row(planId);
    if (!plan || plan.status !== 'waiting') return [];
    this.setEntry(planId, entry.orderId);
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
    const plan = this.row(planId);
    if (!plan || plan.userId !== userId) {
      throw new AppError(
        'unknown_exit_plan',
        `No take-profit / stop-loss plan ${planId}`,
        { planId },
        404,
      );
    }
    if (!this.finish(planId, 'cancelled', { reason: 'user' })) {
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
    this.o.store.write('exchange_brackets.release', () => {
      for (const r of released) this.s.markReleased.run(JSON.stringify(r), this.o.now(), r.planId);
    });
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
    const done = () =>
      this.o.store.write('exchange_brackets.restored', () => {
        for (const r of released) this.s.clearReleased.run(this.o.now(), r.planId);
      });
    for (const r of [...released].sort((a, b) => a.planId - b.planId)) {
      const lots = BigInt(r.lots) < free ? BigInt(r.lots) : free;
      if (lots <= 0n) break;
      free -= lots;
      const qty = lotsToQty(spec, lots);
      const levels: Partial<Record<Kind, string>> = {
        ...(r.takeProfit ? { takeProfit: r.takeProfit } : {}),
        ...(r.stopLoss ? { stopLoss: r.stopLoss } : {}),
      };
      const placed = await this.placeExits(
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
        this.recordExits(r.planId, { ...placed.result, qty, ...levels });
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
    for (const plan of this.s.waitingOf.all(userId) as PlanRow[]) {
      if (plan.entryOrderId !== null) this.waiting.delete(plan.entryOrderId);
      if (this.finish(plan.id, 'cancelled', { reason: 'emergency_stop' })) n++;
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
    for (const row of this.s.released.all() as Array<{
      userId: string;
      symbol: string;
      released: string;
    }>) {
      const key = `${row.userId}\u0000${row.symbol}`;
      const group = pending.get(key) ?? { userId: row.userId, symbol: row.symbol, released: [] };
      group.released.push(JSON.parse(row.released) as ReleasedExits);
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
    for (const plan of this.s.waiting.all() as PlanRow[]) {
      await each(`plan ${plan.id}`, async () => {
        const entry = this.o.order(
          plan.userId,
          plan.entryOrderId !== null
            ? { orderId: plan.entryOrderId }
            : { clientOrderId: plan.entryClientId },
        );
        if (!entry) {
          this.finish(plan.id, 'cancelled', { reason: 'entry_not_placed' });
          return;
        }
        if (plan.entryOrderId === null) this.setEntry(plan.id, entry.orderId);
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
    const plan = this.row(planId);
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
      this.finish(plan.id, 'cancelled', {
        reason: filled === 0n ? 'nothing_filled' : entry.cancelReason,
      });
      return [];
    }
    const average = divDecimal(entry.filledQuote, entry.filledQty, spec.priceScale + 8, 'floor');
    const exitSide: Side = plan.side === 'buy' ? 'sell' : 'buy';
    const qty = formatDecimal(filled, spec.qtyScale);
    const levels: Partial<Record<Kind, string>> = {};
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
      this.finish(plan.id, 'cancelled', { reason: 'no_level' });
      return [];
    }
    // The exits' client ids name the plan: finishing it twice finds them instead of placing more.
    const placed = await this.placeExits(plan, exitSide, qty, levels, `brk-${plan.id}`);
    if ('error' in placed) {
      this.finish(plan.id, 'failed', { code: placed.code, message: placed.error, qty, ...levels });
      this.o.notify?.({
        userId: plan.userId,
        level: 'warning',
        title: `${plan.symbol}: take-profit/stop-loss NOT placed for order ${entry.orderId}`,
        body: `${describe(exitSide, qty, levels)} was refused: ${placed.error}. The ${qty} filled is not protected.`,
      });
      return placed.orders;
    }
    this.finish(plan.id, 'placed', { ...placed.result, qty, ...levels });
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

  /**
   * Places exits at these levels: both as one OCO pair, one alone as a GTC limit or a
   * stop-market, under client ids `<tag>-oco`, `-tp`, `-sl`. A refusal is answered, not
   * thrown: the orders are then listed as refused, with why (the entry they protect stands).
   */
  private async placeExits(
    plan: { id: number; userId: string; symbol: string },
    side: Side,
    qty: string,
    levels: Partial<Record<Kind, string>>,
    tag: string,
  ): Promise<
    | { orders: VenueOrderResult[]; result: Record<string, unknown> }
    | { orders: VenueOrderResult[]; error: string; code: string }
  > {
    const { takeProfit, stopLoss } = levels;
    try {
      if (takeProfit && stopLoss) {
        const list = await this.o.exchange.placeOco(plan.userId, {
          symbol: plan.symbol,
          side,
          qty,
          price: takeProfit,
          stopPrice: stopLoss,
          listClientOrderId: `${tag}-oco`,
          limitClientOrderId: `${tag}-tp`,
          stopClientOrderId: `${tag}-sl`,
        });
        return {
          orders: [
            exitResult(list.limitOrderId, plan.symbol, side, 'takeProfit', qty, takeProfit),
            exitResult(list.stopOrderId, plan.symbol, side, 'stopLoss', qty, stopLoss),
          ],
          result: {
            orderListId: list.orderListId,
            orderIds: [list.limitOrderId, list.stopOrderId],
          },
        };
      }
      const kind: Kind = takeProfit ? 'takeProfit' : 'stopLoss';
      const level = (takeProfit ?? stopLoss)!;
      const view = await this.placeOnce(plan.userId, {
        symbol: plan.symbol,
        side,
        qty,
        ...(kind === 'takeProfit'
          ? { type: 'limit', price: level, tif: 'GTC', clientOrderId: `${tag}-tp` }
          : { type: 'stop_market', stopPrice: level, clientOrderId: `${tag}-sl` }),
      });
      return {
        orders: [
          {
            ...exitResult(view.orderId, plan.symbol, side, kind, qty, level),
            status: view.status,
            filledQty: view.filledQty,
          },
        ],
        result: { orderIds: [view.orderId] },
      };
    } catch (error) {
      const message = messageOf(error);
      return {
        error: message,
        code: error instanceof AppError ? error.code : 'internal',
        orders: KINDS.filter((k) => levels[k]).map((k) => ({
          ...exitResult(0, plan.symbol, side, k, qty, levels[k]!),
          orderId: '',
          status: 'rejected',
          note: message,
        })),
      };
    }
  }

  /**
   * Places an exit, or answers the one placed before with its client id (a plan finished
   * again after a restart, its exit already closed: the exchange refuses the id as a
   * duplicate rather than answer a closed order).
   */
  private async placeOnce(userId: string, order: PlaceInput): Promise<OrderView> {
    try {
      return await this.o.exchange.place(userId, order);
    } catch (error) {
      if (error instanceof AppError && error.code === 'duplicate_client_order_id') {
        const prior = this.o.order(userId, { clientOrderId: order.clientOrderId! });
        if (prior) return prior;
      }
      throw error;
    }
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

  private row(planId: number): PlanRow | undefined {
    return this.s.byId.get(planId) as PlanRow | undefined;
  }

  /** A placed plan's exits, placed again (after a partial exit): its result names them now. */
  private recordExits(planId: number, result: Record<string, unknown>): void {
    const json = JSON.stringify(result);
    this.o.store.write('exchange_brackets.exits', () =>
      this.s.setResult.run(json, this.o.now(), planId),
    );
  }

  private setEntry(planId: number, orderId: number): void {
    this.o.store.write('exchange_brackets.entry', () =>
      this.s.setEntry.run(orderId, this.o.now(), planId),
    );
  }

  private finish(planId: number, status: PlanStatus, result: Record<string, unknown>): boolean {
    const json = JSON.stringify(result);
    return this.o.store.write(
      'exchange_brackets.finish',
      () => this.s.finish.run(status, json, this.o.now(), planId).changes > 0,
    );
  }
}

/** An entry is done once nothing more of it can fill. */
function isDone(status: string): boolean {
  return (
    status === 'filled' || status === 'cancelled' || status === 'expired' || status === 'rejected'
  );
}

/** A price at any scale to the market's nearest tick (ties to even), as decimal text. */
function onTick(spec: MarketSpec, level: string): string {
  const scale = Math.max(spec.priceScale, level.split('.')[1]?.length ?? 0);
  const tick = spec.tickUnits * 10n ** BigInt(scale - spec.priceScale);
  const ticks = divRound(unitsAt(level, scale), tick, 'half_even');
  return ticksToPrice(spec, ticks > 0n ? ticks : 1n);
}

function exitResult(
  orderId: number,
  symbol: string,
  side: Side,
  kind: Kind,
  qty: string,
  level: string,
): VenueOrderResult {
  return {
    orderId: String(orderId),
    symbol,
    side,
    type: kind === 'takeProfit' ? 'limit' : 'stop_market',
    role: kind === 'takeProfit' ? 'take_profit' : 'stop_loss',
    price: level,
    qty,
    status: 'new',
    filledQty: '0',
    avgPrice: null,
  };
}

function describe(side: Side, qty: string, levels: Partial<Record<Kind, string>>): string {
  const parts = KINDS.filter((k) => levels[k]).map((k) => `${LABEL[k]} ${levels[k]}`);
  return `${side} ${qty} at ${parts.join(' / ')}`;
}

function bracketError(message: string): AppError {
  return new AppError('invalid_bracket', message, undefined, 400);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
