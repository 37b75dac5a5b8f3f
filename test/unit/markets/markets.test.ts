import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDecimal, rescale, unwrap } from '../../../src-main/domain/money';
import type { MarketConfig } from '../../../src-main/domain/markets';
import {
  DEFAULT_ASSETS,
  DEFAULT_MARKETS,
  baseUnits,
  checkOrderSize,
  compileMarket,
  compileMarkets,
  lotsToQty,
  marketAllows,
  notionalQuoteUnits,
  priceBand,
  priceToTicks,
  qtyToLots,
  quoteAmountToUnits,
  ticksToPrice,
} from '../../../src-main/domain/markets';

const specs = unwrap(compileMarkets(DEFAULT_ASSETS, DEFAULT_MARKETS));
const btcUsdt = specs.get('BTC/USDT')!;
const eurUsd = specs.get('EUR/USD')!;
const ethBtc = specs.get('ETH/BTC')!;
const base: MarketConfig = DEFAULT_MARKETS[0]!;

function issueFields(config: Partial<MarketConfig>): string[] {
  const result = compileMarket({ ...base, ...config }, DEFAULT_ASSETS);
  if (result.ok) return [];
  expect(result.error.code).toBe('invalid_market');
  return (result.error.details!.issues as { field: string }[]).map((i) => i.field);
}

describe('default markets', () => {
  it('all compile, each tick × lot is one quote minor unit', () => {
    expect([...specs.keys()]).toEqual(['BTC/USDT', 'ETH/USDT', 'ETH/BTC', 'EUR/USD']);
    for (const spec of specs.values()) expect(spec.tickLotQuoteUnits).toBe(1n);
  });

  it('compiles integers for BTC/USDT', () => {
    expect(btcUsdt).toMatchObject({ priceScale: 2, tickUnits: 1n, qtyScale: 4, lotUnits: 1n });
    expect(btcUsdt.lotBaseUnits).toBe(10_000n);
    expect(btcUsdt.minQtyLots).toBe(1n);
    expect(btcUsdt.minNotionalUnits).toBe(5_000_000n);
  });
});

describe('market validation', () => {
  it.each<[Partial<MarketConfig>, string]>([
    [{ symbol: 'BTC-USDT' }, 'symbol'],
    [{ tickSize: '0' }, 'tickSize'],
    [{ tickSize: '-0.01' }, 'tickSize'],
    [{ tickSize: '0.0000001' }, 'lotSize'],
    [{ tickSize: '0.0000000000000000001' }, 'tickSize'],
    [{ lotSize: '0.000000001' }, 'lotSize'],
    [{ lotSize: '0.00001' }, 'lotSize'],
    [{ minQty: '0.00015' }, 'minQty'],
    [{ minQty: '0' }, 'minQty'],
    [{ minNotional: '0.0000001' }, 'minNotional'],
    [{ makerFeePpm: 3000 }, 'makerFeePpm'],
    [{ takerFeePpm: 1.5 }, 'takerFeePpm'],
    [{ status: 'open' as never }, 'status'],
    [{ priceBandBps: 0 }, 'priceBandBps'],
  ])('refuses %j (field %s)', (change, field) => {
    expect(issueFields(change)).toContain(field);
  });

  it('refuses unknown assets and reports every issue at once', () => {
    expect(issueFields({ base: 'XRP', symbol: 'XRP/USDT' })).toEqual(['base']);
    expect(issueFields({ tickSize: '0', makerFeePpm: -1, priceBandBps: 10_001 })).toEqual(
      expect.arrayContaining(['tickSize', 'makerFeePpm', 'priceBandBps']),
    );
  });

  it('accepts trailing zeros in increments and a coarser tick', () => {
    const spec = unwrap(
      compileMarket({ ...base, tickSize: '0.50', lotSize: '0.00001' }, DEFAULT_ASSETS),
    );
    expect(spec.priceScale).toBe(1);
    expect(spec.tickUnits).toBe(5n);
    expect(spec.tickLotQuoteUnits).toBe(5n);
  });

  it('refuses duplicate symbols and bad assets in a catalogue', () => {
    const dup = compileMarkets(DEFAULT_ASSETS, [base, base]);
    expect(dup.ok ? null : dup.error.code).toBe('invalid_market');
    const badAsset = compileMarkets([...DEFAULT_ASSETS, { code: 'btc', scale: 8, name: 'x' }], []);
    expect(badAsset.ok ? null : badAsset.error.code).toBe('invalid_asset');
  });
});

