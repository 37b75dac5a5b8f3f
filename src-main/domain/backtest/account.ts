import type { BacktestAssumptions } from './assumptions';
import { commissionFor } from './assumptions';
import { formatMinor, prorate, toMinor } from './money';
import type { Order, OrderSide } from './orders';

/** Why a trade ended. */
export type ExitReason = 'signal' | 'end' | 'bankrupt';

/**
 * A round trip, recorded each time a position is reduced (a partial exit is its own trade
 * for the quantity closed). Money fields are integer minor units plus their major-unit value.
 */
export interface Trade {
  id: number;
  side: 'long' | 'short';
  quantity: number;
  entryIndex: number;
  entryTime: number;
  /** Average entry price of the position (quantity-weighted over its entry fills). */
  entryPrice: number;
  exitIndex: number;
  exitTime: number;
  exitPrice: number;
  /** P&L before fees: exit cash flow + the closed share of entry cash flows. */
  grossPnlMinor: number;
  /** Entry fees (pro rata to the closed quantity) + exit fees. */
  feesMinor: number;
  netPnlMinor: number;
  /** netPnl / |closed share of entry notional|. */
  returnPct: number;
  barsHeld: number;
  exitReason: ExitReason;
  tag: string;
}

/** Rounds float noise off a quantity (0.1 + 0.2 → 0.3) so positions return exactly to 0. */
const cleanQty = (q: number): number => (Number.isInteger(q) ? q : Number(q.toPrecision(12)));

/**
 * The simulated account: integer-minor-unit cash, one signed position with average-cost
 * accounting, and the trades list. Invariant (tested): when flat, cash - initial cash equals
 * the sum of trades' net P&L exactly.
 *
 * Spot: a fill moves its whole notional through cash. Future: a fill moves only its fees;
 * initial margin for the open contracts moves from cash to `marginMinor`, and the realised
 * P&L of the closed part (exit notional − closed share of entry notional, the same exact
 * amounts a spot trade books) is settled to cash when the position is reduced.
 */
export class Account {
  cashMinor: number;
  position = 0;
  avgPrice = NaN;
  entryIndex = -1;
  entryTime = NaN;
  totalFeesMinor = 0;
  /** Initial margin held for the open futures position (0 for spot), minor units. */
  marginMinor = 0;
  readonly trades: Trade[] = [];
  private openCashMinor = 0;
  private openFeeMinor = 0;
  private readonly unit: number;
  /** Futures terms in minor units; null for spot. */
  private readonly future: { marginMinor: number; perContract: number } | null;

  constructor(private readonly a: BacktestAssumptions) {
    this.unit = 10 ** a.currencyScale;
    this.cashMinor = toMinor(a.initialCash, a.currencyScale);
    const ins = a.instrument;
    this.future =
      ins.kind === 'future'
        ? {
            marginMinor: toMinor(ins.initialMargin, a.currencyScale),
            perContract: ins.commissionPerContract,
          }
        : null;
  }

  /** Cash in major units (for a future: free cash, margin held excluded). */
  get cash(): number {
    return this.cashMinor / this.unit;
  }

  /** Initial margin held, in major units (0 for spot). */
  get margin(): number {
    return this.marginMinor / this.unit;
  }

  /** Mark-to-market equity in major units at `price` (float: display and sizing only).
   * For a future: cash + margin held + (position × price × multiplier − entry notional). */
  equityAt(price: number): number {
    const held = this.future ? this.marginMinor + this.openCashMinor : 0;
    return (this.cashMinor + held) / this.unit + this.position * price * this.a.contractMultiplier;
  }

  /** Commission in minor units for a fill (a future adds its per-contract commission,
   * rounded on its own). */
  feeMinor(quantity: number, price: number): number {
    const notional = quantity * price * this.a.contractMultiplier;
    const fee = toMinor(commissionFor(this.a.commission, quantity, notional), this.a.currencyScale);
    if (!this.future) return fee;
    return fee + toMinor(this.future.perContract * quantity, this.a.currencyScale);
  }

  /** Quantity an order trades if it fills at `price` now (0 = nothing to do). */
  quantityFor(order: Order, price: number): number {
    if (order.closesPosition) {
      const closing = order.side === 'buy' ? this.position < 0 : this.position > 0;
      return closing ? Math.abs(this.position) : 0;
    }
    if (!Number.isNaN(order.quantity)) return this.roundQty(order.quantity);
    const s = this.a.sizing;
    if (s.kind === 'fixed-quantity') return this.roundQty(s.quantity);
    const budget = s.kind === 'fixed-cash' ? s.amount : (this.equityAt(price) * s.percent) / 100;
    return this.roundQty(this.affordable(budget, price));
  }

  /** Largest quantity whose notional plus commission fits in `budget`. */
  private affordable(budget: number, price: number): number {
    const pm = price * this.a.contractMultiplier;
    const c = this.a.commission;
    if (!(pm > 0) || !(budget > 0)) return 0;
    if (this.future) return this.affordableContracts(budget, pm);
    if (c.kind === 'per-order') return (budget - c.amount) / pm;
    if (c.kind === 'per-unit')
      return Math.min(budget / (pm + c.amount), (budget - (c.minimum ?? 0)) / pm);
    if (c.kind === 'percent')
      return Math.min(budget / (pm * (1 + c.rate)), (budget - (c.minimum ?? 0)) / pm);
    return budget / pm;
  }

