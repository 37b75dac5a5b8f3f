import type { Candles } from '../candles/candles';
import type { IndicatorLibrary } from '../indicators/library';
import { indicatorsFor } from '../indicators/library';
import { Account } from './account';
import type { BacktestAssumptions } from './assumptions';
import { trailLevelOf, type Order, type OrderRequest } from './orders';
import type { ParamValues, Strategy, StrategyContext } from './strategy';

/** Checks a request; returns the reason it is malformed, or ''. */
function malformed(r: OrderRequest): string {
  if (r.side !== 'buy' && r.side !== 'sell') return `unknown side ${String(r.side)}`;
  const type = r.type ?? 'market';
  if (type !== 'market' && type !== 'limit' && type !== 'stop') return `unknown type ${type}`;
  // Present counts as set, null included: a sandboxed NaN or Infinity arrives as null.
  if (r.trailPercent !== undefined && r.trailAmount !== undefined) {
    return 'a trailing stop takes trailPercent or trailAmount, not both';
  }
  if (r.trailPercent !== undefined) {
    if (type !== 'stop') return 'trailPercent is for a stop order (type stop)';
    if (!(typeof r.trailPercent === 'number' && r.trailPercent > 0 && r.trailPercent <= 50)) {
      return 'trailPercent must be a number above 0 and at most 50';
    }
    if (r.price !== undefined) {
      return 'a trailing stop takes no price: it starts trailPercent behind the last close';
    }
  } else if (r.trailAmount !== undefined) {
    if (type !== 'stop') return 'trailAmount is for a stop order (type stop)';
    if (!(
      typeof r.trailAmount === 'number' &&
      r.trailAmount > 0 &&
      Number.isFinite(r.trailAmount)
    )) {
      return 'trailAmount must be a finite number above 0 (a distance in price units)';
    }
    if (r.price !== undefined) {
      return 'a trailing stop takes no price: it starts trailAmount behind the last close';
    }
  } else if (
    type !== 'market' &&
    !(typeof r.price === 'number' && r.price > 0 && Number.isFinite(r.price))
  ) {
    return `${type} order needs a positive finite price`;
  }
  if (r.quantity !== undefined && !(r.quantity > 0 && Number.isFinite(r.quantity))) {
    return 'quantity must be a positive finite number';
  }
  return '';
}

/**
 * Mutable state of one run, and the `StrategyContext` the strategy sees (one object for the
 * whole run, so the per-bar path allocates nothing).
 */
export class RunState implements StrategyContext {
  readonly account: Account;
  readonly orders: Order[] = [];
  /** Open orders; during order processing, those not yet examined this bar are elsewhere. */
  open: Order[] = [];
  index = -1;
  /** Bar whose orders are being processed or whose close was just seen; new orders fill
   * strictly after it. */
  processing = -1;
  equityNow: number;
  /** The library in the run's `indicatorConvention`. */
  readonly indicators: IndicatorLibrary;

  constructor(
    readonly candles: Candles,
    readonly assumptions: BacktestAssumptions,
    readonly params: Readonly<ParamValues>,
    readonly strategy: Strategy,
  ) {
    this.account = new Account(assumptions);
    this.equityNow = assumptions.initialCash;
    this.indicators = indicatorsFor(assumptions.indicatorConvention);
  }

  get time(): number {
    return this.candles.time[this.index] ?? NaN;
  }
  get position(): number {
    return this.account.position;
  }
  get avgPrice(): number {
    return this.account.avgPrice;
  }
  get cash(): number {
    return this.account.cash;
  }
  get margin(): number {
    return this.account.margin;
  }
  get equity(): number {
    return this.equityNow;
  }
  get openOrders(): readonly Order[] {
    return this.open;
  }

  submit(r: OrderRequest, closesPosition = false): Order {
    const o: Order = {
      id: this.orders.length + 1,
      side: r.side,
      type: r.type ?? 'market',
      quantity: r.quantity ?? NaN,
      price: r.type === undefined || r.type === 'market' ? NaN : (r.price ?? NaN),
      trailPercent: NaN,
      trailAmount: NaN,
      closesPosition,
      status: 'open',
      tag: r.tag ?? '',
      submittedIndex: this.processing,
      submittedTime: this.candles.time[this.processing] ?? NaN,
      doneIndex: -1,
      doneTime: NaN,
      filledQuantity: 0,
      fillPrice: NaN,
      feeMinor: 0,
      reason: '',
    };
    this.orders.push(o);
    const bad = malformed(r);
    if (bad) this.finish(o, 'rejected', bad);
    else {
      if (r.trailPercent !== undefined || r.trailAmount !== undefined) {
        // From the close the strategy just saw (the bar it places the order on).
        o.trailPercent = r.trailPercent ?? NaN;
        o.trailAmount = r.trailAmount ?? NaN;
        o.price = trailLevelOf(o, this.candles.close[this.processing] ?? NaN);
      }
      this.open.push(o);
    }
    return o;
  }
  buy(r: Omit<OrderRequest, 'side'> = {}): Order {
    return this.submit({ ...r, side: 'buy' });
  }
  sell(r: Omit<OrderRequest, 'side'> = {}): Order {
    return this.submit({ ...r, side: 'sell' });
  }
  closePosition(tag = 'close'): Order | null {
    const p = this.account.position;
    if (p === 0) return null;
    return this.submit({ side: p > 0 ? 'sell' : 'buy', tag }, true);
  }
  cancel(orderId: number): boolean {
    const o = this.orders[orderId - 1];
    if (!o || o.status !== 'open') return false;
    this.open = this.open.filter((x) => x !== o);
    this.finish(o, 'cancelled', 'cancelled by strategy');
    return true;
  }
  cancelAll(): void {
    for (const o of [...this.open]) this.cancel(o.id);
  }

  /** Moves an order to a final status and tells the strategy. */
  finish(o: Order, status: 'filled' | 'cancelled' | 'rejected', reason: string): void {
    o.status = status;
    o.reason = reason;
    o.doneIndex = this.processing;
    o.doneTime = this.candles.time[this.processing] ?? NaN;
    this.strategy.onOrderUpdate?.(o, this);
  }
}
