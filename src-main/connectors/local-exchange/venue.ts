import { randomUUID } from 'node:crypto';
import { AppError } from '../../../src-shared/contract';
import { compareDecimal, decimalsOf, divDecimal, formatDecimal, unitsAt } from '../../domain/money';
import type { ExchangeApi, OrderView } from '../../features/exchange/api';
import type { MarketSpec } from '../../domain/markets';
import {
  trailSpecOf,
  type AutomationVenue,
  type ResolvedIntent,
  type VenueOrderResult,
} from '../venue';
import type { ExchangeBrackets, ReleasedExits } from './brackets';
import { trailAmountOf } from './trail-amount';

/**
 * Automation on a spot account of the local exchange, through the exchange's API (the same
 * commands `orders.place` runs, so holds, fills, fees and ledger postings are the real
 * ones). Spot has holdings, not positions: the "position" on a market is the base asset held,
 * an exit sells it (an exit of a short has nothing to do), and there is no unrealised P&L.
 * An entry's take-profit and stop-loss become exit orders for what it fills — part by part
 * while it rests (`ExchangeBrackets`); without a keeper for them an entry with brackets is
 * refused, never placed without its exits.
 */
export class ExchangeVenue implements AutomationVenue {
  constructor(
    private readonly svc: ExchangeApi,
    /** The exchange user whose balances the account trades. */
    private readonly owner: string,
    private readonly brackets?: { keeper: ExchangeBrackets; accountId: string },
  ) {}

  private holding(market: string): bigint {
    const h = this.svc.holdings(this.owner, this.svc.spec(market).base.code);
    return h.available + h.held;
  }

  async exposure(market: string) {
    const spec = this.svc.spec(market);
    return { position: formatDecimal(this.holding(market), spec.base.scale), unrealised: '0' };
  }

  async execute(i: ResolvedIntent): Promise<VenueOrderResult[]> {
    if (i.action === 'cancel') {
      await this.svc.cancelAll(this.owner, i.market);
      return [];
    }
    if (i.action === 'entry' && i.leverage !== undefined && compareDecimal(i.leverage, '1') !== 0) {
      throw new AppError(
        'unsupported_by_venue',
        `the local exchange trades spot: leverage ${i.leverage} cannot be applied (send none, or use a paper or broker account)`,
        { field: 'leverage' },
      );
    }
    let side = i.side;
    let qty = i.qty;
    let released: ReleasedExits[] = [];
    if (i.action === 'exit') {
      if (i.exitSide === 'short') return [];
      // Spot: what would buy back what this exit sells (a resting entry) goes first.
      if (i.cancelOrders) await this.cancelBuys(i.market);
      const spec = this.svc.spec(i.market);
      const base = spec.base.code;
      // The take-profit / stop-loss exits of earlier entries hold the base they would sell: an
      // exit that needs it (all of it, or more than is free) cancels them first, else the
      // position it is asked to close would stay, held by its own protection.
      const free = () => this.svc.holdings(this.owner, base).available;
      // In the base's minor units; a quantity finer than them is the sell's to refuse (lot size).
      const wanted =
        qty === '0' || decimalsOf(qty) > spec.base.scale ? null : unitsAt(qty, spec.base.scale);
      if (
        this.brackets &&
        // A market that does not trade refuses the sell: the exits stay where they are.
        this.svc.market(i.market).engine.status === 'trading' &&
        (qty === '0' || (wanted !== null && free() < wanted))
      ) {
        released = await this.brackets.keeper.releaseExits(
          this.owner,
          i.market,
          randomUUID().slice(0, 8),
        );
      }
      const available = free();
      if (available <= 0n) return [];
      side = 'sell';
      if (qty === '0')
        qty = floorToLot(formatDecimal(available, spec.base.scale), spec.config.lotSize);
    }
    const trail = i.action === 'entry' ? entryTrail(i, () => this.svc.spec(i.market)) : undefined;
    const order = {
      symbol: i.market,
      side: side!,
      type: i.action === 'exit' ? 'market' : i.type,
      qty,
      ...(i.action === 'entry' && i.price ? { price: i.price } : {}),
      ...(i.action === 'entry' && i.stopPrice ? { stopPrice: i.stopPrice } : {}),
      ...trail,
    } as const;
    if (i.action === 'entry' && (i.takeProfit || i.stopLoss)) {
      if (!this.brackets) {
        throw new AppError(
          'unsupported_bracket',
          'take-profit and stop-loss are not kept for this account: the entry was not placed',
        );
      }
      const { entry, exits } = await this.brackets.keeper.place({
        userId: this.owner,
        accountId: this.brackets.accountId,
        order,
        ...(i.takeProfit ? { takeProfit: i.takeProfit } : {}),
        ...(i.stopLoss ? { stopLoss: i.stopLoss } : {}),
      });
      return [{ ...result(entry), role: 'entry' }, ...exits];
    }
    let view: OrderView;
    try {
      view = await this.svc.place(this.owner, order);
    } catch (error) {
      // The sell was refused: what the exits protected is still held, so they go back.
      if (released.length > 0) {
        await this.brackets!.keeper.restoreExits(this.owner, i.market, released);
      }
      throw error;
    }
    const placed = result(view);
    if (released.length === 0) return [placed];
    // Whatever the sell left (a partial exit, or a sell the book could not fill) gets its
    // exits back; a whole exit that sold everything leaves nothing to protect.
    const restored = await this.brackets!.keeper.restoreExits(this.owner, i.market, released);
    placed.note =
      restored.length > 0
        ? `the take-profit / stop-loss on ${i.market} taken off to free what this exit sells, and placed again for what is left`
        : `the take-profit / stop-loss on ${i.market} cancelled to free what this exit sells`;
    return [placed, ...restored];
  }

