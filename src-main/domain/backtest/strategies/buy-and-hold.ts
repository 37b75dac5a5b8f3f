import type { Strategy, StrategyContext, StrategyDefinition } from '../strategy';

/** Buy on the first bar (filled at the second bar's open) and hold: the benchmark. */
export class BuyAndHold implements Strategy {
  onBar(ctx: StrategyContext): void {
    if (ctx.index === 0) ctx.buy({ tag: 'benchmark' });
  }
}

/** Definition of the buy-and-hold benchmark (no parameters). */
export const buyAndHold: StrategyDefinition = {
  id: 'buy-and-hold',
  name: 'Buy and hold',
  description: 'Benchmark: buy once at the start, hold to the end.',
  params: [],
  create: () => new BuyAndHold(),
};
