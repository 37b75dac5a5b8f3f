import type { IndicatorConvention } from './conventions';
import * as base from './index';

/** The indicator library as strategies see it (`ctx.indicators`). */
export type IndicatorLibrary = typeof base;

/**
 * The indicator library with the convention-dependent members (true range, ATR, RMA, RSI and
 * their streaming classes) defaulting to `convention`, so a strategy written once follows
 * the run's `indicatorConvention`. An explicit convention argument still wins.
 */
export function indicatorsFor(convention: IndicatorConvention): IndicatorLibrary {
  if (convention === 'tradingview') return base;
  const c = convention;
  return Object.freeze({
    ...base,
    trueRange: (h, l, cl, conv = c) => base.trueRange(h, l, cl, conv),
    atr: (h, l, cl, period, conv = c) => base.atr(h, l, cl, period, conv),
    rma: (x, period, out, conv = c) => base.rma(x, period, out, conv),
    rsi: (x, period, out, conv = c) => base.rsi(x, period, out, conv),
    RmaStream: class extends base.RmaStream {
      constructor(period: number, conv: IndicatorConvention = c) {
        super(period, conv);
      }
    },
    RsiStream: class extends base.RsiStream {
      constructor(period?: number, conv: IndicatorConvention = c) {
        super(period, conv);
      }
    },
    AtrStream: class extends base.AtrStream {
      constructor(period?: number, conv: IndicatorConvention = c) {
        super(period, conv);
      }
    },
  } satisfies IndicatorLibrary);
}
