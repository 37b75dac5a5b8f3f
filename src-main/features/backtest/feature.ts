import type { MarketSpec } from '../../domain/markets';
import { defineFeature } from '../feature';
import { bindBacktestOperations } from './operations';
import { BACKTEST_JOB, BacktestService, SWEEP_JOB } from './service';

/** The market specifications a dataset taken from the exchange is described by. */
interface MarketSpecs {
  spec(symbol: string): MarketSpec;
}

/**
 * Backtesting: candle datasets, user strategies, and backtests/sweeps as scheduler jobs
 * running in worker threads (progress on the `jobs` stream, cancellable, results stored).
 */
export const backtestFeature = defineFeature({
  name: 'backtest',
  setup(ctx, { markets }: { markets: MarketSpecs }) {
    const service = new BacktestService({
      store: ctx.store,
      scheduler: ctx.scheduler,
      log: ctx.log,
      now: ctx.config.now,
    });
    ctx.registry.registerAll(bindBacktestOperations(service, () => markets));
    for (const [name, description] of [
      [BACKTEST_JOB, 'Runs one backtest in a worker thread and stores its results'],
      [SWEEP_JOB, 'Runs a parameter sweep (grid) in a worker thread and stores its table'],
    ] as const) {
      ctx.scheduler.register<{ runId: number }>({
        name,
        description,
        notifyOnFailure: false,
        run: (job) => service.execute(job),
      });
    }
    return {
      provides: { backtest: service },
      start() {
        // After the scheduler has marked runs interrupted by a crash (it starts after features).
        setImmediate(() => {
          try {
            service.reconcile();
          } catch {
            // the backend closed first: nothing to reconcile
          }
        });
      },
    };
  },
});
