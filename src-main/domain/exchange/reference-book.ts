import { isLimitType, triggersOnRise } from '../../../src-shared/contract/exchange';
import type { Command, PlaceCommand, PlaceOcoCommand } from './commands';
import type { CancelReason, EngineEvent } from './events';
import type { CommandResult, MatchingEngine } from './matching-engine';
import { transition } from './order-lifecycle';
import { validateOco } from './oco';
import { ResultCode } from './result-codes';
import type { BookSnapshot } from './snapshot';
import type { Side } from './types';
import { better, ReferenceBookState, type RefOrder } from './reference-book-state';
import { activates, improvesAnchor, trailStop } from './trailing';
import { bandLimit, priceProblem, qtyProblem, statusRejection, validatePlace } from './validation';

/** A trailing stop of the reference book: by basis points or by an amount. */
function refTrails(o: RefOrder): boolean {
  return o.trailBps !== undefined || o.trailAmount !== undefined;
}

/**
 * The naive oracle, kept forever: every order in one array, every question answered by
 * filtering and sorting it. Slow and obviously right; the fast {@link OrderBook} must give
 * the same events and the same book for any command stream. Shares only static validation,
 * the band formula and the lifecycle table with it.
 */
export class ReferenceBook extends ReferenceBookState implements MatchingEngine {
  run(cmd: Command): CommandResult {
    const code = this.execute(cmd);
    return { code, events: this.events.slice() };
  }

  execute(cmd: Command): ResultCode {
    const events = this.events;
    while (events.length !== 0) events.pop();
    this.ts = cmd.ts;
    if (cmd.type === 'place') return this.place(cmd);
    if (cmd.type === 'place_oco') return this.placeOco(cmd);
    if (cmd.type === 'amend') {
      const blocked = statusRejection(this.state);
      return blocked ?? this.amend(cmd.orderId, cmd.userId, cmd.price, cmd.qty);
    }
    if (cmd.type === 'cancel') return this.cancel(cmd.orderId, cmd.userId, cmd.clientOrderId);
    if (cmd.type === 'cancel_all') {
      const mine = this.allOpen().filter(
        (o) => cmd.userId === undefined || o.userId === cmd.userId,
      );
      mine.sort((a, b) => a.orderId - b.orderId);
      for (const o of mine) delete o.linkedOrderId; // both legs go, each for the reason asked
      for (const o of mine) this.cancelOrder(o, cmd.reason ?? 'user');
      return ResultCode.ok;
    }
    if (cmd.type === 'expire') return this.expire(cmd.orderId);
    if (!['trading', 'halted', 'cancel_only'].includes(cmd.status)) return ResultCode.invalidOrder;
    this.state = cmd.status;
    this.emit({ type: 'status', seq: 0, tsEvent: 0, status: cmd.status });
    return ResultCode.ok;
  }

  private emit(e: EngineEvent): void {
    e.seq = ++this.seq;
    e.tsEvent = this.ts;
    this.events.push(e);
  }

  /** Duplicate order id or open client order id, else null. */
  private identityProblem(cmd: PlaceCommand): ResultCode | null {
    if (this.allOpen().some((o) => o.orderId === cmd.orderId)) return ResultCode.duplicateOrderId;
    if (cmd.clientOrderId !== undefined && this.findByClientId(cmd.userId, cmd.clientOrderId)) {
      return ResultCode.duplicateClientOrderId;
    }
    return null;
  }

  private rejectPlace(cmd: PlaceCommand, code: ResultCode): ResultCode {
    this.emit({
      type: 'rejected',
      seq: 0,
      tsEvent: 0,
      orderId: cmd.orderId,
      userId: cmd.userId,
      clientOrderId: cmd.clientOrderId,
      code,
    });
    return code;
  }

