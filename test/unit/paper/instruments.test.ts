import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INSTRUMENTS,
  DEFAULT_PAPER_CONFIG,
  applyFill,
  belowMaintenance,
  commissionOf,
  compileInstrument,
  executionPrice,
  financingCharge,
  financingPeriodStart,
  indexFromTouch,
  instrumentProblem,
  liquidationPrice,
  maintenanceFor,
  marginFor,
  nextFinancingAt,
  notional,
  pnlOf,
  quoteAroundIndex,
  type InstrumentSpec,
} from '../../../src-main/domain/paper';

// BTC-FUT: whole contracts, prices in tenths of a dollar, 0.01 BTC per contract, USDT (6).
const btcSpec = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTC-FUT')!;
const btc = compileInstrument(btcSpec, 6);
const usdt = (v: number) => BigInt(Math.round(v * 1e6));
const bp = (v: number) => BigInt(Math.round(v * 10)); // BTC-FUT price units

// A CFD on EUR/USD: lots of 100,000 EUR in 0.01 steps, 5-decimal prices, USD (2).
const eurSpec: InstrumentSpec = {
  ...btcSpec,
  symbol: 'EURUSD-CFD',
  kind: 'cfd',
  quoteAsset: 'USD',
  priceSource: 'EUR/USD',
  tickSize: '0.00001',
  lotSize: '0.01',
  minQty: '0.01',
  maxQty: '50',
  multiplier: '100000',
  initialMargin: '0',
  maintenanceMargin: '0',
  initialMarginPpm: 50_000,
  maintenanceMarginPpm: 25_000,
  commissionPerContract: '0',
  commissionPpm: 20,
  financingRatePpm: -30,
  financingIntervalHours: 24,
};
const eur = compileInstrument(eurSpec, 2);
const usd = (v: number) => BigInt(Math.round(v * 100));

