import { isLimitType as isLimitTypeFn } from '../../../src-shared/contract/exchange';
import type { BookOrder } from './book-order';
import type { PriceLevel } from './book-order';
import { BookState, clientKey as clientKeyFn } from './book-state';
import type {
  AmendCommand,
  CancelAllCommand,
  CancelCommand,
  Command,
  ExpireCommand,
  PlaceCommand,
  PlaceOcoCommand,
  SetStatusCommand,
} from './commands';
import type { AcceptedEvent, AmendedEvent, CancelReason } from './events';
import type { CommandResult, MatchingEngine } from './matching-engine';
import { transition as transitionFn } from './order-lifecycle';
import { ResultCode as ResultCodes } from './result-codes';
import type { ResultCode as ResultCodeType } from './result-codes';
import type { BookSnapshot } from './snapshot';
import type { EngineMarketConfig, Side } from './types';
import * as rules from './engine-rules';
import * as validation from './validation';
import { validateOco } from './oco';
import * as trailing from './trailing';

// Under tsx (benches, tests) every imported binding is read through a getter on each use;
// binding the hot helpers once makes them plain calls. Bundled builds are unaffected.
const ResultCode = ResultCodes;
type ResultCode = ResultCodeType;
const transition = transitionFn;
const clientKey = clientKeyFn;
const isLimitType = isLimitTypeFn;
const { newOrderFromCommand, remainderCode, STATUSES } = rules;
const { bandLimit, priceProblem, qtyProblem, statusRejection, validatePlace } = validation;
const { activates, improvesAnchor, isTrailing, trailStop } = trailing;

/**
 * The fast price-time-priority book of one market. Commands in (`execute`), a result code
 * and events out (`events`). No clock, no randomness, no I/O: the same commands give the same
 * events. Trades happen at the resting order's price.
 */
export class OrderBook extends BookState implements MatchingEngine {
  private ts = 0;

  constructor(config: EngineMarketConfig) {
    super(config);
  }

  /** Rebuilds a book so that `fromSnapshot(b.snapshot())` equals `b`. */
  static fromSnapshot(s: BookSnapshot): OrderBook {
    const book = new OrderBook(s.config);
    book.load(s);
    return book;
  }

  /** Applies one command; read its events from `events` before the next call. */
  execute(cmd: Command): ResultCode {
    // Popping the one or two events of the last command is inlined by V8; assigning
    // `length` is a runtime call on every command.
    const events = this.events;
    while (events.length !== 0) events.pop();
    this.ts = cmd.ts;
    switch (cmd.type) {
      case 'place':
        return this.place(cmd);
      case 'place_oco':
        return this.placeOco(cmd);
      case 'amend':
        return this.amend(cmd);
      case 'cancel':
        return this.cancel(cmd);
      case 'cancel_all':
        return this.cancelAll(cmd);
      case 'expire':
        return this.expire(cmd);
      case 'set_status':
        return this.setStatus(cmd);
    }
  }

  /** `execute` with a copy of the events. */
  run(cmd: Command): CommandResult {
    const code = this.execute(cmd);
    return { code, events: this.events.slice() };
  }

  private place(cmd: PlaceCommand): ResultCode {
    const problem =
      statusRejection(this.marketStatus) ??
      validatePlace(this.config, cmd) ??
      this.identityProblem(cmd);
    if (problem !== null) return this.reject(cmd, problem);
    const o = newOrderFromCommand(cmd);
    if ((o.trailBps !== 0 || o.trailAmount !== 0) && o.trailFrom === 0) {
      // Tracking from placement: from the last trade, which a market that never traded lacks.
      if (this.last === 0) return this.reject(cmd, ResultCode.noReferencePrice);
      o.trailAnchor = this.last;
      o.stopPrice = trailStop(o.side, this.last, o.trailBps, o.trailAmount, this.config.tickSize);
    }
    let code: ResultCode = ResultCode.ok;
    if (o.kind === 'limit') {
      if (o.postOnly && this.crosses(o.side, o.price)) {
        return this.reject(cmd, ResultCode.postOnlyWouldTake);
      }
      this.emitAccepted(o);
      code = this.runLimit(o);
    } else if (o.kind === 'market') {
      this.emitAccepted(o);
      code = this.runMarket(o, 0);
    } else {
      this.emitAccepted(o);
      this.addStop(o);
    }
    this.runStops();
    return code;
  }

