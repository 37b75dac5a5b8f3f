import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAPER_CONFIG,
  applyFill,
  bracketHit,
  bracketProblem,
  capAtLimit,
  commissionOf,
  executionPrice,
  marginState,
  paperConfigProblem,
  pendingTriggered,
  pnlOf,
  summarise,
  type PaperMarket,
} from '../../../src-main/domain/paper';

// BTC/USDT: BTC 8 decimals, USDT 6, prices in cents (tick 0.01).
const m: PaperMarket = {
  symbol: 'BTC/USDT',
  baseScale: 8,
  quoteScale: 6,
  priceScale: 2,
  tickUnits: 1n,
};
const BTC = 100_000_000n;
const px = (usd: number) => BigInt(Math.round(usd * 100));
const usdt = (v: number) => BigInt(Math.round(v * 1e6));

describe('paper execution price', () => {
  it('buys at the ask plus half the spread and slippage, rounded up to a tick', () => {
    const cfg = { ...DEFAULT_PAPER_CONFIG, spreadPpm: 200, slippagePpmPer10k: 0 };
    // 30000 × (1 + 0.0001) = 30003.00
    expect(executionPrice(m, cfg, 'buy', BTC, { bid: px(29990), ask: px(30000) }).price).toBe(
      px(30003),
    );
    // 29990 × (1 − 0.0001) = 29987.001 → floor to 29987.00
    expect(executionPrice(m, cfg, 'sell', BTC, { bid: px(29990), ask: px(30000) }).price).toBe(
      px(29987),
    );
  });

  it('slips more for bigger orders, up to the cap', () => {
    const cfg = { ...DEFAULT_PAPER_CONFIG, spreadPpm: 0, slippagePpmPer10k: 10 };
    const q = { bid: px(30000), ask: px(30000) };
    const small = executionPrice(m, cfg, 'buy', BTC / 100n, q); // 300 USDT → 1 ppm (ceil)
    const big = executionPrice(m, cfg, 'buy', 10n * BTC, q); // 300,000 USDT → 300 ppm
    expect(small.slippagePpm).toBe(1);
    expect(big.slippagePpm).toBe(300);
    expect(big.price).toBe(px(30009)); // 30000 × 1.0003
    const capped = executionPrice(m, { ...cfg, maxSlippagePpm: 50 }, 'buy', 10n * BTC, q);
    expect(capped.slippagePpm).toBe(50);
  });

  it('never favours the trader (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 7n }),
        fc.bigInt({ min: 0n, max: 1000n }),
        fc.bigInt({ min: 1n, max: 10n * BTC }),
        fc.integer({ min: 0, max: 10_000 }),
        (bid, gap, qty, spread) => {
          const cfg = { ...DEFAULT_PAPER_CONFIG, spreadPpm: spread };
          const q = { bid, ask: bid + gap };
          expect(executionPrice(m, cfg, 'buy', qty, q).price).toBeGreaterThanOrEqual(q.ask);
          const sell = executionPrice(m, cfg, 'sell', qty, q).price;
          expect(sell <= q.bid || sell === m.tickUnits).toBe(true);
        },
      ),
    );
  });
});

describe('positions (netting)', () => {
  it('averages entries in the same direction and realises on reduction', () => {
    let r = applyFill(m, null, BTC, px(30000), 5, 1);
    expect(r.position).toMatchObject({ qty: BTC, entryPrice: px(30000), margin: usdt(6000) });
    r = applyFill(m, r.position, BTC, px(31000), 5, 2);
    expect(r.position).toMatchObject({ qty: 2n * BTC, entryPrice: px(30500), leverage: 5 });
    expect(r.position!.margin).toBe(usdt(12200));
    r = applyFill(m, r.position, -BTC / 2n, px(32000), 5, 3); // sell 0.5 at +1500
    expect(r.realised).toBe(usdt(750));
    expect(r.closedQty).toBe(BTC / 2n);
    expect(r.position).toMatchObject({ qty: (3n * BTC) / 2n, entryPrice: px(30500) });
    expect(r.position!.realised).toBe(usdt(750));
    r = applyFill(m, r.position, (-3n * BTC) / 2n, px(30000), 5, 4); // the rest at −500
    expect(r.position).toBeNull();
    expect(r.realised).toBe(usdt(-750));
  });

  it('flips: closes the position and opens the remainder the other way, without brackets', () => {
    const long = { ...applyFill(m, null, BTC, px(30000), 2, 1).position!, stopLoss: px(29000) };
    const r = applyFill(m, long, -3n * BTC, px(29500), 2, 2);
    expect(r.realised).toBe(usdt(-500));
    expect(r.position).toMatchObject({ qty: -2n * BTC, entryPrice: px(29500), stopLoss: null });
    expect(r.openedQty).toBe(2n * BTC);
  });

  it('short P&L is the mirror of long', () => {
    expect(pnlOf(m, -BTC, px(30000), px(29000))).toBe(usdt(1000));
    expect(pnlOf(m, BTC, px(30000), px(29000))).toBe(usdt(-1000));
    // A fraction of a minor unit is never paid out: −0.000001 rounds down.
    expect(pnlOf(m, 1n, px(30000), px(29999.99))).toBe(-1n);
  });

  it('commission is a ppm of notional, rounded up', () => {
    expect(commissionOf(m, DEFAULT_PAPER_CONFIG, BTC, px(30000))).toBe(usdt(15)); // 0.05 %
    expect(commissionOf(m, DEFAULT_PAPER_CONFIG, 1n, px(1))).toBe(1n);
  });
});

