import { AppError } from '../../../src-shared/contract';
import { isTriggerType } from '../../../src-shared/contract/exchange';
import type {
  AmendedEvent,
  CancelledEvent,
  EngineEvent,
  ExpiredEvent,
  TradeEvent,
} from '../../domain/exchange';
import { transition } from '../../domain/exchange';
import {
  available,
  held,
  holdAmount,
  posting,
  releaseReservation,
  settleTrade,
  type JournalEntry,
  type OrderReservation,
} from '../../domain/ledger';
import type { Asset } from '../../domain/markets';
import { LedgerState, type StoredEntry } from './ledger-state';
import type { MarketRuntime, OrderList, OrderState, TradeRow } from './types';

/** What the current batch changed: written in one transaction, then published. */
export class Batch {
  readonly entries: StoredEntry[] = [];
  readonly orders = new Map<number, OrderState>();
  /** Orders placed in this batch: they have no row yet. */
  readonly created = new Set<number>();
  readonly trades: TradeRow[] = [];
  readonly markets = new Set<string>();
  readonly assets: Asset[] = [];
  /** Client order ids placed in this batch (idempotency before they are committed). */
  readonly clientIds = new Map<string, number>();
  readonly events = new Map<string, EngineEvent[]>();
  readonly orderUpdates = new Set<number>();
  /** Order lists placed or changed in this batch (written with it). */
  readonly lists = new Map<number, OrderList>();
  /** List client ids placed in this batch (idempotency before they are committed). */
  readonly listClientIds = new Map<string, number>();
  /**
   * Writes of other features that must commit atomically with this batch's ledger entries
   * (the paper broker's positions and fills). Run inside the batch's transaction; one that
   * throws rolls the whole batch back.
   */
  readonly sideWrites: Array<() => void> = [];

  constructor(readonly ts: number) {}
}

export const clientKey = (userId: string, clientOrderId: string) =>
  `${userId}\u0000${clientOrderId}`;

/**
 * The exchange's in-memory state: books, balances, open orders and counters, mutated only
 * by the command queue. Engine events are turned here into ledger entries and row changes.
 */
export class ExchangeState {
  readonly markets = new Map<string, MarketRuntime>();
  readonly assets = new Map<string, Asset>();
  readonly ledger = new LedgerState((code) => this.assets.get(code)?.scale ?? 0);
  readonly open = new Map<number, OrderState>();
  readonly openByClient = new Map<string, number>();
  /** Executing order lists (both legs open and linked), by id and by (user, list client id). */
  readonly openLists = new Map<number, OrderList>();
  readonly openListsByClient = new Map<string, number>();
  nextOrderId = 1;
  nextListId = 1;
  nextPriority = 1;
  nextEntryId = 1;
  batch = new Batch(0);

  reset(): void {
    this.markets.clear();
    this.assets.clear();
    this.ledger.clear();
    this.open.clear();
    this.openByClient.clear();
    this.openLists.clear();
    this.openListsByClient.clear();
  }

  market(symbol: string): MarketRuntime {
    const m = this.markets.get(symbol);
    if (!m) throw new AppError('unknown_market', `No market ${symbol}`, { symbol }, 404);
    return m;
  }

  /** Applies an entry to the balances and records it for the commit. */
  record(entry: JournalEntry): number {
    this.ledger.apply(entry);
    const id = this.nextEntryId++;
    this.batch.entries.push({ id, ts: this.batch.ts, entry });
    return id;
  }

  touch(o: OrderState): void {
    o.tsUpdated = this.batch.ts;
    this.batch.orders.set(o.id, o);
    this.batch.orderUpdates.add(o.id);
  }

  /** Registers a newly accepted order. */
  addOpen(o: OrderState): void {
    this.open.set(o.id, o);
    this.batch.created.add(o.id);
    if (o.clientOrderId !== null) {
      const key = clientKey(o.userId, o.clientOrderId);
      this.openByClient.set(key, o.id);
      this.batch.clientIds.set(key, o.id);
    }
    this.touch(o);
  }

