import { describe, expect, it } from 'vitest';
import {
  executionText,
  listWords,
  marketsIn,
  otherCurrencies,
  paperCurrencies,
  ppmAsPercent,
  type PaperMarket,
  type PaperTerms,
} from '../../../src-renderer/src/screens/accounts/paper-terms';

// The paper broker's markets as paper.instruments.list lists them (local markets first).
const spot = (symbol: string, quoteAsset: string): PaperMarket => ({
  symbol,
  kind: 'spot-cfd',
  quoteAsset,
  spreadPpm: null,
  commissionPpm: null,
  commissionPerContract: null,
});
const BTC_FUT: PaperMarket = {
  symbol: 'BTC-FUT',
  kind: 'future',
  quoteAsset: 'USDT',
  spreadPpm: 100,
  commissionPpm: 0,
  commissionPerContract: '0.05',
};
const SPX_FUT: PaperMarket = { ...BTC_FUT, symbol: 'SPX-FUT', quoteAsset: 'USD', spreadPpm: 50 };
const MARKETS = [
  spot('BTC/USDT', 'USDT'),
  spot('ETH/USDT', 'USDT'),
  spot('ETH/BTC', 'BTC'),
  spot('EUR/USD', 'USD'),
  BTC_FUT,
  SPX_FUT,
];
const DEFAULTS: PaperTerms = {
  spreadPpm: 200,
  slippagePpmPer10k: 10,
  maxSlippagePpm: 5000,
  commissionPpm: 500,
  marginCallLevelPct: 100,
  stopOutLevelPct: 50,
};

describe('paper currencies and markets', () => {
  it('offers the currencies the markets settle in, each with its markets', () => {
    expect(paperCurrencies(MARKETS)).toEqual(['USDT', 'BTC', 'USD']);
    expect(marketsIn(MARKETS, 'USD').map((m) => m.symbol)).toEqual(['EUR/USD', 'SPX-FUT']);
    expect(marketsIn(MARKETS, 'EUR')).toEqual([]);
    expect(otherCurrencies(MARKETS, 'USDT')).toEqual([
      { currency: 'BTC', symbols: ['ETH/BTC'] },
      { currency: 'USD', symbols: ['EUR/USD', 'SPX-FUT'] },
    ]);
    expect(listWords(['A'])).toBe('A');
    expect(listWords(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

describe('executionText', () => {
  it('reads ppm as an exact percent, halved for a half-spread', () => {
    expect(ppmAsPercent(200)).toBe('0.02');
    expect(ppmAsPercent(200, true)).toBe('0.01');
    expect(ppmAsPercent(25, true)).toBe('0.00125');
    expect(ppmAsPercent(1_000_000)).toBe('100');
    expect(ppmAsPercent(0)).toBe('0');
  });

  it("gives a local market the account's spread and commission", () => {
    expect(executionText(DEFAULTS, spot('BTC/USDT', 'USDT'))).toBe(
      'Execution: book touch ± 0.01 % half-spread, slippage 0.001 % per 10,000 of size (max 0.5 %), commission 0.05 %. Margin call at 100 %, stop-out at 50 %.',
    );
    // Before the list arrives the market's kind is not known: the account's terms.
    expect(executionText(DEFAULTS, undefined)).toContain('commission 0.05 %.');
  });

  it("gives a future its own spread and per-contract commission, not the account's", () => {
    const text = executionText(DEFAULTS, BTC_FUT);
    expect(text).toContain('index ± 0.005 % half-spread');
    expect(text).toContain('commission 0.05 USDT per contract');
    expect(text).toContain("this account's spread and commission do not apply");
    expect(text).not.toContain('book touch ± 0.01 %');
    expect(text).not.toContain('commission 0.05 %');
    // The size slippage and the margin levels are the account's for every market.
    expect(text).toContain('slippage 0.001 % per 10,000 of size (max 0.5 %)');
    expect(text).toContain('Margin call at 100 %, stop-out at 50 %.');
    expect(executionText(DEFAULTS, { ...BTC_FUT, commissionPpm: 300 })).toContain(
      'commission 0.05 USDT per contract + 0.03 % of notional',
    );
    expect(
      executionText(DEFAULTS, { ...SPX_FUT, commissionPerContract: '0', kind: 'cfd' }),
    ).toContain('commission none');
  });
});
