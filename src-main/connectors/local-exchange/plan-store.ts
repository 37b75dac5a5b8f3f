import type { DatabaseHandle } from '../../db/database';
import type { Bracket } from '../../domain/automation';
import type { Levels, Side } from './exit-orders';

export type PlanStatus = 'waiting' | 'placed' | 'failed' | 'cancelled';

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

/**
 * Exits placed while the entry rests, for what it has filled so far: each time its fills grow
 * by at least one order the market accepts, another pair for the new part.
 */
export interface PartialExits extends Levels {
  /** The entry's filled lots the exits placed so far cover. */
  lots: number;
  /** The same as a quantity. */
  qty: string;
  orderIds: number[];
  /** The next part, written before its exits are placed (a restart places them once). */
  pending?: PendingExits;
  /** A part the exchange refused: no more parts; the rest is tried once the entry is done. */
  refused?: string;
}

export interface PendingExits extends Levels {
  /** The filled lots covered once this part's exits are placed. */
  lots: number;
  /** This part's quantity. */
  qty: string;
  /** The exits' client id prefix (`brk-<plan>-f<lots>`). */
  tag: string;
}

/** A plan as the keeper works with it (levels still as stored JSON). */
export interface PlanRow {
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
  /** Exits placed for the entry's fills while it rests, if any. */
  partial: PartialExits | null;
}

/** The exits of one plan an exit alert cancelled, to be placed again for what is left. */
export interface ReleasedExits {
  planId: number;
  /** The exits' side. */
  side: Side;
  /** What they covered, in lots. */
  lots: number;
  takeProfit?: string;
  stopLoss?: string;
  /**
   * A trailing stop-loss's distance (it has no stop-loss price to put back): in basis points,
   * or in price units (decimal text); one of the two.
   */
  stopLossTrailBps?: number;
  stopLossTrailAmount?: string;
  /** Names the exits placed again in their client ids (`brk-<plan>-r<round>-tp`). */
  round: string;
}

type StoredView = Omit<ExitPlanView, 'takeProfit' | 'stopLoss' | 'result'> & {
  takeProfit: string | null;
  stopLoss: string | null;
  result: string | null;
};

const ROW_COLS = `id, user_id AS userId, account_id AS accountId, symbol, side,
  entry_client_id AS entryClientId, entry_order_id AS entryOrderId,
  take_profit AS takeProfit, stop_loss AS stopLoss, status,
  json_extract(result, '$.partial') AS partial`;

const VIEW_COLS = `id AS planId, symbol, side, status, entry_order_id AS entryOrderId,
  take_profit AS takeProfit, stop_loss AS stopLoss, result, ts_created AS tsCreated,
  ts_updated AS tsUpdated`;

function toRow(r: (Omit<PlanRow, 'partial'> & { partial: string | null }) | undefined) {
  return r
    ? { ...r, partial: r.partial ? (JSON.parse(r.partial) as PartialExits) : null }
    : undefined;
}

function fromStored(r: StoredView): ExitPlanView {
  return {
    ...r,
    takeProfit: r.takeProfit ? (JSON.parse(r.takeProfit) as Bracket) : null,
    stopLoss: r.stopLoss ? (JSON.parse(r.stopLoss) as Bracket) : null,
    result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
  };
}

/**
 * The `exchange_brackets` rows: each change one guarded statement through `store.write`
 * (a `waiting` plan is finished once; a `placed` one's result alone changes after).
 */
export class PlanStore {
  private readonly s;

