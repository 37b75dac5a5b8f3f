import { describe, expect, it } from 'vitest';
import { compileMarket, DEFAULT_ASSETS, DEFAULT_MARKETS } from '../../../src-main/domain/markets';
import { trailAmountOf } from '../../../src-main/connectors/local-exchange/trail-amount';

// An alert's trailing distance in price units, read against a market as the local exchange
// takes it: on the tick or refused with a reason that says so, never rounded.

const config = DEFAULT_MARKETS.find((m) => m.symbol === 'BTC/USDT')!;
const spec = (tickSize = config.tickSize) => {
  const compiled = compileMarket({ ...config, tickSize }, [...DEFAULT_ASSETS]);
  if (!compiled.ok) throw new Error(compiled.error.message);
  return compiled.value;
};

describe('trailAmountOf', () => {
  it('gives the distance in ticks and as the market writes prices', () => {
    expect(trailAmountOf(spec(), '150')).toEqual({ ok: true, ticks: 15_000, amount: '150.00' });
    expect(trailAmountOf(spec('0.05'), '0.15')).toEqual({ ok: true, ticks: 3, amount: '0.15' });
  });

  it.each([
    ['150.005', "150.005 has more decimals than BTC/USDT's tick (0.01); it is not rounded"],
    ['0', 'not a distance on BTC/USDT: distance must be positive: 0'],
    ['100000000000000', 'not a distance on BTC/USDT: distance '],
  ])('refuses %s, saying why in words for a distance', (amount, why) => {
    const r = trailAmountOf(spec(), amount);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.why).toContain(why);
  });

  it('refuses an amount between two ticks of a coarser grid', () => {
    expect(trailAmountOf(spec('0.05'), '0.12')).toEqual({
      ok: false,
      why: "0.12 is not a multiple of BTC/USDT's tick (0.05); it is not rounded",
    });
  });
});
