import { BookOrder } from './book-order';
import type { PriceLevel } from './book-order';
import { BookSide, sideProblems } from './book-side';
import type { EngineEvent } from './events';
import type { FillInput, RestingOrderInput } from './matching-engine';
import { transition } from './order-lifecycle';
import { ResultCode } from './result-codes';
import type { BookSnapshot, DepthLevel, OpenOrder } from './snapshot';
import { restingChecksum } from './snapshot';
import { TriggerBook } from './trigger-book';
import type { EngineMarketConfig, MarketStatus, Side } from './types';
import { priceProblem, qtyProblem } from './validation';

/** The map key of a client order id: unique per user among open orders. */
export function clientKey(userId: string, clientOrderId: string): string {
  return `${userId}\u0000${clientOrderId}`;
}

/** Converts an internal order to its public, copyable form. */
export function toOpenOrder(o: BookOrder): OpenOrder {
  const open: OpenOrder = {
    orderId: o.id,
    userId: o.userId,
    side: o.side,
    kind: o.kind,
    tif: o.tif,
    price: o.price,
    stopPrice: o.stopPrice,
    qty: o.qty,
    quoteQty: o.quote,
    filledQty: o.filled,
    postOnly: o.postOnly,
    stp: o.stp,
    status: o.status,
  };
  if (o.clientOrderId !== undefined) open.clientOrderId = o.clientOrderId;
  if (o.linked !== null) open.linkedOrderId = o.linked.id;
  if (o.linked !== null && o.bracket) open.bracket = true;
  if (o.trailBps !== 0 || o.trailAmount !== 0) {
    if (o.trailBps !== 0) open.trailBps = o.trailBps;
    else open.trailAmount = o.trailAmount;
    open.trailAnchor = o.trailAnchor;
    open.trailFrom = o.trailFrom;
  }
  return open;
}

function fromOpenOrder(o: OpenOrder): BookOrder {
  const order = new BookOrder(
    o.orderId,
    o.userId,
    o.clientOrderId,
    o.side,
    o.kind,
    o.tif,
    o.price,
    o.stopPrice,
    o.qty,
    o.quoteQty,
    o.quoteQty > 0,
    o.postOnly,
    o.stp,
  );
  order.filled = o.filledQty;
  order.status = o.status;
  if ((o.trailBps ?? 0) > 0 || (o.trailAmount ?? 0) > 0) {
    order.trailBps = o.trailBps ?? 0;
    order.trailAmount = o.trailAmount ?? 0;
    order.trailAnchor = o.trailAnchor ?? 0;
    order.trailFrom = o.trailFrom ?? 0;
  }
  return order;
}

/**
 * The state of the fast book and every operation that does not match: resting, removing,
 * indexes, replay/recovery, snapshots and the internal-consistency check. {@link OrderBook}
 * adds the commands and matching on top.
 */
export class BookState {
  /** Events of the last command (see MatchingEngine.events). */
  readonly events: EngineEvent[] = [];
  protected readonly bids = new BookSide(true);
  protected readonly asks = new BookSide(false);
  protected readonly resting = new Map<number, BookOrder>();
  protected readonly stops = new TriggerBook();
  protected readonly clientIds = new Map<string, BookOrder>();
  protected seq = 0;
  protected tradeId = 0;
  protected last = 0;
  protected marketStatus: MarketStatus;

  constructor(readonly config: EngineMarketConfig) {
    this.marketStatus = config.status;
  }

  /** Last trade price in ticks, 0 before the first trade. */
  get lastPrice(): number {
    return this.last;
  }

  /** Current trading status. */
  get status(): MarketStatus {
    return this.marketStatus;
  }

  protected sideOf(side: Side): BookSide {
    return side === 'buy' ? this.bids : this.asks;
  }

  protected opposite(side: Side): BookSide {
    return side === 'buy' ? this.asks : this.bids;
  }

  /** Puts an order at the back of its level and indexes it. */
  protected rest(o: BookOrder): void {
    this.sideOf(o.side).append(o);
    this.resting.set(o.id, o);
    if (o.clientOrderId !== undefined) this.clientIds.set(clientKey(o.userId, o.clientOrderId), o);
  }

  /** Takes a resting order out of the book and its indexes. */
  protected dropResting(o: BookOrder): void {
    this.sideOf(o.side).remove(o);
    this.resting.delete(o.id);
    if (o.clientOrderId !== undefined) this.clientIds.delete(clientKey(o.userId, o.clientOrderId));
  }

  protected addStop(o: BookOrder): void {
    this.stops.add(o);
    if (o.clientOrderId !== undefined) this.clientIds.set(clientKey(o.userId, o.clientOrderId), o);
  }

  protected dropStop(o: BookOrder): void {
    this.stops.remove(o);
    if (o.clientOrderId !== undefined) this.clientIds.delete(clientKey(o.userId, o.clientOrderId));
  }