describe('margin and brackets', () => {
  it('margin level against the call and stop-out thresholds', () => {
    const cfg = DEFAULT_PAPER_CONFIG; // call 100 %, stop-out 50 %
    expect(marginState(summarise(usdt(1000), 0n, 0n), cfg)).toBe('ok');
    expect(summarise(usdt(1000), usdt(-200), usdt(400)).marginLevelBp).toBe(20_000n); // 200 %
    expect(marginState(summarise(usdt(1000), usdt(-600), usdt(400)), cfg)).toBe('margin_call'); // 100 %
    expect(marginState(summarise(usdt(1000), usdt(-801), usdt(400)), cfg)).toBe('stop_out'); // 49.75 %
    expect(marginState(summarise(usdt(1000), usdt(-800), usdt(400)), cfg)).toBe('stop_out'); // 50 %
  });

  it('stop-loss and take-profit trigger on the side the position would close at', () => {
    const long = {
      ...applyFill(m, null, BTC, px(30000), 1, 1).position!,
      stopLoss: px(29000),
      takeProfit: px(32000),
    };
    expect(bracketHit(long, { bid: px(29500), ask: px(28000) })).toBeNull(); // the bid matters
    expect(bracketHit(long, { bid: px(29000), ask: px(29001) })).toBe('stop_loss');
    expect(bracketHit(long, { bid: px(32000), ask: px(32001) })).toBe('take_profit');
    const short = { ...long, qty: -BTC, stopLoss: px(31000), takeProfit: px(28000) };
    expect(bracketHit(short, { bid: px(31500), ask: px(30999) })).toBeNull(); // the ask matters
    expect(bracketHit(short, { bid: px(30990), ask: px(31000) })).toBe('stop_loss');
    expect(bracketHit(short, { bid: px(27990), ask: px(28000) })).toBe('take_profit');
  });

  it('refuses brackets on the wrong side of the market', () => {
    const q = { bid: px(30000), ask: px(30010) };
    expect(bracketProblem(BTC, px(30500), null, q)).toMatch(
      /stop-loss must be below the current bid/,
    );
    expect(bracketProblem(BTC, null, px(29000), q)).toMatch(/take-profit must be above/);
    expect(bracketProblem(-BTC, px(30000), null, q)).toMatch(
      /stop-loss must be above the current ask/,
    );
    expect(bracketProblem(-BTC, px(31000), px(29000), q)).toBeNull();
  });

  it('validates the execution model', () => {
    expect(paperConfigProblem(DEFAULT_PAPER_CONFIG)).toBeNull();
    expect(paperConfigProblem({ ...DEFAULT_PAPER_CONFIG, maxLeverage: 0 })).toMatch(/maxLeverage/);
    expect(paperConfigProblem({ ...DEFAULT_PAPER_CONFIG, defaultLeverage: 20 })).toMatch(
      /defaultLeverage/,
    );
    expect(
      paperConfigProblem({ ...DEFAULT_PAPER_CONFIG, marginCallLevelPct: 40, stopOutLevelPct: 50 }),
    ).toMatch(/marginCallLevelPct/);
  });
});

describe('leverage on an existing position', () => {
  it('adding at a new leverage re-margins the whole position; reducing keeps it', () => {
    const first = applyFill(m, null, BTC, px(30000), 1, 1).position!;
    const added = applyFill(m, first, BTC, px(30000), 5, 2).position!;
    expect(added).toMatchObject({ leverage: 5, margin: usdt(12000) });
    const reduced = applyFill(m, added, -BTC, px(30000), 20, 3).position!;
    expect(reduced).toMatchObject({ leverage: 5, margin: usdt(6000) });
  });
});

describe('paper limit and stop orders', () => {
  const q = { bid: px(29990), ask: px(30000) };
  it('trigger on the side they execute against', () => {
    expect(pendingTriggered({ side: 'buy', type: 'limit', price: px(30000) }, q)).toBe(true);
    expect(pendingTriggered({ side: 'buy', type: 'limit', price: px(29999) }, q)).toBe(false);
    expect(pendingTriggered({ side: 'sell', type: 'limit', price: px(29990) }, q)).toBe(true);
    expect(pendingTriggered({ side: 'sell', type: 'limit', price: px(29991) }, q)).toBe(false);
    expect(pendingTriggered({ side: 'buy', type: 'stop', price: px(30000) }, q)).toBe(true);
    expect(pendingTriggered({ side: 'buy', type: 'stop', price: px(30001) }, q)).toBe(false);
    expect(pendingTriggered({ side: 'sell', type: 'stop', price: px(29990) }, q)).toBe(true);
    expect(pendingTriggered({ side: 'sell', type: 'stop', price: px(29989) }, q)).toBe(false);
  });
  it('a limit never fills worse than its price', () => {
    expect(capAtLimit('buy', px(30003), px(30000))).toBe(px(30000));
    expect(capAtLimit('buy', px(29900), px(30000))).toBe(px(29900));
    expect(capAtLimit('sell', px(29987), px(29990))).toBe(px(29990));
    expect(capAtLimit('sell', px(30100), px(29990))).toBe(px(30100));
  });
});