  private placeOco(cmd: PlaceOcoCommand): ResultCode {
    const { limit, stop } = cmd;
    let problem =
      validateOco(this.config, this.state, cmd, this.last) ??
      this.identityProblem(limit) ??
      this.identityProblem(stop);
    if (problem === null && this.wouldTake(limit.side, limit.price as number)) {
      problem = ResultCode.postOnlyWouldTake;
    }
    if (problem !== null) {
      this.rejectPlace(limit, problem);
      return this.rejectPlace(stop, problem);
    }
    const l = this.orderOf(limit);
    const s = this.orderOf(stop);
    if (refTrails(s) && s.trailFrom === 0) {
      s.trailAnchor = this.last;
      s.stopPrice = trailStop(
        s.side,
        this.last,
        s.trailBps ?? 0,
        s.trailAmount ?? 0,
        this.config.tickSize,
      );
    }
    l.linkedOrderId = s.orderId;
    s.linkedOrderId = l.orderId;
    if (cmd.bracket === true) l.bracket = s.bracket = true;
    this.emitAccepted(l);
    this.rest(l);
    this.emitAccepted(s);
    s.ticket = ++this.tickets;
    this.stopList.push(s);
    return ResultCode.ok;
  }

  /** Ends the other leg of `o`'s OCO pair (reason `oco`) after unlinking both. */
  private endSibling(o: RefOrder): void {
    const id = o.linkedOrderId;
    if (id === undefined) return;
    delete o.linkedOrderId;
    const s = this.allOpen().find((x) => x.orderId === id);
    if (s === undefined) return;
    delete s.linkedOrderId;
    this.cancelOrder(s, 'oco');
  }

  private place(cmd: PlaceCommand): ResultCode {
    let problem = statusRejection(this.state) ?? validatePlace(this.config, cmd);
    if (problem === null) problem = this.identityProblem(cmd);
    const o = this.orderOf(cmd);
    if (problem === null && o.kind === 'limit' && o.postOnly && this.wouldTake(o.side, o.price)) {
      problem = ResultCode.postOnlyWouldTake;
    }
    if (problem === null && refTrails(o) && o.trailFrom === 0) {
      if (this.last === 0) problem = ResultCode.noReferencePrice;
      else {
        o.trailAnchor = this.last;
        o.stopPrice = trailStop(
          o.side,
          this.last,
          o.trailBps ?? 0,
          o.trailAmount ?? 0,
          this.config.tickSize,
        );
      }
    }
    if (problem !== null) return this.rejectPlace(cmd, problem);
    this.emitAccepted(o);
    let code: ResultCode = ResultCode.ok;
    if (o.kind === 'limit') code = this.runLimit(o);
    else if (o.kind === 'market') code = this.runMarket(o, 0);
    else this.stopList.push({ ...o, ticket: ++this.tickets });
    this.triggerStops();
    return code;
  }

  private orderOf(cmd: PlaceCommand): RefOrder {
    const market = !isLimitType(cmd.kind);
    const o: RefOrder = {
      orderId: cmd.orderId,
      userId: cmd.userId,
      side: cmd.side,
      kind: cmd.kind,
      tif: cmd.tif ?? (market ? 'IOC' : 'GTC'),
      price: cmd.price ?? 0,
      stopPrice: cmd.stopPrice ?? 0,
      qty: cmd.qty ?? 0,
      quoteQty: cmd.quoteQty ?? 0,
      filledQty: 0,
      postOnly: cmd.postOnly === true,
      stp: cmd.stp ?? 'cancel_newest',
      status: 'new',
      ticket: 0,
      byQuote: cmd.quoteQty !== undefined,
    };
    if (cmd.clientOrderId !== undefined) o.clientOrderId = cmd.clientOrderId;
    if (cmd.trailBps !== undefined || cmd.trailAmount !== undefined) {
      if (cmd.trailBps !== undefined) o.trailBps = cmd.trailBps;
      if (cmd.trailAmount !== undefined) o.trailAmount = cmd.trailAmount;
      o.trailAnchor = 0;
      o.trailFrom = cmd.stopPrice ?? 0;
    }
    return o;
  }

  private emitAccepted(o: RefOrder): void {
    this.emit({
      type: 'accepted',
      seq: 0,
      tsEvent: 0,
      orderId: o.orderId,
      userId: o.userId,
      clientOrderId: o.clientOrderId,
      side: o.side,
      kind: o.kind,
      tif: o.tif,
      price: o.price,
      stopPrice: o.stopPrice,
      qty: o.qty,
      quoteQty: o.quoteQty,
      postOnly: o.postOnly,
      stp: o.stp,
      ...(o.linkedOrderId !== undefined ? { linkedOrderId: o.linkedOrderId } : {}),
      ...(o.trailBps !== undefined ? { trailBps: o.trailBps, trailAnchor: o.trailAnchor } : {}),
      ...(o.trailAmount !== undefined
        ? { trailAmount: o.trailAmount, trailAnchor: o.trailAnchor }
        : {}),
    });
  }

