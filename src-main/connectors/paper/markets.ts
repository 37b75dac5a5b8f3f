import { AppError } from '../../../src-shared/contract';
import { formatDecimal, parseDecimal } from '../../domain/money';
import {
  compileInstrument,
  indexFromTouch,
  markPrice,
  quoteAroundIndex,
  trailLevel,
  trailReference,
  type InstrumentSpec,
  type PaperMarket,
  type PaperPosition,
  type Quote,
  type Trail,
  type TrailColumns,
} from '../../domain/paper';
import type { ExchangeApi } from '../../features/exchange/api';
import type { TrailSpec } from '../venue';
import { paperOwner } from './owner';
import type { PaperAccount, PaperInstruments, PositionRow } from './store';

/** What an order on a symbol is checked against, whether a local market or an instrument. */
export interface TradingTerms {
  quoteCode: string;
  status: string;
  lotUnits: bigint;
  lotSize: string;
  /** Instruments: order size limits in contract units. */
  minUnits: bigint | null;
  maxUnits: bigint | null;
}

const NO_INSTRUMENTS: PaperInstruments = {
  instrument: () => null,
  all: () => [],
  indexLevel: () => null,
};

/**
 * What the paper broker reads from the local exchange and how it stores positions: market
 * scales, the touch, account balances, and positions to and from their decimal rows.
 */
export class PaperMarkets {
  constructor(
    protected readonly exchange: ExchangeApi,
    readonly instruments: PaperInstruments = NO_INSTRUMENTS,
  ) {}

  /** The instrument named `symbol` (null for a local market). */
  instrument(symbol: string): InstrumentSpec | null {
    return this.instruments.instrument(symbol);
  }

  private quoteScaleOf(code: string): number {
    const asset = this.exchange.asset(code);
    if (!asset) throw new AppError('unknown_asset', `No asset ${code}`);
    return asset.scale;
  }

