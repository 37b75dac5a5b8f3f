import type { DomainError, Result } from '../money';
import { err, ok } from '../money';
import type {
  MakerConfig,
  ReferenceConfig,
  SimulatorConfig,
  SimulatorTuning,
  TakerConfig,
} from './config';
import { SIM_ERROR } from './config';

type Rule = readonly [field: string, integer: boolean, min: number, max: number];

const MAX_BPS = 5_000;
const MAKER_RULES: readonly Rule[] = [
  ['spreadBps', false, 0.01, MAX_BPS],
  ['levels', true, 0, 50],
  ['levelSpacingBps', false, 0, MAX_BPS],
  ['sizePerLevel', true, 1, Number.MAX_SAFE_INTEGER],
  ['sizeJitter', false, 0, 0.99],
  ['inventorySkewBps', false, 0, MAX_BPS],
  ['maxInventory', true, 1, Number.MAX_SAFE_INTEGER],
  ['refreshThresholdBps', false, 0, MAX_BPS],
];
const TAKER_RULES: readonly Rule[] = [
  ['ratePerSecond', false, 0, 1_000],
  ['medianQty', true, 1, Number.MAX_SAFE_INTEGER],
  ['sizeSigma', false, 0, 5],
  ['minQty', true, 1, Number.MAX_SAFE_INTEGER],
  ['maxQty', true, 1, Number.MAX_SAFE_INTEGER],
  ['trendBias', false, 0, 0.49],
  ['slippageBps', false, 0, MAX_BPS],
  ['maxPerStep', true, 0, 1_000],
];

function checkRules(section: string, obj: object, rules: readonly Rule[]): DomainError | undefined {
  const known = new Set(rules.map((r) => r[0]));
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) return fail(SIM_ERROR.unknownField, `${section}.${key}`, 'unknown field');
  }
  const values = obj as Record<string, unknown>;
  for (const [field, integer, min, max] of rules) {
    const v = values[field];
    const name = `${section}.${field}`;
    if (typeof v !== 'number' || !Number.isFinite(v))
      return fail(SIM_ERROR.outOfRange, name, 'must be a finite number');
    if (integer && !Number.isSafeInteger(v))
      return fail(SIM_ERROR.notInteger, name, 'must be an integer');
    if (v < min || v > max)
      return fail(SIM_ERROR.outOfRange, name, `must be within [${min}, ${max}]`);
  }
  return undefined;
}

function fail(code: string, field: string, reason: string): DomainError {
  return { code, message: `${field} ${reason}`, details: { field } };
}

function checkReference(r: ReferenceConfig): DomainError | undefined {
  if (r.kind === 'replay' || r.kind === 'feed') return undefined;
  if (r.kind !== 'walk')
    return fail(SIM_ERROR.badReference, 'reference.kind', 'must be walk, replay or feed');
  if (!(r.annualVolPct >= 0 && r.annualVolPct <= 1_000))
    return fail(SIM_ERROR.outOfRange, 'reference.annualVolPct', 'must be within [0, 1000]');
  if (!(Math.abs(r.annualDriftPct) <= 1_000))
    return fail(SIM_ERROR.outOfRange, 'reference.annualDriftPct', 'must be within [-1000, 1000]');
  return undefined;
}

/** Checks every field; the first problem is reported with `details.field`. */
export function validateConfig(c: SimulatorConfig): Result<SimulatorConfig> {
  const problem =
    (Number.isSafeInteger(c.startPrice) && c.startPrice >= 1
      ? undefined
      : fail(SIM_ERROR.notInteger, 'startPrice', 'must be a positive integer of ticks')) ??
    checkReference(c.reference) ??
    checkRules('maker', c.maker, MAKER_RULES) ??
    checkRules('taker', c.taker, TAKER_RULES) ??
    (c.taker.minQty <= c.taker.maxQty
      ? undefined
      : fail(SIM_ERROR.minAboveMax, 'taker.minQty', 'must not exceed taker.maxQty'));
  return problem ? { ok: false, error: problem } : ok(c);
}

/** Merges a tuning into a configuration and validates the result (the input is not changed). */
export function mergeTuning(c: SimulatorConfig, t: SimulatorTuning): Result<SimulatorConfig> {
  for (const key of Object.keys(t)) {
    if (key !== 'reference' && key !== 'maker' && key !== 'taker') {
      return err(SIM_ERROR.unknownField, `${key} cannot be tuned`, { field: key });
    }
  }
  const maker: MakerConfig = { ...c.maker, ...t.maker };
  const taker: TakerConfig = { ...c.taker, ...t.taker };
  return validateConfig({ ...c, reference: t.reference ?? c.reference, maker, taker });
}
