import { buyAndHold } from './strategies/buy-and-hold';
import { donchianBreakout } from './strategies/donchian-breakout';
import { maCrossover } from './strategies/ma-crossover';
import { rsiReversion } from './strategies/rsi-reversion';
import type { ParamSpec, StrategyDefinition } from './strategy';

/** What the UI lists for a strategy: everything but the factory. */
export interface StrategyInfo {
  id: string;
  name: string;
  description: string;
  params: readonly ParamSpec[];
}

/** A registry of strategy definitions by id; registering a duplicate id throws. */
export class StrategyRegistry {
  private readonly byId = new Map<string, StrategyDefinition>();

  constructor(defs: readonly StrategyDefinition[] = []) {
    for (const d of defs) this.register(d);
  }

  /** Adds a definition; throws when the id is taken. */
  register(def: StrategyDefinition): void {
    if (this.byId.has(def.id)) throw new Error(`strategy id ${def.id} is already registered`);
    this.byId.set(def.id, def);
  }

  /** The definition with this id, or undefined. */
  get(id: string): StrategyDefinition | undefined {
    return this.byId.get(id);
  }

  /** Metadata of every definition, in registration order. */
  list(): StrategyInfo[] {
    return [...this.byId.values()].map(({ id, name, description, params }) => ({
      id,
      name,
      description,
      params,
    }));
  }
}

/** The built-in strategies. */
export const BUILT_IN_STRATEGIES: readonly StrategyDefinition[] = [
  maCrossover,
  rsiReversion,
  donchianBreakout,
  buyAndHold,
];

/** A fresh registry holding the built-ins (callers may register more). */
export function createBuiltInRegistry(): StrategyRegistry {
  return new StrategyRegistry(BUILT_IN_STRATEGIES);
}