  market(symbol: string): PaperMarket {
    const inst = this.instrument(symbol);
    if (inst) return compileInstrument(inst, this.quoteScaleOf(inst.quoteAsset));
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
   * The touch in price units: an instrument's is its index ± its spread (see `indexOf`); a
   * local market's is its book's. A missing side borrows the other; an empty book
   * uses the last trade price; a market that never traded and has no orders has no price.
   */
  quote(symbol: string): Quote | null {
    const inst = this.instrument(symbol);
    if (inst) {
      const index = this.indexOf(symbol);
      return index === null ? null : quoteAroundIndex(this.market(symbol), index, inst.spreadPpm);
    }
    return this.bookQuote(symbol);
  }

  /**
   * Where a trailing stop on `side` starts when it tracks from now: `trail` behind the quote
   * it follows (a sell's bid, a buy's ask). Refused without a quote, and when a distance in
   * price units would put a sell's stop at or below zero.
   */
  trailStart(symbol: string, side: 'buy' | 'sell', trail: Trail): bigint {
    const q = this.quote(symbol);
    if (!q) {
      throw new AppError('no_price', `${symbol} has no price yet: a trailing stop starts from it`);
    }
    this.checkTrailReach(symbol, side, trail, q.bid, 'trailAmount');
    return trailLevel(side, trailReference(side, q), trail, this.market(symbol).tickUnits);
  }

  /**
   * A sell's stop (an entry short, a long's stop-loss) an amount behind the price it starts
   * from (the bid, or a start price) must stay above zero: a distance as large as the price
   * would be a stop that can never trigger.
   */
  checkTrailReach(
    symbol: string,
    side: 'buy' | 'sell',
    trail: Trail,
    from: bigint,
    field: string,
  ): void {
    if (side !== 'sell' || !('amount' in trail) || trail.amount < from) return;
    const scale = this.market(symbol).priceScale;
    throw new AppError(
      'validation_failed',
      `a trailing distance of ${formatDecimal(trail.amount, scale)} is not below ${formatDecimal(from, scale)}, where ${symbol}'s stop would start: it would never trigger`,
      { field },
    );
  }

  /**
   * A requested trailing distance on `symbol`: a percent as is, an amount in price units
   * (refused with more decimals than the market's prices, named by `field`).
   */
  trailOf(symbol: string, spec: TrailSpec | undefined, field: string): Trail | undefined {
    if (!spec) return undefined;
    if ('bps' in spec) return { bps: spec.bps };
    const scale = this.market(symbol).priceScale;
    const units = parseDecimal(spec.amount, scale);
    if (!units.ok) {
      throw new AppError(
        'validation_failed',
        `${field} ${spec.amount} has more decimals than ${symbol}'s prices (${scale}), or is not a decimal`,
        { field },
      );
    }
    if (units.value <= 0n) {
      throw new AppError('validation_failed', `${field} must be positive`, { field });
    }
    return { amount: units.value };
  }

  /** A stored trail (basis points or decimal text), or null when the row does not trail. */
  trailFromColumns(symbol: string, bps: number | null, amount: string | null): Trail | null {
    if (bps !== null) return { bps };
    if (amount === null) return null;
    return { amount: this.units(amount, this.market(symbol).priceScale, 'trailAmount') };
  }

  /** A trail as the two columns it is stored in. */
  trailColumns(symbol: string, trail: Trail | null | undefined): TrailColumns {
    if (!trail) return { bps: null, amount: null };
    if ('bps' in trail) return { bps: trail.bps, amount: null };
    return { bps: null, amount: formatDecimal(trail.amount, this.market(symbol).priceScale) };
  }

  /**
   * An instrument's index at its own price scale: the mid of its source market's touch, or
   * its simulated index's level. Null without a price (or for a local market).
   */
  indexOf(symbol: string): bigint | null {
    const inst = this.instrument(symbol);
    if (!inst) return null;
    const m = this.market(symbol);
    if (inst.priceSource.startsWith('index:')) {
      return this.instruments.indexLevel(inst.priceSource.slice(6), m.priceScale);
    }
    if (!this.exchange.symbols().includes(inst.priceSource)) return null;
    const q = this.bookQuote(inst.priceSource);
    if (!q) return null;
    return indexFromTouch(q, this.exchange.spec(inst.priceSource).priceScale, m.priceScale);
  }

  /** What orders on `symbol` are checked against. */
  terms(symbol: string): TradingTerms {
    const inst = this.instrument(symbol);
    if (inst) {
      const m = this.market(symbol);
      return {
        quoteCode: inst.quoteAsset,
        status: inst.status,
        lotUnits: this.units(inst.lotSize, m.baseScale, 'lotSize'),
        lotSize: inst.lotSize,
        minUnits: this.units(inst.minQty, m.baseScale, 'minQty'),
        maxUnits: this.units(inst.maxQty, m.baseScale, 'maxQty'),
      };
    }
    const spec = this.exchange.spec(symbol);
    return {
      quoteCode: spec.quote.code,
      status: spec.config.status,
      lotUnits: spec.lotBaseUnits,
      lotSize: spec.config.lotSize,
      minUnits: null,
      maxUnits: null,
    };
  }

  /** The local book's touch (see `quote`). */
  private bookQuote(symbol: string): Quote | null {
    const m = this.exchange.market(symbol);
    const t = m.spec.tickUnits;
    const bid = BigInt(m.engine.bestBid()) * t;
    const ask = BigInt(m.engine.bestAsk()) * t;
    const last = BigInt(m.engine.lastPrice) * t;
    if (bid > 0n && ask > 0n) return { bid, ask };
    const one = bid || ask || last;
    return one > 0n ? { bid: one, ask: one, oneSided: true } : null;
  }

  protected currencyScale(a: PaperAccount): number {
    return this.quoteScaleOf(a.baseCurrency);
  }

  balance(a: PaperAccount): bigint {
    return this.exchange.holdings(paperOwner(a.id), a.baseCurrency).available;
  }

  decode(p: PositionRow): PaperPosition {
    const m = this.market(p.symbol);
    const px = (t: string) => this.units(t, m.priceScale, 'price');
    const cash = m.quoteScale;
    return {
      symbol: p.symbol,
      qty: this.units(p.qty, m.baseScale, 'qty'),
      entryPrice: px(p.entryPrice),
      leverage: p.leverage,
      margin: this.units(p.margin, cash, 'margin'),
      stopLoss: p.stopLoss === null ? null : px(p.stopLoss),
      takeProfit: p.takeProfit === null ? null : px(p.takeProfit),
      trail: this.trailFromColumns(p.symbol, p.trailBps, p.trailAmount),
      realised: this.units(p.realised, cash, 'realised'),
      openedAt: p.openedAt,
    };
  }

  encode(accountId: string, p: PaperPosition, ts: number): PositionRow {
    const m = this.market(p.symbol);
    // A trailing stop-loss needs a stop-loss to move: without one it is a fixed none.
    const trail = this.trailColumns(p.symbol, p.stopLoss === null ? null : p.trail);
    return {
      accountId,
      symbol: p.symbol,
      qty: formatDecimal(p.qty, m.baseScale),
      entryPrice: formatDecimal(p.entryPrice, m.priceScale),
      leverage: p.leverage,
      margin: formatDecimal(p.margin, m.quoteScale),
      stopLoss: p.stopLoss === null ? null : formatDecimal(p.stopLoss, m.priceScale),
      takeProfit: p.takeProfit === null ? null : formatDecimal(p.takeProfit, m.priceScale),
      trailBps: trail.bps,
      trailAmount: trail.amount,
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