describe('edge conversions', () => {
  it('prices to ticks and back', () => {
    expect(priceToTicks(btcUsdt, '30000.00')).toEqual({ ok: true, value: 3_000_000 });
    expect(priceToTicks(btcUsdt, '30000')).toEqual({ ok: true, value: 3_000_000 });
    expect(ticksToPrice(btcUsdt, 3_000_000)).toBe('30000.00');
    expect(priceToTicks(eurUsd, '1.0842')).toEqual({ ok: true, value: 10_842 });
    expect(ticksToPrice(ethBtc, 5_123n)).toBe('0.05123');
  });

  it.each([
    ['30000.001', 'tick_size'],
    ['30000.0000001', 'tick_size'],
    ['0', 'invalid_price'],
    ['-1', 'invalid_price'],
    ['1e4', 'invalid_decimal'],
  ])('refuses price %s with %s', (price, code) => {
    const result = priceToTicks(btcUsdt, price);
    expect(result.ok ? null : result.error.code).toBe(code);
  });

  it('quantities to lots and back', () => {
    expect(qtyToLots(btcUsdt, '0.5')).toEqual({ ok: true, value: 5000 });
    expect(lotsToQty(btcUsdt, 5000)).toBe('0.5000');
    expect(qtyToLots(eurUsd, '150')).toMatchObject({ ok: false, error: { code: 'lot_size' } });
    expect(qtyToLots(btcUsdt, '0.00005')).toMatchObject({ ok: false, error: { code: 'lot_size' } });
    expect(qtyToLots(btcUsdt, '0.000000001')).toMatchObject({
      ok: false,
      error: { code: 'lot_size' },
    });
    expect(qtyToLots(btcUsdt, '0')).toMatchObject({
      ok: false,
      error: { code: 'invalid_quantity' },
    });
  });

  it('computes exact notionals and base units', () => {
    // 0.5 BTC × 30000.00 USDT = 15000 USDT = 15 000 000 000 µUSDT
    expect(notionalQuoteUnits(btcUsdt, 3_000_000, 5000)).toBe(15_000_000_000n);
    expect(baseUnits(btcUsdt, 5000)).toBe(50_000_000n);
    // 200 EUR × 1.0842 = 216.84 USD
    expect(notionalQuoteUnits(eurUsd, 10_842, 2)).toBe(21_684n);
    expect(quoteAmountToUnits(btcUsdt, '100.5')).toEqual({ ok: true, value: 100_500_000n });
  });

  it('round-trips ticks and lots through decimals (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (n) => {
        for (const spec of specs.values()) {
          expect(priceToTicks(spec, ticksToPrice(spec, n))).toEqual({ ok: true, value: n });
          expect(qtyToLots(spec, lotsToQty(spec, n))).toEqual({ ok: true, value: n });
        }
      }),
    );
  });

  it('notional equals price × quantity computed from the decimals (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (ticks, lots) => {
          for (const spec of specs.values()) {
            const price = unwrap(parseDecimal(ticksToPrice(spec, ticks), 18));
            const qty = unwrap(parseDecimal(lotsToQty(spec, lots), 18));
            // price × qty carries 36 decimals; back to the quote's scale it must be exact
            const product = price * qty;
            const divisor = 10n ** BigInt(36 - spec.quote.scale);
            expect(product % divisor).toBe(0n);
            expect(notionalQuoteUnits(spec, ticks, lots)).toBe(
              rescale(product, 36, spec.quote.scale, 'floor'),
            );
          }
        },
      ),
    );
  });

  it('checks minimum size and notional', () => {
    expect(checkOrderSize(btcUsdt, 3_000_000, 2)).toEqual({ ok: true, value: true });
    expect(checkOrderSize(btcUsdt, 100, 1)).toMatchObject({
      ok: false,
      error: { code: 'min_notional' },
    });
    expect(checkOrderSize(btcUsdt, 3_000_000, 0)).toMatchObject({
      ok: false,
      error: { code: 'min_qty' },
    });
  });

  it('computes the price band inside the bounds', () => {
    expect(priceBand(btcUsdt, 3_000_000)).toEqual({ minTicks: 2_700_000n, maxTicks: 3_300_000n });
    expect(priceBand(btcUsdt, 15)).toEqual({ minTicks: 14n, maxTicks: 16n });
    expect(priceBand(eurUsd, 1)).toEqual({ minTicks: 1n, maxTicks: 1n });
  });

  it('knows what each status allows', () => {
    expect(marketAllows('trading', 'place')).toBe(true);
    expect(marketAllows('cancel_only', 'place')).toBe(false);
    expect(marketAllows('cancel_only', 'cancel')).toBe(true);
    expect(marketAllows('halted', 'cancel')).toBe(false);
  });
});
