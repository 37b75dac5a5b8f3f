import {
  simulatorPause,
  simulatorReplay,
  simulatorResume,
  simulatorStatus,
  simulatorTune,
} from '../../../src-shared/contract';
import { bind, type BoundOperation } from '../../operations/registry';
import type { SimulatorService } from './service';

/** Admin control of the market simulator. */
export function bindSimulatorOperations(sim: SimulatorService): BoundOperation[] {
  return [
    bind(simulatorStatus, () => sim.status()),
    bind(simulatorPause, ({ symbol }) => sim.pause(symbol)),
    bind(simulatorResume, ({ symbol }) => sim.resume(symbol)),
    bind(simulatorTune, ({ symbol, ...input }) => sim.tune(symbol, input)),
    bind(simulatorReplay, ({ symbol, name, content, pointsPerCandle }) =>
      sim.replay(symbol, name, content, pointsPerCandle),
    ),
  ];
}