  /** Both legs of an OCO or neither: each refused leg gets a `rejected` event. */
  private placeOco(cmd: PlaceOcoCommand): ResultCode {
    const { limit, stop } = cmd;
    const problem =
      validateOco(this.config, this.marketStatus, cmd, this.last) ??
      this.identityProblem(limit) ??
      this.identityProblem(stop) ??
      (this.crosses(limit.side, limit.price as number) ? ResultCode.postOnlyWouldTake : null);
    if (problem !== null) {
      this.reject(limit, problem);
      return this.reject(stop, problem);
    }
    const l = newOrderFromCommand(limit);
    const s = newOrderFromCommand(stop);
    if ((s.trailBps !== 0 || s.trailAmount !== 0) && s.trailFrom === 0) {
      s.trailAnchor = this.last; // validateOco refused a trailing leg without a last price
      s.stopPrice = trailStop(s.side, this.last, s.trailBps, s.trailAmount, this.config.tickSize);
    }
    l.linked = s;
    s.linked = l;
    l.bracket = s.bracket = cmd.bracket === true;
    this.emitAccepted(l);
    this.rest(l);
    this.emitAccepted(s);
    this.addStop(s);
    return ResultCode.ok;
  }

  /**
   * The limit leg `m` of a pair traded: the stop of a bracket pair follows what is left of
   * it; otherwise (or once it is filled) the stop ends.
   */
  private afterLegFill(m: BookOrder): void {
    if (!m.bracket || m.qty === 0) return this.endSibling(m);
    const s = m.linked as BookOrder;
    const oldQty = s.qty;
    s.qty = m.qty;
    this.emitAmended(s, s.price, oldQty, false, true);
  }

  /** Ends the other leg of `o`'s OCO pair (reason `oco`) after unlinking both. */
  private endSibling(o: BookOrder): void {
    const s = o.linked as BookOrder;
    o.linked = null;
    s.linked = null;
    this.cancelOpen(s, 'oco');
  }

  private identityProblem(cmd: PlaceCommand): ResultCode | null {
    if (this.resting.has(cmd.orderId) || this.stops.byId.has(cmd.orderId)) {
      return ResultCode.duplicateOrderId;
    }
    if (cmd.clientOrderId === undefined) return null;
    const taken = this.clientIds.has(clientKey(cmd.userId, cmd.clientOrderId));
    return taken ? ResultCode.duplicateClientOrderId : null;
  }

  /** True when a limit at `price` would trade against the other side now. */
  private crosses(side: Side, price: number): boolean {
    const best = this.opposite(side).best();
    if (best === undefined) return false;
    return side === 'buy' ? best.price <= price : best.price >= price;
  }

  /** Limit (or triggered stop-limit) after acceptance: FOK check, match, rest or cancel. */
  private runLimit(o: BookOrder): ResultCode {
    if (o.tif === 'FOK' && !this.fokFillable(o)) {
      this.endTaker(o, 'fok');
      return ResultCode.fokCannotFill;
    }
    if (this.crosses(o.side, o.price)) this.match(o, o.price);
    if (o.status === 'cancelled') return ResultCode.selfTradePrevented;
    if (o.qty === 0) return ResultCode.ok;
    if (o.tif === 'GTC') this.rest(o);
    else this.endTaker(o, 'ioc_remainder');
    return ResultCode.ok;
  }

  /**
   * Market (or triggered stop-market) order: matches inside the band around `reference`
   * (a stop's own stop price), else the last trade, else the best opposite price now.
   */
  private runMarket(o: BookOrder, reference: number): ResultCode {
    const best = this.opposite(o.side).best();
    const ref = reference > 0 ? reference : this.last > 0 ? this.last : (best?.price ?? 0);
    if (ref === 0) {
      this.endTaker(o, 'no_liquidity');
      return ResultCode.noLiquidity;
    }
    const limit = bandLimit(o.side, ref, this.config.bandBps);
    this.match(o, limit);
    if (o.status === 'cancelled') return ResultCode.selfTradePrevented;
    if (o.byQuote ? o.quote === 0 : o.qty === 0) return ResultCode.ok;
    const next = this.opposite(o.side).best();
    // Within the band with liquidity left, a quote-amount buy stopped because what is left
    // of its budget buys less than one lot there (match() returns only then).
    let reason: CancelReason = o.byQuote ? 'quote_spent' : 'ioc_remainder';
    if (next === undefined) reason = 'no_liquidity';
    else if (o.side === 'buy' ? next.price > limit : next.price < limit) reason = 'price_band';
    this.endTaker(o, reason);
    return remainderCode(reason);
  }