  /** Futures sizing: the budget pays initial margin and commissions per contract, not the
   * notional (commission minimums are left to `refusal`). */
  private affordableContracts(budget: number, pm: number): number {
    const c = this.a.commission;
    const variable = c.kind === 'per-unit' ? c.amount : c.kind === 'percent' ? c.rate * pm : 0;
    const perContract = this.future!.marginMinor / this.unit + this.future!.perContract + variable;
    return (budget - (c.kind === 'per-order' ? c.amount : 0)) / perContract;
  }

  private roundQty(q: number): number {
    const step = this.a.quantityStep;
    if (!(q > 0)) return 0;
    return cleanQty(Math.floor(q / step + 1e-9) * step);
  }

  /** Reason to refuse a fill, or '' when it is allowed (short rule and leverage cap). */
  refusal(side: OrderSide, qty: number, price: number): string {
    const next = cleanQty(this.position + (side === 'buy' ? qty : -qty));
    if (next < 0 && !this.a.allowShort) return 'short selling disabled (allowShort = false)';
    if (Math.abs(next) <= Math.abs(this.position)) return '';
    if (this.future) return this.marginRefusal(next, qty, price);
    const exposure = Math.abs(next) * price * this.a.contractMultiplier;
    const equity = this.equityAt(price) - this.feeMinor(qty, price) / this.unit;
    if (exposure > this.a.leverage * equity * (1 + 1e-12)) {
      return `insufficient margin: exposure ${exposure.toFixed(2)} > leverage ${this.a.leverage} x equity ${equity.toFixed(2)}`;
    }
    return '';
  }

  /** A future may grow while equity after the fee covers the initial margin of the new
   * position (the same rule a spot fill meets with its notional and leverage). */
  private marginRefusal(next: number, qty: number, price: number): string {
    const needed = Math.abs(next) * this.future!.marginMinor;
    const equity = this.equityAt(price) - this.feeMinor(qty, price) / this.unit;
    if (needed / this.unit > equity * (1 + 1e-12)) {
      return `insufficient margin: initial margin ${formatMinor(needed, this.a.currencyScale)} > equity ${equity.toFixed(2)}`;
    }
    return '';
  }

  /** Applies a fill: moves cash (exactly, in minor units), updates the position, records
   * trades for any reduction. Returns the fee in minor units. */
  fill(
    side: OrderSide,
    qty: number,
    price: number,
    index: number,
    time: number,
    tag: string,
    reason: ExitReason = 'signal',
  ): number {
    const sign = side === 'buy' ? 1 : -1;
    const notionalMinor = toMinor(qty * price * this.a.contractMultiplier, this.a.currencyScale);
    const cashMinor = -sign * notionalMinor;
    const fee = this.feeMinor(qty, price);
    // A future's notional never passes through cash: only realised P&L does (closePart).
    this.cashMinor += (this.future ? 0 : cashMinor) - fee;
    this.totalFeesMinor += fee;
    let openQty = qty;
    let openCash = cashMinor;
    let openFee = fee;
    if (this.position !== 0 && Math.sign(this.position) !== sign) {
      const closeQty = Math.min(qty, Math.abs(this.position));
      const exitCash = prorate(cashMinor, closeQty, qty);
      const exitFee = prorate(fee, closeQty, qty);
      this.closePart(closeQty, price, exitCash, exitFee, index, time, tag, reason);
      openQty = cleanQty(qty - closeQty);
      openCash = cashMinor - exitCash;
      openFee = fee - exitFee;
    }
    if (openQty > 0) this.openPart(sign * openQty, price, openCash, openFee, index, time);
    if (this.future) this.holdMargin();
    return fee;
  }

  /** Moves cash to or from the margin held so it matches the open contracts. */
  private holdMargin(): void {
    const needed = Math.abs(this.position) * this.future!.marginMinor;
    this.cashMinor -= needed - this.marginMinor;
    this.marginMinor = needed;
  }

  private openPart(
    signed: number,
    price: number,
    cash: number,
    fee: number,
    index: number,
    time: number,
  ): void {
    if (this.position === 0) {
      this.entryIndex = index;
      this.entryTime = time;
      this.avgPrice = price;
    } else {
      const q0 = Math.abs(this.position);
      this.avgPrice = (this.avgPrice * q0 + price * Math.abs(signed)) / (q0 + Math.abs(signed));
    }
    this.position = cleanQty(this.position + signed);
    this.openCashMinor += cash;
    this.openFeeMinor += fee;
  }

  private closePart(
    q: number,
    price: number,
    exitCash: number,
    exitFee: number,
    index: number,
    time: number,
    tag: string,
    reason: ExitReason,
  ): void {
    const whole = Math.abs(this.position);
    const entryCash = prorate(this.openCashMinor, q, whole);
    const entryFee = prorate(this.openFeeMinor, q, whole);
    const gross = entryCash + exitCash;
    const fees = entryFee + exitFee;
    if (this.future) this.cashMinor += gross;
    this.trades.push({
      id: this.trades.length + 1,
      side: this.position > 0 ? 'long' : 'short',
      quantity: q,
      entryIndex: this.entryIndex,
      entryTime: this.entryTime,
      entryPrice: this.avgPrice,
      exitIndex: index,
      exitTime: time,
      exitPrice: price,
      grossPnlMinor: gross,
      feesMinor: fees,
      netPnlMinor: gross - fees,
      returnPct: entryCash === 0 ? 0 : (gross - fees) / Math.abs(entryCash),
      barsHeld: index - this.entryIndex,
      exitReason: reason,
      tag,
    });
    this.openCashMinor -= entryCash;
    this.openFeeMinor -= entryFee;
    this.position = cleanQty(this.position - Math.sign(this.position) * q);
    if (this.position === 0) {
      this.avgPrice = NaN;
      this.entryIndex = -1;
      this.entryTime = NaN;
    }
  }
}