  /** Turns the events of one command into ledger entries and order changes. */
  applyEvents(m: MarketRuntime, events: readonly EngineEvent[]): void {
    const symbol = m.spec.config.symbol;
    this.batch.markets.add(symbol);
    let list = this.batch.events.get(symbol);
    if (!list) this.batch.events.set(symbol, (list = []));
    const touched = new Set<number>();
    for (const e of events) {
      list.push(e);
      switch (e.type) {
        case 'accepted':
        case 'triggered': {
          const o = this.order(e.orderId);
          o.waiting = e.type === 'accepted' && isTriggerType(o.kind);
          o.priority = this.nextPriority++;
          if (e.type === 'accepted' && o.trail && e.trailAnchor !== undefined) {
            // Tracking from placement: the engine chose its first stop price and anchor.
            o.stopPrice = e.stopPrice;
            o.trail.anchor = e.trailAnchor ?? 0;
            if (o.trail.anchor > 0) o.trail.since = this.batch.ts;
          }
          touched.add(o.id);
          break;
        }
        case 'trailed': {
          const o = this.order(e.orderId);
          if (o.trail) {
            o.trail.anchor = e.anchor;
            if (o.trail.since === 0) o.trail.since = this.batch.ts; // it was activated
          }
          o.stopPrice = e.stopPrice;
          // A moved stop went behind the stops at its new price: the restart order says so.
          if (e.stopPrice !== e.oldStopPrice) o.priority = this.nextPriority++;
          touched.add(o.id);
          break;
        }
        case 'trade':
          this.settle(m, e);
          touched.add(e.makerOrderId).add(e.takerOrderId);
          break;
        case 'cancelled':
        case 'expired':
          this.end(e);
          touched.add(e.orderId);
          break;
        case 'amended':
          this.amended(m, e);
          touched.add(e.orderId);
          break;
        default:
          break;
      }
    }
    for (const id of touched) this.finish(m, id);
  }

  private order(id: number): OrderState {
    const o = this.open.get(id);
    if (!o) throw new Error(`engine event for unknown order ${id}`);
    return o;
  }

  private settle(m: MarketRuntime, e: TradeEvent): void {
    const spec = m.spec;
    const maker = this.order(e.makerOrderId);
    const taker = this.order(e.takerOrderId);
    const fee = (r: OrderReservation, ppm: number) => Math.min(ppm, r.maxFeePpm);
    const settled = settleTrade(spec, {
      tradeId: `${spec.config.symbol}#${e.tradeId}`,
      priceTicks: e.price,
      qtyLots: e.qty,
      makerSide: e.takerSide === 'buy' ? 'sell' : 'buy',
      maker: { reservation: maker.res, feePpm: fee(maker.res, spec.config.makerFeePpm) },
      taker: { reservation: taker.res, feePpm: fee(taker.res, spec.config.takerFeePpm) },
    });
    if (!settled.ok) throw new Error(`settlement refused: ${settled.error.message}`);
    const s = settled.value;
    this.record(s.entry);
    const [buyer, seller] = e.takerSide === 'buy' ? [taker, maker] : [maker, taker];
    buyer.res = s.buyer;
    seller.res = s.seller;
    for (const o of [maker, taker]) {
      o.filledQty += e.qty;
      o.filledQuote += s.notional;
    }
    maker.openQty = e.makerRemainingQty;
    taker.openQty = taker.quoteQty > 0 ? 0 : e.takerRemainingQty;
    // Every status change goes through the lifecycle table: a refused one is a bug and throws.
    const makerDone = e.makerRemainingQty === 0;
    maker.status = transition(maker.status, makerDone ? 'filled' : 'partially_filled', maker.id);
    const takerDone = taker.quoteQty > 0 ? false : e.takerRemainingQty === 0;
    taker.status = transition(taker.status, takerDone ? 'filled' : 'partially_filled', taker.id);
    const row: TradeRow = {
      symbol: spec.config.symbol,
      tradeId: e.tradeId,
      price: e.price,
      qty: e.qty,
      quoteUnits: s.notional,
      takerSide: e.takerSide,
      buyOrderId: buyer.id,
      sellOrderId: seller.id,
      buyerId: buyer.userId,
      sellerId: seller.userId,
      buyerFee: s.buyerFee,
      sellerFee: s.sellerFee,
      ts: this.batch.ts,
    };
    this.batch.trades.push(row);
  }

  private end(e: CancelledEvent | ExpiredEvent): void {
    const o = this.order(e.orderId);
    // A quote-amount buy that spent its budget as closely as lots allow is filled, with
    // `quote_spent` saying why some of the amount is left (Binance answers FILLED).
    const spent = e.type === 'cancelled' && e.reason === 'quote_spent' && o.filledQty > 0;
    const to = e.type === 'expired' ? 'expired' : spent ? 'filled' : 'cancelled';
    o.status = transition(o.status, to, o.id);
    o.cancelReason =
      e.type === 'expired' ? 'expired' : e.reason === 'oco' ? this.pairEndReason(o) : e.reason;
    o.openQty = 0;
    if (e.type === 'cancelled' && e.reason === 'oco') this.handOver(o);
  }