describe('futures arithmetic (BTC-FUT: 0.01 BTC per contract)', () => {
  it('compiles scales from tick, lot and multiplier', () => {
    expect(btc).toMatchObject({ baseScale: 0, priceScale: 1, quoteScale: 6, tickUnits: 1n });
    expect(btc.contract).toMatchObject({ multiplier: 1n, multiplierScale: 2 });
  });

  it('notional and P&L are contracts × multiplier × price (move)', () => {
    // 2 × 0.01 × 65,000 = 1,300 USDT
    expect(notional(btc, 2n, bp(65000), 'ceil')).toBe(usdt(1300));
    // 2 × 0.01 × (64,000 − 65,000) = −20 USDT; a short gains it
    expect(pnlOf(btc, 2n, bp(65000), bp(64000))).toBe(usdt(-20));
    expect(pnlOf(btc, -2n, bp(65000), bp(64000))).toBe(usdt(20));
    // 3 × 0.01 × 0.1 = 0.003 USDT
    expect(pnlOf(btc, 3n, bp(65000), bp(65000.1))).toBe(usdt(0.003));
  });

  it('holds the initial margin per contract, whatever the leverage', () => {
    expect(marginFor(btc, 2n, bp(65000), 1)).toBe(usdt(130));
    expect(marginFor(btc, -2n, bp(10), 50)).toBe(usdt(130));
    expect(maintenanceFor(btc, -2n, bp(70000))).toBe(usdt(65));
  });

  it('charges commission per contract, and ppm of the notional when set', () => {
    expect(commissionOf(btc, DEFAULT_PAPER_CONFIG, -3n, bp(65000))).toBe(usdt(0.15));
    const both = compileInstrument({ ...btcSpec, commissionPpm: 100 }, 6);
    // 0.15 + 1,950 × 0.0001 = 0.345
    expect(commissionOf(both, DEFAULT_PAPER_CONFIG, 3n, bp(65000))).toBe(usdt(0.345));
  });

  it('keeps margin per contract when a fill adds, reduces or flips', () => {
    const open = applyFill(btc, null, 2n, bp(65000), 1, 0).position!;
    expect(open.margin).toBe(usdt(130));
    const added = applyFill(btc, open, 1n, bp(66500), 1, 1).position!;
    expect(added).toMatchObject({ qty: 3n, entryPrice: bp(65500), margin: usdt(195) });
    const flipped = applyFill(btc, added, -5n, bp(66000), 1, 2);
    // closes 3 at +500 × 0.03 = +15, opens 2 short
    expect(flipped.realised).toBe(usdt(15));
    expect(flipped.position).toMatchObject({ qty: -2n, margin: usdt(130) });
  });

  it('quotes the instrument around its index with its own spread, on its ticks', () => {
    // 65,000 × (1 ∓ 0.00005) = 64,996.75 / 65,003.25 → 64,996.7 / 65,003.3
    expect(quoteAroundIndex(btc, bp(65000), 100)).toEqual({
      bid: bp(64996.7),
      ask: bp(65003.3),
    });
    // SPX-FUT (tick 0.25): 5,000 × (1 ∓ 0.000025) = 4,999.875 / 5,000.125 → 4,999.75 / 5,000.25
    const spx = compileInstrument(
      DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'SPX-FUT')!,
      2,
    );
    expect(quoteAroundIndex(spx, 500000n, 50)).toEqual({ bid: 499975n, ask: 500025n });
    // The account's spread is not added again; slippage still is (none here).
    const cfg = { ...DEFAULT_PAPER_CONFIG, slippagePpmPer10k: 0 };
    expect(executionPrice(btc, cfg, 'buy', 1n, { bid: bp(64996.7), ask: bp(65003.3) }).price).toBe(
      bp(65003.3),
    );
  });

  it('takes the index as the mid of a book, at the instrument’s price scale', () => {
    // BTC/USDT in cents: (64,999.99 + 65,000.02) / 2 = 65,000.005 → 65,000.0 at one decimal
    expect(indexFromTouch({ bid: 6499999n, ask: 6500002n }, 2, 1)).toBe(bp(65000));
    expect(indexFromTouch({ bid: 6499999n, ask: 6500002n }, 2, 3)).toBe(65000005n);
  });

  it('financing: longs pay shorts at a positive rate, rounded against the trader', () => {
    // 2 × 0.01 × 65,000 × 0.0001 = 0.13 USDT
    expect(financingCharge(btc, 2n, bp(65000), 100)).toBe(usdt(-0.13));
    expect(financingCharge(btc, -2n, bp(65000), 100)).toBe(usdt(0.13));
    // 1 × 0.01 × 65,000.1 × 0.0001 = 0.0650001 → pays 0.065001, a short receives 0.065
    expect(financingCharge(btc, 1n, bp(65000.1), 100)).toBe(usdt(-0.065001));
    expect(financingCharge(btc, -1n, bp(65000.1), 100)).toBe(usdt(0.065));
    // A negative rate: shorts pay longs.
    expect(financingCharge(btc, -2n, bp(65000), -100)).toBe(usdt(-0.13));
  });

  it('financing periods are aligned to the epoch', () => {
    const h = 3_600_000;
    expect(financingPeriodStart(24 * h + 5, 8)).toBe(24 * h);
    expect(financingPeriodStart(24 * h - 1, 8)).toBe(16 * h);
    expect(nextFinancingAt(24 * h, 8)).toBe(32 * h);
  });

  it('liquidation price solves equity = maintenance', () => {
    // 200 + 0.02 × (P − 65,000) = 65 → P = 58,250; a short: 71,750
    expect(liquidationPrice(btc, 2n, bp(65000), usdt(200), 0n)).toBe(bp(58250));
    expect(liquidationPrice(btc, -2n, bp(65000), usdt(200), 0n)).toBe(bp(71750));
    // Another position's maintenance (30) counts: 0.02 × (P − 65,000) = −105 → 59,750
    expect(liquidationPrice(btc, 2n, bp(65000), usdt(200), usdt(30))).toBe(bp(59750));
    // Enough equity for any fall: no liquidation price.
    expect(liquidationPrice(btc, 1n, bp(100), usdt(1000), 0n)).toBeNull();
    expect(belowMaintenance(usdt(65), usdt(65))).toBe(true);
    expect(belowMaintenance(usdt(65.000001), usdt(65))).toBe(false);
    expect(belowMaintenance(usdt(-1), 0n)).toBe(false);
  });
});

