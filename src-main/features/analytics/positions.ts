import { fixedMul, fixedText, fx, type OpenLot } from '../../domain/analytics';
import { ticksToPrice } from '../../domain/markets';
import type { AccountInfo } from './history';
import type { AnalyticsDeps } from './ports';

/** An account's open positions now, in one currency. */
export interface OpenFigures {
  /** Σ unrealised P&L; null when some position has none (no price, a broker without P&L). */
  unrealised: string | null;
  openPositions: number;
  grossExposure: string | null;
  /** Unrealised P&L per market (null: unknown). */
  byMarket: Map<string, string | null>;
}

/** Adds decimal strings where every term is known; null as soon as one is not. */
function sumKnown(values: ReadonlyArray<string | null>): string | null {
  let s = 0n;
  for (const v of values) {
    if (v === null) return null;
    s += fx(v);
  }
  return fixedText(s);
}

/**
 * Open positions of an account by currency: paper positions as the paper broker values them
 * (at its current quote), broker positions as the broker session reports them (exposure
 * unknown: contract sizes differ by instrument), and the local account's open FIFO lots
 * marked at each market's last trade price.
 */
export function openFigures(
  deps: AnalyticsDeps,
  userId: string,
  a: AccountInfo,
  openLots: readonly OpenLot[],
): Map<string, OpenFigures> {
  if (a.kind === 'paper') {
    const items = deps.accounts.positions(userId, a.id).items;
    const byMarket = new Map(items.map((p) => [p.symbol, p.unrealisedPnl] as const));
    const exposure = items.map((p) =>
      p.markPrice === null ? null : fixedText(fixedMul(fx(p.qty), fx(p.markPrice))),
    );
    return new Map([
      [
        a.currency,
        {
          unrealised: sumKnown(items.map((p) => p.unrealisedPnl)),
          openPositions: items.length,
          grossExposure: sumKnown(exposure),
          byMarket,
        },
      ],
    ]);
  }
  if (a.kind === 'broker') {
    const positions = a.row ? deps.accounts.brokers.state(a.row).positions : [];
    return new Map([
      [
        a.currency,
        {
          unrealised: sumKnown(positions.map((p) => p.unrealisedPnl)),
          openPositions: positions.length,
          grossExposure: positions.length === 0 ? '0' : null,
          byMarket: new Map(positions.map((p) => [p.symbol, p.unrealisedPnl] as const)),
        },
      ],
    ]);
  }
  return localFigures(deps, openLots);
}

/** The local account's open lots (long only: spot) marked at the last trade price. */
function localFigures(deps: AnalyticsDeps, lots: readonly OpenLot[]): Map<string, OpenFigures> {
  const out = new Map<string, OpenFigures>();
  const markets = new Map<string, { currency: string; lots: OpenLot[] }>();
  for (const l of lots) {
    let m = markets.get(l.market);
    if (!m) markets.set(l.market, (m = { currency: l.currency, lots: [] }));
    m.lots.push(l);
  }
  for (const [market, { currency, lots: own }] of markets) {
    let f = out.get(currency);
    if (!f) {
      f = { unrealised: '0', openPositions: 0, grossExposure: '0', byMarket: new Map() };
      out.set(currency, f);
    }
    const mark = markOf(deps, market);
    let pnl = 0n;
    let exposure = 0n;
    for (const l of own) {
      if (mark === null) continue;
      const qty = fx(l.qty);
      pnl += fixedMul(qty, mark - fx(l.price));
      exposure += fixedMul(qty, mark);
    }
    const unrealised = mark === null ? null : fixedText(pnl);
    f.byMarket.set(market, unrealised);
    f.openPositions += 1;
    f.unrealised = sumKnown([f.unrealised, unrealised]);
    f.grossExposure = sumKnown([f.grossExposure, mark === null ? null : fixedText(exposure)]);
  }
  return out;
}

/** The market's last trade price in fixed units, null before its first trade. */
function markOf(deps: AnalyticsDeps, market: string): bigint | null {
  if (!deps.exchange.hasMarket(market)) return null;
  const m = deps.exchange.market(market);
  const last = m.engine.lastPrice;
  return last > 0 ? fx(ticksToPrice(m.spec, last)) : null;
}
