import {
  backtestDatasetsCandles,
  backtestDatasetsDelete,
  backtestDatasetsFromExchange,
  backtestDatasetsGet,
  backtestDatasetsImport,
  backtestDatasetsList,
  backtestRun,
  backtestRunsCancel,
  backtestRunsDelete,
  backtestRunsExport,
  backtestRunsGet,
  backtestRunsList,
  backtestStrategiesDelete,
  backtestStrategiesGet,
  backtestStrategiesList,
  backtestStrategiesSave,
  backtestSweep,
} from '../../../src-shared/contract/backtest';
import type { MarketSpec } from '../../domain/markets';
import type { OperationContext } from '../../operations/context';
import { mayRunStrategy, callerUserId } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import type { BacktestService } from './service';

function me(op: OperationContext): string {
  return callerUserId(op.principal, 'backtests');
}

/** Every backtest operation bound to the service. */
export function bindBacktestOperations(
  svc: BacktestService,
  exchange: () => { spec(symbol: string): MarketSpec } | undefined,
): BoundOperation[] {
  return [
    bind(backtestDatasetsImport, (input, op) => svc.datasets.importDataset(me(op), input)),
    bind(backtestDatasetsFromExchange, (input, op) =>
      svc.datasets.fromExchange(me(op), input, exchange()),
    ),
    bind(backtestDatasetsList, (_input, op) => svc.datasets.listDatasets(me(op))),
    bind(backtestDatasetsGet, (input, op) => svc.datasets.getDataset(me(op), input.id)),
    bind(backtestDatasetsCandles, (input, op) =>
      svc.datasets.datasetCandles(me(op), input.id, input.offset, input.limit),
    ),
    bind(backtestDatasetsDelete, (input, op) => svc.datasets.deleteDataset(me(op), input.id)),
    bind(backtestStrategiesList, (_input, op) => svc.strategies.listStrategies(me(op))),
    bind(backtestStrategiesGet, (input, op) => svc.strategies.getStrategy(me(op), input.id)),
    bind(backtestStrategiesSave, (input, op) => svc.strategies.saveStrategy(me(op), input)),
    bind(backtestStrategiesDelete, (input, op) => svc.strategies.deleteStrategy(me(op), input.id)),
    bind(backtestRun, (input, op) => {
      mayRunStrategy(op.principal, input.strategyId, 'Running your own strategy code');
      return svc.startBacktest(me(op), input);
    }),
    bind(backtestSweep, (input, op) => {
      mayRunStrategy(op.principal, input.strategyId, 'Running your own strategy code');
      return svc.startSweep(me(op), input);
    }),
    bind(backtestRunsList, (input, op) => svc.listRuns(me(op), input.limit)),
    bind(backtestRunsGet, (input, op) =>
      svc.getRun(me(op), input.id, input.summary, input.maxPoints),
    ),
    bind(backtestRunsCancel, (input, op) => svc.cancelRun(me(op), input.id)),
    bind(backtestRunsDelete, (input, op) => svc.deleteRun(me(op), input.id)),
    bind(backtestRunsExport, (input, op) =>
      svc.exportRun(me(op), input.id, input.format, input.part),
    ),
  ];
}
