import type { Assumptions } from './backtest-types';

/** The assumption form: flat fields the UI edits, turned into the operation's shape. */
export interface AssumptionForm {
  initialCash: number;
  /** Decimals of the cash currency (2 = cents, 8 = satoshis). */
  currencyScale: number;
  commissionKind: 'none' | 'per-order' | 'per-unit' | 'percent';
  commission: number;
  slippageBps: number;
  spread: number;
  sizingKind: 'percent-equity' | 'fixed-cash' | 'fixed-quantity';
  sizing: number;
  allowShort: boolean;
  leverage: number;
  contractMultiplier: number;
  quantityStep: number;
  marketFill: 'next-open' | 'next-close';
  closeAtEnd: boolean;
  calendar: 'equity' | 'crypto';
  stdDev: 'sample' | 'population';
  riskFreeRate: number;
  returnsBasis: 'period' | 'trade';
  /** Which definitions ATR/RSI/RMA follow (TradingView's ta.*, or TA-Lib/backtrader's). */
  indicatorConvention: 'tradingview' | 'talib';
  /** Spot (cash pays the notional) or a future (initial margin held per open contract). */
  instrumentKind: 'spot' | 'future';
  initialMargin: number;
  commissionPerContract: number;
}

export const DEFAULT_FORM: AssumptionForm = {
  initialCash: 100_000,
  currencyScale: 2,
  commissionKind: 'none',
  commission: 0,
  slippageBps: 0,
  spread: 0,
  sizingKind: 'percent-equity',
  sizing: 100,
  allowShort: true,
  leverage: 1,
  contractMultiplier: 1,
  quantityStep: 1,
  marketFill: 'next-open',
  closeAtEnd: true,
  calendar: 'equity',
  stdDev: 'sample',
  riskFreeRate: 0,
  returnsBasis: 'period',
  indicatorConvention: 'tradingview',
  instrumentKind: 'spot',
  initialMargin: 1_000,
  commissionPerContract: 0,
};

export function assumptionsOf(f: AssumptionForm): Assumptions {
  const commission =
    f.commissionKind === 'none'
      ? { kind: 'none' as const }
      : f.commissionKind === 'percent'
        ? { kind: 'percent' as const, rate: f.commission / 100 }
        : { kind: f.commissionKind, amount: f.commission };
  const sizing =
    f.sizingKind === 'percent-equity'
      ? { kind: 'percent-equity' as const, percent: f.sizing }
      : f.sizingKind === 'fixed-cash'
        ? { kind: 'fixed-cash' as const, amount: f.sizing }
        : { kind: 'fixed-quantity' as const, quantity: f.sizing };
  const future = f.instrumentKind === 'future';
  return {
    initialCash: f.initialCash,
    currencyScale: f.currencyScale,
    commission,
    slippage: f.slippageBps > 0 ? { kind: 'bps', bps: f.slippageBps } : { kind: 'none' },
    spread: f.spread,
    sizing,
    allowShort: f.allowShort,
    // A future's leverage is its margin: the backend refuses a leverage beside it.
    ...(future ? {} : { leverage: f.leverage }),
    contractMultiplier: f.contractMultiplier,
    instrument: future
      ? {
          kind: 'future' as const,
          multiplier: f.contractMultiplier,
          initialMargin: f.initialMargin,
          commissionPerContract: f.commissionPerContract,
        }
      : { kind: 'spot' as const },
    indicatorConvention: f.indicatorConvention,
    quantityStep: f.quantityStep,
    marketFill: f.marketFill,
    closeAtEnd: f.closeAtEnd,
    metrics: {
      calendar: f.calendar,
      stdDev: f.stdDev,
      riskFreeRate: f.riskFreeRate / 100,
      returnsBasis: f.returnsBasis,
    },
  };
}
