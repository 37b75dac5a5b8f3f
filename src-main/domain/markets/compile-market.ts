import type { Result } from '../money';
import {
  MAX_SCALE,
  err,
  isValidPpm,
  isValidScale,
  ok,
  parseDecimal,
  pow10,
  significantDecimals,
} from '../money';
import type { Asset, MarketConfig, MarketSpec } from './types';

/** One thing wrong with a configuration, naming the field so a form can point at it. */
export interface ConfigIssue {
  field: string;
  message: string;
}

const ASSET_CODE_RE = /^[A-Z][A-Z0-9]{1,11}$/;
const STATUSES = new Set(['trading', 'halted', 'cancel_only']);

/** Lists what is wrong with an asset (empty when valid). */
export function assetIssues(asset: Asset): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!ASSET_CODE_RE.test(asset.code)) {
    issues.push({ field: 'code', message: 'code must be 2–12 upper-case letters/digits' });
  }
  if (!isValidScale(asset.scale)) issues.push({ field: 'scale', message: 'scale must be 0..18' });
  if (typeof asset.name !== 'string' || asset.name.trim() === '') {
    issues.push({ field: 'name', message: 'name is required' });
  }
  return issues;
}

/** A positive decimal increment split into (units, scale) with no superfluous zeros. */
interface Increment {
  units: bigint;
  scale: number;
}

/**
 * Parses tickSize or lotSize. A lot is an amount of base, so it must fit the base's scale;
 * a tick is a price (a ratio of quote to base, e.g. EUR/USD 0.0001 while USD has cents), so
 * it may be finer than the quote's scale: exactness is asked of tick × lot instead.
 */
function parseIncrement(
  field: string,
  text: string,
  maxScale: number,
  issues: ConfigIssue[],
): Increment | null {
  const parsed = parseDecimal(text, maxScale);
  const decimals = significantDecimals(text);
  if (!parsed.ok || !decimals.ok) {
    const why = parsed.ok ? '' : `: ${parsed.error.message}`;
    issues.push({
      field,
      message: `${field} must be a decimal with at most ${maxScale} decimals${why}`,
    });
    return null;
  }
  if (parsed.value <= 0n) {
    issues.push({ field, message: `${field} must be positive` });
    return null;
  }
  return { units: parsed.value / pow10(maxScale - decimals.value), scale: decimals.value };
}

/** Exact tick × lot in quote minor units, or null when it is a fraction of a minor unit. */
function tickLotUnits(tick: Increment, lot: Increment, quote: Asset): bigint | null {
  const numerator = tick.units * lot.units * pow10(quote.scale);
  const denominator = pow10(tick.scale + lot.scale);
  return numerator % denominator === 0n ? numerator / denominator : null;
}

function checkScalars(config: MarketConfig, issues: ConfigIssue[]): void {
  if (config.symbol !== `${config.base}/${config.quote}`) {
    issues.push({ field: 'symbol', message: `symbol must be ${config.base}/${config.quote}` });
  }
  if (config.base === config.quote)
    issues.push({ field: 'quote', message: 'quote must differ from base' });
  if (!isValidPpm(config.makerFeePpm))
    issues.push({ field: 'makerFeePpm', message: 'must be 0..1000000' });
  if (!isValidPpm(config.takerFeePpm))
    issues.push({ field: 'takerFeePpm', message: 'must be 0..1000000' });
  // Holds reserve the taker rate as the maximum fee; a higher maker rate could exceed the hold.
  if (config.makerFeePpm > config.takerFeePpm) {
    issues.push({ field: 'makerFeePpm', message: 'maker fee must not exceed taker fee' });
  }
  if (!STATUSES.has(config.status)) issues.push({ field: 'status', message: 'unknown status' });
  const band = config.priceBandBps;
  if (!Number.isInteger(band) || band < 1 || band > 10_000) {
    issues.push({ field: 'priceBandBps', message: 'must be an integer 1..10000' });
  }
}

function findAsset(
  code: string,
  field: string,
  assets: readonly Asset[],
  issues: ConfigIssue[],
): Asset | null {
  const asset = assets.find((a) => a.code === code);
  if (!asset) issues.push({ field, message: `unknown asset ${code}` });
  else if (assetIssues(asset).length > 0)
    issues.push({ field, message: `asset ${code} is invalid` });
  return asset ?? null;
}

