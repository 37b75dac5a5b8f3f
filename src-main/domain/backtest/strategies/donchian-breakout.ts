import { rollingMax, rollingMin } from '../../indicators';
import type { Strategy, StrategyContext, StrategyDefinition } from '../strategy';

/**
 * Donchian breakout (turtle style): long when the close exceeds the highest high of the
 * previous `entry` bars, exit when it falls below the lowest low of the previous `exit`
 * bars; shorts mirror with `allowShort`. "Previous" bars: the channel at i-1, because a
 * channel including bar i can never be exceeded by bar i's close.
 */
export class DonchianBreakout implements Strategy {
  private hiEntry: Float64Array = new Float64Array(0);
  private loEntry: Float64Array = new Float64Array(0);
  private hiExit: Float64Array = new Float64Array(0);
  private loExit: Float64Array = new Float64Array(0);
  constructor(
    private readonly entry: number,
    private readonly exit: number,
    private readonly allowShort: boolean,
  ) {}

  onStart(ctx: StrategyContext): void {
    const { high, low } = ctx.candles;
    this.hiEntry = rollingMax(high, this.entry);
    this.loEntry = rollingMin(low, this.entry);
    this.hiExit = rollingMax(high, this.exit);
    this.loExit = rollingMin(low, this.exit);
  }

  onBar(ctx: StrategyContext): void {
    const i = ctx.index;
    if (i < 1 || ctx.openOrders.length > 0) return;
    const c = ctx.candles.close[i]!;
    const pos = ctx.position;
    if (pos > 0 && c < this.loExit[i - 1]!) ctx.closePosition('channel-exit');
    else if (pos < 0 && c > this.hiExit[i - 1]!) ctx.closePosition('channel-exit');
    else if (pos === 0 && c > this.hiEntry[i - 1]!) ctx.buy({ tag: 'breakout-up' });
    else if (pos === 0 && this.allowShort && c < this.loEntry[i - 1]!)
      ctx.sell({ tag: 'breakout-down' });
  }
}

/** Definition and parameter specs of the Donchian breakout. */
export const donchianBreakout: StrategyDefinition = {
  id: 'donchian-breakout',
  name: 'Donchian breakout',
  description: 'Enter on a close beyond the N-bar channel, exit on the opposite M-bar channel.',
  params: [
    { name: 'entry', type: 'int', min: 2, max: 200, step: 5, default: 20, label: 'Entry channel' },
    { name: 'exit', type: 'int', min: 2, max: 200, step: 5, default: 10, label: 'Exit channel' },
    { name: 'allowShort', type: 'bool', default: false },
  ],
  create: (p) => new DonchianBreakout(Number(p.entry), Number(p.exit), p.allowShort === true),
};
