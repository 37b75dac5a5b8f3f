import { ema, sma } from '../../indicators';
import type { Strategy, StrategyContext, StrategyDefinition } from '../strategy';

/**
 * Moving-average crossover: long when the fast average crosses above the slow one, flat
 * (or short with `allowShort`) when it crosses below. Averages are computed once over the
 * whole series in `onStart` (values at bar i only use bars <= i) and read at `ctx.index`.
 */
export class MaCrossover implements Strategy {
  private fast: Float64Array = new Float64Array(0);
  private slow: Float64Array = new Float64Array(0);
  constructor(
    private readonly fastPeriod: number,
    private readonly slowPeriod: number,
    private readonly kind: 'sma' | 'ema',
    private readonly allowShort: boolean,
  ) {}

  onStart(ctx: StrategyContext): void {
    const ma = this.kind === 'ema' ? ema : sma;
    this.fast = ma(ctx.candles.close, this.fastPeriod);
    this.slow = ma(ctx.candles.close, this.slowPeriod);
  }

  onBar(ctx: StrategyContext): void {
    const i = ctx.index;
    if (i < 1) return;
    const f = this.fast[i]!;
    const s = this.slow[i]!;
    const pf = this.fast[i - 1]!;
    const ps = this.slow[i - 1]!;
    if (f > s && pf <= ps) {
      if (ctx.position < 0) ctx.closePosition('cross-up');
      if (ctx.position <= 0) ctx.buy({ tag: 'cross-up' });
    } else if (f < s && pf >= ps) {
      if (ctx.position > 0) ctx.closePosition('cross-down');
      if (this.allowShort && ctx.position >= 0) ctx.sell({ tag: 'cross-down' });
    }
  }
}

/** Definition and parameter specs of the moving-average crossover. */
export const maCrossover: StrategyDefinition = {
  id: 'ma-crossover',
  name: 'Moving-average crossover',
  description:
    'Long when the fast MA crosses above the slow MA; exit (or short) on the cross below.',
  params: [
    { name: 'fast', type: 'int', min: 2, max: 200, step: 1, default: 10, label: 'Fast period' },
    { name: 'slow', type: 'int', min: 3, max: 500, step: 5, default: 30, label: 'Slow period' },
    { name: 'ma', type: 'enum', options: ['sma', 'ema'], default: 'sma', label: 'Average' },
    { name: 'allowShort', type: 'bool', default: false, label: 'Go short on cross down' },
  ],
  create: (p) =>
    new MaCrossover(
      Number(p.fast),
      Number(p.slow),
      p.ma === 'ema' ? 'ema' : 'sma',
      p.allowShort === true,
    ),
};
