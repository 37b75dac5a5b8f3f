import {
  simulatorPause,
  simulatorReplay,
  simulatorResume,
  simulatorSources,
  simulatorStatus,
  simulatorTune,
} from '../../../src-shared/contract';
import { bind, type BoundOperation } from '../../operations/registry';
import type { SimulatorService } from './service';

/** Admin control of the market simulator, and what drives each market for everyone. */
export function bindSimulatorOperations(sim: SimulatorService): BoundOperation[] {
  return [
    bind(simulatorSources, () => sim.sources()),
    bind(simulatorStatus, () => sim.status()),
    bind(simulatorPause, ({ symbol }) => sim.pause(symbol)),
    bind(simulatorResume, ({ symbol }) => sim.resume(symbol)),
    bind(simulatorTune, ({ symbol, ...input }) => sim.tune(symbol, input)),
    bind(simulatorReplay, ({ symbol, name, content, pointsPerCandle }) =>
      sim.replay(symbol, name, content, pointsPerCandle),
    ),
  ];
}