  /**
   * Why a leg the engine ended as its sibling's partner (event reason `oco`) ended, as the
   * owner sees it: `user` when the user cancelled the other leg (the pair was cancelled), else
   * `oco` (the other leg filled, triggered or expired). The Binance facade tells these apart
   * as Binance does: CANCELED and EXPIRED.
   */
  private pairEndReason(o: OrderState): OrderState['cancelReason'] {
    const id = o.siblingId;
    const other = id === undefined ? undefined : (this.open.get(id) ?? this.batch.orders.get(id));
    return other?.status === 'cancelled' && other.cancelReason === 'user' ? 'user' : 'oco';
  }

  /**
   * An OCO pair holds its funds once, on whichever leg may still trade: the engine lets only
   * one leg trade, ending the other first (reason `oco`). So the ended leg's reservation goes
   * to its sibling when that one lives on (a stop that triggered); when the sibling is itself
   * ending (cancelled by the user) or filled, its own release or fill accounts for it.
   */
  private handOver(o: OrderState): void {
    if (o.siblingId === undefined || o.res.remaining === 0n) return;
    const sib = this.open.get(o.siblingId);
    if (!sib || (sib.status !== 'new' && sib.status !== 'partially_filled')) return;
    sib.res = { ...sib.res, remaining: sib.res.remaining + o.res.remaining };
    o.res = { ...o.res, remaining: 0n };
    this.touch(sib);
  }

  /** Amend: the hold follows the new open amount (release on decrease, hold more on increase). */
  private amended(m: MarketRuntime, e: AmendedEvent): void {
    const o = this.order(e.orderId);
    // The order's size is what filled plus what is open now: an amend changes it, as
    // Binance's amend changes origQty (else filledQty could pass qty after an increase).
    o.qty = o.filledQty + e.qty;
    if (e.followsLinked) {
      // The stop of a bracket pair following its limit's rest: the limit carries the hold.
      o.openQty = e.qty;
      return;
    }
    const target = amendTarget(m, o, e.price, e.qty);
    const delta = target - o.res.remaining;
    if (delta !== 0n) {
      const { userId } = o;
      const asset = o.res.asset;
      this.record({
        kind: delta > 0n ? 'order_hold' : 'order_release',
        refType: 'order',
        refId: String(o.id),
        reason: 'amended',
        postings: [posting(available(userId, asset), -delta), posting(held(userId, asset), delta)],
      });
      o.res = { ...o.res, remaining: target };
    }
    o.price = e.price;
    o.openQty = e.qty;
    if (e.lostPriority) o.priority = this.nextPriority++;
  }

  /** After a command: an order the engine no longer holds is done; release what it holds. */
  private finish(m: MarketRuntime, id: number): void {
    const o = this.open.get(id);
    if (!o) return;
    this.touch(o);
    if (m.engine.getOrder(id) !== undefined) return;
    this.listActed(o);
    if (o.status === 'new' || o.status === 'partially_filled') {
      o.status = transition(o.status, 'filled', o.id); // the engine dropped it whole: done
    }
    const reason =
      o.status === 'filled' ? 'filled' : o.status === 'expired' ? 'expired' : 'cancelled';
    const released = releaseReservation(o.res, reason);
    if (released.entry) this.record(released.entry);
    o.res = released.reservation;
    o.openQty = 0;
    o.waiting = false;
    this.open.delete(id);
    if (o.clientOrderId !== null) this.openByClient.delete(clientKey(o.userId, o.clientOrderId));
  }

  /** The engine ended the link of an OCO pair (a leg filled, triggered or ended): list done. */
  private listActed(o: OrderState): void {
    const list = o.listId === undefined ? undefined : this.openLists.get(o.listId);
    if (!list) return;
    list.status = 'all_done';
    list.tsUpdated = this.batch.ts;
    this.batch.lists.set(list.id, list);
    this.openLists.delete(list.id);
    if (list.listClientId !== null) {
      this.openListsByClient.delete(clientKey(list.userId, list.listClientId));
    }
  }

  /** Current balances of one user, for the `balances` stream. */
  balancesOf(userId: string, asset: string): { available: bigint; held: bigint } {
    return {
      available: this.ledger.get(available(userId, asset)),
      held: this.ledger.get(held(userId, asset)),
    };
  }
}

/**
 * What an order with `qty` lots open at `price` must hold: a sell its base; a buy the
 * notional at its limit plus the most fee that remainder can still be charged (cumulative
 * fees never charge more than ceil(remaining notional × rate), see the ledger's nextFee).
 */
export function amendTarget(m: MarketRuntime, o: OrderState, price: number, qty: number): bigint {
  const basis =
    o.side === 'sell'
      ? { side: 'sell' as const, qtyLots: qty }
      : { side: 'buy' as const, qtyLots: qty, priceTicks: price };
  return holdAmount(m.spec, basis, o.res.maxFeePpm).amount;
}