  /**
   * FOK dry run, no side effects: walks the opposite side in priority order as matching
   * would. A self order ends the walk (cancel_newest / cancel_both stop the taker there)
   * or is skipped (cancel_oldest removes it and goes on).
   */
  private fokFillable(o: BookOrder): boolean {
    let need = o.qty;
    let blocked = false;
    this.opposite(o.side).levels.forEachFromBest((level) => {
      if (o.side === 'buy' ? level.price > o.price : level.price < o.price) return false;
      for (let m = level.head; m !== null; m = m.next) {
        if (m.userId === o.userId) {
          if (o.stp === 'cancel_oldest') continue;
          blocked = true;
          return false;
        }
        need -= m.qty;
        if (need <= 0) return false;
      }
    });
    return !blocked && need <= 0;
  }

  /** Price-time matching of a taker against the opposite side up to `limit` (inclusive). */
  private match(t: BookOrder, limit: number): void {
    const opp = this.opposite(t.side);
    const buy = t.side === 'buy';
    const lot = this.config.lotSize;
    const trailing = this.stops.trailing;
    for (;;) {
      const level = opp.best();
      if (level === undefined) return;
      const p = level.price;
      if (buy ? p > limit : p < limit) return;
      let m = level.head;
      while (m !== null) {
        let q = t.qty;
        if (t.byQuote) {
          q = Math.floor(t.quote / p);
          q -= q % lot;
        }
        if (q === 0) return;
        const next: BookOrder | null = m.next;
        if (m.userId === t.userId) {
          if (this.selfTrade(t, m)) return;
        } else {
          this.fill(t, m, level, m.qty < q ? m.qty : q);
          // Kept out of fill(): with the check inside it, S2 of bench:engine (crossing limits)
          // measured ~9× nodejs-order-book instead of ~11× in the same runs.
          if (trailing.length !== 0) this.trail(p);
        }
        m = next;
      }
    }
  }

  /** Applies the taker's STP mode; returns true when the taker is finished. */
  private selfTrade(t: BookOrder, m: BookOrder): boolean {
    if (t.stp === 'cancel_newest') {
      this.endTaker(t, 'stp');
      return true;
    }
    this.cancelOpen(m, 'stp');
    if (t.stp === 'cancel_oldest') return false;
    this.endTaker(t, 'stp');
    return true;
  }

  /** One fill at the maker's price: updates both orders and emits the trade. */
  private fill(t: BookOrder, m: BookOrder, level: PriceLevel, q: number): void {
    const p = level.price;
    m.qty -= q;
    m.filled += q;
    level.total -= q;
    if (t.byQuote) t.quote -= p * q;
    else t.qty -= q;
    t.filled += q;
    this.last = p;
    m.status = transition(m.status, m.qty === 0 ? 'filled' : 'partially_filled', m.id);
    const takerDone = t.byQuote ? t.quote === 0 : t.qty === 0;
    t.status = transition(t.status, takerDone ? 'filled' : 'partially_filled', t.id);
    const buy = t.side === 'buy';
    this.events.push({
      type: 'trade',
      seq: ++this.seq,
      tsEvent: this.ts,
      tradeId: ++this.tradeId,
      price: p,
      qty: q,
      notional: p * q,
      takerSide: t.side,
      takerOrderId: t.id,
      takerUserId: t.userId,
      makerOrderId: m.id,
      makerUserId: m.userId,
      buyerUserId: buy ? t.userId : m.userId,
      sellerUserId: buy ? m.userId : t.userId,
      buyerIsMaker: !buy,
      makerRemainingQty: m.qty,
      takerRemainingQty: t.qty,
      takerRemainingQuote: t.quote,
    });
    if (m.qty === 0) this.dropResting(m);
    if (m.linked !== null) this.afterLegFill(m);
  }

  /**
   * A trade at `p`: each trailing stop it activates (a waiting one whose activation price it
   * meets) or that it gives a new best price moves, in order id order.
   */
  private trail(p: number): void {
    for (const s of this.stops.trailing) {
      const moves =
        s.trailAnchor === 0
          ? activates(s.side, s.stopPrice, p)
          : improvesAnchor(s.side, s.trailAnchor, p);
      if (moves) this.moveTrailing(s, p);
    }
  }

