import { describe, expect, it } from 'vitest';
import {
  equityAccountFor,
  foldPnl,
  percent,
  periodRange,
  ratio,
  roundShown,
  sourceLabel,
  totalQuoteFor,
  type AccountPnl,
  type Summary,
} from '../../../src-renderer/src/screens/dashboard/model';

const account = (over: Partial<AccountPnl>): AccountPnl => ({
  accountId: 'p1',
  name: 'Paper',
  venue: 'paper',
  currency: 'USDT',
  realisedToday: '10',
  realisedPeriod: '25.5',
  tradesPeriod: 2,
  feesPeriod: '1.2',
  unrealised: '3',
  openPositions: 1,
  grossExposure: '300',
  coverage: 'fills',
  ts: 1_000,
  ...over,
});

const summaryOf = (accounts: AccountPnl[]): Summary => ({
  asOf: 1_000,
  tz: 'UTC',
  today: { from: 0, to: 1_000 },
  period: { from: 0, to: 1_000 },
  accounts,
  byVenue: [],
  byMarket: [],
  bySource: [],
  converted: null,
  totals: [
    {
      currency: 'USDT',
      realisedToday: '10',
      realisedPeriod: '35.5',
      tradesPeriod: 3,
      unrealised: '5',
      openPositions: 2,
      grossExposure: '500',
    },
  ],
});

describe('dashboard periods', () => {
  it('starts Today at the local midnight and the others a whole number of days back', () => {
    const now = new Date(2026, 11, 6, 15, 30).getTime();
    expect(periodRange('today', now)).toEqual({
      from: new Date(2026, 11, 6, 0, 0).getTime(),
      to: now,
    });
    expect(periodRange('7d', now)).toEqual({ from: now - 7 * 86_400_000, to: now });
    expect(periodRange('90d', now).from).toBe(now - 90 * 86_400_000);
  });
});

describe('folding the pnl stream into the summary', () => {
  const p1 = account({});
  const p2 = account({
    accountId: 'p2',
    unrealised: '2',
    grossExposure: '200',
    realisedPeriod: '10',
  });

  it('takes the open figures as pushed and sums them per currency exactly', () => {
    const pushed = account({ unrealised: '-0.75', grossExposure: '299.25', ts: 2_000 });
    const { summary, realisedMoved } = foldPnl(
      summaryOf([p1, p2]),
      { ts: 2_000, accounts: [pushed] },
      { p1 },
    );
    expect(realisedMoved).toBe(false);
    expect(summary.accounts[0]).toMatchObject({ unrealised: '-0.75', grossExposure: '299.25' });
    // 2 + (−0.75) = 1.25; 200 + 299.25 = 499.25; realised totals untouched.
    expect(summary.totals[0]).toMatchObject({
      unrealised: '1.25',
      grossExposure: '499.25',
      openPositions: 2,
      realisedPeriod: '35.5',
    });
    expect(summary.asOf).toBe(2_000);
  });

  it('makes an unknown unrealised figure unknown in the total, not zero', () => {
    const { summary } = foldPnl(
      summaryOf([p1, p2]),
      { ts: 2_000, accounts: [account({ unrealised: null, grossExposure: null })] },
      { p1 },
    );
    expect(summary.totals[0]).toMatchObject({ unrealised: null, grossExposure: null });
  });

  it('says realised figures moved when a trip closed, the account is new or unseen', () => {
    const s = summaryOf([p1, p2]);
    const closed = account({ tradesPeriod: 3, realisedToday: '12' });
    expect(foldPnl(s, { ts: 2, accounts: [closed] }, { p1 }).realisedMoved).toBe(true);
    expect(foldPnl(s, { ts: 2, accounts: [p1] }, {}).realisedMoved).toBe(true);
    const stranger = account({ accountId: 'p9' });
    expect(foldPnl(s, { ts: 2, accounts: [stranger] }, { p9: stranger }).realisedMoved).toBe(true);
  });
});

describe('the equity curve account', () => {
  it('keeps the choice while listed, else takes the first account with stored fills', () => {
    const broker = account({ accountId: 'b1', coverage: 'positions' });
    const paper = account({ accountId: 'p1' });
    expect(equityAccountFor([broker, paper], 'b1')).toBe('b1');
    expect(equityAccountFor([broker, paper], 'gone')).toBe('p1');
    expect(equityAccountFor([broker])).toBeUndefined();
  });
});

describe('figures as shown', () => {
  it('rounds half-even for display and keeps short values padded', () => {
    expect(roundShown('0.6666666', 2)).toBe('0.67');
    expect(roundShown('2.125', 2)).toBe('2.12');
    expect(roundShown('3', 2)).toBe('3.00');
    expect(ratio('1.5')).toBe('1.50');
    expect(ratio(null)).toBe('—');
  });
  it('shows fractions as percentages with one decimal', () => {
    expect(percent('0.5')).toBe('50.0 %');
    expect(percent('0.333333')).toBe('33.3 %');
    expect(percent(null)).toBe('—');
  });
  it('names sources in words', () => {
    expect(sourceLabel('bot:7')).toBe('Bot 7');
    expect(sourceLabel('alert:tv')).toBe('Alert tv');
    expect(sourceLabel('manual')).toBe('Manual');
  });
});

describe('totalQuoteFor', () => {
  it('takes the picked currency, else USDT when traded, else the first asset', () => {
    expect(totalQuoteFor('EUR', ['BTC', 'USDT'])).toBe('EUR');
    expect(totalQuoteFor('', ['BTC', 'USDT'])).toBe('USDT');
    expect(totalQuoteFor('', ['BTC', 'EUR'])).toBe('BTC');
    expect(totalQuoteFor('', [])).toBeNull();
  });
});
