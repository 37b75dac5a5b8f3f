import {
  addDecimal,
  compareDecimal,
  divDecimal,
  mulDecimal,
  subDecimal,
} from '../../../src-shared/decimal';

/**
 * The fake TradeLocker account's trading state: orders with their state machine (New →
 * Filled / Cancelled / Rejected, nothing leaves a final state), one position per filled entry
 * order (TradeLocker hedges), executions, and stop-loss / take-profit orders that a filled
 * entry attaches to its position (filling one closes the position and cancels the other).
 */
export interface FakeInstrument {
  id: string;
  name: string;
  type: string;
  tradeRoute: string;
  infoRoutes: string[];
  /** INFO routes that answer errors (the SDK's "first INFO route may be invalid"). */
  badInfoRoutes: string[];
  lotSize: string;
  lotStep: string;
  minLot: string;
  maxLot: string;
  tick: string;
  bid: string;
  ask: string;
}

export type OrderStatus = 'New' | 'Filled' | 'Cancelled' | 'Rejected';

export interface FakeOrder {
  id: string;
  instrumentId: string;
  routeId: string;
  qty: string;
  side: 'buy' | 'sell';
  type: 'market' | 'limit' | 'stop';
  status: OrderStatus;
  filledQty: string;
  avgPrice: string;
  price: string | null;
  stopPrice: string | null;
  validity: 'GTC' | 'IOC';
  createdDate: number;
  lastModified: number;
  positionId: string | null;
  stopLoss: string | null;
  stopLossType: string | null;
  takeProfit: string | null;
  takeProfitType: string | null;
  strategyId: string | null;
  /** Set on a stop-loss / take-profit / closing order: the position it reduces. */
  closes: string | null;
}

export interface FakePosition {
  id: string;
  instrumentId: string;
  routeId: string;
  side: 'buy' | 'sell';
  qty: string;
  avgPrice: string;
  stopLossId: string | null;
  takeProfitId: string | null;
  openDate: number;
  strategyId: string | null;
}

export interface FakeExecution {
  id: string;
  price: string;
  side: 'buy' | 'sell';
  createdDate: number;
  qty: string;
  orderId: string;
  positionId: string;
  instrumentId: string;
}

let nextId = 7277816997834593280n;
/** 64-bit ids like TradeLocker's: beyond Number.MAX_SAFE_INTEGER, so only strings keep them. */
export const newId = (): string => String(nextId++);

const opposite = (s: 'buy' | 'sell') => (s === 'buy' ? 'sell' : 'buy');

export class Book {
  readonly orders = new Map<string, FakeOrder>();
  readonly positions = new Map<string, FakePosition>();
  readonly executions: FakeExecution[] = [];

  constructor(
    readonly instruments: FakeInstrument[],
    readonly now: () => number,
  ) {}

  instrument(id: string): FakeInstrument | undefined {
    return this.instruments.find((i) => i.id === id);
  }

  /** Where the order would trade now, or null when it rests. */
  marketPrice(o: FakeOrder): string | null {
    const i = this.instrument(o.instrumentId)!;
    const touch = o.side === 'buy' ? i.ask : i.bid;
    if (o.type === 'market') return touch;
    if (o.type === 'limit') {
      const crosses =
        o.side === 'buy'
          ? compareDecimal(touch, o.price!) <= 0
          : compareDecimal(touch, o.price!) >= 0;
      return crosses ? touch : null;
    }
    const triggered =
      o.side === 'buy'
        ? compareDecimal(touch, o.stopPrice!) >= 0
        : compareDecimal(touch, o.stopPrice!) <= 0;
    return triggered ? touch : null;
  }

  add(o: FakeOrder): void {
    this.orders.set(o.id, o);
    const at = this.marketPrice(o);
    if (at !== null) this.fill(o.id, o.qty, at);
    else if (o.type === 'market') this.finish(o, 'Cancelled');
  }

  /** Fills `qty` of a working order at `price`: an execution, and its position opened or reduced. */
  fill(orderId: string, qty: string, price: string): void {
    const o = this.orders.get(orderId);
    if (!o || o.status !== 'New') throw new Error(`order ${orderId} is not working`);
    const t = this.now();
    const prevFilled = o.filledQty;
    o.filledQty = addDecimal(o.filledQty, qty);
    o.avgPrice = weighted(o.avgPrice, prevFilled, price, qty);
    o.lastModified = t;
    const positionId = o.closes ? this.reduce(o.closes, qty) : this.open(o, qty, price);
    o.positionId = positionId;
    this.executions.push({
      id: newId(),
      price,
      side: o.side,
      createdDate: t,
      qty,
      orderId: o.id,
      positionId,
      instrumentId: o.instrumentId,
    });
    if (compareDecimal(o.filledQty, o.qty) >= 0) {
      this.finish(o, 'Filled');
      const pos = this.positions.get(positionId);
      if (!o.closes && pos) this.protect(o, pos);
    }
  }