  /** Anchors a trailing stop at `anchor`, moves its stop price and emits `trailed`. */
  private moveTrailing(s: BookOrder, anchor: number): void {
    const old = s.stopPrice;
    s.trailAnchor = anchor;
    const stop = trailStop(s.side, anchor, s.trailBps, s.trailAmount, this.config.tickSize);
    if (stop !== old) this.stops.move(s, stop);
    this.events.push({
      type: 'trailed',
      seq: ++this.seq,
      tsEvent: this.ts,
      orderId: s.id,
      userId: s.userId,
      side: s.side,
      anchor,
      oldStopPrice: old,
      stopPrice: stop,
    });
  }

  /**
   * What a triggered stop-market is banded around: its stop price, except a trailing buy
   * activated above its activation price, which stays within what it holds (trailing.ts).
   */
  private stopReference(s: BookOrder): number {
    if (!isTrailing(s) || s.side === 'sell' || s.trailFrom === 0) return s.stopPrice;
    const ceiling = trailStop('buy', s.trailFrom, s.trailBps, s.trailAmount, this.config.tickSize);
    return s.stopPrice < ceiling ? s.stopPrice : ceiling;
  }

  /**
   * After a command that can trade: while the last price triggers a stop or take-profit, take
   * the next one (the lowest of those that trigger rising — buy stops, sell take-profits —
   * else the highest of the others; older first at equal stop), emit `triggered`
   * and run it to the end before looking again, so cascades are processed one by one.
   */
  private runStops(): void {
    for (;;) {
      if (this.last === 0) return;
      const s = this.stops.next(this.last);
      if (s === undefined) return;
      if ((s.trailBps !== 0 || s.trailAmount !== 0) && s.trailAnchor === 0) {
        // Its activation price was met before it was placed (or by the command's last trade
        // before it existed): it starts tracking at the last price instead of triggering.
        this.moveTrailing(s, this.last);
        continue;
      }
      this.dropStop(s);
      this.events.push({
        type: 'triggered',
        seq: ++this.seq,
        tsEvent: this.ts,
        orderId: s.id,
        userId: s.userId,
        stopPrice: s.stopPrice,
        lastPrice: this.last,
      });
      if (s.linked !== null) this.endSibling(s);
      if (!isLimitType(s.kind)) this.runMarket(s, this.stopReference(s));
      else this.runLimit(s);
    }
  }

  /**
   * Amend a resting order. Same price and not more quantity: in place, keeps priority.
   * Otherwise it leaves the queue, may trade at its new price (post-only: refused instead)
   * and rests the remainder at the back.
   */
  private amend(cmd: AmendCommand): ResultCode {
    const blocked = statusRejection(this.marketStatus);
    if (blocked !== null) return blocked;
    const o = this.resting.get(cmd.orderId);
    if (o === undefined || (cmd.userId !== undefined && o.userId !== cmd.userId)) {
      const stop = this.stops.byId.get(cmd.orderId);
      const mine = stop !== undefined && (cmd.userId === undefined || stop.userId === cmd.userId);
      return mine ? ResultCode.orderNotAmendable : ResultCode.unknownOrder;
    }
    if (o.linked !== null) return ResultCode.orderNotAmendable;
    const price = cmd.price ?? o.price;
    const qty = cmd.qty ?? o.qty;
    const bad = priceProblem(this.config, price) ?? qtyProblem(this.config, qty);
    if (bad !== null) return bad;
    const oldPrice = o.price;
    const oldQty = o.qty;
    if (price === oldPrice && qty <= oldQty) {
      (o.level as PriceLevel).total -= oldQty - qty;
      o.qty = qty;
      this.emitAmended(o, oldPrice, oldQty, false);
      return ResultCode.ok;
    }
    if (o.postOnly && this.crosses(o.side, price)) return ResultCode.postOnlyWouldTake;
    this.dropResting(o);
    o.price = price;
    o.qty = qty;
    this.emitAmended(o, oldPrice, oldQty, true);
    if (this.crosses(o.side, price)) this.match(o, price);
    let code: ResultCode = ResultCode.ok;
    if (o.status === 'cancelled') code = ResultCode.selfTradePrevented;
    else if (o.qty > 0) this.rest(o);
    this.runStops();
    return code;
  }

  private cancel(cmd: CancelCommand): ResultCode {
    let o: BookOrder | undefined;
    if (cmd.orderId !== undefined) {
      o = this.resting.get(cmd.orderId) ?? this.stops.byId.get(cmd.orderId);
      if (o !== undefined && cmd.userId !== undefined && o.userId !== cmd.userId) o = undefined;
    } else if (cmd.userId !== undefined && cmd.clientOrderId !== undefined) {
      o = this.clientIds.get(clientKey(cmd.userId, cmd.clientOrderId));
    }
    if (o === undefined) return ResultCode.unknownOrder;
    this.cancelOpen(o, 'user');
    return ResultCode.ok;
  }

