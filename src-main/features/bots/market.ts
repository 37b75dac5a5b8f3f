import { AppError, type CandleIntervalName } from '../../../src-shared/contract';
import type { AssumptionsInput } from '../../domain/backtest';
import { INTERVAL_MS } from '../../domain/market-data/types';
import type { MarketSpec } from '../../domain/markets';
import type { AccountRow } from '../accounts/repo';

/** One closed bar as a replay reads it (floats: strategy math), with its close as text. */
export interface Bar {
  openTime: number;
  /** Exclusive end of the bar: its close time. */
  closeTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  closeText: string;
}

/** What a bot needs to know of its market on its account's venue. */
export interface BotMarket {
  /** Quantity step of orders (the target is rounded down to it). */
  lotStep: string;
  /** The account's fee and shorting assumptions for the shadow backtest. */
  assumptions: AssumptionsInput;
  /** Closed bars (close time ≤ now), oldest first, at most `limit` of the latest. */
  closedBars(now: number, limit: number): Promise<Bar[]>;
}

/** The local exchange's markets and candles, as the bots feature reads them. */
export interface LocalMarkets {
  symbols(): string[];
  spec(symbol: string): MarketSpec;
}
export interface LocalCandles {
  candles(
    symbol: string,
    interval: CandleIntervalName,
    range: { to?: number; limit?: number },
  ): Array<{
    openTime: number;
    open: string;
    high: string;
    low: string;
    close: string;
    volume: string;
  }>;
}
/** A broker account's live session, as far as bots use it. */
export interface BrokerSessions {
  ensure(a: AccountRow): Promise<{
    session: {
      instrument(
        symbol: string,
      ): { lotSize: string; tickSize: string; kind: string; symbol: string } | undefined;
      connector: {
        candles?(
          symbol: string,
          intervalMin: number,
          sinceMs?: number,
        ): Promise<
          Array<{
            time: number;
            open: string;
            high: string;
            low: string;
            close: string;
            volume?: string | null;
          }>
        >;
      };
    };
  }>;
}

/**
 * The local exchange's closed bars of a market and interval, read once per bar for every bot
 * on them: a closed bar no longer changes, so bots on the same market share one read (and its
 * decimal conversion) until the next bar closes.
 */
export class ClosedBarCache {
  private readonly entries = new Map<string, { boundary: number; limit: number; bars: Bar[] }>();

  read(
    key: string,
    now: number,
    interval: CandleIntervalName,
    limit: number,
    load: () => Bar[],
  ): Bar[] {
    const boundary = Math.floor(now / intervalMs(interval));
    const hit = this.entries.get(key);
    if (hit && hit.boundary === boundary && hit.limit >= limit) return hit.bars.slice(-limit);
    const bars = load();
    this.entries.set(key, { boundary, limit, bars });
    return bars;
  }
}

export interface MarketDeps {
  exchange: LocalMarkets;
  marketData: LocalCandles;
  bars: ClosedBarCache;
  brokers: BrokerSessions;
  /** Whether a venue is an external broker (the accounts feature knows). */
  isExternal(venue: string): boolean;
  /** A future or CFD of the paper broker (BTC-FUT), or null (the accounts feature knows). */
  paperInstrument(symbol: string): PaperInstrumentTerms | null;
}

/** What a bot reads of a paper future or CFD. */
export interface PaperInstrumentTerms {
  kind: 'future' | 'cfd';
  /** A local market (its bars stand for the instrument's) or `index:NAME` (no bars). */
  priceSource: string;
  tickSize: string;
  lotSize: string;
  multiplier: string;
  initialMargin: string;
  commissionPerContract: string;
  commissionPpm: number;
  spreadPpm: number;
}

const intervalMs = (interval: CandleIntervalName) => INTERVAL_MS[interval];

/** Turns raw bars into closed bars: only those whose end is at or before `now`. */
function closed(
  rows: Array<{
    openTime: number;
    open: string;
    high: string;
    low: string;
    close: string;
    volume?: string | null;
  }>,
  interval: CandleIntervalName,
  now: number,
  limit: number,
): Bar[] {
  const ms = intervalMs(interval);
  return rows
    .filter((r) => r.openTime + ms <= now)
    .slice(-limit)
    .map((r) => ({
      openTime: r.openTime,
      closeTime: r.openTime + ms,
      open: Number(r.open),
      high: Number(r.high),
      low: Number(r.low),
      close: Number(r.close),
      volume: Number(r.volume ?? 0),
      closeText: r.close,
    }));
}

/**
 * The market of a bot. Local and paper accounts trade the local exchange's markets and read
 * its candles (its fees; paper adds its commission and spread); a broker account reads its
 * instrument and the broker's candles just after each bar closes (no fee model: none is known).
 */
