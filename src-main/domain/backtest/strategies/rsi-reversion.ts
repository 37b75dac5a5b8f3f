import type { RsiStream } from '../../indicators';
import type { Strategy, StrategyContext, StrategyDefinition } from '../strategy';

/**
 * RSI mean reversion: buy when RSI falls below `oversold`, exit when it rises above `exit`;
 * with `allowShort`, short above `overbought` and cover below `exit`. Uses the streaming RSI
 * (bar by bar), the pattern user strategies in a worker will follow.
 */
export class RsiReversion implements Strategy {
  private rsi: RsiStream | null = null;
  constructor(
    private readonly period: number,
    private readonly oversold: number,
    private readonly overbought: number,
    private readonly exit: number,
    private readonly allowShort: boolean,
  ) {}

  /** The RSI follows the run's indicator convention. */
  onStart(ctx: StrategyContext): void {
    this.rsi = new ctx.indicators.RsiStream(this.period);
  }

  onBar(ctx: StrategyContext): void {
    this.rsi ??= new ctx.indicators.RsiStream(this.period);
    const r = this.rsi.update(ctx.candles.close[ctx.index]!);
    if (Number.isNaN(r) || ctx.openOrders.length > 0) return;
    const pos = ctx.position;
    if (pos === 0 && r < this.oversold) ctx.buy({ tag: 'oversold' });
    else if (pos === 0 && this.allowShort && r > this.overbought) ctx.sell({ tag: 'overbought' });
    else if (pos > 0 && r > this.exit) ctx.closePosition('rsi-exit');
    else if (pos < 0 && r < this.exit) ctx.closePosition('rsi-exit');
  }
}

/** Definition and parameter specs of the RSI mean-reversion strategy. */
export const rsiReversion: StrategyDefinition = {
  id: 'rsi-reversion',
  name: 'RSI mean reversion',
  description: 'Buy when RSI is oversold, exit when it recovers past the exit level.',
  params: [
    { name: 'period', type: 'int', min: 2, max: 100, step: 1, default: 14, label: 'RSI period' },
    { name: 'oversold', type: 'float', min: 1, max: 50, step: 5, default: 30 },
    { name: 'overbought', type: 'float', min: 50, max: 99, step: 5, default: 70 },
    { name: 'exit', type: 'float', min: 1, max: 99, step: 5, default: 50, label: 'Exit level' },
    { name: 'allowShort', type: 'bool', default: false },
  ],
  create: (p) =>
    new RsiReversion(
      Number(p.period),
      Number(p.oversold),
      Number(p.overbought),
      Number(p.exit),
      p.allowShort === true,
    ),
};