  /**
   * Cancels the account's open buy orders on `market` (an exit that asks for it: its resting
   * entries would otherwise buy the position back after it). One that filled or went meanwhile
   * is no longer there to cancel.
   */
  private async cancelBuys(market: string): Promise<number> {
    let n = 0;
    for (const o of this.svc.openOrders({ userId: this.owner, symbol: market })) {
      if (o.side !== 'buy') continue;
      try {
        await this.svc.cancel(this.owner, { symbol: market, orderId: o.id });
        n++;
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'unknown_order')) throw error;
      }
    }
    return n;
  }

  /** Cancels every open order, and first the exits still waiting for their entries. */
  async cancelAll(): Promise<number> {
    await this.brackets?.keeper.cancelWaiting(this.owner);
    const counts = await Promise.all(
      this.svc.symbols().map((m) => this.svc.cancelAll(this.owner, m)),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Spot holdings are the user's assets, not positions: an emergency stop leaves them. */
  async closeAll(): Promise<number> {
    return 0;
  }
}

/** An order as the alert's answer lists it. */
function result(view: OrderView): VenueOrderResult {
  return {
    orderId: String(view.orderId),
    symbol: view.symbol,
    side: view.side,
    type: view.type,
    qty: view.qty,
    status: view.status,
    filledQty: view.filledQty,
    avgPrice: averagePrice(view.filledQuote, view.filledQty),
  };
}

/**
 * An alert's trailing stop entry as `orders.place` takes it: its distance in basis points
 * (exact: percent × 100, so at most two decimals, within the exchange's 0.01–50 %) or in
 * price units (exact: on the market's tick, never rounded); undefined when the alert does not
 * trail. A trailing entry carries no take-profit / stop-loss: its entry price is not known
 * until it triggers.
 */
function entryTrail(
  i: ResolvedIntent,
  spec: () => MarketSpec,
): { trailBps: number } | { trailAmount: string } | undefined {
  const trail = trailSpecOf(i.trailPercent, i.trailAmount, 'trail');
  if (trail === undefined) return undefined;
  const field = 'bps' in trail ? 'trailPercent' : 'trailAmount';
  if (i.takeProfit || i.stopLoss) {
    throw new AppError(
      'unsupported_bracket',
      'a trailing-stop entry cannot carry a take-profit or stop-loss here (its entry price is not known until it triggers): nothing was placed',
      { field },
    );
  }
  if ('bps' in trail) return { trailBps: trail.bps };
  const amount = trailAmountOf(spec(), trail.amount);
  if (!amount.ok) {
    throw new AppError('validation_failed', `trailAmount ${amount.why}; nothing was placed`, {
      field,
    });
  }
  return { trailAmount: amount.amount };
}

/** Quantity rounded down to a multiple of the lot size (exact, on decimal text). */
function floorToLot(qty: string, lot: string): string {
  const scale = Math.max(decimalsOf(qty), decimalsOf(lot));
  const q = unitsAt(qty, scale);
  const l = unitsAt(lot, scale);
  return formatDecimal(q - (q % l), scale);
}

/** Quote traded ÷ base filled, to 8 decimals (display only), or null before any fill. */
function averagePrice(filledQuote: string, filledQty: string): string | null {
  // Both are never negative: floor is truncation.
  return divDecimal(filledQuote, filledQty, 8, 'floor') ?? null;
}
