import type { Candle, CandleUpdate } from './candles';
import { CandleBuilder } from './candles';
import type { CandleInterval, MarketTrade } from './types';
import { CANDLE_INTERVALS } from './types';

/** One interval's outcome of a trade, from `CandleSet.addTrade`. */
export interface IntervalUpdate extends CandleUpdate {
  interval: CandleInterval;
}

/**
 * The builders of one market, one per interval, fed together: what the service holds per
 * market so a trade updates every chart in one call.
 */
export class CandleSet {
  private readonly builders: CandleBuilder[];

  /** `open` restores each interval's open bar after a restart. */
  constructor(
    intervals: readonly CandleInterval[] = CANDLE_INTERVALS,
    open: Partial<Record<CandleInterval, Candle>> = {},
  ) {
    this.builders = intervals.map((iv) => new CandleBuilder(iv, open[iv]));
  }

  /** Adds a trade to every interval; returns each interval's update, shortest first. */
  addTrade(t: MarketTrade): IntervalUpdate[] {
    return this.builders.map((b) => ({ interval: b.interval, ...b.addTrade(t) }));
  }

  /**
   * Adds a trade to every interval without copying (see `CandleBuilder.fold`); returns the
   * bars it closed, or undefined when it closed none (the common case allocates nothing).
   */
  fold(t: MarketTrade): Candle[] | undefined {
    const quote = BigInt(t.price) * BigInt(t.qty);
    let closed: Candle[] | undefined;
    for (const b of this.builders) {
      const bar = b.fold(t, quote);
      if (bar) (closed ??= []).push(bar);
    }
    return closed;
  }

  /** Closes every open bar whose bucket ended by `now` (see `CandleBuilder.closeDue`). */
  closeDue(now: number): Candle[] {
    return this.builders.flatMap((b) => b.closeDue(now) ?? []);
  }

  /** The open bar of each interval that has one. */
  current(): Candle[] {
    return this.builders.flatMap((b) => b.current() ?? []);
  }
}