  /** True when a limit at `price` would trade against the best opposite order now. */
  private wouldTake(side: Side, price: number): boolean {
    const best = this.queue(this.opposite(side))[0];
    if (best === undefined) return false;
    return side === 'buy' ? best.price <= price : best.price >= price;
  }

  private runLimit(o: RefOrder): ResultCode {
    if (o.tif === 'FOK' && !this.fokFillable(o)) {
      this.endOrder(o, 'fok');
      return ResultCode.fokCannotFill;
    }
    this.match(o, o.price);
    if (o.status === 'cancelled') return ResultCode.selfTradePrevented;
    if (o.qty === 0) return ResultCode.ok;
    if (o.tif === 'GTC') this.rest(o);
    else this.endOrder(o, 'ioc_remainder');
    return ResultCode.ok;
  }

  private runMarket(o: RefOrder, reference: number): ResultCode {
    const opp = this.opposite(o.side);
    const best = this.queue(opp)[0];
    const ref = reference > 0 ? reference : this.last > 0 ? this.last : (best?.price ?? 0);
    if (ref === 0) {
      this.endOrder(o, 'no_liquidity');
      return ResultCode.noLiquidity;
    }
    const limit = bandLimit(o.side, ref, this.config.bandBps);
    this.match(o, limit);
    if (o.status === 'cancelled') return ResultCode.selfTradePrevented;
    if (o.byQuote ? o.quoteQty === 0 : o.qty === 0) return ResultCode.ok;
    const next = this.queue(opp)[0];
    if (next === undefined) {
      this.endOrder(o, 'no_liquidity');
      return ResultCode.noLiquidity;
    }
    if (better(o.side, next.price, limit)) {
      this.endOrder(o, 'price_band');
      return ResultCode.priceBand;
    }
    this.endOrder(o, o.byQuote ? 'quote_spent' : 'ioc_remainder');
    return ResultCode.ok;
  }

  /** How many lots the taker can still take at this price (quote budgets round to lots). */
  private capacity(t: RefOrder, price: number): number {
    if (!t.byQuote) return t.qty;
    const lots = Math.floor(t.quoteQty / price);
    return lots - (lots % this.config.lotSize);
  }

  private fokFillable(o: RefOrder): boolean {
    let need = o.qty;
    for (const m of this.queue(this.opposite(o.side))) {
      if (better(o.side, m.price, o.price)) return false;
      if (m.userId === o.userId) {
        if (o.stp === 'cancel_oldest') continue;
        return false;
      }
      need -= m.qty;
      if (need <= 0) return true;
    }
    return false;
  }

  private match(t: RefOrder, limit: number): void {
    for (;;) {
      const m = this.queue(this.opposite(t.side))[0];
      if (m === undefined || better(t.side, m.price, limit)) return;
      const can = this.capacity(t, m.price);
      if (can === 0) return;
      if (m.userId !== t.userId) {
        this.fill(t, m, Math.min(can, m.qty));
        continue;
      }
      if (t.stp !== 'cancel_newest') this.cancelOrder(m, 'stp');
      if (t.stp === 'cancel_oldest') continue;
      this.endOrder(t, 'stp');
      return;
    }
  }

  private fill(t: RefOrder, m: RefOrder, q: number): void {
    const p = m.price;
    m.qty -= q;
    m.filledQty += q;
    if (t.byQuote) t.quoteQty -= p * q;
    else t.qty -= q;
    t.filledQty += q;
    this.last = p;
    m.status = transition(m.status, m.qty === 0 ? 'filled' : 'partially_filled', m.orderId);
    const done = t.byQuote ? t.quoteQty === 0 : t.qty === 0;
    t.status = transition(t.status, done ? 'filled' : 'partially_filled', t.orderId);
    const buy = t.side === 'buy';
    this.emit({
      type: 'trade',
      seq: 0,
      tsEvent: 0,
      tradeId: ++this.tradeId,
      price: p,
      qty: q,
      notional: p * q,
      takerSide: t.side,
      takerOrderId: t.orderId,
      takerUserId: t.userId,
      makerOrderId: m.orderId,
      makerUserId: m.userId,
      buyerUserId: buy ? t.userId : m.userId,
      sellerUserId: buy ? m.userId : t.userId,
      buyerIsMaker: !buy,
      makerRemainingQty: m.qty,
      takerRemainingQty: t.qty,
      takerRemainingQuote: t.quoteQty,
    });
    if (m.qty === 0) this.book = this.book.filter((o) => o !== m);
    this.afterLegFill(m);
    this.trail(p);
  }