  /** The open order (resting or stop) of this user with this client order id. */
  findByClientId(userId: string, clientOrderId: string): OpenOrder | undefined {
    const o = this.clientIds.get(clientKey(userId, clientOrderId));
    return o === undefined ? undefined : toOpenOrder(o);
  }

  /** The open order (resting or stop) with this id. */
  getOrder(orderId: number): OpenOrder | undefined {
    const o = this.resting.get(orderId) ?? this.stops.byId.get(orderId);
    return o === undefined ? undefined : toOpenOrder(o);
  }

  /**
   * The price a market order of this side arriving now is banded around: the last trade,
   * else the best opposite price, else 0 (nothing to trade). Used to size holds.
   */
  marketReference(side: Side): number {
    return this.last > 0 ? this.last : (this.opposite(side).best()?.price ?? 0);
  }

  /** Best bid in ticks, 0 when there is none. */
  bestBid(): number {
    return this.bids.best()?.price ?? 0;
  }

  /** Best ask in ticks, 0 when there is none. */
  bestAsk(): number {
    return this.asks.best()?.price ?? 0;
  }

  /** Open quantity resting at one price of a side, lots (0 when no order rests there). */
  levelQty(side: Side, price: number): number {
    return this.sideOf(side).level(price)?.total ?? 0;
  }

  /** The first `levels` levels of a side, best first. */
  depth(side: Side, levels: number): DepthLevel[] {
    const out: DepthLevel[] = [];
    this.sideOf(side).levels.forEachFromBest((l) => {
      if (out.length >= levels) return false;
      out.push({ price: l.price, qty: l.total, count: l.count });
    });
    return out;
  }

  /** Calls `visit` for every resting order in priority order (bids, then asks). */
  protected forEachResting(visit: (o: BookOrder) => void): void {
    const visitLevel = (level: PriceLevel): void => {
      for (let o = level.head; o !== null; o = o.next) visit(o);
    };
    this.bids.levels.forEachFromBest(visitLevel);
    this.asks.levels.forEachFromBest(visitLevel);
  }

  /** Resting orders in priority order, stops in trigger order, and the counters. */
  snapshot(): BookSnapshot {
    const orders: OpenOrder[] = [];
    this.forEachResting((o) => orders.push(toOpenOrder(o)));
    return {
      config: { ...this.config },
      status: this.marketStatus,
      lastPrice: this.last,
      lastSeq: this.seq,
      lastTradeId: this.tradeId,
      orders,
      stops: this.stops.inPriority().map(toOpenOrder),
    };
  }

  /** Loads a snapshot into this (empty) book; `OrderBook.fromSnapshot` is the usual entry. */
  protected load(s: BookSnapshot): void {
    this.marketStatus = s.status;
    this.last = s.lastPrice;
    this.seq = s.lastSeq;
    this.tradeId = s.lastTradeId;
    for (const o of s.orders) this.rest(fromOpenOrder(o));
    for (const o of s.stops) this.addStop(fromOpenOrder(o));
    // OCO pairs: each leg names the other; relinked once both are in.
    for (const o of [...s.orders, ...s.stops]) {
      if (o.linkedOrderId === undefined) continue;
      const self = this.resting.get(o.orderId) ?? this.stops.byId.get(o.orderId);
      const other = this.resting.get(o.linkedOrderId) ?? this.stops.byId.get(o.linkedOrderId);
      if (self !== undefined && other !== undefined) {
        self.linked = other;
        self.bracket = o.bracket === true;
      }
    }
  }

  /** {@link restingChecksum} of the resting book, without building a snapshot. */
  checksum(): number {
    const items: { side: Side; orderId: number; price: number; qty: number }[] = [];
    this.forEachResting((o) =>
      items.push({ side: o.side, orderId: o.id, price: o.price, qty: o.qty }),
    );
    return restingChecksum(items);
  }

  /** Replay/recovery: rests an order without matching or events. */
  restOrder(input: RestingOrderInput): ResultCode {
    if (this.resting.has(input.orderId) || this.stops.byId.has(input.orderId)) {
      return ResultCode.duplicateOrderId;
    }
    const bad = priceProblem(this.config, input.price) ?? qtyProblem(this.config, input.qty);
    if (bad !== null) return bad;
    if (input.clientOrderId !== undefined) {
      if (this.clientIds.has(clientKey(input.userId, input.clientOrderId))) {
        return ResultCode.duplicateClientOrderId;
      }
    }
    const filled = input.filledQty ?? 0;
    const o = fromOpenOrder({
      orderId: input.orderId,
      userId: input.userId,
      side: input.side,
      kind: 'limit',
      tif: 'GTC',
      price: input.price,
      stopPrice: 0,
      qty: input.qty,
      quoteQty: 0,
      filledQty: filled,
      postOnly: input.postOnly ?? false,
      stp: input.stp ?? 'cancel_newest',
      status: filled > 0 ? 'partially_filled' : 'new',
      ...(input.clientOrderId !== undefined ? { clientOrderId: input.clientOrderId } : {}),
    });
    this.rest(o);
    return ResultCode.ok;
  }

