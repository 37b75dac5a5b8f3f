import type { Result } from '../money';
import { err } from '../money';
import type { MakerConfig, SimulatorConfig, TakerConfig } from './config';
import { decimalToSteps } from './steps';
import { validateConfig } from './validate';

/** Defaults as people write them: prices and sizes in decimal strings, the rest plain. */
export interface SimulatorDefaults {
  /** Start reference price in quote per base. */
  startPrice: string;
  /** Annualised volatility of the default random walk, percent. */
  annualVolPct: number;
  maker: Omit<MakerConfig, 'sizePerLevel' | 'maxInventory'> & {
    sizePerLevel: string;
    maxInventory: string;
  };
  taker: Omit<TakerConfig, 'medianQty' | 'minQty' | 'maxQty'> & {
    medianQty: string;
    minQty: string;
    maxQty: string;
  };
}

/** Taker settings shared by the crypto pairs: one order every two seconds on average. */
const CRYPTO_TAKER = {
  ratePerSecond: 0.5,
  sizeSigma: 1,
  trendBias: 0.2,
  slippageBps: 50,
  maxPerStep: 20,
};

/**
 * Defaults per default market. Spreads are a few ticks wide at the start price; taker
 * minimum sizes clear each market's minimum notional with room for a 25 % price fall
 * (e.g. ETH/USDT 0.002 ETH ≈ 6.4 USDT > 5). ETH/BTC's tick is ~2 bps of its price and
 * EUR/USD's ~0.9 bps, hence their wider bps settings.
 */
export const SIMULATOR_DEFAULTS: Readonly<Record<string, SimulatorDefaults>> = {
  'BTC/USDT': {
    startPrice: '65000',
    annualVolPct: 60,
    maker: {
      spreadBps: 4,
      levels: 10,
      levelSpacingBps: 2,
      sizePerLevel: '0.05',
      sizeJitter: 0.5,
      inventorySkewBps: 10,
      maxInventory: '5',
      refreshThresholdBps: 3,
    },
    taker: { ...CRYPTO_TAKER, medianQty: '0.01', minQty: '0.0002', maxQty: '1' },
  },
  'ETH/USDT': {
    startPrice: '3200',
    annualVolPct: 70,
    maker: {
      spreadBps: 5,
      levels: 10,
      levelSpacingBps: 2,
      sizePerLevel: '1',
      sizeJitter: 0.5,
      inventorySkewBps: 10,
      maxInventory: '100',
      refreshThresholdBps: 3,
    },
    taker: { ...CRYPTO_TAKER, medianQty: '0.2', minQty: '0.002', maxQty: '20' },
  },
  'ETH/BTC': {
    startPrice: '0.049',
    annualVolPct: 40,
    maker: {
      spreadBps: 10,
      levels: 8,
      levelSpacingBps: 4,
      sizePerLevel: '1',
      sizeJitter: 0.5,
      inventorySkewBps: 12,
      maxInventory: '100',
      refreshThresholdBps: 6,
    },
    taker: { ...CRYPTO_TAKER, medianQty: '0.2', minQty: '0.003', maxQty: '20' },
  },
  'EUR/USD': {
    startPrice: '1.08',
    annualVolPct: 8,
    maker: {
      spreadBps: 2,
      levels: 8,
      levelSpacingBps: 1,
      sizePerLevel: '100000',
      sizeJitter: 0.5,
      inventorySkewBps: 3,
      maxInventory: '5000000',
      refreshThresholdBps: 1.5,
    },
    taker: {
      ...CRYPTO_TAKER,
      slippageBps: 20,
      medianQty: '10000',
      minQty: '100',
      maxQty: '1000000',
    },
  },
};

/** The market increments the conversion needs (decimal strings, as in `MarketConfig`). */
export interface MarketSteps {
  tickSize: string;
  lotSize: string;
}

function convert(fields: Record<string, string>, step: string): Result<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(fields)) {
    const r = decimalToSteps(v, step);
    if (!r.ok)
      return { ok: false, error: { ...r.error, details: { ...r.error.details, field: k } } };
    out[k] = r.value;
  }
  return { ok: true, value: out };
}

/** Converts decimal defaults to engine units for a market and validates (walk reference). */
export function compileDefaults(
  d: SimulatorDefaults,
  market: MarketSteps,
): Result<SimulatorConfig> {
  const price = convert({ startPrice: d.startPrice }, market.tickSize);
  const lots = convert(
    {
      sizePerLevel: d.maker.sizePerLevel,
      maxInventory: d.maker.maxInventory,
      medianQty: d.taker.medianQty,
      minQty: d.taker.minQty,
      maxQty: d.taker.maxQty,
    },
    market.lotSize,
  );
  if (!price.ok) return price;
  if (!lots.ok) return lots;
  const n = (k: string): number => lots.value[k] ?? 0;
  return validateConfig({
    startPrice: price.value.startPrice ?? 0,
    reference: { kind: 'walk', annualVolPct: d.annualVolPct, annualDriftPct: 0 },
    maker: { ...d.maker, sizePerLevel: n('sizePerLevel'), maxInventory: n('maxInventory') },
    taker: { ...d.taker, medianQty: n('medianQty'), minQty: n('minQty'), maxQty: n('maxQty') },
  });
}

/** The default configuration of a default market by symbol, in that market's units. */
export function defaultConfigFor(symbol: string, market: MarketSteps): Result<SimulatorConfig> {
  const d = SIMULATOR_DEFAULTS[symbol];
  if (!d) return err('sim_unknown_market', `no simulator defaults for ${symbol}`, { symbol });
  return compileDefaults(d, market);
}