  /** Trailing stops a trade at `p` activates or gives a new best price, by order id. */
  private trail(p: number): void {
    const trailing = this.stopList
      .filter((s) => refTrails(s))
      .sort((a, b) => a.orderId - b.orderId);
    for (const s of trailing) {
      const anchor = s.trailAnchor ?? 0;
      const moves =
        anchor === 0 ? activates(s.side, s.stopPrice, p) : improvesAnchor(s.side, anchor, p);
      if (moves) this.moveTrailing(s, p);
    }
  }

  private moveTrailing(s: RefOrder, anchor: number): void {
    const old = s.stopPrice;
    s.trailAnchor = anchor;
    s.stopPrice = trailStop(
      s.side,
      anchor,
      s.trailBps ?? 0,
      s.trailAmount ?? 0,
      this.config.tickSize,
    );
    if (s.stopPrice !== old) s.ticket = ++this.tickets; // behind the stops at its new price
    this.emit({
      type: 'trailed',
      seq: 0,
      tsEvent: 0,
      orderId: s.orderId,
      userId: s.userId,
      side: s.side,
      anchor,
      oldStopPrice: old,
      stopPrice: s.stopPrice,
    });
  }

  /** A triggered stop-market's band reference (a trailing buy's is capped: trailing.ts). */
  private stopReference(s: RefOrder): number {
    if (!refTrails(s) || s.side === 'sell' || !s.trailFrom) return s.stopPrice;
    const ceiling = trailStop(
      'buy',
      s.trailFrom,
      s.trailBps ?? 0,
      s.trailAmount ?? 0,
      this.config.tickSize,
    );
    return Math.min(s.stopPrice, ceiling);
  }

  /** A bracket pair's stop follows what is left of its limit; otherwise the stop ends. */
  private afterLegFill(m: RefOrder): void {
    const s =
      m.bracket && m.qty > 0 && m.linkedOrderId !== undefined
        ? this.stopList.find((x) => x.orderId === m.linkedOrderId)
        : undefined;
    if (s === undefined) return this.endSibling(m);
    const oldQty = s.qty;
    s.qty = m.qty;
    this.emit({
      type: 'amended',
      seq: 0,
      tsEvent: 0,
      orderId: s.orderId,
      userId: s.userId,
      side: s.side,
      oldPrice: s.price,
      oldQty,
      price: s.price,
      qty: s.qty,
      lostPriority: false,
      followsLinked: true,
    });
  }

  /**
   * Stops and take-profits whose condition holds, in trigger order: those that trigger as the
   * price rises (buy stops, sell take-profits; lowest first), then the others (highest first).
   */
  private triggered(): RefOrder[] {
    const last = this.last;
    const rising = this.stopList
      .filter((s) => triggersOnRise(s.side, s.kind) && last >= s.stopPrice)
      .sort((a, b) => a.stopPrice - b.stopPrice || a.ticket - b.ticket);
    const falling = this.stopList
      .filter((s) => !triggersOnRise(s.side, s.kind) && last <= s.stopPrice)
      .sort((a, b) => b.stopPrice - a.stopPrice || a.ticket - b.ticket);
    return [...rising, ...falling];
  }

  private triggerStops(): void {
    while (this.last > 0) {
      const s = this.triggered()[0];
      if (s === undefined) return;
      if (refTrails(s) && s.trailAnchor === 0) {
        this.moveTrailing(s, this.last); // activated: it starts tracking instead
        continue;
      }
      this.stopList = this.stopList.filter((o) => o !== s);
      this.emit({
        type: 'triggered',
        seq: 0,
        tsEvent: 0,
        orderId: s.orderId,
        userId: s.userId,
        stopPrice: s.stopPrice,
        lastPrice: this.last,
      });
      this.endSibling(s);
      if (!isLimitType(s.kind)) this.runMarket(s, this.stopReference(s));
      else this.runLimit(s);
    }
  }

