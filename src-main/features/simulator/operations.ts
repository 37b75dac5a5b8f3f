import {
  simulatorPause,
  simulatorReplay,
  simulatorResume,
  simulatorSources,
  simulatorStatus,
  simulatorTune,
} from '../../../src-shared/contract';
import type { OperationContext } from '../../operations/context';
import { bind, type BoundOperation } from '../../operations/registry';
import type { AuditLog } from '../audit/audit-log';
import type { SimulatorService } from './service';

/** Admin control of the market simulator, and what drives each market for everyone. */
export function bindSimulatorOperations(sim: SimulatorService, audit: AuditLog): BoundOperation[] {
  // After the change succeeded (a refused one leaves no event); `null` target: every market.
  const audited = <T>(
    op: OperationContext,
    action: 'simulator.pause' | 'simulator.resume' | 'simulator.tune' | 'simulator.replay',
    symbol: string | undefined,
    details: object,
    result: T,
  ): T => {
    audit.recordFor(op, action, symbol ?? null, details);
    return result;
  };
  return [
    bind(simulatorSources, () => sim.sources()),
    bind(simulatorStatus, () => sim.status()),
    bind(simulatorPause, ({ symbol }, op) =>
      audited(op, 'simulator.pause', symbol, {}, sim.pause(symbol)),
    ),
    bind(simulatorResume, ({ symbol }, op) =>
      audited(op, 'simulator.resume', symbol, {}, sim.resume(symbol)),
    ),
    bind(simulatorTune, ({ symbol, ...input }, op) =>
      audited(op, 'simulator.tune', symbol, input, sim.tune(symbol, input)),
    ),
    bind(simulatorReplay, ({ symbol, name, content, pointsPerCandle }, op) => {
      const r = sim.replay(symbol, name, content, pointsPerCandle);
      // The file itself is not copied into the trail: its name and size identify it.
      const details = { name, bytes: content.length, candles: r.candles, points: r.points };
      return audited(op, 'simulator.replay', symbol, details, r);
    }),
  ];
}
