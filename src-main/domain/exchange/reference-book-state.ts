// The reference book's state and everything that only reads or restores it; the matching
// (place, fill, stops, amend, cancel) is ReferenceBook's, in reference-book.ts.
import { triggersOnRise } from '../../../src-shared/contract/exchange';
import type { EngineEvent } from './events';
import type { FillInput, RestingOrderInput } from './matching-engine';
import { transition } from './order-lifecycle';
import { openOrderProblems } from './reference-invariants';
import { ResultCode } from './result-codes';
import type { BookSnapshot, DepthLevel, OpenOrder } from './snapshot';
import { restingChecksum } from './snapshot';
import type { EngineMarketConfig, MarketStatus, Side } from './types';
import { priceProblem, qtyProblem } from './validation';

/** An order in the reference book: the public shape plus its queue ticket. */
export interface RefOrder extends OpenOrder {
  /** Time priority: a counter taken each time the order joins a queue. */
  ticket: number;
  byQuote: boolean;
}

export const better = (side: Side, a: number, b: number): boolean =>
  side === 'buy' ? a > b : a < b;

/**
 * The naive oracle's state: every order in one array, every question answered by filtering
 * and sorting it. Reads, snapshots and the restore path (restart, replay) live here;
 * {@link ReferenceBook} adds the matching.
 */
export abstract class ReferenceBookState {
  readonly events: EngineEvent[] = [];
  protected book: RefOrder[] = [];
  protected stopList: RefOrder[] = [];
  protected tickets = 0;
  protected seq = 0;
  protected tradeId = 0;
  protected last = 0;
  protected state: MarketStatus;
  protected ts = 0;

  constructor(readonly config: EngineMarketConfig) {
    this.state = config.status;
  }

  get lastPrice(): number {
    return this.last;
  }

  get status(): MarketStatus {
    return this.state;
  }

  /** Orders of one side, best first, then oldest ticket first. */
  protected queue(side: Side): RefOrder[] {
    return this.book
      .filter((o) => o.side === side)
      .sort((a, b) =>
        a.price !== b.price ? (better(side, a.price, b.price) ? -1 : 1) : a.ticket - b.ticket,
      );
  }

  protected opposite(side: Side): Side {
    return side === 'buy' ? 'sell' : 'buy';
  }

  protected allOpen(): RefOrder[] {
    return [...this.book, ...this.stopList];
  }

  protected rest(o: RefOrder): void {
    o.ticket = ++this.tickets;
    this.book.push(o);
  }

  findByClientId(userId: string, clientOrderId: string): OpenOrder | undefined {
    const o = this.allOpen().find((x) => x.userId === userId && x.clientOrderId === clientOrderId);
    return o === undefined ? undefined : publicOrder(o);
  }

  getOrder(orderId: number): OpenOrder | undefined {
    const o = this.allOpen().find((x) => x.orderId === orderId);
    return o === undefined ? undefined : publicOrder(o);
  }

  marketReference(side: Side): number {
    return this.last > 0 ? this.last : (this.queue(this.opposite(side))[0]?.price ?? 0);
  }

  bestBid(): number {
    return this.queue('buy')[0]?.price ?? 0;
  }

  bestAsk(): number {
    return this.queue('sell')[0]?.price ?? 0;
  }

  depth(side: Side, levels: number): DepthLevel[] {
    const out: DepthLevel[] = [];
    for (const o of this.queue(side)) {
      const top = out[out.length - 1];
      if (top !== undefined && top.price === o.price) {
        top.qty += o.qty;
        top.count++;
      } else out.push({ price: o.price, qty: o.qty, count: 1 });
    }
    return out.slice(0, levels);
  }