function minQtyLots(
  config: MarketConfig,
  base: Asset,
  lot: Increment,
  issues: ConfigIssue[],
): bigint {
  const lotBaseUnits = lot.units * pow10(base.scale - lot.scale);
  const parsed = parseDecimal(config.minQty, base.scale);
  if (!parsed.ok || parsed.value % lotBaseUnits !== 0n || parsed.value < lotBaseUnits) {
    issues.push({
      field: 'minQty',
      message: `minQty must be a positive multiple of lotSize (${base.code})`,
    });
    return 0n;
  }
  return parsed.value / lotBaseUnits;
}

function minNotionalUnits(config: MarketConfig, quote: Asset, issues: ConfigIssue[]): bigint {
  const parsed = parseDecimal(config.minNotional, quote.scale);
  if (!parsed.ok || parsed.value < 0n) {
    issues.push({
      field: 'minNotional',
      message: `minNotional must be a non-negative ${quote.code} amount`,
    });
    return 0n;
  }
  return parsed.value;
}

/**
 * Validates a market against its assets and compiles it to integers. Refused with
 * `invalid_market` and `details.issues` (every problem found, not only the first) when:
 * the symbol or assets do not match; tickSize/lotSize are not positive, or lotSize needs more
 * decimals than the base's scale; one tick × one lot is not a whole number of quote minor units
 * (then notionals could not be exact); minQty is not a positive multiple of lotSize; fees,
 * status or price band are out of range.
 */
export function compileMarket(config: MarketConfig, assets: readonly Asset[]): Result<MarketSpec> {
  const issues: ConfigIssue[] = [];
  checkScalars(config, issues);
  const base = findAsset(config.base, 'base', assets, issues);
  const quote = findAsset(config.quote, 'quote', assets, issues);
  if (!base || !quote || issues.some((i) => i.field === 'base' || i.field === 'quote')) {
    return invalid(config, issues);
  }
  const tick = parseIncrement('tickSize', config.tickSize, MAX_SCALE, issues);
  const lot = parseIncrement('lotSize', config.lotSize, base.scale, issues);
  if (!tick || !lot) return invalid(config, issues);
  const tickLot = tickLotUnits(tick, lot, quote);
  if (tickLot === null) {
    const message = `tickSize × lotSize must be a whole number of ${quote.code} minor units (10^-${quote.scale})`;
    issues.push({ field: 'lotSize', message });
  }
  const minLots = minQtyLots(config, base, lot, issues);
  const minNotional = minNotionalUnits(config, quote, issues);
  if (issues.length > 0 || tickLot === null) return invalid(config, issues);
  return ok({
    config,
    base,
    quote,
    priceScale: tick.scale,
    tickUnits: tick.units,
    qtyScale: lot.scale,
    lotUnits: lot.units,
    lotBaseUnits: lot.units * pow10(base.scale - lot.scale),
    tickLotQuoteUnits: tickLot,
    minQtyLots: minLots,
    minNotionalUnits: minNotional,
  });
}

function invalid(config: MarketConfig, issues: ConfigIssue[]): Result<MarketSpec> {
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return err('invalid_market', `market ${config.symbol} is invalid: ${summary}`, {
    symbol: config.symbol,
    issues,
  });
}

/**
 * Validates a whole catalogue (assets and markets) and compiles every market, keyed by
 * symbol. Refuses duplicate asset codes or symbols and invalid assets (`invalid_asset`).
 */
export function compileMarkets(
  assets: readonly Asset[],
  markets: readonly MarketConfig[],
): Result<Map<string, MarketSpec>> {
  const codes = new Set<string>();
  for (const asset of assets) {
    const issues = assetIssues(asset);
    if (codes.has(asset.code)) issues.push({ field: 'code', message: 'duplicate asset code' });
    codes.add(asset.code);
    if (issues.length > 0) {
      return err('invalid_asset', `asset ${asset.code} is invalid`, { code: asset.code, issues });
    }
  }
  const specs = new Map<string, MarketSpec>();
  for (const market of markets) {
    if (specs.has(market.symbol)) return err('invalid_market', `duplicate market ${market.symbol}`);
    const spec = compileMarket(market, assets);
    if (!spec.ok) return spec;
    specs.set(market.symbol, spec.value);
  }
  return ok(specs);
}
