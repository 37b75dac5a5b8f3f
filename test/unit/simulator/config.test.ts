import { describe, expect, it } from 'vitest';
import {
  SIMULATOR_DEFAULTS,
  compileDefaults,
  createSimulator,
  defaultConfigFor,
  tune,
  validateConfig,
} from '../../../src-main/domain/simulator';
import { testConfig } from './helpers';

/** Tick and lot sizes of the default markets (copied: the markets module is still moving). */
const MARKETS: Record<string, { tickSize: string; lotSize: string }> = {
  'BTC/USDT': { tickSize: '0.01', lotSize: '0.0001' },
  'ETH/USDT': { tickSize: '0.01', lotSize: '0.0001' },
  'ETH/BTC': { tickSize: '0.00001', lotSize: '0.001' },
  'EUR/USD': { tickSize: '0.0001', lotSize: '100' },
};

const code = (r: {
  ok: boolean;
  error?: { code: string; details?: Record<string, unknown> };
}): string => (r.ok ? 'ok' : `${r.error?.code}:${String(r.error?.details?.field)}`);

describe('defaults', () => {
  it('compile to valid engine units for every default market', () => {
    const starts: Record<string, number> = {
      'BTC/USDT': 6_500_000,
      'ETH/USDT': 320_000,
      'ETH/BTC': 4_900,
      'EUR/USD': 10_800,
    };
    for (const [symbol, m] of Object.entries(MARKETS)) {
      const r = defaultConfigFor(symbol, m);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.startPrice).toBe(starts[symbol]);
      expect(r.value.taker.minQty).toBeLessThanOrEqual(r.value.taker.maxQty);
    }
    const btc = defaultConfigFor('BTC/USDT', MARKETS['BTC/USDT']!);
    expect(btc.ok && [btc.value.maker.sizePerLevel, btc.value.taker.minQty]).toEqual([500, 2]);
    expect(code(defaultConfigFor('XRP/USD', MARKETS['BTC/USDT']!))).toBe(
      'sim_unknown_market:undefined',
    );
    expect(
      code(compileDefaults(SIMULATOR_DEFAULTS['EUR/USD']!, { tickSize: '0.0001', lotSize: 'abc' })),
    ).toBe('sim_bad_decimal:sizePerLevel');
  });
});

describe('validation and tune', () => {
  it('refuses bad fields with stable codes', () => {
    const c = testConfig();
    expect(code(validateConfig(c))).toBe('ok');
    expect(code(validateConfig({ ...c, startPrice: 0.5 }))).toBe('sim_not_integer:startPrice');
    expect(code(validateConfig({ ...c, maker: { ...c.maker, levels: 2.5 } }))).toBe(
      'sim_not_integer:maker.levels',
    );
    expect(code(validateConfig({ ...c, maker: { ...c.maker, sizeJitter: 1 } }))).toBe(
      'sim_out_of_range:maker.sizeJitter',
    );
    expect(code(validateConfig({ ...c, taker: { ...c.taker, minQty: 300 } }))).toBe(
      'sim_min_above_max:taker.minQty',
    );
    expect(
      code(
        validateConfig({ ...c, reference: { kind: 'walk', annualVolPct: -1, annualDriftPct: 0 } }),
      ),
    ).toBe('sim_out_of_range:reference.annualVolPct');
    expect(code(validateConfig({ ...c, maker: { ...c.maker, spreadBps: NaN } }))).toBe(
      'sim_out_of_range:maker.spreadBps',
    );
  });

  it('merges partial tunings and leaves the state alone on refusal', () => {
    const s = createSimulator(testConfig(), 1);
    if (!s.ok) throw new Error('config');
    const t = tune(s.value, { maker: { spreadBps: 30 }, reference: { kind: 'feed' } });
    expect(
      t.ok && [
        t.value.config.maker.spreadBps,
        t.value.config.maker.levels,
        t.value.config.reference.kind,
      ],
    ).toEqual([30, 5, 'feed']);
    expect(s.value.config.maker.spreadBps).toBe(10);
    expect(code(tune(s.value, { taker: { ratePerSecond: -1 } }))).toBe(
      'sim_out_of_range:taker.ratePerSecond',
    );
    expect(code(tune(s.value, { maker: { colour: 1 } as never }))).toBe(
      'sim_unknown_field:maker.colour',
    );
    expect(code(tune(s.value, { startPrice: 5 } as never))).toBe('sim_unknown_field:startPrice');
    expect(code(createSimulator({ ...testConfig(), startPrice: 0 }, 1))).toBe(
      'sim_not_integer:startPrice',
    );
  });
});