  snapshot(): BookSnapshot {
    // Trigger priority: rising (buy stops, sell take-profits) lowest first, then falling.
    const stops = [...this.stopList].sort((a, b) => {
      const up = triggersOnRise(a.side, a.kind);
      if (up !== triggersOnRise(b.side, b.kind)) return up ? -1 : 1;
      if (a.stopPrice !== b.stopPrice) return (up ? 1 : -1) * (a.stopPrice - b.stopPrice);
      return a.ticket - b.ticket;
    });
    return {
      config: { ...this.config },
      status: this.state,
      lastPrice: this.last,
      lastSeq: this.seq,
      lastTradeId: this.tradeId,
      orders: [...this.queue('buy'), ...this.queue('sell')].map(publicOrder),
      stops: stops.map(publicOrder),
    };
  }

  checksum(): number {
    return restingChecksum([...this.queue('buy'), ...this.queue('sell')]);
  }

  checkInvariants(opts: { allowCrossed?: boolean } = {}): string[] {
    return openOrderProblems(this.allOpen(), this.book, this.bestBid(), this.bestAsk(), opts);
  }

  restOrder(input: RestingOrderInput): ResultCode {
    if (this.allOpen().some((o) => o.orderId === input.orderId)) return ResultCode.duplicateOrderId;
    const bad = priceProblem(this.config, input.price) ?? qtyProblem(this.config, input.qty);
    if (bad !== null) return bad;
    if (
      input.clientOrderId !== undefined &&
      this.findByClientId(input.userId, input.clientOrderId)
    ) {
      return ResultCode.duplicateClientOrderId;
    }
    const filled = input.filledQty ?? 0;
    const o: RefOrder = {
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
      ticket: 0,
      byQuote: false,
    };
    if (input.clientOrderId !== undefined) o.clientOrderId = input.clientOrderId;
    this.rest(o);
    return ResultCode.ok;
  }

  modifyResting(orderId: number, price: number, qty: number): ResultCode {
    const o = this.book.find((x) => x.orderId === orderId);
    if (o === undefined) return ResultCode.unknownOrder;
    const bad = priceProblem(this.config, price) ?? qtyProblem(this.config, qty);
    if (bad !== null) return bad;
    const keeps = price === o.price && qty <= o.qty;
    o.price = price;
    o.qty = qty;
    if (!keeps) o.ticket = ++this.tickets;
    return ResultCode.ok;
  }

  reduceResting(orderId: number, qty: number): ResultCode {
    const o = this.book.find((x) => x.orderId === orderId);
    if (o === undefined) return ResultCode.unknownOrder;
    if (!Number.isSafeInteger(qty) || qty <= 0) return ResultCode.invalidQuantity;
    o.qty -= Math.min(qty, o.qty);
    if (o.qty === 0) this.book = this.book.filter((x) => x !== o);
    return ResultCode.ok;
  }

  applyFill(fill: FillInput): ResultCode {
    if (fill.tradeId <= this.tradeId) return ResultCode.duplicateTrade;
    const o = this.book.find((x) => x.orderId === fill.orderId);
    if (o === undefined) return ResultCode.unknownOrder;
    if (!Number.isSafeInteger(fill.qty) || fill.qty <= 0 || fill.qty > o.qty) {
      return ResultCode.invalidQuantity;
    }
    o.qty -= fill.qty;
    o.filledQty += fill.qty;
    o.status = transition(o.status, o.qty === 0 ? 'filled' : 'partially_filled', o.orderId);
    if (o.qty === 0) this.book = this.book.filter((x) => x !== o);
    this.tradeId = fill.tradeId;
    this.last = fill.price;
    return ResultCode.ok;
  }

  clear(): void {
    this.book = [];
    this.stopList = [];
  }
}

/** The public copy of a reference order (no ticket, no internal flags). */
export function publicOrder(o: RefOrder): OpenOrder {
  const { ticket: _ticket, byQuote: _byQuote, bracket, ...open } = o;
  // A leg unlinked from its pair is a lone order: the pair's kind goes with the link.
  return bracket && open.linkedOrderId !== undefined ? { ...open, bracket } : { ...open };
}