describe('CFD arithmetic (EUR/USD lots of 100,000)', () => {
  it('margin is a rate of the notional, maintenance at the mark', () => {
    expect(eur).toMatchObject({ baseScale: 2, priceScale: 5, quoteScale: 2 });
    // 0.10 × 100,000 × 1.10000 = 11,000 USD; 5 % = 550
    expect(notional(eur, 10n, 110000n, 'ceil')).toBe(usd(11000));
    expect(marginFor(eur, 10n, 110000n, 30)).toBe(usd(550));
    // at 1.08: 10,800 × 2.5 % = 270
    expect(maintenanceFor(eur, 10n, 108000n)).toBe(usd(270));
    // 0.10 lot from 1.10000 to 1.10010: 10,000 × 0.0001 = 1 USD
    expect(pnlOf(eur, 10n, 110000n, 110010n)).toBe(usd(1));
    // 20 ppm of 11,000 = 0.22
    expect(commissionOf(eur, DEFAULT_PAPER_CONFIG, 10n, 110000n)).toBe(usd(0.22));
  });

  it('liquidation price with a maintenance rate', () => {
    // 1,000 + 10,000 × (P − 1.1) = 10,000 × P × 0.025 → P = 10,000 / 9,750 = 1.0256410… ↑ 1.02565
    expect(liquidationPrice(eur, 10n, 110000n, usd(1000), 0n)).toBe(102565n);
    // short: 1,000 − 10,000 × (P − 1.1) = 250 P → P = 12,000 / 10,250 = 1.1707317… ↓ 1.17073
    expect(liquidationPrice(eur, -10n, 110000n, usd(1000), 0n)).toBe(117073n);
  });

  it('financing at a negative rate: shorts pay', () => {
    // 0.10 × 100,000 × 1.1 × 0.00003 = 0.33
    expect(financingCharge(eur, 10n, 110000n, -30)).toBe(usd(0.33));
    expect(financingCharge(eur, -10n, 110000n, -30)).toBe(usd(-0.33));
  });
});

describe('instrument validation', () => {
  it('accepts the seeded instruments', () => {
    expect(instrumentProblem(btcSpec, 6)).toBeNull();
    expect(instrumentProblem(DEFAULT_INSTRUMENTS[1]!, 2)).toBeNull();
    expect(instrumentProblem(eurSpec, 2)).toBeNull();
  });

  it.each([
    [{ symbol: 'BTC/FUT' }, 'symbol'],
    [{ priceSource: 'nowhere' }, 'priceSource'],
    [{ tickSize: '0' }, 'tickSize'],
    [{ minQty: '1.5' }, 'minQty'],
    [{ maxQty: '0.5', minQty: '1' }, 'maxQty'],
    [{ initialMargin: '0' }, 'initialMargin'],
    [{ maintenanceMargin: '70' }, 'maintenanceMargin'],
    [{ commissionPerContract: '0.0000001' }, 'commissionPerContract'],
    [{ financingIntervalHours: 0 }, 'financingIntervalHours'],
    [{ financingRatePpm: 1.5 }, 'financingRatePpm'],
  ] as const)('refuses %o', (change, field) => {
    expect(instrumentProblem({ ...btcSpec, ...change }, 6)?.field).toBe(field);
  });

  it('a CFD needs rates with maintenance at most initial', () => {
    expect(instrumentProblem({ ...eurSpec, maintenanceMarginPpm: 60_000 }, 2)?.field).toBe(
      'maintenanceMarginPpm',
    );
    expect(instrumentProblem({ ...eurSpec, initialMarginPpm: 0 }, 2)?.field).toBe(
      'initialMarginPpm',
    );
  });
});
