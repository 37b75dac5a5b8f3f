import { AppError } from '../../../src-shared/contract';
import { correctionEntry, fundingEntry } from '../../domain/ledger';
import { assetIssues, compileMarket, type Asset, type MarketConfig } from '../../domain/markets';
import { formatDecimal, parseDecimal } from '../../domain/money';
import { newEngine, updateEngineLimits } from './markets';
import type { ExchangeState } from './state';
import type { MarketRuntime } from './types';
import { marketView } from './views';

function amountOf(s: ExchangeState, asset: string, text: string): bigint {
  const a = s.assets.get(asset);
  if (!a) throw new AppError('unknown_asset', `No asset ${asset}`, { asset }, 404);
  const parsed = parseDecimal(text, a.scale);
  if (!parsed.ok) {
    throw new AppError(
      'invalid_amount',
      `amount ${text}: ${parsed.error.message} (${asset} has ${a.scale} decimals)`,
      {
        field: 'amount',
      },
    );
  }
  return parsed.value;
}

function balanceView(s: ExchangeState, userId: string, asset: string) {
  const b = s.balancesOf(userId, asset);
  const scale = s.assets.get(asset)?.scale ?? 0;
  return {
    asset,
    available: formatDecimal(b.available, scale),
    held: formatDecimal(b.held, scale),
  };
}

/** Admin funding (credit/debit against system:external); runs inside the queue. */
export function fund(
  s: ExchangeState,
  input: {
    userId: string;
    asset: string;
    amount: string;
    direction: 'credit' | 'debit';
    reason: string;
  },
  refId: string,
) {
  const amount = amountOf(s, input.asset, input.amount);
  const entry = fundingEntry({ refId, ...input, amount });
  if (!entry.ok) throw new AppError(entry.error.code, entry.error.message, entry.error.details);
  const entryId = s.record(entry.value);
  return { entryId, balance: balanceView(s, input.userId, input.asset) };
}

/**
 * Tops each asset with a demo allowance up to it (available + held), from system:external;
 * runs inside the queue. Assets the exchange does not list, or already at the allowance,
 * are skipped.
 */
export function demoTopUp(
  s: ExchangeState,
  userId: string,
  allowance: Readonly<Record<string, string>>,
  refId: string,
) {
  const credited: Array<{ asset: string; amount: string }> = [];
  for (const [asset, text] of Object.entries(allowance)) {
    const a = s.assets.get(asset);
    if (!a) continue;
    const target = amountOf(s, asset, text);
    const b = s.balancesOf(userId, asset);
    const missing = target - (b.available + b.held);
    if (missing <= 0n) continue;
    const entry = fundingEntry({
      refId,
      userId,
      asset,
      amount: missing,
      direction: 'credit',
      reason: 'demo funds',
    });
    if (!entry.ok) throw new AppError(entry.error.code, entry.error.message, entry.error.details);
    s.record(entry.value);
    credited.push({ asset, amount: formatDecimal(missing, a.scale) });
  }
  return credited;
}

export function correct(
  s: ExchangeState,
  input: { userId: string; asset: string; amount: string; reason: string },
  refId: string,
) {
  const amount = amountOf(s, input.asset, input.amount);
  const entry = correctionEntry({ refId, ...input, amount });
  if (!entry.ok) throw new AppError(entry.error.code, entry.error.message, entry.error.details);
  const entryId = s.record(entry.value);
  return { entryId, balance: balanceView(s, input.userId, input.asset) };
}

function compiled(s: ExchangeState, config: MarketConfig) {
  const spec = compileMarket(config, [...s.assets.values()]);
  if (!spec.ok) throw new AppError(spec.error.code, spec.error.message, spec.error.details);
  return spec.value;
}

export function createAsset(s: ExchangeState, asset: Asset) {
  if (s.assets.has(asset.code)) throw new AppError('conflict', `Asset ${asset.code} exists`);
  const issues = assetIssues(asset);
  if (issues.length > 0)
    throw new AppError('invalid_asset', `Asset ${asset.code} is invalid`, { issues });
  s.assets.set(asset.code, asset);
  s.batch.assets.push(asset);
  return { ...asset };
}

export function createMarket(s: ExchangeState, config: MarketConfig) {
  if (s.markets.has(config.symbol))
    throw new AppError('conflict', `Market ${config.symbol} exists`);
  const spec = compiled(s, config);
  const m: MarketRuntime = { spec, engine: newEngine(spec), lastSeq: 0, lastTradeId: 0 };
  s.markets.set(config.symbol, m);
  s.batch.markets.add(config.symbol);
  return marketView(spec, m.engine);
}

export function updateMarket(s: ExchangeState, symbol: string, changes: Partial<MarketConfig>) {
  const m = s.market(symbol);
  const spec = compiled(s, { ...m.spec.config, ...changes });
  if (spec.config.status !== m.engine.status) {
    m.engine.execute({ type: 'set_status', ts: s.batch.ts, status: spec.config.status });
    s.applyEvents(m, m.engine.events.slice());
  }
  m.spec = spec;
  updateEngineLimits(m.engine, spec);
  s.batch.markets.add(symbol);
  return marketView(spec, m.engine);
}