  constructor(
    private readonly store: DatabaseHandle,
    private readonly now: () => number,
  ) {
    const db = store.sqlite;
    this.s = {
      insert: db.prepare(
        `INSERT INTO exchange_brackets (user_id, account_id, symbol, side, entry_client_id,
           take_profit, stop_loss, status, ts_created, ts_updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?)`,
      ),
      byId: db.prepare(`SELECT ${ROW_COLS} FROM exchange_brackets WHERE id = ?`),
      byClient: db.prepare(
        `SELECT ${ROW_COLS} FROM exchange_brackets
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
      waiting: db.prepare(`SELECT ${ROW_COLS} FROM exchange_brackets WHERE status = 'waiting'`),
      waitingOf: db.prepare(
        `SELECT ${ROW_COLS} FROM exchange_brackets WHERE status = 'waiting' AND user_id = ?`,
      ),
      setEntry: db.prepare(
        'UPDATE exchange_brackets SET entry_order_id = ?, ts_updated = ? WHERE id = ?',
      ),
      markReleased: db.prepare(
        `UPDATE exchange_brackets SET result = json_set(coalesce(result, '{}'), '$.released', json(?)),
           ts_updated = ? WHERE id = ? AND user_id = ? AND status IN ('placed', 'waiting')`,
      ),
      setPartial: db.prepare(
        `UPDATE exchange_brackets SET result = json_set(coalesce(result, '{}'), '$.partial', json(?)),
           ts_updated = ? WHERE id = ? AND status = 'waiting'`,
      ),
      clearReleased: db.prepare(
        `UPDATE exchange_brackets SET result = json_remove(result, '$.released'), ts_updated = ?
         WHERE id = ? AND user_id = ?`,
      ),
      released: db.prepare(
        `SELECT user_id AS userId, symbol, json_extract(result, '$.released') AS released
         FROM exchange_brackets WHERE status IN ('placed', 'waiting')
           AND json_extract(result, '$.released') IS NOT NULL`,
      ),
      setPartialOrders: db.prepare(
        `UPDATE exchange_brackets
           SET result = json_set(result, '$.partial.orderIds', json(?), '$.partial.qty', ?),
           ts_updated = ? WHERE id = ? AND user_id = ? AND status = 'waiting'
             AND json_extract(result, '$.partial') IS NOT NULL`,
      ),
      setResult: db.prepare(
        `UPDATE exchange_brackets SET result = ?, ts_updated = ?
         WHERE id = ? AND user_id = ? AND status = 'placed'`,
      ),
      // What a waiting plan already did (exits for part of the entry, exits an exit alert took
      // off) is kept beside how it ended.
      finish: db.prepare(
        `UPDATE exchange_brackets SET status = ?,
           result = json_patch(?, json_object(
             'partial', json(json_extract(coalesce(result, '{}'), '$.partial')),
             'released', json(json_extract(coalesce(result, '{}'), '$.released')))),
           ts_updated = ?
         WHERE id = ? AND status = 'waiting'`,
      ),
    };
  }

  /** A new waiting plan; answers its id. */
  insert(p: {
    userId: string;
    accountId: string | null;
    symbol: string;
    side: Side;
    entryClientId: string;
    takeProfit?: Bracket;
    stopLoss?: Bracket;
  }): number {
    const now = this.now();
    const info = this.store.write('exchange_brackets.plan', () =>
      this.s.insert.run(
        p.userId,
        p.accountId,
        p.symbol,
        p.side,
        p.entryClientId,
        p.takeProfit ? JSON.stringify(p.takeProfit) : null,
        p.stopLoss ? JSON.stringify(p.stopLoss) : null,
        now,
        now,
      ),
    );
    return Number(info.lastInsertRowid);
  }

  row(planId: number): PlanRow | undefined {
    return toRow(this.s.byId.get(planId) as Parameters<typeof toRow>[0]);
  }

  /** The user's latest plan for this entry client id created after `since`. */
  byClient(userId: string, clientId: string, since: number): PlanRow | undefined {
    return toRow(this.s.byClient.get(userId, clientId, since) as Parameters<typeof toRow>[0]);
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

  /** Every waiting plan, or the user's. */
  waiting(userId?: string): PlanRow[] {
    const rows = (
      userId === undefined ? this.s.waiting.all() : this.s.waitingOf.all(userId)
    ) as Array<Parameters<typeof toRow>[0]>;
    return rows.map((r) => toRow(r)!);
  }

  setEntry(planId: number, orderId: number): void {
    this.store.write('exchange_brackets.entry', () =>
      this.s.setEntry.run(orderId, this.now(), planId),
    );
  }

  /** Ends a waiting plan; false when it was no longer waiting. */
  finish(planId: number, status: PlanStatus, result: Record<string, unknown>): boolean {
    const json = JSON.stringify(result);
    return this.store.write(
      'exchange_brackets.finish',
      () => this.s.finish.run(status, json, this.now(), planId).changes > 0,
    );
  }

  /** A waiting plan's exits for part of its entry; false when it was no longer waiting. */
  setPartial(planId: number, partial: PartialExits): boolean {
    const json = JSON.stringify(partial);
    return this.store.write(
      'exchange_brackets.partial',
      () => this.s.setPartial.run(json, this.now(), planId).changes > 0,
    );
  }

  /** A placed plan's exits, placed again (after a partial exit): its result names them now. */
  recordExits(userId: string, planId: number, result: Record<string, unknown>): void {
    const json = JSON.stringify(result);
    this.store.write('exchange_brackets.exits', () =>
      this.s.setResult.run(json, this.now(), planId, userId),
    );
  }

  /**
   * A waiting plan's exits for parts of its entry, placed again after an exit alert: what they
   * cover now. The filled lots they stand for stay (later fills are covered from there).
   */
  recordPartialExits(userId: string, planId: number, orderIds: number[], qty: string): void {
    this.store.write('exchange_brackets.partial_exits', () =>
      this.s.setPartialOrders.run(JSON.stringify(orderIds), qty, this.now(), planId, userId),
    );
  }

  /** Exits about to be taken off, written first so that a restart puts them back. */
  markReleased(userId: string, released: readonly ReleasedExits[]): void {
    this.store.write('exchange_brackets.release', () => {
      for (const r of released) {
        this.s.markReleased.run(JSON.stringify(r), this.now(), r.planId, userId);
      }
    });
  }

  clearReleased(userId: string, released: readonly ReleasedExits[]): void {
    this.store.write('exchange_brackets.restored', () => {
      for (const r of released) this.s.clearReleased.run(this.now(), r.planId, userId);
    });
  }

  /** Exits taken off and not yet put back, with their owner and market. */
  released(): Array<{ userId: string; symbol: string; released: ReleasedExits }> {
    return (
      this.s.released.all() as Array<{ userId: string; symbol: string; released: string }>
    ).map((r) => ({ ...r, released: JSON.parse(r.released) as ReleasedExits }));
  }
}