export async function botMarket(
  d: MarketDeps,
  account: AccountRow,
  symbol: string,
  interval: CandleIntervalName,
): Promise<BotMarket> {
  if (d.isExternal(account.venue)) return brokerMarket(d, account, symbol, interval);
  const instrument = account.paperConfig ? d.paperInstrument(symbol) : null;
  if (instrument) return instrumentMarket(d, symbol, instrument, interval);
  if (!d.exchange.symbols().includes(symbol)) {
    throw new AppError('unknown_symbol', `No market ${symbol} on ${account.name}`, {
      field: 'symbol',
    });
  }
  const spec = d.exchange.spec(symbol);
  const paper = account.paperConfig;
  const commissionPpm = paper ? paper.commissionPpm : spec.config.takerFeePpm;
  const assumptions: AssumptionsInput = {
    currencyScale: Math.min(8, spec.quote.scale),
    tickSize: Number(spec.config.tickSize),
    quantityStep: Number(spec.config.lotSize),
    commission:
      commissionPpm > 0 ? { kind: 'percent', rate: commissionPpm / 1e6 } : { kind: 'none' },
    // The paper broker's extra spread, half on each fill (ppm → bps: ÷ 100, halved).
    slippage:
      paper && paper.spreadPpm > 0 ? { kind: 'bps', bps: paper.spreadPpm / 200 } : { kind: 'none' },
    // The local exchange is spot: its balances cannot go short. Paper accounts can.
    allowShort: paper !== null,
  };
  return { lotStep: spec.config.lotSize, assumptions, closedBars: localBars(d, symbol, interval) };
}

/** The local bars of a market, closed at `now`, read once per bar for every bot on them. */
function localBars(d: MarketDeps, symbol: string, interval: CandleIntervalName) {
  return async (now: number, limit: number) =>
    d.bars.read(`${symbol}:${interval}`, now, interval, limit, () =>
      closed(
        d.marketData.candles(symbol, interval, { to: now, limit: limit + 1 }),
        interval,
        now,
        limit,
      ),
    );
}

/**
 * A paper future or CFD: sized in contracts, its shadow backtest a futures-style one (the
 * instrument's multiplier, initial margin and commission per contract — the same terms the
 * paper broker charges), its bars those of the local market that prices it. An instrument
 * priced by a simulated index has no bars, so no bot can run on it.
 */
function instrumentMarket(
  d: MarketDeps,
  symbol: string,
  ins: PaperInstrumentTerms,
  interval: CandleIntervalName,
): BotMarket {
  if (!d.exchange.symbols().includes(ins.priceSource)) {
    throw new AppError(
      'unsupported_by_venue',
      `${symbol} is priced by ${ins.priceSource}, which keeps no bars: a bot cannot read them`,
      { field: 'symbol' },
    );
  }
  const future = ins.kind === 'future';
  const assumptions: AssumptionsInput = {
    currencyScale: Math.min(8, d.exchange.spec(ins.priceSource).quote.scale),
    tickSize: Number(ins.tickSize),
    quantityStep: Number(ins.lotSize),
    commission:
      !future && ins.commissionPpm > 0
        ? { kind: 'percent', rate: ins.commissionPpm / 1e6 }
        : { kind: 'none' },
    slippage: ins.spreadPpm > 0 ? { kind: 'bps', bps: ins.spreadPpm / 200 } : { kind: 'none' },
    allowShort: true,
    ...(future
      ? {
          instrument: {
            kind: 'future' as const,
            multiplier: Number(ins.multiplier),
            initialMargin: Number(ins.initialMargin),
            commissionPerContract: Number(ins.commissionPerContract),
          },
        }
      : { contractMultiplier: Number(ins.multiplier) }),
  };
  return {
    lotStep: ins.lotSize,
    assumptions,
    closedBars: localBars(d, ins.priceSource, interval),
  };
}

async function brokerMarket(
  d: MarketDeps,
  account: AccountRow,
  symbol: string,
  interval: CandleIntervalName,
): Promise<BotMarket> {
  const { session } = await d.brokers.ensure(account);
  const instrument = session.instrument(symbol);
  if (!instrument) {
    throw new AppError('unknown_symbol', `No instrument ${symbol} on ${account.name}`, {
      field: 'symbol',
    });
  }
  const candles = session.connector.candles?.bind(session.connector);
  if (!candles) {
    throw new AppError(
      'unsupported_by_venue',
      `${account.venue} serves no price history: a bot cannot read its bars`,
    );
  }
  const ms = intervalMs(interval);
  return {
    lotStep: instrument.lotSize,
    assumptions: {
      currencyScale: 2,
      tickSize: Number(instrument.tickSize),
      quantityStep: Number(instrument.lotSize),
      allowShort: instrument.kind !== 'spot',
    },
    closedBars: async (now, limit) => {
      const rows = await candles(symbol, ms / 60_000, now - (limit + 1) * ms);
      return closed(
        rows.map((r) => ({ ...r, openTime: r.time })),
        interval,
        now,
        limit,
      );
    },
  };
}