  private open(o: FakeOrder, qty: string, price: string): string {
    const existing = o.positionId ? this.positions.get(o.positionId) : undefined;
    if (existing) {
      existing.avgPrice = weighted(existing.avgPrice, existing.qty, price, qty);
      existing.qty = addDecimal(existing.qty, qty);
      return existing.id;
    }
    const pos: FakePosition = {
      id: newId(),
      instrumentId: o.instrumentId,
      routeId: o.routeId,
      side: o.side,
      qty,
      avgPrice: price,
      stopLossId: null,
      takeProfitId: null,
      openDate: this.now(),
      strategyId: o.strategyId,
    };
    this.positions.set(pos.id, pos);
    return pos.id;
  }

  private reduce(positionId: string, qty: string): string {
    const pos = this.positions.get(positionId);
    if (!pos) return positionId;
    pos.qty = subDecimal(pos.qty, qty);
    if (compareDecimal(pos.qty, '0') <= 0) {
      this.positions.delete(pos.id);
      for (const id of [pos.stopLossId, pos.takeProfitId]) {
        const o = id ? this.orders.get(id) : undefined;
        if (o && o.status === 'New') this.finish(o, 'Cancelled');
      }
    } else {
      for (const id of [pos.stopLossId, pos.takeProfitId]) {
        const o = id ? this.orders.get(id) : undefined;
        if (o && o.status === 'New') o.qty = pos.qty;
      }
    }
    return positionId;
  }

  /**
   * Where a filled entry's stop-loss or take-profit goes: the value itself when `absolute`, else
   * that distance from the order's price (its limit or stop, the fill for a market order), on
   * the losing side for a stop-loss and the winning side for a take-profit. A `trailingOffset`
   * stop-loss starts there too; the fake does not trail it afterwards.
   */
  private level(entry: FakeOrder, kind: 'stopLoss' | 'takeProfit'): string {
    const value = entry[kind]!;
    if (entry[`${kind}Type`] === 'absolute') return value;
    const from = entry.price ?? entry.stopPrice ?? entry.avgPrice;
    const below = (kind === 'stopLoss') === (entry.side === 'buy');
    return below ? subDecimal(from, value) : addDecimal(from, value);
  }

  /** A filled entry with stopLoss / takeProfit gets a stop and a limit order on its position. */
  private protect(entry: FakeOrder, pos: FakePosition): void {
    const make = (type: 'stop' | 'limit', level: string): string => {
      const o = this.blank(entry.instrumentId, entry.routeId, opposite(entry.side), type, pos.qty);
      o.price = type === 'limit' ? level : null;
      o.stopPrice = type === 'stop' ? level : null;
      o.closes = pos.id;
      o.positionId = pos.id;
      this.orders.set(o.id, o);
      return o.id;
    };
    if (entry.stopLoss && !pos.stopLossId) {
      pos.stopLossId = make('stop', this.level(entry, 'stopLoss'));
    }
    if (entry.takeProfit && !pos.takeProfitId) {
      pos.takeProfitId = make('limit', this.level(entry, 'takeProfit'));
    }
  }

  blank(
    instrumentId: string,
    routeId: string,
    side: 'buy' | 'sell',
    type: FakeOrder['type'],
    qty: string,
  ): FakeOrder {
    const t = this.now();
    return {
      id: newId(),
      instrumentId,
      routeId,
      qty,
      side,
      type,
      status: 'New',
      filledQty: '0',
      avgPrice: '0',
      price: null,
      stopPrice: null,
      validity: type === 'market' ? 'IOC' : 'GTC',
      createdDate: t,
      lastModified: t,
      positionId: null,
      stopLoss: null,
      stopLossType: null,
      takeProfit: null,
      takeProfitType: null,
      strategyId: null,
      closes: null,
    };
  }

  finish(o: FakeOrder, status: Exclude<OrderStatus, 'New'>): void {
    o.status = status;
    o.lastModified = this.now();
    if (status === 'Cancelled' && o.closes) {
      const pos = this.positions.get(o.closes);
      if (pos?.stopLossId === o.id) pos.stopLossId = null;
      if (pos?.takeProfitId === o.id) pos.takeProfitId = null;
    }
  }

  /** Closes `qty` (all when `0`) of a position with an immediate market order. */
  close(pos: FakePosition, qty: string): void {
    const size = compareDecimal(qty, '0') === 0 ? pos.qty : qty;
    const o = this.blank(pos.instrumentId, pos.routeId, opposite(pos.side), 'market', size);
    o.closes = pos.id;
    o.positionId = pos.id;
    this.orders.set(o.id, o);
    const i = this.instrument(pos.instrumentId)!;
    this.fill(o.id, size, o.side === 'buy' ? i.ask : i.bid);
  }

  /** New prices: resting orders the market reaches trade. */
  setPrice(instrumentId: string, bid: string, ask: string): void {
    const i = this.instrument(instrumentId)!;
    i.bid = bid;
    i.ask = ask;
    for (const o of [...this.orders.values()]) {
      if (o.status !== 'New' || o.instrumentId !== instrumentId) continue;
      const at = this.marketPrice(o);
      if (at !== null) this.fill(o.id, subDecimal(o.qty, o.filledQty), at);
    }
  }
}

function weighted(avg: string, qty: string, price: string, more: string): string {
  const total = addDecimal(qty, more);
  const value = addDecimal(mulDecimal(avg, qty), mulDecimal(price, more));
  return divDecimal(value, total, 10, 'half_even') ?? price;
}
