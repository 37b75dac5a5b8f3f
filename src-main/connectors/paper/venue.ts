import { AppError } from '../../../src-shared/contract';
import { bracketPrice } from '../../domain/automation/brackets';
import { formatDecimal } from '../../domain/money';
import type { PaperConfig } from '../../domain/paper';
import {
  intentTrails,
  type AutomationVenue,
  type ResolvedIntent,
  type VenueOrderResult,
} from '../venue';
import type { FillOutcome, PaperBroker } from './broker';
import type { PaperAccount } from './store';

const abs = (v: bigint) => (v < 0n ? -v : v);

/**
 * Automation on a paper-broker account. Market alerts execute at the paper broker's price
 * (book touch + spread + slippage); limit and stop alerts wait for the book (see
 * `PaperBroker.placePending`); take-profit and stop-loss of the alert become the position's
 * brackets; exits close (all, or `qty` of) the position; cancels cancel waiting orders.
 */
export class PaperVenue implements AutomationVenue {
  constructor(
    private readonly broker: PaperBroker,
    private readonly account: () => PaperAccount,
    private readonly config: () => PaperConfig,
  ) {}

  async exposure(market: string) {
    const a = this.account();
    const row = this.broker.repo.position(a.id, market);
    const summary = this.broker.summary(a);
    return {
      position: row ? row.qty : '0',
      unrealised: formatDecimal(summary.unrealised, this.broker.scaleOf(a)),
    };
  }

  async execute(i: ResolvedIntent): Promise<VenueOrderResult[]> {
    const a = this.account();
    const cfg = this.config();
    if (i.action === 'cancel') {
      await this.broker.cancelPending(a, { symbol: i.market });
      return [];
    }
    if (i.action === 'exit') {
      // Waiting limit / stop orders on the market would open it again after the exit.
      if (i.cancelOrders) await this.broker.cancelPending(a, { symbol: i.market });
      const row = this.broker.repo.position(a.id, i.market);
      if (!row) return [];
      const long = !row.qty.startsWith('-');
      if (i.exitSide === 'long' && !long) return [];
      if (i.exitSide === 'short' && long) return [];
      const m = this.broker.market(i.market);
      const qty = i.qty === '0' ? null : this.broker.units(i.qty, m.baseScale, 'qty');
      const held = abs(this.broker.units(row.qty, m.baseScale, 'qty'));
      const done = await this.broker.close(
        a,
        cfg,
        i.market,
        qty !== null && qty < held ? qty : null,
        'close',
      );
      return [result(done, 'market')];
    }
    const trails = intentTrails(i);
    const entryTrail = this.broker.trailOf(i.market, trails.entry, 'trailAmount');
    const stopLossTrail = this.broker.trailOf(i.market, trails.stopLoss, 'stopLoss.trailAmount');
    if (entryTrail !== undefined && i.type !== 'stop_market') {
      throw new AppError(
        'unsupported_order_type',
        `a trailing stop is a stop market order (got ${i.type ?? 'market'}): nothing was placed`,
        { field: 'type' },
      );
    }
    if (i.type === 'stop_limit') {
      throw new AppError(
        'unsupported_order_type',
        'the paper broker takes market, limit and stop orders; a stop-limit alert cannot be placed there',
      );
    }
    const m = this.broker.market(i.market);
    const qty = this.broker.units(i.qty, m.baseScale, 'qty');
    const leverage = i.leverage ? Number.parseInt(i.leverage, 10) : undefined;
    if (leverage !== undefined && (!Number.isInteger(leverage) || leverage < 1)) {
      throw new AppError('validation_failed', `leverage ${i.leverage} must be a whole number ≥ 1`);
    }
    const quote = this.broker.quote(i.market);
    const ref = quote ? (i.side === 'buy' ? quote.ask : quote.bid) : null;
    const level = (kind: 'takeProfit' | 'stopLoss') => {
      const b = i[kind];
      if (!b || ref === null || b.trailPercent !== undefined || b.trailAmount !== undefined) {
        return undefined;
      }
      const text = bracketPrice(b, kind, i.side!, formatDecimal(ref, m.priceScale), m.priceScale);
      return text === null ? undefined : this.broker.units(text, m.priceScale, kind);
    };
    if (i.type === 'limit' || i.type === 'stop_market') {
      // A trailing stop without a start price tracks from the quote now.
      const text =
        i.type === 'limit'
          ? i.price
          : (i.stopPrice ??
            (entryTrail !== undefined
              ? formatDecimal(this.broker.trailStart(i.market, i.side!, entryTrail), m.priceScale)
              : undefined));
      if (!text) {
        throw new AppError(
          'validation_failed',
          `a ${i.type.replace('_', '-')} alert needs a price`,
        );
      }
      const sl = level('stopLoss');
      const tp = level('takeProfit');
      const o = await this.broker.placePending(a, cfg, {
        symbol: i.market,
        side: i.side!,
        type: i.type === 'limit' ? 'limit' : 'stop',
        qty,
        price: this.broker.units(text, m.priceScale, 'price'),
        ...(leverage ? { leverage } : {}),
        ...(sl !== undefined ? { stopLoss: sl } : {}),
        ...(tp !== undefined ? { takeProfit: tp } : {}),
        ...(entryTrail !== undefined
          ? { trail: entryTrail, trailActive: i.stopPrice === undefined }
          : {}),
        ...(stopLossTrail !== undefined ? { stopLossTrail } : {}),
      });
      await this.broker.check(a, cfg); // marketable now → executes at once
      const now = this.broker.repo.pending(o.id) ?? o;
      const fill =
        now.fillId !== null
          ? this.broker.repo.fills(a.id, 20).find((f) => f.id === now.fillId)
          : undefined;
      return [
        {
          orderId: `paper-order-${o.id}`,
          symbol: o.symbol,
          side: o.side,
          type: i.type,
          qty: o.qty,
          status: now.status === 'open' ? 'new' : now.status,
          filledQty: fill ? fill.qty : '0',
          avgPrice: fill ? fill.price : null,
          ...(fill ? { realisedPnl: fill.realisedPnl } : {}),
        },
      ];
    }
    const done = await this.broker.order(a, cfg, {
      symbol: i.market,
      qty: i.side === 'buy' ? qty : -qty,
      ...(leverage ? { leverage } : {}),
      ...(level('stopLoss') !== undefined ? { stopLoss: level('stopLoss')! } : {}),
      ...(level('takeProfit') !== undefined ? { takeProfit: level('takeProfit')! } : {}),
      ...(stopLossTrail !== undefined ? { stopLossTrail } : {}),
      reason: 'order',
    });
    return [result(done, 'market')];
  }

  async cancelAll(): Promise<number> {
    return this.broker.cancelPending(this.account(), {});
  }

  async closeAll(): Promise<number> {
    const a = this.account();
    let closed = 0;
    for (const row of this.broker.repo.positions(a.id)) {
      await this.broker.close(a, this.config(), row.symbol, null, 'emergency');
      closed++;
    }
    return closed;
  }
}

function result(done: FillOutcome, type: string): VenueOrderResult {
  return {
    orderId: `paper-${done.fill.id}`,
    symbol: done.fill.symbol,
    side: done.fill.side,
    type,
    qty: done.fill.qty,
    status: 'filled',
    filledQty: done.fill.qty,
    avgPrice: done.fill.price,
    realisedPnl: done.fill.realisedPnl,
  };
}