  private amend(id: number, user?: string, newPrice?: number, newQty?: number): ResultCode {
    const o = this.book.find((x) => x.orderId === id && (user === undefined || x.userId === user));
    if (o === undefined) {
      const s = this.stopList.find((x) => x.orderId === id);
      const mine = s !== undefined && (user === undefined || s.userId === user);
      return mine ? ResultCode.orderNotAmendable : ResultCode.unknownOrder;
    }
    if (o.linkedOrderId !== undefined) return ResultCode.orderNotAmendable;
    const price = newPrice ?? o.price;
    const qty = newQty ?? o.qty;
    const bad = priceProblem(this.config, price) ?? qtyProblem(this.config, qty);
    if (bad !== null) return bad;
    const [oldPrice, oldQty] = [o.price, o.qty];
    const keeps = price === oldPrice && qty <= oldQty;
    if (!keeps && o.postOnly && this.wouldTake(o.side, price)) return ResultCode.postOnlyWouldTake;
    if (!keeps) this.book = this.book.filter((x) => x !== o);
    o.price = price;
    o.qty = qty;
    this.emit({
      type: 'amended',
      seq: 0,
      tsEvent: 0,
      orderId: o.orderId,
      userId: o.userId,
      side: o.side,
      oldPrice,
      oldQty,
      price,
      qty,
      lostPriority: !keeps,
    });
    if (keeps) return ResultCode.ok;
    this.match(o, price);
    let code: ResultCode = ResultCode.ok;
    if (o.status === 'cancelled') code = ResultCode.selfTradePrevented;
    else if (o.qty > 0) this.rest(o);
    this.triggerStops();
    return code;
  }

  private cancel(orderId?: number, userId?: string, clientOrderId?: string): ResultCode {
    const o = this.allOpen().find((x) =>
      orderId !== undefined
        ? x.orderId === orderId && (userId === undefined || x.userId === userId)
        : userId !== undefined && x.userId === userId && x.clientOrderId === clientOrderId,
    );
    if (o === undefined || (orderId === undefined && clientOrderId === undefined)) {
      return ResultCode.unknownOrder;
    }
    this.cancelOrder(o, 'user');
    return ResultCode.ok;
  }

  private expire(orderId: number): ResultCode {
    const o = this.allOpen().find((x) => x.orderId === orderId);
    if (o === undefined) return ResultCode.unknownOrder;
    this.book = this.book.filter((x) => x !== o);
    this.stopList = this.stopList.filter((x) => x !== o);
    o.status = transition(o.status, 'expired', o.orderId);
    this.emit({
      type: 'expired',
      seq: 0,
      tsEvent: 0,
      orderId: o.orderId,
      userId: o.userId,
      side: o.side,
      price: o.price,
      remainingQty: o.qty,
      remainingQuote: o.quoteQty,
      filledQty: o.filledQty,
    });
    this.endSibling(o);
    return ResultCode.ok;
  }

  private cancelOrder(o: RefOrder, reason: CancelReason): void {
    this.book = this.book.filter((x) => x !== o);
    this.stopList = this.stopList.filter((x) => x !== o);
    this.endOrder(o, reason);
    this.endSibling(o);
  }

  private endOrder(o: RefOrder, reason: CancelReason): void {
    o.status = transition(o.status, 'cancelled', o.orderId);
    this.emit({
      type: 'cancelled',
      seq: 0,
      tsEvent: 0,
      orderId: o.orderId,
      userId: o.userId,
      side: o.side,
      price: o.price,
      reason,
      remainingQty: o.qty,
      remainingQuote: o.quoteQty,
      filledQty: o.filledQty,
    });
  }

  /** Rebuilds an equal reference book from a snapshot. */
  static fromSnapshot(s: BookSnapshot): ReferenceBook {
    const book = new ReferenceBook(s.config);
    book.state = s.status;
    book.last = s.lastPrice;
    book.seq = s.lastSeq;
    book.tradeId = s.lastTradeId;
    for (const o of s.orders) book.rest({ ...o, ticket: 0, byQuote: false });
    for (const o of s.stops) {
      book.stopList.push({ ...o, ticket: ++book.tickets, byQuote: o.quoteQty > 0 });
    }
    return book;
  }
}