  /** Replay: new price and open qty; a price change or an increase goes to the back. */
  modifyResting(orderId: number, price: number, qty: number): ResultCode {
    const o = this.resting.get(orderId);
    if (o === undefined) return ResultCode.unknownOrder;
    const bad = priceProblem(this.config, price) ?? qtyProblem(this.config, qty);
    if (bad !== null) return bad;
    if (price === o.price && qty <= o.qty) {
      (o.level as PriceLevel).total -= o.qty - qty;
      o.qty = qty;
      return ResultCode.ok;
    }
    const side = this.sideOf(o.side);
    side.remove(o);
    o.price = price;
    o.qty = qty;
    side.append(o);
    return ResultCode.ok;
  }

  /** Replay: removes qty lots from a resting order (the whole order when qty ≥ open). */
  reduceResting(orderId: number, qty: number): ResultCode {
    const o = this.resting.get(orderId);
    if (o === undefined) return ResultCode.unknownOrder;
    if (!Number.isSafeInteger(qty) || qty <= 0) return ResultCode.invalidQuantity;
    if (qty >= o.qty) {
      this.dropResting(o);
      return ResultCode.ok;
    }
    o.qty -= qty;
    (o.level as PriceLevel).total -= qty;
    return ResultCode.ok;
  }

  /**
   * Recovery: applies a journaled fill to a resting order. Trade ids only grow, so a fill
   * whose tradeId is not above the last one seen is a repeat and is refused.
   */
  applyFill(fill: FillInput): ResultCode {
    if (fill.tradeId <= this.tradeId) return ResultCode.duplicateTrade;
    const o = this.resting.get(fill.orderId);
    if (o === undefined) return ResultCode.unknownOrder;
    if (!Number.isSafeInteger(fill.qty) || fill.qty <= 0 || fill.qty > o.qty) {
      return ResultCode.invalidQuantity;
    }
    o.qty -= fill.qty;
    o.filled += fill.qty;
    (o.level as PriceLevel).total -= fill.qty;
    o.status = transition(o.status, o.qty === 0 ? 'filled' : 'partially_filled', o.id);
    if (o.qty === 0) this.dropResting(o);
    this.tradeId = fill.tradeId;
    this.last = fill.price;
    return ResultCode.ok;
  }

  /** Removes every open order, emits nothing. */
  clear(): void {
    this.bids.clear();
    this.asks.clear();
    this.resting.clear();
    this.stops.clear();
    this.clientIds.clear();
  }

  /** Internal-consistency problems (see MatchingEngine.checkInvariants). */
  checkInvariants(opts: { allowCrossed?: boolean } = {}): string[] {
    const out = [...sideProblems(this.bids, 'bid'), ...sideProblems(this.asks, 'ask')];
    let count = 0;
    this.forEachResting((o) => {
      count++;
      if (this.resting.get(o.id) !== o) out.push(`order ${o.id} not indexed`);
    });
    if (count !== this.resting.size) out.push(`index holds ${this.resting.size}, book ${count}`);
    out.push(...this.stops.problems());
    const bid = this.bestBid();
    const ask = this.bestAsk();
    if (!opts.allowCrossed && bid > 0 && ask > 0 && bid >= ask) out.push(`crossed ${bid}/${ask}`);
    out.push(...this.clientIdProblems());
    out.push(...this.linkProblems());
    return out;
  }

  /** Every OCO leg's sibling is open and links back. */
  private linkProblems(): string[] {
    const out: string[] = [];
    const check = (o: BookOrder): void => {
      const s = o.linked;
      if (s === null) return;
      const open = this.resting.get(s.id) === s || this.stops.byId.get(s.id) === s;
      if (!open || s.linked !== o) out.push(`OCO link of ${o.id} to ${s.id} is broken`);
    };
    this.forEachResting(check);
    for (const s of this.stops.byId.values()) check(s);
    return out;
  }

  private clientIdProblems(): string[] {
    const out: string[] = [];
    let withClientId = 0;
    const check = (o: BookOrder): void => {
      if (o.clientOrderId === undefined) return;
      withClientId++;
      if (this.clientIds.get(clientKey(o.userId, o.clientOrderId)) !== o) {
        out.push(`client id of ${o.id} not indexed`);
      }
    };
    this.forEachResting(check);
    for (const s of this.stops.byId.values()) check(s);
    if (withClientId !== this.clientIds.size) out.push('client id index has stale entries');
    return out;
  }
}
