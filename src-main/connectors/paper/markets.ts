import { AppError } from '../../../src-shared/contract';
import { formatDecimal, parseDecimal } from '../../domain/money';
import { markPrice, type PaperMarket, type PaperPosition, type Quote } from '../../domain/paper';
import type { ExchangeApi } from '../../features/exchange/api';
import { paperOwner } from './owner';
import type { PaperAccount, PositionRow } from './store';

/**
 * What the paper broker reads from the local exchange and how it stores positions: market
 * scales, the touch, account balances, and positions to and from their decimal rows.
 */
export class PaperMarkets {
  constructor(protected readonly exchange: ExchangeApi) {}

  market(symbol: string): PaperMarket {
    const spec = this.exchange.spec(symbol);
    return {
      symbol,
      baseScale: spec.base.scale,
      quoteScale: spec.quote.scale,
      priceScale: spec.priceScale,
      tickUnits: spec.tickUnits,
    };
  }

  /**
   * The local book's touch in price units. A missing side borrows the other; an empty book
   * uses the last trade price; a market that never traded and has no orders has no price.
   */
  quote(symbol: string): Quote | null {
    const m = this.exchange.market(symbol);
    const t = m.spec.tickUnits;
    const bid = BigInt(m.engine.bestBid()) * t;
    const ask = BigInt(m.engine.bestAsk()) * t;
    const last = BigInt(m.engine.lastPrice) * t;
    if (bid > 0n && ask > 0n) return { bid, ask };
    const one = bid || ask || last;
    return one > 0n ? { bid: one, ask: one } : null;
  }

  protected currencyScale(a: PaperAccount): number {
    const asset = this.exchange.asset(a.baseCurrency);
    if (!asset) throw new AppError('unknown_asset', `No asset ${a.baseCurrency}`);
    return asset.scale;
  }

  balance(a: PaperAccount): bigint {
    return this.exchange.holdings(paperOwner(a.id), a.baseCurrency).available;
  }

  decode(p: PositionRow): PaperPosition {
    const m = this.market(p.symbol);
    const px = (t: string) => this.units(t, m.priceScale, 'price');
    const cash = this.exchange.spec(p.symbol).quote.scale;
    return {
      symbol: p.symbol,
      qty: this.units(p.qty, m.baseScale, 'qty'),
      entryPrice: px(p.entryPrice),
      leverage: p.leverage,
      margin: this.units(p.margin, cash, 'margin'),
      stopLoss: p.stopLoss === null ? null : px(p.stopLoss),
      takeProfit: p.takeProfit === null ? null : px(p.takeProfit),
      realised: this.units(p.realised, cash, 'realised'),
      openedAt: p.openedAt,
    };
  }

  encode(accountId: string, p: PaperPosition, ts: number): PositionRow {
    const m = this.market(p.symbol);
    return {
      accountId,
      symbol: p.symbol,
      qty: formatDecimal(p.qty, m.baseScale),
      entryPrice: formatDecimal(p.entryPrice, m.priceScale),
      leverage: p.leverage,
      margin: formatDecimal(p.margin, m.quoteScale),
      stopLoss: p.stopLoss === null ? null : formatDecimal(p.stopLoss, m.priceScale),
      takeProfit: p.takeProfit === null ? null : formatDecimal(p.takeProfit, m.priceScale),
      realised: formatDecimal(p.realised, m.quoteScale),
      openedAt: p.openedAt,
      updatedAt: ts,
    };
  }

  units(text: string, scale: number, field: string): bigint {
    const parsed = parseDecimal(text, scale);
    if (!parsed.ok)
      throw new AppError('validation_failed', `${field} ${text}: ${parsed.error.message}`, {
        field,
      });
    return parsed.value;
  }

  /** The mark a position would close at now, or null without a price. */
  markOf(p: PaperPosition): bigint | null {
    const q = this.quote(p.symbol);
    return q ? markPrice(p, q) : null;
  }

  scaleOf(a: PaperAccount): number {
    return this.currencyScale(a);
  }
}
