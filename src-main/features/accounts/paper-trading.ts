import { AppError, type InputOf } from '../../../src-shared/contract';
import type { accountsPlaceOrder } from '../../../src-shared/contract/accounts';
import type { PaperConfig, Trail } from '../../domain/paper';
import { trailSpecOf } from '../../connectors/venue';
import type { FillOutcome, PaperBroker } from '../../connectors/paper/broker';
import type { AccountRow, AccountsRepo } from './repo';
import { fillView, pendingView, positionView } from './views';

/**
 * A trader's own orders on paper accounts (the order ticket, closes, brackets): the paper
 * broker behind the accounts service's ownership checks.
 */
export class PaperTrading {
  constructor(
    private readonly paper: PaperBroker,
    private readonly repo: AccountsRepo,
    private readonly own: (userId: string, id: string) => AccountRow,
  ) {}

  private paperOf(userId: string, id: string): { a: AccountRow; cfg: PaperConfig } {
    const a = this.own(userId, id);
    if (a.venue !== 'paper' || !a.paperConfig) {
      throw new AppError(
        'unknown_venue',
        `${a.name} is a ${a.venue} account; positions are on paper accounts`,
      );
    }
    return { a, cfg: a.paperConfig };
  }

  async placeOrder(userId: string, input: InputOf<typeof accountsPlaceOrder>) {
    const { a, cfg } = this.paperOf(userId, input.id);
    if (!a.enabled) throw new AppError('account_disabled', `${a.name} is disabled`);
    const m = this.paper.market(input.symbol);
    const qty = this.paper.units(input.qty, m.baseScale, 'qty');
    const level = (t: string | undefined, f: string) =>
      t === undefined ? undefined : this.paper.units(t, m.priceScale, f);
    const sl = level(input.stopLoss, 'stopLoss');
    const tp = level(input.takeProfit, 'takeProfit');
    const type = input.type ?? 'market';
    const trail = trailingOf(this.paper, input);
    if (type !== 'market') {
      // A trailing stop without a start price tracks from the quote now.
      const price =
        level(input.price, 'price') ??
        (trail.entry !== undefined
          ? this.paper.trailStart(input.symbol, input.side, trail.entry)
          : undefined);
      if (price === undefined) {
        throw new AppError('validation_failed', `a ${type} order needs a price`, {
          field: 'price',
        });
      }
      const order = await this.paper.placePending(a, cfg, {
        symbol: input.symbol,
        side: input.side,
        type,
        qty,
        price,
        ...(input.leverage ? { leverage: input.leverage } : {}),
        ...(sl !== undefined ? { stopLoss: sl } : {}),
        ...(tp !== undefined ? { takeProfit: tp } : {}),
        ...(trail.entry !== undefined
          ? { trail: trail.entry, trailActive: input.price === undefined }
          : {}),
        ...(trail.stopLoss !== undefined ? { stopLossTrail: trail.stopLoss } : {}),
      });
      // A marketable limit (or a stop already reached) executes at once.
      await this.paper.check(a, cfg);
      const now = this.repo.pending(order.id) ?? order;
      const fill =
        now.fillId !== null
          ? this.repo.fills(a.id, 50).find((f) => f.id === now.fillId)
          : undefined;
      const pos = this.repo.position(a.id, input.symbol);
      return {
        fill: fill ? fillView(fill) : null,
        position: pos ? positionView(this.paper, pos, a) : null,
        order: pendingView(now),
      };
    }
    if (input.price !== undefined) {
      throw new AppError('validation_failed', 'a market order takes no price', { field: 'price' });
    }
    const done = await this.paper.order(a, cfg, {
      symbol: input.symbol,
      qty: input.side === 'buy' ? qty : -qty,
      ...(input.leverage ? { leverage: input.leverage } : {}),
      ...(sl !== undefined ? { stopLoss: sl } : {}),
      ...(tp !== undefined ? { takeProfit: tp } : {}),
      ...(trail.stopLoss !== undefined ? { stopLossTrail: trail.stopLoss } : {}),
      reason: 'order',
    });
    return { ...this.outcomeView(done, a), order: null };
  }

  orders(userId: string, id: string, openOnly = false, limit = 100) {
    const a = this.own(userId, id);
    const rows = openOnly ? this.repo.openPending(a.id) : this.repo.recentPending(a.id, limit);
    return { items: rows.map(pendingView) };
  }

  async cancelOrders(userId: string, id: string, which: { orderId?: number; symbol?: string }) {
    const { a } = this.paperOf(userId, id);
    const cancelled = await this.paper.cancelPending(a, {
      ...(which.orderId !== undefined ? { id: which.orderId } : {}),
      ...(which.symbol !== undefined ? { symbol: which.symbol } : {}),
    });
    return { cancelled };
  }

  async closePosition(userId: string, id: string, symbol: string, qty: string | undefined) {
    const { a, cfg } = this.paperOf(userId, id);
    const m = this.paper.market(symbol);
    const units = qty === undefined ? null : this.paper.units(qty, m.baseScale, 'qty');
    return this.outcomeView(await this.paper.close(a, cfg, symbol, units, 'close'), a);
  }

  async modifyPosition(
    userId: string,
    id: string,
    symbol: string,
    stopLoss: string | null | undefined,
    takeProfit: string | null | undefined,
  ) {
    const { a } = this.paperOf(userId, id);
    const m = this.paper.market(symbol);
    // Absent (undefined) keeps the level as it is; null clears it.
    const lvl = (t: string | null | undefined, f: string) =>
      t === undefined || t === null ? t : this.paper.units(t, m.priceScale, f);
    const row = await this.paper.modify(
      a,
      symbol,
      lvl(stopLoss, 'stopLoss'),
      lvl(takeProfit, 'takeProfit'),
    );
    return positionView(this.paper, row, a);
  }

  private outcomeView(done: FillOutcome, a: AccountRow) {
    return {
      fill: fillView(done.fill),
      position: done.position ? positionView(this.paper, done.position, a) : null,
    };
  }
}

/**
 * The trailing parts of a paper order (a percent or an amount in price units each): a
 * trailing stop only on a stop order, and a trailing stop-loss never beside a fixed one.
 */
function trailingOf(
  paper: PaperBroker,
  input: InputOf<typeof accountsPlaceOrder>,
): { entry?: Trail; stopLoss?: Trail } {
  const entrySpec = trailSpecOf(input.trailPercent, input.trailAmount, 'trail');
  const stopLossSpec = trailSpecOf(
    input.stopLossTrailPercent,
    input.stopLossTrailAmount,
    'stopLossTrail',
  );
  if (entrySpec !== undefined && input.type !== 'stop') {
    const field = input.trailAmount !== undefined ? 'trailAmount' : 'trailPercent';
    throw new AppError('validation_failed', `${field} is for a stop order (type stop)`, {
      field: 'type',
    });
  }
  if (stopLossSpec !== undefined && input.stopLoss !== undefined) {
    const field =
      input.stopLossTrailAmount !== undefined ? 'stopLossTrailAmount' : 'stopLossTrailPercent';
    throw new AppError('validation_failed', `give stopLoss or ${field}, not both`, { field });
  }
  const entry = paper.trailOf(input.symbol, entrySpec, 'trailAmount');
  const stopLoss = paper.trailOf(input.symbol, stopLossSpec, 'stopLossTrailAmount');
  return {
    ...(entry !== undefined ? { entry } : {}),
    ...(stopLoss !== undefined ? { stopLoss } : {}),
  };
}
