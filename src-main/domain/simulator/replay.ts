import type { Candles } from '../candles';
import type { Result } from '../money';
import { err, ok } from '../money';
import { SIM_ERROR } from './config';

/** How candle prices become ticks. */
export type ReplayScaling =
  /** Multiply so the first bar's close lands on `startPrice` ticks (shape without level). */
  | { kind: 'rescale'; startPrice: number }
  /** Use the prices as they are: ticks = price / tickSize (when the data fits the market). */
  | { kind: 'raw'; tickSize: number };

/** Options of `buildReplayPath`. */
export interface ReplayOptions {
  scaling: ReplayScaling;
  /** Points per candle, at least 4 (default 4: exactly the four anchors). */
  pointsPerCandle?: number;
}

/**
 * The intra-bar order a candle is walked in: O→H→L→C for an up (or flat) bar, O→L→H→C for a
 * down bar, the usual guess that the far extreme came first.
 */
export function candleAnchors(
  o: number,
  h: number,
  l: number,
  c: number,
): [number, number, number, number] {
  return c < o ? [o, l, h, c] : [o, h, l, c];
}

function pointsOf(anchors: readonly number[], k: number, scale: number, out: number[]): void {
  for (let j = 0; j < k; j++) {
    const t = (j * 3) / (k - 1);
    const seg = Math.min(2, Math.floor(t));
    const a = anchors[seg] ?? 0;
    const b = anchors[seg + 1] ?? a;
    out.push(Math.max(1, Math.round((a + (b - a) * (t - seg)) * scale)));
  }
}

/**
 * Turns parsed candles (`parseCandles(...).candles`, CSV or JSON alike) into a path of tick
 * prices for the `replay` reference: each bar contributes `pointsPerCandle` points along
 * its anchors, linearly interpolated between them. The simulator loops at the end.
 */
export function buildReplayPath(candles: Candles, options: ReplayOptions): Result<number[]> {
  const k = options.pointsPerCandle ?? 4;
  if (!Number.isSafeInteger(k) || k < 4)
    return err(SIM_ERROR.outOfRange, 'pointsPerCandle must be an integer ≥ 4', {
      field: 'pointsPerCandle',
    });
  if (candles.length === 0)
    return err(SIM_ERROR.badReference, 'no candles to replay', { field: 'candles' });
  const first = candles.close[0] ?? 0;
  const s = options.scaling;
  const scale = s.kind === 'rescale' ? s.startPrice / first : 1 / s.tickSize;
  if (!Number.isFinite(scale) || scale <= 0)
    return err(SIM_ERROR.badReference, 'cannot scale these candles', { field: 'scaling' });
  const out: number[] = [];
  for (let i = 0; i < candles.length; i++) {
    const anchors = candleAnchors(
      candles.open[i] ?? 0,
      candles.high[i] ?? 0,
      candles.low[i] ?? 0,
      candles.close[i] ?? 0,
    );
    pointsOf(anchors, k, scale, out);
  }
  return ok(out);
}