  private cancelAll(cmd: CancelAllCommand): ResultCode {
    const victims: BookOrder[] = [];
    for (const o of this.resting.values()) {
      if (cmd.userId === undefined || o.userId === cmd.userId) victims.push(o);
    }
    for (const o of this.stops.byId.values()) {
      if (cmd.userId === undefined || o.userId === cmd.userId) victims.push(o);
    }
    victims.sort((a, b) => a.id - b.id);
    // Both legs of a pair are the same user's, so both are victims: each ends for the reason
    // asked, not as the other's sibling.
    for (const o of victims) o.linked = null;
    for (const o of victims) this.cancelOpen(o, cmd.reason ?? 'user');
    return ResultCode.ok;
  }

  private expire(cmd: ExpireCommand): ResultCode {
    const o = this.resting.get(cmd.orderId) ?? this.stops.byId.get(cmd.orderId);
    if (o === undefined) return ResultCode.unknownOrder;
    if (o.level !== null) this.dropResting(o);
    else this.dropStop(o);
    o.status = transition(o.status, 'expired', o.id);
    this.events.push({
      type: 'expired',
      seq: ++this.seq,
      tsEvent: this.ts,
      orderId: o.id,
      userId: o.userId,
      side: o.side,
      price: o.price,
      remainingQty: o.qty,
      remainingQuote: o.quote,
      filledQty: o.filled,
    });
    if (o.linked !== null) this.endSibling(o);
    return ResultCode.ok;
  }

  private setStatus(cmd: SetStatusCommand): ResultCode {
    if (!STATUSES.has(cmd.status)) return ResultCode.invalidOrder;
    this.marketStatus = cmd.status;
    this.events.push({ type: 'status', seq: ++this.seq, tsEvent: this.ts, status: cmd.status });
    return ResultCode.ok;
  }

  /** Ends an open order (resting or stop) as cancelled. */
  private cancelOpen(o: BookOrder, reason: CancelReason): void {
    if (o.level !== null) this.dropResting(o);
    else this.dropStop(o);
    this.endTaker(o, reason);
    if (o.linked !== null) this.endSibling(o);
  }

  /** Moves an order to `cancelled` and emits the event (it is already out of the book). */
  private endTaker(o: BookOrder, reason: CancelReason): void {
    o.status = transition(o.status, 'cancelled', o.id);
    this.events.push({
      type: 'cancelled',
      seq: ++this.seq,
      tsEvent: this.ts,
      orderId: o.id,
      userId: o.userId,
      side: o.side,
      price: o.price,
      reason,
      remainingQty: o.qty,
      remainingQuote: o.quote,
      filledQty: o.filled,
    });
  }

  private reject(cmd: PlaceCommand, code: ResultCode): ResultCode {
    this.events.push({
      type: 'rejected',
      seq: ++this.seq,
      tsEvent: this.ts,
      orderId: cmd.orderId,
      userId: cmd.userId,
      clientOrderId: cmd.clientOrderId,
      code,
    });
    return code;
  }

  private emitAccepted(o: BookOrder): void {
    const e: AcceptedEvent = {
      type: 'accepted',
      seq: ++this.seq,
      tsEvent: this.ts,
      orderId: o.id,
      userId: o.userId,
      clientOrderId: o.clientOrderId,
      side: o.side,
      kind: o.kind,
      tif: o.tif,
      price: o.price,
      stopPrice: o.stopPrice,
      qty: o.qty,
      quoteQty: o.quote,
      postOnly: o.postOnly,
      stp: o.stp,
    };
    if (o.linked !== null) e.linkedOrderId = o.linked.id;
    if (o.trailBps !== 0 || o.trailAmount !== 0) {
      if (o.trailBps !== 0) e.trailBps = o.trailBps;
      else e.trailAmount = o.trailAmount;
      e.trailAnchor = o.trailAnchor;
    }
    this.events.push(e);
  }

  private emitAmended(
    o: BookOrder,
    oldPrice: number,
    oldQty: number,
    lost: boolean,
    followsLinked = false,
  ): void {
    const e: AmendedEvent = {
      type: 'amended',
      seq: ++this.seq,
      tsEvent: this.ts,
      orderId: o.id,
      userId: o.userId,
      side: o.side,
      oldPrice,
      oldQty,
      price: o.price,
      qty: o.qty,
      lostPriority: lost,
    };
    if (followsLinked) e.followsLinked = true;
    this.events.push(e);
  }
}
